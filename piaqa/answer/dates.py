"""Dates compared: 「保有開始日が平成28年より前」, 「令和5年以降」, "before March 2016", "in 2022 or earlier".

The forms write dates in Japanese eras (令和5年3月31日); a question names a year, a month or a day, in an era
or in the Western calendar, and compares with it before or after, inclusive or not. The named period is an
interval (令和5年 is 2023-01-01 … 2023-12-31; 令和5年度 is 2023-04-01 … 2024-03-31): "以降 / since" counts
from its start, "以前 / until" to its end, "より前 / before" ends before its start, "より後 / after" begins
after its end.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from piaqa.text import nfkc

_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | \
          {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
# a date in Japanese: 令和5年3月31日, 令和元年, 令和5年度, 2023年4月, 2023/4/1
_JA_DATE = (r"(?:(?P<era>令和|平成|昭和)\s*(?P<ey>\d{1,2}|元)|(?P<wy>(?:19|20)\d{2}))\s*(?:年度(?P<fy>)|年|/|-)"
            r"(?:\s*(?P<m>\d{1,2})\s*(?:月|/|-)(?:\s*(?P<d>\d{1,2})\s*日?)?)?")
_VALUE_DATE = re.compile(_JA_DATE)
_AFTER_JA = r"以降|以後|から|より後|の後|を過ぎて|以上"
_BEFORE_JA = r"以前|まで|までに|より前|の前|前に|以下|未満"
_QUESTION_JA = re.compile(rf"{_JA_DATE}\s*(?P<op>{_AFTER_JA}|{_BEFORE_JA})")
# an era alone: 「令和に入ってから」 counts from its first day, 「平成より前」 ends before it
_ERA_START = {"令和": date(2019, 5, 1), "平成": date(1989, 1, 8), "昭和": date(1926, 12, 25)}
_ERA_ALONE = re.compile(rf"(?P<era>令和|平成|昭和)(?:に入って)?\s*(?P<op>{_AFTER_JA}|{_BEFORE_JA})")
_EN_DATE = r"(?:(?P<mon>[A-Za-z]{3,9})\.?\s+(?:(?P<day>\d{1,2}),?\s+)?)?(?P<year>(?:19|20)\d{2})"
_QUESTION_EN = re.compile(rf"\b(?P<op>on or after|on or before|no later than|no earlier than|not before|not after|"
                          rf"before|after|since|from|until|till|by|prior to|later than|earlier than)\s+{_EN_DATE}"
                          rf"|\bin\s+{_EN_DATE.replace('P<', 'P<x')}\s+or\s+(?P<xop>earlier|before|later|after)", re.I)
_INCLUSIVE_FROM = {"以降", "以後", "から", "以上", "since", "from", "on or after", "no earlier than", "not before"}
_AFTER_END = {"より後", "の後", "を過ぎて", "after", "later than"}
_BEFORE_START = {"より前", "の前", "前に", "未満", "before", "prior to", "earlier than"}
# the rest (以前, まで, までに, 以下, until, till, by, on or before, no later than, not after, or earlier) run to the end


@dataclass(frozen=True)
class DateCondition:
    """A date compared: on or after `start` (op ">="), after `end` (">"), before `start` ("<"), on or before
    `end` ("<="), where start … end is the period the question names."""

    start: date
    end: date
    op: str

    def holds(self, when: date) -> bool:
        """Whether a date satisfies the comparison."""
        return {">=": when >= self.start, ">": when > self.end, "<": when < self.start,
                "<=": when <= self.end}[self.op]

    def shown(self) -> str:
        """The comparison in words: 「2016-01-01より前」."""
        return {">=": f"{self.start.isoformat()}以降", ">": f"{self.end.isoformat()}より後",
                "<": f"{self.start.isoformat()}より前", "<=": f"{self.end.isoformat()}以前"}[self.op]


def _year(m: re.Match[str]) -> int:
    """The Western year of a matched Japanese date (令和5 -> 2023, 令和元 -> 2019, 2023 -> 2023)."""
    if era := m.group("era"):
        n = m.group("ey")
        return _ERA_BASE[era] + (1 if n == "元" else int(n))
    return int(m.group("wy"))


def _period(year: int, month: int | None, day: int | None, fiscal: bool) -> tuple[date, date] | None:
    """The first and last day of a year, fiscal year (April–March), month or day; None for an impossible date."""
    try:
        if fiscal:
            return date(year, 4, 1), date(year + 1, 3, 31)
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def _op(word: str) -> str:
    w = word.lower()
    if w in _INCLUSIVE_FROM:
        return ">="
    if w in _AFTER_END:
        return ">"
    if w in _BEFORE_START:
        return "<"
    return "<="


def date_condition(question: str) -> DateCondition | None:
    """The date a which-cities question compares with, if any."""
    q = nfkc(question)
    if m := _ERA_ALONE.search(q):
        start = _ERA_START[m.group("era")]
        return DateCondition(start, start, ">=" if _op(m.group("op")) in (">=", ">") else "<")
    if m := _QUESTION_JA.search(q):
        period = _period(_year(m), int(m.group("m")) if m.group("m") else None,
                         int(m.group("d")) if m.group("d") else None, m.group("fy") is not None)
        return DateCondition(*period, _op(m.group("op"))) if period else None
    if m := _QUESTION_EN.search(q):
        p = "" if m.group("op") else "x"
        month_name = (m.group(f"{p}mon") or "").lower()
        month = _MONTHS.get(month_name)
        if month_name and month is None:
            return None  # "before the 2016 …": not a month
        day = m.group(f"{p}day")
        period = _period(int(m.group(f"{p}year")), month, int(day) if day and month else None, False)
        if period is None:
            return None
        word = m.group("op") or {"earlier": "until", "before": "until", "later": "since", "after": "since"}[
            m.group("xop").lower()]
        return DateCondition(*period, _op(word))
    return None


def dates_in(value: str) -> list[date]:
    """The dates a field's value states (令和5年3月31日, a range's both ends); a year or month alone is its first day."""
    out = []
    for m in _VALUE_DATE.finditer(nfkc(value)):
        period = _period(_year(m), int(m.group("m")) if m.group("m") else None,
                         int(m.group("d")) if m.group("d") else None, m.group("fy") is not None)
        if period:
            out.append(period[0])
    return out
