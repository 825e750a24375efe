"""Corpus statistics: what the aggregate queries count (tasks each agency leads and coordinates,
who coordinates with whom, how often each legal document is cited), counted once when a graph is
built instead of at every query.

Each plan's share is counted from that plan's own triples (IRIs and literal values as strings), in
the process that builds it; the shares are then added up. A store that already holds other plans
is recounted from its graphs by the same function, so a build and a recount always agree. The
definitions are those of the catalogue queries `agencies`, `agency-profile`, `coordination` and
`legal-documents` (tests compare both ways of counting on real plans).

>>> V = "https://w3id.org/vnplan/ontology#"
>>> triples = [("t1", "https://schema.org/agent", "a1"), ("t1", V + "inDocument", "p")]
>>> c = plan_counts("p", triples, organisations={"a1"})
>>> c.agencies["a1"].leads, c.agencies["a1"].plans
(1, 1)
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

_V = "https://w3id.org/vnplan/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_AGENT = "https://schema.org/agent"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_CONCEPT = "https://w3id.org/vnplan/concept/"
COORDINATOR = _CONCEPT + "role/coordinator"
IN_COLUMN = _CONCEPT + "stated-in/column"
IN_TEXT = _CONCEPT + "stated-in/text"
BASED_ON = _CONCEPT + "relation/based-on"

#: the predicates the counts read; a store is recounted from these alone
PREDICATES = frozenset({RDF_TYPE, _AGENT, _DERIVED} | {_V + p for p in (
    "inDocument", "hasAssignment", "agency", "role", "statedIn", "dutyOf", "commentBy", "accepted",
    "citedResource", "citingResource", "relation", "group", "taskNumber", "lineStart")})


@dataclass(frozen=True)
class AgencyCounts:
    """What the plans ask of one agency (the columns of the `agency-profile` query)."""
    leads: int = 0
    coordinates: int = 0            # in the column or in the text
    coordinates_column: int = 0
    coordinates_text: int = 0
    plans: int = 0                  # documents in which it leads a task
    duties: int = 0
    reports: int = 0
    comments: int = 0
    comments_taken_up: int = 0

    def __add__(self, other: "AgencyCounts") -> "AgencyCounts":
        return AgencyCounts(*(a + b for a, b in zip(self._values(), other._values())))

    def _values(self) -> tuple[int, ...]:
        return (self.leads, self.coordinates, self.coordinates_column, self.coordinates_text, self.plans,
                self.duties, self.reports, self.comments, self.comments_taken_up)


@dataclass(frozen=True)
class SharedTask:
    """One task that a lead agency shares with a coordinating agency."""
    lead: str
    coordinator: str
    ref: str          # "I.8", or "8" when the table has no groups
    in_column: bool   # named in the coordinators column (else only in the task's text)
    document: str
    first_line: int


@dataclass(frozen=True)
class PlanCounts:
    """One plan's share of the corpus statistics."""
    plan: str
    agencies: Mapping[str, AgencyCounts] = field(default_factory=dict)
    partners: frozenset[tuple[str, str]] = frozenset()   # (agency, agency sharing a task with it)
    shared: tuple[SharedTask, ...] = ()
    cited: Mapping[str, tuple[int, bool]] = field(default_factory=dict)  # document → (citing resources, based on)


@dataclass(frozen=True)
class CoordinationLink:
    lead: str
    coordinator: str
    tasks: int
    in_columns: int
    in_text: int
    task_refs: str


@dataclass(frozen=True)
class CorpusCounts:
    """The statistics of every plan of a graph, ready to emit."""
    plans: tuple[str, ...]
    agencies: Mapping[str, AgencyCounts]
    partners: Mapping[str, int]
    links: tuple[CoordinationLink, ...]
    cited: Mapping[str, tuple[int, bool]]


def plan_counts(plan: str, triples: Iterable[tuple[str, str, str]], organisations: set[str] | frozenset[str]) -> PlanCounts:
    """One plan's share, from the triples of its own graph. Only *organisations* (agency IRIs typed
    org:Organization) are counted: placeholders ("các cơ quan liên quan") have no counts, no
    partners and coordinate with no one, though a placeholder lead still shares its tasks."""
    by_p: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in triples:
        if p in PREDICATES:
            by_p[p].append((s, o))
    one = {p: dict(pairs) for p, pairs in by_p.items()}  # single-valued properties
    types = defaultdict(set)
    for s, o in by_p[RDF_TYPE]:
        types[o].add(s)
    in_doc = one.get(_V + "inDocument", {})
    counts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))

    lead_of = defaultdict(set)
    for t, a in by_p[_AGENT]:
        counts[a]["leads"].add(t)
        lead_of[t].add(a)
        if t in in_doc:
            counts[a]["plans"].add(in_doc[t])
    role, stated, agency = (one.get(_V + k, {}) for k in ("role", "statedIn", "agency"))
    on_task = defaultdict(set)
    for t, node in by_p[_V + "hasAssignment"]:
        a = agency.get(node)
        if a is None:
            continue
        on_task[t].add(a)
        if role.get(node) == COORDINATOR:
            counts[a]["coordinates"].add(t)
            if stated.get(node) == IN_COLUMN:
                counts[a]["coordinates_column"].add(t)
            elif stated.get(node) == IN_TEXT:
                counts[a]["coordinates_text"].add(t)
    reporting = types.get(_V + "ReportingDuty", set())
    for d, a in by_p[_V + "dutyOf"]:
        counts[a]["reports" if d in reporting else "duties"].add(d)
    accepted = {s for s, o in by_p[_V + "accepted"] if o == "true"}
    for f, a in by_p[_V + "commentBy"]:
        counts[a]["comments"].add(f)
        if f in accepted:
            counts[a]["comments_taken_up"].add(f)
    agencies = {a: AgencyCounts(**{k: len(v) for k, v in c.items()}) for a, c in counts.items() if a in organisations}

    partners = frozenset((a, b) for names in on_task.values() for a in names for b in names
                         if a != b and a in organisations and b in organisations)

    tasks = types.get(_V + "Task", set())
    group, number, line = (one.get(_V + k, {}) for k in ("group", "taskNumber", "lineStart"))
    evidence = defaultdict(list)
    for s, ev in by_p[_DERIVED]:
        if ev in line:
            evidence[s].append(int(line[ev]))
    shared: dict[tuple[str, str, str], SharedTask] = {}
    for t, node in by_p[_V + "hasAssignment"]:
        c = agency.get(node)
        if (t not in tasks or role.get(node) != COORDINATOR or c not in organisations or t not in in_doc
                or not evidence[t] or t not in group or t not in number or node not in stated):
            continue
        ref = number[t] if group[t] == "" else f"{group[t]}.{number[t]}"
        for lead in lead_of[t]:
            if lead == c:
                continue
            key = (lead, c, t)
            col = stated[node] == IN_COLUMN or (key in shared and shared[key].in_column)
            shared[key] = SharedTask(lead, c, ref, col, in_doc[t], min(evidence[t]))

    sources = types.get(_V + "SourceDocument", set())
    citing, based = defaultdict(set), defaultdict(bool)
    cited_res, citing_res, relation = (one.get(_V + k, {}) for k in ("citedResource", "citingResource", "relation"))
    for c in types.get(_V + "Citation", set()):
        d, by, rel = cited_res.get(c), citing_res.get(c), relation.get(c)
        if d is None or by is None or rel is None or in_doc.get(c) not in sources:
            continue
        citing[d].add(by)
        based[d] |= rel == BASED_ON
    cited = {d: (len(by), based[d]) for d, by in citing.items()}
    return PlanCounts(plan, agencies, partners, tuple(shared[k] for k in sorted(shared)), cited)


def add_up(parts: Iterable[PlanCounts], source_documents: set[str] | frozenset[str]) -> CorpusCounts:
    """The corpus statistics from every plan's share. Documents that are themselves built
    (*source_documents*) are not counted as cited legal documents.

    >>> a = PlanCounts("p1", {"x": AgencyCounts(leads=2, plans=1)})
    >>> b = PlanCounts("p2", {"x": AgencyCounts(leads=1, plans=1)})
    >>> add_up([a, b], set()).agencies["x"].leads
    3
    """
    plans, agencies, partners = [], defaultdict(AgencyCounts), defaultdict(set)
    shared: dict[tuple[str, str], list[SharedTask]] = defaultdict(list)
    cited: dict[str, tuple[int, bool]] = {}
    for part in parts:
        plans.append(part.plan)
        for a, c in part.agencies.items():
            agencies[a] = agencies[a] + c
        for a, b in part.partners:
            partners[a].add(b)
        for s in part.shared:
            shared[(s.lead, s.coordinator)].append(s)
        for d, (n, b) in part.cited.items():
            if d not in source_documents:
                m, c = cited.get(d, (0, False))
                cited[d] = (m + n, c or b)
    links = []
    for (lead, coordinator), tasks in sorted(shared.items()):
        tasks.sort(key=lambda s: (s.document, s.first_line))
        cols = sum(s.in_column for s in tasks)
        links.append(CoordinationLink(lead, coordinator, len(tasks), cols, len(tasks) - cols,
                                      " | ".join(s.ref for s in tasks)))
    return CorpusCounts(tuple(sorted(plans)), dict(agencies), {a: len(p) for a, p in partners.items()},
                        tuple(links), cited)
