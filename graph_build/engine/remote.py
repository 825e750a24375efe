"""Any SPARQL 1.1 endpoint: queries through SPARQLWrapper, and loading graphs into it (Graph
Store Protocol, or SPARQL Update in batches) with retries.

>>> derive_urls("http://127.0.0.1:7878/query")
('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> derive_urls("http://localhost:3030/ds/sparql")
('http://localhost:3030/ds/update', 'http://localhost:3030/ds/data')
>>> derive_urls("http://localhost:8890/sparql", authenticated=True)
('http://localhost:8890/sparql-auth', 'http://localhost:8890/sparql-graph-crud-auth')
"""
from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import pyoxigraph as ox

from .. import __version__
from ..errors import QueryError, StoreError
from .bindings import with_values
from .local import DATATYPE_CONVERTERS, Result, deadline, is_update, plain

USER_AGENT = f"vnplan/{__version__} (+https://github.com/vnplan/vnplan)"
POST_ABOVE = 1500          # characters: longer queries go by POST (URLs have limits)
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


def derive_urls(query_url: str, authenticated: bool = False) -> tuple[str | None, str | None]:
    """``(update URL, Graph Store URL)`` for the common servers' query URL, or ``None`` where unknown:
    Oxigraph ``/query`` → ``/update``, ``/store``; Fuseki ``/ds/sparql`` → ``/ds/update``, ``/ds/data``;
    Virtuoso ``/sparql`` → ``/sparql-auth``, ``/sparql-graph-crud-auth`` (``/sparql``,
    ``/sparql-graph-crud`` without credentials)."""
    u = urllib.parse.urlsplit(query_url)
    path = u.path.rstrip("/")
    parts = path.split("/")

    def at(p: str) -> str:
        return urllib.parse.urlunsplit((u.scheme, u.netloc, p, "", ""))

    if path == "/query":
        return at("/update"), at("/store")
    if len(parts) == 3 and parts[2] in ("sparql", "query"):
        return at(f"/{parts[1]}/update"), at(f"/{parts[1]}/data")
    if path == "/sparql":
        return ((at("/sparql-auth"), at("/sparql-graph-crud-auth")) if authenticated
                else (at("/sparql"), at("/sparql-graph-crud")))
    return None, None


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach a SPARQL server. ``timeout`` bounds a whole request, in seconds."""

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"          # basic | digest
    timeout: float = 60.0
    post: bool = False           # always POST queries (long ones are POSTed anyway)

    def __post_init__(self) -> None:
        u = urllib.parse.urlsplit(self.query_url)
        if u.scheme not in ("http", "https") or not u.netloc:
            raise QueryError(f"--endpoint {self.query_url!r}: give the endpoint's http(s) SPARQL query URL, "
                             "e.g. http://127.0.0.1:7878/query")
        if self.auth not in ("basic", "digest"):
            raise QueryError(f"--auth {self.auth!r}: use basic or digest")

    @property
    def writes_to(self) -> tuple[str | None, str | None]:
        """``(update URL, store URL)``: the ones given, else derived from the query URL."""
        upd, sto = derive_urls(self.query_url, authenticated=self.user is not None)
        if self.update_url or self.store_url:
            return self.update_url, self.store_url
        return upd, sto


def _first_line(body: bytes) -> str:
    """The first meaningful line of a server's error page (its <title> for HTML)."""
    text = body.decode("utf-8", "replace")
    if text[:2] in ("b'", 'b"'):  # SPARQLWrapper keeps the body as the repr of bytes
        import ast
        try:
            text = ast.literal_eval(text.strip()).decode("utf-8", "replace")
        except (ValueError, SyntaxError):
            pass
    if text.lstrip().startswith("<"):
        m = re.search(r"<title>(.*?)</title>", text, re.I | re.S) or re.search(r"<h1>(.*?)</h1>", text, re.I | re.S)
        text = re.sub(r"<[^>]+>", " ", m.group(1) if m else text)
    lines = [" ".join(x.split()) for x in text.splitlines() if x.strip()]
    return lines[0][:200] if lines else ""


def _http_message(url: str, err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        if err.code == 401:
            return f"{url}: the server refused the credentials (HTTP 401); check --user/--password and --auth"
        if err.code == 403:
            return f"{url}: forbidden (HTTP 403); the account may not be allowed to do this"
        if err.code == 404:
            return f"{url}: not found (HTTP 404); is this the endpoint's URL?"
        said = _first_line(err.read()[:2000])
        return f"{url}: HTTP {err.code} {err.reason}" + (f": {said}" if said else "")
    if isinstance(err, urllib.error.URLError):
        return f"{url}: cannot connect ({err.reason}); is the server running?"
    if isinstance(err, (socket.timeout, TimeoutError)):
        return f"{url}: the server did not answer in time"
    return f"{url}: {err}"


class EndpointEngine:
    """Runs SELECT/ASK/CONSTRUCT on a SPARQL 1.1 endpoint, parameters bound as in every engine."""

    name = "endpoint"

    def __init__(self, endpoint: Endpoint):
        self.endpoint, self.label = endpoint, endpoint.query_url

    def _wrapper(self, text: str):
        from SPARQLWrapper import DIGEST, BASIC, POST, SPARQLWrapper
        ep = self.endpoint
        w = SPARQLWrapper(ep.query_url, agent=USER_AGENT)
        w.setQuery(text)
        w.setTimeout(int(max(1, ep.timeout)))
        if ep.post or len(text) > POST_ABOVE:
            w.setMethod(POST)
        if ep.user is not None:
            w.setHTTPAuth(DIGEST if ep.auth == "digest" else BASIC)
            w.setCredentials(ep.user, ep.password or "")
        return w

    def query(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        from SPARQLWrapper import JSON, TURTLE
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException
        if is_update(text):
            raise QueryError("this is a SPARQL update; 'vnplan query' only reads (use 'vnplan push' to load a graph)")
        text = with_values(text, params)
        w = self._wrapper(text)
        graph_result = w.queryType in ("CONSTRUCT", "DESCRIBE")
        w.setReturnFormat(TURTLE if graph_result else JSON)
        url = self.endpoint.query_url
        try:
            raw = deadline(self.endpoint.timeout, url, lambda: w.query().response.read())
        except SPARQLWrapperException as err:
            what = {"QueryBadFormed": "the server rejected the query (HTTP 400)",
                    "Unauthorized": "the server refused the credentials (HTTP 401); check --user/--password and --auth",
                    "EndPointNotFound": "not found (HTTP 404); is this the endpoint's URL?",
                    "URITooLong": "the query is too long for a GET (HTTP 414); use --post",
                    "EndPointInternalError": "the server failed (HTTP 500)"}.get(type(err).__name__, type(err).__name__)
            said = _first_line(err.args[0].split("Response:\n", 1)[1].encode("utf-8", "replace")
                               if err.args and "Response:\n" in str(err.args[0]) else b"")
            raise QueryError(f"{url}: {what}" + (f": {said}" if said else "")) from None
        except (urllib.error.URLError, OSError) as err:
            raise QueryError(_http_message(url, err)) from None
        if graph_result:
            try:
                triples = list(ox.parse(raw, format=ox.RdfFormat.TURTLE))
            except SyntaxError as err:
                raise QueryError(f"{url}: the server's answer is not Turtle ({err})") from None
            return Result(["subject", "predicate", "object"],
                          [{"subject": plain(t.subject), "predicate": plain(t.predicate), "object": plain(t.object)}
                           for t in triples])
        try:
            data = json.loads(raw)
        except ValueError:
            raise QueryError(f"{url}: the server's answer is not SPARQL JSON results") from None
        if "boolean" in data:
            return Result(["ask"], [{"ask": bool(data["boolean"])}])
        cols = data["head"]["vars"]
        return Result(cols, [{c: _json_term(b.get(c)) for c in cols} for b in data["results"]["bindings"]])


def _json_term(b: Mapping[str, str] | None) -> Any:
    if b is None:
        return None
    if b["type"] in ("uri", "bnode"):
        return b["value"]
    convert = DATATYPE_CONVERTERS.get(b.get("datatype", ""))  # numbers and booleans; other literals as str
    return b["value"] if convert is None else convert(b["value"])


# --- writing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int
    seconds: float
    via: str          # graph-store | update


def _authorization(ep: Endpoint, method: str, url: str) -> str | None:
    """The ``Authorization`` header, computed before the request is sent: a server may answer 401
    and close the connection before reading a large body (Virtuoso does), which breaks urllib's
    answer-the-challenge-then-resend handlers. For digest, the challenge comes from a bodyless GET."""
    if ep.user is None:
        return None
    if ep.auth == "basic":
        import base64
        return "Basic " + base64.b64encode(f"{ep.user}:{ep.password or ''}".encode()).decode()
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}),
                               timeout=ep.timeout).close()
        return None  # no challenge: the server does not ask for credentials here
    except urllib.error.HTTPError as err:
        status, challenge = err.code, err.headers.get("WWW-Authenticate", "")
        err.close()
    scheme, _, params = challenge.partition(" ")
    if status != 401 or scheme.lower() != "digest":
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, ep.user, ep.password or "")
    chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
    auth = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(
        urllib.request.Request(url, method=method), chal)
    return f"Digest {auth}" if auth else None


def _send(ep: Endpoint, method: str, url: str, body: bytes, content_type: str,
          retries: int = 4, backoff: float = 0.5) -> None:
    """One HTTP request with retries (exponential backoff) on transient failures."""
    for attempt in range(retries + 1):
        try:
            def call() -> None:
                headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
                auth = _authorization(ep, method, url)
                if auth:
                    headers["Authorization"] = auth
                req = urllib.request.Request(url, data=body, method=method, headers=headers)
                with urllib.request.urlopen(req, timeout=ep.timeout) as resp:
                    resp.read()
            deadline(ep.timeout, url, call)
            return
        except urllib.error.HTTPError as err:
            if err.code not in _TRANSIENT or attempt == retries:
                raise StoreError(_http_message(url, err)) from None
        except (urllib.error.URLError, OSError, QueryError) as err:
            if attempt == retries:
                raise StoreError(_http_message(url, err) if not isinstance(err, QueryError) else str(err)) from None
        time.sleep(backoff * 2 ** attempt)


def _ntriples(triples: Iterable[Any]) -> bytes:
    return ox.serialize([ox.Triple(t.subject, t.predicate, t.object) for t in triples], format=ox.RdfFormat.N_TRIPLES)


def push_graphs(graphs: Mapping[str, list[Any]], endpoint: Endpoint, batch: int = 1000,
                progress: Callable[[Pushed], None] | None = None) -> list[Pushed]:
    """Load each named graph into the endpoint, replacing what it held under that name (so pushing
    twice never duplicates). Uses the Graph Store Protocol (HTTP PUT) when a store URL is known,
    else SPARQL Update (DROP, then INSERT DATA in batches of *batch* triples: Virtuoso refuses
    much larger ones). An interrupted push leaves a graph partly loaded; pushing again repairs it."""
    update_url, store_url = endpoint.writes_to
    if not update_url and not store_url:
        raise StoreError(f"{endpoint.query_url}: cannot tell where to write; give --store-url (Graph Store "
                         "Protocol) or --update-url (SPARQL Update)")
    done: list[Pushed] = []
    for g, triples in graphs.items():
        t0 = time.perf_counter()
        if store_url:
            sep = "&" if "?" in store_url else "?"
            param = "graph-uri" if store_url.rstrip("/").split("/")[-1].startswith("sparql-graph-crud") else "graph"
            url = f"{store_url}{sep}{param}={urllib.parse.quote(g, safe='')}"
            _send(endpoint, "PUT", url, _ntriples(triples), "text/turtle; charset=utf-8")
            via = "graph-store"
        else:
            assert update_url is not None
            _send(endpoint, "POST", update_url, f"DROP SILENT GRAPH <{g}>".encode(), "application/sparql-update")
            for i in range(0, len(triples), batch):
                body = _ntriples(triples[i:i + batch]).decode("utf-8")
                _send(endpoint, "POST", update_url, f"INSERT DATA {{ GRAPH <{g}> {{\n{body}}} }}".encode("utf-8"),
                      "application/sparql-update; charset=utf-8")
            via = "update"
        p = Pushed(g, len(triples), time.perf_counter() - t0, via)
        done.append(p)
        if progress:
            progress(p)
    return done
