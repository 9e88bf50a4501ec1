"""Every labelled row of the form as a Field: label, value, item, file, lines, current or history.

Rows come as "label<TAB>value", "group<TAB>label<TAB>value", "<TAB>label value" or, in PDF text,
" ⑥委託先名 value" on one line. Labels are normalised (circled numbers, ※ and spaces dropped) so
全項目 ⑦再委託の有無 and 重点項目 ④再委託の有無 are one field.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from piaqa.records import Document, Field, Section
from piaqa.text import clean_line, compact, nfkc
from piaqa.parse.choice import read_value
from piaqa.parse.labels import CIRCLED, norm_label
from piaqa.parse.pdflog import history_fields_pdf, is_pdf_text, place_items_pdf
from piaqa.parse.sections import CHANGELOG, COVER

_CIRCLED = CIRCLED
# a row of a choice's option table printed below it ("<選択肢>", "1) 10人未満 | 2) 10人以上50人未満"): not a field
_OPTION_ROW = re.compile(r"^(\d{1,2}\s*[)）]|[<＜]\s*選択肢)")
_ITEM_OR_RANGE = re.compile(r"^(委託事項|提供先|移転先|システム)\s*\d")
_ITEM = re.compile(r"^(委託事項|提供先|移転先|システム)\s*(\d{1,2})$")
_DATE = re.compile(r"^(令和|平成)\s*(\d{1,2}|元)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_LABELISH = re.compile(rf"^[{_CIRCLED}]|^[^\s\d\[\(（<＜・\-—]{{2,24}}$")
_GROUPS = {"再委託", "使用の主体", "その他"}
_MAX_LABEL = 40
_ANAPHOR = "その"  # 「その妥当性」「その必要性」「その内容」: the row above's
ANAPHOR_GAP = 2  # lines: the form prints such a row right under its row; PDF text may wrap one line between
_ASKING = ("か", "有無")  # a row label that asks whether, not names a thing
_JAPANESE_LABEL = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")




_HEADING_ONLY = re.compile(r"[【<＜][^【】<>＜＞]*[】>＞]")  # a bracketed heading alone: 「【千葉市（…）における措置】」


def _cells(raw: str) -> list[str]:
    """Cleaned tab cells of an original line (empty cells kept, so a leading tab is visible)."""
    return [clean_line(c) for c in raw.split("\t")]


def _split_inline(cell: str) -> tuple[str, str] | None:
    """"⑥委託先名 富士通Japan株式会社" -> (label, value) when the cell starts with a label."""
    cell = re.sub(r"\s+※", "", cell).strip()
    m = re.match(rf"^([{_CIRCLED}]?[^\s\[]{{1,{_MAX_LABEL}}}?)(?:\s+|(?=\[))(.*)$", cell)
    if not m or not (cell[0] in _CIRCLED or _LABELISH.match(m.group(1))):
        return None
    if re.search(r"[A-Za-z]|[がを、。]", m.group(1)):  # "②クラウド事業者がHDD …" is a sentence, not a label
        return None
    return m.group(1), m.group(2)


def _row(raw: str) -> tuple[str, str, str] | None:
    """(group, label, value text) of a table row, or None for a line that is not a row."""
    cells = _cells(raw)
    filled = [c for c in cells if c]
    if not filled:
        return None
    if len(filled) >= 3:
        if norm_label(filled[0]) in _GROUPS:
            return filled[0], filled[1], " ".join(filled[2:])
        if filled[0][:1] in _CIRCLED and len(filled[1]) <= 12 and _LABELISH.match(filled[1]) \
                and not norm_label(filled[0]).endswith(filled[1]):
            return filled[0], filled[1], " ".join(filled[2:])  # "②保管期間<TAB>その妥当性<TAB>…"
        return "", filled[0], " ".join(filled[1:])
    if len(filled) == 2:
        first, second = filled
        if norm_label(first) in _GROUPS and (inline := _split_inline(second)):
            return first, inline[0], inline[1]
        if len(first) <= _MAX_LABEL:
            return "", first, second
        return None
    only = filled[0]
    if len(cells) == 1 and (re.fullmatch(r"[^\s\[\]]{2,30}\s*※", only)  # "保管場所 ※", value below
                            or re.fullmatch(r"\d{1,2}\s*[\.．]\s*\S{0,20}ファイル名", nfkc(only))  # name below
                            or (only[0] in _CIRCLED and re.fullmatch(r"\S{2,30}", only))):  # bare "②保管期間"
        return "", only, ""
    pdf_label = raw.startswith(" ") and not raw.startswith("  ")  # PDF text puts labels one space in
    if (cells[0] == "" or only[0] in _CIRCLED or len(cells) > 1 or pdf_label) and (inline := _split_inline(only)):
        return "", inline[0], inline[1]
    if len(cells) > 1 and len(only) <= _MAX_LABEL:  # "label<TAB>" with the value on later lines
        return "", only, ""
    return None


def _current_fields(doc: Document, section: Section) -> list[Field]:
    """Fields of one non-history section."""
    out: list[Field] = []
    item: str | None = None
    pdf = is_pdf_text(doc)
    last_text, pending = 0, ""  # last non-blank line; a bare "②保管期間" heading awaiting its rows
    for no in range(section.line_start, section.line_end + 1):
        raw = doc.lines[no - 1]
        filled = [c for c in _cells(raw) if c]
        if not filled:
            continue
        prev_line, last_text = last_text, no
        if len(filled) == 1 and out and out[-1].line_end == prev_line and _continues(out[-1], filled[0]) \
                and (not pdf or _pdf_value_line(raw)):
            out[-1] = _with_value(out[-1], filled[0], no, uncertain=pdf)
            continue
        row = _row(raw)
        if row is None:
            continue
        group, label, text = row
        nl = norm_label(label)
        heading = re.match(r"^\d{1,2}[\.．]\s*\S", nfkc(label)) and not nl.endswith("ファイル名")
        if not nl or heading or nl.startswith(("変更日", "選択肢")) or re.search(r"\d[~～]\d", nl) \
                or (nl in _GROUPS and not text) or _OPTION_ROW.match(nfkc(label)):
            continue
        if pending and nl != pending and pending.endswith(nl):
            nl = pending  # "期間" under a bare "②保管期間" is the 保管期間
            if out and out[-1].label == pending and not out[-1].value:
                out.pop()
        pending = nl if not text and label[:1] in _CIRCLED else ""
        m = _ITEM.match(nl)
        if m:
            item = f"{m.group(1)}{m.group(2)}"
            nl = m.group(1)
        nl = _resolved(nl, out[-1] if out else None, no)
        cv = read_value(text)
        out.append(Field(doc=doc.meta.doc, city=doc.meta.city, path=section.path, item=item, label=nl,
                         raw_label=label if not group else f"{group} {label}", value=cv.value,
                         options=cv.options, line_start=no, line_end=no, file_name=section.file_name,
                         uncertain=False))
    return out


def _resolved(label: str, above: Field | None, line: int) -> str:
    """A label that points at the row above it, named by that row: 「その妥当性」 under 「保管期間」 is 保管期間の妥当性,
    「その必要性」 under 「対象となる本人の範囲」 that range's 必要性 (the form prints them as one group). 「その他…」
    means "other", not "its"; a row further away than ANAPHOR_GAP lines is not the one pointed at; a row above that
    asks a question (「…重大事故が発生したか」, 「…の有無」) names no thing: its 「その内容」 stays as it is."""
    if not label.startswith(_ANAPHOR) or label.startswith("その他") or above is None \
            or line - above.line_end > ANAPHOR_GAP or not _JAPANESE_LABEL.search(above.label) \
            or above.label.endswith(_ASKING):
        return label
    return f"{above.label}の{label[len(_ANAPHOR):]}"


def _continues(f: Field, text: str) -> bool:
    """Whether a lone text line carries on the previous field's value (value on the next lines)."""
    if _ITEM_OR_RANGE.match(nfkc(text)):  # "移転先3", "移転先6～10": the next item, not more value
        return False
    block = f.value.startswith(("<", "＜", "【"))  # a "＜本市における措置＞" block: numbered sentences follow
    if (text[0] in _CIRCLED and not (block and len(text) > 30)) or f.options or f.line_end - f.line_start >= 3:
        return False
    return not f.value or f.line_end > f.line_start or block


def _with_value(f: Field, text: str, no: int, uncertain: bool = False) -> Field:
    """A field whose value (or more of it) sits on the next line."""
    cv = read_value(text)
    value = f"{f.value} {cv.value}".strip() if f.value else cv.value
    return Field(**{**f.__dict__, "value": value, "options": f.options or cv.options, "line_end": no,
                    "uncertain": f.uncertain or uncertain})


def _pdf_value_line(raw: str) -> bool:
    """In PDF text, a line that can be a value: not an indented label, bracket debris or option list."""
    s = clean_line(raw)
    return not raw.startswith(" ") and not re.match(r"^[\[\]）)＜<]|^\d[）)]|^[・]?選択肢", s) and len(s) >= 4


def _find_line(doc: Document, section: Section, text: str, after: int = 0) -> int | None:
    """First line of the section (from `after`) whose compact text contains `text`."""
    want = compact(text)
    for no in range(max(section.line_start, after), section.line_end + 1):
        if want and want in compact(clean_line(doc.lines[no - 1])):
            return no
    return None


def _cover_fields(doc: Document, section: Section) -> list[Field]:
    """Cover items from the parsed metadata, cited at the lines that state them."""
    m = doc.meta
    items = [("評価書番号", m.number or ""), ("評価書名", f"{m.jimu} {m.kind}"), ("評価実施機関名", m.city),
             ("公表日", m.published or "")]
    out = []
    for label, value in items:
        at = _find_line(doc, section, label)
        if at is None:
            continue
        end = _find_line(doc, section, value if label != "評価書名" else m.jimu, at) if value else None
        end = end if end is not None and end - at <= 6 else at
        out.append(Field(doc=doc.meta.doc, city=m.city, path=section.path, item=None, label=label,
                         raw_label=label, value=value, options=(), line_start=at, line_end=end))
    return out


def _history_fields(doc: Document, section: Section) -> list[Field]:
    """変更箇所 rows: date, item, 変更前 (old), 変更後 (value)."""
    out = []
    for no in range(section.line_start, section.line_end + 1):
        cells = [c.strip() for c in _cells(doc.lines[no - 1])]
        if len(cells) < 4 or not _DATE.match(nfkc(cells[0])):
            continue
        label = cells[1]
        out.append(Field(doc=doc.meta.doc, city=doc.meta.city, path=section.path, item=None,
                         label=norm_label(label), raw_label=label, value=read_value(cells[3]).value,
                         options=(), line_start=no, line_end=no, history=True, changed_on=cells[0],
                         old_value=read_value(cells[2]).value))
    return out


def extract_fields(doc: Document) -> list[Field]:
    """All fields of a document: current rows in line order, then the change log."""
    pdf = is_pdf_text(doc)
    current: list[Field] = []
    history: list[Field] = []
    for section in doc.sections:
        if section.path[0].endswith(CHANGELOG):
            history.extend(history_fields_pdf(doc, section) if pdf else _history_fields(doc, section))
        elif section.path == (COVER,):  # cover items from metadata; stray form rows kept (002 lacks I's heading)
            cover = _cover_fields(doc, section)
            names = {f.label for f in cover} | {"評価書名"}
            current.extend(cover + [f for f in _current_fields(doc, section) if f.label not in names])
        else:
            current.extend(_current_fields(doc, section))
    if pdf:  # PDF text scatters table cells: recover which 委託事項 a value belongs to
        current = place_items_pdf(current, history, doc=doc)
    return current + history


def extract_corpus_fields(docs: Sequence[Document]) -> list[Field]:
    """Fields of every document; PDF-text documents also get labels known from the others recovered."""
    from piaqa.parse.pdfscan import recover_fields

    per_doc = {d.meta.doc: extract_fields(d) for d in docs}
    known = sorted({f.label for d in docs if not is_pdf_text(d) for f in per_doc[d.meta.doc]
                    if not f.history and f.value})
    for d in docs:
        if is_pdf_text(d):
            found = recover_fields(d, per_doc[d.meta.doc], known)
            starts = {(f.line_start, f.label) for f in found}
            kept = [f for f in per_doc[d.meta.doc]  # drop the label fragment the recovered field replaces
                    if not any(line == f.line_start and label.startswith(f.label) for line, label in starts)]
            # a value that is only a bracketed heading (「【千葉市（…）における措置】」) is where the row's text begins,
            # not its value: the row is left to the prose under the heading
            per_doc[d.meta.doc] = [f for f in kept + found if not _HEADING_ONLY.fullmatch(f.value.strip())]
    return [f for d in docs for f in per_doc[d.meta.doc]]
