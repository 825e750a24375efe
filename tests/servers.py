"""Real SPARQL servers on 127.0.0.1 for tests: Oxigraph (``oxigraph serve``) and Virtuoso 7.

Stdlib only. Each context manager starts a server on free ports, waits until it answers
and stops it at exit::

    with oxigraph_server(tmp_path) as srv:
        srv.put_graph("http://example.org/g", '<http://e/s> <http://e/p> "Sở" .')
        srv.query("SELECT * WHERE { ?s ?p ?o }")["results"]["bindings"]

Run ``python tests/servers.py`` for a self-test of both servers.
"""
from __future__ import annotations

import base64
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REQUIRE_ENV = "VNPLAN_REQUIRE_SERVERS"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    """A running SPARQL server; ``store_url`` takes ``?graph=IRI`` (Graph Store Protocol)."""

    kind: Literal["oxigraph", "virtuoso"]
    query_url: str
    update_url: str
    store_url: str
    user: str | None = None
    password: str | None = None
    auth: Literal["basic", "digest"] | None = None
    log: Path | None = None

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60,
                authenticate: bool = True) -> bytes:
        """Send one HTTP request (authenticated per ``auth``); raise ``RuntimeError`` on >= 400."""
        headers = dict(headers or {})
        if authenticate and self.auth == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        elif authenticate and self.auth == "digest":
            headers["Authorization"] = self._digest(method, url, timeout)
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                data: bytes = resp.read()
                return data
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {url} -> {e.code}: {e.read()[:2000]!r}") from None

    def _digest(self, method: str, url: str, timeout: float) -> str:
        """Digest ``Authorization`` for *method url*, from the challenge to a bodyless GET.

        Sent up front because Virtuoso answers 401 and closes the connection before reading
        a large body, so urllib's retry-on-401 digest handler fails with a broken pipe.
        """
        try:
            urllib.request.urlopen(url, timeout=timeout).close()
            raise RuntimeError(f"{url} did not ask for authentication")
        except urllib.error.HTTPError as e:
            status, challenge = e.code, e.headers.get("WWW-Authenticate", "")
            e.close()
        scheme, _, params = challenge.partition(" ")
        if status != 401 or scheme.lower() != "digest":
            raise RuntimeError(f"GET {url} -> {status}, expected a digest challenge: {challenge!r}")
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, self.user or "", self.password or "")
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
        auth = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(
            urllib.request.Request(url, method=method), chal)
        if auth is None:
            raise RuntimeError(f"cannot answer digest challenge {challenge!r}")
        return f"Digest {auth}"

    def put_graph(self, graph: str, data: str | bytes, content_type: str = "text/turtle") -> None:
        """Replace named graph *graph* with *data* (Graph Store Protocol PUT)."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        self.request("PUT", url, body, {"Content-Type": f"{content_type}; charset=utf-8"})

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (form-encoded POST)."""
        self.request("POST", self.update_url, urllib.parse.urlencode({"update": sparql}).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"})

    def query(self, sparql: str) -> dict[str, Any]:
        """Run a SELECT/ASK query (unauthenticated POST); return the SPARQL JSON results."""
        body = urllib.parse.urlencode({"query": sparql}).encode()
        results: dict[str, Any] = json.loads(self.request("POST", self.query_url, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"}, authenticate=False))
        return results


def find_oxigraph() -> str | None:
    """The ``oxigraph`` CLI: $VNPLAN_OXIGRAPH, next to sys.executable (venv), else on PATH."""
    if env := os.environ.get("VNPLAN_OXIGRAPH"):
        return env
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if os.access(local, os.X_OK) else shutil.which("oxigraph")


def find_virtuoso() -> str | None:
    """The ``virtuoso-t`` server binary: $VNPLAN_VIRTUOSO, else on PATH or /usr/bin."""
    if env := os.environ.get("VNPLAN_VIRTUOSO"):
        return env
    return shutil.which("virtuoso-t") or shutil.which("virtuoso-t", path="/usr/bin:/usr/local/bin")


def require(kind: Literal["oxigraph", "virtuoso"]) -> str:
    """Binary for *kind*, else ``pytest.skip`` (``pytest.fail`` if $VNPLAN_REQUIRE_SERVERS=1)."""
    found = find_oxigraph() if kind == "oxigraph" else find_virtuoso()
    if found:
        return found
    import pytest  # only callers inside pytest get here

    how = ("pip install 'oxigraph>=0.5,<0.6'" if kind == "oxigraph"
           else "run .ci/install-servers (apt-get install virtuoso-opensource-7-bin)")
    reason = f"{kind} server binary not found: {how}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
    raise AssertionError("unreachable")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    """Poll ``url`` with ``ASK {}`` until it answers 200; fail early if the process died."""
    probe = f"{url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; log:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout}s; log:\n{_tail(log)}")


def _tail(log: Path, n: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _die_with_parent() -> None:
    """In the child: get SIGKILL if the test process dies without cleaning up (Linux only)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(proc: subprocess.Popen[bytes], grace: float = 15) -> None:
    """SIGTERM the process group, then SIGKILL it if still alive after *grace* seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
    try:  # anything left in the group (none expected)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@contextmanager
def _running(cmd: list[str], cwd: Path, log: Path, ready_url: str, timeout: float) -> Iterator[None]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_die_with_parent)
    try:
        _wait_ready(proc, ready_url, log, timeout)
        yield
    finally:
        _stop(proc)


@contextmanager
def oxigraph_server(workdir: Path, read_only: bool = False, timeout: float = 30) -> Iterator[Server]:
    """``oxigraph serve`` on the store in *workdir* (created if missing), union default graph.

    With *read_only* it runs ``serve-read-only``: *workdir* must hold an existing store.
    """
    binary = find_oxigraph()
    if binary is None:
        raise RuntimeError("oxigraph binary not found (pip install 'oxigraph>=0.5,<0.6')")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = workdir.parent / f"{workdir.name}.oxigraph.log"  # outside the store directory
    cmd = [binary, "serve-read-only" if read_only else "serve", "--location", str(workdir),
           "--bind", f"{HOST}:{port}", "--union-default-graph"]
    with _running(cmd, workdir.parent, log, f"{base}/query", timeout):
        yield Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", log=log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort           = {sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., {workdir}
NumberOfBuffers      = 2000
MaxDirtyBuffers      = 1500
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = {http_port}
ServerRoot           = {workdir}/vsp
MaxClientConnections = 8
ServerThreads        = 8
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
"""


@contextmanager
def virtuoso_server(workdir: Path, timeout: float = 90) -> Iterator[Server]:
    """``virtuoso-t +foreground`` with a database in *workdir*; writes as dba/dba (digest).

    Writes: ``store_url`` (``/sparql-graph-crud-auth``) and ``update_url`` (``/sparql-auth``).
    """
    binary = find_virtuoso()
    if binary is None:
        raise RuntimeError("virtuoso-t not found (apt-get install virtuoso-opensource-7-bin)")
    workdir = Path(workdir).resolve()
    (workdir / "db").mkdir(parents=True, exist_ok=True)
    (workdir / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=workdir / "db", workdir=workdir,
                                       sql_port=sql_port, http_port=http_port))
    base = f"http://{HOST}:{http_port}"
    log = workdir / "server.log"
    cmd = [binary, "+foreground", "+configfile", str(ini)]
    with _running(cmd, workdir, log, f"{base}/sparql", timeout):
        yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth",
                     f"{base}/sparql-graph-crud-auth", "dba", "dba", "digest", log)


def _self_test() -> None:
    import tempfile
    import unicodedata

    text = unicodedata.normalize("NFC", "Sở Thông tin và Truyền thông")
    graph = "http://example.org/g/selftest"
    ttl = f'<http://e/s> <http://e/name> "{text}"@vi ; <http://e/kind> "Nghị định" .\n'
    q = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <http://e/s> <http://e/name> ?o }} }}"
    with tempfile.TemporaryDirectory() as tmp:
        starters: dict[str, Callable[[Path], AbstractContextManager[Server]]] = {
            "oxigraph": oxigraph_server, "virtuoso": virtuoso_server}
        for name, start in starters.items():
            if (find_oxigraph() if name == "oxigraph" else find_virtuoso()) is None:
                print(f"SKIP {name}: binary not found")
                if os.environ.get(REQUIRE_ENV) == "1":
                    sys.exit(f"{REQUIRE_ENV}=1 but {name} is missing")
                continue
            t0 = time.monotonic()
            with start(Path(tmp) / name) as srv:
                up = time.monotonic() - t0
                srv.put_graph(graph, ttl)
                srv.put_graph(graph, ttl)  # PUT replaces: still one row
                rows = srv.query(q)["results"]["bindings"]
                assert [r["o"]["value"] for r in rows] == [text], rows
                srv.update(f"DROP SILENT GRAPH <{graph}>")
                srv.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <http://e/s> <http://e/name> "{text}" }} }}')
                rows = srv.query(q)["results"]["bindings"]
                assert [r["o"]["value"] for r in rows] == [text], rows
                print(f"OK {name}: started in {up:.1f}s, {srv.query_url}")
    print("OK")


if __name__ == "__main__":
    _self_test()
