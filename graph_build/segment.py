"""Stage 2: cut a source text into header, preamble, numbered sections, prose blocks,
recipients, signature, the task appendix and the feedback table.

>>> from graph_build.read import read_source
>>> seg = segment(read_source("data/samples/hanoi-2023-101-KH-UBND.txt"))
>>> [s.number for s in seg.sections][:4]
['preamble', 'I', 'I.1', 'I.2']
>>> len(seg.appendix_rows), len(seg.feedback_rows)
(59, 48)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block, Row, Section, SourceText, Span
from .tables import parse_rows
from .vntext import fold

ROMAN_HEADING = re.compile(r"^(?P<n>[IVX]{1,4})\.\s+(?P<title>\S.*)$")
NUMBERED_HEADING = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<title>\S.{0,160})$")
PREAMBLE_START = ("can cu", "thuc hien", "theo de nghi")
SIGNATURE_START = re.compile(r"^(TM\.|KT\.|Q\.|TL\.|TUQ\.)\s", re.I)


@dataclass(frozen=True)
class Segments:
    source: SourceText
    header: Span
    preamble: Span | None
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    recipients: tuple[Span, ...]
    signature: Span | None
    appendix_title: Span | None
    appendix_rows: tuple[Row, ...]
    feedback_title: Span | None
    feedback_rows: tuple[Row, ...]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _find(lines: tuple[str, ...], pred, start: int = 0) -> int | None:
    for i in range(start, len(lines)):
        if pred(lines[i]):
            return i
    return None


def segment(src: SourceText) -> Segments:
    """Segment *src*; line numbers in every span are 1-based lines of the file."""
    lines = src.lines
    n = len(lines)
    appendix = _find(lines, lambda l: fold(l).startswith("phu luc") and _is_upper(l))
    feedback = _find(lines, lambda l: fold(l).startswith("tong hop y kien"))
    body_end = min(i for i in (appendix, feedback, n) if i is not None)

    first_table = _find(lines, lambda l: "\t" in l)
    if first_table is not None and first_table < body_end:
        body_end = first_table

    # Header: up to the preamble or the first part heading.
    pre = _find(lines[:body_end], lambda l: fold(l).startswith(PREAMBLE_START))
    first_part = _find(lines[:body_end], lambda l: bool(ROMAN_HEADING.match(l.strip())) and _is_upper(l))
    header_end = min(i for i in (pre, first_part, body_end) if i is not None)
    header = src.span(1, max(header_end, 1))

    preamble: Span | None = None
    body_start = header_end
    if pre is not None and (first_part is None or pre < first_part):
        j = pre
        while j < body_end:
            stripped = lines[j].strip()
            if j > pre and (ROMAN_HEADING.match(stripped) or NUMBERED_HEADING.match(stripped)
                            or fold(stripped).startswith(("quyet dinh:", "dieu "))):
                break
            if not stripped and j + 1 < body_end and not fold(lines[j + 1]).startswith(PREAMBLE_START) \
                    and lines[j + 1].strip() and not lines[j].strip() and j > pre:
                break
            j += 1
        while j > pre and not lines[j - 1].strip():
            j -= 1
        preamble = src.span(pre + 1, j)
        body_start = j

    sections: list[Section] = []
    if preamble:
        sections.append(Section("preamble", "Căn cứ", preamble))
    blocks: list[Block] = []
    recipients: list[Span] = []
    signature: Span | None = None
    part, sub = None, None
    current = "preamble"
    block_start: int | None = None
    mode = "body"

    def close_block(end: int) -> None:
        nonlocal block_start
        if block_start is not None:
            span = src.span(block_start, end)
            text = re.sub(r"\s*\n\s*", " ", span.text)
            blocks.append(Block(current, text, span))
        block_start = None

    last_text_line = body_start
    for i in range(body_start, body_end):
        no = i + 1
        raw = lines[i]
        s = raw.strip()
        if not s:
            continue
        f = fold(s)
        if mode == "body" and f.startswith("noi nhan"):
            close_block(last_text_line)
            mode = "recipients"
            continue
        if mode in ("body", "recipients") and SIGNATURE_START.match(s):
            close_block(last_text_line)
            mode = "signature"
            sig_start = no
        if mode == "recipients":
            recipients.append(src.span(no, no))
            continue
        if mode == "signature":
            signature = src.span(sig_start, no)
            continue
        m = ROMAN_HEADING.match(s)
        if m and _is_upper(m.group("title")):
            close_block(last_text_line)
            part, sub = m.group("n"), None
            current = part
            sections.append(Section(part, m.group("title"), src.span(no, no)))
            last_text_line = no
            continue
        m = NUMBERED_HEADING.match(s)
        if m and part and not s.endswith((".", ";")) or (m and part and len(s) < 80 and not s.startswith("-")):
            close_block(last_text_line)
            sub = m.group("n")
            current = f"{part}.{sub}"
            sections.append(Section(current, m.group("title"), src.span(no, no)))
            last_text_line = no
            continue
        if f.startswith("tren day la"):
            close_block(last_text_line)
            current = "closing"
            sections.append(Section("closing", "Trên đây là", src.span(no, no)))
            block_start = no
            last_text_line = no
            continue
        starts_item = s.startswith(("- ", "+ ", "– ")) or s[:1].isupper() and not lines[i - 1].strip() \
            and (block_start is None or lines[last_text_line - 1].rstrip().endswith((".", ";", ":", "!", "?", "…")))
        if starts_item or block_start is None:
            close_block(last_text_line)
            block_start = no
        last_text_line = no
    close_block(last_text_line)

    # Extend section spans to cover their blocks.
    ends: dict[str, int] = {}
    for b in blocks:
        ends[b.section] = max(ends.get(b.section, 0), b.span.end)
    sections = [Section(s.number, s.title, src.span(s.span.start, max(s.span.end, ends.get(s.number, 0))))
                for s in sections]
    if recipients:
        sections.append(Section("recipients", "Nơi nhận",
                                src.span(recipients[0].start - 1, recipients[-1].end)))
    if signature:
        sections.append(Section("signature", "Chữ ký", signature))

    appendix_title, appendix_rows = None, ()
    if appendix is not None:
        table_end = feedback if feedback is not None and feedback > appendix else n
        first = _find(lines, lambda l: "\t" in l, appendix)
        title_end = first if first is not None and first < table_end else appendix + 3
        while title_end > appendix + 1 and not lines[title_end - 1].strip():
            title_end -= 1
        appendix_title = src.span(appendix + 1, title_end)
        appendix_rows = tuple(parse_rows([(k + 1, lines[k]) for k in range(appendix, table_end)]))
        sections.append(Section("appendix", lines[appendix + 1].strip() if appendix + 1 < n else "",
                                src.span(appendix + 1, appendix_rows[-1].span.end if appendix_rows else title_end)))
    elif first_table is not None and (feedback is None or first_table < feedback):
        table_end = feedback if feedback is not None else n
        appendix_rows = tuple(parse_rows([(k + 1, lines[k]) for k in range(first_table, table_end)]))
        if appendix_rows:
            sections.append(Section("appendix", "", src.span(first_table + 1, appendix_rows[-1].span.end)))

    feedback_title, feedback_rows = None, ()
    if feedback is not None:
        first = _find(lines, lambda l: "\t" in l, feedback)
        end = first if first is not None else feedback + 1
        while end > feedback + 1 and not lines[end - 1].strip():
            end -= 1
        feedback_title = src.span(feedback + 1, end)
        feedback_rows = tuple(parse_rows([(k + 1, lines[k]) for k in range(feedback, n)]))
        sections.append(Section("feedback", lines[feedback].strip(),
                                src.span(feedback + 1, feedback_rows[-1].span.end if feedback_rows else end)))

    return Segments(src, header, preamble, tuple(sections), tuple(blocks), tuple(recipients), signature,
                    appendix_title, appendix_rows, feedback_title, feedback_rows)
