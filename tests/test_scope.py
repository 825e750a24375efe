"""The ``within`` scope of the catalogue: a query scoped to one plan of a corpus answers what the
same query answers on a graph of that plan alone, on the embedded engine and on rdflib."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph_build.build import build_documents
from graph_build.catalogue import find_query, load_catalogue, open_engine, run_query
from graph_build.errors import QueryError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data/samples/hanoi-2023-101-KH-UBND.txt"
TINY = ROOT / "tests/data/tiny-plan.txt"
FOLLOWUP = ROOT / "tests/data/tiny-followup.txt"
SCOPED = sorted(n for n, q in load_catalogue().items() if any(p.name == "within" for p in q.params))
# What a plan says about the documents it cites is pooled across plans (the shared graph), so a
# cited document's date or issuer may come from another plan of the corpus; and a possible
# duplicate needs the other plan. Those columns are compared on the corpus, not on one plan.
CORPUS_WIDE = {"legal-documents": ("type", "number", "year", "code", "date", "issuer"),
               "quality": ()}


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    d = tmp_path_factory.mktemp("scope")
    out = {"corpus": d / "corpus.ttl", "sample": d / "sample.ttl", "tiny": d / "tiny.ttl"}
    build_documents([SAMPLE, TINY, FOLLOWUP], out=out["corpus"])
    build_documents([SAMPLE], out=out["sample"])
    build_documents([TINY], out=out["tiny"])
    return out


def test_the_scoped_queries():
    assert SCOPED == ["assignments", "citation-links", "coordination", "feedback", "instruments", "legal-documents",
                      "quality", "tasks", "tasks-by-agency", "tasks-due"]
    for name in SCOPED:
        (p,) = [p for p in find_query(name).params if p.name == "within"]
        assert (p.type, p.default) == ("plan", "*")


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("name", SCOPED)
def test_one_plan_of_a_corpus_is_that_plan_alone(graphs, name, engine):
    q = find_query(name)
    params = q.example_params()
    if name == "tasks-due":
        params = {"from": "2023-01-01", "to": "2024-12-31"}
    corpus = open_engine(graph=graphs["corpus"], engine=engine)
    for plan, alone, words in (("sample", graphs["sample"], "101/KH-UBND"), ("tiny", graphs["tiny"], "7/KH-UBND")):
        want = run_query(name, params, graph=alone, engine=engine).rows
        got = run_query(name, {**params, "within": words}, engine=corpus).rows
        if name == "quality":
            got = [r for r in got if r["kind"] != "possible-duplicate"]
            want = [r for r in want if r["kind"] != "possible-duplicate"]
        drop = CORPUS_WIDE.get(name, ())
        assert [{k: v for k, v in r.items() if k not in drop} for r in got] == \
               [{k: v for k, v in r.items() if k not in drop} for r in want], (name, plan)
        assert want or name in ("feedback", "instruments", "quality") and plan == "tiny", (name, plan)


def test_scope_by_iri_number_or_title_words_and_no_match(graphs):
    eng = open_engine(graph=graphs["corpus"])
    by_iri = run_query("tasks", {"within": "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi"}, engine=eng).rows
    assert len(by_iri) == 49
    assert run_query("tasks", {"within": "101/kh-ubnd"}, engine=eng).rows == by_iri
    assert run_query("tasks", {"within": "thông tin đối ngoại năm 2023"}, engine=eng).rows == by_iri
    # whole words only: "1/KH-UBND" names neither 101/KH-UBND nor 7/KH-UBND
    assert run_query("tasks", {"within": "1/KH-UBND"}, engine=eng).rows == []
    everything = run_query("tasks", engine=eng).rows
    assert run_query("tasks", {"within": "*"}, engine=eng).rows == everything
    assert len(everything) > len(by_iri)


def test_a_scope_through_the_cli(graphs):
    from .conftest import query_rows
    rows = query_rows("assignments", "--graph", graphs["corpus"], "-p", "within=7/KH-UBND")
    assert rows and {r["plan"] for r in rows} == {"https://w3id.org/vnplan/id/legal/kh/2024/7/ubnd-ha-noi"}


def test_an_entity_parameter_needs_an_engine():
    with pytest.raises(QueryError, match="an engine is needed"):
        find_query("tasks").bindings({"within": "101/KH-UBND"})


def test_network_of_one_plan_of_a_corpus(graphs):
    from graph_build.network import build_network
    corpus = open_engine(graph=graphs["corpus"])
    for kind in ("coordination", "citation"):
        one = build_network(kind, corpus, within="101/KH-UBND").graph
        alone = build_network(kind, open_engine(graph=graphs["sample"])).graph
        assert sorted(one.edges(data="weight")) == sorted(alone.edges(data="weight")), kind
        assert one.number_of_nodes() == alone.number_of_nodes() > 20, kind
    whole = build_network("coordination", corpus).graph
    assert whole.number_of_edges() > build_network("coordination", corpus, within="101/KH-UBND").graph.number_of_edges()


def test_network_command_within(graphs):
    from .conftest import cli
    out = cli("network", "--graph", graphs["corpus"], "--within", "7/KH-UBND").stdout
    assert "Kế hoạch 7/KH-UBND" in out and "101/KH-UBND" not in out
    bad = cli("network", "--graph", graphs["corpus"], "--within", "999/KH-UBND", expect=2)
    assert bad.stderr.strip().count("\n") == 0 and "no plan matches --within" in bad.stderr
