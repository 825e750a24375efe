"""Run the pipeline on files: read → extract → resolve → emit, then write a graph file and/or
load the embedded store. One bad file never stops the batch; each gets a one-line error.

>>> report = build_documents(["data/samples/hanoi-2023-101-KH-UBND.txt"])
>>> report.documents[0].counts["tasks"], report.failed
(49, 0)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import URIRef

from .errors import InputError, VnplanError
from .extract import extract
from .read import read_source
from .resolve import Agency, AgencyRegistry, ResolvedPlan, resolve_plan

SUPPORTED = {".txt", ".docx", ".pdf"}


def build_file(path: str | Path, registry: AgencyRegistry | None = None, max_bytes: int | None = None) -> ResolvedPlan:
    """Read, extract and resolve one document."""
    return resolve_plan(extract(read_source(path, max_bytes)), registry)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the supported files inside directories named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out


def _build_one(path: Path, reg: AgencyRegistry, max_bytes: int | None):
    """``(document IRI, triples, resolved plan)`` for one file, or its one-line error."""
    from .emit import plan_triples
    try:
        if path.suffix.lower() not in SUPPORTED and path.exists() and path.is_file():
            raise InputError(str(path), f"unsupported file type {path.suffix!r}; vnplan reads .txt, .docx and .pdf")
        rp = build_file(path, reg, max_bytes)
        doc, triples = plan_triples(rp)
        return doc, triples, rp
    except VnplanError as err:
        return str(err)


def _build_one_star(args: tuple) -> object:
    return _build_one(*args)


def _build_all(files: list[Path], reg: AgencyRegistry, max_bytes: int | None, jobs: int):
    """``(path, result)`` for each file, in order; in *jobs* processes when more than one."""
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, _build_one(path, reg, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        work = ((path, reg, max_bytes) for path in files)
        for path, result in zip(files, pool.map(_build_one_star, work, chunksize=4)):
            yield path, result


@dataclass(frozen=True)
class DocumentReport:
    path: str
    document: str | None
    counts: dict[str, int]
    warnings: tuple[str, ...] = ()
    error: str | None = None            # the document could not be built
    row_errors: tuple[str, ...] = ()    # built, but some rows could not be read whole


@dataclass
class BuildReport:
    documents: list[DocumentReport] = field(default_factory=list)
    triples: int = 0
    outputs: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for d in self.documents if d.error)

    @property
    def row_errors(self) -> int:
        return sum(len(d.row_errors) for d in self.documents)

    @property
    def warnings(self) -> int:
        return sum(len(d.warnings) for d in self.documents)

    def totals(self) -> dict[str, int]:
        keys = ("tasks", "agencies", "legal_documents", "citations", "feedback", "triples")
        tot = {k: sum(d.counts.get(k, 0) for d in self.documents) for k in keys}
        tot["triples"] = self.triples or tot["triples"]
        tot["documents"] = sum(1 for d in self.documents if not d.error)
        tot["warnings"] = self.warnings
        tot["errors"] = self.failed + self.row_errors
        return tot


def build_documents(paths: Iterable[str | Path], out: str | Path | None = None, store: str | Path | None = None,
                    registry: AgencyRegistry | str | Path | None = None,
                    progress: Callable[[str, int, int], None] | None = None,
                    max_bytes: int | None = None, jobs: int = 1) -> BuildReport:
    """Build every document in *paths* into a graph file *out* and/or the store at *store*.

    *progress* is called as ``progress(what, done, total)``: ``("read PATH", i, n)`` before each
    document, then ``("write OUT", n, n)`` and ``("store DIR", n, n)`` before each output. The store
    is changed in one transaction: a build stopped at any point leaves it as it was. With *jobs* > 1
    the documents are read in that many processes (the result is the same)."""
    from .emit import (LEGAL_BASE, LEGAL_REGISTRY_GRAPH, REGISTRY_GRAPH, SHARED_GRAPH, concept_graph, graph_iri_for,
                       registry_triples)
    from .vocab import PREFIXES

    reg = registry if isinstance(registry, AgencyRegistry) else AgencyRegistry.load(registry)
    report = BuildReport()
    graphs: dict[URIRef, list] = {}
    shared_triples: set = set()
    agencies: dict[str, Agency] = {}
    paths = list(paths)
    for p in map(Path, paths):
        if p.is_dir() and not expand_paths([p]):
            report.documents.append(DocumentReport(str(p), None, {}, (),
                                                   f"{p}: directory holds no {'/'.join(sorted(SUPPORTED))} file"))
    files = expand_paths(paths)
    for done, (path, built) in enumerate(_build_all(files, reg, max_bytes, jobs)):
        if progress:
            progress(f"read {path}", done, len(files))
        if isinstance(built, str):
            report.documents.append(DocumentReport(str(path), None, {}, (), built))
            continue
        doc, triples, rp = built
        own = [a for a in rp.agencies if a.unresolved]
        shared = [a for a in rp.agencies if not a.unresolved]
        g = graph_iri_for(doc)
        if g in graphs:
            i, earlier = next((i, d) for i, d in enumerate(report.documents) if d.document == str(doc) and not d.error)
            if not (earlier.row_errors and not rp.record.errors):
                report.documents.append(DocumentReport(str(path), str(doc), {}, (),
                                                       f"{path}: same document as {earlier.path}, built already ({doc})"))
                continue
            # the earlier file had unreadable rows and this one has none: keep this one
            report.documents[i] = DocumentReport(earlier.path, None, {}, (),
                                                 f"{earlier.path}: same document as {path}, which is built instead ({doc})")
        # what the plan says about documents it cites, and the agencies only it names, are pooled
        # in one shared graph: stated once there, not once per plan (joins would multiply)
        mine, prefix = str(doc), str(doc) + "/"
        for t in triples:
            if str(t[0]).startswith(LEGAL_BASE) and str(t[0]) != mine and not str(t[0]).startswith(prefix):
                shared_triples.add(t)
        shared_triples.update(registry_triples(own))
        graphs[g] = [t for t in triples if t not in shared_triples]
        for a in shared:
            agencies[a.id] = a
        rec = rp.record
        counts = {
            "tasks": len(rec.tasks),
            "agencies": sum(1 for a in rp.agencies if not a.is_placeholder),
            "placeholders": sum(1 for a in rp.agencies if a.is_placeholder),
            "legal_documents": len({(c.ref.type_code, c.ref.number, c.ref.year, c.ref.issuer_code)
                                    for c in rec.citations}),
            "citations": len(rec.citations),
            "feedback": len(rec.feedback),
            "triples": len(set(graphs[g])),
        }
        report.documents.append(DocumentReport(str(path), str(doc), counts, rp.warnings, None, rec.errors))
    if not graphs:
        return report
    changes = [c for c in reg.changes if any(i in agencies for i in (*c.before, *c.after))]
    for c in changes:  # both sides of a restructuring, so that its chain can be followed
        for i in (*c.before, *c.after):
            a = reg.by_id[i]
            while a is not None and a.id not in agencies:
                agencies[a.id] = a
                a = reg.by_id.get(a.parent) if a.parent else None
    from .emit import curated_triples
    from .legal_registry import issuer_ids, load_documents
    curated = load_documents()
    for c in curated:  # the issuers of the curated documents and of their bases
        for who in issuer_ids(c, reg.by_id):
            if who in reg.by_id:
                agencies.setdefault(who, reg.by_id[who])
    registry_part = registry_triples(agencies.values(), changes)
    graphs[LEGAL_REGISTRY_GRAPH] = curated_triples(curated, agencies)
    concepts = list(concept_graph())
    shared = sorted(shared_triples)
    if out:
        if progress:
            progress(f"write {out}", len(files), len(files))
        all_graphs = dict(graphs)
        all_graphs[REGISTRY_GRAPH] = registry_part + concepts
        all_graphs[SHARED_GRAPH] = shared
        from .engine import write_graph_file
        report.triples = write_graph_file(out, all_graphs, {k: str(v) for k, v in PREFIXES.items() if k not in ("vnpc", "vnpid")})
        report.outputs.append(str(out))
    if store:
        if progress:
            progress(f"store {store}", len(files), len(files))
        from .engine.local import create_store, open_store, replace_graphs
        concept_graph_iri = URIRef(str(REGISTRY_GRAPH) + "/concepts")
        sp = Path(store)
        if not sp.exists() or (sp.is_dir() and not any(sp.iterdir())):  # a new store: bulk load, then rename
            n = create_store(sp, {**graphs, concept_graph_iri: concepts, REGISTRY_GRAPH: registry_part,
                                  SHARED_GRAPH: shared})
        else:  # an existing store: one SPARQL update (one transaction) replaces the graphs
            st = open_store(store)
            replace_graphs(st, {**graphs, concept_graph_iri: concepts}, {REGISTRY_GRAPH: registry_part},
                           {SHARED_GRAPH: shared})
            n = len(st)
        report.triples = report.triples or n
        report.outputs.append(str(store))
    return report
