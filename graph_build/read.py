"""Stage 1: read a source file into NFC text lines.

>>> src = read_source("data/samples/hanoi-2023-101-KH-UBND.txt")
>>> src.lines[2]
'Số: 101 /KH-UBND'
"""
from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .model import SourceText
from .vntext import nfc


def decode(path: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); refuse what is not text with a clear message."""
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith(b"%PDF"):
        raise InputError(path, "this is a PDF file, not text; export it as UTF-8 text (.txt) — PDF input is not supported yet")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "this is a Word/zip file, not text; save it as UTF-8 text (.txt) — Word input is not supported yet")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(path, "file is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text (save the file as UTF-8)", line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(path, "binary data in a text file", line=line)
    return text


def read_source(path: str | Path) -> SourceText:
    """Read *path* as a source document: UTF-8, CRLF or LF, NFC, look-alikes repaired."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a file") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    text = nfc(decode(str(path), data))
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return SourceText(path=str(path), name=p.name, lines=lines)
