"""Which row holds a value the question gives.

「高知市の本人確認情報ファイルで、『リスクへの対策は十分か』が『課題が残されている』となっているのはどのリスク？」
names the item (リスクへの対策は十分か) and one of its values; the rows of that item differ in value, so what is
asked is the row — its file, item and the risk heading it sits under — not the value. Read as grammar: an
interrogative determiner (どの, どれ, which) and a value of the item written in the question.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from piaqa.answer.choose import squash, value_given
from piaqa.parse.choice import is_blank
from piaqa.parse.units import RISK_HEADING
from piaqa.records import Answer, Citation, Document, Field
from piaqa.text import clean_line
from piaqa.understand.query import Query

WHICH_ROWS = "which-rows"  # the answer kind: rows named, not a value stated (no prose answer replaces it)
HEADING_SEARCH = 40  # lines above a row searched for its risk heading when the row's section is unknown

CiteFn = Callable[[str, int, int, str], Citation]


def rows_with_given_value(query: Query, fields: Sequence[Field]) -> list[Field]:
    """The rows whose value the question writes, when it asks which one and other rows of the item hold another
    value ([] otherwise: then the value itself is what is asked)."""
    if not query.asks_which:
        return []
    stated = [f for f in fields if not is_blank(f.value)]
    if len({squash(f.value) for f in stated}) < 2:
        return []
    given = [f for f in stated if value_given(f.value, query.text)]
    return given if given and len({squash(f.value) for f in given}) == 1 else []


def heading_above(doc: Document, f: Field) -> str:
    """The risk heading ("リスク4: 特定個人情報ファイルが不正に複製されるリスク") a row sits under, or ""."""
    section = next((s for s in doc.sections if s.path == f.path and s.line_start <= f.line_start <= s.line_end), None)
    first = section.line_start if section else max(1, f.line_start - HEADING_SEARCH)
    for no in range(f.line_start - 1, first - 1, -1):
        cell = clean_line(doc.lines[no - 1].split("\t")[0])
        if RISK_HEADING.match(cell):
            return cell
    return ""


def which_rows(question: str, lang: str, rows: Sequence[Field], doc: Document, cite: CiteFn) -> Answer:
    """The rows that hold the given value, each named by its file, item and risk heading, and cited."""
    meta = doc.meta
    parts, cits = [], []
    rows = sorted(rows, key=lambda f: f.line_start)  # in the document's order
    for i, f in enumerate(rows, 1):
        where = " ".join(dict.fromkeys(x for x in (f.file_name, f.item, heading_above(doc, f)) if x))
        parts.append(f"{where or f.label} [{i}]")
        cits.append(cite(f.doc, f.line_start, f.line_end, " > ".join(f.path)))
    label, value = rows[0].label, rows[0].value
    if lang == "en":
        text = f"{meta.city} ({meta.jimu}) — '{label}' is '{value}' for: {'; '.join(parts)}"
    else:
        text = f"{meta.city}で「{label}」が「{value}」となっているのは: {'、'.join(parts)}"
    return Answer(question, text, tuple(cits), cities=(meta.city,), kind=WHICH_ROWS, field=rows[0], fields=tuple(rows))
