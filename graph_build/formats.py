"""Render query rows as a table, CSV, TSV, JSON or Markdown.

>>> print(render(["a", "b"], [{"a": 1, "b": "x|y"}], "md"))
| a | b |
|---|---|
| 1 | x\\|y |
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

FORMATS = ("table", "csv", "tsv", "json", "md")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(columns: list[str], rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(columns)
        clean = (lambda v: v.replace("\t", " ").replace("\n", "\\n")) if fmt == "tsv" else (lambda v: v)
        for r in rows:
            w.writerow([clean(_text(r.get(c))) for c in columns])
        return buf.getvalue().rstrip("\n")
    if fmt == "md":
        esc = lambda v: _text(v).replace("|", "\\|").replace("\n", "<br>")  # noqa: E731
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(esc(r.get(c)) for c in columns) + " |" for r in rows]
        return "\n".join(lines)
    from rich.console import Console
    from rich.table import Table
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_text(r.get(c)) for c in columns])
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text().rstrip("\n")
