"""Parse numbered references to Vietnamese documents ("Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 …").

>>> ref = parse_number("72/2015/NĐ-CP")
>>> (ref.number, ref.year, ref.type_code, ref.issuer_code, ref.id_local)
(72, 2015, 'ND', 'CP', '72/2015/NĐ-CP')
>>> parse_number("36/NQ-TW").id_local, parse_number("12-CT/TW").party
('36-NQ/TW', True)
>>> [(r.id_local, r.number_printed) for r in find_refs("Căn cứ Nghị định số 72/NĐ-CP ngày 07/9/2015 của Chính phủ;")]
[('72/2015/NĐ-CP', '72/NĐ-CP')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .model import LegalRef
from .vntext import fold, nfc, squash

# Words that introduce a document, longest first, with the ASCII type code.
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("Nghị quyết liên tịch", "NQLT"), ("Thông tư liên tịch", "TTLT"),
    ("Nghị định", "ND"), ("Nghị quyết", "NQ"), ("Thông tư", "TT"), ("Quyết định", "QD"),
    ("Chỉ thị", "CT"), ("Kế hoạch", "KH"), ("Công văn", "CV"), ("Văn bản", "CV"),
    ("Tờ trình", "TTr"), ("Chương trình", "CTr"), ("Quy chế", "QC"), ("Quy định", "QyD"),
    ("Kết luận", "KL"), ("Hướng dẫn", "HD"), ("Thông báo", "TB"), ("Báo cáo", "BC"),
    ("Công điện", "CD"), ("Pháp lệnh", "PL"), ("Luật", "L"), ("Đề án", "DA"), ("Phương án", "PA"),
)
# Type segments as printed in a number's code → ASCII type code.
CODE_TYPES = {
    "NĐ": "ND", "QĐ": "QD", "TT": "TT", "CT": "CT", "NQ": "NQ", "KH": "KH", "TTr": "TTr",
    "CTr": "CTr", "QC": "QC", "QyĐ": "QyD", "KL": "KL", "HD": "HD", "TB": "TB", "BC": "BC",
    "CĐ": "CD", "ĐA": "DA", "PA": "PA", "TTLT": "TTLT", "NQLT": "NQLT", "CV": "CV",
}
# Legal normative documents whose number always carries the year ("72/2015/NĐ-CP"): when a text
# leaves it out, the canonical number puts back the year of the date.
YEAR_IN_NUMBER = {"ND", "TT", "TTLT", "NQLT"}
# Type code → printed type segment (for formatting a reference back).
TYPE_SEGMENTS = {v: k for k, v in CODE_TYPES.items()}
PARTY_ISSUERS = {"TW", "TU", "HU", "ĐU", "QU", "BCT", "BBT", "BTGTW", "BTGTU", "BCHTW"}
NATIONAL_ISSUERS = {"CP", "TTg", "VPCP", "QH", "UBTVQH", "CTN", "NHNN", "TTXVN"} | PARTY_ISSUERS - {"TU", "HU", "ĐU", "QU", "BTGTU"}

_SEG = r"(?:QyĐ|[A-ZĐ][A-ZĐ&]*(?:[a-z](?![a-zà-ỹ]))?\d*)"
_NUMBER = (
    rf"\d{{1,5}}\s*[-–]\s*{_SEG}\s*/\s*{_SEG}(?:\s*-\s*{_SEG})?"          # Party: 22-NQ/TW
    rf"|\d{{1,5}}\s*/\s*(?:\d{{4}}\s*/\s*)?{_SEG}(?:\s*[-–]\s*{_SEG}){{0,3}}"  # State: 72/2015/NĐ-CP
)
_TYPE_ALT = "|".join(re.escape(w) for w, _ in TYPE_WORDS)
REF_RE = re.compile(
    rf"(?P<word>(?i:{_TYPE_ALT}))(?:(?:\s+(?:thẩm định|kết quả thẩm định|hỏa tốc|liên ngành|liên tịch))?\s+số)?"
    rf"\s*:?\s*(?P<num>{_NUMBER})(?:(?![\w/])|(?=ngày))"
)
_DMY = r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
_LONG = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
DATE_RE = re.compile(rf"{_DMY}|{_LONG}")
_AFTER_DATE = re.compile(rf"^\s*,?\s*(?:ban hành\s+)?ngày\s+(?:{_DMY}|{_LONG})")
_ISSUER = re.compile(
    r"^\s*,?\s*(?:do\s+|của\s+)(?P<issuer>.+?)"
    r"(?=\s+(?:về|ngày|hướng dẫn|phê duyệt|ban hành|quy định|sửa đổi|triển khai|V/v)\b|\s*[(),;:.“\"]|$)"
)
_PAREN = re.compile(r"^\s*\([^)]{0,60}\)")
_SUBJECT_START = re.compile(r"^\s*,?\s*(?=(?:về|V/v|hướng dẫn|phê duyệt|ban hành|quy định)\b)")


def _subject(rest: str) -> tuple[str | None, int]:
    """The subject clause at the start of *rest* ("về …"), stopping at ; : ) or ", X" outside quotes."""
    m = _SUBJECT_START.match(rest)
    if not m:
        return None, 0
    depth, i = 0, m.end()
    while i < len(rest):
        c = rest[i]
        if c in "“\"" and depth == 0:
            depth = 1
        elif c in "”\"" and depth:
            depth = 0
        elif depth == 0 and (c in ";:)\n" or (c == "," and rest[i + 1:i + 3].strip()[:1].isupper())):
            break
        i += 1
    return rest[m.end():i].strip() or None, i


def _date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_date(text: str) -> tuple[date | None, bool]:
    """Find the first date in *text*: ``(date, found)``; ``found`` with ``None`` means impossible.

    >>> parse_date("ngày 07 tháng 9 năm 2015")
    (datetime.date(2015, 9, 7), True)
    >>> parse_date("31/02/2023")
    (None, True)
    """
    m = DATE_RE.search(text)
    if not m:
        return None, False
    if m.group("d"):
        return _date(m.group("d"), m.group("m"), m.group("y")), True
    return _date(m.group("d2"), m.group("m2"), m.group("y2")), True


@dataclass(frozen=True)
class Number:
    number: int
    year: int | None
    type_segment: str | None
    issuer_code: str
    code: str
    id_local: str
    party: bool

    @property
    def type_code(self) -> str | None:
        return CODE_TYPES.get(self.type_segment or "")


def parse_number(printed: str) -> Number | None:
    """Normalise a printed document number; ``None`` if it is not one."""
    s = re.sub(r"\s+", "", nfc(printed)).replace("–", "-").replace("\u00d0", "Đ")
    m = re.fullmatch(r"(\d+)-([^/-]+)/(.+)", s)
    if m:  # Party style 22-NQ/TW
        n, t, iss = int(m.group(1)), m.group(2), m.group(3)
        return Number(n, None, t, iss, f"{t}/{iss}", f"{m.group(1)}-{t}/{iss}", True)
    m = re.fullmatch(r"(\d+)/(?:(\d{4})/)?([^/]+)", s)
    if not m:
        return None
    digits, year, rest = m.group(1), m.group(2), m.group(3)
    segs = [x for x in rest.split("-") if x]
    if not segs:
        return None
    if segs[0] in CODE_TYPES and len(segs) > 1:
        t, iss = segs[0], "-".join(segs[1:])
    else:
        t, iss = None, "-".join(segs)
    code = "-".join(segs)
    if t and iss in PARTY_ISSUERS:  # "36/NQ-TW" is the Party's 36-NQ/TW
        return Number(int(digits), int(year) if year else None, t, iss, f"{t}/{iss}", f"{digits}-{t}/{iss}", True)
    id_local = f"{digits}/{year}/{code}" if year else f"{digits}/{code}"
    return Number(int(digits), int(year) if year else None, t, iss, code, id_local, False)


def format_ref(ref: LegalRef) -> str:
    """Canonical number of a reference (inverse of :func:`parse_number` up to spacing)."""
    return ref.id_local


def make_ref(printed: str, word_type: str | None, number_text: str, when: date | None,
             date_found: bool = False, issuer: str | None = None, subject: str | None = None) -> LegalRef | None:
    """Build a :class:`LegalRef` from its parts, flagging what disagrees."""
    num = parse_number(number_text)
    if num is None:
        return None
    flags: list[str] = []
    type_code = word_type or num.type_code or "CV"
    if word_type and num.type_code and word_type != num.type_code and word_type != "CV":
        flags.append(f"type-mismatch: the text says {word_type}, the number says {num.type_code}")
    if word_type == "CV" and num.type_code:
        type_code = num.type_code if num.type_code != "CV" else "CV"
    year = num.year
    if date_found and when is None:
        flags.append("impossible-date")
    if when is not None:
        if year is not None and when.year != year:
            flags.append(f"date-contradicts-number-year: number says {year}, date says {when.isoformat()}")
        if year is None:
            year = when.year
    if year is None:
        flags.append("no-year: neither the number nor a date gives the year")
    id_local = num.id_local
    if num.year is None and year is not None and type_code in YEAR_IN_NUMBER and not num.party:
        id_local = f"{num.number}/{year}/{num.code}"  # "72/NĐ-CP ngày 07/9/2015" is 72/2015/NĐ-CP
    return LegalRef(
        printed=squash(printed), type_code=type_code, number=num.number,
        number_printed=squash(number_text), id_local=id_local, code=num.code,
        issuer_code=num.issuer_code, year=year, date=when,
        issuer_text=squash(issuer) if issuer else None,
        subject=squash(subject) if subject else None, party=num.party, flags=tuple(flags),
    )


def _word_type(word: str) -> str:
    f = fold(word)
    for w, code in TYPE_WORDS:
        if fold(w) == f:
            return code
    return "CV"


@dataclass(frozen=True)
class Found:
    ref: LegalRef
    start: int   # character offsets of the whole reference (with date, issuer, subject)
    end: int


def find_refs_with_offsets(text: str) -> list[Found]:
    """Every numbered reference in *text*, with the character span it covers."""
    return list(_find_refs(nfc(text)))


@lru_cache(maxsize=1 << 14)
def _find_refs(text: str) -> tuple[Found, ...]:
    found: list[Found] = []
    matches = list(REF_RE.finditer(text))
    for i, m in enumerate(matches):
        limit = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        rest = text[m.end():limit]
        pos = 0
        when, date_found, issuer, subject = None, False, None, None
        md = _AFTER_DATE.match(rest)
        if md:
            when, date_found = parse_date(md.group(0))
            pos = md.end()
        mi = _ISSUER.match(rest[pos:])
        if mi:
            issuer = mi.group("issuer")
            pos += mi.end()
            mp = _PAREN.match(rest[pos:])
            if mp:
                pos += mp.end()
            if not md:
                md2 = _AFTER_DATE.match(rest[pos:])
                if md2:
                    when, date_found = parse_date(md2.group(0))
                    pos += md2.end()
        subject, used = _subject(rest[pos:])
        if subject:
            subject = re.sub(r",?\s*cụ thể$", "", subject)
            pos += used
        ref = make_ref(text[m.start(): m.end() + pos], _word_type(m.group("word")), m.group("num"),
                       when, date_found, issuer, subject)
        if ref is not None:
            found.append(Found(ref, m.start(), m.end() + pos))
    return tuple(found)


def find_refs(text: str) -> list[LegalRef]:
    """Every numbered reference in *text* (see :func:`find_refs_with_offsets`)."""
    return [f.ref for f in find_refs_with_offsets(text)]

