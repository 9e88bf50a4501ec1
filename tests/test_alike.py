"""Which (other) cities share what the last answer stated, from a form row or from prose: the question's grammar
(followup.asks_alike, asks_others), the comparison (answer/alike.py) and whole conversations on the real corpus."""
from __future__ import annotations

import pytest

from piaqa.answer.alike import comparable, same_value
from piaqa.records import Answer, Field
from piaqa.understand.followup import ALIKE, asks_alike, asks_others
from tests.conftest import chat as _chat

KOCHI = "002_8198ed8bac5210ca.txt"
CHIBA = "003_36f852d2897e428a.txt"
KORIYAMA = "001_fd6f090b79f37056.txt"


def _field(value: str, options: tuple[str, ...] = ()) -> Field:
    return Field(doc=KOCHI, city="高知市", path=("II",), item=None, label="委託先名", raw_label="委託先名", value=value,
                 options=options, line_start=1, line_end=1)


@pytest.mark.parametrize("question, exclusive", [
    ("Does anybody else rely on the same vendor?", True),
    ("Which other cities do that as well?", True),
    ("Which cities have the same band?", False),
    ("Any other city with that many?", True),
    ("ほかにも同じ会社に頼んでいる市はある？", True),
    ("同じ区分になっている市はどこ？", False),
    ("他の市もそう？", True),
])
def test_a_question_pointing_at_the_last_answer_asks_which_cities_share_it(assistant, question, exclusive):
    ask = asks_alike(question, assistant.understander)
    assert ask is not None and ask.exclusive is exclusive


@pytest.mark.parametrize("question", [
    "千葉市も同じ？",  # a city named: the same question about it
    "Is that the same in Chiba?",
    "Which of those also re-delegate?",  # narrowing a which-cities answer
    "そのうち全項目評価書はどれ？",
    "Which cities keep their files for 20 years or more?",  # a which-cities question of its own, nothing pointed at
    "ほかに監視カメラを置いている市は？",
])
def test_a_question_that_names_a_city_or_points_at_nothing_is_no_such_question(assistant, question):
    assert asks_alike(question, assistant.understander) is None


def test_values_are_the_same_when_an_option_is_or_a_company_is_without_its_branch():
    assert same_value("10人以上50人未満", _field("10人以上50人未満", options=("10人未満", "10人以上50人未満")))
    assert not same_value("10人未満", _field("10人以上50人未満", options=("10人未満", "10人以上50人未満")))
    assert same_value("富士通Japan株式会社岡山支社", _field("富士通Japan株式会社 福島支社"))
    assert same_value("富士通Japan株式会社", _field("富士通Japan株式会社 四国公共ビジネス部"))
    assert not same_value("富士通Japan株式会社岡山支社", _field("株式会社パソナ"))  # 株式会社 alone is no company
    assert not same_value("富士通Japan株式会社", _field("NECフィールディング株式会社 千葉支社"))


def test_only_an_answer_stating_short_values_of_one_city_is_compared():
    row = _field("富士通Japan株式会社")
    assert comparable(Answer("q", "t", (), cities=("高知市",), kind="field", field=row, fields=(row,)))
    long = _field("・" + "紙媒体については、内部職員による厳重な管理の下で、焼却処理を行う。" * 3)
    assert not comparable(Answer("q", "t", (), cities=("高知市",), kind="field", field=long, fields=(long,)))
    assert not comparable(Answer("q", "t", (), cities=("高知市",), kind="describe"))
    assert not comparable(Answer("q", "t", (), cities=("高知市", "千葉市"), kind="field", field=row, fields=(row,)))


def test_other_cities_with_the_same_choice_are_named_with_their_rows(assistant):
    """倉敷市 does not re-delegate; 郡山市 and 千葉市 each have an item that does not either (高知市 and 金沢市 do)."""
    first, second, third = _chat(assistant, "倉敷市は再委託していますか？", "ほかに同じ市はある？", "千葉市は？")
    assert first.field is not None and first.field.value == "再委託しない"
    assert second.kind == ALIKE and second.cities == ("郡山市", "千葉市")
    rows = {r.city: r for r in second.rows}
    assert rows["倉敷市"].satisfied and not rows["高知市"].satisfied and not rows["金沢市"].satisfied
    cited = {r.city: (second.citations[r.citation].doc, second.citations[r.citation].line_start)
             for r in second.rows if r.citation is not None}
    assert cited["郡山市"] == (KORIYAMA, 244) and cited["千葉市"] == (CHIBA, 809)
    assert third.kind == "aggregate-row" and "再委託しない" in third.text  # a city of those: its row


def test_the_same_band_includes_the_city_asked_about_unless_others_are_asked(assistant):
    _, same = _chat(assistant, "What band is the number of users of Kochi's resident register file in?",
                    "Which cities have the same band?")
    assert same.cities == ("郡山市", "高知市", "千葉市")
    assert "100人以上500人未満" in same.text and "使用者数" in same.text
    _, others = _chat(assistant, "What band is the number of users of Kochi's resident register file in?",
                      "Which other cities are in that band too?")
    assert others.cities == ("郡山市", "千葉市")


def test_no_other_city_keeps_its_file_that_long(assistant):
    _, answer = _chat(assistant, "千葉市の国民年金ファイルの保管期間は？", "Who else keeps it that long?")
    assert answer.kind == ALIKE and answer.cities == ()
    assert answer.text.startswith("0 of 4 other cities")
    assert {r.city: r.value for r in answer.rows}["高知市"] == "20年以上"


def test_a_condition_of_its_own_is_a_which_cities_question_like_any_other(assistant):
    """"also have an emergency generator" names what the contractor's answer did not: the prose is judged."""
    _, answer = _chat(assistant, "Who is Kurashiki's contractor for the national pension system?",
                      "Which other cities also have an emergency generator?")
    assert answer.kind == "aggregate" and "委託先名" not in answer.text
    assert "emergency generator" in answer.text and "Which other" not in answer.text


def test_other_cities_whose_prose_states_what_the_quoted_sentence_did(assistant):
    """郡山市 burns its paper (line 197); 高知市 too (line 325); 千葉市 has it dissolved (line 1040): not the same."""
    first, second = _chat(assistant, "How does Koriyama dispose of paper records?", "Which other cities do that too?")
    assert first.cities == ("郡山市",) and "焼却処理" in first.text
    assert second.kind == ALIKE and second.cities == ("高知市",)
    assert second.text.startswith("1 of 4 other cities state what 郡山市 states")
    rows = {r.city: r for r in second.rows}
    cited = {city: (second.citations[r.citation].doc, second.citations[r.citation].line_start)
             for city, r in rows.items() if r.citation is not None}
    assert cited["郡山市"] == (KORIYAMA, 197) and cited["高知市"] == (KOCHI, 325)
    assert not rows["千葉市"].satisfied and cited["千葉市"] == (CHIBA, 1040) and "溶解" in rows["千葉市"].value
    assert second.rows[0].city == "郡山市"  # the sentence compared with comes first


def test_the_sentence_compared_is_the_one_the_answer_quoted_without_its_lead_in(assistant):
    """Line 565 holds five sentences; the answer quoted the third with its 「また、」 cut off."""
    cite = assistant.citation(KORIYAMA, 565, 565)
    quoted = "郡山市（手順の内容）: 「保存期限を過ぎた紙媒体の個人情報については、文書管理部署において郡山市の設置する焼却施設にて直接焼却処分を行う。」 [1]"
    answer = Answer("q", quoted, (cite,), cities=("郡山市",), kind="describe")
    unit = assistant._stated_sentence(answer)
    assert unit is not None and unit.line_start == 565 and unit.text.startswith("また、保存期限を過ぎた紙媒体")
    assert assistant._stated_sentence(Answer("q", quoted, (cite,), cities=("郡山市", "高知市"), kind="describe")) is None


@pytest.mark.parametrize("question, others", [
    ("Which other cities fix terminals with security wires?", True),
    ("Who else has a generator?", True),
    ("ほかにセキュリティワイヤを使っている市は？", True),
    ("他の市で委託している市は？", True),
    ("Which cities use a company other than Fujitsu?", False),  # a value condition, not other cities
    ("Which cities share data with other departments?", False),
    ("富士通Japan以外の会社に委託している市は？", False),
    ("ほかの会社にも委託している市は？", False),
])
def test_which_cities_asked_for_besides_the_ones_talked_about(question, others):
    assert asks_others(question) is others


def test_other_cities_asked_for_leave_out_the_city_talked_about(assistant):
    """高知市 (line 570) and 千葉市 (line 1849) fix terminals with security wires; after an answer about 高知市, the
    other cities that do are 千葉市 alone — 高知市's row still shows it does."""
    _, other = _chat(assistant, "What keeps Kochi's resident register terminals from being carried off?",
                     "Which other cities fix terminals with security wires?")
    assert other.kind == "aggregate" and other.cities == ("千葉市",)
    assert other.text.startswith('1 of 4 other cities match ("fix terminals with security wires")')
    assert {r.city: r.satisfied for r in other.rows}["高知市"]
    _, ja = _chat(assistant, "高知市は端末の盗難をどう防いでいますか？", "ほかにセキュリティワイヤを使っている市は？")
    assert ja.cities == ("千葉市",) and ja.text.startswith("ほかの4市中1市が該当（「セキュリティワイヤを使っている」）")
    alone = assistant.ask("Which other cities fix terminals with security wires?")  # no one talked about: all
    assert alone.cities == ("高知市", "千葉市")


def test_follow_ups_build_on_the_comparison_not_on_a_condition_judged_again(assistant):
    """After 倉敷市's contractor compared with every city (all four others use 富士通Japan): "Which of those …" is
    judged among the four (before: the comparison restated as a condition matched none); a city alone gets its row
    of the comparison; a follow-up after a comparison naming one city asks that city."""
    *_, narrowed = _chat(assistant, "Who is Kurashiki's contractor for the national pension system?",
                         "Does anyone else use the same company?", "Which of those are full assessments?")
    assert narrowed.kind == "aggregate" and narrowed.cities == ("郡山市", "高知市", "千葉市")
    assert narrowed.text.startswith("3 of 4 cities match")
    *_, row = _chat(assistant, "倉敷市は再委託していますか？", "他の市も同じ？", "高知市は？")
    assert row.kind == "aggregate-row" and row.cities == () and "該当しません: 再委託する" in row.text
    assert (row.citations[0].doc, row.citations[0].line_start) == (KOCHI, 188)
    *_, one = _chat(assistant, "How does Koriyama dispose of paper records?", "Which other cities do that too?",
                    "Who does it there?")
    assert one.cities == ("高知市",) and one.citations[0].doc == KOCHI


def test_a_comparison_within_selected_documents_counts_only_them(assistant):
    """With 高知市 and 千葉市 selected, after 倉敷市's answer (asked with all documents) the other cities are two."""
    first = assistant.ask("倉敷市は再委託していますか？")
    answer = assistant.ask("他の市も同じ？", history=[("倉敷市は再委託していますか？", first)], docs=[KOCHI, CHIBA])
    assert answer.kind == ALIKE and answer.cities == ("千葉市",)
    assert answer.text.endswith("ほかの市は2市中1市: 千葉市。") and {r.city for r in answer.rows} == {"高知市", "千葉市"}
