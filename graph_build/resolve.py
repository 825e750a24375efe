"""Stage 4: resolve agency names to the authority file (``data/agencies.toml``).

Matching folds case and diacritics, expands abbreviations (TP, HN, BQL, UBND …), accepts a
trailing "Thành phố"/"Hà Nội" after a province-scoped name, and splits a cell by longest match,
so names that contain commas or "và" stay whole.

>>> reg = AgencyRegistry.load()
>>> [a.id for a in reg.split("Ban Tuyên giáo Thành ủy và các cơ quan, đơn vị liên quan", "Hà Nội")[0]]
['ha-noi/ban-tuyen-giao-thanh-uy', 'placeholder/cac-co-quan-don-vi-lien-quan']
>>> reg.resolve("Trung tâm XTĐT, TM và DL TP", "Hà Nội").en
'Hanoi Investment, Trade and Tourism Promotion Centre'
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .model import AgencyMention, PlanRecord, Span
from .vntext import fold, nfc, slug

DEFAULT_AUTHORITY = Path(__file__).resolve().parent.parent / "data" / "agencies.toml"

ABBREVIATIONS = {
    "tp": "thanh pho", "hn": "ha noi", "bql": "ban quan ly", "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan", "cntt": "cong nghe thong tin", "ttdn": "thong tin doi ngoai",
    "vh": "van hoa", "&": "va", "uy": "uy", "xtdt": "xuc tien dau tu",
}
FILLER = {"va", "cac", "thuoc", "voi", "cung", "khac", "de", "nghi", "chu", "tri", "phoi", "hop"}
_TOKEN = re.compile(r"\w+|&")
AGENCY_KINDS = {
    "peoples-committee", "peoples-council", "district-peoples-committee", "department", "department-unit",
    "party-body", "government", "prime-minister", "ministry", "national-agency", "state-bank", "press",
    "research-institute", "police", "military", "inspectorate", "management-board", "branch-office",
    "mass-organisation", "enterprise", "foreign", "other", "placeholder-generic", "placeholder-collective",
}


@dataclass(frozen=True)
class Agency:
    id: str
    vi: str
    en: str | None
    kind: str
    province: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    unresolved: bool = False
    valid_from: date | None = None    # founded (or created by a change) on this day
    valid_until: date | None = None   # last day before a change ended it

    @property
    def is_placeholder(self) -> bool:
        return self.kind.startswith("placeholder")

    def exists_on(self, when: date | None) -> bool:
        return when is None or ((self.valid_from is None or self.valid_from <= when)
                                and (self.valid_until is None or when <= self.valid_until))


@dataclass(frozen=True)
class Change:
    """A restructuring recorded in the authority file: on ``date`` the agencies ``before`` were
    replaced by ``after`` (a merger, a split, a renaming), as ``source`` (a public page) says."""

    id: str
    date: date
    kind: str                 # merger | split | renaming | dissolution
    before: tuple[str, ...]
    after: tuple[str, ...]
    source: str
    note: str = ""


@lru_cache(maxsize=1 << 15)
def _normalise(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Folded, abbreviation-expanded words joined by spaces, and each word's span in *text*."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        w = fold(m.group())
        for part in ABBREVIATIONS.get(w, w).split():
            words.append(part)
            spans.append(m.span())
    return " ".join(words), tuple(spans)


def _key(text: str) -> str:
    return _normalise(nfc(text))[0]


def _scope_suffixes(province: str) -> list[str]:
    p = _key(province)
    return [f"thanh pho {p}", f"tinh {p}", p, "thanh pho", "tinh"]


class AgencyRegistry:
    """The agency authority file, with a longest-match matcher per province."""

    def __init__(self, agencies: list[Agency], path: str = "<memory>", changes: tuple[Change, ...] = ()):
        self.path = path
        self.by_id = {a.id: a for a in agencies}
        self.changes = changes
        if len(self.by_id) != len(agencies):
            raise InputError(path, "duplicate agency id in the authority file")
        self.successors: dict[str, list[str]] = {}
        for c in changes:
            for old in c.before:
                self.successors.setdefault(old, []).extend(c.after)

    def on(self, agency: Agency, when: date | None) -> Agency:
        """*agency* as it was on *when*: itself if it existed then, else the agency that succeeded
        it (following mergers forward), else itself."""
        seen = {agency.id}
        current = agency
        while not current.exists_on(when) and self.successors.get(current.id):
            nxt = self.by_id[self.successors[current.id][0]]
            if nxt.id in seen:
                break
            seen.add(nxt.id)
            current = nxt
        return current

    def _choose(self, ids: list[str], when: date | None) -> Agency:
        """Of the agencies a name matches (several when a name outlived a restructuring), the one
        that existed on *when*."""
        candidates = [self.by_id[i] for i in ids]
        for a in candidates:
            if a.exists_on(when):
                return a
        return self.on(candidates[0], when)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "AgencyRegistry":
        """Read an authority file (TOML); the default is the one shipped in ``data/``."""
        p = Path(path) if path else DEFAULT_AUTHORITY
        return _load_cached(str(p))

    def resolve(self, text: str, province: str | None, when: date | None = None) -> Agency | None:
        """The single agency that *text* names in full (as it was on *when*), or ``None``."""
        found, leftovers = self.split(text, province, when)
        if len(found) == 1 and not leftovers:
            return found[0]
        return None

    def split(self, text: str, province: str | None, when: date | None = None) -> tuple[list[Agency], list[str]]:
        """Agencies named in *text* (a table cell), as they were on *when*, and the leftover text
        that named nothing."""
        found, leftovers = _split_cached(self, text, province, when)  # the same cells recur
        return list(found), list(leftovers)

    def _split(self, text: str, province: str | None, when: date | None) -> tuple[tuple[Agency, ...], tuple[str, ...]]:
        pattern, targets = self._matcher(province)
        norm, spans = _normalise(nfc(text))
        found: list[Agency] = []
        covered: list[tuple[int, int]] = []
        for m in pattern.finditer(norm):
            agency = self._choose(targets[m.lastgroup], when)
            if agency not in found:
                found.append(agency)
            first = norm[: m.start()].count(" ") if m.start() else 0
            last = first + m.group(0).count(" ")
            covered.append((spans[first][0], spans[last][1]))
        leftovers: list[str] = []
        pos = 0
        for a, b in covered + [(len(text), len(text))]:
            gap = text[pos:a]
            words = [w for w in _key(gap).split() if w not in FILLER]
            if words:
                leftovers.append(re.sub(r"^[\s,;.–-]+|[\s,;.–-]+$", "", gap))
            pos = max(pos, b)
        # "Unit – Parent" or "Unit, thuộc Parent": keep the unit only.
        ids = {a.id for a in found}
        found = [a for a in found if not any(o.parent == a.id for o in found if o.id in ids and o is not a)]
        return tuple(found), tuple(leftovers)

    def scan_after(self, text: str, trigger: re.Pattern[str], province: str | None,
                   when: date | None = None) -> list[tuple[Agency, str]]:
        """Agencies listed right after each *trigger* match ("phối hợp với A, B và C tổ chức …")."""
        pattern, targets = self._matcher(province)
        norm, spans = _normalise(nfc(text))
        out: list[tuple[Agency, str]] = []
        for t in trigger.finditer(norm):
            pos = t.end()
            while True:
                pos += len(norm[pos:]) - len(norm[pos:].lstrip(" "))
                m = pattern.match(norm, pos)
                if not m:  # skip one separator or filler word, then try again
                    skip = re.match(r"(?:va|voi|cung) (?=\S)", norm[pos:])
                    if not skip:
                        break
                    m = pattern.match(norm, pos + skip.end())
                    if not m:
                        break
                first = norm[: m.start()].count(" ") if m.start() else 0
                last = first + m.group(0).count(" ")
                out.append((self._choose(targets[m.lastgroup], when), text[spans[first][0]:spans[last][1]]))
                pos = m.end()
        return out

    def unresolved(self, text: str, province: str | None) -> Agency:
        scope = f"{slug(province)}/" if province else ""
        return Agency(f"{scope}unresolved/{slug(text)[:80]}", text, None, "other", province, unresolved=True)

    def _matcher(self, province: str | None) -> tuple[re.Pattern[str], dict[str, list[str]]]:
        return _matcher_cached(self, province)


@lru_cache(maxsize=8)
def _load_cached(path: str) -> AgencyRegistry:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(path, "agency authority file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(path, f"not valid TOML: {err}") from None
    agencies = []
    for i, row in enumerate(data.get("agency", []), 1):
        missing = [k for k in ("id", "vi", "kind") if k not in row]
        if missing:
            raise InputError(path, f"agency #{i} lacks {', '.join(missing)}")
        if row["kind"] not in AGENCY_KINDS:
            raise InputError(path, f"agency {row['id']}: unknown kind {row['kind']!r}")
        agencies.append(Agency(row["id"], nfc(row["vi"]), row.get("en"), row["kind"],
                               nfc(row["province"]) if row.get("province") else None, row.get("parent"),
                               tuple(nfc(a) for a in row.get("aliases", ())),
                               valid_from=row.get("founded"), valid_until=row.get("dissolved")))
    by_id = {a.id: a for a in agencies}
    changes = []
    for i, row in enumerate(data.get("change", []), 1):
        missing = [k for k in ("date", "kind", "before", "after", "source") if k not in row]
        if missing:
            raise InputError(path, f"change #{i} lacks {', '.join(missing)}")
        if not isinstance(row["date"], date) or not str(row["source"]).startswith(("http://", "https://")):
            raise InputError(path, f"change #{i}: date must be a TOML date and source a public URL")
        unknown = [x for x in (*row["before"], *row["after"]) if x not in by_id]
        if unknown:
            raise InputError(path, f"change #{i}: unknown agency {', '.join(unknown)}")
        c = Change(f"{row['date'].isoformat()}/{slug(row['after'][0])}", row["date"], row["kind"],
                   tuple(row["before"]), tuple(row["after"]), row["source"], nfc(row.get("note", "")))
        changes.append(c)
        for old in c.before:  # the day before the change is the last day of what it replaced
            a = by_id[old]
            by_id[old] = replace(a, valid_until=a.valid_until or c.date - timedelta(days=1))
        for new in c.after:
            a = by_id[new]
            by_id[new] = replace(a, valid_from=a.valid_from or c.date)
    return AgencyRegistry(list(by_id.values()), path, tuple(changes))


@lru_cache(maxsize=1 << 14)
def _split_cached(reg: AgencyRegistry, text: str, province: str | None,
                  when: date | None) -> tuple[tuple[Agency, ...], tuple[str, ...]]:
    return reg._split(text, province, when)


@lru_cache(maxsize=128)  # one per province (63) and one for none
def _matcher_cached(reg: AgencyRegistry, province: str | None) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    variants: dict[str, list[str]] = {}
    pkey = _key(province) if province else None
    for agency in reg.by_id.values():
        if agency.province and _key(agency.province) != pkey:
            continue  # a province's bodies match only in documents of that province
        for name in (agency.vi, *agency.aliases):
            key = _key(name)
            forms = {key}
            if agency.province:
                suffixes = _scope_suffixes(agency.province)
                for s in suffixes:
                    if key.endswith(" " + s) and len(key) > len(s) + 4:
                        key = key[: -len(s) - 1]
                        break
                forms = {key} | {f"{key} {s}" for s in suffixes}
            for f in forms:
                ids = variants.setdefault(f, [])
                if agency.id not in ids:
                    ids.append(agency.id)
    ordered = sorted(variants, key=len, reverse=True)
    targets = {f"g{i}": variants[f] for i, f in enumerate(ordered)}
    alternation = "|".join(f"(?P<g{i}>{re.escape(f)})" for i, f in enumerate(ordered))
    return re.compile(rf"(?<![^ ])(?:{alternation})(?![^ ])"), targets


# ---------------------------------------------------------------------------------------------
# Resolving a whole plan


@dataclass(frozen=True)
class Link:
    """An agency's role on a task, as stated in a column or in the task's text."""

    agency: Agency
    role: str
    stated_in: str
    text: str
    span: Span


@dataclass(frozen=True)
class ResolvedPlan:
    record: PlanRecord
    issuer: Agency
    task_links: tuple[tuple[Link, ...], ...]
    duty_agencies: tuple[Agency, ...]
    reporting: tuple[tuple[Agency | None, Agency | None, tuple[Agency, ...]], ...]
    feedback_agencies: tuple[Agency, ...]
    recipient_agencies: tuple[Agency | None, ...]
    signature_agency: Agency | None
    citation_issuers: tuple[Agency | None, ...]
    agencies: tuple[Agency, ...]
    warnings: tuple[str, ...]


_TEXT_COORDINATION = re.compile(r"(?<![^ ])phoi hop(?: voi)?(?![^ ])")


def resolve_plan(record: PlanRecord, registry: AgencyRegistry | None = None) -> ResolvedPlan:
    """Resolve every agency mention of *record*; unresolved names become flagged agencies."""
    reg = registry or AgencyRegistry.load()
    prov = record.province
    when = record.header.date  # each name resolves to the agency that existed on the plan's date
    path = record.source.path
    warnings: list[str] = list(record.warnings)
    used: dict[str, Agency] = {}

    def keep(a: Agency) -> Agency:
        used[a.id] = a
        parent = a.parent
        while parent and parent in reg.by_id and parent not in used:
            used[parent] = reg.by_id[parent]
            parent = reg.by_id[parent].parent
        return a

    def one(text: str, line: int, what: str, warn: bool = True) -> Agency | None:
        text = re.sub(r"^(?i:đề nghị|bộ trưởng|thủ trưởng|giám đốc|chánh văn phòng)\s+(?=\w)", "", text.strip())
        if not text:
            return None
        a = reg.resolve(text, prov, when)
        if a is None:
            found, left = reg.split(text, prov, when)
            if found and not left:
                a = found[0]
            elif warn:
                warnings.append(f"{path}:{line}: unresolved agency {text!r} ({what})")
                a = reg.unresolved(text, prov)
            else:
                return None
        return keep(a)

    def many(m: AgencyMention) -> list[Link]:
        found, left = reg.split(m.text, prov, when)
        links = [Link(keep(a), m.role, m.stated_in, m.text, m.span) for a in found]
        for piece in left:
            warnings.append(f"{path}:{m.span.start}: unresolved agency {piece!r} in {m.role} cell")
            links.append(Link(keep(reg.unresolved(piece, prov)), m.role, m.stated_in, piece, m.span))
        return links

    issuer = one(record.header.issuer_text, record.header.issuer_span.start, "issuer")
    if issuer is None:  # pragma: no cover - one() never returns None with warn=True and text
        raise InputError(path, "no issuer")
    task_links = []
    for task in record.tasks:
        links: list[Link] = []
        leads = many(task.lead) if task.lead.text else []
        if len(leads) > 1:
            warnings.append(f"{path}:{task.span.start}: task {task.ref} names {len(leads)} leads; "
                            f"the first ({leads[0].agency.vi}) is taken")
        links += leads[:1]
        if task.coordinators:
            links += many(task.coordinators)
        for agency, text in reg.scan_after(task.content, _TEXT_COORDINATION, prov, when):
            links.append(Link(keep(agency), "coordinator", "text", text, task.span))
        task_links.append(tuple(links))
    duty_agencies = tuple(one(d.agency_text, d.span.start, "duty") or keep(reg.unresolved(d.agency_text, prov))
                          for d in record.duties)
    reporting = []
    for r in record.reporting:
        reporting.append((one(r.report_to, r.span.start, "report to"), one(r.submit_to, r.span.start, "send to"),
                          tuple(a for a in (one(t, r.span.start, "reporting duty") for t in r.duty_of) if a)))
    feedback_agencies = tuple(one(f.agency_text, f.span.start, "feedback") for f in record.feedback)
    recipients = tuple(one(r.text, r.span.start, "recipient", warn=False) if r.kind == "recipient" else None
                       for r in record.recipients)
    sig = None
    if record.signature and record.signature.on_behalf_of:
        sig = issuer if fold(record.signature.on_behalf_of) in fold(issuer.vi) else \
            one(record.signature.on_behalf_of, record.signature.span.start, "signature")
    issuers = tuple(one(c.ref.issuer_text, c.span.start, "issuer", warn=False) if c.ref.issuer_text else None
                    for c in record.citations)
    return ResolvedPlan(record, issuer, tuple(task_links), duty_agencies, tuple(reporting), feedback_agencies,
                        recipients, sig, issuers, tuple(sorted(used.values(), key=lambda a: a.id)),
                        tuple(warnings))
