"""Stage 1: read a source file into NFC text lines.

>>> src = read_source("data/samples/hanoi-2023-101-KH-UBND.txt")
>>> src.lines[2]
'Số: 101 /KH-UBND'
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import InputError
from .model import SourceText
from .vntext import nfc


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
        raise InputError(path, "this is a PDF file, not text; export it as UTF-8 text (.txt) — PDF input is not supported yet")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "this is a Word/zip file, not text; save it as UTF-8 text (.txt) — Word input is not supported yet")
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


def read_source(path: str | Path, max_bytes: int | None = None) -> SourceText:
    """Read *path* as a source document: UTF-8, CRLF or LF, NFC, look-alikes repaired. A file
    larger than *max_bytes* (25 MB, or $VNPLAN_MAX_MB) is refused before it is read."""
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
    text = nfc(decode(str(path), data))
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return SourceText(path=str(path), name=p.name, lines=lines)
