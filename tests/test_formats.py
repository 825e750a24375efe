"""The same plan as text, Word and PDF gives the same tasks, legal documents and agencies; the
ways a text file can differ (BOM, CRLF, NFD, look-alike letters) change nothing."""
from __future__ import annotations

import json
import unicodedata

import pytest

from graph_build.catalogue import run_query

from .conftest import SAMPLE, cli
from .formats import write_docx, write_pdf

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
QUERIES = ("tasks", "legal-documents", "agencies", "feedback", "coordination", "assignments")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    files = {
        "txt": SAMPLE,
        "docx": write_docx(LINES, d / "plan.docx"),
        "pdf": write_pdf(LINES, d / "plan.pdf"),
        "bom-crlf": d / "bom-crlf.txt",
        "nfd": d / "nfd.txt",
        "lookalike": d / "lookalike.txt",
    }
    files["bom-crlf"].write_bytes("\ufeff".encode() + "\r\n".join(LINES).encode())
    files["nfd"].write_text(unicodedata.normalize("NFD", "\n".join(LINES)), encoding="utf-8")
    files["lookalike"].write_text("\n".join(LINES).replace("Đ", "\u00d0"), encoding="utf-8")
    out = {}
    for name, f in files.items():
        out[name] = d / f"{name}.ttl"
        cli("build", f, "-o", out[name], "-q")
    return out


@pytest.mark.parametrize("variant", ["docx", "pdf", "bom-crlf", "nfd", "lookalike"])
def test_same_rows_as_the_text(built, variant):
    for q in QUERIES:
        want = run_query(q, graph=built["txt"]).rows
        got = run_query(q, graph=built[variant]).rows
        if variant == "pdf" and q == "assignments":  # line numbers count the PDF's own lines
            want = [{k: v for k, v in r.items() if not k.startswith("line")} for r in want]
            got = [{k: v for k, v in r.items() if not k.startswith("line")} for r in got]
        assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False), (variant, q)


def test_evidence_points_into_the_file_read(built):
    """In a PDF, lines count the text vnplan reads from it: the evidence quotes that text."""
    steps = json.loads(cli("trace", "I.5", "--graph", built["pdf"], "--format", "json").stdout)
    (via,) = [s for s in steps if s["step"] == 2]
    assert via["evidence"].startswith("Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng Chính phủ phê duyệt")
    assert via["source"]["lines"][0] < 72  # fewer lines than the text file: wrapped lines were joined back


def test_broken_word_and_pdf_files(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a real Word file")
    r = cli("build", bad, "-o", tmp_path / "o.ttl", expect=1)
    assert r.stderr.startswith(f"error: {bad}: not a readable Word (.docx) file") and r.stderr.count("\n") == 1
    from fpdf import FPDF
    blank = FPDF()
    blank.add_page()  # a page with no text, like a scan
    blank.output(str(tmp_path / "scan.pdf"))
    r = cli("build", tmp_path / "scan.pdf", "-o", tmp_path / "o.ttl", expect=1)
    assert r.stderr == f"error: {tmp_path}/scan.pdf: no text in this file (a scanned PDF needs OCR first)\n"
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4\nnothing else")
    r = cli("build", tmp_path / "junk.pdf", "-o", tmp_path / "o.ttl", expect=1)
    assert r.stderr.startswith(f"error: {tmp_path}/junk.pdf: not a readable PDF file") and r.stderr.count("\n") == 1
