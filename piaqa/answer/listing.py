"""Listing and comparison answers: every city's value of one target, ranked or side by side.

Each city's value is the ordinary single-document answer (field, prose or "not stated"), so a listing
is exactly as good as the lookups it is made of; its table has one row per document with the city's
answer and a citation. "Which city has the most X" counts the values each document states for X (one
per cited row: 委託先 of each 委託事項, each 提供先 …) and names the largest (or smallest) count.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from piaqa.records import Answer, Citation, DocMeta, Row
from piaqa.understand.intent import COMPARE, EACH, FEWEST, MOST, ListRequest

_MARK = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class CityValue:
    """One document's answer for the target and how many values it states."""

    meta: DocMeta
    answer: Answer | None

    @property
    def stated(self) -> bool:
        return self.answer is not None and self.answer.answerable and bool(self.answer.citations)

    @property
    def count(self) -> int:
        """Values the document states for the target: the rows its field answer stands on (1 for prose)."""
        if not self.stated or self.answer is None:
            return 0
        if self.answer.kind != "field" or not self.answer.fields:
            return 1
        return len(self.answer.fields)


def renumber(text: str, offset: int) -> str:
    """An answer's [n] markers shifted by `offset` (its citations are appended after `offset` others)."""
    return _MARK.sub(lambda m: f"[{int(m.group(1)) + offset}]", text)


def list_answer(question: str, lang: str, request: ListRequest, metas: Sequence[DocMeta],
                answer_for: Callable[[str, DocMeta], Answer | None]) -> Answer:
    """The listing or comparison `request` asks for, over the documents of `metas` (in corpus order)."""
    values = [CityValue(m, answer_for(request.target, m)) for m in metas]
    citations: list[Citation] = []
    rows: list[Row] = []
    lines: list[str] = []
    for v in values:
        if v.stated and v.answer is not None:
            lines.append(renumber(v.answer.text, len(citations)) if request.kind in (EACH, COMPARE)
                         else _count_line(v, lang, len(citations)))
            rows.append(Row(v.meta.city, v.meta.jimu, _plain(v.answer.text), True, len(citations)))
            citations.extend(v.answer.citations)
        else:
            lines.append(f"{v.meta.city}: " + ("not stated" if lang == "en" else "記載なし"))
            rows.append(Row(v.meta.city, v.meta.jimu, "not stated" if lang == "en" else "記載なし", False, None))
    cities = _chosen(values, request.kind)
    head = _head(request, cities, values, lang)
    body = "\n".join(f"- {line}" for line in lines)
    return Answer(question, f"{head}\n{body}", tuple(citations), answerable=bool(cities), cities=cities,
                  rows=tuple(rows), kind="list")


def _chosen(values: Sequence[CityValue], kind: str) -> tuple[str, ...]:
    """The cities the answer names: every city that states a value, or those with the extreme count."""
    stated = [v for v in values if v.stated]
    if kind in (EACH, COMPARE) or not stated:
        return tuple(dict.fromkeys(v.meta.city for v in stated))
    counts = [v.count for v in stated]
    best = max(counts) if kind == MOST else min(counts)
    return tuple(dict.fromkeys(v.meta.city for v in stated if v.count == best))


def _count_line(v: CityValue, lang: str, offset: int) -> str:
    values = "; ".join(dict.fromkeys(f.value for f in v.answer.fields)) if v.answer is not None else ""
    count = f"{v.count}" if lang == "en" else f"{v.count}件"
    return f"{v.meta.city}: {count}" + (f" ({values})" if values else "") + f" [{offset + 1}]"


def _head(request: ListRequest, cities: tuple[str, ...], values: Sequence[CityValue], lang: str) -> str:
    names = ", ".join(cities) if lang == "en" else "、".join(cities)
    if request.kind in (MOST, FEWEST):
        n = next((v.count for v in values if v.meta.city in cities), 0)
        if lang == "en":
            return f"{'Most' if request.kind == MOST else 'Fewest'} {request.target}: {names} ({n})."
        return f"{request.target}が最も{'多い' if request.kind == MOST else '少ない'}のは{names}（{n}件）。"
    if lang == "en":
        return f"{request.target} — {len(cities)} of {len(values)} documents state it:"
    return f"{request.target}（{len(values)}件中{len(cities)}件に記載）:"


def _plain(text: str) -> str:
    """An answer's text for a table cell: markers dropped, one line."""
    return re.sub(r"\s+", " ", _MARK.sub("", text)).strip()
