"""Tab-separated table rows from PDF text: headers repeated at page breaks, rows split across pages.

>>> rows = parse_rows([(1, "TT\\tNội dung\\tTiến độ"), (2, "1\\tViệc a\\tTrong năm"),
...                    (3, ""), (4, "TT\\tNội dung\\tTiến độ"), (5, "\\tcòn lại\\t2023")])
>>> rows[0].cells, (rows[0].span.start, rows[0].span.end)
(('1', 'Việc a còn lại', 'Trong năm 2023'), (2, 5))
"""
from __future__ import annotations

import html
import re

from .model import Row, Span
from .vntext import fold, squash

HEADER_FIRST_CELLS = {"tt", "stt", "so tt"}


def is_header(cells: list[str]) -> bool:
    return bool(cells) and fold(cells[0]).strip(".") in HEADER_FIRST_CELLS


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return f"{a} {b}"


def parse_rows(numbered_lines: list[tuple[int, str]]) -> list[Row]:
    """Rows of the table in *numbered_lines* ``(line_no, text)``; continuation rows are joined."""
    header: tuple[str, ...] = ()
    rows: list[tuple[list[str], int, int, list[str], tuple[str, ...]]] = []
    for no, line in numbered_lines:
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        if is_header(cells):
            header = tuple(squash(c) for c in cells)
            continue
        if rows and not cells[0]:
            prev = rows[-1]
            width = max(len(prev[0]), len(cells))
            prev[0].extend([""] * (width - len(prev[0])))
            for i, cell in enumerate(cells):
                prev[0][i] = _join(prev[0][i], cell)
            rows[-1] = (prev[0], prev[1], no, prev[3] + [line], prev[4])
            continue
        rows.append((cells, no, no, [line], header))
    return [Row(tuple(c), h, Span(a, b, "\n".join(raw))) for c, a, b, raw, h in rows]


_TAG = re.compile(r"<\s*(/?)\s*(\w+)[^>]*>")
_INLINE = {"i", "b", "em", "strong", "u", "span", "sup", "sub", "a", "font"}
_ITEM_BREAK = re.compile(r"(?:(?<=[;:.,!?…])|(?<=^))\s*(?=[-+]\s)")


def clean_cell(text: str) -> str:
    """Remove HTML, keep list items on their own lines ("- …", "+ …")."""
    had_markup = bool(_TAG.search(text))
    text = _TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE else "\n", html.unescape(text))
    lines: list[str] = []
    for part in text.split("\n"):
        part = squash(part)
        if not part:
            continue
        if had_markup or part.startswith(("- ", "+ ")):
            pieces = [squash(p) for p in _ITEM_BREAK.split(part)]
            lines.extend(p for p in pieces if p)
        else:
            lines.append(part)
    return re.sub(r"\s+”", "”", re.sub(r"“\s+", "“", "\n".join(lines)))


def column_index(header: tuple[str, ...], *needles: str) -> int | None:
    """Index of the first column whose folded name contains one of *needles*."""
    for i, name in enumerate(header):
        f = fold(name)
        if any(n in f for n in needles):
            return i
    return None
