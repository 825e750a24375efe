"""Networks from the catalogue, their metrics, Gephi files, and the page in a real headless
Chromium with the network cut off."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graph_build.catalogue import open_engine
from graph_build.network import actors, build_network, metrics

from .conftest import cli, query_rows

AGENCY = "https://w3id.org/vnplan/id/agency/"
STTTT, BTG = AGENCY + "ha-noi/so-thong-tin-va-truyen-thong", AGENCY + "ha-noi/ban-tuyen-giao-thanh-uy"


@pytest.fixture(scope="module")
def coordination(sample_store):
    return build_network("coordination", open_engine(store=sample_store))


def test_coordination_network_matches_the_sparql_answer(coordination, sample_store):
    rows = query_rows("coordination", "--store", sample_store)
    g = actors(coordination.graph)
    assert sorted(g.edges(data="weight")) == sorted((r["lead"], r["coordinator"], r["tasks"]) for r in rows)
    edge = g.edges[STTTT, BTG]
    assert (edge["in_columns"], edge["in_text"], edge["tasks"], edge["stated"]) == (4, 0, "I.1 | I.7 | I.8 | I.10", "column")
    assert "I.8 (Kế hoạch 101/KH-UBND, line 203): Công tác tuyên truyền" in edge["tooltip"]
    bank = g.edges[AGENCY + "ha-noi/so-cong-thuong", AGENCY + "ha-noi/ngan-hang-nha-nuoc-chi-nhanh-ha-noi"]
    assert bank["stated"] == "text" and "named in the text" in bank["tooltip"]
    placeholders = [n for n, d in coordination.graph.nodes(data=True) if d["placeholder"]]
    assert AGENCY + "placeholder/cac-co-quan-don-vi-lien-quan" in placeholders
    assert coordination.documents == ("Kế hoạch 101/KH-UBND",)


def test_metrics(coordination):
    rows = {r["label"]: r for r in metrics(coordination)}
    assert "Các cơ quan, đơn vị liên quan" not in rows  # placeholders are not actors
    kh = rows["Sở Kế hoạch và Đầu tư"]   # leads VII.1-VII.4 with five partners (rows 251-254)
    assert (kh["out_degree"], kh["weighted_out"], kh["in_degree"]) == (5, 7, 0)
    btg = rows["Ban Tuyên giáo Thành ủy Hà Nội"]   # coordinates for three leads, six tasks
    assert (btg["in_degree"], btg["weighted_in"]) == (3, 6)
    assert max(rows.values(), key=lambda r: r["pagerank"])["label"] == "Ban Tuyên giáo Thành ủy Hà Nội"
    stttt = rows["Sở Thông tin và Truyền thông"]   # the only agency both leading and coordinating
    assert stttt["betweenness"] > 0 and all(r["betweenness"] == 0 for k, r in rows.items() if k != stttt["label"])
    assert abs(sum(r["pagerank"] for r in rows.values()) - 1) < 1e-3
    assert stttt["community"] == btg["community"] and stttt["broker"]


def test_other_kinds(sample_store):
    eng = open_engine(store=sample_store)
    assignments = query_rows("assignments", "--store", sample_store)
    bi = build_network("bipartite", eng).graph
    assert bi.number_of_edges() == len({(r["agency"], r["task"]) for r in assignments})
    assert sum(1 for _, d in bi.nodes(data=True) if d["node_type"] == "task") == 49
    co = build_network("co-assignment", eng).graph
    assert not co.is_directed() and co.edges[STTTT, BTG]["weight"] == 4  # I.1, I.7, I.8, I.10 (I.9 is led by its Trung tâm)
    cit = build_network("citation", eng).graph
    links = query_rows("citation-links", "--store", sample_store)
    assert cit.number_of_edges() == len({(r["source"], r["target"]) for r in links})
    plan = "https://w3id.org/vnplan/id/legal/kh/2023/101/ubnd-ha-noi"
    assert sorted(cit.successors(plan)) == [f"https://w3id.org/vnplan/id/legal/{k}" for k in
                                            ("cv/2022/5740/btttt-ttdn", "nd/2015/72/cp", "tt/2016/22/btttt")]
    instrument = next(n for n, d in cit.nodes(data=True) if d["label"].startswith("Đề án truyền thông về quyền"))
    assert cit.edges[instrument, "https://w3id.org/vnplan/id/legal/qd/2022/1079/ttg"]["relation"] == "approves"


def test_network_command_writes_gephi_files_that_round_trip(sample_store, tmp_path):
    out = cli("network", "--store", sample_store, "--gexf", tmp_path / "c.gexf", "--graphml", tmp_path / "c.graphml",
              "--metrics", tmp_path / "m.csv").stdout
    assert out.startswith("Coordination network: lead agency → coordinating agency — Kế hoạch 101/KH-UBND\n"
                          "20 nodes, 15 links (9 placeholder nodes left out of the metrics)\n")
    assert "Ban Tuyên giáo Thành ủy Hà Nội" in out and f"wrote {tmp_path / 'c.gexf'}" in out
    for g in (nx.read_gexf(tmp_path / "c.gexf"), nx.read_graphml(tmp_path / "c.graphml")):
        assert g.number_of_nodes() == 29 and g.number_of_edges() == 37
        node = g.nodes[BTG]
        assert node["label"] == "Ban Tuyên giáo Thành ủy Hà Nội" and node["kind"] == "party-body"
        assert float(node["pagerank"]) > 0.1 and int(node["community"]) >= 0
        edge = g.edges[STTTT, BTG]
        assert float(edge["weight"]) == 4 and edge["stated"] == "column" and "I.8" in edge["tasks"]
    csv_lines = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("id,label,kind,degree,weighted_degree,in_degree") and len(csv_lines) == 21


def test_page_renders_inline_in_jupyter(coordination):
    from graph_build.viz import network_page
    page = network_page(coordination)
    frame = page._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and "vnplan-data" in frame
    assert (page.nodes, page.edges) == (29, 37)
    # nothing is loaded from elsewhere: no src/href attribute at all, and the CSP forbids fetching
    assert " src=" not in page.html and " href=" not in page.html and "default-src 'none'" in page.html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium():
    if CHROMIUM:
        return CHROMIUM
    reason = "chromium not found: run .ci/install-servers (apt-get install chromium)"
    if os.environ.get("VNPLAN_REQUIRE_SERVERS") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.mark.parametrize("kind", ["coordination", "citation"])
def test_page_in_headless_chromium_with_the_network_cut_off(kind, sample_store, tmp_path):
    from playwright.sync_api import sync_playwright
    browser_path = _chromium()
    html = tmp_path / f"{kind}.html"
    cli("network", "--kind", kind, "--store", sample_store, "--html", html)
    expected = build_network(kind, open_engine(store=sample_store)).graph
    shown = actors(expected)
    requests, problems = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)

        def only_the_file(route):
            requests.append(route.request.url)
            return route.continue_() if route.request.url.startswith("file:") else route.abort()
        context.route("**/*", only_the_file)
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.goto(html.as_uri())
        page.wait_for_selector("body[data-stable='1']", state="attached", timeout=60000)
        counts = page.evaluate("() => ({nodes: vnplanPage.nodes.length, edges: vnplanPage.edges.length,"
                               " visible: vnplanPage.visible(), title: document.getElementById('title').textContent,"
                               " counts: document.getElementById('counts').textContent,"
                               " canvas: document.querySelectorAll('#network canvas').length})")
        page.screenshot(path=str(tmp_path / f"{kind}.png"))
        if kind == "coordination":
            page.check("#show-placeholders")
            counts["all"] = page.evaluate("() => vnplanPage.visible()")
            counts["counts_all"] = page.evaluate("() => document.getElementById('counts').textContent")
        browser.close()
    assert requests == [html.as_uri()] and problems == []
    assert (counts["nodes"], counts["edges"]) == (expected.number_of_nodes(), expected.number_of_edges())
    assert counts["visible"] == {"nodes": shown.number_of_nodes(), "edges": shown.number_of_edges()}
    assert counts["canvas"] == 1 and counts["title"].endswith("Kế hoạch 101/KH-UBND")
    assert (tmp_path / f"{kind}.png").stat().st_size > 20000  # a drawn network, not a blank page
    if kind == "coordination":
        assert counts["visible"] == {"nodes": 20, "edges": 15}  # the 15 rows of the coordination query
        assert counts["all"] == {"nodes": 29, "edges": 37}
        assert counts["counts"] == ("20 agencies, 15 links shown · 9 placeholders hidden"
                                    " · dashed: named only in the task's text")
        assert counts["counts_all"].startswith("29 agencies, 37 links shown · 9 placeholders shown (grey; not agencies)")
    saved = os.environ.get("VNPLAN_SCREENSHOTS")
    if saved:
        shutil.copy(tmp_path / f"{kind}.png", Path(saved) / f"{kind}.png")
