"""Vietnamese text helpers: NFC normalisation, look-alike repair and folding.

>>> nfc("Nghi\u0323 đi\u0323nh") == "Nghị định"
True
>>> fold("Sở Thông tin và Truyền THÔNG")
'so thong tin va truyen thong'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters that PDF extraction and old fonts put in place of Vietnamese letters.
_LOOKALIKES = str.maketrans({
    "\u00d0": "\u0110",  # Icelandic Ð → Vietnamese Đ
    "\u00f0": "\u0111",  # ð → đ
    "\u2010": "-", "\u2011": "-", "\u2012": "-",  # hyphens
    "\u00a0": " ", "\u2007": " ", "\u202f": " ",   # non-breaking spaces
    "\ufeff": "",                                   # stray BOM
})

_SPACES = re.compile(r"[ \t]+")


_LOOKALIKE_RE = re.compile("[" + "".join(chr(c) for c in _LOOKALIKES) + "]")


@lru_cache(maxsize=1 << 16)
def nfc(text: str) -> str:
    """Return *text* in NFC with look-alike letters repaired (Ð → Đ)."""
    if _LOOKALIKE_RE.search(text):
        text = text.translate(_LOOKALIKES)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Collapse runs of spaces/tabs and strip."""
    return _SPACES.sub(" ", text).strip()


# every combining mark of the Basic Multilingual Plane, removed in one C-level translate
_COMBINING = dict.fromkeys(c for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case *text* and remove diacritics (đ → d), for matching and search.

    >>> fold("ĐỀ NGHỊ Ban Tuyên giáo Thành ủy")
    'de nghi ban tuyen giao thanh uy'
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    stripped = decomposed.translate(_COMBINING)
    if _ASTRAL.search(stripped):  # rare: marks beyond the BMP
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return squash(stripped.replace("đ", "d"))


def slug(text: str) -> str:
    """ASCII slug for IRIs: ``slug("Nghị định NĐ-CP") == "nghi-dinh-nd-cp"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
