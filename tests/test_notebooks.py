"""The walkthrough notebooks in notebooks/: each runs top to bottom on a fresh kernel, from the
repository root and from notebooks/ (where Jupyter starts them), shows real results of the
sample plan, and writes nothing into the repository. As committed they carry no outputs.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = ["01_quickstart.ipynb", "02_trace_legal_basis.ipynb", "03_coordination_network.ipynb",
             "04_remote_endpoint.ipynb"]
CELL_TIMEOUT = 300  # seconds
WHERE = {"notebooks dir": NOTEBOOK_DIR, "repo root": ROOT}
# The one line a fresh machine may print on stderr: matplotlib's first run, building its font cache.
BENIGN_STDERR = re.compile(r"^Matplotlib is building the font cache; this may take a moment\.\s*$")

# What each executed notebook must show: real results of the sample, not just a clean run.
EXPECTED = {
    "01_quickstart.ipynb": [
        "Kế hoạch 101/KH-UBND — Tổ chức hoạt động thông tin đối ngoại năm 2023",
        "49 tasks",
        "| Sở Thông tin và Truyền thông | Ban Tuyên giáo Thành ủy Hà Nội | 4 | 4 | 0 | I.1 \\| I.7 \\| I.8 \\| I.10 |",
        "| Sở Công Thương | Ngân hàng Nhà nước Việt Nam – Chi nhánh thành phố Hà Nội | 1 | 0 | 1 | VI.3 |",
        "| Sở Ngoại vụ | coordinator | text | X.1 |",
        "| IV.6 | Trong năm 2023 | 237 |",  # the hand-written query, bound to Sở Du lịch
    ],
    "02_trace_legal_basis.ipynb": [
        "Task I.8 of Kế hoạch 101/KH-UBND",
        "→ Quyết định 1160/QĐ-TTg",
        "Kế hoạch 101/KH-UBND, line 203",
        "→ Quyết định 1079/QĐ-TTg approves “Đề án truyền thông về quyền con người ở Việt Nam”",
        "→ Quyết định 08/2021/QĐ-UBND issues",
        "→ Chỉ thị 28/CT-TTg implements",
        "cua khau → I.9, I.10",
        "| Nghị định 72/2015/NĐ-CP | 49 | 49 |",
        "4 of 49 tasks rest on a document beyond the plan's own bases: I.5, I.8, I.10, VI.3",
        "| Chương trình hành động của Chính phủ | programme | issues | Quyết định 1160/QĐ-TTg | 203 |",
    ],
    "03_coordination_network.ipynb": [
        "Coordination network: lead agency → coordinating agency — Kế hoạch 101/KH-UBND",
        "20 agencies, 15 links (9 placeholder nodes left out of the metrics)",
        "| Ban Tuyên giáo Thành ủy Hà Nội | party-body | 3 | 6 | 0 |",
        "| Sở Thông tin và Truyền thông | 9 |",
        "| Q2/2023 | 45 | 3 | 42 | 45 |",
    ],
    "04_remote_endpoint.ipynb": [
        "https://w3id.org/vnplan/graph/legal/kh/2023/101/ubnd-ha-noi: 4246 triples (graph-store)",
        "pushed 6 graphs, 6615 triples",
        "server stopped: True · temporary store removed: True",
        "coordination network from the endpoint: 15 links, identical to the embedded store's",
        "| Sở Thông tin và Truyền thông | Ban Tuyên giáo Thành ủy Hà Nội | 4 | 4 | 0 | I.1 \\| I.7 \\| I.8 \\| I.10 |",
    ],
}


def _snapshot() -> tuple:
    """What a notebook must not change in the repository: the files of notebooks/ and data/samples/,
    the other files' names under data/, the default store (others may edit the rest meanwhile)."""
    watched = sorted((str(p), p.stat().st_mtime_ns)
                     for d in (NOTEBOOK_DIR, ROOT / "data" / "samples") for p in d.rglob("*") if p.is_file())
    data = sorted(str(p) for p in (ROOT / "data").rglob("*"))
    return tuple(watched), tuple(data), (ROOT / ".vnplan").exists()


_executed: dict[tuple[str, str], tuple] = {}


def execute(name: str, where: str):
    """Run notebook *name* on a fresh ``python3`` kernel with *where* as working directory (once per
    session); returns the executed notebook and the repository snapshots before and after."""
    key = (name, where)
    if key not in _executed:
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        before = _snapshot()
        client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                         resources={"metadata": {"path": str(WHERE[where])}})
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as err:
            pytest.fail(f"{name} (run from the {where}) failed:\n{err}")
        _executed[key] = (nb, before, _snapshot())
    return _executed[key]


def _outputs(nb) -> list[tuple[str, str, str]]:
    """(cell id, kind, text) of every output: streams, and each text-like mime type of displays."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                out.append((cell.id, o.name, o.text))
            elif o.output_type == "error":
                out.append((cell.id, "error", f"{o.ename}: {o.evalue}"))
            else:
                for mime, value in o.get("data", {}).items():
                    if mime.startswith("text/"):
                        out.append((cell.id, mime, value))
    return out


def _text(nb) -> str:
    return "\n".join(text for _, kind, text in _outputs(nb) if kind in ("stdout", "text/markdown", "text/plain"))


@pytest.mark.parametrize("where", list(WHERE))
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom(name, where):
    nb, before, after = execute(name, where)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), "every code cell ran"
    outputs = _outputs(nb)
    assert not [o for o in outputs if o[1] == "error"], "no cell raised"
    stderr = [(cid, line) for cid, kind, text in outputs if kind == "stderr"
              for line in text.splitlines() if line.strip() and not BENIGN_STDERR.match(line)]
    assert not stderr, f"cells wrote to stderr (warnings?): {stderr}"
    assert before == after, "the notebook wrote into the repository"


@pytest.mark.parametrize("where", list(WHERE))
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_shows_real_results_of_the_sample(name, where):
    nb, _, _ = execute(name, where)
    text = _text(nb)
    missing = [s for s in EXPECTED[name] if s not in text]
    assert not missing, f"{name} does not show: {missing}"
    for cid, kind, value in _outputs(nb):  # the text shown; the page inlines a third-party script, not checked
        if kind in ("stdout", "text/markdown"):
            assert unicodedata.is_normalized("NFC", value), f"{name} cell {cid}: {kind} output is not NFC"


def test_the_remote_notebook_confirms_identical_rows():
    nb, _, _ = execute("04_remote_endpoint.ipynb", "notebooks dir")
    text = _text(nb)
    m = re.search(r"identical rows: all (\d+) catalogue queries give the same rows, in the same order, "
                  r"from the endpoint as from the embedded store", text)
    assert m, "no identical-rows confirmation"
    from graph_build.catalogue import load_catalogue
    assert int(m.group(1)) == len(load_catalogue())
    assert "DIFFERENT" not in text
    table = next(v for _, kind, v in _outputs(nb) if kind == "text/markdown" and "| identical |" in v)
    verdicts = [line.rsplit("|", 2)[1].strip() for line in table.splitlines()[2:]]
    assert verdicts and set(verdicts) == {"true"}


def test_the_network_notebook_shows_the_page_and_two_charts():
    nb, _, _ = execute("03_coordination_network.ipynb", "notebooks dir")
    displays = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type in ("display_data", "execute_result")]
    pages = [o.data["text/html"] for o in displays if "text/html" in o.get("data", {})]
    assert len(pages) == 1 and pages[0].startswith("<iframe srcdoc=")
    # labels are JSON-escaped in the page: this finds the NFC spelling only
    assert json.dumps("Ban Tuyên giáo Thành ủy Hà Nội")[1:-1] in pages[0]
    # the page inlines its script: no src or href points to another host (the srcdoc is HTML-escaped)
    assert "vis-network" in pages[0] and re.search(r"(?:src|href)=(?:&quot;|\")https?:", pages[0]) is None
    assert sum("image/png" in o.get("data", {}) for o in displays) == 2


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebooks_have_no_outputs(name):
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ") and "**Question.**" in first.source
    for cell in nb.cells:
        assert unicodedata.is_normalized("NFC", cell.source), f"{cell.id}: source is not NFC"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name} {cell.id}: outputs committed"
            assert cell.execution_count is None, f"{name} {cell.id}: execution count committed"


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == NOTEBOOKS
