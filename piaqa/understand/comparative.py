"""Comparatives after a number, Japanese and English: the closed class a count or a band is compared by.

One table for every comparison of a number (rows counted, people in a band), so 「10人に満たない」 and
"below 10 people" read the same wherever a number is compared.
"""
from __future__ import annotations

import re

# (expression, operator): the expressions follow the number (and its unit); longest first where they share a start
_JA: tuple[tuple[str, str], ...] = (
    ("以上", ">="), ("以下", "<="), ("未満", "<"), ("以内", "<="), ("超", ">"),
    ("を超え", ">"), ("を超過", ">"), ("を上回", ">"), ("より多", ">"),
    ("を下回", "<"), ("より少な", "<"), ("に満たな", "<"), ("に達していな", "<"), ("に達しな", "<"),
    ("に届いていな", "<"), ("に届かな", "<"),
)
# (expression, operator): the expressions precede the number
_EN_BEFORE: tuple[tuple[str, str], ...] = (
    ("at least", ">="), ("no less than", ">="), ("not less than", ">="),
    ("more than", ">"), ("greater than", ">"), ("over", ">"), ("above", ">"), ("exceeding", ">"),
    ("fewer than", "<"), ("less than", "<"), ("under", "<"), ("below", "<"),
    ("at most", "<="), ("no more than", "<="), ("not more than", "<="), ("up to", "<="),
)
# "N or more", "N or fewer": the word after "or"
_EN_AFTER: tuple[tuple[str, str], ...] = (("more", ">="), ("fewer", "<="), ("less", "<="))

JA = "|".join(re.escape(e) for e, _ in _JA)  # a regex alternation of the Japanese expressions
EN_BEFORE = "|".join(re.escape(e) for e, _ in _EN_BEFORE)
EN_AFTER = "|".join(re.escape(e) for e, _ in _EN_AFTER)
# … the English ones giving a lower bound ("at least", "more than") and an upper one ("fewer than", "up to")
EN_LOWER = "|".join(re.escape(e) for e, op in _EN_BEFORE if op in (">=", ">"))
EN_UPPER = "|".join(re.escape(e) for e, op in _EN_BEFORE if op in ("<", "<="))
_OPERATORS = {e: op for e, op in (*_JA, *_EN_BEFORE)}
_AFTER = dict(_EN_AFTER)


def operator(expression: str) -> str:
    """The operator of a matched comparative (「に満たな」 → "<", "at least" → ">=")."""
    return _OPERATORS[re.sub(r"\s+", " ", expression.lower())]


def operator_after_or(word: str) -> str:
    """The operator of "N or more / fewer / less"."""
    return _AFTER[word.lower()]
