"""The openings of five real documents of other provinces and years (tests/data/openings/, copied
from ../shared/documents/openings/): number, date, issuer and every numbered reference, as read
in the text by hand."""
from __future__ import annotations

from datetime import date

import pytest

from graph_build.build import build_documents, build_file

from .conftest import OPENINGS, SAMPLE, cli, query_rows

# file -> (number, date, place, issuer, year covered,
#          [(relation, type, number, year, code, date or None, line)])
EXPECTED = {
    # "Thực hiện …" instead of "Căn cứ …"; the letter cites QĐ 79/2010 in its body, its date cut off
    # by the end of the opening ("ngày 30/1")
    "botttt_2022_5740_btttt_ttdn.txt": (
        "5740/BTTTT-TTĐN", date(2022, 11, 25), "Hà Nội", "Bộ Thông tin và Truyền thông", 2023, [
            ("based-on", "ND", 72, 2015, "NĐ-CP", date(2015, 9, 7), 28),
            ("based-on", "TT", 22, 2016, "TT-BTTTT", date(2016, 10, 19), 28),
            ("cites", "ND", 72, 2015, "NĐ-CP", None, 30),
            ("cites", "TT", 22, 2016, "TT-BTTTT", None, 30),
            ("cites", "QD", 79, 2010, "QĐ-TTg", None, 30)]),
    # a table-like header ("… | …"); "Theo đề nghị … tại Công văn số …" cites, not a basis; a
    # "Báo cáo thẩm định số …"
    "camau_2014_06_qd_ubnd.txt": (
        "06/2014/QĐ-UBND", date(2014, 3, 21), "Cà Mau", "Ủy ban nhân dân tỉnh Cà Mau", 2014, [
            ("based-on", "QD", 67, 2011, "QĐ-TTg", date(2011, 12, 12), 5),
            ("cites", "CV", 724, 2013, "VP-NV", date(2013, 8, 2), 5),
            ("cites", "BC", 312, 2013, "BC-STP", date(2013, 12, 5), 5)]),
    # the decree without its year ("72/NĐ-CP"), a letter as "Văn bản số …" with no type segment
    "hatinh_2018_44_kh_ubnd.txt": (
        "44/KH-UBND", date(2018, 2, 8), "Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh", 2018, [
            ("based-on", "ND", 72, 2015, "NĐ-CP", date(2015, 9, 7), 7),
            ("based-on", "TT", 22, 2016, "TT-BTTTT", date(2016, 10, 19), 7),
            ("based-on", "CV", 3616, 2017, "BTTTT-TTĐN", date(2017, 10, 6), 7)]),
    # header and references broken across lines, "07/09/2015", a plan for the next year
    "travinh_2023_1466_qd_ubnd.txt": (
        "1466/QĐ-UBND", date(2023, 9, 29), "Trà Vinh", "Ủy ban nhân dân tỉnh Trà Vinh", 2024, [
            ("based-on", "ND", 72, 2015, "NĐ-CP", date(2015, 9, 7), 19),
            ("based-on", "TT", 22, 2016, "TT-BTTTT", date(2016, 10, 19), 19),
            ("based-on", "CV", 3089, 2023, "BTTTT-TTĐN", date(2023, 7, 31), 19)]),
    # web-page boilerplate before the header; Party numbers with a hyphen, cited in the body
    "tuyenquang_2020_01_ctr_ubnd.txt": (
        "01/CTr-UBND", date(2020, 1, 6), "Tuyên Quang", "Ủy ban nhân dân tỉnh Tuyên Quang", 2020, [
            ("cites", "NQ", 22, 2013, "NQ/TW", date(2013, 4, 10), 25),
            ("cites", "NQ", 38, 2017, "NQ-CP", date(2017, 4, 25), 25),
            ("cites", "NQ", 6, 2016, "NQ/TW", date(2016, 11, 5), 25),
            ("cites", "CT", 25, 2018, "CT/TW", date(2018, 8, 8), 25)]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_opening_as_read_in_the_text(name):
    number, when, place, issuer, covers, refs = EXPECTED[name]
    rp = build_file(OPENINGS / name)
    h = rp.record.header
    assert (h.ref.id_local, h.date, h.place, rp.issuer.vi, h.covers_year) == (number, when, place, issuer, covers)
    got = [(c.relation, c.ref.type_code, c.ref.number, c.ref.year, c.ref.code, c.ref.date, c.span.start)
           for c in rp.record.citations]
    assert got == refs
    assert not any(c.ref.flags for c in rp.record.citations)  # no contradicting date in these openings


def test_a_corpus_of_the_sample_and_the_openings_in_one_command(tmp_path):
    store = tmp_path / "store"
    report = build_documents([SAMPLE, OPENINGS], store=store)
    assert report.failed == 0 and len(report.documents) == 6
    docs = {d["id_local"] for d in query_rows("documents", "--store", store)}
    assert docs == {"101/KH-UBND", *(e[0] for e in EXPECTED.values())}
    # Nghị định 72/2015/NĐ-CP is one node, however each document writes it
    rows = query_rows("citations", "--store", store, params={"doc": "https://w3id.org/vnplan/id/legal/nd/2015/72/cp"})
    assert {r["plan"] for r in rows} == {"Kế hoạch 101/KH-UBND", "Công văn 5740/BTTTT-TTĐN", "Kế hoạch 44/KH-UBND",
                                         "Quyết định 1466/QĐ-UBND"}
    decree = [r for r in query_rows("legal-documents", "--store", store) if r["code"] == "NĐ-CP" and r["number"] == "72"]
    # four plans rest on it (Hà Tĩnh writes "72/NĐ-CP"); the 5740 letter also cites it in a section
    assert len(decree) == 1 and decree[0]["citations"] == 5
    # agencies are scoped to their province; national bodies are shared
    agencies = {r["agency"] for r in query_rows("agencies", "--store", store)}
    assert "https://w3id.org/vnplan/id/agency/bo-thong-tin-va-truyen-thong" in agencies
    ubnd = {a for a in agencies if a.endswith("/ubnd")}
    assert {a.rsplit("/", 2)[1] for a in ubnd} >= {"ha-noi", "ca-mau", "ha-tinh", "tra-vinh", "tuyen-quang"}


def test_a_trace_goes_past_the_plan_when_its_basis_is_built_too(tmp_path):
    """The Ministry's letter 5740/BTTTT-TTĐN is a basis of the Hà Nội plan and is itself built:
    a trace follows it to the decree and the circular it rests on."""
    store = tmp_path / "store"
    out = cli("build", SAMPLE, OPENINGS, "--store", store).stdout
    assert "botttt_2022_5740_btttt_ttdn.txt │ cv/2022/5740/btttt-ttdn" in out  # the per-document report
    import json
    steps = json.loads(cli("trace", "I.8", "--store", store, "--format", "json").stdout)
    beyond = [(s["document_label"], s["via_label"], s["source"]["label"], s["source"]["lines"]) for s in steps
              if s["step"] == 4]
    # twice each: from the letter as built (line 28) and from the curated record of its public page
    assert sorted(beyond, key=str) == sorted([
        ("Nghị định 72/2015/NĐ-CP", "Công văn 5740/BTTTT-TTĐN", "Công văn 5740/BTTTT-TTĐN", [28, 28]),
        ("Thông tư 22/2016/TT-BTTTT", "Công văn 5740/BTTTT-TTĐN", "Công văn 5740/BTTTT-TTĐN", [28, 28]),
        ("Nghị định 72/2015/NĐ-CP", "Công văn 5740/BTTTT-TTĐN", "Công văn 5740/BTTTT-TTĐN", []),
        ("Thông tư 22/2016/TT-BTTTT", "Công văn 5740/BTTTT-TTĐN", "Công văn 5740/BTTTT-TTĐN", [])], key=str)


def test_parallel_build_gives_the_same_graph(tmp_path):
    from graph_build.engine.local import named_graphs
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    cli("build", SAMPLE, OPENINGS, "--store", serial, "-q")
    cli("build", SAMPLE, OPENINGS, "--store", parallel, "-q", "--jobs", "2")
    a, b = named_graphs(store=serial), named_graphs(store=parallel)
    assert {g: sorted(map(str, q)) for g, q in a.items()} == {g: sorted(map(str, q)) for g, q in b.items()}
