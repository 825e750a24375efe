"""The curated national documents of ``data/legal-documents.toml``: what the field cites most,
with title, date, issuer and their own legal bases, each read on a public page (``source``).

>>> docs = load_documents()
>>> [d.ref.id_local for d in docs][:2]
['72/2015/NĐ-CP', '22/2016/TT-BTTTT']
>>> [b.id_local for b in docs[2].bases]
['72/2015/NĐ-CP', '22/2016/TT-BTTTT']
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .legal_refs import find_refs
from .model import LegalRef
from .vntext import nfc

DEFAULT_DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "legal-documents.toml"


@dataclass(frozen=True)
class CuratedDocument:
    ref: LegalRef
    issuer: str                    # agency id
    title: str
    signer: str | None
    source: str                    # the public page the facts were read on
    bases: tuple[LegalRef, ...]    # numbered bases
    bases_text: tuple[str, ...]    # every basis clause as printed (numbered or not)


def issuer_ids(doc: CuratedDocument, agencies) -> list[str]:
    """Ids of the agencies that issued *doc* and its numbered bases (bases matched by their
    Vietnamese name as printed), among *agencies* (id → Agency)."""
    names = {b.issuer_text for b in doc.bases if b.issuer_text}
    return [doc.issuer, *(i for i, a in agencies.items() if a.vi in names)]


@lru_cache(maxsize=4)
def load_documents(path: str | None = None) -> tuple[CuratedDocument, ...]:
    """The curated documents (default: the file shipped in ``data/``)."""
    p = Path(path) if path else DEFAULT_DOCUMENTS
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(p), "curated legal documents file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(str(p), f"not valid TOML: {err}") from None
    out = []
    for i, row in enumerate(data.get("document", []), 1):
        missing = [k for k in ("printed", "issuer", "title", "source") if k not in row]
        if missing:
            raise InputError(str(p), f"document #{i} lacks {', '.join(missing)}")
        if not str(row["source"]).startswith(("http://", "https://")):
            raise InputError(str(p), f"document #{i}: source must be the URL of a public page")
        refs = find_refs(nfc(row["printed"]))
        if len(refs) != 1 or refs[0].date is None:
            raise InputError(str(p), f"document #{i}: 'printed' must give one number and its date")
        texts = tuple(nfc(b) for b in row.get("bases", ()))
        bases = tuple(r for t in texts for r in find_refs(t)[:1])
        out.append(CuratedDocument(refs[0], row["issuer"], nfc(row["title"]), row.get("signer"), row["source"],
                                   bases, texts))
    return tuple(out)
