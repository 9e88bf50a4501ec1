"""Sections -> evidence units: every prose sentence or bullet, with its heading, row label and lines.

Tab-table formats hold a whole row on one line ("label<TAB>value"); the value is split into
sentences and bullets. PDF text wraps a sentence over several lines; there consecutive lines are
joined until a sentence ends, a bullet or bracketed heading starts, or a label line interrupts.
No unit crosses a section.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from piaqa.records import Document, Section, Unit
from piaqa.text import nfkc
from piaqa.parse.choice import RATING
from piaqa.parse.pdflog import is_pdf_text
from piaqa.parse.sections import CHANGELOG

_OPTIONS = re.compile(r"(<|＜)\s*選択肢\s*(>|＞).*$")  # the marker and the options after it, to the paragraph's end
# a paragraph of the option list that the marker's paragraph continues into: "[十分に行っている] 1) 特に…", "2) 実施
# しない", or the selection alone ("[定められていない]"); the cell's own text (具体的な方法 and its measures) follows
_OPTION_PARAGRAPH = re.compile(r"^\s*(\[[^\[\]]{0,40}\]\s*)?(\d{1,2}\s*[)）].*)?$")
_BREAK_TAG = re.compile(r"</?(p|br|li|ul|ol|div|tr|td)\b[^>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_CHOICE = re.compile(r"\[[^\[\]]{0,40}\]")  # a bracketed selection is a choice, not prose
# where a new unit starts inside a text: after 。, before circled numbers, bullets and sub-headings
_SPLIT = re.compile(r"(?<=。)(?![)）」』])|(?=[\u2460-\u2473])|(?=(?:^|\s)[・●○◆■□※](?!\s*$))|(?=[<＜【][^<＞>】]{2,80}[>＞】])"
                    r"|(?=\s\(\d{1,2}\)\s)|(?=\s（\d{1,2}）)")
_SUBHEAD = re.compile(r"^[<＜【]([^<＞>】]{2,80})[>＞】]\s*")
RISK_HEADING = re.compile(r"^\s*リスク\s*[0-9０-９]+\s*[:：]")  # "リスク2: 不適切な方法で入手が行われるリスク"
_BULLET_START = re.compile(r"^\s*([・●○◆■□※\u2460-\u2473]|[<＜【]|\(\d{1,2}\)|（\d{1,2}）)")
_KANA = re.compile(r"[\u3040-\u309f]")
_NUMBERED = re.compile(r"\s*\d{1,2}\s*[)）]\s*")  # "1) ", "2）": an item number of an option list
MIN_KANA = 3  # a unit states something: record-item lists and code tables have almost no hiragana
MAX_UNIT = 400  # characters; longer runs (unpunctuated PDF text) are cut at a line boundary


@dataclass(frozen=True)
class _Piece:
    """A run of text from one original line."""

    no: int
    label: str
    text: str


def _clean(value: str) -> str:
    """A cell's text with tags turned into breaks, the <選択肢> list and bracketed choices removed."""
    s = _TAG.sub(" ", _without_options(_BREAK_TAG.sub("\n", html.unescape(value))))
    # a paragraph that is a selection and no sentence ("[十分に行っている]", "[ 20年以上 ]") loses the selection
    s = "\n".join(_CHOICE.sub(" ", p) if not _KANA.search(_CHOICE.sub("", p)) else p for p in s.split("\n"))
    return re.sub(r"[ \t\u3000]+", " ", s)


def _without_options(text: str) -> str:
    """The text without its <選択肢> list: from the marker to the end of its paragraph, and the option paragraphs
    right after it. What follows them stays: a choice cell may go on with its measures (「[十分に行っている]
    <選択肢> 1) … 3) 十分に行っていない」「具体的なチェック方法」「<郡山市における措置> 年に1回以上、…」)."""
    paragraphs = text.split("\n")
    for i, para in enumerate(paragraphs):
        if (m := _OPTIONS.search(para)) is None:
            continue
        j = i + 1
        while j < len(paragraphs) and _OPTION_PARAGRAPH.match(_TAG.sub(" ", paragraphs[j])):
            j += 1
        return "\n".join([*paragraphs[:i], para[:m.start()], _without_options("\n".join(paragraphs[j:]))])
    return text


def _label_and_value(raw: str) -> tuple[str, str]:
    """"label<TAB>value<TAB>…" -> (label, the rest); a line without tabs is all value."""
    cells = [c.strip() for c in raw.split("\t")]
    cells = [c for c in cells if c]
    if len(cells) >= 2 and len(cells[0]) <= 60:
        return _TAG.sub("", cells[0]).strip(), " ".join(cells[1:])
    return "", " ".join(cells)


def _sentences(text: str) -> list[str]:
    """A cell's text cut into sentences and bullets."""
    out = []
    for para in text.split("\n"):
        for s in _SPLIT.split(para):
            s = s.strip(" 　")
            if s:
                out.append(s)
    return out


def _is_label_line(raw: str) -> bool:
    """PDF text: a row label stands on its own short line, indented by one space."""
    s = raw.rstrip()
    return s.startswith(" ") and not s.startswith("  ") and len(s.strip()) <= 30 and "。" not in s


def _tab_pieces(doc: Document, section: Section) -> Iterator[_Piece]:
    """Tab-table / markdown: every sentence of every line, with the row label."""
    for no in range(section.line_start, section.line_end + 1):
        label, value = _label_and_value(doc.lines[no - 1])
        for s in _sentences(_clean(value)):
            yield _Piece(no, label, s)


def _pdf_pieces(doc: Document, section: Section) -> Iterator[_Piece]:
    """PDF text: lines as they come, labels recognised by layout."""
    label = ""
    for no in range(section.line_start, section.line_end + 1):
        raw = doc.lines[no - 1]
        if _is_label_line(raw):
            label = raw.strip()
            continue
        for s in _sentences(_clean(raw)):
            yield _Piece(no, label, s)


def _joinable(prev: list[_Piece], nxt: _Piece, pdf: bool) -> bool:
    """Whether the next piece continues the current unit (PDF sentences wrap over lines)."""
    if not pdf or not prev:
        return False
    last = prev[-1]
    text = "".join(p.text for p in prev)
    return (nxt.no == last.no + 1 and nxt.label == last.label and not last.text.endswith(("。", "】", ">", "＞"))
            and not _BULLET_START.match(nxt.text) and not RISK_HEADING.match(nxt.text) and len(text) < MAX_UNIT)


def document_units(doc: Document, start_id: int = 0) -> list[Unit]:
    """Evidence units of one document (the change log excluded), ids from start_id."""
    pdf = is_pdf_text(doc)
    units: list[Unit] = []
    for section in doc.sections:
        if section.path and section.path[0].endswith(CHANGELOG):
            continue
        heading, sub = "", ""
        groups: list[list[_Piece]] = []
        pieces = _pdf_pieces(doc, section) if pdf else _tab_pieces(doc, section)
        for piece in pieces:
            if groups and _joinable(groups[-1], piece, pdf):
                groups[-1].append(piece)
            else:
                groups.append([piece])
        last_label = None
        for group in groups:
            text = "".join(p.text for p in group) if pdf else " ".join(p.text for p in group)
            text = text.strip()
            label = group[0].label
            if label != last_label:
                sub, last_label = "", label
            if RISK_HEADING.match(text) or RISK_HEADING.match(label):
                heading, sub = (text if RISK_HEADING.match(text) else label), ""
                continue
            if m := _SUBHEAD.match(text):
                sub = m.group(1)
                text = text[m.end():].strip()
            if len(_KANA.findall(text)) < MIN_KANA or _is_heading(text, section) or _ratings_only(text):
                continue
            for part in _cut(text):
                units.append(Unit(id=start_id + len(units), doc=doc.meta.doc, city=doc.meta.city,
                                  path=section.path, heading=" ".join(filter(None, [heading, sub])),
                                  label=nfkc(label), line_start=group[0].no, line_end=group[-1].no, text=part))
    return units


def _ratings_only(text: str) -> bool:
    """A self-rating or the list of them ("1) 特に力を入れて行っている 2) 十分に行っている 3) …", left when PDF text
    parts the <選択肢> marker from its options): how well a measure is done, never a statement of it."""
    items = [i for i in _NUMBERED.split(text) if i.strip()]
    return bool(items) and all(RATING.fullmatch(i.strip()) for i in items)


def _is_heading(text: str, section: Section) -> bool:
    """The section's own heading line repeated as text."""
    return bool(section.path) and re.sub(r"\s", "", nfkc(text)) == re.sub(r"\s", "", nfkc(section.path[-1]))


def _cut(text: str) -> list[str]:
    """A text longer than MAX_UNIT cut at 、 (or anywhere) into pieces of at most MAX_UNIT."""
    out = []
    while len(text) > MAX_UNIT:
        at = text.rfind("、", MAX_UNIT // 2, MAX_UNIT)
        at = at + 1 if at > 0 else MAX_UNIT
        out.append(text[:at])
        text = text[at:]
    return out + [text] if text else out


def corpus_units(docs: Sequence[Document]) -> list[Unit]:
    """All units of all documents, ids 0..n-1 in corpus order."""
    out: list[Unit] = []
    for doc in docs:
        out.extend(document_units(doc, len(out)))
    return out
