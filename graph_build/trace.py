"""Trace a task back to its legal basis, each step with the source text that supports it.

The steps come from the catalogue's ``trace`` query, so a trace works on every engine: the
embedded store, a graph file, or a SPARQL endpoint.

>>> from graph_build.catalogue import open_engine
>>> t = trace_task("I.5", open_engine(graph="tests/data/tiny-plan.golden.ttl"))  # doctest: +SKIP
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Literal, URIRef

from .catalogue import find_query
from .errors import QueryError
from .vntext import fold

_REF = re.compile(r"^\s*(?:([IVXLC]+(?:\.\d+)*)\s*[.\-/ ]\s*)?(\d+)\s*$", re.I)
_FIND_TASKS = """
PREFIX vnp: <https://w3id.org/vnplan/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?task ?ref ?content ?plan ?lead ?line WHERE {
  ?t a vnp:Task ; vnp:group ?g ; vnp:taskNumber ?n ; vnp:content ?content ; vnp:searchKey ?key ;
     vnp:inDocument/rdfs:label ?plan ; prov:wasDerivedFrom/vnp:lineStart ?line .
  OPTIONAL { ?t schema:agent/skos:prefLabel ?lead . FILTER(LANGMATCHES(LANG(?lead), "vi")) }
  FILTER((?no != "" && ?g = ?group && STR(?n) = ?no) || (?words != "" && CONTAINS(?key, ?words)))
  BIND(STR(?t) AS ?task)
  BIND(IF(?g = "", STR(?n), CONCAT(?g, ".", STR(?n))) AS ?ref)
}
ORDER BY ?plan ?line
"""
# a task by its IRI: bound to ?t, so that the engine starts from it rather than scan every task
_TASK_BY_IRI = _FIND_TASKS.replace(
    """  FILTER((?no != "" && ?g = ?group && STR(?n) = ?no) || (?words != "" && CONTAINS(?key, ?words)))\n""", "")
_HEADINGS = {1: "Cited in the task's row", 2: "Through a named instrument the task names",
             3: "Legal bases of {plan}", 4: "Bases of those documents in turn"}


@dataclass(frozen=True)
class TaskMatch:
    task: str
    ref: str
    content: str
    plan: str
    lead: str


@dataclass(frozen=True)
class Step:
    task: str
    step: int
    relation: str
    document: str
    document_label: str
    via: str
    via_label: str
    evidence: str
    source: str
    source_label: str
    line_start: int | None
    line_end: int | None
    source_url: str = ""          # for a curated document: the public page its facts come from


@dataclass(frozen=True)
class Trace:
    task: TaskMatch
    steps: tuple[Step, ...]


class AmbiguousTask(QueryError):
    """Several tasks match; ``matches`` lists them."""

    def __init__(self, spec: str, matches: list[TaskMatch]):
        self.matches = matches
        lines = "; ".join(f"{m.ref} of {m.plan} ({m.task})" for m in matches[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        super().__init__(f"{len(matches)} tasks match {spec!r}: {lines}{more}; give one of these IRIs")


def find_tasks(spec: str, engine: Any) -> list[TaskMatch]:
    """Tasks matching *spec*: an IRI, a reference such as ``I.8``, or words of the task's text
    (case and diacritics ignored)."""
    iri = spec.strip() if re.match(r"^https?://", spec.strip()) else ""
    m = _REF.match(spec) if not iri else None
    words = "" if iri or m else fold(spec)
    if not (iri or m or words):
        raise QueryError("give a task: its IRI, a reference such as I.8, or words of its text")
    if iri:
        rows = engine.query(_TASK_BY_IRI, {"t": URIRef(iri)}).rows
    else:
        rows = engine.query(_FIND_TASKS, {"group": Literal(m.group(1).upper() if m and m.group(1) else ""),
                                          "no": Literal(str(int(m.group(2))) if m else ""),
                                          "words": Literal(words)}).rows
    return [TaskMatch(r["task"], r["ref"], r["content"], r["plan"], r["lead"] or "") for r in rows]


def trace_task(spec: str, engine: Any) -> Trace:
    """Every path from the task *spec* to a legal basis (see the ``trace`` catalogue query)."""
    matches = find_tasks(spec, engine)
    if not matches:
        raise QueryError(f"no task matches {spec!r}; 'vnplan query tasks' lists them, 'vnplan query search -p "
                         "text=…' finds words")
    if len(matches) > 1:
        raise AmbiguousTask(spec, matches)
    task = matches[0]
    q = find_query("trace")
    rows = engine.query(q.text, q.bindings({"task": task.task})).rows
    steps = tuple(Step(task.task, r["step"], r["relation"], r["document"], r["document_label"], r["via"] or "",
                       r["via_label"] or "", r["evidence"], r["source"], r["source_label"],
                       r["line_start"] if r["line_start"] != "" else None,
                       r["line_end"] if r["line_end"] != "" else None, r.get("source_url") or "") for r in rows)
    return Trace(task, steps)


def trace_json(trace: Trace) -> list[dict[str, Any]]:
    """One object per step: task, step, relation, document, document_label, via, evidence and its source."""
    out = []
    for s in trace.steps:
        d = asdict(s)
        out.append({"task": d["task"], "task_ref": trace.task.ref, "step": d["step"], "relation": d["relation"],
                    "document": d["document"], "document_label": d["document_label"],
                    "via": d["via"] or None, "via_label": d["via_label"] or None, "evidence": d["evidence"],
                    "source": {"document": d["source"], "label": d["source_label"],
                               "lines": [d["line_start"], d["line_end"]] if d["line_start"] is not None else [],
                               **({"url": d["source_url"]} if d["source_url"] else {})}})
    return out


def _lines(s: Step) -> str:
    if s.line_start is None:
        return f"as published at {s.source_url}"
    return f"line {s.line_start}" if s.line_start == s.line_end else f"lines {s.line_start}–{s.line_end}"


def trace_text(trace: Trace) -> str:
    """The trace as a citation trail a researcher can paste into a paper."""
    t = trace.task
    content = t.content if len(t.content) <= 160 else t.content[:160].rsplit(" ", 1)[0] + " …"
    out = [f"Task {t.ref} of {t.plan}", f"  “{content}”"]
    if t.lead:
        out.append(f"  Lead: {t.lead}")
    out.append(f"  {t.task}")
    if not trace.steps:
        out += ["", "No legal basis found in the graph for this task."]
    current = None
    for s in trace.steps:
        if s.step != current:
            current = s.step
            out += ["", f"{s.step}. {_HEADINGS[s.step].format(plan=t.plan)}"]
        if s.step == 2:
            line = f"   → {s.document_label} {s.relation} “{s.via_label}”"
        elif s.step == 4:
            line = f"   → {s.document_label}, a basis of {s.via_label}"
        else:
            line = f"   → {s.document_label}"
        out += [line, f"     “{s.evidence}”", f"     {s.source_label}, {_lines(s)}"]
    return "\n".join(out)
