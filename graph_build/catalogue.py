"""The SPARQL catalogue in ``queries/``: each ``.rq`` opens with a header of ``# key: value`` lines.

>>> cat = load_catalogue()
>>> cat["tasks"].title
'Tasks'
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import QueryError
from .vntext import fold

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^#\s*(title|description|param|example|returns):\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:[—-]+\s*(?P<doc>.*))?$")


# Parameters that name things (an agency, a legal document) are resolved first, by one small
# query, to the IRIs of everything they match; the catalogue query then starts from those IRIs.
# Engines evaluate sub-selects and OPTIONAL parts on their own, so a filter on words there would
# scan the whole corpus; bound IRIs are looked up in the indexes.
LOOKUPS = {
    "agency": """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX vnp: <https://w3id.org/vnplan/ontology#>
SELECT DISTINCT ?match WHERE { ?match a org:Organization ; vnp:searchKey ?key . FILTER(CONTAINS(?key, ?words)) }""",
    # a plan: by its number or words of its title (whole words: "7/KH-UBND" is not "17/KH-UBND")
    "plan": """PREFIX vnp: <https://w3id.org/vnplan/ontology#>
SELECT DISTINCT ?match WHERE { ?match a vnp:SourceDocument ; vnp:searchKey ?key .
  FILTER(CONTAINS(CONCAT(" ", ?key, " "), CONCAT(" ", ?words, " "))) }""",
    "document": """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX vnp: <https://w3id.org/vnplan/ontology#>
SELECT DISTINCT ?match WHERE { ?match a eli:LegalResource ; vnp:searchKey ?key . FILTER(CONTAINS(?key, ?words)) }""",
}
ALL = "*"  # the default of an optional scope: the parameter stays unbound
_IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*")


@dataclass(frozen=True)
class Param:
    name: str
    type: str            # text | string | iri | date | integer | boolean | agency | document | plan
    default: str | None
    doc: str

    def resolve(self, value: str, engine: Any) -> list[URIRef]:
        """For an ``agency``, ``document`` or ``plan`` parameter: the IRIs of everything whose names (or
        number) contain the words of *value*, ignoring case and diacritics; an IRI is taken as is.

        >>> from graph_build.engine import Engine
        >>> eng = Engine.from_graph_file("tests/data/tiny-plan.golden.ttl")
        >>> Param("agency", "agency", None, "").resolve("so ngoai vu", eng)
        [rdflib.term.URIRef('https://w3id.org/vnplan/id/agency/ha-noi/so-ngoai-vu')]
        """
        if value.startswith(("http://", "https://", "urn:")) and _IRI.fullmatch(value):
            return [URIRef(value)]
        rows = engine.query(LOOKUPS[self.type], {"words": Literal(fold(value))}).rows
        return sorted(URIRef(r["match"]) for r in rows)

    def term(self, value: str) -> Any:
        """The value as a typed RDF term (bound to the query, never pasted into its text). A ``text``
        value is folded (lower case, no diacritics) to match the graph's ``vnp:searchKey``."""
        try:
            if self.type == "text":
                return Literal(fold(value))
            if self.type == "iri":
                if not _IRI.fullmatch(value):
                    raise ValueError("not an IRI")
                return URIRef(value)
            if self.type == "date":
                return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
            if self.type == "integer":
                return Literal(int(value))
            if self.type == "boolean":
                return Literal(value.lower() in ("1", "true", "yes"))
        except ValueError:
            raise QueryError(f"parameter {self.name}: {value!r} is not a valid {self.type}") from None
        return Literal(value)


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    example: str
    returns: str
    text: str

    def bindings(self, given: Mapping[str, str], engine: Any = None) -> dict[str, Any]:
        """The parameters as RDF terms; ``agency``, ``document`` and ``plan`` parameters become the
        list of IRIs they match on *engine* (needed for those). A parameter whose value is ``*``
        (the default of a scope such as ``within: plan = *``) is left unbound: no restriction."""
        known = {p.name: p for p in self.params}
        for name in given:
            if name not in known:
                raise QueryError(f"query {self.name!r} has no parameter {name!r}"
                                 + (f"; it takes {', '.join(known)}" if known else "; it takes none"))
        out: dict[str, Any] = {}
        for p in self.params:
            value = given.get(p.name, p.default)
            if value is None:
                raise QueryError(f"query {self.name!r} needs --param {p.name}=… ({p.type})")
            if value == ALL:
                continue  # left unbound: every plan
            if p.type in LOOKUPS:
                if engine is None:
                    raise QueryError(f"parameter {p.name}: an engine is needed to find what {value!r} names")
                out[p.name] = p.resolve(value, engine)
            else:
                out[p.name] = p.term(value)
        return out


    def example_params(self) -> dict[str, str]:
        """The ``--param``/``-p`` values of the header's example call.

        >>> load_catalogue()["tasks-due"].example_params()
        {'from': '2023-07-01', 'to': '2023-09-30'}
        """
        words = shlex.split(self.example)
        out = {}
        for flag, value in zip(words, words[1:]):
            if flag in ("-p", "--param") and "=" in value:
                k, v = value.split("=", 1)
                out[k] = v
        return out


def parse_query_file(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    params = []
    for raw in fields.get("param", []):
        if raw.startswith("(none)") or not raw:
            continue
        m = _PARAM.match(raw)
        if not m:
            raise QueryError(f"{path}: malformed '# param:' line {raw!r}")
        params.append(Param(m.group("name"), m.group("type"), m.group("default"), m.group("doc") or ""))
    return CatalogueQuery(path.stem, path, " ".join(fields.get("title", [path.stem])),
                          " ".join(fields.get("description", [])), tuple(params),
                          " ".join(fields.get("example", [])), " ".join(fields.get("returns", [])), text)


def load_catalogue(directory: Path | None = None) -> dict[str, CatalogueQuery]:
    """All queries of the catalogue, by name (the file name without ``.rq``)."""
    d = directory or QUERY_DIR
    return {p.stem: parse_query_file(p) for p in sorted(d.glob("*.rq"))}


def find_query(name_or_path: str) -> CatalogueQuery:
    """A catalogue query by name, or any ``.rq`` file by path."""
    p = Path(name_or_path)
    if p.suffix == ".rq":
        if not p.is_file():
            raise QueryError(f"{p}: no such query file")
        return parse_query_file(p)
    cat = load_catalogue()
    if name_or_path in cat:
        return cat[name_or_path]
    raise QueryError(f"no query named {name_or_path!r}; 'vnplan queries' lists them "
                     f"({', '.join(cat)}), or give a path to a .rq file")


def open_engine(graph: str | Path | None = None, store: str | Path | None = None, engine: str = "oxigraph",
                endpoint: Any = None, timeout: float | None = None):
    """An engine over a graph file (in memory), a SPARQL endpoint (a URL or an ``Endpoint``) or the
    embedded store (default: the default store). A query running longer than *timeout* seconds
    is stopped with a :class:`QueryError` (an endpoint's own timeout is ``Endpoint.timeout``)."""
    from .engine import DEFAULT_STORE, Engine, RdflibEngine
    if sum(x is not None and x != "" for x in (graph, store, endpoint)) > 1:
        raise QueryError("give one of --graph, --store or --endpoint")
    if endpoint:
        from .engine.remote import Endpoint, EndpointEngine
        return EndpointEngine(endpoint if isinstance(endpoint, Endpoint) else Endpoint(str(endpoint)))
    if engine == "rdflib":
        if not graph:
            raise QueryError("--engine rdflib reads a graph file: give --graph FILE")
        eng: Any = RdflibEngine.from_graph_file(graph)
    elif graph:
        eng = Engine.from_graph_file(graph)
    else:
        eng = Engine.from_store(store or DEFAULT_STORE)
    eng.timeout = timeout
    return eng


def run_query(name_or_path: str, params: Mapping[str, str] | None = None, graph: str | Path | None = None,
              store: str | Path | None = None, engine: str = "oxigraph", endpoint: Any = None,
              timeout: float | None = None):
    """Run a catalogue query (or a ``.rq`` file) with typed parameters; returns a ``Result``.
    Give ``engine=`` an engine already open to run several queries on one loaded graph.

    >>> rows = run_query("feedback", graph="out/sample.ttl").rows  # doctest: +SKIP
    """
    q = find_query(name_or_path)
    eng = engine if not isinstance(engine, str) else open_engine(graph, store, engine, endpoint, timeout)
    return eng.query(q.text, q.bindings(params or {}, eng))
