"""Frozen records passed between pipeline stages (read → segment → extract → resolve → emit)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of a source file and their exact text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceText:
    """A decoded, NFC-normalised source document."""

    path: str
    name: str
    lines: tuple[str, ...]

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, "\n".join(self.lines[start - 1:end]).strip())


@dataclass(frozen=True)
class Section:
    """A part of the document: ``I``, ``II.5``, ``preamble``, ``appendix``, ``feedback`` …"""

    number: str
    title: str
    span: Span


@dataclass(frozen=True)
class Block:
    """A paragraph or list item of prose, in a section."""

    section: str
    text: str
    span: Span


@dataclass(frozen=True)
class Row:
    """A table row, page-break continuations joined, HTML left in the cells."""

    cells: tuple[str, ...]
    header: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class LegalRef:
    """A numbered document reference as printed, parsed and normalised."""

    printed: str
    type_code: str          # ASCII type code: ND, QD, TT, CV …
    number: int
    number_printed: str     # as printed: "72/2015/NĐ-CP", "101 /KH-UBND"
    id_local: str           # normalised: "72/2015/NĐ-CP", "36-NQ/TW"
    code: str               # after the number: "NĐ-CP", "BTTTT-TTĐN", "NQ/TW"
    issuer_code: str        # "CP", "TTg", "BTTTT-TTĐN", "TW"
    year: int | None        # from the number, else from the date
    date: date | None
    issuer_text: str | None = None
    subject: str | None = None
    party: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """A legal reference found in a section or task, with its evidence."""

    ref: LegalRef
    section: str
    task: str | None        # "I.8" when in a task row
    relation: str           # "based-on" or "cites"
    span: Span


@dataclass(frozen=True)
class InstrumentBasis:
    """The plan says document ``ref`` approves, issues or implements the named instrument ``name``
    (a Đề án, Quy chế, Cuộc vận động …); ``sentence`` is the words that say so."""

    kind: str          # scheme | regulation | campaign | programme | strategy | framework | master-plan
    name: str
    relation: str      # approves | issues | implements
    ref: LegalRef
    sentence: str
    section: str = ""
    span: Span = Span(0, 0, "")


@dataclass(frozen=True)
class InstrumentUse:
    """Task ``task`` ("I.5") names the instrument of ``bases[basis]`` in the words ``text``."""

    task: str
    basis: int
    text: str
    span: Span


@dataclass(frozen=True)
class Mention:
    """An unnumbered reference kept as text ("Nghị quyết Đại hội lần thứ XIII của Đảng")."""

    kind: str
    text: str
    section: str
    task: str | None
    span: Span


@dataclass(frozen=True)
class Timeline:
    printed: str
    kind: str                      # interval | recurrence | continuous | periodic-or-adhoc | unspecified
    start: date | None = None
    end: date | None = None
    recurrence: str | None = None  # xsd:duration, "P1M"
    bounds_from_plan_year: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyMention:
    """Text naming one or more agencies, with the role it states."""

    text: str
    role: str        # lead | coordinator
    stated_in: str   # column | text
    span: Span


@dataclass(frozen=True)
class Task:
    group: str
    group_label: str
    number: int
    content: str
    timeline: Timeline
    lead: AgencyMention
    coordinators: AgencyMention | None
    span: Span

    @property
    def ref(self) -> str:
        return f"{self.group}.{self.number}" if self.group else str(self.number)


@dataclass(frozen=True)
class Duty:
    section: str
    agency_text: str
    kind: str          # order | request
    content: str
    span: Span


@dataclass(frozen=True)
class ReportingDuty:
    period: str        # "6 tháng", "năm"
    text: str          # as printed: "báo cáo 6 tháng trước ngày 20/6"
    due_before: date | None
    report_to: str
    submit_to: str
    duty_of: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Feedback:
    number: int
    agency_text: str
    letter_printed: str
    letter_number: str
    letter_date: date | None
    comment: str
    position: str      # agrees | agrees-with-comments | proposes-additions
    accepted: bool
    response: str
    span: Span


@dataclass(frozen=True)
class Recipient:
    text: str
    kind: str          # recipient | internal | archive
    span: Span


@dataclass(frozen=True)
class Signature:
    capacity: str
    on_behalf_of: str | None
    acting_for: str | None
    position: str | None
    name: str | None
    span: Span


@dataclass(frozen=True)
class QualityNote:
    kind: str
    message: str
    printed: str
    expected: str
    span: Span


@dataclass(frozen=True)
class Header:
    type_code: str
    type_word: str
    ref: LegalRef
    place: str | None
    date: date
    title: str
    issuer_text: str
    issuer_method: str          # "letterhead" | "inferred-from-body"
    issuer_span: Span
    covers_year: int | None
    span: Span


@dataclass(frozen=True)
class PlanRecord:
    """Everything extracted from one document, before agencies are resolved."""

    source: SourceText
    province: str | None
    header: Header
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    mentions: tuple[Mention, ...]
    tasks: tuple[Task, ...]
    duties: tuple[Duty, ...]
    reporting: tuple[ReportingDuty, ...]
    feedback: tuple[Feedback, ...]
    recipients: tuple[Recipient, ...]
    signature: Signature | None
    notes: tuple[QualityNote, ...]
    warnings: tuple[str, ...] = field(default=())
    instruments: tuple[InstrumentBasis, ...] = field(default=())
    instrument_uses: tuple[InstrumentUse, ...] = field(default=())
    errors: tuple[str, ...] = field(default=())   # rows that could not be read whole (the rest is built)
