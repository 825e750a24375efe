"""Networks from catalogue query results (so they work on every engine), their metrics, and
Gephi files. Three kinds:

- ``coordination``: agencies; a directed edge lead → coordinator weighted by the tasks they share
  (``in_columns`` and ``in_text`` say how each was stated);
- ``co-assignment``: its undirected projection (any two agencies on a task, in any role).
- ``bipartite``: agencies and tasks, an edge per assignment.
- ``citation``: plans, sections, tasks and instruments → legal documents → their bases.

Placeholders ("các cơ quan, đơn vị liên quan") are nodes marked ``placeholder``; metrics leave
them out.

>>> rows = [dict(task="t1", ref="I.1", content="…", plan_label="Kế hoạch 7/KH-UBND", line_start=14, line_end=14,
...              agency=a, agency_label=a, agency_label_en="", agency_kind="department",
...              role=role, stated_in="column") for a, role in (("Sở Ngoại vụ", "lead"), ("Sở TT&TT", "coordinator"))]
>>> list(coordination_network(rows).edges(data="tasks"))
[('Sở Ngoại vụ', 'Sở TT&TT', 'I.1')]
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx

from .catalogue import find_query
from .errors import VnplanError
from .files import atomic_write

KINDS = ("coordination", "co-assignment", "bipartite", "citation")
CENTRALITIES = ("pagerank", "betweenness", "degree", "weighted_degree")


@dataclass(frozen=True)
class Network:
    kind: str
    graph: Any                 # nx.DiGraph (coordination, citation) or nx.Graph (bipartite)
    documents: tuple[str, ...]  # labels of the plans drawn

    @property
    def title(self) -> str:
        what = {"coordination": "Coordination network: lead agency → coordinating agency",
                "co-assignment": "Co-assignment network: agencies sharing a task",
                "bipartite": "Agencies and their tasks",
                "citation": "Citation network: plans, sections and tasks → legal documents"}[self.kind]
        docs = ", ".join(self.documents[:5]) + (f" and {len(self.documents) - 5} more" if len(self.documents) > 5 else "")
        return f"{what} — {docs}" if docs else what


def _rows(engine: Any, name: str, within: str | None = None) -> list[dict[str, Any]]:
    q = find_query(name)
    return engine.query(q.text, q.bindings({"within": within} if within else {}, engine)).rows


def _line(r: Mapping[str, Any]) -> str:
    a, b = r["line_start"], r["line_end"]
    return f"line {a}" if a == b else f"lines {a}–{b}"


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def _agency(g: Any, r: Mapping[str, Any]) -> None:
    g.add_node(r["agency"], label=r["agency_label"], label_en=r["agency_label_en"] or "",
               kind=r["agency_kind"], kind_label=r.get("kind_label") or r["agency_kind"],
               placeholder=r["agency_kind"].startswith("placeholder"), node_type="agency")


def coordination_network(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Directed lead → coordinator graph from ``assignments`` rows."""
    g = nx.DiGraph()
    by_task: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in rows:
        _agency(g, r)
        by_task[r["task"]].append(r)
    shared: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for task, links in by_task.items():
        leads = [r for r in links if r["role"] == "lead"]
        for lead in leads:
            for c in links:
                if c["role"] != "coordinator" or c["agency"] == lead["agency"]:
                    continue
                entry = shared[lead["agency"], c["agency"]].setdefault(task, {"row": c, "stated": set()})
                entry["stated"].add(c["stated_in"])
    for (a, b), tasks in shared.items():
        rows_ = sorted(tasks.values(), key=lambda e: (e["row"]["plan_label"], e["row"]["line_start"]))
        in_columns = sum("column" in e["stated"] for e in rows_)
        g.add_edge(a, b, weight=len(rows_), in_columns=in_columns, in_text=len(rows_) - in_columns,
                   tasks=" | ".join(e["row"]["ref"] for e in rows_),
                   stated="column" if in_columns == len(rows_) else "text" if in_columns == 0 else "both",
                   tooltip="\n".join(f"{e['row']['ref']} ({e['row']['plan_label']}, {_line(e['row'])}"
                                     f"{'' if 'column' in e['stated'] else ', named in the text'}): "
                                     f"{_short(e['row']['content'])}" for e in rows_))
    return g


def co_assignment(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Undirected projection: two agencies are linked by the number of tasks both are assigned to
    (in any role, however stated)."""
    g = nx.Graph()
    by_task: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for r in rows:
        _agency(g, r)
        by_task[r["task"]].setdefault(r["agency"], r)
    for links in by_task.values():
        ordered = sorted(links)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                r = links[a]
                text = f"{r['ref']} ({r['plan_label']}, {_line(r)}): {_short(r['content'])}"
                old = g.get_edge_data(a, b)
                if old:
                    old.update(weight=old["weight"] + 1, tasks=f"{old['tasks']} | {r['ref']}",
                               tooltip=f"{old['tooltip']}\n{text}")
                else:
                    g.add_edge(a, b, weight=1, tasks=r["ref"], tooltip=text)
    return g


def bipartite_network(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Agencies and tasks, one edge per assignment (role and how it is stated as attributes)."""
    g = nx.Graph()
    for r in rows:
        _agency(g, r)
        g.add_node(r["task"], label=r["ref"], kind="task", kind_label="Nhiệm vụ / Task", placeholder=False,
                   node_type="task",
                   plan=r["plan_label"], tooltip=f"{r['ref']} ({r['plan_label']}, {_line(r)}): {_short(r['content'], 300)}")
        old = g.get_edge_data(r["agency"], r["task"])
        stated = r["stated_in"] if not old or old["stated"] == r["stated_in"] else "both"
        g.add_edge(r["agency"], r["task"], role=r["role"], stated=stated, weight=1,
                   tooltip=f"{r['agency_label']}: {r['role']} of {r['ref']} ({_line(r)})")
    return g


_CITATION_KINDS = {"plan": "Kế hoạch được xây dựng / Plan built", "section": "Mục / Section", "task": "Nhiệm vụ / Task",
                   "instrument": "Đề án, chương trình / Named instrument",
                   "legal-document": "Văn bản được viện dẫn / Legal document cited"}


def citation_network(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Plans, sections, tasks and instruments → legal documents, from ``citation-links`` rows."""
    g = nx.DiGraph()
    for r in rows:
        for end in ("source", "target"):
            kind = r[f"{end}_kind"]
            g.add_node(r[end], label=r[f"{end}_label"], kind=kind, kind_label=_CITATION_KINDS[kind],
                       placeholder=False, node_type=kind)
        old = g.get_edge_data(r["source"], r["target"])
        text = f"{r['relation']} ({r['plan_label']}, {_line(r)}): {_short(r['evidence'], 200)}"
        if old:
            old["weight"] += 1
            old["tooltip"] += "\n" + text
        else:
            g.add_edge(r["source"], r["target"], relation=r["relation"], weight=1, tooltip=text)
    return g


def build_network(kind: str, engine: Any, within: str | None = None) -> Network:
    """The network *kind* from the catalogue queries on *engine*; with *within* (a plan's number,
    words of its title or its IRI), of the plans it names only."""
    if kind not in KINDS:
        raise VnplanError(f"--kind {kind!r}: use one of {', '.join(KINDS)}")
    if kind == "citation":
        rows = _rows(engine, "citation-links", within)
        g = citation_network(rows)
    else:
        rows = _rows(engine, "assignments", within)
        g = {"coordination": coordination_network, "co-assignment": co_assignment,
             "bipartite": bipartite_network}[kind](rows)
    docs = tuple(sorted({r["plan_label"] for r in rows}))
    return Network(kind, g, docs)


def actors(g: Any) -> Any:
    """The graph without placeholder nodes (what metrics are computed on)."""
    return g.subgraph([n for n, d in g.nodes(data=True) if not d.get("placeholder")]).copy()


def metrics(net: Network) -> list[dict[str, Any]]:
    """Per node (placeholders left out): degree and weighted degree (in and out for directed
    networks), betweenness, PageRank, community (Louvain, seeded) and how many other communities
    its neighbours belong to (``bridges``: a broker links at least one)."""
    g = actors(net.graph)
    if g.number_of_nodes() == 0:
        return []
    und = g.to_undirected() if g.is_directed() else g
    communities = nx.community.louvain_communities(und, weight="weight", seed=42)
    community = {n: i for i, c in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)))) for n in c}
    between = nx.betweenness_centrality(g, normalized=True)
    rank = nx.pagerank(g, weight="weight")
    out = []
    for n, d in g.nodes(data=True):
        row: dict[str, Any] = {"id": n, "label": d.get("label", n), "kind": d.get("kind", ""),
                               "degree": g.degree(n), "weighted_degree": g.degree(n, weight="weight")}
        if g.is_directed():
            row.update(in_degree=g.in_degree(n), out_degree=g.out_degree(n),
                       weighted_in=g.in_degree(n, weight="weight"), weighted_out=g.out_degree(n, weight="weight"))
        others = {community[m] for m in und.neighbors(n)} - {community[n]}
        row.update(betweenness=round(between[n], 6), pagerank=round(rank[n], 6), community=community[n],
                   bridges=len(others), broker=bool(others))
        out.append(row)
    return sorted(out, key=lambda r: (-r["pagerank"], r["label"]))


def with_metrics(net: Network) -> Network:
    """A copy of *net* whose nodes carry their metrics as attributes (for GEXF/GraphML and pages)."""
    g = net.graph.copy()
    for row in metrics(net):
        for k, v in row.items():
            if k not in ("id", "label", "kind"):
                g.nodes[row["id"]][k] = v
    return Network(net.kind, g, net.documents)


def _exportable(net: Network) -> Any:
    g = with_metrics(net).graph
    for _, d in g.nodes(data=True):
        for k, v in list(d.items()):
            if v is None:
                d[k] = ""
    g.graph.update(kind=net.kind, title=net.title, documents=" | ".join(net.documents))
    return g


def write_gexf(net: Network, path: str | Path) -> None:
    """GEXF for Gephi: labels, kinds, weights, stated-in and the metrics as attributes."""
    atomic_write(path, lambda fh: nx.write_gexf(_exportable(net), fh))


def write_graphml(net: Network, path: str | Path) -> None:
    """GraphML with the same attributes as :func:`write_gexf`."""
    atomic_write(path, lambda fh: nx.write_graphml(_exportable(net), fh))


def write_metrics_csv(rows: list[dict[str, Any]], path: str | Path) -> None:
    import csv
    import io
    cols = list(rows[0]) if rows else ["id", "label"]

    def write(fh) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        w = csv.DictWriter(text, fieldnames=cols)
        w.writeheader()
        w.writerows({k: str(v).lower() if isinstance(v, bool) else v for k, v in r.items()} for r in rows)
        text.flush()
        text.detach()
    atomic_write(path, write)
