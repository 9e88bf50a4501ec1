"""Quantities a text names — a period, or a number of times: 「5年間」「年1回」「6か月ごと」, "five years", "once a year",
"every 6 months" — read the same in Japanese and English, so that a which-cities condition naming one is met only by a
sentence stating the same quantity ("keep access logs for five years": a city keeping them seven years does not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from piaqa.text import nfkc


@dataclass(frozen=True)
class Quantity:
    """A number with its unit: (5, "year"), (1, "time")."""

    value: int
    unit: str  # year, month, week, day, hour, time


_UNITS_JA = {"年": "year", "か月": "month", "ヶ月": "month", "カ月": "month", "ケ月": "month", "ヵ月": "month",
             "箇月": "month", "週": "week", "日": "day", "時間": "hour", "回": "time"}
_WORDS_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12}
_ONCE_EN = {"once": 1, "twice": 2}
# periods named by a word of their own, not by a number: a quarter is three months, half a year six
_PERIODS_JA = {"四半期": Quantity(3, "month"), "半年": Quantity(6, "month")}
_PERIODS_EN = re.compile(r"\b(quarter(?:ly|s)?)\b|\b(half[\s-]a[\s-]year|half[\s-]year(?:ly)?|semi-?annual(?:ly)?)\b", re.I)
# a number of times in kanji numerals: 「四半期に一度」「年二回」 (digits are read by _JA)
_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TIMES_KANJI = re.compile(r"(?<![一二三四五六七八九十])([" + "".join(_KANJI_NUMBERS) + r"])[回度]")
# a number before a unit, not inside a date: 「令和3年」「2021年」 are years of the calendar and 「12月8日」 a day of a
# month (a calendar year needs an era name or four digits; a day of a month follows 月)
_JA = re.compile(r"(?<![\d月])(?<!令和)(?<!平成)(?<!昭和)(\d{1,3})\s*(" + "|".join(_UNITS_JA) + ")")
_EN = re.compile(r"\b(\d{1,3}|" + "|".join(_WORDS_EN) + r")[\s-]+(year|month|week|day|hour|time)s?\b"
                 r"|\b(" + "|".join(_ONCE_EN) + r")\b", re.I)


def quantities(text: str) -> frozenset[Quantity]:
    """The quantities a text names, Japanese and English alike."""
    t = nfkc(text)
    out = {Quantity(int(n), _UNITS_JA[u]) for n, u in _JA.findall(t)}
    out |= {q for word, q in _PERIODS_JA.items() if word in t}
    out |= {Quantity(_KANJI_NUMBERS[n], "time") for n in _TIMES_KANJI.findall(t)}
    out |= {Quantity(3, "month") if m.group(1) else Quantity(6, "month") for m in _PERIODS_EN.finditer(t)}
    for m in _EN.finditer(t):
        if m.group(3):
            out.add(Quantity(_ONCE_EN[m.group(3).lower()], "time"))
        else:
            n = m.group(1).lower()
            out.add(Quantity(int(n) if n.isdigit() else _WORDS_EN[n], m.group(2).lower()))
    return frozenset(out)


def states_quantities(wanted: frozenset[Quantity], text: str) -> bool:
    """Whether a text names every wanted quantity (true when none is wanted)."""
    return not wanted or wanted <= quantities(text)
