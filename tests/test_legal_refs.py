"""The reference parser on the spellings seen in real plans."""
from __future__ import annotations

from datetime import date

import pytest

from graph_build.emit import doc_iri_for
from graph_build.legal_refs import find_refs, parse_number
from graph_build.vntext import nfc


def one(text: str):
    refs = find_refs(text)
    assert len(refs) == 1, refs
    return refs[0]


def test_decree_with_year_and_date():
    r = one("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại;")
    assert (r.type_code, r.number, r.year, r.code, r.issuer_code) == ("ND", 72, 2015, "NĐ-CP", "CP")
    assert r.date == date(2015, 9, 7)
    assert r.issuer_text == "Chính phủ"
    assert r.subject == "về quản lý hoạt động thông tin đối ngoại"


@pytest.mark.parametrize("text", [
    "Nghị định số 72/2015/NĐ-CP ngày 07/9/2015",
    "Nghị định số 72/NĐ-CP ngày 07/9/2015",
    "Nghị định số 72/NĐ-CP ngày 07/09/2015",
    "Nghị định số 72/2015/NĐ-CP ngày 07 tháng 9 năm 2015",
    "Nghị định 72/2015/ NĐ-CP ngày 7/9/2015",
    "Nghị định số 72/2015/N\u00d0-CP ngày 07/9/2015",                       # look-alike Ð
    nfc("Nghi\u0323 đi\u0323nh số 72/2015/NĐ-CP ngày 07/9/2015"),            # decomposed input, normalised
])
def test_every_spelling_of_decree_72_is_one_node(text):
    assert str(doc_iri_for(one(text), "Hà Nội")) == "https://w3id.org/vnplan/id/legal/nd/2015/72/cp"


def test_decision_without_year_takes_it_from_the_date():
    r = one("Quyết định số 1191/QĐ-TTg ngày 05/8/2020 của Thủ tướng Chính phủ về việc phê duyệt")
    assert (r.year, r.id_local) == (2020, "1191/QĐ-TTg")
    assert str(doc_iri_for(r, None)).endswith("/qd/2020/1191/ttg")


def test_issuer_before_date():
    r = one("Triển khai Chỉ thị số 28/CT-TTg của Thủ tướng Chính phủ ngày 26/10/2021 về việc tăng cường")
    assert (r.type_code, r.year, r.date, r.issuer_text) == ("CT", 2021, date(2021, 10, 26), "Thủ tướng Chính phủ")


@pytest.mark.parametrize("printed, canonical", [
    ("36/NQ-TW", "36-NQ/TW"), ("36-NQ/TW", "36-NQ/TW"), ("12-CT/TW", "12-CT/TW"), ("164-KH/TU", "164-KH/TU"),
    ("141- KH/TU", "141-KH/TU"), ("07-QC/TU", "07-QC/TU"),
])
def test_party_numbers(printed, canonical):
    n = parse_number(printed)
    assert n.party and n.id_local == canonical


def test_party_resolution_slash_and_hyphen_are_one_node():
    a = one("Nghị quyết số 36/NQ-TW ngày 22/10/2018 của Ban Chấp hành Trung ương Đảng (khóa XII) về “Chiến lược”")
    b = one("Nghị quyết số 36-NQ/TW ngày 22/10/2018")
    assert doc_iri_for(a, "Hà Nội") == doc_iri_for(b, "Tuyên Quang")
    assert a.issuer_text == "Ban Chấp hành Trung ương Đảng"


def test_letter_without_type_segment():
    r = one("Văn bản số 3616/BTTTT-TTĐN ngày 06/10/2017 của Bộ Thông tin và Truyền thông")
    assert (r.type_code, r.issuer_code, r.year) == ("CV", "BTTTT-TTĐN", 2017)


def test_glued_words_from_pdf_extraction():
    r = one("Nghị quyết số 22-NQ/TWngày 10/4/2013 của Bộ Chính trị về hội nhập quốc tế;")
    assert (r.id_local, r.date) == ("22-NQ/TW", date(2013, 4, 10))


def test_contradicting_date_is_kept_and_flagged():
    r = one("Nghị định số 72/2015/NĐ-CP ngày 07/9/2016")
    assert r.year == 2015 and r.date == date(2016, 9, 7)
    assert any(f.startswith("date-contradicts-number-year") for f in r.flags)


def test_impossible_date_is_flagged_not_invented():
    r = one("Quyết định số 12/QĐ-UBND ngày 31/02/2023")
    assert r.date is None and "impossible-date" in r.flags


def test_local_issuer_is_scoped_by_province():
    r = one("Quyết định số 08/2021/QĐ-UBND ngày 15/7/2021 của UBND Thành phố")
    assert str(doc_iri_for(r, "Hà Nội")).endswith("/qd/2021/8/ubnd-ha-noi")
    assert doc_iri_for(r, "Hà Nội") != doc_iri_for(r, "Lào Cai")


def test_numbers_are_not_found_in_plain_text():
    assert find_refs("Tháng 3/2023, kỷ niệm 50 năm; 2021-2025") == []
