"""Property-based tests: any text gives a result or a clean error, never an unexpected exception;
normalised references round-trip."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_build.errors import InputError
from graph_build.instruments import find_bases, names_instrument
from graph_build.legal_refs import CODE_TYPES, find_refs, find_refs_with_offsets, make_ref, parse_date, parse_number
from graph_build.read import decode
from graph_build.resolve import AgencyRegistry
from graph_build.tables import clean_cell, parse_rows
from graph_build.timelines import parse_timeline

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text made of the pieces real plans are made of, plus anything at all.
PIECES = ["Quyết định", "số", "Nghị định", "Thông tư", "Chỉ thị", "Kế hoạch", "Công văn", "ngày", "tháng", "năm",
          "của", "Thủ tướng Chính phủ", "UBND", "Sở Ngoại vụ", "Quý", "III", "V", "/", "-", "NĐ-CP", "QĐ-TTg",
          "KH-UBND", "NQ/TW", "TT-BTTTT", "2023", "2015", "31/02/2023", "07/9/2015", "72", "1079", " ", "\t", "\n",
          ",", ";", "(", ")", "“", "”", "Đề án", "Quy chế", "Cuộc vận động", "phê duyệt", "ban hành tại", "Ð",
          "phối hợp với", "các cơ quan, đơn vị liên quan", "Hàng tháng", "Thường xuyên", "<p>", "</p>", "&amp;"]
vn_text = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
                    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map(" ".join))


@FAST
@given(vn_text)
def test_reference_finder_never_crashes(text):
    found = find_refs_with_offsets(text)
    for f in found:
        assert 0 <= f.start < f.end
        assert f.ref.number >= 0 and f.ref.id_local
    assert len(find_refs(text)) == len(found)


@FAST
@given(vn_text)
def test_number_and_date_parsers_never_crash(text):
    n = parse_number(text)
    assert n is None or n.id_local
    when, found = parse_date(text)
    assert when is None or 1900 <= when.year <= 2200 or found


number_texts = st.builds(
    lambda n, year, code, sep: f"{n}{sep}{year + '/' if year else ''}{code}",
    st.integers(1, 99999), st.sampled_from(["", "2015", "2023"]),
    st.sampled_from([f"{t}-{i}" for t in sorted(CODE_TYPES) for i in ("CP", "TTg", "UBND", "BTTTT")] + ["BTTTT-TTĐN"]),
    st.sampled_from(["/", " / ", "/ "]))


@FAST
@given(number_texts)
def test_normalised_numbers_round_trip(printed):
    ref = make_ref(printed, None, printed, None)
    assert ref is not None
    again = make_ref(ref.id_local, None, ref.id_local, None)  # parse → format → parse
    assert again is not None and (again.id_local, again.number, again.year, again.code, again.issuer_code) == (
        ref.id_local, ref.number, ref.year, ref.code, ref.issuer_code)
    assert parse_number(re.sub(r"\s", "", printed)).id_local == ref.id_local


@FAST
@given(vn_text, st.one_of(st.none(), st.integers(1990, 2100)))
def test_timeline_parser_never_crashes(text, year):
    t = parse_timeline(text, year)
    assert t.kind
    if t.start and t.end:
        assert t.start <= t.end


REGISTRY = AgencyRegistry.load(None)


@FAST
@given(vn_text, st.sampled_from([None, "Hà Nội", "Lào Cai"]))
def test_agency_lists_never_crash(text, province):
    found, leftovers = REGISTRY.split(text, province)
    assert all(a.id for a in found) and all(isinstance(x, str) for x in leftovers)
    REGISTRY.resolve(text, province)


@FAST
@given(st.lists(vn_text, max_size=20))
def test_table_parser_never_crashes(texts):
    for row in parse_rows(list(enumerate(texts, 1))):
        assert row.span.start <= row.span.end
        for cell in row.cells:
            clean_cell(cell)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_get_a_clean_error(data):
    try:
        text = decode("f.txt", data)
    except InputError as err:
        assert str(err).startswith("f.txt") and "\n" not in str(err)
    else:
        assert isinstance(text, str) and "\x00" not in text


@FAST
@given(vn_text, vn_text)
def test_instrument_finder_never_crashes(text, name):
    for b in find_bases(text):
        assert b.relation in ("approves", "issues", "implements") and b.name
    names_instrument(text, name)
