"""Stage 1: read a source file into NFC text lines.

>>> src = read_source("data/samples/hanoi-2023-101-KH-UBND.txt")
>>> src.lines[2]
'Số: 101 /KH-UBND'
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .errors import InputError
from .model import SourceText
from .vntext import nfc, squash


MAX_BYTES = int(float(os.environ.get("VNPLAN_MAX_MB", "25")) * 1024 * 1024)

# Words as they look when Vietnamese in a legacy 8-bit encoding is read as Windows-1252: TCVN3
# (ABC, fonts .VnTime …) and VNI (VNI-Times …), common in old Word files.
_TCVN3 = re.compile(r"(?:\bvµ\b|\bc¸c\b|\bcña\b|\bnh©n\b|\bd©n\b|Hµ Néi|\bthµnh\b|\b®Þnh\b|\b®èi\b|\bKÕ ho¹ch\b|\bQuyÕt\b)")
_VNI = re.compile(r"(?:\bvaø\b|\bcaùc\b|\bcuûa\b|\bnhaân\b|\bdaân\b|Haø Noäi|\bthaønh\b|\bñònh\b|\bñoái\b|\bKeá hoaïch\b|\bQuyeát\b)")


def _legacy_encoding(data: bytes) -> str | None:
    """'TCVN3' or 'VNI' when *data* reads as Vietnamese in that legacy encoding, else None."""
    text = data[:200_000].decode("cp1252", errors="replace")
    tcvn3, vni = len(_TCVN3.findall(text)), len(_VNI.findall(text))
    if max(tcvn3, vni) < 3:
        return None
    return "TCVN3 (ABC)" if tcvn3 >= vni else "VNI"


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); refuse what is not text with a clear message."""
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith(b"%PDF"):
        raise InputError(path, "this is a PDF file named as text; rename it to .pdf")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "this is a Word or zip file named as text; rename a Word file to .docx")
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 64 and (
            (odd > len(head) // 4 and even < len(head) // 32) or (even > len(head) // 4 and odd < len(head) // 32))):
        raise InputError(path, "file is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, "binary data, not text", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        legacy = _legacy_encoding(data)
        if legacy:
            raise InputError(path, f"text in the legacy {legacy} Vietnamese encoding, not Unicode; convert it to "
                                   "Unicode (e.g. UniKey's converter, 'Công cụ chuyển mã') and save it as UTF-8") from None
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text (save the file as UTF-8)", line=line) from None
    return text


def _cell_text(paragraphs: list[str]) -> str:
    """One table cell on one line: several paragraphs become ``<p>`` fragments, the same form as
    the HTML that PDF-to-text exports leave in cells (and that the table reader removes)."""
    paras = [squash(p) for p in paragraphs if p.strip()]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras)


def docx_lines(path: str, data: bytes) -> list[str]:
    """The body of a Word file as lines: each paragraph one line, each table row one line of
    tab-separated cells (merged cells once), in document order.

    Line numbers of evidence then count these lines (paragraphs and table rows)."""
    import io
    import zipfile
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(path, f"not a readable Word (.docx) file ({err})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(Paragraph(child, document).text.split("\n"))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats itself across the columns it spans
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_cell_text([p.text for p in cell.paragraphs]))
                lines.append("\t".join(cells))
    return lines


def pdf_lines(path: str, data: bytes) -> list[str]:
    """The text of a PDF as lines: the lines outside tables joined into paragraphs (a wider gap
    or an indent starts a new one), each table row one line of tab-separated cells, page by page.

    Line numbers of evidence then count these lines."""
    import io
    try:
        import pdfplumber
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many kinds for a broken file
        raise InputError(path, f"not a readable PDF file ({type(err).__name__})") from None
    lines: list[str] = []
    with pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)
            items: list[tuple[float, str]] = []
            prev = None
            for ln in page.filter(outside).extract_text_lines(return_chars=False):
                gap = ln["top"] - prev["bottom"] if prev else 99.0
                height = ln["bottom"] - ln["top"]
                indent = prev is not None and ln["x0"] > prev["x0"] + 8
                text = ln["text"].strip()
                starts = re.match(r"^(?:[-+•–]\s|[IVX]+\.\s|\d+(?:\.\d+)*\.\s|Căn cứ|Thực hiện|Theo đề nghị)", text)
                if prev is not None and gap < 0.6 * height and not indent and not starts and items:
                    items[-1] = (items[-1][0], f"{items[-1][1]} {text}")
                else:
                    items.append((ln["top"], text))
                prev = ln
            for t in tables:
                rows = []
                for row in t.extract():
                    cells = []
                    for cell in row:
                        paras: list[str] = []
                        for part in (cell or "").split("\n"):
                            if paras and not re.match(r"^[-+•]\s", part):
                                paras[-1] += " " + part
                            else:
                                paras.append(part)
                        cells.append(_cell_text(paras))
                    rows.append("\t".join(cells))
                items.append((t.bbox[1], "\n".join(rows)))
            for _, text in sorted(items, key=lambda it: it[0]):
                lines.extend(text.split("\n"))
    return lines


def read_source(path: str | Path, max_bytes: int | None = None) -> SourceText:
    """Read *path* as a source document — UTF-8 text (CRLF or LF), a Word ``.docx`` or a ``.pdf``
    — into NFC lines, look-alikes repaired. A file larger than *max_bytes* (25 MB, or
    $VNPLAN_MAX_MB) is refused before it is read."""
    p = Path(path)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(str(path), f"file is {size / 1024 / 1024:.0f} MB, more than the {limit / 1024 / 1024:.0f} MB "
                                        "a plan may take; is it the right file? (raise the limit with --max-size MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a file") from None
    except PermissionError:
        raise InputError(str(path), "permission denied: vnplan may not read this file") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read the file ({err.strerror or err})") from None
    suffix = p.suffix.lower()
    if suffix == ".docx" or (suffix == ".pdf" and data.startswith(b"%PDF")):
        raw = docx_lines(str(path), data) if suffix == ".docx" else pdf_lines(str(path), data)
        if not any(line.strip() for line in raw):
            raise InputError(str(path), "no text in this file (a scanned PDF needs OCR first)")
        lines = tuple(nfc(line) for line in raw)
        return SourceText(path=str(path), name=p.name, lines=lines)
    text = nfc(decode(str(path), data))
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return SourceText(path=str(path), name=p.name, lines=lines)
