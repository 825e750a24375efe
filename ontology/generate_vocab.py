#!/usr/bin/env python3
"""Generate graph_build/vocab.py from ontology/vnplan.ttl.

vocab.py holds ``VNP``, a closed rdflib ``DefinedNamespace`` (``_fail = True``)
listing every class and property declared in vnplan.ttl, so that a misspelled
term such as ``VNP.Tsk`` raises ``AttributeError`` instead of silently minting
a new IRI.  It also exports plain ``Namespace`` objects for the concept and
data bases and for the reused vocabularies that rdflib does not ship.

Before writing, the script checks the ontology: every vnp: term must have
rdfs:label @en and @vi and rdfs:comment @en, and its local name must be a
usable Python identifier.  The output is deterministic (sorted, no
timestamps), so running the script twice gives identical files.

Usage:
    python ontology/generate_vocab.py            # write graph_build/vocab.py
    python ontology/generate_vocab.py --check    # exit 1 if vocab.py is stale
"""

from __future__ import annotations

import argparse
import keyword
import sys
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ONTOLOGY = HERE / "vnplan.ttl"
TARGET = REPO / "graph_build" / "vocab.py"

VNP_NS = "https://w3id.org/vnplan/ontology#"
ONTOLOGY_IRI = URIRef("https://w3id.org/vnplan/ontology")

# (python name, namespace IRI, short description) for plain Namespaces
EXTRA_NAMESPACES = [
    ("VNPC", "https://w3id.org/vnplan/concept/", "vnplan SKOS concepts (code lists)"),
    ("VNPID", "https://w3id.org/vnplan/id/", "vnplan data IRIs"),
    ("ELI", "http://data.europa.eu/eli/ontology#", "European Legislation Identifier ontology (ELI 1.5)"),
    ("ORG", "http://www.w3.org/ns/org#", "W3C Organization Ontology"),
    ("CV", "http://data.europa.eu/m8g/", "SEMIC Core Vocabularies"),
    ("OA", "http://www.w3.org/ns/oa#", "W3C Web Annotation vocabulary"),
    ("SCHEMA", "https://schema.org/", "schema.org"),
]

# rdflib's own DefinedNamespaces, re-exported for convenience
RDFLIB_REEXPORTS = ["DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "TIME", "XSD"]

# Preferred prefixes for Graph.bind(); values are names defined in vocab.py
PREFIXES = [
    ("vnp", "VNP"),
    ("vnpc", "VNPC"),
    ("vnpid", "VNPID"),
    ("eli", "ELI"),
    ("org", "ORG"),
    ("cv", "CV"),
    ("oa", "OA"),
    ("schema", "SCHEMA"),
    ("prov", "PROV"),
    ("skos", "SKOS"),
    ("dct", "DCTERMS"),
    ("time", "TIME"),
    ("xsd", "XSD"),
    ("owl", "OWL"),
    ("rdfs", "RDFS"),
]

CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = {
    OWL.ObjectProperty: "object properties",
    OWL.DatatypeProperty: "datatype properties",
    OWL.AnnotationProperty: "annotation properties",
    RDF.Property: "other properties",
}
# attribute names DefinedNamespace reserves for itself
RESERVED = {"_NS", "_warn", "_fail", "_extras", "_underscore_num", "mro"}


def _lang_literal(g: Graph, s: URIRef, p: URIRef, lang: str) -> str | None:
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _one_line(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def collect(g: Graph) -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]], list[str]]:
    """Return (classes, properties by kind, problems)."""
    problems: list[str] = []
    classes: dict[str, str] = {}
    props: dict[str, dict[str, str]] = {kind: {} for kind in PROPERTY_TYPES.values()}
    seen: dict[str, str] = {}

    def check(term: URIRef) -> str | None:
        name = str(term)[len(VNP_NS):]
        if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED or name.startswith("_"):
            problems.append(f"{term}: local name {name!r} is not usable as a Python attribute")
            return None
        for lang in ("en", "vi"):
            if _lang_literal(g, term, RDFS.label, lang) is None:
                problems.append(f"vnp:{name}: missing rdfs:label @{lang}")
        if _lang_literal(g, term, RDFS.comment, "en") is None:
            problems.append(f"vnp:{name}: missing rdfs:comment @en")
        return name

    for t in CLASS_TYPES:
        for s in g.subjects(RDF.type, t):
            if isinstance(s, URIRef) and str(s).startswith(VNP_NS) and str(s) not in seen:
                name = check(s)
                if name:
                    seen[str(s)] = "class"
                    classes[name] = _lang_literal(g, s, RDFS.label, "en") or ""
    for t, kind in PROPERTY_TYPES.items():
        for s in g.subjects(RDF.type, t):
            if not (isinstance(s, URIRef) and str(s).startswith(VNP_NS)):
                continue
            if str(s) in seen:
                if seen[str(s)] == "class":
                    problems.append(f"{s}: declared both as a class and a property")
                continue
            name = check(s)
            if name:
                seen[str(s)] = "property"
                props[kind][name] = _lang_literal(g, s, RDFS.label, "en") or ""

    # any vnp: IRI used in the file must be declared
    used = {
        str(n)
        for triple in g
        for n in triple
        if isinstance(n, URIRef) and str(n).startswith(VNP_NS)
    }
    for iri in sorted(used - set(seen)):
        problems.append(f"{iri}: used in vnplan.ttl but not declared as a class or property")

    return (
        sorted(classes.items(), key=lambda kv: kv[0]),
        {kind: sorted(d.items(), key=lambda kv: kv[0]) for kind, d in props.items() if d},
        problems,
    )


def render(g: Graph) -> str:
    classes, props, problems = collect(g)
    if problems:
        raise SystemExit("vnplan.ttl has problems:\n  " + "\n  ".join(problems))

    version = g.value(ONTOLOGY_IRI, OWL.versionInfo)
    n_props = sum(len(v) for v in props.values())
    lines: list[str] = [
        "# generated by ontology/generate_vocab.py; do not edit",
        f"# source: ontology/vnplan.ttl (vnplan ontology {version}); "
        f"{len(classes)} classes, {n_props} properties",
        "# regenerate: .venv/bin/python ontology/generate_vocab.py",
        '"""Namespaces for building vnplan graphs.',
        "",
        "``VNP`` is closed: ``VNP.Task`` works, ``VNP.Tsk`` raises AttributeError.",
        "The other vocabularies are plain rdflib ``Namespace`` objects (or rdflib's",
        "own DefinedNamespaces, re-exported here).",
        '"""',
        "",
        "from rdflib.namespace import (",
    ]
    lines += [f"    {name}," for name in sorted(RDFLIB_REEXPORTS + ["DefinedNamespace", "Namespace"])]
    lines += [
        ")",
        "from rdflib.term import URIRef",
        "",
        "",
        "class VNP(DefinedNamespace):",
        '    """vnplan ontology terms (https://w3id.org/vnplan/ontology#)."""',
        "",
        f'    _NS = Namespace("{VNP_NS}")',
        "    _fail = True",
        "    # each term is also a plain class attribute: the build reads them millions of times,",
        "    # and rdflib's lookup (which refuses a misspelled term) costs half a microsecond",
        "",
        "    # classes",
    ]
    for name, label in classes:
        lines.append(f'    {name}: URIRef = _NS["{name}"]  # {_one_line(label)}')
    for kind in PROPERTY_TYPES.values():
        if kind not in props:
            continue
        lines += ["", f"    # {kind}"]
        for name, label in props[kind]:
            lines.append(f'    {name}: URIRef = _NS["{name}"]  # {_one_line(label)}')
    lines += ["", ""]
    for py, iri, desc in EXTRA_NAMESPACES:
        lines.append(f'{py} = Namespace("{iri}")  # {desc}')
    lines += [
        "",
        "# preferred prefixes, e.g. `for p, ns in PREFIXES.items(): graph.bind(p, ns)`",
        "PREFIXES = {",
    ]
    lines += [f'    "{p}": {py},' for p, py in PREFIXES]
    lines += ["}", ""]
    exported = ["VNP"] + [py for py, _, _ in EXTRA_NAMESPACES] + RDFLIB_REEXPORTS + ["PREFIXES"]
    lines.append("__all__ = [")
    lines += [f'    "{name}",' for name in exported]
    lines.append("]")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ontology", type=Path, default=ONTOLOGY)
    ap.add_argument("--output", type=Path, default=TARGET)
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file is missing or stale")
    args = ap.parse_args(argv)

    g = Graph()
    g.parse(args.ontology, format="turtle")
    text = render(g)

    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date; run ontology/generate_vocab.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
