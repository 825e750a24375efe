"""Query parameters bound as RDF terms in a ``VALUES`` block, the same way on every engine.

A value is serialised as one N-Triples term (quotes, newlines and braces escaped by pyoxigraph),
never pasted into the query text as is: ``} ; DROP ALL`` stays a string. The block opens the
query's outermost group pattern, so the parameters are bound before any filter reads them.

>>> from rdflib import Literal
>>> print(with_values('SELECT ?x WHERE { ?x ?p ?text }', {"text": Literal('"} ; DROP ALL')}))
SELECT ?x WHERE { VALUES (?text) { ("\\"} ; DROP ALL") }
 ?x ?p ?text }
"""
from __future__ import annotations

import re
from typing import Any, Mapping

import pyoxigraph as ox

from ..errors import QueryError

_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<open>\{) | (?P<close>\})
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<other>.)
''', re.X | re.S)


def _term(value: Any) -> str:
    from .local import to_ox
    return str(value if isinstance(value, (ox.NamedNode, ox.Literal)) else to_ox(value))


def _group_start(query: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group (skipping a CONSTRUCT template)."""
    depth, form, skipped_template = 0, None, False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "word" and depth == 0 and form is None and m.group().upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = m.group().upper()
        elif kind == "open":
            if depth == 0 and form is not None:
                if form == "CONSTRUCT" and not skipped_template:
                    prev = query[:m.start()].rstrip()
                    if not re.search(r"WHERE$", prev, re.I):
                        skipped_template = True
                        depth += 1
                        continue
                return m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
    raise QueryError("cannot bind parameters: the query has no WHERE { … } group")


def with_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """*query* with ``VALUES (?name …) { (term …) }`` opening its WHERE group; unchanged if no bindings."""
    if not bindings:
        return query
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(_term(v) for v in bindings.values())
    at = _group_start(query)
    return f"{query[:at]} VALUES ({names}) {{ ({terms}) }}\n{query[at:]}"
