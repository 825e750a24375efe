"""Real SPARQL servers on 127.0.0.1: the Oxigraph server (PyPI `oxigraph`) and Virtuoso (Debian),
loaded with `vnplan push`, queried through SPARQLWrapper, compared row for row with the embedded
store and rdflib; `vnplan serve`; what vnplan sends over HTTP; timeouts and refused credentials."""
from __future__ import annotations

import http.server
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph_build.catalogue import load_catalogue, run_query
from graph_build.engine.remote import Endpoint

from . import servers
from .conftest import cli, query_rows
from .test_queries import NASTY

DOC_GRAPH = "https://w3id.org/vnplan/graph/legal/kh/2023/101/ubnd-ha-noi"
CATALOGUE = sorted(load_catalogue())


def _count(endpoint: Endpoint, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return run_query_text(q, endpoint)[0]["n"]


def run_query_text(text: str, endpoint: Endpoint) -> list[dict]:
    from graph_build.catalogue import open_engine
    return open_engine(endpoint=endpoint).query(text).rows


def _push(sample_store, *args: str) -> str:
    return cli("push", "--store", sample_store, *args).stdout


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory, sample_store):
    servers.require("oxigraph")
    with servers.oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as srv:
        out = _push(sample_store, "--endpoint", srv.query_url)  # /update and /store derived from /query
        assert "pushed 6 graphs" in out and "(graph-store," in out
        yield srv


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, sample_store):
    servers.require("virtuoso")
    with servers.virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as srv:
        # /sparql-graph-crud-auth derived from /sparql because credentials are given
        out = _push(sample_store, "--endpoint", srv.query_url, "--user", "dba", "--password", "dba", "--auth", "digest")
        assert "pushed 6 graphs" in out
        yield srv


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("name", CATALOGUE)
def test_every_query_gives_the_same_rows_on_every_engine(name, sample_store, sample_ttl, oxigraph, virtuoso):
    params = load_catalogue()[name].example_params()
    def rows(**where) -> str:  # as JSON text: true and 1 differ there, as they do for a user
        return json.dumps(run_query(name, params, **where).rows, ensure_ascii=False, indent=0)

    local = rows(store=sample_store)
    assert local != "[]", f"{name}: the example finds nothing"
    assert rows(graph=sample_ttl, engine="rdflib") == local, "rdflib"
    assert rows(endpoint=oxigraph.query_url) == local, "oxigraph server"
    assert rows(endpoint=virtuoso.query_url) == local, "virtuoso"


def test_the_cli_queries_an_endpoint(server):
    rows = query_rows("tasks-by-agency", "--endpoint", server.query_url, params={"agency": "so ngoai vu"})
    assert [r["ref"] for r in rows if r["role"] == "lead"] == ["II.1", "II.2", "II.3", "II.4", "II.5"]
    out = cli("trace", "I.5", "--endpoint", server.query_url, "--format", "json").stdout
    assert [s["document_label"] for s in json.loads(out) if s["step"] == 2] == ["Quyết định 1079/QĐ-TTg"]


def test_pushing_again_replaces_never_duplicates(server, sample_store):
    ep = Endpoint(server.query_url, user=server.user, password=server.password, auth=server.auth or "basic")
    before = _count(ep, DOC_GRAPH)
    assert before > 4000
    args = ["--endpoint", server.query_url]
    if server.user:
        args += ["--user", server.user, "--password", server.password, "--auth", server.auth]
    _push(sample_store, *args)
    assert _count(ep, DOC_GRAPH) == before
    assert len(query_rows("tasks", "--endpoint", server.query_url)) == 49


def test_push_by_sparql_update_in_batches(oxigraph, sample_store):
    """The fallback for servers without the Graph Store Protocol: DROP, then INSERT DATA batches.
    (Not on Virtuoso 7.2: its SPARQL Update cannot store an xsd:duration literal, and turns
    booleans into integers; vnplan writes to Virtuoso through its Graph Store endpoint.)"""
    ep = Endpoint(oxigraph.query_url)
    before = _count(ep, DOC_GRAPH)
    out = _push(sample_store, "--endpoint", oxigraph.query_url, "--update-url", oxigraph.update_url)
    assert "(update," in out and _count(ep, DOC_GRAPH) == before
    assert json.dumps(query_rows("feedback", "--endpoint", oxigraph.query_url)).count('"accepted": true') == 9


def test_refused_credentials_are_one_clear_line(virtuoso, sample_store):
    r = cli("push", "--store", sample_store, "--endpoint", virtuoso.query_url, "--user", "dba",
            "--password", "wrong", "--auth", "digest", expect=2)
    assert "refused the credentials (HTTP 401)" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("value", NASTY)
def test_a_parameter_value_is_only_a_string_on_servers(value, server, tmp_path):
    echo = tmp_path / "echo.rq"
    echo.write_text("# title: echo\n# param: v: string — anything\nSELECT ?echo WHERE { BIND(STR(?v) AS ?echo) }\n")
    assert run_query(str(echo), {"v": value}, endpoint=server.query_url).rows == [{"echo": value}]
    assert query_rows("search", "--endpoint", server.query_url, params={"text": value}) == []
    assert len(query_rows("tasks", "--endpoint", server.query_url)) == 49


def test_an_update_is_refused_before_reaching_the_server(server, tmp_path):
    drop = tmp_path / "drop.rq"
    drop.write_text("DROP ALL")
    r = cli("query", drop, "--endpoint", server.query_url, expect=2)
    assert "only reads" in r.stderr
    assert len(query_rows("tasks", "--endpoint", server.query_url)) == 49


# --- what vnplan sends, and a server that stalls --------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, str]]] = []
    ANSWER = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}}).encode()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, dict(self.headers)))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(self.ANSWER)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}/sparql", _Recorder.seen
    srv.shutdown()


def test_user_agent_post_for_long_queries_and_basic_auth(recorder, tmp_path):
    url, seen = recorder
    short, long_ = tmp_path / "short.rq", tmp_path / "long.rq"
    short.write_text("SELECT ?n WHERE { BIND(1 AS ?n) }")
    long_.write_text("SELECT ?n WHERE { BIND(1 AS ?n) }\n" + "# padding\n" * 300)
    assert query_rows(str(short), "--endpoint", url) == [{"n": 1}]
    query_rows(str(long_), "--endpoint", url)
    query_rows(str(short), "--endpoint", url, "--post", "--user", "ana", "--password", "s3cret")
    (m1, h1), (m2, _), (m3, h3) = seen
    assert (m1, m2, m3) == ("GET", "POST", "POST")
    assert h1["User-Agent"].startswith("vnplan/")
    import base64
    assert h3["Authorization"] == "Basic " + base64.b64encode(b"ana:s3cret").decode()


def test_timeout_bounds_a_server_that_stalls():
    """A server that accepts and then trickles one byte a second: the request gives up at --timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def stall():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 99999\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b" ")
            except OSError:
                break
            time.sleep(0.5)
        conn.close()

    threading.Thread(target=stall, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    t0 = time.monotonic()
    r = cli("query", "tasks", "--endpoint", url, "--timeout", "2", expect=2)
    elapsed = time.monotonic() - t0
    stop.set()
    listener.close()
    assert "no complete answer within 2 s" in r.stderr and r.stderr.count("\n") == 1
    assert elapsed < 10  # bounded: a socket timeout alone would wait for ever on a trickle


def test_unreachable_endpoint_is_one_clear_line():
    port = servers.free_port()
    r = cli("query", "tasks", "--endpoint", f"http://127.0.0.1:{port}/query", expect=2)
    assert "cannot connect" in r.stderr and r.stderr.count("\n") == 1


# --- vnplan serve ---------------------------------------------------------------------------------

def _listening_on(port: int) -> list[str]:
    """Addresses with a listening TCP socket on *port*, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port:
                found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]) if len(addr) == 8 else addr)
    return found


def test_serve_gives_a_read_only_endpoint_on_loopback(sample_ttl):
    servers.require("oxigraph")
    port = servers.free_port()
    vnplan = Path(sys.executable).parent / "vnplan"
    proc = subprocess.Popen([str(vnplan), "serve", "--graph", str(sample_ttl), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query (read-only)\n", proc.stderr.read()
        url = f"http://127.0.0.1:{port}/query"
        assert len(query_rows("tasks", "--endpoint", url)) == 49
        import urllib.error
        import urllib.request
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/update", data=b"DROP ALL",
                headers={"Content-Type": "application/sparql-update"}), timeout=10)
        assert len(query_rows("tasks", "--endpoint", url)) == 49
        assert _listening_on(port) == ["127.0.0.1"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    assert proc.returncode in (0, 130, -signal.SIGINT)


def test_library_round_trip_on_a_writable_local_server(sample_store):
    """What notebook 04 does: an empty local server, push, the same answers as the store."""
    from graph_build.engine.local import named_graphs
    from graph_build.engine.remote import push_graphs
    from graph_build.engine.server import start_server
    from graph_build.network import actors, build_network
    servers.require("oxigraph")
    with start_server(writable=True) as srv:
        pushed = push_graphs(named_graphs(store=sample_store), srv.endpoint)
        assert [p.via for p in pushed] == ["graph-store"] * 6
        remote = build_network("coordination", open_engine_for(srv.endpoint))
        local = build_network("coordination", open_engine_for(None, sample_store))
        assert sorted(actors(remote.graph).edges(data="weight")) == sorted(actors(local.graph).edges(data="weight"))
        assert remote.documents == local.documents
    assert srv.process.poll() is not None and not srv.location.exists()


def open_engine_for(endpoint, store=None):
    from graph_build.catalogue import open_engine
    return open_engine(store=store, endpoint=endpoint)
