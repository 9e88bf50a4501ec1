"""Split an assessment into sections by the national form's heading vocabulary.

The three source formats (markdown+HTML, tab tables, PDF text) spell headings differently, so
headings are recognised after cleaning and NFKC by *what they say*: a roman numeral or (別添N)
with a known part title, or "N." with a known item title of the form. A known item title that
cannot belong to the current part (PDF text out of order, a part heading missing) opens the
part it belongs to implicitly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from piaqa.records import Section
from piaqa.text import clean_line, compact, nfkc

COVER = "表紙"
CHANGELOG = "変更箇所"
# part groups, by what their title says
BASIC, OVERVIEW, RISK, OTHER, DISCLOSE, PROCEDURE, APPENDIX = (
    "basic", "overview", "risk", "other", "disclose", "procedure", "appendix")
_DEFAULT_TOP = {BASIC: "I 基本情報", OVERVIEW: "II 特定個人情報ファイルの概要", RISK: "III リスク対策",
                OTHER: "IV その他のリスク対策", DISCLOSE: "V 開示請求、問合せ", PROCEDURE: "VI 評価実施手続"}

# item titles of the form and the parts they can stand in; longest prefixes are tried first
_ITEMS: list[tuple[str, frozenset[str]]] = sorted([
    ("特定個人情報ファイルを取り扱う事務において使用するシステム", frozenset({BASIC})),
    ("特定個人情報ファイルを取り扱う事務", frozenset({BASIC})),
    ("特定個人情報ファイルを取り扱う理由", frozenset({BASIC})),
    ("個人番号の利用", frozenset({BASIC})),
    ("情報提供ネットワークシステムによる情報連携", frozenset({BASIC})),
    ("評価実施機関における担当部署", frozenset({BASIC})),
    ("他の評価実施機関", frozenset({BASIC})),
    ("特定個人情報ファイル名", frozenset({BASIC, OVERVIEW, RISK})),
    ("基本情報", frozenset({OVERVIEW})),
    ("特定個人情報の入手・使用", frozenset({OVERVIEW})),
    ("特定個人情報ファイルの取扱いの委託", frozenset({OVERVIEW, RISK})),
    ("特定個人情報の提供・移転(委託に伴う", frozenset({OVERVIEW})),
    ("特定個人情報の保管・消去", frozenset({OVERVIEW, RISK})),
    ("備考", frozenset({OVERVIEW})),
    ("特定個人情報の入手(", frozenset({RISK})),
    ("特定個人情報の使用", frozenset({RISK})),
    ("特定個人情報の提供・移転(委託や", frozenset({RISK})),
    ("情報提供ネットワークシステムとの接続", frozenset({RISK})),
    ("監査", frozenset({RISK, OTHER})),
    ("従業者に対する教育・啓発", frozenset({RISK, OTHER})),
    ("その他のリスク対策", frozenset({RISK, OTHER})),
    ("特定個人情報の開示・訂正・利用停止請求", frozenset({DISCLOSE})),
    ("特定個人情報ファイルの取扱いに関する問合せ", frozenset({DISCLOSE})),
    ("基礎項目評価", frozenset({PROCEDURE})),
    ("重点項目評価", frozenset({PROCEDURE})),
    ("全項目評価", frozenset({PROCEDURE})),
    ("国民・住民等からの意見の聴取", frozenset({PROCEDURE})),
    ("第三者点検", frozenset({PROCEDURE})),
    ("個人情報保護委員会の承認", frozenset({PROCEDURE})),
], key=lambda t: -len(t[0]))
_RISK_MARK = re.compile(r"\[[^\]]{0,3}\]\s*(委託しない|提供・移転しない|接続しない)")
_TOP = re.compile(r"^(VI|IV|V|III|II|I)\s+(\S.{1,60})$")
_APPX = re.compile(r"^\(別添\s*(\d)\)\s*(\S.{0,40})$")
_ITEM = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
_FILE = re.compile(r"^\(\d{1,2}\)\s*\S.*ファイル$")
# rows that only occur under one item: where that item's heading is missing, they open it
_IMPLIED = ((re.compile(r"^委託(の有無|事項\s*\d)"), "4. 特定個人情報ファイルの取扱いの委託", OVERVIEW),)


@dataclass(frozen=True)
class _Event:
    line: int  # 1-based
    level: int  # 1 part, 2 item
    label: str
    group: str


def _group(title: str) -> str | None:
    """Which part a part title names."""
    t = compact(title)
    for key, group in (("その他のリスク対策", OTHER), ("リスク対策", RISK), ("概要", OVERVIEW),
                       ("基本情報", BASIC), ("開示請求", DISCLOSE), ("評価実施手続", PROCEDURE)):
        if key in t:
            return group
    return None


def _part(norm: str) -> _Event | None:
    """A part heading (I..VI or 別添) in a cleaned, NFKC line, else None."""
    m = _TOP.match(norm)
    if m and (g := _group(m.group(2))) and len(compact(m.group(2))) <= 45:
        title = re.split(r"\s*※", m.group(2))[0].strip()
        return _Event(0, 1, f"{m.group(1)} {title}", g)
    m = _APPX.match(norm)
    if m:
        return _Event(0, 1, f"(別添{m.group(1)}) {m.group(2).strip()}", APPENDIX)
    return None


def _item(norm: str) -> tuple[str, frozenset[str]] | None:
    """An item heading ("4. 特定個人情報ファイルの取扱いの委託") and the parts it may stand in."""
    m = _ITEM.match(norm)
    if not m:
        return None
    title = compact(m.group(2))
    for prefix, groups in _ITEMS:
        if title.startswith(compact(prefix)):
            label = re.split(r"\s*(?:\[|※|\t)", m.group(2).strip())[0].strip()
            if _RISK_MARK.search(norm):
                groups = frozenset({RISK})
            return f"{m.group(1)}. {label}", groups
    return None


def _implied(norm: str, top: _Event | None, events: list[_Event]) -> str | None:
    """The item a row implies, when its heading is missing (e.g. 委託事項2 with no "4." above it)."""
    last = events[-1] if events else None
    for pattern, label, group in _IMPLIED:
        if top is not None and top.group == group and pattern.match(norm) and last is not None \
                and last.level == 2 and compact(last.label)[2:] != compact(label)[2:]:
            return label
    return None


def _events(lines: tuple[str, ...]) -> list[_Event]:
    """Heading events in order; implicit parts are inserted where the form requires them."""
    events: list[_Event] = []
    toc: dict[str, str] = {}  # group -> label as the table of contents spells it
    in_toc, top = False, None
    for no, raw in enumerate(lines, 1):
        norm = nfkc(clean_line(raw))
        if not norm:
            continue
        if compact(norm) == "項目一覧":
            in_toc = True
            continue
        part = _part(norm)
        if in_toc:
            if part and part.label not in toc.values():
                toc.setdefault(part.group, part.label)
                continue
            in_toc = False
        if part:
            top = _Event(no, 1, part.label, part.group)
            events.append(top)
            if compact(part.label).endswith(CHANGELOG):
                break  # the change log quotes headings; nothing after it is structure
            continue
        item = _item(norm)
        if item is None:
            implied = _implied(norm, top, events)
            if implied is None:
                continue
            events.append(_Event(no, 2, implied, OVERVIEW))
            continue
        label, groups = item
        if top is None or top.group not in groups:
            g = sorted(groups, key=lambda x: list(_DEFAULT_TOP).index(x))[0]
            top = _Event(no, 1, toc.get(g, _DEFAULT_TOP[g]), g)
            events.append(top)
        events.append(_Event(no, 2, label, top.group))
    return events


def _first_text(lines: tuple[str, ...], start: int, end: int) -> str | None:
    """First non-blank cleaned line in start..end (1-based, inclusive)."""
    for no in range(start, min(end, len(lines)) + 1):
        s = nfkc(clean_line(lines[no - 1]))
        if s:
            return re.sub(r"\s+", " ", s)
    return None


def _file_name(text: str | None, spelled: dict[str, str]) -> str | None:
    """A file's name as the document first spells it: 高知市 writes "(2) 本人確認情報ファイル" in part II and
    "(2)本人確認情報ファイル" in part III, one file whose rows a question naming it must find in both parts
    (`spelled`: the document's names so far, by their spelling without spaces)."""
    return spelled.setdefault(re.sub(r"\s+", "", text), text) if text else text


def split_sections(doc: str, lines: tuple[str, ...]) -> tuple[Section, ...]:
    """Ordered sections covering every line of the document."""
    events = _events(lines)
    bounds = [e.line for e in events] + [len(lines) + 1]
    sections: list[Section] = []
    if not events or events[0].line > 1:
        sections.append(Section(doc, (COVER,), 1, (events[0].line - 1) if events else len(lines)))
    top, file_name = "", None
    spelled: dict[str, str] = {}
    for i, ev in enumerate(events):
        end = bounds[i + 1] - 1
        if ev.level == 1:
            top, file_name = ev.label, None
            path: tuple[str, ...] = (top,)
        else:
            if ev.label.endswith("特定個人情報ファイル名") and ev.group in (OVERVIEW, RISK):
                file_name = _file_name(_first_text(lines, ev.line + 1, end), spelled)
            path = (top, ev.label)
        if end >= ev.line:
            sections.append(Section(doc, path, ev.line, end, file_name))
    return _split_appendix_files(_with_file_paths(tuple(sections)), lines)


def _with_file_paths(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Insert the file name into paths when the document describes several files."""
    names = {s.file_name for s in sections if s.file_name}
    if len(names) < 2:
        return sections
    return tuple(Section(s.doc, (s.path[0], s.file_name) + s.path[1:], s.line_start, s.line_end,
                         s.file_name) if s.file_name else s for s in sections)


def _split_appendix_files(sections: tuple[Section, ...], lines: tuple[str, ...]) -> tuple[Section, ...]:
    """Inside a 記録項目 appendix, "(2) XXファイル" lines start one section per file."""
    out: list[Section] = []
    for s in sections:
        if "記録項目" not in s.path[0]:
            out.append(s)
            continue
        starts = [no for no in range(s.line_start + 1, s.line_end + 1)
                  if _FILE.match(nfkc(clean_line(lines[no - 1])))]
        bounds = [s.line_start] + starts + [s.line_end + 1]
        for a, b in zip(bounds, bounds[1:]):
            name = _first_text(lines, a, a) if a in starts else None
            path = s.path + (name,) if name else s.path
            out.append(Section(s.doc, path, a, b - 1, name or s.file_name))
    return tuple(out)
