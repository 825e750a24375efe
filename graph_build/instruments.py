"""Named instruments — schemes (Đề án), regulations (Quy chế), campaigns (Cuộc vận động),
programmes, strategies, master plans — and the numbered documents that approve, issue or
implement them, as a plan states it ("Quyết định số 1079/QĐ-TTg … phê duyệt Đề án …").

A task that names an instrument rests, through it, on that document, even when its row cites
nothing: this is step 2 of ``vnplan trace``.

>>> [(b.kind, b.name, b.relation, b.ref.id_local) for b in find_bases(
...     "Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng Chính phủ phê duyệt "
...     "Đề án truyền thông về quyền con người ở Việt Nam; đẩy mạnh tuyên truyền")]
[('scheme', 'Đề án truyền thông về quyền con người ở Việt Nam', 'approves', '1079/QĐ-TTg')]
>>> names_instrument("Xây dựng Kế hoạch thực hiện Đề án truyền thông về quyền con người ở Việt Nam "
...                  "trên địa bàn thành phố", "Đề án truyền thông về quyền con người ở Việt Nam")
'Đề án truyền thông về quyền con người ở Việt Nam'
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .legal_refs import find_refs_with_offsets
from .model import InstrumentBasis, InstrumentUse, Span, Task
from .vntext import fold, squash

#: (kind, pattern) of each instrument name; shared with the unnumbered mentions of ``extract``.
INSTRUMENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("strategy", re.compile(r"Chiến lược [a-zà-ỹđ][^;,.:()“”]*")),
    ("scheme", re.compile(r"Đề án [^;,.:()“”]+")),
    ("regulation", re.compile(r"Quy chế [a-zà-ỹđ][^;.:()“”]+")),
    ("campaign", re.compile(r"Cuộc vận động (?:“[^”]+”|[a-zà-ỹđA-ZĐ][^;,.:()]+)")),
    ("programme", re.compile(r"Chương trình (?:hành động|[A-ZĐÀ-Ỹ])[^;,.:()“”]*")),
    ("framework", re.compile(r"Khung [a-zà-ỹđ][^;,.:()“”]+")),
    ("master-plan", re.compile(r"Quy hoạch [a-zà-ỹđ][^;:()“”]+")),
)
# What the document does to the instrument, read in the words between them (first match wins).
_VERBS = (("approves", re.compile(r"phê duyệt", re.I)), ("issues", re.compile(r"ban hành", re.I)),
          ("implements", re.compile(r"thực hiện|triển khai", re.I)))
_ISSUED_IN = re.compile(r"^\s*[(,]?\s*(?:được\s+)?(?:ban hành|phê duyệt)\s+(?:tại|kèm theo|theo)\s*$", re.I)
_TAIL = re.compile(r"\s+(?:trên địa bàn|nhằm|trong tình hình|được ban hành|ban hành)\b.*$")
_LINK = re.compile(r"\s+(?:được ban hành tại|được ban hành|ban hành kèm theo|ban hành tại|tại|theo|của)\s*$")
_MAX_GAP = 160


def instrument_names(text: str, refs: list[tuple[int, int]] = []) -> list[tuple[str, str, int, int]]:
    """``(kind, name, start, end)`` of every instrument named in *text*, in order, not overlapping;
    a name stops where a numbered reference (a span in *refs*) begins."""
    found: list[tuple[str, str, int, int]] = []
    for kind, pat in INSTRUMENT_PATTERNS:
        for m in pat.finditer(text):
            a, b = m.span()
            b = min([x for x, _ in refs if a < x < b] + [b])
            if any(a < y and x < b for _, _, x, y in found):
                continue
            link = _LINK.search(text, a, b)
            b = link.start() if link else b
            name = squash(text[a:b]).rstrip(" -–,")
            if len(name.split()) >= 3:
                found.append((kind, name, a, b))
    return sorted(found, key=lambda f: f[2])


def find_bases(text: str, section: str = "", span: Span = Span(0, 0, "")) -> list[InstrumentBasis]:
    """Each instrument in *text* that a numbered document next to it approves, issues or implements."""
    out: list[InstrumentBasis] = []
    for clause in re.split(r";\s*", text):
        refs = find_refs_with_offsets(clause)
        for kind, name, a, b in instrument_names(clause, [(f.start, f.end) for f in refs]):
            before = [f for f in refs if f.start < a]
            after = [f for f in refs if f.start >= b]
            if after and _ISSUED_IN.match(clause[b:after[0].start]):
                f = after[0]  # "Quy chế … (được ban hành tại Quyết định số 08/2021/QĐ-UBND …)"
                words = clause[a:f.end].rstrip()
                if words.count("(") > words.count(")") and clause[f.end:].lstrip().startswith(")"):
                    words += ")"
                out.append(InstrumentBasis(kind, _short(name), "issues", f.ref, squash(words), section, span))
                continue
            if not before:
                continue
            f = before[-1]  # "Quyết định số 1079/QĐ-TTg … phê duyệt Đề án …"
            gap = clause[f.end:a]
            if len(gap) > _MAX_GAP or any(a > g.start > f.start for g in refs if g is not f):
                continue
            for relation, verb in _VERBS:
                if verb.search(clause[f.start:a]):
                    out.append(InstrumentBasis(kind, _short(name), relation, f.ref, squash(clause[f.start:b]),
                                               section, span))
                    break
    return out


def _short(name: str) -> str:
    """The name without the words that only place it ("… trên địa bàn thành phố Hà Nội")."""
    head = _TAIL.sub("", name)
    return head if len(head.split()) >= 3 else name


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


@lru_cache(maxsize=512)
def _word_spans(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Each word of *text*: its span, and its folded form (computed once per text)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
    folded = fold(" ".join(text[a:b] for a, b in spans)).split(" ")
    return spans, folded if len(folded) == len(spans) else [fold(text[a:b]) for a, b in spans]


def names_instrument(text: str, name: str, threshold: float = 0.9) -> str | None:
    """The words of *text* that name the instrument *name* (diacritics, case, quotes and a stray
    word or two aside), or None.

    >>> names_instrument("triển khai Cuộc vận động người Việt Nam ưu tiên dùng hàng Việt Nam;",
    ...                  "Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”")
    'Cuộc vận động người Việt Nam ưu tiên dùng hàng Việt Nam'
    """
    want = _words(name)
    if len(want) < 3:
        return None
    spans, words = _word_spans(text)
    for i in range(len(words) - len(want) + 1):
        if words[i:i + 2] != want[:2]:
            continue
        window = words[i:i + len(want) + 3]
        sm = SequenceMatcher(None, want, window, autojunk=False)
        matched = sum(bl.size for bl in sm.get_matching_blocks())
        if matched >= threshold * len(want):
            last = max(bl.b + bl.size for bl in sm.get_matching_blocks() if bl.size)
            return squash(text[spans[i][0]:spans[i + last - 1][1]])
    return None



def find_uses(tasks: tuple[Task, ...] | list[Task], bases: list[InstrumentBasis]) -> list[InstrumentUse]:
    """Each task that names the instrument of a basis (``basis`` is the index in *bases*); a basis
    stated in the task's own row is a direct citation of it, not a use."""
    out: list[InstrumentUse] = []
    for task in tasks:
        seen: set[tuple[str, str]] = set()
        for i, b in enumerate(bases):
            if b.span == task.span:
                continue
            words = names_instrument(task.content, b.name)
            if words and (b.name, b.ref.id_local) not in seen:
                seen.add((b.name, b.ref.id_local))
                out.append(InstrumentUse(task.ref, i, words, task.span))
    return out
