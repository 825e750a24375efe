"""The date-aware agency registry: restructurings recorded with a public source, names resolved to
the agency that existed on the plan's date, and queries that follow successors."""
from __future__ import annotations


import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from graph_build.build import build_file
from graph_build.errors import InputError
from graph_build.resolve import AgencyRegistry
from graph_build.validate import validate_graph
from graph_build.vocab import ORG

from .conftest import SAMPLE, cli, query_rows

HN = "https://w3id.org/vnplan/id/agency/ha-noi/"
SOURCE = "https://nld.com.vn/ha-noi-giam-6-so-con-15-so-sau-khi-sap-xep-sap-nhap-196250225095602691.htm"


@pytest.fixture(scope="module")
def plan_2025(tmp_path_factory):
    """The sample as if issued on 10 April 2025, after Hà Nội's 1 March 2025 restructuring."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("Số: 101 /KH-UBND", "Số: 55 /KH-UBND").replace("Hà Nội, ngày 23 tháng 3 năm 2023",
                                                                      "Hà Nội, ngày 10 tháng 4 năm 2025")
    assert "ngày 10 tháng 4 năm 2025" in text
    f = tmp_path_factory.mktemp("y2025") / "plan-2025.txt"
    f.write_text(text, encoding="utf-8")
    return f


def leads(rp):
    return {t.ref: [l.agency.id for l in links if l.role == "lead"][0]
            for t, links in zip(rp.record.tasks, rp.task_links)}


def test_names_resolve_to_the_agency_of_the_plans_date(sample_plan, plan_2025):
    before, after = leads(sample_plan), leads(build_file(plan_2025))
    assert before["I.1"] == "ha-noi/so-thong-tin-va-truyen-thong" and before["V.1"] == "ha-noi/so-tai-chinh"
    # 2025: the Sở TT&TT had merged into the new Sở KH&CN, the Sở KH&ĐT and Sở Tài chính into the new Sở Tài chính
    assert after["I.1"] == "ha-noi/so-khoa-hoc-va-cong-nghe-2025"
    assert after["VII.1"] == after["V.1"] == "ha-noi/so-tai-chinh-2025"
    assert after["II.1"] == before["II.1"] == "ha-noi/so-ngoai-vu"  # no recorded change


def test_restructurings_are_in_the_graph_with_their_source(tmp_path, plan_2025):
    out = tmp_path / "corpus.ttl"
    cli("build", SAMPLE, plan_2025, "-o", out, "-q")
    g = Graph().parse(out)
    events = set(g.subjects(RDF.type, ORG.ChangeEvent))
    assert len(events) >= 2
    kh = next(e for e in events if (e, ORG.resultingOrganization, URIRef(HN + "so-khoa-hoc-va-cong-nghe-2025")) in g)
    assert set(g.objects(kh, ORG.originalOrganization)) == {URIRef(HN + "so-thong-tin-va-truyen-thong"),
                                                            URIRef(HN + "so-khoa-hoc-va-cong-nghe")}
    assert str(g.value(kh, DCTERMS.date)) == "2025-03-01" and str(g.value(kh, DCTERMS.source)) == SOURCE
    assert validate_graph(g).conforms
    broken = Graph()
    broken += g
    broken.remove((kh, DCTERMS.source, None))
    assert not validate_graph(broken).conforms


def test_queries_follow_successors(tmp_path, plan_2025):
    store = tmp_path / "store"
    cli("build", SAMPLE, plan_2025, "--store", store, "-q")
    rows = query_rows("tasks-by-agency", "--store", store, params={"agency": HN + "so-khoa-hoc-va-cong-nghe-2025"})
    by_plan = {}
    for r in rows:
        if r["role"] == "lead":
            by_plan.setdefault(r["plan"], set()).add((r["agency_iri"].removeprefix(HN), r["successor"].removeprefix(HN)))
    assert by_plan["Kế hoạch 55/KH-UBND"] == {("so-khoa-hoc-va-cong-nghe-2025", "")}
    # the 2023 plan's tasks of the Sở TT&TT come with it, marked as reached through its successor
    assert by_plan["Kế hoạch 101/KH-UBND"] == {("so-thong-tin-va-truyen-thong", "so-khoa-hoc-va-cong-nghe-2025")}
    history = query_rows("agency-history", "--store", store, params={"agency": "Sở Thông tin và Truyền thông"})
    assert [(h["relation"], h["date"], h["other"].removeprefix(HN), h["dissolved"], h["source"]) for h in history] == [
        ("became", "2025-03-01", "so-khoa-hoc-va-cong-nghe-2025", "2025-02-28", SOURCE)]


def test_a_change_must_cite_a_public_source(tmp_path):
    bad = tmp_path / "agencies.toml"
    bad.write_text('[[agency]]\nid = "a"\nvi = "A"\nkind = "other"\n[[agency]]\nid = "b"\nvi = "B"\nkind = "other"\n'
                   '[[change]]\ndate = 2025-03-01\nkind = "merger"\nbefore = ["a"]\nafter = ["b"]\nsource = "hearsay"\n',
                   encoding="utf-8")
    with pytest.raises(InputError, match="source a public URL"):
        AgencyRegistry.load(bad)


def test_curated_documents_cite_their_public_page(tmp_path):
    from graph_build.legal_registry import load_documents
    docs = {d.ref.id_local: d for d in load_documents()}
    assert set(docs) >= {"72/2015/NĐ-CP", "22/2016/TT-BTTTT", "5740/BTTTT-TTĐN", "837/QĐ-TTg"}
    assert all(d.source.startswith(("http://", "https://")) and d.title for d in docs.values())
    nd72 = docs["72/2015/NĐ-CP"]
    assert (nd72.ref.date.isoformat(), nd72.issuer, nd72.bases) == ("2015-09-07", "chinh-phu", ())
    assert "Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001" in nd72.bases_text  # unnumbered: kept as text
    assert [b.id_local for b in docs["837/QĐ-TTg"].bases] == ["26/2017/NĐ-CP", "29/2020/NĐ-CP", "72/2015/NĐ-CP"]
    bad = tmp_path / "docs.toml"
    bad.write_text('[[document]]\nprinted = "Nghị định số 1/2020/NĐ-CP ngày 01/01/2020"\nissuer = "chinh-phu"\n'
                   'title = "x"\nsource = "a friend told me"\n', encoding="utf-8")
    with pytest.raises(InputError, match="source must be the URL of a public page"):
        load_documents(str(bad))


def test_evidence_needs_lines_or_a_public_page(tmp_path):
    out = tmp_path / "s.trig"
    cli("build", SAMPLE, "-o", out, "-q")
    from rdflib import Dataset
    from graph_build.vocab import VNP
    ds = Dataset()
    ds.parse(out, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    assert validate_graph(g).conforms
    page = next(e for e in g.subjects(DCTERMS.source, None) if (e, RDF.type, VNP.Evidence) in g)
    g.remove((page, DCTERMS.source, None))
    assert not validate_graph(g).conforms
