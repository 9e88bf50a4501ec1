"""Which (other) cities state what an earlier answer stated from a form row ("Who else uses the same company?",
「同じ区分の市はほかにある？」 after a one-city answer): the row's value compared with every document's namesake rows.

A row's value is crisp (a choice, a band, a company, a list of methods), so the comparison is exact where the form
offers options and by the longest shared run of characters where it does not (a company with another branch is
the same company). A prose statement is not compared here: its words and another city's differ even when they say
the same thing, and piaqa's judge of prose conditions was fitted on questions, not on sentences.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from piaqa.answer.aggregate import NOT_STATED
from piaqa.answer.choose import squash, value_named
from piaqa.parse.choice import is_blank
from piaqa.records import Answer, Citation, DocMeta, Field, Row
from piaqa.search.fieldsearch import FieldIndex

# a row value longer than this (normalised characters) is a paragraph of prose, not a value to compare (the longest
# company name in the corpus is 26; 使用部署 lists run to ~45, 消去方法 paragraphs to hundreds)
ROW_VALUE_MAX = 60

CiteFn = Callable[[str, int, int, str], Citation]


@dataclass(frozen=True)
class Source:
    """What the earlier answer stated: its row's label and values, in its city's document."""

    city: str
    doc: str
    label: str
    values: tuple[str, ...]
    exclusive: bool  # "other", "else", ほか: the earlier city is not among those named


def comparable(answer: Answer) -> bool:
    """Whether an answer stated short values of one form row (a row a city's namesake rows can be compared with)."""
    rows = answer.fields or ((answer.field,) if answer.field is not None else ())
    return answer.kind == "field" and len(answer.cities) == 1 and bool(rows) \
        and all(not is_blank(f.value) and len(squash(f.value)) <= ROW_VALUE_MAX for f in rows)


def source_of(answer: Answer, exclusive: bool) -> Source:
    """The source of a `comparable` answer."""
    rows = answer.fields or ((answer.field,) if answer.field is not None else ())
    first = rows[0]
    return Source(answer.cities[0], first.doc, first.label, tuple(dict.fromkeys(f.value for f in rows)), exclusive)


def same_value(source: str, row: Field) -> bool:
    """Whether a row states the source value: the same option of a choice row; otherwise the same text, or most
    of the source's (a shared run of at least half of it: 富士通Japan株式会社岡山支社 and 富士通Japan株式会社 福島支社)."""
    if squash(source) == squash(row.value):
        return True
    return not row.options and value_named(source, row.value)


def alike_answer(question: str, lang: str, source: Source, metas: Sequence[DocMeta], fields: FieldIndex,
                 cite: CiteFn) -> Answer:
    """Every document's rows of the source's label compared with its values: the cities that state one of them."""
    rows: list[Row] = []
    citations: list[Citation] = []
    named: list[str] = []
    for meta in metas:
        own = [f for f in fields.of(source.label, [meta.doc]) if not is_blank(f.value)]
        match = next((f for f in own if any(same_value(v, f) for v in source.values)), None)
        shown = match or (own[0] if own else None)
        index = None
        if shown is not None:
            citations.append(cite(shown.doc, shown.line_start, shown.line_end, " > ".join(shown.path)))
            index = len(citations) - 1
        value = shown.value if shown is not None else NOT_STATED.get(lang, NOT_STATED["ja"])
        is_source = meta.doc == source.doc
        rows.append(Row(meta.city, meta.jimu, value, match is not None, index))
        if match is not None and not (is_source and source.exclusive) and meta.city not in named:
            named.append(meta.city)
    order = sorted(range(len(rows)), key=lambda i: (rows[i].city != source.city, not rows[i].satisfied))
    what = " / ".join(source.values)
    n = len({m.city for m in metas}) - (1 if source.exclusive else 0)
    if lang == "en":
        others = "other " if source.exclusive else ""
        text = (f"{len(named)} of {n} {others}cities state the same {source.label} as {source.city} ({what}): "
                f"{', '.join(named) or 'none'}.")
    else:
        others = "ほかの" if source.exclusive else ""
        text = (f"{source.city}と同じ{source.label}（{what}）の{others}市は{n}市中{len(named)}市: "
                f"{'、'.join(named) or 'なし'}。")
    return Answer(question, text, tuple(citations), cities=tuple(named), rows=tuple(rows[i] for i in order),
                  kind="aggregate")
