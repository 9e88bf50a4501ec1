"""Listing and comparing: the grammar that asks for every city's value, and the tables it answers with."""
from __future__ import annotations

import pytest

from piaqa.understand.intent import COMPARE, EACH, FEWEST, MOST, ListRequest, list_request

NAMES = ["倉敷市", "郡山市", "高知市", "千葉市", "金沢市", "倉敷", "郡山", "高知", "千葉", "金沢",
         "Kurashiki City", "Chiba City", "Kurashiki", "Chiba"]
KURASHIKI, CHIBA = "000_2b92446a3e503446.txt", "003_36f852d2897e428a.txt"


@pytest.mark.parametrize("question, lang, want", [
    ("各市の保管期間を一覧にして", "ja", ListRequest(EACH, "保管期間")),
    ("それぞれの評価書の公表日を教えて", "ja", ListRequest(EACH, "公表日")),
    ("市ごとの委託先を表にして", "ja", ListRequest(EACH, "委託先")),
    ("委託先が一番多いのはどの市？", "ja", ListRequest(MOST, "委託先")),
    ("移転先が最も少ない市はどこ？", "ja", ListRequest(FEWEST, "移転先")),
    ("倉敷市と千葉市の委託先を比べて", "ja", ListRequest(COMPARE, "委託先")),
    ("List each city's retention period", "en", ListRequest(EACH, "retention period")),
    ("What is the retention period of each city?", "en", ListRequest(EACH, "retention period")),
    ("Which city has the most contractors?", "en", ListRequest(MOST, "contractors")),
    ("Compare Kurashiki and Chiba on their contractors", "en", ListRequest(COMPARE, "contractors")),
])
def test_listing_grammar(question, lang, want):
    assert list_request(question, lang, NAMES) == want


@pytest.mark.parametrize("question, lang", [
    ("再委託している市を一覧で", "ja"),  # a condition on the cities: which-cities, not a listing
    ("倉敷市の委託先は？", "ja"),
    ("which cities re-delegate (再委託) system maintenance?", "en"),
    ("倉敷市と千葉市はどちらも再委託していますか", "ja"),
])
def test_not_a_listing(question, lang):
    assert list_request(question, lang, NAMES) is None


def test_which_city_has_the_most_counts_every_item(assistant):
    ans = assistant.ask("委託先が一番多いのはどの市？")
    assert ans.kind == "list" and set(ans.cities) == {"郡山市", "千葉市"}
    rows = {r.city: r for r in ans.rows}
    assert len(rows) == 5 and all(r.satisfied for r in rows.values())
    assert "3件" in ans.text and "株式会社パソナ" in ans.text
    first = ans.citations[rows["倉敷市"].citation]
    assert (first.doc, first.line_start) == (KURASHIKI, 91)


def test_compare_two_cities_gives_a_row_each(assistant):
    ans = assistant.ask("倉敷市と千葉市の委託先を比べて")
    assert ans.kind == "list" and [r.city for r in ans.rows] == ["倉敷市", "千葉市"]
    assert "富士通Japan株式会社岡山支社" in ans.rows[0].value and "株式会社パソナ" in ans.rows[1].value
    assert {c.doc for c in ans.citations} == {KURASHIKI, CHIBA}


def test_each_city_lists_the_cities_that_state_nothing_too(assistant):
    ans = assistant.ask("各市の保管期間を一覧にして")
    rows = {r.city: r for r in ans.rows}
    assert len(rows) == 5 and set(ans.cities) == {"郡山市", "高知市", "千葉市"}
    assert not rows["倉敷市"].satisfied and rows["倉敷市"].citation is None  # 重点項目評価書: no such item
    assert "20年以上" in rows["高知市"].value


def test_an_english_listing_reads_the_form_item_as_a_japanese_one_does(assistant):
    # "retention period" is the glossary's 保管期間: 倉敷市 (重点項目評価書) has no such item and is "not stated";
    # before, its row quoted the nearest prose sentence (a DDoS measure)
    ans = assistant.ask("Compare Kurashiki and Chiba on the retention period")
    rows = {r.city: r for r in ans.rows}
    assert ans.kind == "list" and set(rows) == {"倉敷市", "千葉市"}
    assert not rows["倉敷市"].satisfied and rows["倉敷市"].citation is None
    assert "6年以上10年未満" in rows["千葉市"].value and ans.text.startswith("retention period — 1 of 2")
    most = assistant.ask("Which city has the most outsourcing contractors?")
    assert set(most.cities) == {"郡山市", "千葉市"}  # as 「委託先が一番多いのはどの市？」 counts them
