"""Stage 3: from segments to a :class:`PlanRecord` — header, citations, tasks, duties,
feedback, recipients, signature and data-quality notes. Agencies stay as printed text;
:mod:`graph_build.resolve` maps them to the authority file.

>>> from graph_build.read import read_source
>>> rec = extract(read_source("data/samples/hanoi-2023-101-KH-UBND.txt"))
>>> rec.header.ref.id_local, rec.header.date.isoformat(), len(rec.tasks), len(rec.feedback)
('101/KH-UBND', '2023-03-23', 49, 48)
"""
from __future__ import annotations

import re
from datetime import date

from .errors import InputError
from .instruments import INSTRUMENT_PATTERNS, find_bases, find_uses
from .legal_refs import TYPE_WORDS, find_refs_with_offsets, make_ref, parse_date
from .model import (AgencyMention, Citation, Duty, Feedback, Header, Mention, PlanRecord,
                    QualityNote, Recipient, ReportingDuty, Signature, SourceText, Span, Task)
from .segment import Segments, segment
from .tables import clean_cell, column_index
from .timelines import ROMAN, parse_timeline
from .vntext import fold, squash

_NUMBER_LINE = re.compile(r"Số\s*(?:hiệu)?\s*:?\s*(?P<num>\d{1,5}\s*[-/][^\s|]*(?:\s+[^\s|]+)?)")
_PLACE_DATE = re.compile(
    r"(?P<place>[A-ZĐÀ-Ỹ][^\n,|:]{1,40}?),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")
_V_V = re.compile(r"V/v\s+(.+)")
_BODY_ISSUER = re.compile(
    r"(?P<issuer>(?:Ủy|Uỷ) ban nhân dân (?:thành phố|tỉnh) [A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*)\s+ban hành")
_BODY_NAMED = re.compile(r"(?:Ủy|Uỷ|ỦY|UỶ) (?:ban nhân dân|BAN NHÂN DÂN) (?:tỉnh|thành phố|TỈNH|THÀNH PHỐ) (?!trực)[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*")
_LETTERHEAD = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|BỘ [A-ZĐÀ-Ỹ ]+|HỘI ĐỒNG NHÂN DÂN|SỞ [A-ZĐÀ-Ỹ ]+)")
_SELF_REF = re.compile(r"Kèm theo\s+(?P<word>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+[\wÀ-ỹ]+)\s+số[\s.…]*(?P<n>\d+)[\s.…]*/\s*(?P<code>[A-ZĐ][\w-]*)")
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})")
_REPORT = re.compile(r"báo cáo\s+(?P<period>6 tháng|năm|quý)\s+trước ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})")
_MENTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("party-congress-resolution", re.compile(r"Nghị quyết Đại hội[^;,.:()]*?lần thứ [IVXLC]+(?: của Đảng)?")),
    ("resolution", re.compile(r"(?:Nghị quyết|Kết luận|Chỉ thị) của (?:Trung ương|Quốc hội|Chính phủ|Bộ Chính trị|Ban Bí thư)(?: khóa [IVXLC]+)?")),
    *INSTRUMENT_PATTERNS,
    ("law", re.compile(r"Luật [A-ZĐÀ-Ỹ][^;,()“”]*?(?= ngày|;|$)")),
)
_TRAILING = re.compile(r"\s+(?:được ban hành tại|ban hành kèm theo|ban hành tại|được ban hành|tại|theo|của)\s*$")
_POSITIONS = {"chu tich": "Chủ tịch", "pho chu tich": "Phó Chủ tịch", "giam doc": "Giám đốc",
              "pho giam doc": "Phó Giám đốc", "bo truong": "Bộ trưởng", "thu truong": "Thứ trưởng",
              "chanh van phong": "Chánh Văn phòng", "cuc truong": "Cục trưởng", "pho cuc truong": "Phó Cục trưởng"}


def _sentence_case(text: str) -> str:
    f = fold(text)
    if f in _POSITIONS:
        return _POSITIONS[f]
    if text.isupper():
        m = re.match(r"^(.*?\b(?:TỈNH|THÀNH PHỐ))\s+(.+)$", text)
        if m:
            return _sentence_case(m.group(1)) + " " + m.group(2).title()
        return text[:1] + text[1:].lower()
    return text


def _not_title(line: str) -> bool:
    return bool(_LETTERHEAD.match(line)) or "CỘNG HÒA" in line or line.startswith(("Độc lập", "---"))


def _type_of_word(word: str) -> tuple[str, str] | None:
    f = fold(word)
    for w, code in TYPE_WORDS:
        if fold(w) == f:
            return w, code
    return None


def _header(seg: Segments, warnings: list[str]) -> Header:
    src = seg.source
    lines = src.lines
    hdr_end = seg.header.end
    joined = "\n".join(l.strip() for l in lines[:hdr_end])
    path = src.path
    number_line = None
    for i in range(hdr_end):
        m = _NUMBER_LINE.search(lines[i])
        if m and (lines[i].lstrip().startswith("Số") or "|" in lines[i]):
            number_line = (i + 1, m.group("num"))
            break
    if number_line is None:
        raise InputError(path, "no document number ('Số: …') in the header", line=1)
    num_text = re.split(r"\s+(?=[A-ZĐÀ-Ỹ][a-zà-ỹ])", number_line[1])[0]
    m = _PLACE_DATE.search(joined)
    if not m:
        raise InputError(path, "no place and date ('…, ngày … tháng … năm …') in the header", line=number_line[0])
    try:
        when = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        raise InputError(path, f"impossible date in the header: {m.group(0)!r}", line=number_line[0]) from None
    place = squash(m.group("place").split("|")[-1])
    # Type word and title: the first upper-case line naming a document type.
    type_word, type_code, title, title_line = None, None, "", None
    for i in range(hdr_end):
        s = lines[i].strip().strip("|").strip()
        t = _type_of_word(s) if s.isupper() else None
        if t:
            type_word, type_code = t
            parts = []
            title_end = i + 1
            for j in range(i + 1, hdr_end):
                nxt = lines[j].strip().strip("|").strip()
                if not nxt:
                    if parts:
                        break
                    continue
                if _not_title(nxt) or _PLACE_DATE.search(nxt):
                    break
                parts.append(nxt)
                title_end = j + 1
            title, title_line = " ".join(parts), title_end
            break
    ref = make_ref(num_text, type_code, num_text, when, True)
    if ref is None:
        raise InputError(path, f"malformed document number {num_text!r}", line=number_line[0])
    if type_code is None:
        type_code = ref.type_code
        type_word = next((w for w, c in TYPE_WORDS if c == type_code), type_code)
    if not title:
        vv = _V_V.search(joined)
        title = squash(vv.group(1)) if vv else ""
        if not title:
            heads = [l.strip().strip("|").strip() for l in lines[number_line[0]:hdr_end]]
            heads = [h for h in heads if h.isupper() and len(h) > 20 and not _not_title(h)]
            title = heads[0] if heads else ""
    if title.isupper():
        title = title[:1] + title[1:].lower()
    # Issuer: letterhead if present, else inferred from the body.
    issuer, method, issuer_span = None, "letterhead", None
    for i in range(min(hdr_end, 12)):
        lm = _LETTERHEAD.match(lines[i].strip())
        if lm:
            name = lines[i].split("|")[0].strip()
            nxt = lines[i + 1].strip().strip("|").strip() if i + 1 < len(lines) else ""
            if nxt and nxt.isupper() and not _not_title(nxt) and "CỘNG" not in nxt and len(nxt) < 60:
                name = f"{name} {nxt}"
                issuer_span = src.span(i + 1, i + 2)
            else:
                issuer_span = src.span(i + 1, i + 1)
            issuer = _sentence_case(name)
            if fold(issuer) in ("uy ban nhan dan", "hoi dong nhan dan"):
                body = _BODY_NAMED.search("\n".join(lines[: min(len(lines), hdr_end + 40)]))
                if body:
                    issuer, method = _sentence_case(body.group(0)), "letterhead+body"
                elif place:
                    issuer, method = f"{issuer} tỉnh {place}", "letterhead+place"
            break
    if issuer is None:
        for b in ((seg.preamble.start, seg.preamble.end),) if seg.preamble else ():
            bm = _BODY_ISSUER.search(" ".join(lines[b[0] - 1:b[1]]))
            if bm:
                issuer, method = bm.group("issuer"), "inferred-from-body"
                issuer_span = Span(b[0], b[1], bm.group(0))
        if issuer is None:
            for i in range(hdr_end, len(lines)):
                bm = _BODY_ISSUER.search(lines[i])
                if bm:
                    issuer, method = bm.group("issuer"), "inferred-from-body"
                    issuer_span = Span(i + 1, i + 1, bm.group(0))
                    break
    if issuer is None:
        raise InputError(path, "cannot tell who issued the document (no letterhead, no '… ban hành' in the body)",
                         line=1)
    ty = _YEAR_IN_TITLE.search(title)
    covers = int(ty.group(1)) if ty else when.year
    start = number_line[0]
    return Header(type_code, type_word or type_code, ref, place, when, title, issuer, method, issuer_span,
                  covers, src.span(1, max(title_line or start, start)))


def _mentions(text: str, skip: list[tuple[int, int]], section: str, task: str | None, span: Span) -> list[Mention]:
    out: list[Mention] = []
    seen: set[str] = set()
    taken: list[tuple[int, int]] = list(skip)
    for kind, pat in _MENTION_PATTERNS:
        for m in pat.finditer(text):
            a, b = m.span()
            inside = [x for x, y in skip if a < y and x < b]
            if inside and min(inside) > a:  # stop a mention where a numbered reference begins
                b = min(inside)
            if any(a < y and x < b for x, y in taken):
                continue
            t = _TRAILING.sub("", squash(text[a:b])).rstrip(" -–,")
            if len(t.split()) < 3 or t in seen:
                continue
            seen.add(t)
            taken.append((a, b))
            out.append(Mention(kind, t, section, task, span))
    return out


def _citations_and_mentions(text: str, section: str, task: str | None, relation: str,
                            span: Span) -> tuple[list[Citation], list[Mention]]:
    found = find_refs_with_offsets(text)
    cites = [Citation(f.ref, section, task, relation, span) for f in found]
    mentions = _mentions(text, [(f.start, f.end) for f in found], section, task, span)
    if relation == "based-on":
        mentions = [Mention("legal-basis" if mt.kind == "law" else mt.kind, mt.text, section, task, span)
                    for mt in mentions]
    return cites, mentions


def _position(comment: str) -> str:
    f = fold(comment)
    if "bo sung" in f:
        return "proposes-additions"
    if any(w in f for w in ("co ban", "de nghi", "gop y", "luu y", "sua")):
        return "agrees-with-comments"
    return "agrees"


def _feedback(seg: Segments, warnings: list[str]) -> list[Feedback]:
    out = []
    for row in seg.feedback_rows:
        cells = list(row.cells) + [""] * (5 - len(row.cells))
        m = re.match(r"(\d+)\.?$", cells[0])
        if not m:
            warnings.append(f"{seg.source.path}:{row.span.start}: feedback row without a number, skipped")
            continue
        letter = squash(cells[2])
        parts = re.split(r"\s*ngày\s*", letter, maxsplit=1)
        letter_printed = parts[0]
        when, found = parse_date(parts[1]) if len(parts) > 1 else (None, False)
        if found and when is None:
            warnings.append(f"{seg.source.path}:{row.span.start}: impossible letter date {parts[1]!r}")
        number = re.sub(r"\s+", "", letter_printed).replace("–", "-")
        comment = clean_cell(cells[3])
        response = clean_cell(cells[4])
        out.append(Feedback(int(m.group(1)), squash(cells[1]), letter_printed, number, when, comment,
                            _position(comment), fold(response).startswith("tiep thu"), response, row.span))
    return out


def _tasks(seg: Segments, plan_year: int | None, warnings: list[str], errors: list[str],
           notes: list[QualityNote]) -> tuple[list[Task], list[Citation], list[Mention]]:
    """Tasks of the appendix. A row that cannot be read whole is an error (the rest is built) and
    a data-quality note in the graph: no lead agency, too few or too many cells, a cut-off file."""
    tasks: list[Task] = []
    cites: list[Citation] = []
    mentions: list[Mention] = []
    group, group_label = "", ""
    path = seg.source.path
    last_line = max((i + 1 for i, l in enumerate(seg.source.lines) if l.strip()), default=0)
    for row in seg.appendix_rows:
        h = row.header
        ci = column_index(h, "noi dung", "nhiem vu", "ten nhiem vu")
        ti = column_index(h, "tien do", "thoi gian", "thoi han")
        li = column_index(h, "phu trach", "chu tri")
        pi = column_index(h, "phoi hop")
        if ci is None or li is None:
            warnings.append(f"{path}:{row.span.start}: table without content/lead columns, row skipped")
            continue
        cells = list(row.cells) + [""] * (len(h) - len(row.cells))
        first = cells[0].strip().rstrip(".")
        if first in ROMAN or first.lower() in ROMAN:
            group, group_label = first.upper(), squash(cells[1])
            continue
        if not first.isdigit():
            warnings.append(f"{path}:{row.span.start}: table row without a task number, skipped")
            continue
        ref = f"{group}.{int(first)}" if group else first
        lead_text = squash(cells[li])
        if not lead_text:
            cut = row.span.end >= last_line and len(row.cells) < len(h)
            why = (f"the file ends in the middle of the appendix, at task {ref} ({len(row.cells)} of {len(h)} cells): "
                   "it seems cut off; the tasks before it are built, get the whole file" if cut else
                   f"task {ref} has {len(row.cells)} of {len(h)} cells and no lead agency; the row is left out")
            errors.append(f"{path}:{row.span.start}: {why}")
            notes.append(QualityNote("file-cut-off" if cut else "row-left-out", why, "\t".join(row.cells),
                                     "\t".join(h), row.span))
            continue
        if len(row.cells) > len(h) and any(c.strip() for c in row.cells[len(h):]):
            extra = " | ".join(c for c in row.cells[len(h):] if c.strip())
            why = f"task {ref} has {len(row.cells)} cells for {len(h)} columns; the extra cells were left out: {extra[:80]}"
            errors.append(f"{path}:{row.span.start}: {why}")
            notes.append(QualityNote("cells-left-out", why, extra, "\t".join(h), row.span))
        content = clean_cell(cells[ci])
        timeline = parse_timeline(cells[ti] if ti is not None else "", plan_year)
        for flag in timeline.flags:
            warnings.append(f"{path}:{row.span.start}: {flag}")
            notes.append(QualityNote("timeline", f"task {ref}: {flag}", timeline.printed, "", row.span))
        coord_text = squash(cells[pi]) if pi is not None else ""
        task = Task(group, group_label, int(first), content, timeline,
                    AgencyMention(lead_text, "lead", "column", row.span),
                    AgencyMention(coord_text, "coordinator", "column", row.span) if coord_text else None,
                    row.span)
        tasks.append(task)
        c, mt = _citations_and_mentions(content.replace("\n", " "), "appendix", task.ref, "cites", row.span)
        cites += c
        mentions += mt
    return tasks, cites, mentions


_PROSE_LEAD = re.compile(
    r"(?:\bgiao\s+(?:cho\s+)?(?P<given>[^,;:.()]{3,120}?)\s+chủ trì"
    r"|^[-+•]?\s*(?P<named>(?:Sở|Ban|Văn phòng|Công an|Bộ Chỉ huy|Ủy ban|UBND|Liên hiệp|Trung tâm|Thanh tra|Đài)"
    r"[^,;:.()]{2,100}?)\s+chủ trì)", re.I)
_PROSE_WHEN = re.compile(r"(?i:quý\s+[IVX\d]+\s*/\s*\d{4}|tháng\s+\d{1,2}\s*/\s*\d{4}|trong năm\s+\d{4}|"
                         r"năm\s+\d{4}|thường xuyên|hàng (?:tháng|quý|năm))")


def _prose_tasks(seg: Segments, plan_year: int | None, warnings: list[str]) -> list[Task]:
    """Tasks of a plan without an appendix table, read from its prose: each paragraph that gives
    an agency the lead ("giao Sở X chủ trì, phối hợp với …", "Sở X chủ trì, phối hợp …"). Its
    coordinators are read from the same text by the resolver; its timeline from the words
    ("Quý II/2024", "trong năm 2024", "thường xuyên"), else unspecified."""
    tasks: list[Task] = []
    counters: dict[str, int] = {}
    for block in seg.blocks:
        m = _PROSE_LEAD.search(block.text)
        if not m:
            continue
        lead = squash(m.group("given") or m.group("named"))
        counters[block.section] = counters.get(block.section, 0) + 1
        w = _PROSE_WHEN.search(block.text)
        timeline = parse_timeline(w.group(0) if w else "", plan_year)
        content = re.sub(r"^[-+•]\s*", "", block.text)
        tasks.append(Task(block.section, "", counters[block.section], content, timeline,
                          AgencyMention(lead, "lead", "text", block.span), None, block.span))
    return tasks


def extract(src: SourceText) -> PlanRecord:
    """Extract a :class:`PlanRecord` from *src* (raises :class:`InputError` when the header is unusable)."""
    seg = segment(src)
    warnings: list[str] = []
    header = _header(seg, warnings)
    for flag in header.ref.flags:
        warnings.append(f"{src.path}:{header.span.start}: document number: {flag}")
    province = None
    pm = re.search(r"(?:thành phố|tỉnh)\s+(.+)$", header.issuer_text, re.I)
    if pm:
        province = pm.group(1).strip().title() if pm.group(1).isupper() else pm.group(1).strip()
    elif fold(header.issuer_text).startswith(("uy ban nhan dan", "hoi dong nhan dan", "so ")) and header.place:
        province = header.place
    citations: list[Citation] = []
    mentions: list[Mention] = []
    if seg.preamble:
        for clause in re.split(r"\n(?=\s*(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị))", seg.preamble.text):
            relation = "cites" if fold(clause).startswith(("theo de nghi", "xet de nghi")) else "based-on"
            c, m = _citations_and_mentions(clause.replace("\n", " "), "preamble", None, relation, seg.preamble)
            citations += c
            mentions += m
    for block in seg.blocks:
        c, m = _citations_and_mentions(block.text, block.section, None, "cites", block.span)
        citations += c
        mentions += m
    notes: list[QualityNote] = []
    for title, section in ((seg.appendix_title, "appendix"), (seg.feedback_title, "feedback")):
        if title is None:
            continue
        text = title.text.replace("\n", " ")
        sm = _SELF_REF.search(text)
        if sm and fold(sm.group("word")) == fold(header.type_word):
            printed = f"{int(sm.group('n'))}/{sm.group('code')}"
            own = f"{header.ref.number}/{header.ref.code}"
            if printed != own and not header.ref.party:
                notes.append(QualityNote(
                    "number-mismatch",
                    f"The {section} calls this document {printed}; its header says {header.ref.id_local}.",
                    printed, header.ref.id_local, title))
            continue
        c, m = _citations_and_mentions(text, section, None, "cites", title)
        citations += c
        mentions += m
    errors: list[str] = []
    tasks, tcites, tmentions = _tasks(seg, header.covers_year, warnings, errors, notes)
    if not tasks and seg.appendix_title is None:  # no appendix: tasks may be given in the prose
        tasks = _prose_tasks(seg, header.covers_year, warnings)
        for task in tasks:
            c, mt = _citations_and_mentions(task.content, task.group, task.ref, "cites", task.span)
            citations += c
            mentions += mt
    if not tasks:  # a file cut off before its appendix, or one whose appendix lost its rows
        announced = next((i + 1 for i, line in enumerate(src.lines)
                          if re.search(r"\(?\s*(?:có\s+)?Phụ lục\b.*kèm theo", line, re.I)), None)
        if seg.appendix_title is not None:
            why = (f"the appendix (line {seg.appendix_title.start}) has no task rows: the file seems cut off; "
                   "get the whole file")
            errors.append(f"{src.path}:{seg.appendix_title.start}: {why}")
            notes.append(QualityNote("file-cut-off", why, "", "", seg.appendix_title))
        elif announced:
            last = max((i + 1 for i, l in enumerate(src.lines) if l.strip()), default=1)
            why = (f"the text announces an appendix of tasks (line {announced}) that the file does not have: "
                   "is it cut off?")
            warnings.append(f"{src.path}:{last}: {why}")
            notes.append(QualityNote("file-cut-off", why, src.lines[announced - 1].strip(), "", src.span(last, last)))
    citations += tcites
    mentions += tmentions
    for c in citations:
        for flag in c.ref.flags:
            warnings.append(f"{src.path}:{c.span.start}: {c.ref.id_local}: {flag}")
            notes.append(QualityNote(flag.split(":")[0], f"{c.ref.id_local}: {flag}", c.ref.printed, "", c.span))
    for flag in header.ref.flags:
        notes.append(QualityNote(flag.split(":")[0], f"document number: {flag}", header.ref.printed, "", header.span))

    duties: list[Duty] = []
    part_iv = [s for s in seg.sections if re.fullmatch(r"[IVX]+", s.number) and "to chuc thuc hien" in fold(s.title)]
    if part_iv:
        prefix = part_iv[0].number + "."
        titles = {s.number: s.title for s in seg.sections if s.number.startswith(prefix)}
        for block in seg.blocks:
            if block.section in titles:
                title = titles[block.section]
                kind = "request" if fold(title).startswith("de nghi") else "order"
                agency = re.sub(r"^(?i:đề nghị)\s+", "", title)
                content = re.sub(r"^[-+–]\s*", "", block.text)
                duties.append(Duty(block.section, agency, kind, content, block.span))

    reporting: list[ReportingDuty] = []
    for block in seg.blocks:
        for m in _REPORT.finditer(block.text):
            due = None
            if header.covers_year:
                try:
                    due = date(header.covers_year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    warnings.append(f"{src.path}:{block.span.start}: impossible report date {m.group(0)!r}")
            to = re.search(r"báo cáo\s+((?:UBND|Ủy ban nhân dân)[^,(;]*?)\s+về", block.text)
            send = re.search(r"gửi\s+(.+?)\s+(?:tổng hợp|để)", block.text)
            who = re.search(r"Đề nghị\s+(.+?)\s+căn cứ", block.text)
            duty_of = tuple(x.strip() for x in re.split(r",\s*(?=UBND|Ủy ban)", who.group(1))) if who else ()
            reporting.append(ReportingDuty(
                m.group("period"), m.group(0), due,
                squash(to.group(1)) if to else header.issuer_text, squash(send.group(1)) if send else "",
                duty_of, block.span))

    recipients = []
    for span in seg.recipients:
        text = re.sub(r"^[-–+]\s*", "", span.text).rstrip(";. ")
        f = fold(text)
        kind = "archive" if f.startswith("luu") else "internal" if f.startswith("vpub") or f.startswith("vp ") else "recipient"
        recipients.append(Recipient(text, kind, span))

    signature = None
    if seg.signature:
        sig_lines = [l.strip() for l in seg.signature.text.split("\n") if l.strip()]
        tm = next((l[3:].strip() for l in sig_lines if l.upper().startswith("TM.")), None)
        kt = next((l[3:].strip() for l in sig_lines if l.upper().startswith("KT.")), None)
        rest = [l for l in sig_lines if not re.match(r"^(TM|KT|Q|TL|TUQ)\.", l, re.I)]
        position = next((l for l in rest if l.isupper()), None)
        name = next((l for l in reversed(rest) if not l.isupper()), None)
        signature = Signature("; ".join(sig_lines[:-1] if name else sig_lines),
                              _sentence_case(tm) if tm else None, _sentence_case(kt) if kt else None,
                              _sentence_case(position) if position else None, name, seg.signature)

    bases = [b for block in seg.blocks for b in find_bases(block.text, block.section, block.span)]
    bases += [b for t in tasks for b in find_bases(t.content.replace("\n", " "), "appendix", t.span)]
    return PlanRecord(src, province, header, seg.sections, tuple(citations), tuple(mentions), tuple(tasks),
                      tuple(duties), tuple(reporting), tuple(_feedback(seg, warnings)), tuple(recipients),
                      signature, tuple(notes), tuple(warnings), tuple(bases), tuple(find_uses(tasks, bases)),
                      tuple(errors))
