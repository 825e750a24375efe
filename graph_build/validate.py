"""Check a graph against the SHACL shapes in ``ontology/shapes.ttl`` (pyshacl).

>>> from graph_build.build import build_file
>>> from graph_build.emit import emit_plan
>>> validate_graph(emit_plan(build_file("data/samples/hanoi-2023-101-KH-UBND.txt"))).conforms
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


@dataclass(frozen=True)
class Validation:
    conforms: bool
    violations: int
    text: str
    problems: tuple[tuple[str, str], ...] = ()  # (focus node, message), sorted


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    return g


def validate_graph(data: Graph) -> Validation:
    """Validate *data* (inference none); ``violations`` counts sh:ValidationResult nodes."""
    from pyshacl import validate
    from rdflib.namespace import RDF, SH
    conforms, report, text = validate(data, shacl_graph=shapes_graph(), inference="none",
                                      allow_warnings=True, advanced=True)
    results = set(report.subjects(RDF.type, SH.ValidationResult))
    problems = sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage))) for r in results)
    return Validation(bool(conforms), len(results), text, tuple(problems))


def load_for_validation(graph_file: str | Path | None = None, store: str | Path | None = None) -> Graph:
    """An rdflib graph of a graph file, or of the union of a store's graphs."""
    from .engine import Engine, from_ox
    eng = Engine.from_graph_file(graph_file) if graph_file else Engine.from_store(store)
    g = Graph()
    for q in eng.store:
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g
