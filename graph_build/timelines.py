"""Normalise a task's timeline as printed ("Quý III/2023", "Hàng tháng" …).

>>> t = parse_timeline("Quý III/2023", plan_year=2023)
>>> (t.kind, t.start.isoformat(), t.end.isoformat())
('interval', '2023-07-01', '2023-09-30')
>>> parse_timeline("Hàng quý", plan_year=2023).recurrence
'P3M'
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from .model import Timeline
from .vntext import fold, squash

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
         "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
_RECURRENCE = {"hang ngay": "P1D", "hang tuan": "P1W", "hang thang": "P1M", "hang quy": "P3M",
               "hang nam": "P1Y", "6 thang": "P6M"}


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_timeline(printed: str, plan_year: int | None) -> Timeline:
    """Parse *printed*; recurring and open-ended timelines take the plan's year as bounds."""
    text = squash(printed)
    f = fold(text)
    bounds = _year_bounds(plan_year) if plan_year else (None, None)

    def within_plan_year(kind: str, recurrence: str | None = None) -> Timeline:
        return Timeline(text, kind, bounds[0], bounds[1], recurrence, plan_year is not None)

    if not f:
        return Timeline(text, "unspecified")
    m = re.search(r"\bquy\s+([ivx]+|\d)\s*/\s*(\d{4})", f)
    if m:
        q = ROMAN.get(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        year = int(m.group(2))
        if not q or q > 4:
            return Timeline(text, "unspecified", flags=(f"impossible quarter in '{text}'",))
        return Timeline(text, "interval", date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    m = re.search(r"\bthang\s+(\d{1,2})\s*(?:-|den|va)\s*(\d{1,2})\s*/\s*(\d{4})", f)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= a <= b <= 12:
            return Timeline(text, "interval", date(year, a, 1), _month_end(year, b))
        return Timeline(text, "unspecified", flags=(f"impossible months in '{text}'",))
    m = re.search(r"\bthang\s+(\d{1,2})\s*/\s*(\d{4})", f)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return Timeline(text, "unspecified", flags=(f"impossible month in '{text}'",))
        return Timeline(text, "interval", date(year, month, 1), _month_end(year, month))
    m = re.search(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", f)
    if m:
        try:
            day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return Timeline(text, "unspecified", flags=(f"impossible date in '{text}'",))
        if "truoc" in f:
            return Timeline(text, "interval", bounds[0] if bounds[0] and bounds[0] <= day else None, day)
        return Timeline(text, "interval", day, day)
    for words, duration in _RECURRENCE.items():
        if f.startswith(words) or f == words:
            return within_plan_year("recurrence", duration)
    if "dinh ky" in f and "dot xuat" in f:
        return within_plan_year("periodic-or-adhoc")
    if f.startswith("thuong xuyen") or f == "lien tuc":
        return within_plan_year("continuous")
    m = re.search(r"\bnam\s+(\d{4})\b", f) or re.fullmatch(r"(\d{4})", f)
    if m:
        return Timeline(text, "interval", *_year_bounds(int(m.group(1))))
    if f in {"trong nam", "ca nam", "nam"}:
        return within_plan_year("interval")
    return Timeline(text, "unspecified")
