"""Habits of other offices (tests/data/variants/, written after the real plans' openings): other
column names and an extra "Sản phẩm" column, words glued by PDF extraction, a plan with no
appendix whose tasks are given in its prose."""
from __future__ import annotations

from graph_build.build import build_file
from graph_build.emit import emit_plan
from graph_build.validate import validate_graph

from .conftest import ROOT, cli, query_rows

VARIANTS = ROOT / "tests" / "data" / "variants"


def test_other_column_names_and_glued_words():
    rp = build_file(VARIANTS / "other-columns.txt")
    rec = rp.record
    assert (rec.header.ref.id_local, rec.province) == ("215/KH-UBND", "Lào Cai")
    assert [(t.ref, t.content, t.timeline.printed, t.lead.text, t.coordinators.text) for t in rec.tasks] == [
        ("1", "Tuyên truyền về Lào Cai trên các kênh đối ngoại.", "Quý II/2024", "Sở Thông tin và Truyền thông",
         "Sở Ngoại vụ"),
        ("2", "Tổ chức hội nghị xúc tiến đầu tư.", "Tháng 9/2024", "Sở Kế hoạch và Đầu tư",
         "Sở Thông tin và Truyền thông")]
    # "Kết luận số 57-KL/TWngày 15/6/2023": the number ends where "ngày" begins
    kl = next(c.ref for c in rec.citations if c.ref.type_code == "KL")
    assert (kl.id_local, kl.date.isoformat(), kl.party, kl.issuer_text) == ("57-KL/TW", "2023-06-15", True, "Bộ Chính trị")
    # Lào Cai's departments are not Hà Nội's: same names, other nodes (unknown here, so flagged)
    leads = {l.agency.id for links in rp.task_links for l in links if l.role == "lead"}
    assert all(i.startswith("lao-cai/") for i in leads)


def test_tasks_given_only_in_prose(tmp_path):
    rp = build_file(VARIANTS / "prose-tasks.txt")
    got = [(t.ref, t.timeline.printed, [l.agency.vi for l in links if l.role == "lead"],
            sorted(l.agency.vi for l in links if l.role == "coordinator"))
           for t, links in zip(rp.record.tasks, rp.task_links)]
    assert got == [
        ("II.1.1", "Quý II/2024", ["Sở Thông tin và Truyền thông"], ["Sở Du lịch", "Sở Ngoại vụ"]),
        ("II.1.2", "trong năm 2024", ["Sở Văn hóa và Thể thao"], ["Liên hiệp các tổ chức hữu nghị thành phố Hà Nội"]),
        ("II.2.1", "thường xuyên", ["Sở Du lịch"], []),
    ]
    assert validate_graph(emit_plan(rp)).conforms
    out = tmp_path / "prose.ttl"
    cli("build", VARIANTS / "prose-tasks.txt", "-o", out, "-q")
    trace = cli("trace", "II.2.1", "--graph", out).stdout
    assert "1. Cited in the task's row\n   → Quyết định 1160/QĐ-TTg" in trace
    due = query_rows("tasks-due", "--graph", out, params={"from": "2024-05-01", "to": "2024-05-31"})
    assert [r["ref"] for r in due] == ["II.1.2", "II.2.1", "II.1.1"]  # the year's tasks, then Quý II
