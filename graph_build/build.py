"""Run the pipeline on files: read → extract → resolve → emit, then write a graph file and/or
load the embedded store. One bad file never stops the batch; each gets a one-line error.

>>> report = build_documents(["data/samples/hanoi-2023-101-KH-UBND.txt"])
>>> report.documents[0].counts["tasks"], report.failed
(49, 0)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .corpus_stats import PREDICATES, RDF_TYPE, PlanCounts, add_up, plan_counts
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


@dataclass(frozen=True)
class BuiltDocument:
    """One document built in a worker, ready to store: its own graph as N-Quads, what it adds to
    the shared graph as N-Triples lines, the registry agencies it names, its share of the corpus
    statistics, and its report."""
    path: str
    document: str
    graph: str
    quads: bytes
    shared: frozenset[str]
    agencies: tuple[Agency, ...]
    counts: dict[str, int]
    warnings: tuple[str, ...]
    row_errors: tuple[str, ...]
    statistics: PlanCounts


def _build_one(path: Path, reg: AgencyRegistry, max_bytes: int | None) -> BuiltDocument | str:
    """One file built, or its one-line error. What the plan says about documents it cites, and the
    agencies only it names, go to the shared graph: stated once there, not once per plan (joins
    would multiply)."""
    from .emit import LEGAL_BASE, agency_iri, graph_iri_for, plan_triples, registry_triples
    from .engine.local import nquads, ntriples_lines
    try:
        if path.suffix.lower() not in SUPPORTED and path.exists() and path.is_file():
            raise InputError(str(path), f"unsupported file type {path.suffix!r}; vnplan reads .txt, .docx and .pdf")
        rp = build_file(path, reg, max_bytes)
        doc, triples = plan_triples(rp)
    except VnplanError as err:
        return str(err)
    mine, prefix = str(doc), str(doc) + "/"
    shared, own = [], []
    for t in triples:
        subject = str(t[0])
        if subject.startswith(LEGAL_BASE) and subject != mine and not subject.startswith(prefix):
            shared.append(t)
        else:
            own.append(t)
    shared += registry_triples([a for a in rp.agencies if a.unresolved])
    own = list(dict.fromkeys(own))
    rec = rp.record
    counts = {
        "tasks": len(rec.tasks),
        "agencies": sum(1 for a in rp.agencies if not a.is_placeholder),
        "placeholders": sum(1 for a in rp.agencies if a.is_placeholder),
        "legal_documents": len({(c.ref.type_code, c.ref.number, c.ref.year, c.ref.issuer_code)
                                for c in rec.citations}),
        "citations": len(rec.citations),
        "feedback": len(rec.feedback),
        "triples": len(own),
    }
    g = graph_iri_for(doc)
    organisations = {str(agency_iri(a)) for a in rp.agencies if not a.is_placeholder}
    statistics = plan_counts(mine, ((str(s), str(p), str(o)) for s, p, o in own), organisations)
    return BuiltDocument(str(path), mine, str(g), nquads(g, own), frozenset(ntriples_lines(shared)),
                         tuple(a for a in rp.agencies if not a.unresolved), counts, tuple(rp.warnings),
                         tuple(rec.errors), statistics)


_WORKER: dict = {}


def _start_worker(reg: AgencyRegistry, max_bytes: int | None) -> None:
    _WORKER.update(reg=reg, max_bytes=max_bytes)  # sent once per process, not once per file


def _build_in_worker(path: Path) -> BuiltDocument | str:
    return _build_one(path, _WORKER["reg"], _WORKER["max_bytes"])


def _build_all(files: list[Path], reg: AgencyRegistry, max_bytes: int | None, jobs: int):
    """``(path, result)`` for each file, in order; in *jobs* processes when more than one."""
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield path, _build_one(path, reg, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(reg, max_bytes)) as pool:
        for path, result in zip(files, pool.map(_build_in_worker, files, chunksize=4)):
            yield path, result


class _Spool:
    """A temporary N-Quads file beside *near*: each document's graph appended as it arrives, so
    that memory does not grow with the corpus. A graph written again replaces the earlier one."""

    def __init__(self, near: Path):
        import tempfile
        near.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{near.name}.", suffix=".nq", dir=near.parent)
        self.path = Path(name)
        self.fh = open(fd, "wb")
        self.segments: dict[str, tuple[int, int]] = {}
        self.dropped = False

    def write(self, graph: str, data: bytes) -> None:
        self.dropped = self.dropped or graph in self.segments
        self.segments[graph] = (self.fh.tell(), len(data))
        self.fh.write(data)

    def close(self) -> Path:
        """The file, holding only the latest segment of each graph."""
        self.fh.close()
        if self.dropped:
            kept = self.path.with_suffix(".kept.nq")
            with open(self.path, "rb") as src, open(kept, "wb") as dst:
                for offset, length in sorted(self.segments.values()):
                    src.seek(offset)
                    dst.write(src.read(length))
            os.replace(kept, self.path)
        return self.path

    def remove(self) -> None:
        self.fh.close()
        self.path.unlink(missing_ok=True)


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
    reg = registry if isinstance(registry, AgencyRegistry) else AgencyRegistry.load(registry)
    report = BuildReport()
    built: dict[str, int] = {}  # graph IRI → index of its document in the report
    shared_lines: set[str] = set()
    agencies: dict[str, Agency] = {}
    shares: dict[str, PlanCounts] = {}  # graph IRI → its plan's share of the statistics
    paths = list(paths)
    for p in map(Path, paths):
        if p.is_dir() and not expand_paths([p]):
            report.documents.append(DocumentReport(str(p), None, {}, (),
                                                   f"{p}: directory holds no {'/'.join(sorted(SUPPORTED))} file"))
    files = expand_paths(paths)
    sink = _Sink(out, store) if files and (out or store) else None
    try:
        for done, (path, b) in enumerate(_build_all(files, reg, max_bytes, jobs)):
            if progress:
                progress(f"read {path}", done, len(files))
            if isinstance(b, str):
                report.documents.append(DocumentReport(str(path), None, {}, (), b))
                continue
            if b.graph in built:
                i = built[b.graph]
                earlier = report.documents[i]
                if not (earlier.row_errors and not b.row_errors):
                    report.documents.append(DocumentReport(str(path), b.document, {}, (),
                                                           f"{path}: same document as {earlier.path}, built already ({b.document})"))
                    continue
                # the earlier file had unreadable rows and this one has none: keep this one
                report.documents[i] = DocumentReport(earlier.path, None, {}, (),
                                                     f"{earlier.path}: same document as {path}, which is built instead ({b.document})")
            if sink:
                sink.write(b.graph, b.quads)
            shared_lines |= b.shared
            shares[b.graph] = b.statistics
            for a in b.agencies:
                agencies[a.id] = a
            built[b.graph] = len(report.documents)
            report.documents.append(DocumentReport(str(path), b.document, b.counts, b.warnings, None, b.row_errors))
        if built and sink:
            _finish(report, sink, reg, agencies, shared_lines, shares, progress, len(files))
    finally:
        if sink:
            sink.close()
    return report


class _Sink:
    """Where built graphs go as they arrive: a new store loads them at once (in a background
    thread); a graph file or an existing store reads them from a spool file at the end."""

    def __init__(self, out, store):
        from .engine.local import NewStore
        self.out, self.store = out, store
        sp = Path(store) if store else None
        self.new_store = NewStore(sp) if sp and (not sp.exists() or (sp.is_dir() and not any(sp.iterdir()))) else None
        self.spool = _Spool(Path(out or store)) if out or (store and not self.new_store) else None
        self.written: set[str] = set()

    def write(self, graph: str, data: bytes) -> None:
        if self.new_store:
            if graph in self.written:
                self.new_store.replace(graph, data)
            else:
                self.new_store.write(data)
        if self.spool:
            self.spool.write(graph, data)
        self.written.add(graph)

    def close(self) -> None:
        if self.new_store:
            self.new_store.abort()  # a no-op once committed
        if self.spool:
            self.spool.remove()


def _finish(report: BuildReport, sink: _Sink, reg: AgencyRegistry, agencies: dict[str, Agency],
            shared_lines: set[str], shares: dict[str, PlanCounts], progress, n: int) -> None:
    """Add the registry, code lists, curated documents, the shared graph and the corpus
    statistics, then finish *out* and/or *store*."""
    from .emit import (LEGAL_REGISTRY_GRAPH, REGISTRY_GRAPH, SHARED_GRAPH, STATISTICS_GRAPH, concept_graph,
                       curated_triples, registry_triples, statistics_triples)
    from .engine.local import nquads
    from .legal_registry import issuer_ids, load_documents
    from .vocab import PREFIXES
    changes = [c for c in reg.changes if any(i in agencies for i in (*c.before, *c.after))]
    for c in changes:  # both sides of a restructuring, so that its chain can be followed
        for i in (*c.before, *c.after):
            a = reg.by_id[i]
            while a is not None and a.id not in agencies:
                agencies[a.id] = a
                a = reg.by_id.get(a.parent) if a.parent else None
    curated = load_documents()
    for c in curated:  # the issuers of the curated documents and of their bases
        for who in issuer_ids(c, reg.by_id):
            if who in reg.by_id:
                agencies.setdefault(who, reg.by_id[who])
    concept_graph_iri = str(REGISTRY_GRAPH) + "/concepts"
    sink.write(str(LEGAL_REGISTRY_GRAPH), nquads(LEGAL_REGISTRY_GRAPH, curated_triples(curated, agencies)))
    sink.write(concept_graph_iri, nquads(concept_graph_iri, concept_graph()))
    sink.write(str(REGISTRY_GRAPH), nquads(REGISTRY_GRAPH, registry_triples(agencies.values(), changes)))
    sink.write(str(SHARED_GRAPH), "".join(f"{line} <{SHARED_GRAPH}> .\n"
                                          for line in sorted(shared_lines)).encode("utf-8"))
    built_documents = {s.plan for s in shares.values()}
    sink.write(str(STATISTICS_GRAPH), nquads(STATISTICS_GRAPH, statistics_triples(add_up(shares.values(), built_documents))))
    path = sink.spool.close() if sink.spool else None
    if sink.out:
        if progress:
            progress(f"write {sink.out}", n, n)
        from .engine import write_graph_file
        report.triples = write_graph_file(sink.out, path, {k: str(v) for k, v in PREFIXES.items()
                                                           if k not in ("vnpc", "vnpid")})
        report.outputs.append(str(sink.out))
    if sink.store:
        if progress:
            progress(f"store {sink.store}", n, n)
        if sink.new_store:  # loaded while the documents were built: move it into place
            count = sink.new_store.commit()
        else:  # an existing store: one SPARQL update (one transaction) replaces the graphs
            from .engine.local import open_store, read_nquads, replace_graphs
            st = open_store(sink.store)
            graphs = read_nquads(path)
            graphs[str(STATISTICS_GRAPH)] = _recount(st, graphs, shares)
            registry_part = graphs.pop(str(REGISTRY_GRAPH))
            shared = graphs.pop(str(SHARED_GRAPH), [])
            replace_graphs(st, graphs, {str(REGISTRY_GRAPH): registry_part}, {str(SHARED_GRAPH): shared})
            count = len(st)
        report.triples = report.triples or count
        report.outputs.append(str(sink.store))


def _recount(store, graphs: dict[str, list], shares: dict[str, PlanCounts]) -> list[tuple]:
    """The statistics graph of an existing store once *graphs* replace their namesakes: the plans
    built now count from their *shares*, the store's other plans are recounted from the store."""
    from .emit import statistics_triples
    from .engine.local import members, plan_graphs, to_ox
    from .vocab import ORG, VNP
    organisations = members(store, str(ORG.Organization))
    organisations |= {t[0].value for g in graphs.values() for t in g
                      if t[1].value == RDF_TYPE and t[2].value == str(ORG.Organization)}
    documents = members(store, str(VNP.SourceDocument)) | {s.plan for s in shares.values()}
    parts = dict(shares)
    for g, d, triples in plan_graphs(store, PREDICATES):
        if g not in graphs:
            parts[g] = plan_counts(d, triples, organisations)
    return [tuple(map(to_ox, t)) for t in statistics_triples(add_up(parts.values(), documents))]

