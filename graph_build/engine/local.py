"""Local engines: the embedded on-disk store (pyoxigraph), pyoxigraph or rdflib in memory over a
graph file, and writing graph files.

>>> eng = Engine.from_graph_file("tests/data/tiny-plan.golden.ttl")
>>> eng.query("SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/vnplan/ontology#Task> }").rows
[{'n': 1}]
"""
from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..errors import QueryError, StoreError
from ..files import atomic_write
from .bindings import with_values

FILE_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}
DEFAULT_STORE = Path(os.environ.get("VNPLAN_STORE", ".vnplan/store"))


_IRIS: dict[str, Any] = {}


def to_ox(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if type(term) is URIRef:  # the same IRIs recur: convert each once
        key = str(term)
        node = _IRIS.get(key)
        if node is None:
            if len(_IRIS) > 1 << 16:
                _IRIS.clear()
            node = _IRIS[key] = ox.NamedNode(key)
        return node
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


_NUMERIC = {str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.nonNegativeInteger)}
_FLOAT = {str(XSD.decimal), str(XSD.double), str(XSD.float)}


def _boolean(value: str) -> bool:
    return value in ("true", "1")


# how a literal of each datatype becomes a Python value (any other literal: its text)
DATATYPE_CONVERTERS: dict[str, Callable[[str], Any]] = {
    **dict.fromkeys(_NUMERIC, int), **dict.fromkeys(_FLOAT, float), str(XSD.boolean): _boolean}
# the same, keyed by pyoxigraph's datatype terms: a result row converts with one dictionary lookup
# a value (about 3 ms for 1,000 rows of 9 columns, against 18 ms with isinstance tests and str keys)
_OX_CONVERTERS = {ox.NamedNode(dt): convert for dt, convert in DATATYPE_CONVERTERS.items()}


def plain(term: Any) -> Any:
    """A result term as a plain Python value: IRIs and strings as str, numbers, booleans.

    >>> plain(ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    7
    """
    kind = type(term)
    if kind is ox.Literal:
        convert = _OX_CONVERTERS.get(term.datatype)
        return term.value if convert is None else convert(term.value)
    if kind is ox.NamedNode or kind is ox.BlankNode:
        return term.value
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)):  # rdflib
        return str(term)
    convert = DATATYPE_CONVERTERS.get(str(term.datatype)) if term.datatype else None
    return str(term) if convert is None else convert(str(term))


def _rows(columns: list[str], solutions: Iterable[Any]) -> list[dict[str, Any]]:
    """Solutions (each an iterable of terms in *columns*' order) as rows of plain values."""
    return [dict(zip(columns, map(plain, solution))) for solution in solutions]


def deadline(seconds: float, what: str, call: Callable[[], Any]) -> Any:
    """Run *call* in a worker thread; after *seconds* the caller gets a :class:`QueryError` at once
    and the worker, a daemon thread, is abandoned (a CLI process then exits, which stops it).
    pyoxigraph releases the GIL while it evaluates; a socket timeout alone would not bound a server
    that trickles its answer."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as err:  # handed to the caller below
            box["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryError(f"{what}: no complete answer within {seconds:g} s (stopped; raise --timeout to wait longer)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def load_graph_file(store: ox.Store, path: Path) -> ox.Store:
    """Load a graph file into *store*: quad formats keep their named graphs, triple formats go
    to the default graph."""
    fmt = file_format(path)
    try:
        if fmt in QUAD_FORMATS:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.bulk_load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
    except SyntaxError as err:
        raise StoreError(f"{path}: not valid {path.suffix} ({err})") from None
    return store


def file_format(path: str | Path) -> Any:
    fmt = FILE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown graph file extension; use one of {', '.join(sorted(FILE_FORMATS))}")
    return fmt


def write_graph_file(path: str | Path, nquads_file: str | Path, prefixes: Mapping[str, str]) -> int:
    """Write the named graphs of the N-Quads file *nquads_file* to *path* atomically, in the
    format its extension names; return the triples (or quads) written.

    Triple formats (Turtle, N-Triples, JSON-LD, RDF/XML) get the union of the graphs, sorted.
    """
    path = Path(path)
    fmt = file_format(path)
    quads = ox.parse(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
    if fmt in QUAD_FORMATS:
        items: list = list(quads)
    else:
        seen = {str(t): t for t in (q.triple for q in quads)}
        items = [seen[k] for k in sorted(seen)]
    pfx = {k: str(v) for k, v in prefixes.items()}
    atomic_write(path, lambda fh: ox.serialize(items, fh, fmt, prefixes=pfx if fmt != ox.RdfFormat.N_QUADS
                                                    and fmt != ox.RdfFormat.N_TRIPLES else None))
    return len(items)


def _nt(term: Any) -> str:
    return str(term if isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode)) else to_ox(term))


def open_store(path: str | Path, create: bool = True) -> ox.Store:
    p = Path(path)
    if not create:
        if not (p / "CURRENT").is_file():
            raise StoreError(f"{p}: no store here; build one with 'vnplan build FILE --store {p}'")
        try:
            return ox.Store.read_only(str(p))  # readers never lock each other out, never write
        except OSError as err:
            raise StoreError(f"{p}: cannot open the store read-only ({err})") from None
    if p.exists() and not p.is_dir():
        raise StoreError(f"{p}: is a file, not a store directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(p))
    except OSError as err:
        raise StoreError(f"{p}: cannot open the store ({err})") from None


_PLAIN_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^<>"{}|^`\\\x00-\x20]*')  # else pyoxigraph checks it


def _nt_writer() -> Callable[[Any], str]:
    """A function giving a term's N-Triples text (escaped by pyoxigraph), each distinct IRI
    converted once: the same predicates, classes and nodes recur on every line."""
    seen: dict[Any, str] = {}

    def nt(term: Any) -> str:
        if type(term) is URIRef:
            text = seen.get(term)
            if text is None:
                text = seen[term] = f"<{term}>" if _PLAIN_IRI.fullmatch(term) else str(to_ox(term))
            return text
        return str(to_ox(term))
    return nt


def nquads(graph: str, triples: Iterable[tuple]) -> bytes:
    """*triples* (rdflib terms) in the named graph *graph*, as N-Quads bytes.

    >>> from rdflib import URIRef, Literal
    >>> nquads("http://g", [(URIRef("http://s"), URIRef("http://p"), Literal('say "hi"', lang="vi"))])
    b'<http://s> <http://p> "say \\\\"hi\\\\""@vi <http://g> .\\n'
    """
    nt, end = _nt_writer(), f" <{graph}> .\n"
    return "".join([f"{nt(s)} {nt(p)} {nt(o)}{end}" for s, p, o in triples]).encode("utf-8")


def ntriples_lines(triples: Iterable[tuple]) -> set[str]:
    """*triples* (rdflib terms) as N-Triples lines without the final `` .``, for pooling."""
    nt = _nt_writer()
    return {f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in triples}


def read_nquads(path: str | Path) -> dict[str, list[tuple]]:
    """An N-Quads file as ``{graph IRI: [(s, p, o) as pyoxigraph terms]}``."""
    out: dict[str, list[tuple]] = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        out.setdefault(q.graph_name.value, []).append((q.subject, q.predicate, q.object))
    return out


def _value(term: Any) -> str:
    return term.value


def plan_graphs(store: ox.Store, predicates: Iterable[str]) -> Iterator[tuple[str, str, list[tuple[str, str, str]]]]:
    """``(graph IRI, document IRI, triples)`` for each built document's graph in *store*, with only
    the triples whose predicate is in *predicates*, as strings (IRIs and literal values)."""
    preds = [ox.NamedNode(p) for p in sorted(predicates)]
    found = store.query("SELECT DISTINCT ?g ?d WHERE { GRAPH ?g { ?d a <https://w3id.org/vnplan/ontology#SourceDocument> } }")
    for g, d in sorted((row["g"].value, row["d"].value) for row in found):
        graph = ox.NamedNode(g)
        yield g, d, [(_value(q.subject), q.predicate.value, _value(q.object))
                     for p in preds for q in store.quads_for_pattern(None, p, None, graph)]


def members(store: ox.Store, cls: str) -> set[str]:
    """The IRIs typed *cls* in any graph of *store*."""
    return {row["x"].value for row in store.query(f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x a <{cls}> }} }}")}


class NewStore:
    """A new store at *path* (absent or an empty directory), bulk-loaded in a background thread
    from the N-Quads written to it, so that loading overlaps with producing them. Nothing appears
    at *path* until :meth:`commit` renames the loaded directory into place; :meth:`abort` (or any
    failure) removes it. Loading goes by chunks of about *chunk_mb* MB of N-Quads, which bounds
    the loader's memory (one bulk load of a million quads takes gigabytes).

    >>> import tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> with NewStore(where) as new:
    ...     new.write(b'<http://a> <http://b> "c" <http://g> .')
    ...     new.commit()
    1
    """

    def __init__(self, path: str | Path, chunk_mb: float = 32):
        import queue
        import shutil
        p = self.path = Path(path)
        if p.exists() and (not p.is_dir() or any(p.iterdir())):
            raise StoreError(f"{p}: not empty; use replace_graphs on an existing store")
        p.parent.mkdir(parents=True, exist_ok=True)
        for stale in p.parent.glob(f".{p.name}.new-*"):  # left by a build killed before its rename
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{p.name}.new-", dir=p.parent))
        self.store = ox.Store(str(self.tmp))
        self.chunk = int(chunk_mb * 2**20)
        self._buffer: list[bytes] = []
        self._size = 0
        self._queue: Any = queue.Queue(maxsize=1)  # one chunk waiting at most: back-pressure
        self._error: BaseException | None = None
        self._replaced: dict[str, bytes] = {}
        self._open = True

        def load() -> None:
            while (data := self._queue.get()) is not None:
                if self._error is None:
                    try:  # pyoxigraph loads bytes without holding the GIL
                        self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
                    except BaseException as err:  # reported by write() or commit()
                        self._error = err
        self._thread = threading.Thread(target=load, daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> None:
        """Add N-Quads (whole lines)."""
        self._raise()
        self._buffer.append(data)
        self._size += len(data)
        if self._size >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._queue.put(b"".join(self._buffer))
            self._buffer, self._size = [], 0

    def replace(self, graph: str, data: bytes) -> None:
        """Replace a graph already written by *data* (N-Quads), when loading ends."""
        self._replaced[graph] = data

    def _raise(self) -> None:
        if self._error is not None:
            raise StoreError(f"{self.path}: loading failed ({self._error})") from None

    def _stop(self) -> None:
        if self._open:
            self._open = False
            self._queue.put(None)
            self._thread.join()

    def commit(self) -> int:
        """Finish loading, move the store into place and return its number of quads."""
        import gc
        self._flush()
        self._stop()
        self._raise()
        if self._replaced:
            graphs: dict[str, list[tuple]] = {g: [] for g in self._replaced}
            for q in ox.parse(b"".join(self._replaced.values()), format=ox.RdfFormat.N_QUADS):
                graphs[q.graph_name.value].append((q.subject, q.predicate, q.object))
            replace_graphs(self.store, graphs)
        # loading by chunks leaves many overlapping files; one compaction now makes every later
        # query read a few (queries 2-4x faster on 1,000 plans, for about 7 s of build time)
        self.store.optimize()
        self.store.flush()
        n = len(self.store)
        del self.store
        gc.collect()  # close the store (and its lock) before the directory moves
        if self.path.exists():
            self.path.rmdir()
        os.rename(self.tmp, self.path)
        return n

    def abort(self) -> None:
        import shutil
        self._buffer = []
        self._error = self._error or StoreError("aborted")  # the loader skips what is queued
        self._stop()
        self.__dict__.pop("store", None)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "NewStore":
        return self

    def __exit__(self, *exc) -> None:
        if self.tmp.exists():
            self.abort()


def replace_graphs(store: ox.Store, graphs: Mapping[URIRef, Iterable[tuple]],
                   upserts: Mapping[URIRef, Iterable[tuple]] = {},
                   additions: Mapping[URIRef, Iterable[tuple]] = {}) -> None:
    """In one transaction: replace each graph in *graphs*; in each graph of *upserts*, replace the
    description of every subject given (other subjects stay); add *additions* to their graphs."""
    parts: list[str] = []
    for g, triples in graphs.items():
        body = " .\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)}" for s, p, o in triples)
        parts.append(f"DROP SILENT GRAPH <{g}>")
        parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{body} }} }}")
    for g, triples in upserts.items():
        triples = list(triples)
        for s in sorted({t[0] for t in triples}):
            parts.append(f"DELETE WHERE {{ GRAPH <{g}> {{ {_nt(s)} ?p ?o }} }}")
        body = " .\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)}" for s, p, o in triples)
        parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{body} }} }}")
    for g, triples in additions.items():
        body = " .\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)}" for s, p, o in triples)
        if body:
            parts.append(f"INSERT DATA {{ GRAPH <{g}> {{\n{body} }} }}")
    store.update(" ;\n".join(parts))
    store.flush()


@lru_cache(maxsize=256)
def is_update(text: str) -> bool:
    """True if *text* parses as a SPARQL update (parsed only, never run)."""
    from rdflib.plugins.sparql.parser import parseUpdate
    try:
        ox.Store().query(text)  # an empty store: parses the query, reaches nothing
        return False
    except SyntaxError:
        pass
    except OSError:
        return False
    try:
        parseUpdate(text)
        return True
    except Exception:
        return False


@dataclass
class Result:
    columns: list[str]
    rows: list[dict[str, Any]]


class Engine:
    """Runs SELECT/ASK queries, with parameters bound as RDF terms (never pasted into the text)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, label: str, timeout: float | None = None):
        self.store, self.label, self.timeout = store, label, timeout

    @classmethod
    def from_store(cls, path: str | Path) -> "Engine":
        return cls(open_store(path, create=False), str(path))

    @classmethod
    def from_graph_file(cls, path: str | Path) -> "Engine":
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"{p}: no such graph file")
        return cls(load_graph_file(ox.Store(), p), str(p))

    def query(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        if is_update(text):
            raise QueryError("this is a SPARQL update; 'vnplan query' only reads (use 'vnplan build' to change a store)")
        text = with_values(text, params)

        def run() -> Result:
            res = self.store.query(text, use_default_graph_as_union=True)
            if isinstance(res, ox.QueryBoolean):
                return Result(["ask"], [{"ask": bool(res)}])
            if isinstance(res, ox.QuerySolutions):
                cols = [v.value for v in res.variables]
                return Result(cols, _rows(cols, res))
            return Result(["subject", "predicate", "object"],
                          [{"subject": plain(t.subject), "predicate": plain(t.predicate), "object": plain(t.object)}
                           for t in res])
        try:
            return deadline(self.timeout, f"query on {self.label}", run) if self.timeout else run()
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from None
        except OSError as err:
            raise QueryError(f"query failed: {err}") from None

    def triples_count(self) -> int:
        return len(self.store)


class RdflibEngine:
    """The same interface on rdflib's in-memory store (slow; for comparison and small graphs)."""

    name = "rdflib"

    def __init__(self, graph: Any, label: str, timeout: float | None = None):
        self.graph, self.label, self.timeout = graph, label, timeout

    @classmethod
    def from_graph_file(cls, path: str | Path) -> "RdflibEngine":
        from rdflib import Dataset, Graph
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"{p}: no such graph file")
        fmt = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
               ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}.get(p.suffix.lower())
        if fmt is None:
            raise StoreError(f"{p}: unknown graph file extension")
        ds = Dataset(default_union=True) if fmt in ("nquads", "trig") else Graph()
        try:
            ds.parse(str(p), format=fmt)
        except Exception as err:  # rdflib's parsers raise many kinds
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise StoreError(f"{p}: not valid {p.suffix} ({first})") from None
        return cls(ds, str(p))

    def query(self, text: str, params: Mapping[str, Any] | None = None) -> Result:
        if is_update(text):
            raise QueryError("this is a SPARQL update; 'vnplan query' only reads (use 'vnplan build' to change a store)")
        from rdflib.term import Variable
        params = dict(params or {})
        # lists of IRIs go into the text (rdflib's own bindings take one value per name)
        text = with_values(text, {k: params.pop(k) for k in list(params) if isinstance(params[k], (list, tuple))})
        try:  # rdflib applies the SPARQL rule that \u escapes are decoded before parsing, even in a
            # VALUES block; its own bindings keep a value such as "\u0022" exactly as given
            def run() -> Result:
                res = self.graph.query(text, initBindings={Variable(k): v for k, v in params.items()})
                if res.type == "ASK":
                    return Result(["ask"], [{"ask": bool(res.askAnswer)}])
                if res.type == "SELECT":
                    cols = [str(v) for v in res.vars]
                    return Result(cols, _rows(cols, res))
                return Result(["subject", "predicate", "object"],
                              [{"subject": plain(s), "predicate": plain(p), "object": plain(o)} for s, p, o in res])
            return deadline(self.timeout, f"query on {self.label}", run) if self.timeout else run()
        except QueryError:
            raise
        except Exception as err:  # rdflib raises pyparsing errors, URLError and others
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise QueryError(f"query failed: {first}") from None


def named_graphs(graph: str | Path | None = None, store: str | Path | None = None,
                 default_name: str | None = None) -> dict[str, list[Any]]:
    """The named graphs of a graph file or store, as ``{graph IRI: [quads]}``. A triple-format file
    (Turtle, N-Triples …) has none: its triples go under *default_name*."""
    if store is not None:
        st = open_store(store, create=False)
    else:
        st = Engine.from_graph_file(graph).store  # type: ignore[arg-type]
    out: dict[str, list[Any]] = {}
    for q in st.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.DefaultGraph):
            if default_name is None:
                raise StoreError(f"{graph or store}: holds triples outside any named graph; name one with --graph-iri")
            out.setdefault(default_name, []).append(q)
        else:
            out.setdefault(q.graph_name.value, []).append(q)
    return dict(sorted(out.items()))
