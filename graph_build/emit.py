"""Stage 5: the only module that speaks RDF — a resolved plan to triples.

Every IRI is minted from a stable key (document type, number, year and issuer code; agency ids
from the authority file; section and task numbers), so two builds give isomorphic graphs.

>>> from graph_build.build import build_file
>>> graph = emit_plan(build_file("data/samples/hanoi-2023-101-KH-UBND.txt"))
>>> str(doc_iri_for(build_file("data/samples/hanoi-2023-101-KH-UBND.txt").record.header.ref, "Hà Nội"))
'https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi'
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD

from . import __version__
from .legal_refs import NATIONAL_ISSUERS, TYPE_WORDS
from .model import LegalRef, Span
from .legal_registry import CuratedDocument
from .corpus_stats import CorpusCounts
from .resolve import Agency, Change, ResolvedPlan
from .vntext import fold, slug
from .vocab import ELI, OA, ORG, PREFIXES, SCHEMA, VNP, VNPC, VNPID


class _TermsOnce:
    """A namespace whose terms are made once. rdflib makes a new, checked URIRef on every
    ``RDF.type`` or ``ELI.based_on``, and a build asks for them a million times on 1,000 plans.

    >>> _TermsOnce(RDF).type == RDF.type
    True
    """

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:  # the first time only: then it is an attribute
        term = getattr(self._namespace, name)  # rdflib's checks (a closed namespace raises)
        setattr(self, name, term)
        return term


DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD, ELI, OA, ORG, SCHEMA = map(
    _TermsOnce, (DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD, ELI, OA, ORG, SCHEMA))

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
GRAPH_BASE = "https://w3id.org/vnplan/graph/"
REGISTRY_GRAPH = URIRef(GRAPH_BASE + "registry")
LEGAL_REGISTRY_GRAPH = URIRef(GRAPH_BASE + "legal-registry")  # the curated national documents
SHARED_GRAPH = URIRef(GRAPH_BASE + "shared")  # what plans say of the documents they cite, pooled
STATISTICS_GRAPH = URIRef(GRAPH_BASE + "statistics")  # corpus counts, recounted by every build
LEGAL_BASE = str(VNPID) + "legal/"
Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]

_TYPE_WORD = {code: word for word, code in reversed(TYPE_WORDS)}
_TYPE_WORD["CV"] = "Công văn"


def _issuer_slug(ref: LegalRef, province: str | None) -> str:
    code = ref.issuer_code
    first = code.split("-")[0]
    national = (first in NATIONAL_ISSUERS or re.fullmatch(r"QH\d*", first) is not None
                or (first.startswith("B") and len(first) >= 3 and not first.startswith("BQL"))
                or (ref.party and first not in {"TU", "HU", "ĐU", "QU", "BTGTU"}))
    s = slug(code) or "unknown"
    if not national and province:
        s = f"{s}-{slug(province)}"
    return s


def doc_iri_for(ref: LegalRef, province: str | None) -> URIRef:
    """Stable IRI of a legal document: type + year + number + issuer code (scoped when local)."""
    year = ref.year if ref.year else "undated"
    return VNPID[f"legal/{ref.type_code.lower()}/{year}/{ref.number}/{_issuer_slug(ref, province)}"]


def agency_iri(agency: Agency) -> URIRef:
    return VNPID[f"agency/{agency.id}"]


def graph_iri_for(doc: URIRef) -> URIRef:
    """The named graph that holds what one source document says."""
    return URIRef(GRAPH_BASE + str(doc)[len(str(VNPID)):])


@lru_cache(maxsize=4096)  # dates and line numbers recur: make each literal once
def _d(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=4096)
def _n(value: int) -> Literal:
    return Literal(value)


@lru_cache(maxsize=4096)  # group letters and labels recur
def _s(text: str) -> Literal:
    return Literal(text)


_TRUE, _FALSE = Literal(True), Literal(False)


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


def _section_key(number: str) -> str:
    return number.replace(" ", "-")


@lru_cache(maxsize=1)
def concept_graph() -> Graph:
    """The SKOS code lists (document types, agency kinds, roles …) shipped in ``ontology/``."""
    g = Graph()
    g.parse(ONTOLOGY_DIR / "concepts.ttl", format="turtle")
    return g


def change_triples(changes: Iterable[Change]) -> list[Triple]:
    """Restructurings as W3C ORG change events, with their date and public source."""
    out: list[Triple] = []
    for c in changes:
        e = VNPID[f"change/{c.id}"]
        out += [(e, RDF.type, ORG.ChangeEvent), (e, DCTERMS.date, _d(c.date)),
                (e, VNP.changeKind, Literal(c.kind)), (e, DCTERMS.source, URIRef(c.source))]
        if c.note:
            out.append((e, RDFS.comment, _vi(c.note)))
        for old in c.before:
            out += [(e, ORG.originalOrganization, VNPID[f"agency/{old}"]), (VNPID[f"agency/{old}"], ORG.changedBy, e)]
        for new in c.after:
            out += [(e, ORG.resultingOrganization, VNPID[f"agency/{new}"]), (VNPID[f"agency/{new}"], ORG.resultedFrom, e)]
    return out


def registry_triples(agencies: Iterable[Agency], changes: Iterable[Change] = ()) -> list[Triple]:
    """Agencies and placeholders (from the authority file) as W3C ORG / SKOS triples, and the
    restructurings that created or ended them."""
    out: list[Triple] = change_triples(changes)
    for a in agencies:
        s = agency_iri(a)
        if a.is_placeholder:
            out += [(s, RDF.type, VNP.Placeholder),
                    (s, VNP.placeholderKind, Literal(a.kind.removeprefix("placeholder-")))]
        else:
            out.append((s, RDF.type, ORG.Organization))
            if a.parent:
                out += [(s, RDF.type, ORG.OrganizationalUnit),
                        (s, ORG.subOrganizationOf, VNPID[f"agency/{a.parent}"])]
        out += [(s, SKOS.prefLabel, _vi(a.vi)), (s, RDFS.label, _vi(a.vi)),
                (s, ORG.classification, VNPC[f"agency-kind/{a.kind}"])]
        if a.en:
            out.append((s, SKOS.prefLabel, Literal(a.en, lang="en")))
        for alias in a.aliases:
            out.append((s, SKOS.altLabel, _vi(alias)))
        if a.province:
            out.append((s, VNP.province, Literal(a.province)))
        if a.unresolved:
            out.append((s, VNP.unresolved, _TRUE))
        if a.valid_from:
            out.append((s, SCHEMA.foundingDate, _d(a.valid_from)))
        if a.valid_until:
            out.append((s, SCHEMA.dissolutionDate, _d(a.valid_until)))
        out.append((s, VNP.searchKey, Literal(fold(" ".join((a.vi, *(a.aliases), a.en or ""))))))
    return out


def legal_doc_triples(ref: LegalRef, issuer: Agency | None, province: str | None) -> tuple[URIRef, list[Triple]]:
    """A numbered legal document as ELI triples: type, number, date, issuer, label."""
    d = doc_iri_for(ref, province)
    out: list[Triple] = [
        (d, RDF.type, ELI.LegalResource), (d, ELI.type_document, VNPC[f"doctype/{ref.type_code}"]),
        (d, ELI.number, Literal(str(ref.number))), (d, ELI.id_local, Literal(ref.id_local)),
        (d, VNP.code, Literal(ref.code)), (d, VNP.issuerCode, Literal(ref.issuer_code))]
    if ref.year:
        out.append((d, VNP.year, Literal(ref.year)))
    if ref.date:
        out.append((d, ELI.date_document, _d(ref.date)))
    if issuer is not None:
        out.append((d, ELI.passed_by, agency_iri(issuer)))
    elif ref.issuer_text:
        out.append((d, ELI.responsibility_of, Literal(ref.issuer_text)))
    if ref.subject:
        out.append((d, VNP.subjectText, Literal(ref.subject, lang="vi")))
    label = f"{_TYPE_WORD.get(ref.type_code, ref.type_code)} {ref.id_local}"
    out += [(d, RDFS.label, _vi(label)), (d, VNP.searchKey, Literal(fold(f"{label} {ref.subject or ''}")))]
    return d, out


def curated_triples(docs: Iterable[CuratedDocument], agencies: dict[str, Agency]) -> list[Triple]:
    """The curated national documents: title, date, issuer, source page, and their own bases —
    numbered ones as eli:based_on with a vnp:Citation, the others as vnp:Mention — each derived
    from a vnp:Evidence that quotes the page's clauses and names the page (dct:source)."""
    out: list[Triple] = []
    for c in docs:
        d, triples = legal_doc_triples(c.ref, agencies.get(c.issuer), None)
        out += triples
        out += [(d, ELI.title, _vi(c.title)), (d, DCTERMS.source, URIRef(c.source))]
        ev = URIRef(f"{d}/source")
        out += [(ev, RDF.type, VNP.Evidence), (ev, VNP.inDocument, d), (ev, DCTERMS.source, URIRef(c.source)),
                (ev, OA.exact, Literal("; ".join(c.bases_text) or c.title))]
        for text in c.bases_text:
            numbered = [b for b in c.bases if b.printed and b.printed in text] if c.bases else []
            if numbered:
                b = numbered[0]
                issuer = next((a for a in agencies.values() if b.issuer_text and a.vi == b.issuer_text), None)
                bd, btriples = legal_doc_triples(b, issuer, None)
                out += btriples
                node = URIRef(f"{d}/citation/{str(bd)[len(str(VNPID)) + 6:].replace('/', '-')}")
                out += [(d, ELI.based_on, bd), (node, RDF.type, VNP.Citation), (node, VNP.citingResource, d),
                        (node, VNP.citedResource, bd), (node, VNP.relation, VNPC["relation/based-on"]),
                        (node, VNP.mentionText, Literal(text)), (node, VNP.inDocument, d),
                        (node, PROV.wasDerivedFrom, ev)]
            else:
                node = URIRef(f"{d}/mention/{slug(text)[:80]}")
                out += [(node, RDF.type, VNP.Mention), (node, VNP.mentionKind, Literal("legal-basis")),
                        (node, VNP.mentionText, _vi(text)), (node, DCTERMS.isPartOf, d), (node, VNP.inDocument, d),
                        (node, PROV.wasDerivedFrom, ev)]
    return out


class _Emitter:
    def __init__(self, rp: ResolvedPlan):
        self.rp = rp
        self.rec = rp.record
        self.prov = self.rec.province
        self.doc = doc_iri_for(self.rec.header.ref, self.prov)
        self.out: list[Triple] = []
        self.evidence: dict[tuple[int, int], URIRef] = {}
        self.sections: dict[str, URIRef] = {}
        self.days: dict[date, URIRef] = {}

    def add(self, s, p, o) -> None:
        self.out.append((s, p, o))

    # -- provenance -------------------------------------------------------------------------
    def ev(self, span: Span, section: str | None = None, method: str | None = None,
           comment: str | None = None) -> URIRef:
        key = (span.start, span.end)
        if key in self.evidence and method is None:
            return self.evidence[key]
        e = URIRef(f"{self.doc}/evidence/L{span.start}-L{span.end}" + (f"/{method}" if method else ""))
        self.add(e, RDF.type, VNP.Evidence)
        self.add(e, VNP.inDocument, self.doc)
        self.add(e, VNP.lineStart, _n(span.start))
        self.add(e, VNP.lineEnd, _n(span.end))
        self.add(e, OA.exact, Literal(span.text))
        if section and section in self.sections:
            self.add(e, VNP.inSection, self.sections[section])
        if method:
            self.add(e, VNP.method, Literal(method))
        if comment:
            self.add(e, RDFS.comment, Literal(comment, lang="en"))
        if method is None:
            self.evidence[key] = e
        return e

    def quote(self, span: Span, section: str, text: str) -> URIRef:
        """Evidence that quotes *text* (a sentence) from the lines of *span*."""
        key = hashlib.sha1(text.encode()).hexdigest()[:10]
        e = URIRef(f"{self.doc}/evidence/L{span.start}-L{span.end}/q-{key}")
        self.add(e, RDF.type, VNP.Evidence)
        self.add(e, VNP.inDocument, self.doc)
        self.add(e, VNP.lineStart, _n(span.start))
        self.add(e, VNP.lineEnd, _n(span.end))
        self.add(e, OA.exact, Literal(text))
        if section in self.sections:
            self.add(e, VNP.inSection, self.sections[section])
        return e

    def day(self, when: date) -> URIRef:
        """The plan's instant for the day *when* (``<plan>/day/2023-12-31``), stated once per plan: the
        timelines of a plan share their first and last days."""
        if when not in self.days:
            self.days[when] = i = URIRef(f"{self.doc}/day/{when.isoformat()}")
            self.add(i, RDF.type, TIME.Instant)
            self.add(i, TIME.inXSDDate, _d(when))
        return self.days[when]

    def derived(self, s, span: Span, section: str | None = None) -> None:
        self.add(s, PROV.wasDerivedFrom, self.ev(span, section))

    # -- parts ------------------------------------------------------------------------------
    def legal_doc(self, ref: LegalRef, issuer: Agency | None) -> URIRef:
        d, triples = legal_doc_triples(ref, issuer, self.prov)
        self.out += triples
        return d

    def header(self) -> None:
        h, doc = self.rec.header, self.doc
        self.add(doc, RDF.type, VNP.SourceDocument)
        self.add(doc, RDF.type, ELI.LegalResource)
        self.add(doc, ELI.type_document, VNPC[f"doctype/{h.type_code}"])
        self.add(doc, ELI.id_local, Literal(h.ref.id_local))
        self.add(doc, VNP.numberPrinted, Literal(h.ref.number_printed))
        self.add(doc, ELI.number, Literal(str(h.ref.number)))
        self.add(doc, VNP.code, Literal(h.ref.code))
        self.add(doc, VNP.typeCode, Literal(h.type_code))
        self.add(doc, VNP.issuerCode, Literal(h.ref.issuer_code))
        self.add(doc, VNP.year, Literal(h.date.year))
        self.add(doc, ELI.date_document, _d(h.date))
        if h.place:
            self.add(doc, VNP.placeOfIssue, Literal(h.place))
        self.add(doc, DCTERMS.title, _vi(h.title))
        self.add(doc, RDFS.label, _vi(f"{h.type_word} {h.ref.id_local}"))
        self.add(doc, VNP.searchKey, Literal(fold(f"{h.type_word} {h.ref.id_local} {h.title}")))
        if h.covers_year:
            self.add(doc, VNP.coversYear, Literal(h.covers_year))
        self.add(doc, DCTERMS.source, Literal(self.rec.source.name))
        self.add(doc, ELI.passed_by, agency_iri(self.rp.issuer))
        comment = ("The letterhead is missing from the source text; the issuer is inferred from the body."
                   if h.issuer_method == "inferred-from-body" else "Issuer read from the letterhead.")
        self.add(doc, VNP.issuerEvidence, self.ev(h.issuer_span, None, h.issuer_method, comment))
        self.derived(doc, h.span)
        activity = VNPID[f"activity/vnplan-{__version__}"]
        self.add(doc, PROV.wasGeneratedBy, activity)
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, RDFS.label, Literal(f"vnplan {__version__} extraction", lang="en"))

    def section_nodes(self) -> None:
        for sec in self.rec.sections:
            s = URIRef(f"{self.doc}/section/{_section_key(sec.number)}")
            self.sections[sec.number] = s
            self.add(s, RDF.type, VNP.Section)
            self.add(s, RDF.type, ELI.LegalResourceSubdivision)
            self.add(s, VNP.sectionNumber, Literal(sec.number))
            self.add(s, DCTERMS.title, _vi(sec.title))
            self.add(s, ELI.is_part_of, self.doc)
            self.add(s, VNP.inDocument, self.doc)
            self.add(self.doc, VNP.hasSection, s)
            self.add(self.doc, ELI.has_part, s)
        for sec in self.rec.sections:
            self.derived(self.sections[sec.number], sec.span, sec.number)

    def task_iri(self, ref: str) -> URIRef:
        return URIRef(f"{self.doc}/task/{ref}")

    def citations(self) -> None:
        for c, issuer in zip(self.rec.citations, self.rp.citation_issuers):
            d = self.legal_doc(c.ref, issuer)
            if c.relation == "based-on":
                citing, prop = self.doc, ELI.based_on
            elif c.task:
                citing, prop = self.task_iri(c.task), ELI.cites
            else:
                citing, prop = self.sections.get(c.section, self.doc), ELI.cites
            self.add(citing, prop, d)
            node = URIRef(f"{citing}/citation/{str(d)[len(str(VNPID)) + 6:].replace('/', '-')}")
            self.add(node, RDF.type, VNP.Citation)
            self.add(node, VNP.citingResource, citing)
            self.add(node, VNP.citedResource, d)
            self.add(node, VNP.relation, VNPC[f"relation/{c.relation}"])
            self.add(node, VNP.mentionText, Literal(c.ref.printed))
            self.add(node, VNP.inDocument, self.doc)
            self.derived(node, c.span, c.section)
        for i, m in enumerate(self.rec.mentions):
            owner = self.task_iri(m.task) if m.task else self.sections.get(m.section, self.doc)
            node = URIRef(f"{owner}/mention/{slug(m.text)[:80]}")
            self.add(node, RDF.type, VNP.Mention)
            self.add(node, VNP.mentionKind, Literal(m.kind))
            self.add(node, VNP.mentionText, _vi(m.text))
            self.add(node, VNP.inDocument, self.doc)
            self.add(node, DCTERMS.isPartOf, owner)
            self.derived(node, m.span, m.section)

    def instruments(self) -> None:
        """Named instruments, the documents that approve, issue or implement them, and the tasks
        that name them (step 2 of a trace)."""
        nodes: list[URIRef] = []
        for b in self.rec.instruments:
            i = URIRef(f"{self.doc}/instrument/{slug(b.name)[:80]}")
            nodes.append(i)
            d = doc_iri_for(b.ref, self.prov)
            self.add(i, RDF.type, VNP.NamedInstrument)
            self.add(i, SKOS.prefLabel, _vi(b.name))
            self.add(i, RDFS.label, _vi(b.name))
            self.add(i, VNP.mentionKind, Literal(b.kind))
            self.add(i, VNP.searchKey, Literal(fold(b.name)))
            self.add(i, VNP.enactedBy, d)
            self.add(i, VNP.inDocument, self.doc)
            n = URIRef(f"{i}/basis/{str(d)[len(str(VNPID)) + 6:].replace('/', '-')}")
            self.add(n, RDF.type, VNP.InstrumentBasis)
            self.add(n, VNP.inDocument, self.doc)
            self.add(n, VNP.instrument, i)
            self.add(n, VNP.citedResource, d)
            self.add(n, VNP.relation, VNPC[f"relation/{b.relation}"])
            quote = self.quote(b.span, b.section, b.sentence)
            self.add(n, PROV.wasDerivedFrom, quote)
            self.add(i, PROV.wasDerivedFrom, quote)
        for u in self.rec.instrument_uses:
            i, b = nodes[u.basis], self.rec.instruments[u.basis]
            t = self.task_iri(u.task)
            self.add(t, VNP.instrument, i)
            m = URIRef(f"{t}/instrument/{slug(b.name)[:80]}")
            self.add(m, RDF.type, VNP.Mention)
            self.add(m, VNP.mentionKind, Literal(b.kind))
            self.add(m, VNP.mentionText, _vi(u.text))
            self.add(m, VNP.instrument, i)
            self.add(m, VNP.inDocument, self.doc)
            self.add(m, DCTERMS.isPartOf, t)
            self.derived(m, u.span, "appendix")

    def tasks(self) -> None:
        for task, links in zip(self.rec.tasks, self.rp.task_links):
            t = self.task_iri(task.ref)
            self.add(t, RDF.type, VNP.Task)
            self.add(t, VNP.inDocument, self.doc)
            self.add(t, DCTERMS.isPartOf, self.sections.get("appendix", self.doc))
            self.add(t, VNP.group, _s(task.group))
            self.add(t, VNP.groupLabel, _s(task.group_label))
            self.add(t, VNP.taskNumber, _n(task.number))
            self.add(t, VNP.content, _vi(task.content))
            short = task.content.split("\n")[0]
            short = short if len(short) <= 80 else short[:80].rsplit(" ", 1)[0] + " …"
            self.add(t, RDFS.label, _vi(f"{task.ref} {short}"))
            self.add(t, VNP.searchKey, Literal(fold(task.content)))
            self.derived(t, task.span, "appendix")
            tl = task.timeline
            n = URIRef(f"{t}/timeline")
            self.add(t, VNP.timeline, n)
            self.add(n, RDF.type, VNP.Timeline)
            self.add(n, RDFS.label, _vi(tl.printed))
            self.add(n, VNP.timelineKind, VNPC[f"timeline-kind/{tl.kind}"])
            if tl.start:
                self.add(n, TIME.hasBeginning, self.day(tl.start))
            if tl.end:
                self.add(n, TIME.hasEnd, self.day(tl.end))
            if tl.recurrence:
                self.add(n, VNP.recurrence, Literal(tl.recurrence, datatype=XSD.duration))
            if tl.bounds_from_plan_year:
                self.add(n, VNP.boundsFromPlanYear, _TRUE)
            for link in links:
                a = agency_iri(link.agency)
                if link.role == "lead":  # from the lead column, or "giao X chủ trì" in a plan without one
                    self.add(t, SCHEMA.agent, a)
                elif link.stated_in == "column":
                    self.add(t, SCHEMA.participant, a)
                node = URIRef(f"{t}/assignment/{link.role}/{link.stated_in}/{link.agency.id.replace('/', '.')}")
                self.add(t, VNP.hasAssignment, node)
                self.add(node, RDF.type, VNP.Assignment)
                self.add(node, VNP.agency, a)
                self.add(node, VNP.role, VNPC[f"role/{link.role}"])
                self.add(node, VNP.statedIn, VNPC[f"stated-in/{link.stated_in}"])
                self.add(node, VNP.mentionText, Literal(link.text))
                self.derived(node, link.span, "appendix")

    def duties(self) -> None:
        counters: dict[str, int] = {}
        for duty, agency in zip(self.rec.duties, self.rp.duty_agencies):
            counters[duty.section] = counters.get(duty.section, 0) + 1
            d = URIRef(f"{self.doc}/duty/{duty.section}/{counters[duty.section]}")
            self.add(d, RDF.type, VNP.Duty)
            self.add(d, VNP.inDocument, self.doc)
            self.add(d, DCTERMS.isPartOf, self.sections[duty.section])
            self.add(d, VNP.dutyOf, agency_iri(agency))
            self.add(d, VNP.dutyKind, VNPC[f"duty-kind/{duty.kind}"])
            self.add(d, VNP.content, _vi(duty.content))
            self.add(d, VNP.searchKey, Literal(fold(duty.content)))
            self.derived(d, duty.span, duty.section)
        for i, (r, (to, send, who)) in enumerate(zip(self.rec.reporting, self.rp.reporting), 1):
            d = URIRef(f"{self.doc}/reporting/{i}")
            self.add(d, RDF.type, VNP.ReportingDuty)
            self.add(d, RDF.type, VNP.Duty)
            self.add(d, VNP.inDocument, self.doc)
            self.add(d, VNP.dutyKind, VNPC["duty-kind/order"])
            self.add(d, VNP.reportPeriod, Literal(r.period))
            self.add(d, VNP.content, _vi(r.text))
            if r.due_before:
                self.add(d, VNP.dueBefore, _d(r.due_before))
            if to:
                self.add(d, VNP.reportTo, agency_iri(to))
            if send:
                self.add(d, VNP.submitTo, agency_iri(send))
            for a in who:
                self.add(d, VNP.dutyOf, agency_iri(a))
            self.derived(d, r.span, "closing")

    def feedback(self) -> None:
        for f, agency in zip(self.rec.feedback, self.rp.feedback_agencies):
            n = URIRef(f"{self.doc}/feedback/{f.number}")
            self.add(n, RDF.type, VNP.Feedback)
            self.add(n, VNP.inDocument, self.doc)
            self.add(n, VNP.feedbackNumber, _n(f.number))
            if agency is not None:
                self.add(n, VNP.commentBy, agency_iri(agency))
            self.add(n, VNP.letterNumber, Literal(f.letter_number))
            self.add(n, VNP.mentionText, Literal(f.letter_printed))
            if f.letter_date:
                self.add(n, VNP.letterDate, _d(f.letter_date))
            self.add(n, VNP.position, VNPC[f"position/{f.position}"])
            self.add(n, VNP.commentText, Literal(f.comment))
            self.add(n, VNP.accepted, _TRUE if f.accepted else _FALSE)
            if f.response:
                self.add(n, VNP.responseText, Literal(f.response))
            self.derived(n, f.span, "feedback")

    def recipients(self) -> None:
        for i, (r, agency) in enumerate(zip(self.rec.recipients, self.rp.recipient_agencies), 1):
            n = URIRef(f"{self.doc}/recipient/{i}")
            self.add(self.doc, VNP.recipient, n)
            self.add(n, RDF.type, VNP.RecipientEntry)
            self.add(n, VNP.inDocument, self.doc)
            self.add(n, VNP.mentionText, _vi(r.text))
            self.add(n, VNP.recipientKind, VNPC[f"recipient-kind/{r.kind}"])
            if agency is not None:
                self.add(n, VNP.agency, agency_iri(agency))
            self.derived(n, r.span, "recipients")

    def signature(self) -> None:
        sig = self.rec.signature
        if sig is None:
            return
        n = URIRef(f"{self.doc}/signature")
        self.add(self.doc, VNP.signature, n)
        self.add(n, RDF.type, VNP.Signature)
        self.add(n, VNP.inDocument, self.doc)
        self.add(n, VNP.capacity, Literal(sig.capacity))
        if sig.name:
            self.add(n, VNP.signerName, Literal(sig.name))
        if sig.position:
            self.add(n, VNP.signerPosition, Literal(sig.position))
        if sig.acting_for:
            self.add(n, VNP.actingFor, Literal(sig.acting_for))
        if self.rp.signature_agency is not None:
            self.add(n, VNP.onBehalfOf, agency_iri(self.rp.signature_agency))
        self.derived(n, sig.span, "signature")

    def notes(self) -> None:
        for i, note in enumerate(self.rec.notes, 1):
            n = URIRef(f"{self.doc}/note/{i}")
            self.add(self.doc, VNP.dataQuality, n)
            self.add(n, RDF.type, VNP.DataQualityNote)
            self.add(n, VNP.inDocument, self.doc)
            self.add(n, VNP.about, self.doc)
            self.add(n, VNP.noteKind, Literal(note.kind))
            self.add(n, RDFS.comment, Literal(note.message, lang="en"))
            self.add(n, VNP.printedValue, Literal(note.printed))
            self.add(n, VNP.expectedValue, Literal(note.expected))
            self.derived(n, note.span)

    def run(self) -> list[Triple]:
        self.section_nodes()
        self.header()
        self.citations()
        self.tasks()
        self.instruments()
        self.duties()
        self.feedback()
        self.recipients()
        self.signature()
        self.notes()
        return self.out


def plan_triples(rp: ResolvedPlan) -> tuple[URIRef, list[Triple]]:
    """``(document IRI, triples)`` for one resolved plan (agencies excluded: see :func:`registry_triples`)."""
    e = _Emitter(rp)
    return e.doc, e.run()


def emit_plan(rp: ResolvedPlan) -> Graph:
    """One plan as an rdflib graph with its agencies and the code lists (handy in notebooks)."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    _, triples = plan_triples(rp)
    for t in triples:
        g.add(t)
    for t in registry_triples(rp.agencies):
        g.add(t)
    g += concept_graph()
    return g


def statistics_triples(counts: CorpusCounts) -> list[Triple]:
    """The corpus statistics as triples for :data:`STATISTICS_GRAPH`: counts on each agency and
    cited legal document, a ``vnp:CoordinationLink`` per lead–coordinator pair, and the graph's
    provenance (the plans it was counted from, the vnplan version that counted)."""
    g = STATISTICS_GRAPH
    activity = VNPID[f"activity/vnplan-{__version__}-statistics"]
    out: list[Triple] = [
        (g, RDF.type, PROV.Entity),
        (g, RDFS.label, Literal("Corpus statistics", lang="en")),
        (g, RDFS.label, _vi("Số liệu tổng hợp")),
        (g, DCTERMS.description, Literal("Counts over every plan of this graph, made by vnplan build from the plans' "
                                         "own triples and recounted whenever a build changes the graph; the queries "
                                         "agencies, agency-profile, coordination and legal-documents read them.", lang="en")),
        (g, PROV.wasGeneratedBy, activity),
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"vnplan {__version__} corpus statistics", lang="en")),
    ]
    out += [(g, PROV.wasDerivedFrom, URIRef(p)) for p in counts.plans]
    names = ("leads", "coordinates", "coordinates_column", "coordinates_text", "plans", "duties", "reports",
             "comments", "comments_taken_up")
    props = (VNP.tasksLed, VNP.tasksCoordinated, VNP.tasksCoordinatedInColumn, VNP.tasksCoordinatedInText,
             VNP.plansLeadingIn, VNP.dutyCount, VNP.reportCount, VNP.commentCount, VNP.commentsTakenUp)
    for a, c in sorted(counts.agencies.items()):
        s = URIRef(a)
        out += [(s, prop, Literal(getattr(c, name))) for name, prop in zip(names, props)]
    for a, n in sorted(counts.partners.items()):
        out.append((URIRef(a), VNP.partnerCount, Literal(n)))
    for link in counts.links:
        node = VNPID["coordination/" + "--".join(_agency_key(x) for x in (link.lead, link.coordinator))]
        out += [(node, RDF.type, VNP.CoordinationLink), (node, VNP.leadAgency, URIRef(link.lead)),
                (node, VNP.coordinatingAgency, URIRef(link.coordinator)), (node, VNP.sharedTasks, Literal(link.tasks)),
                (node, VNP.sharedTasksInColumn, Literal(link.in_columns)),
                (node, VNP.sharedTasksInText, Literal(link.in_text)), (node, VNP.sharedTaskRefs, Literal(link.task_refs))]
    for d, (n, based) in sorted(counts.cited.items()):
        out += [(URIRef(d), VNP.citationCount, Literal(n)), (URIRef(d), VNP.citedAsBasis, Literal(based))]
    return out


def _agency_key(iri: str) -> str:
    """The agency's id (the last part of its IRI), or a digest for an IRI from elsewhere."""
    base = str(VNPID) + "agency/"
    return iri[len(base):] if iri.startswith(base) else "x-" + hashlib.sha1(iri.encode()).hexdigest()[:12]
