"""People-count bands compared with a number in which-cities questions (issue 7: comparisons of 人数 bands)."""
from __future__ import annotations

import pytest

from piaqa.answer.bands import Band, BandCondition, band_condition, parse_band


@pytest.mark.parametrize("value, band", [
    ("[ 10万人以上30万人未満 ]", Band(100_000, 300_000)),
    ("30万人以上", Band(300_000, None)),
    ("10人未満", Band(0, 10)),
    ("1,000人以上1万人未満", Band(1_000, 10_000)),
    ("1,000万人以上", Band(10_000_000, None)),
    ("無料", None),
    ("令和5年4月1日", None),
])
def test_a_band_is_read_from_the_option_text(value, band):
    assert parse_band(value) == band


@pytest.mark.parametrize("question, n, op", [
    ("対象人数が10万人以上の市はどこ？", 100_000, ">="),
    ("使用者数が50人未満の市", 50, "<"),
    ("委託先の取扱者数が100人を超える市は？", 100, ">"),
    ("Which cities cover at least 100,000 people?", 100_000, ">="),
    ("under 300 thousand residents", 300_000, "<"),
    ("10 or more contractor staff", 10, ">="),
    # the comparatives' closed class, not only 以上/未満: 満たない, 届かない, 達しない, 上回る, 下回る, 以内, below, above, up to
    ("委託先の取扱者数が10人に満たない市", 10, "<"),
    ("対象者が10万人に届かない市", 100_000, "<"),
    ("30万人に達していない", 300_000, "<"),
    ("使用者数が100人を上回る市", 100, ">"),
    ("100人を下回る", 100, "<"),
    ("50人以内", 50, "<="),
    ("below 50 staff", 50, "<"),
    ("above 100,000 people", 100_000, ">"),
    ("up to 10 contractor staff", 10, "<="),
    ("a band of 10 people or more", 10, ">="),  # the noun between the number and its comparative
    ("1,000 residents or fewer", 1_000, "<="),
])
def test_the_compared_number_of_people(question, n, op):
    cond = band_condition(question)
    assert (cond.n, cond.op) == (n, op)


@pytest.mark.parametrize("question", ["移転先を2つ以上持つ市", "at least two files", "令和5年以降に評価した市"])
def test_counts_of_other_things_are_no_band_condition(question):
    assert band_condition(question) is None


def test_a_band_decides_only_when_it_lies_on_one_side():
    at_least = BandCondition(100_000, ">=")
    assert at_least.decides(Band(100_000, 300_000)) is True
    assert at_least.decides(Band(10_000, 100_000)) is False
    assert at_least.decides(Band(10_000, 1_000_000)) is None  # across the number: cannot say
    fewer = BandCondition(50, "<")
    assert fewer.decides(Band(10, 50)) is True and fewer.decides(Band(50, 100)) is False
    # whole people: "more than 10" is 11 or more, which 「10人以上50人未満」 may or may not be
    assert BandCondition(10, ">").decides(Band(10, 50)) is None
    assert BandCondition(49, "<=").decides(Band(10, 50)) is True


def test_which_cities_compare_their_bands(assistant):
    # 使用者数: 倉敷市 50人以上100人未満, 郡山市 / 高知市 / 千葉市 100人以上500人未満 (高知市 also 10人未満 for two
    # files), 金沢市 10人以上50人未満
    ans = assistant.ask("使用者数が100人以上の市はどこ？")
    assert ans.cities == ("郡山市", "高知市", "千葉市")
    ans = assistant.ask("使用者数が50人未満の市はどこ？")
    assert ans.cities == ("高知市", "金沢市")
    row = next(r for r in ans.rows if r.city == "倉敷市")
    assert not row.satisfied and row.value == "50人以上100人未満"
    assert ans.citations[row.citation].line_start == 82
    # English, no label named: the people counted name the item (対象人数: 倉敷市 10万人以上30万人未満, 郡山市 30万人以上)
    ans = assistant.ask("Which cities' assessments cover fewer than 300,000 people?")
    assert ans.cities == ("倉敷市", "金沢市")


def test_row_counts_read_the_same_comparatives():
    from piaqa.answer.aggregate import count_condition
    assert (count_condition("移転先が2件に満たない市").n, count_condition("移転先が2件に満たない市").op) == (2, "<")
    assert count_condition("提供先を3つ以上持つ市").op == ">=" and count_condition("two or more recipients").op == ">="
    assert count_condition("below 50 staff") is None  # people are a band, not rows


def test_a_colloquial_band_question(assistant):
    # 委託先における取扱者数 under 10: 倉敷市 (10人未満, L90) and 千葉市's data-centre contract (10人未満, L898)
    ans = assistant.ask("委託先の業者でデータを扱うスタッフが10人に満たない委託をしている市ってどこ？")
    assert ans.cities == ("倉敷市", "千葉市")
    chiba = next(r for r in ans.rows if r.city == "千葉市")
    assert ans.citations[chiba.citation].line_start == 898


def test_an_english_band_of_the_contractors_people(assistant):
    """"a contractor with 10 people or more handling the file" compares 委託先における取扱者数 (倉敷市 10人未満, line 90;
    the others 10人以上 in at least one contract); before, the band was not read and the question was 委託先名's (all
    five cities)."""
    ans = assistant.ask("Which cities have a contractor with 10 people or more handling the file?")
    assert set(ans.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}, ans.text
    assert "委託先における取扱者数" in ans.text
    row = next(r for r in ans.rows if r.city == "倉敷市")
    assert not row.satisfied and ans.citations[row.citation].line_start == 90


@pytest.mark.parametrize("question, lower, upper", [
    ("委託先の取扱者数が10人以上50人未満の市はどこ？", (10, ">="), (50, "<")),
    ("Which cities have between 100 and 500 staff using the file?", (100, ">="), (500, "<=")),
    ("at least 10 but fewer than 50 contractor staff", (10, ">="), (50, "<")),
    ("10 or more but under 50 people", (10, ">="), (50, "<")),
])
def test_a_range_of_people_is_both_bounds(question, lower, upper):
    """Two bounds of one count make a range (was: the first bound alone: 10人以上 took in 金沢市's 50人以上100人未満)."""
    c = band_condition(question)
    assert (c.n, c.op) == lower and c.upper is not None and (c.upper.n, c.upper.op) == upper
    assert c.decides(parse_band("10人以上50人未満" if lower[0] == 10 else "100人以上500人未満")) is True
    assert c.decides(parse_band("50人以上100人未満" if lower[0] == 10 else "1,000人以上")) is False
    assert c.decides(parse_band("10人未満")) is False


@pytest.mark.parametrize("question", ["委託先の取扱者数が10人以上50人未満の市はどこ？",
                                      "Which cities have at least 10 but fewer than 50 contractor staff handling the file?"])
def test_which_cities_have_a_band_within_a_range(assistant, question):
    """郡山市, 高知市 and 千葉市 chose 10人以上50人未満 for their contractor's staff; 金沢市's 50人以上100人未満 is outside
    (was: in, compared with 10人以上 only; the English "but" split the range into two requirements)."""
    answer = assistant.ask(question)
    assert answer.kind == "aggregate" and answer.cities == ("郡山市", "高知市", "千葉市")
    assert "10人以上50人未満" in answer.text
