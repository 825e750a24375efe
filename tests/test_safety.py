"""Nothing lost: a build killed with SIGKILL leaves the previous store intact and queryable;
queries stop at --timeout; servers that fail get clear errors and pushes are retried and can be
run again to a duplicate-free result."""
from __future__ import annotations

import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_build.engine.remote import Endpoint, push_graphs

from . import servers
from .conftest import SAMPLE, cli, query_rows

VNPLAN = str(Path(sys.executable).parent / "vnplan")


def _corpus(where: Path, n: int) -> Path:
    where.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (where / f"plan-{i:02}.txt").write_text(text.replace("Số: 101 /KH-UBND", f"Số: {500 + i} /KH-UBND"),
                                               encoding="utf-8")
    return where


def _documents(store: Path) -> list[str]:
    return [d["id_local"] for d in query_rows("documents", "--store", store)]


@pytest.mark.parametrize("delay", [0.1, 0.6])
def test_a_build_killed_while_storing_leaves_the_previous_store(tmp_path, delay):
    store = tmp_path / "store"
    cli("build", SAMPLE, "--store", store, "-q")
    before = query_rows("tasks", "--store", store)
    corpus = _corpus(tmp_path / "corpus", 8)
    proc = subprocess.Popen([VNPLAN, "build", str(corpus), "--store", str(store)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:  # "storing in DIR …" comes just before the one transaction
        if line.startswith("storing in"):
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    docs = _documents(store)
    assert docs in (["101/KH-UBND"], sorted(["101/KH-UBND", *(f"{500 + i}/KH-UBND" for i in range(8))])), docs
    if docs == ["101/KH-UBND"]:
        assert query_rows("tasks", "--store", store) == before  # exactly as it was
    # and the store takes the next build, which is idempotent
    cli("build", corpus, "--store", store, "-q")
    cli("build", corpus, "--store", store, "-q")
    assert len(_documents(store)) == 9 and len(query_rows("tasks", "--store", store)) == 9 * 49


def test_a_query_that_runs_too_long_is_stopped(sample_store, tmp_path):
    slow = tmp_path / "slow.rq"
    slow.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")
    t0 = time.monotonic()
    r = cli("query", slow, "--store", sample_store, "--timeout", "1", expect=2)
    assert "no complete answer within 1 s (stopped; raise --timeout to wait longer)" in r.stderr
    assert time.monotonic() - t0 < 10
    r = cli("query", slow, "--graph", sample_store.parent.parent / "nope.ttl", expect=2)
    assert "no such graph file" in r.stderr


# --- servers that fail ----------------------------------------------------------------------------

class _Flaky(http.server.BaseHTTPRequestHandler):
    """A Graph Store that answers 503 to the first *fail* requests, 500 to POSTed queries, and
    records what it stored."""
    fail = 0
    calls: list[str] = []
    stored: dict[str, bytes] = {}

    def do_PUT(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Flaky.calls.append(self.path)
        if len(_Flaky.calls) <= _Flaky.fail:
            self.send_response(503)
            self.end_headers()
            return
        _Flaky.stored[self.path] = body
        self.send_response(204)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        if self.command == "POST":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"Internal error: the database is on fire\n")

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    _Flaky.calls, _Flaky.stored = [], {}
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


def test_push_retries_transient_errors(flaky, sample_ttl):
    _Flaky.fail = 2
    out = cli("push", "--graph", sample_ttl, "--graph-iri", "https://example.org/g", "--endpoint", f"{flaky}/query",
              "--store-url", f"{flaky}/store").stdout
    assert "pushed 1 graphs" in out
    assert len(_Flaky.calls) == 3 and len(_Flaky.stored) == 1  # two 503s, then stored


def test_push_gives_up_with_one_line_after_retries(flaky, sample_ttl):
    _Flaky.fail = 100
    t0 = time.monotonic()
    r = cli("push", "--graph", sample_ttl, "--graph-iri", "https://example.org/g", "--endpoint", f"{flaky}/query",
            "--store-url", f"{flaky}/store", expect=2)
    assert "HTTP 503" in r.stderr and r.stderr.count("\n") == 1
    assert len(_Flaky.calls) == 5 and time.monotonic() - t0 < 30  # 1 try + 4 retries with backoff


def test_a_server_error_is_one_clear_line(flaky):
    r = cli("query", "tasks", "--endpoint", f"{flaky}/sparql", expect=2)
    assert r.stderr == (f"vnplan: error: {flaky}/sparql: the server failed (HTTP 500): "
                        "Internal error: the database is on fire\n")


def test_an_interrupted_push_can_be_run_again(tmp_path, sample_store):
    """Half a graph loaded (a push cut off in the middle of its update batches), then push again:
    the same triples as a clean push, no duplicates."""
    servers.require("oxigraph")
    from graph_build.engine.local import named_graphs
    graphs = named_graphs(store=sample_store)
    with servers.oxigraph_server(tmp_path / "db") as srv:
        ep = Endpoint(srv.query_url, update_url=srv.update_url)
        doc = "https://w3id.org/vnplan/graph/legal/kh/2023/101/ubnd-ha-noi"
        half = {doc: graphs[doc][: len(graphs[doc]) // 2]}
        push_graphs(half, ep)
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc}> {{ ?s ?p ?o }} }}"
        from graph_build.catalogue import open_engine
        assert open_engine(endpoint=ep).query(count).rows[0]["n"] == len(graphs[doc]) // 2
        cli("push", "--store", sample_store, "--endpoint", srv.query_url, "--update-url", srv.update_url, "-q")
        assert open_engine(endpoint=ep).query(count).rows[0]["n"] == len(graphs[doc])
        assert json.dumps(query_rows("tasks", "--endpoint", srv.query_url)) == json.dumps(
            query_rows("tasks", "--store", sample_store))


def test_a_new_store_is_bulk_loaded_then_renamed_into_place(tmp_path):
    """A first build writes a new store in one step (bulk load beside it, then rename); a rebuild
    goes through one SPARQL update. Both give the same quads."""
    from graph_build.engine.local import named_graphs
    fresh, rebuilt = tmp_path / "fresh", tmp_path / "rebuilt"
    cli("build", SAMPLE, "--store", fresh, "-q")
    cli("build", SAMPLE, "--store", rebuilt, "-q")
    cli("build", SAMPLE, "--store", rebuilt, "-q")  # the update path, replacing every graph
    a, b = named_graphs(store=fresh), named_graphs(store=rebuilt)
    assert {g: sorted(map(str, q)) for g, q in a.items()} == {g: sorted(map(str, q)) for g, q in b.items()}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary directory left


def test_a_first_build_killed_leaves_no_half_store(tmp_path):
    store = tmp_path / "store"
    corpus = _corpus(tmp_path / "corpus", 8)
    proc = subprocess.Popen([VNPLAN, "build", str(corpus), "--store", str(store)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        if line.startswith("storing in"):
            break
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if store.exists():  # the rename happened before the kill: the whole store
        assert len(_documents(store)) == 8
    cli("build", corpus, "--store", store, "-q")
    assert len(_documents(store)) == 8
