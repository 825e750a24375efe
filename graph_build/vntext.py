"""Vietnamese text helpers: NFC normalisation, look-alike repair and folding.

>>> nfc("Nghi\u0323 đi\u0323nh") == "Nghị định"
True
>>> fold("Sở Thông tin và Truyền THÔNG")
'so thong tin va truyen thong'
"""
from __future__ import annotations

import re
import unicodedata

# Characters that PDF extraction and old fonts put in place of Vietnamese letters.
_LOOKALIKES = str.maketrans({
    "\u00d0": "\u0110",  # Icelandic Ð → Vietnamese Đ
    "\u00f0": "\u0111",  # ð → đ
    "\u2010": "-", "\u2011": "-", "\u2012": "-",  # hyphens
    "\u00a0": " ", "\u2007": " ", "\u202f": " ",   # non-breaking spaces
    "\ufeff": "",                                   # stray BOM
})

_SPACES = re.compile(r"[ \t]+")


def nfc(text: str) -> str:
    """Return *text* in NFC with look-alike letters repaired (Ð → Đ)."""
    return unicodedata.normalize("NFC", text.translate(_LOOKALIKES))


def squash(text: str) -> str:
    """Collapse runs of spaces/tabs and strip."""
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case *text* and remove diacritics (đ → d), for matching and search.

    >>> fold("ĐỀ NGHỊ Ban Tuyên giáo Thành ủy")
    'de nghi ban tuyen giao thanh uy'
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return squash(stripped.replace("đ", "d"))


def slug(text: str) -> str:
    """ASCII slug for IRIs: ``slug("Nghị định NĐ-CP") == "nghi-dinh-nd-cp"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
