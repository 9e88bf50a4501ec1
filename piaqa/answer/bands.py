"""People-count bands compared with a number: 「使用者数が100人以上の市」, "at least 100,000 people".

The form records counts of people as bands chosen from fixed options (対象人数 「10万人以上30万人未満」,
使用者数 「50人以上100人未満」, 委託先における取扱者数 「10人未満」). A which-cities question compares such a band
with a number; a band decides it when it lies wholly on one side. A band across the number (10万人以上100万人
未満 against "50万人以上") cannot say, and is no evidence for the city.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from piaqa.text import nfkc
from piaqa.understand import comparative

_MAGNITUDE = {"": 1, "千": 1_000, "万": 10_000, "thousand": 1_000, "million": 1_000_000}
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# a band's bounds as the options spell them: 「1,000人以上」「1万人未満」
_LOWER = re.compile(rf"({_NUMBER})\s*(千|万)?\s*人\s*以上")
_UPPER = re.compile(rf"({_NUMBER})\s*(千|万)?\s*人\s*未満")
# a number of people compared in a question
_PEOPLE_JA = re.compile(rf"({_NUMBER})\s*(千|万)?\s*人\s*({comparative.JA})")
# what an English question counts
_NOUNS = r"(?:people|persons|individuals|residents|staff|employees|users|workers|personnel)"
_PEOPLE_EN = re.compile(rf"\b({comparative.EN_BEFORE})\s+"
                        rf"({_NUMBER})\s*(thousand|million)?\s+(?:\w+\s+){{0,2}}?({_NOUNS})\b"
                        rf"|\b({_NUMBER})\s*(thousand|million)?\s+or\s+({comparative.EN_AFTER})\s+(?:\w+\s+){{0,2}}?"
                        rf"({_NOUNS})\b"
                        rf"|\b({_NUMBER})\s*(thousand|million)?\s+"  # "10 people or more": the noun before "or"
                        rf"({_NOUNS})\s+or\s+({comparative.EN_AFTER})\b", re.I)
# a range of people in English: "between 100 and 500 staff"; "at least 10 but fewer than 50 people", "10 or more but
# under 50 workers" (a lower bound, then but / and, then an upper one, then what is counted)
_RANGE_EN = re.compile(rf"\bbetween\s+(?P<a>{_NUMBER})\s*(?P<am>thousand|million)?\s+and\s+(?P<b>{_NUMBER})\s*"
                       rf"(?P<bm>thousand|million)?\s+(?:\w+\s+){{0,2}}?(?P<n1>{_NOUNS})\b"
                       rf"|\b(?:(?P<lop>{comparative.EN_LOWER})\s+)?(?P<lo>{_NUMBER})\s*"
                       rf"(?P<lom>thousand|million)?(?:\s+or\s+(?P<more>more))?\s*,?\s+(?:but|and)\s+"
                       rf"(?P<hop>{comparative.EN_UPPER})\s+"
                       rf"(?P<hi>{_NUMBER})\s*(?P<him>thousand|million)?\s+(?:\w+\s+){{0,2}}?(?P<n2>{_NOUNS})\b", re.I)
_SHOWN = {">=": "以上", "<=": "以下", "<": "未満", ">": "超"}


def _number(digits: str, magnitude: str | None) -> int:
    """「1,000」 + 「万」 -> 10,000,000."""
    return round(float(digits.replace(",", "")) * _MAGNITUDE[(magnitude or "").lower()])


@dataclass(frozen=True)
class Band:
    """People counted as a band: lo ≤ count < hi (hi None: no upper bound)."""

    lo: int
    hi: int | None


def parse_band(value: str) -> Band | None:
    """The band a value states (「10万人以上30万人未満」, 「30万人以上」, 「10人未満」); None for anything else."""
    v = nfkc(value)
    lower, upper = _LOWER.search(v), _UPPER.search(v)
    if lower is None and upper is None:
        return None
    lo = _number(lower.group(1), lower.group(2)) if lower else 0
    hi = _number(upper.group(1), upper.group(2)) if upper else None
    if hi is not None and hi <= lo:
        return None
    return Band(lo, hi)


@dataclass(frozen=True)
class BandCondition:
    """A number of people a band is compared with: count `op` n (and, for a range, the `upper` bound too)."""

    n: int
    op: str  # ">=", ">", "<=", "<"
    noun: str = ""  # what an English question counts ("people", "staff"): names the field when no label matched
    upper: BandCondition | None = None  # a range's upper bound (「10人以上50人未満」, "between 100 and 500 staff")

    def decides(self, band: Band) -> bool | None:
        """True when every count in the band satisfies the comparison (a range: both bounds), False when none does
        (a range: either bound), None when the band lies across a number (counts are whole people: ≤ n is < n + 1,
        > n is ≥ n + 1)."""
        if self.upper is not None:
            both = (replace(self, upper=None).decides(band), self.upper.decides(band))
            return False if False in both else True if all(both) else None
        lo, hi = band.lo, band.hi  # lo ≤ count < hi
        at_least = {">=": self.n, ">": self.n + 1}.get(self.op)
        below = {"<": self.n, "<=": self.n + 1}.get(self.op)
        if at_least is not None:
            if lo >= at_least:
                return True
            return False if hi is not None and hi <= at_least else None
        if hi is not None and hi <= below:
            return True
        return False if lo >= below else None

    def shown(self) -> str:
        """The comparison as the form would write it: 「10万人以上」, a range 「10人以上50人未満」."""
        n = f"{self.n // 10_000}万" if self.n >= 10_000 and self.n % 10_000 == 0 else f"{self.n:,}"
        return f"{n}人{_SHOWN[self.op]}" + (self.upper.shown() if self.upper is not None else "")


def _ranged(lower: BandCondition, upper: BandCondition) -> BandCondition | None:
    """The two bounds as one range (a lower bound below an upper one), or None when they make none."""
    if lower.op in (">=", ">") and upper.op in ("<", "<=") and lower.n < upper.n:
        return replace(lower, upper=replace(upper, noun=""))
    return None


def band_condition(question: str) -> BandCondition | None:
    """The number of people a which-cities question compares a band with, if any; a range when it gives a lower and
    an upper bound (「10人以上50人未満」, "between 100 and 500 staff", "at least 10 but fewer than 50 people")."""
    q = nfkc(question)
    if (m := _RANGE_EN.search(q)) is not None:
        if m.group("a"):  # "between A and B": both ends in
            lower = BandCondition(_number(m.group("a"), m.group("am")), ">=", m.group("n1").lower())
            upper = BandCondition(_number(m.group("b"), m.group("bm")), "<=")
        elif m.group("lop") or m.group("more"):  # "at least A but fewer than B", "A or more but under B"
            op = comparative.operator(m.group("lop")) if m.group("lop") else comparative.operator_after_or("more")
            lower = BandCondition(_number(m.group("lo"), m.group("lom")), op, m.group("n2").lower())
            upper = BandCondition(_number(m.group("hi"), m.group("him")), comparative.operator(m.group("hop")))
        else:  # "10 but fewer than 50": no lower bound stated
            lower = upper = None
        if lower is not None and upper is not None and (ranged := _ranged(lower, upper)) is not None:
            return ranged
    bounds = [BandCondition(_number(m.group(1), m.group(2)), comparative.operator(m.group(3)))
              for m in _PEOPLE_JA.finditer(q)]
    if len(bounds) == 2 and (ranged := _ranged(*bounds)) is not None:
        return ranged
    if bounds:
        return bounds[0]
    if m := _PEOPLE_EN.search(q):
        if m.group(1):
            return BandCondition(_number(m.group(2), m.group(3)), comparative.operator(m.group(1)), m.group(4).lower())
        if m.group(5):
            return BandCondition(_number(m.group(5), m.group(6)), comparative.operator_after_or(m.group(7)),
                                 m.group(8).lower())
        return BandCondition(_number(m.group(9), m.group(10)), comparative.operator_after_or(m.group(12)),
                             m.group(11).lower())
    return None
