"""Reading a form cell's value: the selected option of a choice field, or plain text."""
from __future__ import annotations

import re
from dataclasses import dataclass

_OPTIONS_MARK = re.compile(r"<\s*選択肢\s*>|＜\s*選択肢\s*＞")
_OPTION = re.compile(r"(?:^|\s)\d\)\s*(.+?)(?=\s+\d\)|$)")
# "[ 十分である ]", "☐ 委託する ]", "[ 30万人以上" (PDF text loses the closing bracket)
_SELECTED = re.compile(r"(?:\[|☐|☑)\s*([^\[\]☐☑○]+?)\s*(?:\]|$)")
_MARKED = re.compile(r"\[\s*(?:☑|○|◯|●|✓|✔)\s*\]\s*([^\[\]☐☑]+)")
# an empty bracket before an option's words ("[] 専用線 [] 紙"): a group of them and no mark is no selection. Not
# "[☐]" (an unticked input element): conversions lose the ticks of some forms, whose options then all stand
_EMPTY_BOX = re.compile(r"\[\s*\]\s*[^\s\[\]]")
# checkboxes without brackets ("☑ 提供を行っている (2) 件 ☑ 移転を行っている (2) 件 ☐ 行っていない"): each box and its words
_BOX = re.compile(r"([☑☐])\s*([^☑☐\[\]]+)")
# the form's self-rating of a measure, as a whole value (how well it is done, never what it is)
RATING = re.compile(r"\[?\s*(特に力を入れて行っている|特に力を入れている|十分に行っている|十分に行っていない|十分である|"
                    r"課題が残されている)\s*\]?")
_BLANK = {"", "—", "-", "ー", "－", "―", "空白", "なし", "該当なし", "記載なし"}


@dataclass(frozen=True)
class CellValue:
    """A value with its option list (empty for free text)."""

    value: str
    options: tuple[str, ...] = ()
    choice: bool = False


def _tidy(s: str) -> str:
    s = re.sub(r"[☐☑]", " ", s)
    s = re.sub(r"\[\s*\]", " ", s)
    return re.sub(r"\s+", " ", s).strip(" \t　")


def parse_options(text: str) -> tuple[str, ...]:
    """"1) 委託する 2) 委託しない" -> ("委託する", "委託しない")."""
    return tuple(m.group(1).strip() for m in _OPTION.finditer(text.strip()))


def read_value(text: str) -> CellValue:
    """The value a cleaned cell states: selected option, marked options, or the text itself."""
    text = text.strip()
    parts = _OPTIONS_MARK.split(text, maxsplit=1)
    if len(parts) == 2:
        before, after = parts
        options = parse_options(re.split(r"\s\(\s*\d*\s*\)\s*件", after)[0])
        m = _SELECTED.search(before)
        selected = _tidy(m.group(1)) if m else ""
        if not selected and _tidy(before) in options:  # one option's words between unticked boxes ("☐ 十分に行っている
            selected = _tidy(before)                      # ☐ <選択肢> 1) …"): the cell shows its selection
        if not selected:  # some forms put the selection after the option list: "… 10) 定められていない [定められていない]"
            late = re.findall(r"\[\s*([^\[\]☐☑○]+?)\s*\]", after)
            selected = _tidy(late[-1]) if late else ""
            options = tuple(re.sub(r"\s*\[[^\]]*\]\s*$", "", o) for o in options)
        return CellValue(selected, options, True)
    marked = [_tidy(m.group(1)) for m in _MARKED.finditer(text)]
    if marked:
        return CellValue("、".join(x for x in marked if x), (), True)
    if "☐" not in text and len(_EMPTY_BOX.findall(text)) >= 2:  # boxes, none ticked: the form leaves it unselected
        return CellValue("", (), True)
    if "☑" in text and not re.search(r"[\[\]]", text):  # bare boxes: the ticked ones' words (a cell may repeat them)
        ticked = dict.fromkeys(_tidy(m.group(2)) for m in _BOX.finditer(text) if m.group(1) == "☑")
        return CellValue("、".join(x for x in ticked if x), (), True)
    m = re.fullmatch(r"\[\s*([^\[\]☐☑]*?)\s*\]?", text)
    if m and text.startswith("["):
        return CellValue(_tidy(m.group(1)), (), True)
    return CellValue(_tidy(text))


def is_blank(value: str) -> bool:
    """True for a value that states nothing (blank, dash, 空白)."""
    return re.sub(r"\s+", "", value) in _BLANK
