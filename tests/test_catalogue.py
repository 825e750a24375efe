"""The catalogue's research queries on the sample, each answer checked by hand against the text
(line numbers refer to data/samples/hanoi-2023-101-KH-UBND.txt)."""
from __future__ import annotations

import pytest

from graph_build.catalogue import load_catalogue, run_query

from .conftest import cli, query_rows

PLAN = "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi"
AGENCY = "https://w3id.org/vnplan/id/agency/"


def test_the_catalogue_has_the_research_queries():
    names = set(load_catalogue())
    assert len(names) >= 12
    assert {"coordination", "tasks-by-agency", "tasks-due", "search", "citations", "agency-profile", "trace"} <= names
    out = cli("queries").stdout
    assert "Who works with whom" in out and "Trace a task to its legal basis" in out


def test_every_query_declares_typed_parameters_and_a_runnable_example(sample_ttl):
    for q in load_catalogue().values():
        assert all(p.type in ("text", "string", "iri", "date", "integer", "boolean", "agency", "document", "plan") and p.doc for p in q.params), q.name
        assert set(q.example_params()) == {p.name for p in q.params if p.default is None}, q.name
        assert run_query(q.name, q.example_params(), graph=sample_ttl).rows, f"{q.name}: its example finds nothing"


def test_coordination(sample_ttl):
    rows = query_rows("coordination", "--graph", sample_ttl)
    pair = {(r["lead_label"], r["coordinator_label"]): r for r in rows}
    # rows 194, 202, 203, 205: Sở TT&TT leads, "Ban Tuyên giáo Thành ủy" in the coordinators column
    btg = pair["Sở Thông tin và Truyền thông", "Ban Tuyên giáo Thành ủy Hà Nội"]
    assert (btg["tasks"], btg["in_columns"], btg["in_text"], btg["task_refs"]) == (4, 4, 0, "I.1 | I.7 | I.8 | I.10")
    assert rows[0] == btg  # the strongest tie comes first
    # row 247 (VI.3): the bank is named only in the text, "Chủ trì, phối hợp với Ngân hàng Nhà nước …"
    bank = pair["Sở Công Thương", "Ngân hàng Nhà nước Việt Nam – Chi nhánh thành phố Hà Nội"]
    assert (bank["tasks"], bank["in_columns"], bank["in_text"]) == (1, 0, 1)
    # rows 253, 254, 265, 267: Sở Ngoại vụ coordinates for Sở KH&ĐT (VII.3, VII.4) and the police (X.1, X.3)
    assert pair["Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ"]["task_refs"] == "VII.3 | VII.4"
    assert pair["Công an thành phố Hà Nội", "Sở Ngoại vụ"]["task_refs"] == "X.1 | X.3"
    assert not any("liên quan" in r["coordinator_label"] for r in rows)  # placeholders are not partners
    assert all(r["lead"] != r["coordinator"] and r["tasks"] == r["in_columns"] + r["in_text"] for r in rows)


@pytest.mark.parametrize("spelling", ["Sở Ngoại vụ", "so ngoai vu", "SỞ NGOẠI VỤ", "Department of Foreign Affairs",
                                      AGENCY + "ha-noi/so-ngoai-vu"])
def test_tasks_by_agency_matches_names_in_any_spelling(sample_ttl, spelling):
    rows = query_rows("tasks-by-agency", "--graph", sample_ttl, params={"agency": spelling})
    assert {r["agency_iri"] for r in rows} == {AGENCY + "ha-noi/so-ngoai-vu"}
    leads = [r["ref"] for r in rows if r["role"] == "lead"]
    coordinates = sorted({r["ref"] for r in rows if r["role"] == "coordinator"})
    assert leads == ["II.1", "II.2", "II.3", "II.4", "II.5"]          # rows 208-215
    assert coordinates == ["VII.3", "VII.4", "X.1", "X.3"]            # rows 253, 254, 265, 267
    assert {r["stated_in"] for r in rows if r["ref"] == "X.1"} == {"column", "text"}


def test_tasks_due_in_a_window(sample_ttl):
    q3 = query_rows("tasks-due", "--graph", sample_ttl, params={"from": "2023-07-01", "to": "2023-09-30"})
    # 42 tasks span the year (Trong năm 2023 36, Hàng quý 2, Hàng tháng 1, Thường xuyên 1, Định kỳ hoặc
    # đột xuất 2), plus I.9 "Quý III/2023" (row 204) and III.3 "Tháng 8/2023" (row 219)
    assert len(q3) == 44
    dated = {r["ref"]: (r["start"], r["end"]) for r in q3 if r["timeline"].startswith(("Quý", "Tháng"))}
    assert dated == {"I.9": ("2023-07-01", "2023-09-30"), "III.3": ("2023-08-01", "2023-08-31")}
    assert all(r["start"] <= "2023-09-30" and r["end"] >= "2023-07-01" for r in q3)
    march = query_rows("tasks-due", "--graph", sample_ttl, params={"from": "2023-03-15", "to": "2023-03-15"})
    assert {r["ref"] for r in march if r["timeline"] == "Tháng 3/2023"} == {"I.5"} and len(march) == 43
    assert query_rows("tasks-due", "--graph", sample_ttl, params={"from": "2024-01-01", "to": "2024-12-31"}) == []
    r = cli("query", "tasks-due", "--graph", sample_ttl, "-p", "from=2023-02-30", "-p", "to=2023-03-01", expect=2)
    assert "parameter from: '2023-02-30' is not a valid date" in r.stderr


def test_search_ignores_case_and_diacritics(sample_ttl):
    plain = query_rows("search", "--graph", sample_ttl, params={"text": "quyen con nguoi"})
    assert plain == query_rows("search", "--graph", sample_ttl, params={"text": "QUYỀN CON NGƯỜI"})
    found = {(r["kind"], r["item"]) for r in plain}
    assert found == {("task", PLAN + "/task/I.5"), ("duty", PLAN + "/duty/IV.1/4"),
                     ("legal-document", "https://w3id.org/vnplan/id/legal/qd/2022/1079/ttg"),
                     ("instrument", PLAN + "/instrument/de-an-truyen-thong-ve-quyen-con-nguoi-o-viet-nam")}
    task = next(r for r in plain if r["kind"] == "task")
    assert (task["plan"], task["line"]) == ("Kế hoạch 101/KH-UBND", 198)
    agencies = query_rows("search", "--graph", sample_ttl, params={"text": "cong an"})
    assert [r["label"] for r in agencies if r["kind"] == "agency"] == ["Công an thành phố Hà Nội"]


def test_citations_of_a_document(sample_ttl):
    rows = query_rows("citations", "--graph", sample_ttl, params={"doc": "1079/QĐ-TTg"})
    got = [(r["relation"], r["citing_kind"], r["citing"].removeprefix(PLAN), r["line_start"]) for r in rows]
    assert got == [("cites", "section", "/section/II.5", 72), ("via-instrument", "task", "/task/I.5", 198)]
    decree = query_rows("citations", "--graph", sample_ttl, params={"doc": "nghi dinh 72"})
    assert [(r["relation"], r["citing_kind"], r["line_start"]) for r in decree] == [("based-on", "plan", 10)]
    assert decree[0]["evidence"].startswith("Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ")


def test_agency_profile(sample_ttl):
    rows = {r["label"]: r for r in query_rows("agency-profile", "--graph", sample_ttl,
                                              params={"agency": "Sở Thông tin và Truyền thông"})}
    p = rows["Sở Thông tin và Truyền thông"]
    assert (p["leads"], p["coordinates_column"], p["coordinates_text"], p["plans"]) == (9, 2, 1, 1)
    assert p["duties"] == 7            # the seven "- Chủ trì …" items of section IV.1 (lines 108-120)
    assert p["comments"] == 0          # it drafted the plan: it sent no comment on it
    assert p["label_en"] == "Hanoi Department of Information and Communications" and p["kind"] == "Sở"
    btg = query_rows("agency-profile", "--graph", sample_ttl, params={"agency": "Ban Tuyên giáo Thành ủy"})
    assert [(r["comments"], r["comments_taken_up"]) for r in btg] == [(1, 1)]  # feedback row 1: "Tiếp thu"


def test_instruments(sample_ttl):
    rows = {r["kind"]: r for r in query_rows("instruments", "--graph", sample_ttl)}
    assert {k: (r["relation"], r["document_label"], r["tasks"], r["line"]) for k, r in rows.items()} == {
        "regulation": ("issues", "Quyết định 08/2021/QĐ-UBND", "I.10", 60),
        "master-plan": ("implements", "Kế hoạch 146/KH-UBND", "", 60),
        "scheme": ("approves", "Quyết định 1079/QĐ-TTg", "I.5", 72),
        "campaign": ("implements", "Chỉ thị 28/CT-TTg", "VI.3", 78),
        # row 203 (I.8) itself: "Chương trình hành động của Chính phủ được ban hành tại Quyết định số 1160/QĐ-TTg";
        # I.8 cites the decision directly, so it is not listed as a task reaching it through the programme
        "programme": ("issues", "Quyết định 1160/QĐ-TTg", "", 203),
    }
