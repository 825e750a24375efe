"""Corpus statistics counted by ``vnplan build`` (the statistics graph) answer exactly what the
same queries answered when they counted at query time; a store built in several steps is
recounted to the same statistics as one built at once."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from graph_build.build import build_documents
from graph_build.catalogue import find_query, open_engine

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data/samples/hanoi-2023-101-KH-UBND.txt"
TINY = ROOT / "tests/data/tiny-plan.txt"
FOLLOWUP = ROOT / "tests/data/tiny-followup.txt"
REFERENCE = ROOT / "tests/data/counted-at-query-time"  # the queries as they were before the statistics
STATISTICS = "https://w3id.org/vnplan/graph/statistics"
COUNTED = ("agencies", "agency-profile", "coordination", "legal-documents")


def _generated(d: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate_corpus import generate
    finally:
        sys.path.pop(0)
    return generate(6, d, seed=7)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("stats")
    files = [SAMPLE, TINY, FOLLOWUP, *_generated(d / "plans")]
    at_once = build_documents(files, out=d / "corpus.ttl", store=d / "at-once")
    assert at_once.failed == 0
    # rdflib takes minutes on the old queries over more plans: three plans for it
    assert build_documents(files[:3], out=d / "small.ttl").failed == 0
    # the same plans in three builds into one store: each later build recounts the store
    for part in ([SAMPLE], [TINY, FOLLOWUP], files[3:]):
        assert build_documents(part, store=d / "in-steps").failed == 0
    return {"graph": d / "corpus.ttl", "small": d / "small.ttl", "at-once": d / "at-once", "in-steps": d / "in-steps", "files": files}


def _statistics(engine) -> set[tuple]:
    rows = engine.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{STATISTICS}> {{ ?s ?p ?o }} }}").rows
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def _organisations(engine) -> list:
    rows = engine.query("SELECT DISTINCT ?a WHERE { ?a a <http://www.w3.org/ns/org#Organization> }").rows
    return sorted(URIRef(r["a"]) for r in rows)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name", COUNTED)
def test_counted_at_build_time_equals_counted_at_query_time(corpus, name, engine):
    eng = open_engine(graph=corpus["graph" if engine == "oxigraph" else "small"], engine=engine)
    new, old = find_query(name).text, (REFERENCE / f"{name}.rq").read_text(encoding="utf-8")
    bindings = {"agency": _organisations(eng)} if name == "agency-profile" else {}
    got, want = eng.query(new, bindings).rows, eng.query(old, bindings).rows
    assert got == want
    assert len(want) > 10
    if name in ("agencies", "agency-profile"):
        assert sum(int(r["leads"]) for r in want) > 50  # the counts are there, not all zero


def test_the_sample_counts(sample_store):
    eng = open_engine(store=sample_store)
    (row,) = eng.query(find_query("agency-profile").text,
                       {"agency": [URIRef("https://w3id.org/vnplan/id/agency/ha-noi/so-ngoai-vu")]}).rows
    assert (row["leads"], row["coordinates_column"], row["coordinates_text"], row["partners"], row["comments"]) \
        == (5, 4, 1, 4, 1)
    assert len(eng.query(find_query("coordination").text).rows) == 15


def test_a_store_built_in_steps_is_recounted(corpus):
    steps, at_once = (_statistics(open_engine(store=corpus[k])) for k in ("in-steps", "at-once"))
    assert steps == at_once
    assert len(at_once) > 1000
    # building a plan again replaces it: the counts do not double
    assert build_documents([SAMPLE], store=corpus["in-steps"]).failed == 0
    assert _statistics(open_engine(store=corpus["in-steps"])) == at_once


def test_the_statistics_name_the_plans_they_count(corpus):
    eng = open_engine(store=corpus["at-once"])
    rows = eng.query(f"SELECT ?plan WHERE {{ GRAPH <{STATISTICS}> {{ <{STATISTICS}> "
                     "<http://www.w3.org/ns/prov#wasDerivedFrom> ?plan } }").rows
    plans = eng.query("SELECT ?d WHERE { ?d a <https://w3id.org/vnplan/ontology#SourceDocument> }").rows
    assert {str(r["plan"]) for r in rows} == {str(r["d"]) for r in plans}
    assert len(rows) == len(corpus["files"])


def test_scoped_queries_still_count_at_query_time(corpus):
    """With ``within``, coordination and legal-documents count from the plans named, not from the
    whole-corpus statistics."""
    eng = open_engine(store=corpus["at-once"])
    for name in ("coordination", "legal-documents"):
        q = find_query(name)
        whole = eng.query(q.text).rows
        one = eng.query(q.text, q.bindings({"within": "7/KH-UBND"}, eng)).rows
        assert one and len(one) < len(whole), name
