"""Dates compared in which-cities questions (issue 7 item 3: comparisons of dates, 以前/以降, before/after)."""
from __future__ import annotations

from datetime import date

import pytest

from piaqa.answer.dates import DateCondition, date_condition, dates_in


@pytest.mark.parametrize("question, start, end, op", [
    ("保有開始日が平成28年より前の市はどこ？", date(2016, 1, 1), date(2016, 12, 31), "<"),
    ("公表日が令和5年以降の市", date(2023, 1, 1), date(2023, 12, 31), ">="),
    ("令和5年度以前", date(2023, 4, 1), date(2024, 3, 31), "<="),  # a fiscal year runs April to March
    ("2023年4月以降に公表", date(2023, 4, 1), date(2023, 4, 30), ">="),
    ("令和元年から", date(2019, 1, 1), date(2019, 12, 31), ">="),
    ("保有開始日が令和に入ってからのファイル", date(2019, 5, 1), date(2019, 5, 1), ">="),  # an era from its first day
    ("Which cities started holding the file before 2016?", date(2016, 1, 1), date(2016, 12, 31), "<"),
    ("published in 2022 or earlier", date(2022, 1, 1), date(2022, 12, 31), "<="),
    ("after March 2022", date(2022, 3, 1), date(2022, 3, 31), ">"),
    ("on or after April 1, 2023", date(2023, 4, 1), date(2023, 4, 1), ">="),
])
def test_the_compared_period_and_direction(question, start, end, op):
    assert date_condition(question) == DateCondition(start, end, op)


@pytest.mark.parametrize("question", ["再委託している市", "使用者数が50人以上の市", "10年以上保管している市", "by paper"])
def test_no_date_no_condition(question):
    assert date_condition(question) is None


def test_each_direction_reads_its_end_of_the_period():
    year_2016 = (date(2016, 1, 1), date(2016, 12, 31))
    march_2016 = date(2016, 3, 1)
    assert DateCondition(*year_2016, ">=").holds(march_2016) and DateCondition(*year_2016, "<=").holds(march_2016)
    assert not DateCondition(*year_2016, "<").holds(march_2016) and not DateCondition(*year_2016, ">").holds(march_2016)
    assert dates_in("令和3年10月14日(木)～令和3年11月12日(金)") == [date(2021, 10, 14), date(2021, 11, 12)]
    assert dates_in("—") == []


def test_which_cities_compare_their_dates(assistant):
    # 保有開始日: 倉敷市 平成28年3月1日 (L74), 郡山市 平成27年10月1日, 高知市 平成27年7月17日 …, 千葉市 平成29年4月1日,
    # 金沢市 平成27年
    ans = assistant.ask("保有開始日が平成28年より前の市はどこ？")
    assert ans.cities == ("郡山市", "高知市", "金沢市")
    kurashiki = next(r for r in ans.rows if r.city == "倉敷市")
    assert not kurashiki.satisfied and kurashiki.value == "平成28年3月1日"
    assert ans.citations[kurashiki.citation].line_start == 74
    assert assistant.ask("Which cities started holding the file before 2016?").cities == ans.cities
    # 公表日: 倉敷市 令和5年3月31日, 郡山市 令和3年12月28日; 高知市 and 千葉市 leave it blank
    assert assistant.ask("Which cities published their assessment in 2022 or earlier?").cities == ("郡山市",)
