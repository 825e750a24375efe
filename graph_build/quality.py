"""The data-quality report over a corpus (``vnplan check``): every problem the builds recorded in
the graph, with its document and line, from the catalogue's ``quality`` query — so it works on
every engine.

>>> from graph_build.catalogue import open_engine
>>> report = check_quality(open_engine(graph="out/sample.ttl"))  # doctest: +SKIP
>>> report.by_kind  # doctest: +SKIP
{'number-mismatch': 1}
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .catalogue import find_query


@dataclass(frozen=True)
class QualityReport:
    rows: tuple[dict[str, Any], ...]

    @property
    def by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(r["kind"] for r in self.rows).items()))

    @property
    def by_document(self) -> dict[str, int]:
        return dict(sorted(Counter(r["plan"] for r in self.rows).items()))


def check_quality(engine: Any) -> QualityReport:
    """Every data-quality problem recorded in the graph on *engine*."""
    q = find_query("quality")
    return QualityReport(tuple(engine.query(q.text, q.bindings({})).rows))
