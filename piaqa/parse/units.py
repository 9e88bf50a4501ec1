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
# a checkbox: an HTML input, a bracket (「[ ]」「[☑ ]」「[○]」) or a box glyph
_CHECKBOX = re.compile(r"<input\b[^<>]*type=\"?(?:checkbox|radio)[^<>]*>|\[[^\[\]<>]{0,4}\]|[☐☑■□]")
MIN_CHECKBOXES = 3  # a group of options (two are a yes/no pair, read by the choice parser)
LONE_OPTION_MAX = 12  # characters of a lone box's option (委託しない, 提供・移転しない); a longer text is a statement
OPTION_NAME_MAX = 30  # characters of an option name (電子記録媒体(フラッシュメモリを除く。) without its bracket)
# where a new unit starts inside a text: after 。, before circled numbers, bullets and sub-headings
_SPLIT = re.compile(r"(?<=。)(?![)）」』])|(?=[\u2460-\u2473])|(?=(?:^|\s)[・●○◆■□※](?!\s*$))|(?=[<＜【][^<＞>】]{2,80}[>＞】])"
                    r"|(?=\s\(\d{1,2}\)\s)|(?=\s（\d{1,2}）)")
_SUBHEAD = re.compile(r"^[<＜【]([^<＞>】]{2,80})[>＞】]\s*")
# a numbered sub-heading of a cell, a noun phrase alone (「(2)記録媒体(バックアップ媒体等)」「（1）サーバ」): the bullets under
# it are about that thing, so it is their heading (their words place them, as the risk heading's do)
_NUMBERED_SUBHEAD = re.compile(r"^[(（]\s*\d{1,2}\s*[)）]\s*([^。]{1,40})$")
# "リスク2: 不適切な方法で入手が行われるリスク"; a 重点項目 assessment's one risk per part has no number ("リスク: …")
RISK_HEADING = re.compile(r"^\s*リスク\s*[0-9０-９]*\s*[:：]")
_BULLET_START = re.compile(r"^\s*([・●○◆■□※\u2460-\u2473]|[<＜【]|\(\d{1,2}\)|（\d{1,2}）)")
_KANA = re.compile(r"[\u3040-\u309f]")
_NUMBERED = re.compile(r"\s*\d{1,2}\s*[)）]\s*")  # "1) ", "2）": an item number of an option list
_POLARITY = re.compile(r"(している|していない|しない|する|ている|ていない|ある|ない)$")
_NEGATIVE = {"していない", "しない", "ていない", "ない"}
_TITLE = re.compile(r"^\s*(#+\s|([IVX]+|\d{1,2})\.?\s+[^。]{0,60}$)")
_LABELLED_CHOICE = re.compile(r"[^\[\]。]{2,40}\[[^\[\]]{1,30}\]\s*")  # 「対象となる本人の数 [10万人以上…]」
MIN_KANA = 3  # a unit states something: record-item lists and code tables have almost no hiragana
MAX_UNIT = 400  # characters; longer runs (unpunctuated PDF text) are cut at a line boundary


@dataclass(frozen=True)
class _Piece:
    """A run of text from one original line."""

    no: int
    label: str
    text: str


def _clean(value: str) -> str:
    """A cell's text with tags turned into breaks, the <選択肢> list, checkbox groups and bracketed choices
    removed."""
    paragraphs = _without_options(_BREAK_TAG.sub("\n", html.unescape(value))).split("\n")
    s = _TAG.sub(" ", "\n".join(p for p in paragraphs if not _checkbox_group(p)))
    # a paragraph that is a selection and no sentence ("[十分に行っている]", "[ 20年以上 ]") loses the selection
    s = "\n".join(_CHOICE.sub(" ", p) if not _KANA.search(_CHOICE.sub("", p)) else p for p in s.split("\n"))
    return re.sub(r"[ \t\u3000]+", " ", s)


def _checkbox_group(paragraph: str) -> bool:
    """Whether a paragraph is a group of checkboxes and their option names (「☐ 紙 ☐ 電子記録媒体 … ☐ その他 ( )」,
    入手元, 提供方法, 主な記録項目): the row's selection, a field, not a statement. Checkboxes that open
    sentences (「☐ 個別に対応する…事務に際して使用 ・…」) leave a statement, and stay."""
    parts = _CHECKBOX.split(paragraph)
    names = [re.sub(r"[\[\]]|\([^()]*\)|（[^（）]*）|<[^<>]*>", "", p).strip(" ・\t") for p in parts]
    if len(parts) - 1 == 1 and not names[0]:  # one box and its option (「[ ] 委託しない」 beside a section's title)
        return len(names[1]) <= LONE_OPTION_MAX and "。" not in names[1]
    if len(parts) - 1 < MIN_CHECKBOXES:
        return False
    return all(len(n) <= OPTION_NAME_MAX and "。" not in n for n in names)


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
    labels = _row_labels(doc, pdf)
    units: list[Unit] = []
    for section in doc.sections:
        if section.path and section.path[0].endswith(CHANGELOG):
            continue
        heading, sub, numbered = "", "", ""
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
                sub, numbered, last_label = "", "", label
            if RISK_HEADING.match(text) or RISK_HEADING.match(label):
                heading, sub, numbered = (text if RISK_HEADING.match(text) else label), "", ""
                continue
            if m := _SUBHEAD.match(text):
                sub, numbered = m.group(1), ""
                text = text[m.end():].strip()
            if (m := _NUMBERED_SUBHEAD.match(text)) and len(_KANA.findall(text)) < MIN_KANA:
                numbered = m.group(1).strip()
                continue
            if len(_KANA.findall(text)) < MIN_KANA or _ratings_only(text) \
                    or _options_only(text) or _title_or_remnant(text) or _bare(text) in labels:
                continue
            for part in _cut(text):
                units.append(Unit(id=start_id + len(units), doc=doc.meta.doc, city=doc.meta.city,
                                  path=section.path, heading=" ".join(filter(None, [heading, sub, numbered])),
                                  label=nfkc(label), line_start=group[0].no, line_end=group[-1].no, text=part))
    return units


def _options_only(text: str) -> bool:
    """A numbered list of a choice's options, left when PDF text parts them from their <選択肢> marker
    (「1) 実施する 2) 実施しない 3) 未定」, 「2） 委託しない1） 委託する」): two of its items say the same thing, one
    of them negated."""
    items = [re.sub(r"[\[\]\s]", "", i) for i in _NUMBERED.split(text) if i.strip(" []")]
    stems: dict[str, set[bool]] = {}  # an item's words before its ending -> whether each ending is negated
    for item in items:
        m = _POLARITY.search(item)
        if m is None:
            continue
        stem = item[:m.start()]
        stems.setdefault(stem, set()).add(m.group(0) in _NEGATIVE)
    return len(items) >= 2 and any(len(v) == 2 for v in stems.values())


def _ratings_only(text: str) -> bool:
    """A self-rating or the list of them ("1) 特に力を入れて行っている 2) 十分に行っている 3) …", left when PDF text
    parts the <選択肢> marker from its options): how well a measure is done, never a statement of it."""
    items = [i for i in _NUMBERED.split(text) if i.strip()]
    return bool(items) and all(RATING.fullmatch(i.strip(" []［］")) for i in items)  # PDF text: 「]十分に行っている[」


def _bare(text: str) -> str:
    """A text as a row label is compared: no spaces, ※ or circled numbers."""
    return re.sub(r"[\s※\u2460-\u2473]", "", nfkc(text))


def _row_labels(doc: Document, pdf: bool) -> set[str]:
    """The document's row labels and section titles (「リスクに対する措置の内容」, 「②提供先における用途」): a unit that
    is only one of them (a label the layout put in a value cell) states nothing."""
    if pdf:
        names = [raw.strip() for raw in doc.lines if _is_label_line(raw)]
    else:
        # a row's first cell, its value beside it or empty (「リスクに対する措置の内容<TAB><TAB>」)
        firsts = [raw.split("\t")[0] for raw in doc.lines if "\t" in raw]
        names = [_TAG.sub("", f) for f in firsts if len(f) <= 60]
    names += [s.path[-1] for s in doc.sections if s.path]
    return {b for n in names if (b := _bare(n))}


def _title_or_remnant(text: str) -> bool:
    """A title (「## …の宣言」, 「5. 情報提供ネットワークシステムによる情報連携 ※」, 「III 特定個人情報…リスク対策」) or
    what a choice leaves of its brackets (「※ 再委託しない ]」, 「対象となる本人の数
    [10万人以上100万人未満]」): not a statement."""
    return bool(_TITLE.match(text)) or text.count("[") != text.count("]") or bool(_LABELLED_CHOICE.fullmatch(text))


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
