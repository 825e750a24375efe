"""What the sample plan holds, counted by hand against data/samples/hanoi-2023-101-KH-UBND.txt."""
from __future__ import annotations

from collections import Counter
from datetime import date

# Rows per appendix group, counted in the text (lines 193-268).
GROUP_ROWS = {"I": 11, "II": 5, "III": 9, "IV": 6, "V": 2, "VI": 3, "VII": 4, "VIII": 4, "IX": 1, "X": 4}


def task(plan, ref):
    (t,) = [t for t in plan.record.tasks if t.ref == ref]
    return t


def links(plan, ref, role=None, stated_in=None):
    i = [t.ref for t in plan.record.tasks].index(ref)
    return [l.agency.vi for l in plan.task_links[i]
            if (role is None or l.role == role) and (stated_in is None or l.stated_in == stated_in)]


def test_header(sample_plan):
    h = sample_plan.record.header
    assert (h.type_code, h.ref.id_local, h.ref.number_printed) == ("KH", "101/KH-UBND", "101 /KH-UBND")
    assert (h.date, h.place, h.covers_year) == (date(2023, 3, 23), "Hà Nội", 2023)
    assert h.title == "Tổ chức hoạt động thông tin đối ngoại năm 2023"
    assert sample_plan.issuer.id == "ha-noi/ubnd"
    assert h.issuer_method == "inferred-from-body" and h.issuer_span.start == 10


def test_signature(sample_plan):
    s = sample_plan.record.signature
    assert (s.name, s.position, s.acting_for) == ("Hà Minh Hải", "Phó Chủ tịch", "Chủ tịch")
    assert sample_plan.signature_agency.id == "ha-noi/ubnd"


def test_every_appendix_row_per_group(sample_plan):
    assert Counter(t.group for t in sample_plan.record.tasks) == GROUP_ROWS
    for group, n in GROUP_ROWS.items():
        assert [t.number for t in sample_plan.record.tasks if t.group == group] == list(range(1, n + 1))


def test_page_break_continuations_are_joined(sample_plan):
    assert task(sample_plan, "II.1").content.endswith("tăng cường các bài bình luận quốc tế sâu sắc.")
    iv3 = task(sample_plan, "IV.3")
    assert "mang đậm bản sắc văn hóa Thủ đô" in iv3.content
    assert iv3.timeline.printed == "Trong năm 2023" and iv3.timeline.end == date(2023, 12, 31)
    assert "lãnh đạo Sở lên website của Sở." in task(sample_plan, "VI.1").content


def test_html_removed_and_list_items_kept(sample_plan):
    vi3 = task(sample_plan, "VI.3").content
    assert "<" not in vi3 and ">" not in vi3
    lines = vi3.split("\n")
    assert lines[0].startswith("Tổ chức triển khai các chương trình")
    assert "- Hội nhập quốc tế, xuất nhập khẩu;" in lines
    assert sum(1 for l in lines if l.startswith("- ")) == 9  # counted in line 247
    assert "<i>" not in task(sample_plan, "III.1").content


def test_leads_and_coordinators(sample_plan):
    assert links(sample_plan, "I.1", "lead") == ["Sở Thông tin và Truyền thông"]
    assert links(sample_plan, "I.1", "coordinator", "column") == ["Ban Tuyên giáo Thành ủy Hà Nội",
                                                                  "Các cơ quan, đơn vị liên quan"]
    assert links(sample_plan, "I.4", "lead") == ["Trung tâm Báo chí Thủ đô Hà Nội"]
    assert links(sample_plan, "I.9", "lead") == ["Trung tâm Đào tạo, Tư vấn Công nghệ thông tin và Truyền thông"]
    assert links(sample_plan, "I.9", "coordinator", "column") == [
        "Ban Tuyên giáo Thành ủy Hà Nội", "Sở Nội vụ", "Các Sở, Ban, ngành Thành phố",
        "Phòng Văn hóa và Thông tin các quận, huyện, thị xã"]
    # Names containing "và" and commas are not broken.
    assert links(sample_plan, "I.2", "coordinator", "column") == ["Các cơ quan báo chí Trung ương và Hà Nội"]
    assert links(sample_plan, "VII.1", "coordinator", "column") == [
        "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội", "Ban Quản lý Khu công nghệ cao Hòa Lạc",
        "Trung tâm Xúc tiến Đầu tư, Thương mại, Du lịch thành phố Hà Nội", "Các cơ quan, đơn vị liên quan"]
    assert links(sample_plan, "VI.2", "coordinator") == []
    assert links(sample_plan, "X.1", "lead") == ["Công an thành phố Hà Nội"]


def test_agencies_stated_in_the_text(sample_plan):
    assert links(sample_plan, "VI.3", "coordinator", "text") == [
        "Ngân hàng Nhà nước Việt Nam – Chi nhánh thành phố Hà Nội", "Các cơ quan, đơn vị liên quan"]
    assert "Các Đại sứ quán nước ngoài tại Việt Nam" in links(sample_plan, "III.9", "coordinator", "text")
    assert links(sample_plan, "I.2", "coordinator", "text") == [
        "Các cơ quan báo chí Thành phố", "Các cơ quan báo chí Trung ương và địa phương"]


def test_timelines(sample_plan):
    q3 = task(sample_plan, "I.9").timeline
    assert (q3.kind, q3.start, q3.end) == ("interval", date(2023, 7, 1), date(2023, 9, 30))
    m3 = task(sample_plan, "I.5").timeline
    assert (m3.printed, m3.start, m3.end) == ("Tháng 3/2023", date(2023, 3, 1), date(2023, 3, 31))
    monthly = task(sample_plan, "VI.1").timeline
    assert (monthly.kind, monthly.recurrence, monthly.bounds_from_plan_year) == ("recurrence", "P1M", True)
    assert task(sample_plan, "VII.1").timeline.recurrence == "P3M"
    assert task(sample_plan, "VI.2").timeline.kind == "continuous"
    assert task(sample_plan, "VII.3").timeline.kind == "periodic-or-adhoc"
    kinds = Counter(t.timeline.kind for t in sample_plan.record.tasks)
    assert kinds == {"interval": 43, "recurrence": 3, "continuous": 1, "periodic-or-adhoc": 2}


def test_citations_where_they_are(sample_plan):
    got = {(c.section, c.task, c.relation, c.ref.id_local, c.ref.date) for c in sample_plan.record.citations}
    assert got == {
        ("preamble", None, "based-on", "72/2015/NĐ-CP", date(2015, 9, 7)),
        ("preamble", None, "based-on", "22/2016/TT-BTTTT", date(2016, 10, 19)),
        ("preamble", None, "based-on", "5740/BTTTT-TTĐN", date(2022, 11, 25)),
        ("II.4", None, "cites", "08/2021/QĐ-UBND", date(2021, 7, 15)),
        ("II.4", None, "cites", "146/KH-UBND", date(2019, 6, 28)),
        ("II.5", None, "cites", "1079/QĐ-TTg", date(2022, 9, 14)),
        ("II.5", None, "cites", "28/CT-TTg", date(2021, 10, 26)),
        ("II.5", None, "cites", "1191/QĐ-TTg", date(2020, 8, 5)),
        ("II.5", None, "cites", "36-NQ/TW", date(2018, 10, 22)),
        ("appendix", "I.8", "cites", "1160/QĐ-TTg", date(2021, 7, 13)),
        ("feedback", None, "cites", "101/TTr-STTTT", date(2023, 3, 23)),
    }


def test_unnumbered_references_kept_as_mentions(sample_plan):
    texts = {m.text for m in sample_plan.record.mentions}
    assert "Nghị quyết Đại hội lần thứ XIII của Đảng" in texts
    assert "Chiến lược văn hóa đối ngoại" in texts
    assert "Chương trình hành động của Chính phủ" in texts


def test_data_quality_note_for_the_appendix_number(sample_plan):
    (note,) = sample_plan.record.notes
    assert (note.kind, note.printed, note.expected, note.span.end) == ("number-mismatch", "104/KH-UBND", "101/KH-UBND", 188)


def test_part_iv_duties(sample_plan):
    duties = sample_plan.record.duties
    per_block = Counter((d.section, d.kind) for d in duties)
    assert per_block == {("IV.1", "order"): 7, ("IV.2", "request"): 4, ("IV.3", "order"): 3,
                         ("IV.4", "order"): 3, ("IV.5", "order"): 3}
    agencies = {d.section: a.id for d, a in zip(duties, sample_plan.duty_agencies)}
    assert agencies["IV.2"] == "ha-noi/ban-tuyen-giao-thanh-uy"
    assert agencies["IV.5"] == "ha-noi/placeholder/ubnd-cac-quan-huyen-thi-xa"
    assert "tiếng Trung Quốc) trên báo in" in duties[15].content  # joined across the page break


def test_reporting_duty(sample_plan):
    r = sample_plan.record.reporting
    assert [(x.period, x.due_before) for x in r] == [("6 tháng", date(2023, 6, 20)), ("năm", date(2023, 11, 20))]
    to, send, who = sample_plan.reporting[0]
    assert (to.id, send.id) == ("ha-noi/ubnd", "ha-noi/so-thong-tin-va-truyen-thong")
    assert {a.id for a in who} == {"ha-noi/placeholder/cac-so-ban-nganh-thanh-pho",
                                   "ha-noi/placeholder/ubnd-cac-quan-huyen-thi-xa"}


def test_feedback_rows(sample_plan):
    fb = sample_plan.record.feedback
    assert [f.number for f in fb] == list(range(1, 49))
    by = {f.number: f for f in fb}
    assert (by[1].letter_number, by[1].letter_date) == ("1390-CV/BTGTU", date(2023, 3, 2))
    assert (by[8].agency_text, by[8].letter_number, by[8].letter_date) == ("Sở Quy hoạch – Kiến trúc", "808/QHKT-VP", date(2023, 2, 27))
    assert (by[29].agency_text, by[29].letter_number) == ("UBND quận Hoàn Kiếm", "234/UBND-VHTT")
    assert by[41].letter_date == date(2023, 2, 23)
    assert by[20].agency_text == "Ban Quản lý các khu công nghiệp và chế xuất Hà Nội"
    assert "quốc tế” tại Hà Nội dự kiến vào cuối tháng 10/2023" in by[10].comment
    assert {f.number for f in fb if f.accepted} == {1, 2, 8, 10, 15, 18, 21, 23, 24}
    assert {f.number for f in fb if f.position == "proposes-additions"} == {10, 21, 23}
    assert {f.number for f in fb if f.position == "agrees-with-comments"} == {1, 2, 8, 15, 18, 24}
    assert all(a is not None and not a.unresolved for a in sample_plan.feedback_agencies)


def test_recipients(sample_plan):
    recs = sample_plan.record.recipients
    assert len(recs) == 13
    assert [r.kind for r in recs][-2:] == ["internal", "archive"]
    resolved = [a.id for a in sample_plan.recipient_agencies if a]
    assert "bo-thong-tin-va-truyen-thong" in resolved and "ban-tuyen-giao-trung-uong" in resolved


def test_no_unresolved_agency_in_the_sample(sample_plan):
    assert sample_plan.warnings == ()
    assert not [a for a in sample_plan.agencies if a.unresolved]


def test_named_instruments_and_the_tasks_that_name_them(sample_plan):
    rec = sample_plan.record
    bases = {(b.kind, b.ref.id_local, b.relation, b.span.start) for b in rec.instruments}
    assert bases == {("regulation", "08/2021/QĐ-UBND", "issues", 60), ("master-plan", "146/KH-UBND", "implements", 60),
                     ("scheme", "1079/QĐ-TTg", "approves", 72), ("campaign", "28/CT-TTg", "implements", 78),
                     ("programme", "1160/QĐ-TTg", "issues", 203)}
    assert {b.name for b in rec.instruments if b.kind == "programme"} == {"Chương trình hành động của Chính phủ"}
    uses = {(u.task, rec.instruments[u.basis].ref.id_local, u.text) for u in rec.instrument_uses}
    assert uses == {
        ("I.5", "1079/QĐ-TTg", "Đề án truyền thông về quyền con người ở Việt Nam"),
        # the row adds "tại" to the name the body gives: matched all the same
        ("I.10", "08/2021/QĐ-UBND", "Quy chế quản lý, vận hành, cung cấp thông tin cho hệ thống thông tin đối "
                                    "ngoại tại khu vực cửa khẩu quốc tế"),
        ("VI.3", "28/CT-TTg", "Cuộc vận động người Việt Nam ưu tiên dùng hàng Việt Nam"),
    }
    # an instrument the plan names but never ties to a numbered document is not linked
    assert not any("công nghiệp văn hóa" in rec.instruments[u.basis].name for u in rec.instrument_uses)
