"""More of the same: "Anything else?", 「他には？」 after a one-city answer from a row of prose — the row's next
statement the conversation has not shown yet, or "nothing more" when the row states no other."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from piaqa.answer.describe import LABEL_MAX, clause, unit_citation, CiteFn
from piaqa.records import Answer, Unit
from piaqa.text import unnumbered

# a sentence that qualifies the one before it (「なお、…」「ただし、…」): part of what that one says, not another
# statement of the row (「また、…」「さらに、…」 add one: they are statements of their own)
QUALIFIES = re.compile(r"^(なお|尚|ただし|但し)[、,，]")


def next_statement(row: Sequence[Unit], last: Unit, shown: Collection[int]) -> Unit | None:
    """The row's statement nearest the last one shown that the conversation has not shown (a following one before a
    preceding one at the same distance); a qualifying sentence only when the row has no other; None when the row
    has nothing more."""
    rest = [u for u in row if u.id not in shown and u.id != last.id]

    def nearest(units: list[Unit]) -> Unit | None:
        return min(units, key=lambda u: (abs(u.id - last.id), u.id < last.id), default=None)

    return nearest([u for u in rest if not QUALIFIES.match(u.text)]) or nearest(rest)


def _label(unit: Unit) -> str:
    label = unnumbered((unit.label or (unit.path[-1] if unit.path else "")).strip())
    return label if len(label) <= LABEL_MAX else label[:LABEL_MAX - 1] + "…"


def more_answer(question: str, lang: str, unit: Unit, weight: Callable[[str], float], cite: CiteFn) -> Answer:
    """The row's next statement, quoted as a prose answer quotes its sentence (the clause of it that weighs most for
    the thread's question), said to be another statement of the same row."""
    quote = clause(unit.text, weight)
    if lang == "en":
        text = f"{unit.city} ({_label(unit)}) also states: \u201c{quote}\u201d [1]"
    else:
        text = f"{unit.city}（{_label(unit)}）には、ほかに次の記載があります: 「{quote}」 [1]"
    return Answer(question, text, (unit_citation(cite, unit),), cities=(unit.city,), kind="describe")


def nothing_more(question: str, lang: str, last: Unit, cite: CiteFn) -> Answer:
    """The row states nothing the conversation has not shown: say so, citing the last statement shown."""
    if lang == "en":
        text = f"{last.city}'s assessment states nothing more on this ({_label(last)}) than what was quoted. [1]"
    else:
        text = f"{last.city}の評価書には、この点（{_label(last)}）についてこれ以上の記載はありません。 [1]"
    return Answer(question, text, (unit_citation(cite, last),), answerable=False, cities=(last.city,),
                  kind="blank")


def nothing_to_continue(question: str, lang: str) -> Answer:
    """The last answer quoted no statement to go on from (a which-cities answer, a name, "not stated"): say so, and
    how to ask."""
    if lang == "en":
        text = ("The last answer quoted no passage to go on from. Ask about what you want to know, e.g. \"What else "
                "does Koriyama do to train its staff?\"")
    else:
        text = "前の回答には続きを示せる記載の引用がありません。知りたいことを具体的にお尋ねください（例:「郡山市は職員にどんな研修をしていますか」）。"
    return Answer(question, text, (), answerable=False, kind="abstain")

