"""Follow-up questions: rewrite "千葉市は？" / "その委託先は？" against the previous turn."""
from __future__ import annotations

import re
from collections.abc import Sequence

from .records import Answer
from .understand import Understander

Turn = tuple[str, Answer]  # (question, answer) of an earlier turn
_ANAPHORA = re.compile(r"^(その|それの|そこの|同じく|では|じゃあ|and |what about |how about |its )", re.I)
_FOLLOW_ASK = re.compile(r"委託|再委託|期間|日|人数|名|方法|場所|who|what|when|where|how many", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _short(question: str) -> bool:
    """A few words: a follow-up rather than a question of its own."""
    if _CJK.search(question):
        return len(re.sub(r"[\s、。？?！!]", "", question)) <= 12
    return len(question.split()) <= 4


def aggregate_city(question: str, history: Sequence[Turn], understander: Understander) -> str | None:
    """The city a follow-up asks about after a which-cities answer ("千葉市は？"), else None."""
    if not history or not history[-1][1].kind.startswith("aggregate"):
        return None
    cities = understander.cities_in(question)
    if len(cities) != 1 or len(re.sub(r"[\s、。？?！!]", "", question)) > 16 or _FOLLOW_ASK.search(question):
        return None
    return cities[0]


def rewrite(question: str, history: Sequence[Turn], understander: Understander) -> str:
    """The follow-up as a full question (unchanged when it stands on its own)."""
    if not history or understander.understand(question).aggregate:
        return question
    prev_q, prev_a = history[-1]
    new_cities = understander.cities_in(question)
    if new_cities and _short(question) and not _FOLLOW_ASK.search(question):
        old = understander.cities_in(prev_q)
        if not old:
            return f"{new_cities[0]}の" + prev_q
        out = prev_q
        for o in old:
            out = out.replace(o, new_cities[0]).replace(o.rstrip("市"), new_cities[0].rstrip("市"))
        return out
    if not new_cities and (_short(question) or _ANAPHORA.search(question)):
        cities = list(prev_a.cities) or understander.cities_in(prev_q)
        if len(cities) == 1:
            body = _ANAPHORA.sub("", question)
            return f"{cities[0]}の{body}" if _CJK.search(body) else f"{body} ({cities[0]})"
    return question
