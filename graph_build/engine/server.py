"""A local, read-only Oxigraph SPARQL server (the ``oxigraph`` program from PyPI) over a store
or a graph file, bound to 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError
from .local import file_format, load_graph_file, open_store


def oxigraph_program() -> str:
    """Path of the ``oxigraph`` server program (installed with vnplan, next to this Python)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.is_file() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the Oxigraph server program is missing; install it with 'pip install oxigraph'")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class LocalServer:
    """A running server; ``stop()`` (or leaving the ``with`` block) ends it and removes its temporary store."""

    process: subprocess.Popen
    host: str
    port: int
    location: Path
    temporary: bool
    log: Path = field(default_factory=Path)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def endpoint(self):
        """An ``Endpoint`` for this server (its update and store URLs derived)."""
        from .remote import Endpoint
        return Endpoint(self.query_url)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.temporary:
            shutil.rmtree(self.location, ignore_errors=True)
        if self.log.is_file():
            self.log.unlink()

    def __enter__(self) -> "LocalServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _load_temporary(graph: Path) -> Path:
    file_format(graph)
    if not graph.is_file():
        raise StoreError(f"{graph}: no such graph file")
    location = Path(tempfile.mkdtemp(prefix="vnplan-serve-"))
    try:
        store = load_graph_file(open_store(location), graph)
        store.flush()
    except StoreError:
        shutil.rmtree(location, ignore_errors=True)
        raise
    del store  # release the store's lock before the server opens it
    return location


def start_server(graph: str | Path | None = None, store: str | Path | None = None, host: str = "127.0.0.1",
                 port: int | None = None, timeout_s: int | None = None, wait: float = 30.0,
                 writable: bool = False) -> LocalServer:
    """Start ``oxigraph serve-read-only`` with the union of the named graphs as default graph, and
    wait until it answers. Give a graph file (loaded into a temporary store) or a store directory.
    With ``writable=True`` and neither, start an empty server that accepts writes (``vnplan push``)
    on a temporary store: handy to try an endpoint on a laptop.

    Do not build into a store while it is served: Oxigraph reads it without locking it.
    """
    program = oxigraph_program()
    if writable and graph is None and store is None:
        location, temporary = Path(tempfile.mkdtemp(prefix="vnplan-serve-")), True
    elif (graph is None) == (store is None):
        raise StoreError("give --graph FILE or --store DIR to serve")
    elif store is not None:
        location, temporary = Path(store), False
        open_store(location, create=False)  # one clear error if it is not a store
    else:
        location, temporary = _load_temporary(Path(graph)), True  # type: ignore[arg-type]
    if port:
        try:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
                probe.bind((host, port))
        except OSError:
            if temporary:
                shutil.rmtree(location, ignore_errors=True)
            raise StoreError(f"port {port} on {host} is taken (another program listens there); "
                             "choose another with --port") from None
    port = port or free_port(host)
    log = Path(tempfile.mkstemp(prefix="vnplan-serve-", suffix=".log")[1])
    args = [program, "serve" if writable else "serve-read-only", "--location", str(location),
            "--bind", f"{host}:{port}", "--union-default-graph"]
    if timeout_s:
        args += ["--timeout-s", str(timeout_s)]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    server = LocalServer(proc, host, port, location, temporary, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            server.stop()
            msg = log.read_text(errors="replace").strip().splitlines()
            raise StoreError(f"the Oxigraph server stopped at once: {msg[-1] if msg else 'no message'}"
                             + (f" (is port {port} taken?)" if any("in use" in m for m in msg) else ""))
        try:
            with urllib.request.urlopen(f"{server.query_url}?query=ASK%7B%7D", timeout=2):
                time.sleep(0.2)
                if proc.poll() is None:  # the answer came from our server, which still runs
                    return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise StoreError(f"the Oxigraph server did not answer on {server.base_url} within {wait:g} s")


def serve_forever(server: LocalServer) -> None:
    """Block until Ctrl-C or SIGTERM, then stop the server."""
    try:
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
