"""Every command through the CLI on the sample, and the errors a user meets."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Graph

from .conftest import OPENINGS, SAMPLE, cli, query_rows


def test_build_prints_the_summary_and_writes_every_format(tmp_path):
    for ext in ("ttl", "nt", "jsonld", "trig", "nq"):
        out = tmp_path / f"sample.{ext}"
        r = cli("build", SAMPLE, "-o", out)
        assert "documents" in r.stdout and "49" in r.stdout and f"wrote {out}" in r.stdout
        assert out.stat().st_size > 100_000
    g = Graph().parse(tmp_path / "sample.jsonld", format="json-ld")
    assert len(g) == len(Graph().parse(tmp_path / "sample.ttl"))
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary file


def test_build_into_a_store_then_query_it(tmp_path):
    store = tmp_path / "store"
    cli("build", SAMPLE, "--store", store)
    assert len(query_rows("tasks", "--store", store)) == 49
    cli("build", SAMPLE, "--store", store)  # rebuilding replaces the document's graph
    assert len(query_rows("tasks", "--store", store)) == 49
    assert len(query_rows("feedback", "--store", store)) == 48


def test_default_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("graph_build.engine.DEFAULT_STORE", Path(".vnplan/store"))
    cli("build", SAMPLE)
    assert (tmp_path / ".vnplan" / "store").is_dir()
    assert query_rows("documents")[0]["id_local"] == "101/KH-UBND"


def test_document_without_appendix_still_builds(tmp_path):
    out = tmp_path / "hatinh.ttl"
    cli("build", OPENINGS / "hatinh_2018_44_kh_ubnd.txt", "-o", out)
    (doc,) = query_rows("documents", "--graph", out)
    assert (doc["id_local"], doc["date"], doc["place"], doc["issuer"]) == (
        "44/KH-UBND", "2018-02-08", "Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh")
    bases = {r["doc"].split("/legal/")[1]: r for r in query_rows("legal-documents", "--graph", out)}
    assert set(bases) == {"nd/2015/72/cp", "tt/2016/22/btttt", "cv/2017/3616/btttt-ttdn"}
    assert {r["relation"] for r in bases.values()} == {"based_on"}
    assert query_rows("tasks", "--graph", out) == []


def test_bad_files_give_one_line_and_the_good_ones_still_build(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    headless = tmp_path / "headless.txt"
    headless.write_text("Một văn bản không có số hiệu.\n")
    out = tmp_path / "batch.ttl"
    r = cli("build", empty, tmp_path / "missing.txt", headless, SAMPLE, "-o", out, expect=1)
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert errors == [f"error: {empty}: file is empty",
                      f"error: {tmp_path / 'missing.txt'}: no such file",
                      f"error: {headless}:1: no document number ('Số: …') in the header"]
    assert "Traceback" not in r.output
    assert len(query_rows("tasks", "--graph", out)) == 49


def test_validate_exit_codes(sample_ttl, tmp_path):
    assert "conforms" in cli("validate", "--graph", sample_ttl).stdout
    broken = tmp_path / "broken.ttl"
    g = Graph().parse(sample_ttl)
    g.remove((None, __import__("rdflib").URIRef("https://schema.org/agent"), None))
    g.serialize(broken, format="turtle")
    r = cli("validate", "--graph", broken, expect=1)
    assert "does not conform: 49 violations" in r.stderr
    r = cli("validate", "--graph", tmp_path / "nothing.ttl", expect=2)
    assert r.stderr.startswith("vnplan: error:") and r.stderr.count("\n") == 1


def test_strict_turns_warnings_into_failure(tmp_path):
    plan = tmp_path / "plan.txt"
    text = (Path(__file__).parent / "data" / "tiny-plan.txt").read_text(encoding="utf-8")
    plan.write_text(text.replace("Sở Ngoại vụ\tSở Thông tin", "Sở Không Có Thật\tSở Thông tin"), encoding="utf-8")
    r = cli("build", plan, "-o", tmp_path / "p.ttl")
    assert "unresolved agency 'Sở Không Có Thật'" in r.stderr
    cli("build", plan, "-o", tmp_path / "p.ttl", "--strict", expect=1)


def test_installed_command_runs():
    exe = shutil.which("vnplan") or str(Path(sys.executable).parent / "vnplan")
    r = subprocess.run([exe, "queries"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "legal-documents" in r.stdout


def test_rebuilding_one_document_keeps_the_others(tmp_path):
    store = tmp_path / "store"
    hatinh = OPENINGS / "hatinh_2018_44_kh_ubnd.txt"
    cli("build", SAMPLE, hatinh, "--store", store)
    cli("build", SAMPLE, "--store", store)
    docs = {r["id_local"] for r in query_rows("documents", "--store", store)}
    assert docs == {"101/KH-UBND", "44/KH-UBND"}
    decree = [r for r in query_rows("legal-documents", "--store", store) if r["doc"].endswith("/nd/2015/72/cp")]
    assert decree[0]["citations"] == 2  # one node, cited by both plans


def test_directory_without_documents_is_an_error(tmp_path):
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    r = cli("build", empty, "-o", tmp_path / "x.ttl", expect=1)
    assert r.stderr.strip() == f"error: {empty}: directory holds no .docx/.pdf/.txt file"


def test_queries_shows_one_querys_header():
    out = cli("queries", "tasks-due").stdout
    assert out.startswith("tasks-due: Tasks due in a period\n")
    assert "--param from=…  (date) first day of the window" in out and "example: vnplan query tasks-due" in out
    r = cli("queries", "nope", expect=2)
    assert "no query named 'nope'" in r.stderr


def test_push_and_serve_say_what_is_missing(sample_ttl, tmp_path):
    r = cli("push", "--graph", sample_ttl, expect=2)
    assert r.stderr == "vnplan: error: give --endpoint URL (the endpoint's SPARQL query URL)\n"
    r = cli("push", "--endpoint", "http://127.0.0.1:1/query", expect=2)
    assert "give --graph FILE or --store DIR" in r.stderr
    r = cli("push", "--graph", sample_ttl, "--endpoint", "ftp://example.org/sparql", expect=2)
    assert "give the endpoint's http(s) SPARQL query URL" in r.stderr
    r = cli("push", "--graph", sample_ttl, "--endpoint", "http://127.0.0.1:1/somewhere", expect=2)
    assert "cannot tell where to write; give --store-url" in r.stderr
    r = cli("serve", "--store", tmp_path, expect=2)
    assert "no store here" in r.stderr
    r = cli("query", "tasks", "--graph", sample_ttl, "--endpoint", "http://127.0.0.1:1/query", expect=2)
    assert "give one of --graph, --store or --endpoint" in r.stderr
