"""Query parameters bound as RDF terms in a ``VALUES`` block, the same way on every engine.

A value is serialised as one N-Triples term (quotes, newlines and braces escaped by pyoxigraph),
never pasted into the query text as is: ``} ; DROP ALL`` stays a string. The blocks open the
query's WHERE group and every group inside it that mentions the parameter, so the parameters
are bound before any filter reads them, in sub-selects and OPTIONAL parts too.

>>> from rdflib import Literal
>>> print(with_values('SELECT ?x WHERE { ?x ?p ?text }', {"text": Literal('"} ; DROP ALL')}))
SELECT ?x WHERE { VALUES ?text { "\\"} ; DROP ALL" }
 ?x ?p ?text }
"""
from __future__ import annotations

import re
from functools import lru_cache
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


def _groups(query: str, start: int) -> list[tuple[int, int]]:
    """``(just after "{", at "}")`` of every group pattern from the WHERE group opening at
    *start* inwards (the data blocks of ``VALUES`` excluded)."""
    out: list[tuple[int, int]] = []
    stack: list[int | None] = [start]
    values = False
    for m in _TOKEN.finditer(query, start):
        kind = m.lastgroup
        if kind == "word" and m.group().upper() == "VALUES":
            values = True
        elif kind == "open":
            stack.append(None if values else m.end())
            values = False
        elif kind == "close":
            opened = stack.pop()
            if opened is not None:
                out.append((opened, m.start()))
            if not stack:
                break
    return out


_VAR = re.compile(r"[?$]([A-Za-z_]\w*)")


def _projected(head: str) -> set[str]:
    """The variables a ``SELECT …`` clause projects: bare ones, and ``(… AS ?name)``."""
    names = set(re.findall(r"\bAS\s+[?$]([A-Za-z_]\w*)", head, re.I))
    depth, bare = 0, []
    for ch_or_var in re.finditer(r"[()]|[?$][A-Za-z_]\w*", head):
        tok = ch_or_var.group()
        depth += tok == "("
        depth -= tok == ")"
        if tok[0] in "?$" and depth == 0:
            bare.append(tok[1:])
    return names | set(bare)


@lru_cache(maxsize=256)
def _insertion_points(query: str) -> tuple[tuple[int, frozenset[str]], ...]:
    """Where each group pattern of *query* opens, with the variables it mentions (the WHERE
    group: every variable); parsed once per query text."""
    at = _group_start(query) - 1
    groups = _groups(query, at)
    # the braces around a sub-select: its own WHERE group gets the block; the groups around it see
    # only what it projects (a sub-select's other variables are its own)
    subs = [(o, c) for o, c in groups if re.match(r"(?:\s|#[^\n]*)*select\b", query[o:c], re.I)]
    out = []
    for opened, closed in groups:
        if (opened, closed) in subs:
            continue
        lo, hi = (0, len(query)) if opened == at + 1 else (opened, closed)
        inner = [(o, c) for o, c in subs if lo <= o and c <= hi and not (o <= opened and closed <= c)]
        inner = [(o, c) for o, c in inner if not any(o2 < o and c <= c2 for o2, c2 in inner)]  # outermost only
        text, names = [], set()
        pos = lo
        for o, c in sorted(inner):
            text.append(query[pos:o])
            names |= _projected(query[o:c].split("{", 1)[0])
            pos = c
        text.append(query[pos:hi])
        names |= set(_VAR.findall("".join(text)))
        out.append((opened, frozenset(names)))
    return tuple(out)


def with_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """*query* with the parameters bound in every group pattern that mentions them, as
    ``VALUES ?name { term … }`` opening the group (the WHERE group gets them all). A parameter
    is bound throughout the query, sub-selects and OPTIONAL parts included: engines evaluate
    those on their own, and a value given only at the top would not reach them. A list or tuple
    of terms binds the name to each of them. Unchanged if no bindings."""
    if not bindings:
        return query
    blocks = {}
    for name, value in bindings.items():
        terms = value if isinstance(value, (list, tuple)) else [value]
        blocks[name] = f"VALUES ?{name} {{ {' '.join(_term(v) for v in terms)} }} "
    inserts = {i: names & set(bindings) for i, names in _insertion_points(query)}
    parts, prev = [], 0
    for i in sorted(k for k, v in inserts.items() if v):
        parts += [query[prev:i], " ", "".join(blocks[n] for n in bindings if n in inserts[i]).rstrip(), "\n"]
        prev = i
    return "".join(parts) + query[prev:]
