"""Which (other) cities state what an earlier one-city answer stated ("Who else uses the same company?",
「同じ区分の市はほかにある？」, "Which other cities do that too?"): every city's own evidence compared with it.

A row's value is crisp (a choice, a band, a company, a list of methods), so it is compared with the namesake rows:
exactly where the form offers options, by the longest shared run of characters where it does not (a company with
another branch is the same company). A prose statement is compared with each document's sentence that shares most
of its words: another city says the same thing in other words, so a share of the words decides (STATED_SHARE).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from piaqa.answer.aggregate import NOT_STATED
from piaqa.answer.choose import squash, value_named
from piaqa.answer.lookup import shorten
from piaqa.answer.whichcities import PROSE_CANDIDATES, PROSE_COVERAGE_RANK
from piaqa.parse.choice import is_blank
from piaqa.records import Answer, Citation, DocMeta, Field, Row, Unit
from piaqa.search.fieldsearch import FieldIndex
from piaqa.search.unitsearch import UnitHit, UnitSearcher
from piaqa.understand.followup import ALIKE

# a row value longer than this (normalised characters) is a paragraph of prose, not a value to compare (the longest
# company name in the corpus is 26; 使用部署 lists run to ~45, 消去方法 paragraphs to hundreds)
ROW_VALUE_MAX = 60
# a document states what a sentence states when its sentence sharing most of the words holds this idf-weighted
# share of them (a word only in the sentence's heading or row label counts half). Fitted on bench/dev21_alike
# (24 prose answers, 96 other-city decisions; the source sentence the gold line's unit): accuracy 80 of 96 at
# 0.465, 79 of 96 on 5-fold cross-validation over conversations (every fold chose 0.465-0.469); adding the
# sentences' cosine, the share of the answer's words the question lacks, or of the question's words, gained nothing
# under cross-validation (73-77). By bench/fit_alike.py; checked on bench/fresh21_others (never fitted on),
# 2026-12-05.
STATED_SHARE = 0.465
_SHOWN = 80  # characters of a city's sentence shown in its row

CiteFn = Callable[[str, int, int, str], Citation]


@dataclass(frozen=True)
class RowSource:
    """What the earlier answer stated from a form row: its label and values, in its city's document."""

    city: str
    doc: str
    label: str
    values: tuple[str, ...]
    exclusive: bool  # "other", "else", ほか: the earlier city is not among those named


@dataclass(frozen=True)
class SentenceSource:
    """What the earlier answer stated from prose: the sentence it quoted."""

    city: str
    unit: Unit
    exclusive: bool


@dataclass(frozen=True)
class Decision:
    """One document's evidence and whether it states the same."""

    meta: DocMeta
    value: str  # what the document states ("" when nothing)
    cited: Field | Unit | None  # where
    same: bool


def comparable(answer: Answer) -> bool:
    """Whether an answer stated short values of one city's form row (namesake rows can be compared with it)."""
    rows = answer.fields or ((answer.field,) if answer.field is not None else ())
    return answer.kind == "field" and len(answer.cities) == 1 and bool(rows) \
        and all(not is_blank(f.value) and len(squash(f.value)) <= ROW_VALUE_MAX for f in rows)


def row_source(answer: Answer, exclusive: bool) -> RowSource:
    """The row source of a `comparable` answer."""
    rows = answer.fields or ((answer.field,) if answer.field is not None else ())
    first = rows[0]
    return RowSource(answer.cities[0], first.doc, first.label, tuple(dict.fromkeys(f.value for f in rows)),
                     exclusive)


def same_value(source: str, row: Field) -> bool:
    """Whether a row states the source value: the same option of a choice row; otherwise the same text, or most
    of the source's (a shared run of at least half of it: 富士通Japan株式会社岡山支社 and 富士通Japan株式会社 福島支社)."""
    if squash(source) == squash(row.value):
        return True
    return not row.options and value_named(source, row.value)


def row_alike(question: str, lang: str, source: RowSource, metas: Sequence[DocMeta], fields: FieldIndex,
              cite: CiteFn) -> Answer:
    """Every document's rows of the source's label compared with its values."""
    decisions = []
    for meta in metas:
        own = [f for f in fields.of(source.label, [meta.doc]) if not is_blank(f.value)]
        match = next((f for f in own if any(same_value(v, f) for v in source.values)), None)
        shown = match or (own[0] if own else None)
        decisions.append(Decision(meta, shown.value if shown else "", shown, match is not None))
    what = " / ".join(source.values)
    return _answer(question, lang, source.city, source.exclusive, decisions, cite,
                   head_en=f"the same {source.label} as {source.city} ({what})",
                   head_ja=f"{source.city}と同じ{source.label}（{what}）の")


def sentence_alike(question: str, lang: str, source: SentenceSource, metas: Sequence[DocMeta],
                   units: UnitSearcher, cite: CiteFn) -> Answer:
    """Every other document's sentence sharing most of the source sentence's words, and whether it shares enough."""
    text = source.unit.text
    closest = closest_sentences(units, text, [m.doc for m in metas if m.doc != source.unit.doc])
    decisions = []
    for meta in metas:
        if meta.doc == source.unit.doc:
            decisions.append(Decision(meta, text, source.unit, True))
            continue
        best = closest.get(meta.doc)
        decisions.append(Decision(meta, best.unit.text if best else "", best.unit if best else None,
                                  best is not None and best.coverage >= STATED_SHARE))
    quoted = shorten(text, 40)
    return _answer(question, lang, source.city, source.exclusive, decisions, cite,
                   head_en=f"what {source.city} states (“{quoted}”)", head_ja=f"{source.city}と同じ記載（「{quoted}」）のある")


def closest_sentences(units: UnitSearcher, text: str, docs: Sequence[str]) -> dict[str, UnitHit | None]:
    """Each document's sentence holding the largest share of a sentence's words (among its best PROSE_CANDIDATES,
    found as a which-cities prose atom's are), with that share as its coverage; None for a document without one."""
    hits = units.search_each(text, units.content_tokens(text), docs, k=PROSE_CANDIDATES,
                             coverage_weight=PROSE_COVERAGE_RANK)
    return {d: max(hits.get(d, []), key=lambda h: h.coverage, default=None) for d in docs}


def _answer(question: str, lang: str, city: str, exclusive: bool, decisions: Sequence[Decision], cite: CiteFn, *,
            head_en: str, head_ja: str) -> Answer:
    """The cities that state the same (the asked-about one left out when others are asked for), every city's row;
    `head_en` / `head_ja` say what they were compared with."""
    rows: list[Row] = []
    citations: list[Citation] = []
    named: list[str] = []
    for d in decisions:
        index = None
        if d.cited is not None:
            citations.append(cite(d.meta.doc, d.cited.line_start, d.cited.line_end, " > ".join(d.cited.path)))
            index = len(citations) - 1
        rows.append(Row(d.meta.city, d.meta.jimu, shorten(d.value, _SHOWN) if d.value else
                        NOT_STATED.get(lang, NOT_STATED["ja"]), d.same, index))
        if d.same and not (exclusive and d.meta.city == city) and d.meta.city not in named:
            named.append(d.meta.city)
    order = sorted(range(len(rows)), key=lambda i: (rows[i].city != city, not rows[i].satisfied))
    n = len({d.meta.city for d in decisions} - ({city} if exclusive else set()))  # the source may be out of scope
    if lang == "en":
        text = (f"{len(named)} of {n} {'other ' if exclusive else ''}cities state {head_en}: "
                f"{', '.join(named) or 'none'}.")
    else:
        text = f"{head_ja}{'ほかの' if exclusive else ''}市は{n}市中{len(named)}市: {'、'.join(named) or 'なし'}。"
    return Answer(question, text, tuple(citations), cities=tuple(named), rows=tuple(rows[i] for i in order),
                  kind=ALIKE)
