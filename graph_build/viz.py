"""Interactive network pages (pyvis, vis-network) that work with no network at all: the
vis-network script and style that pyvis ships are inlined, nothing is fetched from a CDN, and
the page's Content-Security-Policy forbids fetching anything. The only module importing pyvis.

>>> from graph_build.catalogue import open_engine
>>> from graph_build.network import build_network
>>> page = network_page(build_network("coordination", open_engine(graph="out/sample.ttl")))  # doctest: +SKIP
>>> page.write("out/coordination.html")  # doctest: +SKIP
"""
from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import VnplanError
from .files import atomic_write
from .network import CENTRALITIES, Network, with_metrics

TEMPLATES = Path(__file__).resolve().parent / "templates"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#393b99", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d")
PLACEHOLDER_COLOR = "#c7c7c7"
_OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300},
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
    "nodes": {"shape": "dot", "font": {"size": 13, "face": "system-ui"}, "scaling": {"min": 8, "max": 40}},
    "edges": {"color": {"inherit": False, "color": "#8892a0", "highlight": "#d62728"},
              "smooth": {"type": "continuous"}, "scaling": {"min": 1, "max": 10}},
    "interaction": {"hover": True, "tooltipDelay": 150},
    "layout": {"randomSeed": 7},  # the same drawing every time
}


def _vis_assets() -> tuple[str, str]:
    """The vis-network script and style bundled with pyvis (read from disk, never downloaded)."""
    import pyvis
    lib = Path(pyvis.__file__).resolve().parent / "lib"
    versions = sorted(lib.glob("vis-*/vis-network.min.js"))
    if not versions:
        raise VnplanError(f"{lib}: pyvis ships no vis-network script; reinstall pyvis")
    js = versions[-1]
    return js.read_text(encoding="utf-8"), (js.parent / "vis-network.css").read_text(encoding="utf-8")


def _node_tooltip(d: dict[str, Any], size_by: str) -> str:
    lines = [d.get("label", "")]
    if d.get("label_en"):
        lines.append(d["label_en"])
    lines.append(d.get("kind_label", d.get("kind", "")))
    if d.get("tooltip"):
        lines.append(d["tooltip"])
    if "pagerank" in d:
        lines.append(f"degree {d['degree']} (weighted {d['weighted_degree']}) · betweenness {d['betweenness']:.3f}"
                     f" · PageRank {d['pagerank']:.3f} · community {d['community']}"
                     + (" · broker" if d.get("broker") else ""))
    return "\n".join(x for x in lines if x)


@dataclass(frozen=True)
class NetworkPage:
    """A standalone HTML page; shows inline in Jupyter (``_repr_html_``)."""

    html: str = field(repr=False)
    nodes: int = 0
    edges: int = 0

    def write(self, path: str | Path) -> Path:
        """Write the page atomically."""
        atomic_write(path, lambda fh: fh.write(self.html.encode("utf-8")))
        return Path(path)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:760px;border:0" '
                'sandbox="allow-scripts"></iframe>')


def network_page(net: Network, size_by: str = "pagerank", height: str = "720px") -> NetworkPage:
    """The page for *net*: colour by kind with a legend, size by *size_by*, link width by weight,
    tooltips listing the shared tasks with their text and source lines, placeholders hidden until
    the reader shows them, a title saying what is drawn and from which documents."""
    from pyvis.network import Network as PyvisNetwork
    if size_by not in CENTRALITIES:
        raise VnplanError(f"--size-by {size_by!r}: use one of {', '.join(CENTRALITIES)}")
    g = with_metrics(net).graph
    kinds = Counter((d.get("kind", ""), d.get("kind_label", "")) for _, d in g.nodes(data=True) if not d.get("placeholder"))
    colors = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(sorted(kinds, key=lambda k: (-kinds[k], k)))}
    pv = PyvisNetwork(height=height, width="100%", directed=g.is_directed(), cdn_resources="in_line")
    pv.set_template_dir(str(TEMPLATES), "network.html")
    placeholders = 0
    for n, d in g.nodes(data=True):
        ph = bool(d.get("placeholder"))
        placeholders += ph
        value = d.get(size_by, 0) if not ph else 0
        label = d.get("label", n)
        label = label if len(label) <= 48 else label[:48].rsplit(" ", 1)[0] + " …"
        pv.add_node(n, label=label, title=_node_tooltip(d, size_by), value=float(value or 0),
                    color=PLACEHOLDER_COLOR if ph else colors[d.get("kind", ""), d.get("kind_label", "")],
                    kind=d.get("kind", ""), placeholder=ph, shape="dot")
    for a, b, d in g.edges(data=True):
        pv.add_edge(a, b, value=d.get("weight", 1), title=d.get("tooltip", ""),
                    dashes=d.get("stated") == "text", weight=d.get("weight", 1))
    pv.set_options(json.dumps(_OPTIONS))
    actors_n = g.number_of_nodes() - placeholders
    actors_e = sum(1 for a, b in g.edges() if not (g.nodes[a].get("placeholder") or g.nodes[b].get("placeholder")))
    noun = {"coordination": "agencies", "co-assignment": "agencies", "bipartite": "agencies and tasks",
            "citation": "documents, sections, tasks and instruments"}[net.kind]
    legend = [{"label": label or kind, "color": colors[kind, label], "count": kinds[kind, label]}
              for kind, label in sorted(kinds, key=lambda k: (-kinds[k], k))]
    if placeholders:
        legend.append({"label": "Cụm từ chung / placeholder", "color": PLACEHOLDER_COLOR, "count": placeholders})
    meta = {"title": net.title, "kind": net.kind, "documents": list(net.documents),
            "subtitle": f"{{nodes}} {noun}, {{edges}} links shown",
            "note": " · dashed: named only in the task's text" if net.kind == "coordination" else "",
            "placeholder_label": "Cụm từ chung / placeholder",
            "sizing": f"Node size: {size_by.replace('_', ' ')} (placeholders left out of the metrics). "
                      "Link width: number of shared tasks." if net.kind != "citation" else
                      f"Node size: {size_by.replace('_', ' ')}. Link width: number of statements.",
            "legend": legend, "placeholders": placeholders, "total_nodes": g.number_of_nodes(), "total_edges": g.number_of_edges(),
            "actor_nodes": actors_n, "actor_edges": actors_e}
    js, css = _vis_assets()
    page = pv.generate_html()
    page = (page.replace("/*VNPLAN_VIS_JS*/", js.replace("</script", "<\\/script"))
                .replace("/*VNPLAN_VIS_CSS*/", css)
                .replace("__VNPLAN_META__", json.dumps(meta, ensure_ascii=False).replace("</", "<\\/"))
                .replace("__VNPLAN_TITLE__", html.escape(net.title)))
    return NetworkPage(page, g.number_of_nodes(), g.number_of_edges())
