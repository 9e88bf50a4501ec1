"""Follow-ups resolved against the previous turn: city swaps (ja, en, across a language switch),
anaphora, narrowing a which-cities answer, a city's row after one; and whole conversations."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EVAL, ROOT
from tests.conftest import chat as _chat

K = "000_2b92446a3e503446.txt"


def test_city_swap_keeps_what_was_asked(assistant):
    first, second = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", "千葉市は？")
    assert "定められていない" in first.text
    assert second.cities == ("千葉市",) and "6年以上10年未満" in second.text


@pytest.mark.parametrize("swap", ["千葉市も同じ？", "じゃあ千葉市の場合はどうなってる？", "同じことを千葉市について教えて",
                                  "Same for Chiba?", "Is it the same in Chiba?", "Chiba?"])
def test_a_city_swap_framed_as_the_same_question_keeps_what_was_asked(assistant, swap):
    """"Same for X?", 「Xも同じ？」, a bare "X?": the last question about another city (was: the off-topic reply, or
    a passage about 同じ)."""
    _, second = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", swap)
    assert second.cities == ("千葉市",) and "6年以上10年未満" in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1092)


@pytest.mark.parametrize("swap", ["Does Koriyama have something like that?", "郡山市にもそういうのはある？"])
def test_a_city_with_words_pointing_back_and_nothing_asked_is_a_city_swap(assistant, swap):
    """A longer swap that asks nothing of its own but points back: the last question about the new city (was: the
    off-topic reply for the English one, a passage about access control for the Japanese)."""
    _, second = _chat(assistant, "千葉市で端末つけっぱなしで席を離れたらどうなるの？", swap)
    assert second.question == "郡山市で端末つけっぱなしで席を離れたらどうなるの？"
    assert second.answerable and second.cities == ("郡山市",) and second.kind == "describe"


def test_english_city_swap_moves_to_the_new_citys_own_assessment(assistant):
    first, second = _chat(assistant, "Who is Kanazawa City's contractor for the child allowance work?", "And Kochi?")
    assert "富士通Japan株式会社" in first.text
    assert second.answerable and second.cities == ("高知市",) and "四国公共ビジネス部" in second.text


def test_a_topic_after_a_bare_why_asks_what_the_thread_asked(assistant):
    """"How long …?" "Why?" "And the system access logs?": the why asked only about the answer before it, so the
    access logs are asked how long they are kept (５年間, 千葉市 line 1463), not why (was: the sentence on who checks
    the logs)."""
    *_, third = _chat(assistant, "How long is Chiba's national pension file kept?", "Why?",
                      "And the system access logs?")
    assert third.cities == ("千葉市",) and "５年間" in third.text, third.text
    assert (third.citations[0].doc, third.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1463)


def test_anaphora_keeps_the_city_and_changes_the_target(assistant):
    _, second = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。", "その再委託事項は何ですか。")
    assert second.cities == ("金沢市",) and "品質管理、問題点管理、QA対応" in second.text


@pytest.mark.parametrize("first_q,narrow", [("再委託している市はどこ？", "そのうち全項目評価書はどれ？"),
                                            ("再委託している市はどこ？", "このうち全項目評価書はどれ？"),
                                            ("Which cities re-delegate work?", "Which ones are full assessments?")])
def test_narrowing_a_which_cities_answer_adds_a_condition(assistant, first_q, narrow):
    """"full assessments" is the cover's 全項目評価書 (glossary), as the Japanese names it."""
    first, second = _chat(assistant, first_q, narrow)
    assert set(first.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}
    assert set(second.cities) == {"郡山市", "高知市", "千葉市"}


def test_a_city_after_a_which_cities_answer_gets_its_row(assistant):
    _, row = _chat(assistant, "再委託している市はどこ？", "倉敷市は？")
    assert row.kind == "aggregate-row" and row.cities == () and "再委託しない" in row.text
    assert row.citations[0].doc == "000_2b92446a3e503446.txt"


@pytest.mark.parametrize("request_", ["Tell me more about Kurashiki.", "倉敷市について詳しく教えて"])
def test_a_request_to_hear_about_a_city_after_a_which_cities_answer_gets_its_row(assistant, request_):
    """"Tell me more about X" asks nothing of its own: X's row of the which-cities answer (was: off-topic)."""
    _, row = _chat(assistant, "再委託している市はどこ？", request_)
    assert row.kind == "aggregate-row" and "再委託しない" in row.text
    assert (row.citations[0].doc, row.citations[0].line_start) == ("000_2b92446a3e503446.txt", 92)


def test_a_follow_up_on_the_one_matching_city_asks_within_the_row_that_matched(assistant):
    """The which-cities answer matched 倉敷市 on its 提供先1 (日本年金機構): "How often do they send it?" asks that
    item's 時期・頻度 (週2回程度, line 105), not the 移転先's (随時, line 113) — the matched row is carried as a field
    answer's is."""
    first, follow = _chat(assistant, "Which cities provide their data to the Japan Pension Service (日本年金機構)?",
                          "How often do they send it?")
    assert first.cities == ("倉敷市",)
    assert follow.kind == "field" and "週2回程度" in follow.text
    assert (follow.citations[0].doc, follow.citations[0].line_start) == ("000_2b92446a3e503446.txt", 105)


@pytest.mark.parametrize("first_q,contrast,cities", [
    ("事務の対象人数が30万人以上の市はどこ？", "逆に30万人未満のところは？", {"倉敷市", "金沢市"}),
    ("情報提供ネットワークシステムによる情報連携を実施しない市は？", "では、実施している市はどこですか。",
     {"郡山市", "高知市", "金沢市"})])
def test_a_which_cities_follow_up_naming_only_a_bound_or_a_predicate_asks_it_of_the_same_row(assistant, first_q,
                                                                                             contrast, cities):
    """「30万人未満のところは？」 names no row: the 対象人数 the last which-cities question compared (was: judged as
    prose, 高知市 and 千葉市); 「実施している」 the 情報連携's 実施の有無 (was: every city)."""
    _, second = _chat(assistant, first_q, contrast)
    assert second.kind == "aggregate" and set(second.cities) == cities


@pytest.mark.parametrize("history,question,cities", [
    ((), "「定められていない」って書いてるとこは？", ("郡山市",)),
    (("評価書について住民から意見を募った市はどこですか。", "で、意見って来たの？"), "第三者点検まで受けているのはどこ？",
     ("郡山市", "千葉市"))])
def test_places_asked_for_are_the_cities(assistant, history, question, cities):
    """ところ / とこ ("the places that …") ask which cities; 「…のはどこ？」 does after an answer naming cities one by
    one (elsewhere it asks where a thing is kept). Was: a refusal; the one city of the last answer's 'not stated'."""
    answer = _chat(assistant, *history, question)[-1]
    assert answer.kind == "aggregate" and answer.cities == cities
    row = next(r for r in answer.rows if r.city == cities[0])
    assert answer.citations[row.citation].doc == {"郡山市": "001_fd6f090b79f37056.txt"}[cities[0]]


def test_a_city_that_does_not_match_a_value_condition_shows_its_own_value_cited(assistant):
    """A which-cities answer over a field's value: a city that does not match states another value, and its
    row says which, cited on that line, in the follow-up's language."""
    question = "情報提供ネットワークシステムによる情報連携を「実施しない」としている市はどこ？"
    first, row = _chat(assistant, question, "What about Kanazawa?")
    assert set(first.cities) == {"倉敷市", "千葉市"}
    kanazawa = next(r for r in first.rows if r.city == "金沢市")
    assert not kanazawa.satisfied and kanazawa.value == "実施する" and kanazawa.citation is not None
    assert row.kind == "aggregate-row" and row.text.startswith("金沢市 (児童手当に関する事務) does not match: 実施する")
    c = row.citations[0]
    assert (c.doc, c.line_start) == ("004_57af33314b6a26f0.txt", 99)


def test_a_longer_question_without_a_city_stays_with_the_conversations_city(assistant):
    _, second = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。",
                      "システムにログインするときの本人確認はどのように行っていますか。")
    assert second.cities == ("金沢市",)
    assert all(c.doc == "004_57af33314b6a26f0.txt" for c in second.citations)


def test_naming_another_file_keeps_what_was_asked(assistant):
    first, second = _chat(assistant, "高知市の本人確認情報ファイルの使用者数は？", "じゃあ送付先情報ファイルのほうは？")
    assert "100人以上500人未満" in first.text and first.citations[0].line_start == 289
    assert "10人未満" in second.text and (second.citations[0].doc, second.citations[0].line_start) == (
        "002_8198ed8bac5210ca.txt", 356)


def test_a_continuation_stays_in_the_previous_questions_file(assistant):
    # 「じゃあ…」 opens a continuation: the file of the last question scopes it, by number (its name's words are not
    # asked); without it, file (1)'s ID expiry rule (line 480) answered instead of file (3)'s (line 752)
    _, second = _chat(assistant, "高知市の送付先情報ファイルの使用者数は？", "じゃあユーザIDの失効はどう管理してる？")
    assert "(3)のファイル" in second.question
    assert (second.citations[0].doc, second.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 752)
    assert "直ちに権限の失効を行う" in second.text


def test_a_file_named_in_english_replaces_the_last_file_and_is_carried_by_number(assistant):
    # turn 2 names its own file in English: the Japanese file of turn 1 is not carried over it; turn 3 points back
    # and keeps turn 2's file, by its number (the English name is not in its text)
    _, second, third = _chat(assistant, "郡山市の収納管理システムファイルの委託先は？",
                             "Who is the contractor for the late-stage elderly medical insurance premium file?",
                             "Does that contractor subcontract the work?")
    assert "収納管理" not in second.question and "株式会社福島情報処理センター" in second.text
    assert "file (2)" in third.question and "再委託しない" in third.text
    assert (third.citations[0].doc, third.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 244)


def test_an_item_named_by_ordinal_keeps_what_was_asked(assistant):
    _, second = _chat(assistant, "郡山市の収納管理システムファイルの委託事項1の再委託の有無は？",
                      "滞納管理システムファイルの2番目の委託は？")
    assert second.field is not None and second.field.label == "再委託の有無"
    assert (second.citations[0].doc, second.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 162)


def test_a_pronoun_carries_the_previous_questions_file(assistant):
    _, second = _chat(assistant, "高知市の送付先情報ファイルは何に使うの？", "それを扱う職員は何人？")
    assert "10人未満" in second.text and second.citations[0].line_start == 356


def test_a_long_file_name_in_an_english_follow_up_keeps_what_was_asked(assistant):
    first, second = _chat(assistant, "Who is the contractor for Koriyama's 滞納管理システムファイル?",
                          "And for its 後期高齢者医療保険料徴収システムデータベースファイル?")
    assert second.question == "委託先名 of 後期高齢者医療保険料徴収システムデータベースファイル (郡山市)"
    assert "富士通Japan株式会社 福島支社" in first.text
    assert "株式会社福島情報処理センター" in second.text and second.text.startswith("郡山市 (")  # answered in English


def test_a_demonstrative_of_direction_carries_the_previous_file(assistant):
    # 「そっち」 (that one) points back as 「その」 does: the file the last turn named is kept
    _, second = _chat(assistant, "郡山市の滞納管理システムファイルの保管期間は？", "そっちの保管期間の妥当性は？")
    assert second.question.startswith("郡山市の滞納管理システムファイルについて")
    assert "特定個人情報の再利用を考慮" in second.text and second.citations[0].line_start == 196


@pytest.mark.parametrize("why", ["それはなぜ？", "どうして？", "なんで？"])
def test_a_why_alone_asks_the_reason_for_the_last_answer(assistant, why):
    first, second = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", why)
    assert "定められていない" in first.text and first.citations[0].line_start == 346
    assert second.question == "郡山市の(3) 収納管理システムファイルの保管期間の理由は？"
    # the file's 保管期間の妥当性, the row under its 保管期間 (parse.fields names 「その妥当性」 after it)
    assert "特定個人情報の再利用を考慮し保存する" in second.text and second.citations[0].line_start == 347


@pytest.mark.parametrize("follow_up", ["何人？", "何人くらい？"])
def test_a_kind_of_value_alone_asks_it_of_what_the_last_turn_asked_about(assistant, follow_up):
    """「何人？」 after the contractor's name: the number of the contractor's staff who handle the file (line 90),
    not the number of anything else of the city; the question keeps the last one's words."""
    first, second = _chat(assistant, "倉敷市の国民年金事務の委託先は？", follow_up)
    assert "富士通Japan株式会社岡山支社" in first.text
    assert second.question.startswith("倉敷市の国民年金事務の委託先は")
    assert "10人未満" in second.text and (second.citations[0].doc, second.citations[0].line_start) == (K, 90)


def test_a_kind_asked_of_a_pronoun_asks_it_of_what_the_last_turn_asked_about(assistant):
    """"How often do they have to take it?" names nothing of its own, however many words it has: the frequency of the
    training the last turn asked about (高知市 line 969), not of another item's 時期・頻度."""
    _, second = _chat(assistant, "How are staff in Kochi's resident register section trained on privacy?",
                      "How often do they have to take it?")
    assert second.question.startswith("How are staff in Kochi's resident register section trained")
    assert "年1回" in second.text and (second.citations[0].doc, second.citations[0].line_start) == (KOCHI, 969)


def test_a_destination_named_by_its_abbreviation_is_asked_about(assistant):
    """After the list of 倉敷市's 移転先 (市民課, …国民健康保険課), 「国保課のほうでは」 names the second: its 用途 (line 117)."""
    _, second, third = _chat(assistant, "倉敷市は国民年金の情報を庁内のどこに移転してる？", "国保課のほうでは何に使ってるの？",
                             "何人分くらいのデータが行ってる？")
    assert "国民健康保険被保険者の資格適正化に関する事務" in second.text and "住民票" not in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == (K, 117)
    # how many people's data: the destination's 対象となる本人の数 (a count of people, line 119)
    assert "1万人以上10万人未満" in third.text and (third.citations[0].doc, third.citations[0].line_start) == (K, 119)


def test_of_two_rows_of_the_kind_asked_the_item_answers_with_the_one_it_fills(assistant):
    """高知市's 委託事項2 has an empty 対象となる本人の数 and a 委託先における取扱者数: "How many of their people" is the
    latter (line 184), not "blank"."""
    _, second = _chat(assistant, "高知市の既存住基システムの運用支援と改修、どこに委託してる？",
                      "How many of their people work with the data?")
    assert second.answerable and "10人以上50人未満" in second.text, second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == (KOCHI, 184)


def test_the_last_sentence_that_asks_for_a_kind_of_value_is_the_one_asked():
    from piaqa.understand.answertype import expected_type
    assert expected_type("How long does Chiba keep the file? How often is it checked?") == "frequency"
    assert expected_type("どのくらいの頻度で確認している？期間は？") == "duration"
    assert expected_type("保管期間は何年？") == "duration"


def test_a_why_is_answered_by_a_reason_not_by_the_row_it_asks_about(assistant):
    """千葉市's PDF text leaves 保管期間's reason row unnamed: "Why so long?" reads the prose that gives the reason
    (lines 1106–1108), never the period again."""
    _, why = _chat(assistant, "What is Chiba's retention period for the pension file?", "Why so long?")
    assert "過去に遡った記録照会が想定できるため" in why.text and "6年以上10年未満" not in why.text
    assert (why.citations[0].doc, why.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1106)


@pytest.mark.parametrize("first,move", [("高知市の住民票の事務の2つ目のファイルの保管期間は？", "3つ目は？"),
                                        ("How long does Kochi keep the second file of its resident register?",
                                         "And the third?")])
def test_an_ordinal_alone_moves_to_that_row_and_keeps_what_was_asked(assistant, first, move):
    """「2つ目のファイル」 is (2)本人確認情報ファイル (its 保管期間, line 324); 「3つ目は？」 asks the same of (3)送付先情報
    ファイル, whose 保管期間 is blank (line 369): not stated, never another file's value."""
    one, two = _chat(assistant, first, move)
    assert "20年以上" in one.text and one.citations[0].line_start == 324
    assert not two.answerable and "20年以上" not in two.text and two.citations[0].line_start == 369


def test_what_a_contractor_passes_on_is_the_subcontracted_work(assistant):
    """"What does it subcontract?" asks the 再委託事項 (line 140), not whether it subcontracts."""
    _, what = _chat(assistant, "Who is Kanazawa's contractor for child allowance?", "What does it subcontract?")
    assert "品質管理、問題点管理、QA対応" in what.text and what.citations[0].line_start == 140


@pytest.mark.parametrize("follow_up,asked", [("誰がやるの？", "郡山市って監査やってる。誰がやるの？"),
                                             ("それ、誰がやってるの？", "郡山市って監査やってる。それ、誰がやってるの？"),
                                             ("具体的には？", "郡山市の「郡山市情報セキュリティ監査実施要綱」に基づき中長期監査計画"
                                              "及び年度監査計画を策定し、情報セキュリティ対策の監査を実施している。具体的にはどのように？")])
def test_a_follow_up_asking_who_or_for_detail_is_no_small_talk(assistant, follow_up, asked):
    """「誰がやるの？」 holds no word of the corpus but asks for a kind of value; 「具体的には？」 asks how the last answer is
    carried out (asked in the words of the sentence the answer quoted): both go on about the audit (line 864), never
    the off-topic reply, and the detail is not the sentence already quoted."""
    first, second = _chat(assistant, "郡山市って監査やってる？", follow_up)
    assert second.question == asked and second.kind != "abstain"
    assert (second.citations[0].doc, second.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 864)
    if follow_up == "具体的には？":
        assert "監査計画" in first.text and "監査計画" not in second.text


def test_they_and_them_point_back():
    from piaqa.understand.followup import _DETAIL_ONLY, points_back
    assert points_back("Who does them?") and points_back("What do they check?")
    assert points_back("どこに送ってるの？") and not points_back("ありがとう") and not points_back("こんにちは")
    assert _DETAIL_ONLY.match("Specifically?") and _DETAIL_ONLY.match("具体的には？") and not _DETAIL_ONLY.match("具体的な方法は？")


def test_a_question_with_a_why_of_its_own_is_no_why_alone():
    from piaqa.understand.followup import _WHY_ONLY
    assert _WHY_ONLY.match("Why is that?") and _WHY_ONLY.match("それって、なぜ？")
    assert _WHY_ONLY.match("Why so long?") and _WHY_ONLY.match("なんでそんなに長いの？")
    assert not _WHY_ONLY.match("なぜそんなに長く保管するの？")
    assert not _WHY_ONLY.match("なぜ保管するの？") and not _WHY_ONLY.match("どうしてる？")
    assert not _WHY_ONLY.match("why do they keep it?")


def test_thanks_mid_conversation_is_not_asked_about_the_last_city(assistant):
    _, second = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。", "ありがとう")
    assert second.kind == "abstain" and not second.answerable and second.cities == ()


def test_a_refused_turn_does_not_end_the_conversations_city(assistant):
    _, hello, third = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。", "こんにちは", "その再委託事項は何ですか。")
    assert hello.kind == "abstain"
    assert third.cities == ("金沢市",) and "品質管理、問題点管理、QA対応" in third.text
    assert (third.citations[0].doc, third.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 140)


def test_a_follow_up_that_points_back_is_not_taken_for_small_talk(assistant):
    # 「そこは…」 holds few corpus words, but it points back: a follow-up, not off-topic text
    _, second = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。", "そこはさらに別の会社に仕事を回してるの？")
    assert second.kind != "abstain" and second.cities == ("金沢市",)
    assert "再委託する" in second.text and second.citations[0].line_start == 138


def test_a_new_city_and_file_with_nothing_else_asked_keep_the_target(assistant):
    _, second = _chat(assistant, "高知市の本人確認情報ファイルの使用者数は？", "千葉市の国民年金事務情報ファイルはどのくらい？")
    assert second.field is not None and second.field.label == "使用者数" and second.cities == ("千葉市",)
    assert (second.citations[0].doc, second.citations[0].line_start) == ("003_36f852d2897e428a.txt", 555)
    # the file named is the one asked: its blank 保管期間 (line 369) is not stated, not another file's value
    _, blank = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", "高知市の送付先情報ファイルはどれくらい？")
    assert not blank.answerable and blank.citations[0].line_start == 369


def test_a_noun_phrase_alone_asks_the_previous_question_about_it(assistant):
    from piaqa.understand.followup import _topic_only
    assert _topic_only("非正規の職員は？", "非正規の職員は？") == "非正規の職員"
    assert _topic_only("What about the paper forms?", "What about the paper forms?") == "paper forms"
    assert _topic_only("その再委託先は？", "再委託先は？") is None  # points back: a new target of the same thing
    assert _topic_only("監査は誰がするの？", "監査は誰がするの？") is None  # asks something of its own
    _, second = _chat(assistant, "千葉市で、正規の職員のシステムの権限って、何をもとに設定してるの？", "非正規の職員は？")
    # the topic takes the place of the phrase of the same head noun: the other 職員, the same question
    assert second.question == "千葉市で、非正規の職員のシステムの権限って、何をもとに設定してるの？"
    assert "非正規職員については業務所管課からの申請に基づき" in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1323)
    _, other = _chat(assistant, "郡山市の電子データの保管期間は？", "紙の書類は？")  # no phrase of 書類 to replace
    assert other.question.startswith("紙の書類について、郡山市の")


@pytest.mark.parametrize("first,follow_up,resolved,value,line", [
    ("千葉市の国民年金ファイルの保管期間は？", "アクセスログは？", "千葉市のアクセスログの期間は？", "５年間", ("003_36f852d2897e428a.txt", 1463)),
    ("How often does Kochi back up its resident register data?", "And virus checks?", "How often: virus checks (高知市)?",
     "週1回の全ファイルチェック", ("002_8198ed8bac5210ca.txt", 573)),
])
def test_a_thing_named_alone_after_a_kind_asked_asks_that_kind_of_it(assistant, first, follow_up, resolved, value,
                                                                     line):
    """A follow-up naming only a thing the glossary knows, after a question asking a kind of value: that kind of
    value of the thing (was 「千葉市のアクセスログは？」, answered 記録を残している; "And virus checks?" answered how the
    checks are done, with no frequency)."""
    _, second = _chat(assistant, first, follow_up)
    assert second.question == resolved and value in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == line
    # the kind's words, not the last question's: "And the subcontractor?" does not find the contractor again
    _, sub = _chat(assistant, "Who is Kanazawa's contractor for the child allowance system?", "And the subcontractor?")
    assert "再委託" in sub.text and "富士通Japan株式会社" not in sub.text


def test_a_file_named_by_number_is_that_file_and_its_blank_is_not_stated(assistant):
    """(1)滞納管理システムファイルの保管期間 lists the options but selects none (line 195): not another file's value."""
    first, second, third = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は、どの区分が選ばれていますか。",
                                 "(1)のファイルは？", "じゃあ、そのファイルの紙媒体はどうやって消去するの？")
    assert "定められていない" in first.text
    assert not second.answerable and "定められていない" not in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 195)
    assert "焼却処理を行う" in third.text and third.citations[0].line_start == 197  # (1)'s 消去方法, its paper clause


def test_there_points_back_at_the_previous_item(assistant):
    _, second = _chat(assistant, "倉敷市の国民年金事務で、特定個人情報の移転先2はどこですか。", "そこへの移転の時期・頻度は？")
    assert "日次" in second.text and "随時" not in second.text  # 移転先2 (line 122), not 移転先1's 随時
    assert second.citations[0].line_start == 122


def test_a_jimu_the_citys_assessments_do_not_cover_leaves_the_city(assistant):
    from piaqa.understand import followup

    first = assistant.ask("金沢市の児童手当事務の委託先は？")
    resolved = followup.rewrite("国民年金事務の委託先は？", [("金沢市の児童手当事務の委託先は？", first)],
                                assistant.understander, assistant.has_target, lambda a: None)
    assert resolved == "国民年金事務の委託先は？"


def test_dev_conversations_floor_and_no_turn_raises(tmp_path):
    """Each turn asked with the earlier turns as history (bench/conversations.py), scored per turn."""
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "conversations.py"),
                          str(ROOT / "bench" / "dev_conversations.jsonl"), "--out", str(tmp_path)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    assert "turns that raised: 0" in res.stdout
    scored = subprocess.run([sys.executable, str(EVAL / "score.py"), str(tmp_path / "turns.jsonl"),
                             str(tmp_path / "answers.jsonl"), "--json"], check=True, capture_output=True, text=True)
    overall = json.loads(scored.stdout.strip().splitlines()[-2])["overall"]
    assert overall["answer_match"] >= 0.5, overall


def test_a_city_swapped_into_a_prose_question_that_it_does_not_state_gets_not_stated(assistant):
    """倉敷市 and 千葉市 state fire measures for their servers; 郡山市's assessment does not: the swap is answered
    'not stated' with the nearest text cited, judged as a which-cities prose condition is."""
    first, swap = _chat(assistant, "倉敷市のサーバーは火災に対してどんな備えをしていますか", "郡山市は？")
    assert "防火設備" in first.text
    assert swap.kind == "blank" and not swap.answerable and swap.cities == ("郡山市",)
    assert swap.citations[0].doc == "001_fd6f090b79f37056.txt"
    _, kept = _chat(assistant, "倉敷市のサーバーは火災に対してどんな備えをしていますか", "千葉市は？")
    assert kept.answerable and "ガス系消火設備" in kept.text


def test_a_city_swapped_into_an_inquiry_handling_answer_keeps_the_row(assistant):
    # the first turn is answered from Kanazawa's ②対応方法 (handling an inquiry); the swap from Koriyama's. Before,
    # the swap was answered with a field whose label matched incidental words ("file" -> 委託先への特定個人情報
    # ファイルの提供方法, line 143; "inquiry" -> 連絡先, line 857)
    first, second = _chat(assistant, "When Kanazawa receives an inquiry about how the file is handled, what does it "
                                     "do first?", "And Koriyama?")
    assert (first.citations[0].doc, first.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 343)
    assert (second.citations[0].doc, second.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 858)
    assert "受付票を起票" in first.text and "受付票" in second.text and "024-" not in second.text


def test_a_follow_up_is_answered_in_its_own_language(assistant):
    first, second = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", "And Chiba?")
    assert first.text.startswith("郡山市の保管期間は 定められていない")
    assert second.text.startswith("千葉市 (国民年金に関する事務) — 保管期間: 6年以上10年未満")


def test_an_english_question_with_a_japanese_gloss_is_answered_in_english(assistant):
    from piaqa.understand.query import reply_language

    assert [reply_language(q) for q in ("which cities re-delegate (再委託) system maintenance?", "再委託している市は？",
                                        "Who is Kanazawa's contractor?", "And Chiba?", "千葉市は？")] == \
        ["en", "ja", "en", "en", "ja"]
    ans = assistant.ask("which cities re-delegate (再委託) system maintenance?")
    assert ans.text.startswith("4 of 5 cities match (") and ans.text.endswith("): 郡山市, 高知市, 千葉市, 金沢市.")


def test_a_city_swap_after_a_kind_question_asks_the_new_citys_kind(assistant):
    _, second = _chat(assistant, "倉敷市の評価書の種類は？", "千葉市は？")
    assert second.kind == "meta" and second.text.startswith("千葉市の国民年金に関する事務の評価書は全項目評価書です")
    assert second.citations[0].doc == "003_36f852d2897e428a.txt"


def test_the_understanding_pass_reads_what_kind_of_answer_is_asked_once(assistant):
    """The Query carries the expected answer (type, manner, rating, which row); a follow-up's Query carries the
    earlier question's, since it asks the same thing of another city."""
    u = assistant.understander
    q = u.understand("高知市の操作ログは何年保存しますか")
    assert (q.answer_type, q.asks_manner, q.asks_rating, q.asks_which) == ("duration", False, False, False)
    q = u.understand("How does Koriyama train its staff?")
    assert (q.answer_type, q.asks_manner, q.asks_rating) == (None, True, False)
    assert u.understand("郡山市の監査は十分か").asks_rating
    assert u.understand("どのリスクの対策が「課題が残されている」ですか").asks_which
    first = assistant.ask("郡山市の収納管理システムファイルの保管期間は何年？")
    swapped = assistant._resolve("千葉市は？", [("郡山市の収納管理システムファイルの保管期間は何年？", first)])
    assert swapped.cities == ("千葉市",) and swapped.answer_type == "duration"


def test_a_city_swapped_in_is_asked_about_its_own_business(assistant):
    """「住民票の仕事」 named for 高知市 becomes 金沢市's 児童手当 when the same question is asked of 金沢市."""
    u = assistant.understander
    assert u.swap_jimu("高知市の住民票の仕事で、記録は何年残すの？", "高知市", "金沢市") == "高知市の児童手当の仕事で、記録は何年残すの？"
    assert u.swap_jimu("倉敷市の年金のシステムの委託先は？", "倉敷市", "高知市") == "倉敷市の住民票のシステムの委託先は？"
    assert u.swap_jimu("郡山市の市民税課への移転は？", "郡山市", "高知市") == "郡山市の市民税課への移転は？"  # an office
    _, second = _chat(assistant, "高知市の住民票の仕事で、職員がシステムで誰を検索したかの記録って何年残してるの？", "金沢市は？")
    assert second.question == "金沢市の児童手当の仕事で、職員がシステムで誰を検索したかの記録って何年残してるの？"
    assert second.cities == ("金沢市",) and second.citations[0].doc == "004_57af33314b6a26f0.txt"


def test_an_english_city_swap_leaves_out_the_business_the_new_city_has_no_assessment_of(assistant):
    """"… in its resident register work?" asked again of 千葉市 (whose assessment is of its national pension work) is
    asked without the phrase naming the resident register: paper is dissolved by an outside contractor (line 1040;
    with the resident register's words kept, the magnetic-disk sentence of line 2035 was quoted). Asked again of
    郡山市 too: its incinerator (line 838), where with "work" left behind (業務) the answer was "not stated"."""
    u = assistant.understander
    asked = "How does Kochi dispose of paper records in its resident register work?"
    assert u.drop_jimu_en(asked, "高知市", "千葉市") == "How does Kochi dispose of paper records?"
    assert u.drop_jimu_en(asked, "高知市", "高知市") == asked  # the same business: nothing to leave out
    framed = "In Kochi's resident register assessment, what happens to paper records?"
    assert u.drop_jimu_en(framed, "高知市", "千葉市") == "In Kochi's assessment, what happens to paper records?"
    body = "Does Kochi's Resident Register Division keep paper records?"  # a body named after the business stays
    assert u.drop_jimu_en(body, "高知市", "千葉市") == body
    _, second, third = _chat(assistant, asked, "And Chiba?", "What about Koriyama?")
    assert second.question == "How does Chiba dispose of paper records?"
    assert second.cities == ("千葉市",) and "外部業者による溶解処理" in second.text, second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1040)
    assert third.answerable and third.cities == ("郡山市",) and "焼却処分" in third.text, third.text
    assert (third.citations[0].doc, third.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 838)


def test_an_english_follow_up_with_a_glossed_city_is_read_as_english(assistant):
    """"Does the city ever go and inspect …? (金沢市)": a yes/no question about an action, not a name."""
    _, second = _chat(assistant, "金沢市の児童手当の委託先はどこ？", "Does the city ever go and inspect the contractor's site itself?")
    assert second.cities == ("金沢市",) and second.field is None and "富士通" not in second.text


KOCHI = "002_8198ed8bac5210ca.txt"


@pytest.mark.parametrize("first,follow_up", [
    ("Does Kochi log who accessed whose data in the resident register system?", "How long do they keep those logs?"),
    ("高知市の住民票事務では、特定個人情報の使用の記録を残していますか？", "その記録の保存期間は？")])
def test_a_demonstrative_asks_of_what_the_last_answer_stated(assistant, first, follow_up):
    """"those logs" / 「その記録」 after an answer about the use records: how long the records the last answer stood on
    are kept, which the row detailing that item states (line 484: 「記録は、5年間分保存する」), not the file's
    保管期間 (20年以上, line 235). The first answer is the choice row (line 483) in English and the detail row itself
    in Japanese; both anchor the same row."""
    first_answer, second = _chat(assistant, first, follow_up)
    assert (first_answer.citations[0].doc, first_answer.citations[0].line_start) in {(KOCHI, 483), (KOCHI, 484)}
    assert "5年間分" in second.text and "20年以上" not in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == (KOCHI, 484)


def test_a_demonstrative_before_a_noun_points_at_the_last_answer():
    from piaqa.understand.followup import names_answered
    assert names_answered("その記録の保存期間は？") and names_answered("How long are those records kept?")
    assert names_answered("What is that training about?") and names_answered("この退避データはどこに置くの？")
    # not 「その他」 ("other"), a subset, a file (carried as a qualifier), nor "that" opening a clause
    assert not names_answered("その他の措置は？") and not names_answered("そのうち全項目評価書はどれ？")
    assert not names_answered("そのファイルの保管期間は？") and not names_answered("Who approves access to that file?")
    assert not names_answered("Does Kochi say that it checks the logs?") and not names_answered("How long are they kept?")


@pytest.mark.parametrize("first,follow_up,value,line", [
    ("Who's the outside contractor for Kanazawa's child allowance system?", "How many of their people handle the data?",
     "50人以上100人未満", 136),
    ("Who maintains Kurashiki's national pension system for them?", "How many of their people handle the data?",
     "10人未満", 90),
])
def test_a_follow_up_pointing_back_asks_within_the_answered_item(assistant, first, follow_up, value, line):
    """"their people" after a contractor's answer: the contractor's staff of that item (委託先における取扱者数), not
    the city's 使用者数 or 事務担当部署."""
    _, second = _chat(assistant, first, follow_up)
    assert value in second.text and second.kind == "field"
    assert second.citations[0].line_start == line


@pytest.mark.parametrize("first,follow_up", [
    ("How often does Kanazawa pass child allowance data to its livelihood protection section?",
     "What is the legal basis for that one?"),
    ("金沢市は児童手当のデータを生活保護の担当課にどのくらいの頻度で移転してる？", "その法令上の根拠は？"),
])
def test_an_item_whose_row_was_left_blank_is_still_the_one_pointed_back_at(assistant, first, follow_up):
    """金沢市's 移転先2 (生活支援課) leaves a row blank: "not stated"; "that one" still is 移転先2, whose ①法令上の根拠 is
    番号法第9条2項 (line 187), not the business's own legal basis (line 97) nor every 移転先's."""
    blank, second = _chat(assistant, first, follow_up)
    assert blank.kind == "blank" and blank.field is not None and blank.field.item == "移転先2"
    assert second.kind == "field" and "番号法第9条2項" in second.text and "第106号" not in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 187)


def test_an_answered_item_is_not_carried_into_another_city(assistant):
    """The item is the query's, not its text's: 「高知市は？」 after 金沢市's 委託事項1 asks 高知市's own 再委託事項
    (line 190), not a 委託事項1 of 高知市's that its file lacks."""
    *_, third = _chat(assistant, "金沢市の児童手当事務で、特定個人情報ファイルの取扱いを委託している委託先はどこですか。",
                      "その再委託事項は何ですか。", "高知市は？")
    assert third.cities == ("高知市",) and "既存住民基本台帳システムの運用支援及び改修業務" in third.text


@pytest.mark.parametrize("question,rest", [
    ("Switching topics — where is their server kept?", "where is their server kept?"),
    ("Different question: who do they send pension data to?", "who do they send pension data to?"),
    ("By the way, who audits?", "who audits?"),
    ("ちょっと話変わるけど、倉敷市ってサーバーはどこに置いてるの？", "倉敷市ってサーバーはどこに置いてるの？"),
    ("話は変わりますが、郡山市の監査は何に基づいて実施されていますか。", "郡山市の監査は何に基づいて実施されていますか。"),
    # a topic before the dash is part of the question; a marker alone is left as it is
    ("Back to the staff rules — what happens?", "Back to the staff rules — what happens?"),
    ("And Chiba's audit — who does it?", "And Chiba's audit — who does it?"), ("Switching topics", "Switching topics"),
])
def test_a_discourse_marker_opening_a_turn_is_no_part_of_the_question(question, rest):
    from piaqa.understand.followup import without_discourse
    assert without_discourse(question) == rest


@pytest.mark.parametrize("follow_up,resolved", [("で、その消去って誰がやるの？", "千葉市のその消去って誰がやるの？"),
                                               ("それで、誰が立ち会うの？", "千葉市の誰が立ち会うの？")])
def test_a_conjunction_opening_a_follow_up_is_no_part_of_what_is_asked(assistant, follow_up, resolved):
    """「で、」「それで、」 ("so,") open a follow-up as じゃあ does: the city goes before what is asked, not before the
    conjunction (was 「千葉市ので、その消去…」)."""
    _, second = _chat(assistant, "千葉市の国民年金で、古いディスクはどうやって消去してる？", follow_up)
    assert second.question == resolved and second.cities == ("千葉市",)


def test_a_topic_switch_keeps_the_city(assistant):
    """"Switching topics — where is their server kept?" after a question about 倉敷市: 倉敷市's 保管場所 (line 124),
    with the marker's words no part of what is searched."""
    _, second = _chat(assistant, "How are staff in Kurashiki's national pension section trained on privacy?",
                      "Switching topics — where is their server kept?")
    assert second.cities == ("倉敷市",) and second.question.startswith("where is their server kept?")


@pytest.mark.parametrize("which,follow_up", [("再委託している市はどこ？", "その再委託事項は何ですか。"),
                                             ("Which cities re-delegate work?", "What do they re-delegate?")])
def test_a_follow_up_naming_no_city_after_a_which_cities_answer_is_answered_for_each_city(assistant, which,
                                                                                      follow_up):
    """After "4 of 5 cities match", a follow-up that names no city asks each of the four (was: the question alone,
    over every document, or a refusal), and each city's row cites its own document's line."""
    first, each = _chat(assistant, which, follow_up)
    assert set(first.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}
    assert each.kind == "each-city" and set(each.cities) == set(first.cities)
    assert [r.city for r in each.rows] == ["郡山市", "高知市", "千葉市", "金沢市"]  # 倉敷市 did not match: not asked
    rows = {r.city: r for r in each.rows}
    kochi, kanazawa = each.citations[rows["高知市"].citation], each.citations[rows["金沢市"].citation]
    assert (kochi.doc, kochi.line_start) == ("002_8198ed8bac5210ca.txt", 190)
    assert (kanazawa.doc, kanazawa.line_start) == ("004_57af33314b6a26f0.txt", 140)
    assert "既存住民基本台帳システムの運用支援及び改修業務" in rows["高知市"].value
    assert "福祉保健総合システムの品質管理、問題点管理、QA対応" in rows["金沢市"].value


def test_a_kind_of_value_asked_of_each_city_keeps_the_which_cities_topic(assistant):
    """「誰が許諾するの？」 asks nothing but a kind of value: each city is asked it about the which-cities question's
    topic (再委託), and answers from its own 再委託の許諾方法."""
    _, each = _chat(assistant, "再委託している市はどこ？", "誰が許諾するの？")
    rows = {r.city: r for r in each.rows}
    assert each.kind == "each-city" and set(rows) == {"郡山市", "高知市", "千葉市", "金沢市"}
    kochi = each.citations[rows["高知市"].citation]
    assert (kochi.doc, kochi.line_start) == ("002_8198ed8bac5210ca.txt", 189)
    assert "再委託承認申請書" in rows["高知市"].value


@pytest.mark.parametrize("after,kind", [("ありがとう", "abstain"), ("倉敷市は？", "aggregate-row"),
                                        ("そのうち全項目評価書はどれ？", "aggregate")])
def test_small_talk_a_city_or_a_narrowing_after_a_which_cities_answer_is_not_asked_of_each_city(assistant, after,
                                                                                                 kind):
    _, second = _chat(assistant, "再委託している市はどこ？", after)
    assert second.kind == kind


def test_a_follow_up_is_put_with_the_topic_it_goes_on_about_in_its_own_grammar():
    from piaqa.understand.followup import about
    assert about("How often?", "run a self-check") == "How often? (run a self-check)"
    assert about("How often?", "") == "How often?"
    assert about("誰がやるの？", "焼却している") == "焼却しているについて、誰がやるの？"


def test_a_which_cities_turn_as_one_citys_turn_asks_its_topic_of_that_city_and_cites_its_row(assistant):
    """The turn a per-city follow-up builds on: the which-cities condition asked of the city, answered by the
    city's row on its own line (a follow-up pointing back points there)."""
    from piaqa.understand.followup import city_turn, topic_of
    question = "再委託している市はどこ？"
    turn = (question, assistant.ask(question))
    topic = topic_of(turn, assistant.understander)
    asked, answer = city_turn(turn, "高知市", topic)
    assert topic and topic in asked and asked.startswith("高知市")
    assert answer.cities == ("高知市",) and answer.kind == "describe"
    assert (answer.citations[0].doc, answer.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 188)


def test_a_follow_up_naming_no_city_after_a_listing_is_answered_for_each_listed_city(assistant):
    """After 「各市の委託先を一覧にして」, 「その再委託事項は？」 asks each listed city: 倉敷市 re-delegates nothing (記載なし),
    高知市's row cites its own 再委託事項 line."""
    listing, each = _chat(assistant, "各市の委託先を一覧にして", "その再委託事項は？")
    assert listing.kind == "list" and len(listing.cities) == 5
    rows = {r.city: r for r in each.rows}
    assert each.kind == "each-city" and set(rows) == {"倉敷市", "郡山市", "高知市", "千葉市", "金沢市"}
    assert not rows["倉敷市"].satisfied and rows["倉敷市"].citation is None
    kochi = each.citations[rows["高知市"].citation]
    assert (kochi.doc, kochi.line_start) == ("002_8198ed8bac5210ca.txt", 190)
    assert "既存住民基本台帳システムの運用支援及び改修業務" in rows["高知市"].value


@pytest.mark.parametrize("which,one", [
    ("再委託している市はどこ？", "そのうち高知市では、再委託の許諾はどうやってるの？"),
    ("Which cities re-delegate work?", "Of those, how does Kochi approve re-delegation?")])
def test_one_of_those_cities_named_after_a_which_cities_answer_is_asked_about_on_its_own(assistant, which, one):
    """「そのうち高知市では…」 picks one of the matched cities and asks about it: a lookup in its document (was: a
    narrower which-cities question whose first condition's words led the search)."""
    _, ans = _chat(assistant, which, one)
    assert ans.kind not in ("aggregate", "each-city") and ans.cities == ("高知市",)
    assert ans.citations[0].doc == "002_8198ed8bac5210ca.txt"
    if one.startswith("そのうち"):
        assert "再委託承認申請書" in ans.text and ans.citations[0].line_start == 189


def test_a_follow_up_stays_in_the_file_section_the_previous_answer_stood_on(assistant):
    """After the password rule of 高知市's 住民基本台帳ファイル (III (1), line 482), who leaves or moves is answered
    from the same file's row (line 480), not the 本人確認情報ファイル's like sentence (line 630). (Turns of dev17
    d17c01.)"""
    first, second = _chat(assistant, "For Kochi's resident register system, how often do users have to change their "
                                     "passwords?", "And for staff who leave or move to another section?")
    assert first.citations[0].path == second.citations[0].path
    assert (second.citations[0].doc, second.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 480)
    assert "当該ユーザIDを失効させる" in second.text


def test_a_follow_up_about_the_contractors_stays_with_the_training_the_last_answer_quoted(assistant):
    """After 倉敷市's staff training (III-9, line 250), "What about their contractors?" is the contractors' training
    in the same row (秘密保持契約, line 250), not the contractor's name (委託先名, line 91): the field-vs-prose
    choice weighs which candidate stands in the section the last answer cited. (Turns of dev17 d17c05.)"""
    first, second = _chat(assistant, "How are staff in Kurashiki's national pension section trained on privacy?",
                         "What about their contractors?")
    assert first.citations[0].line_start == 250
    assert second.kind == "describe" and (second.citations[0].doc, second.citations[0].line_start) == (
        "000_2b92446a3e503446.txt", 250)
    assert "秘密保持契約" in second.text


def test_a_turn_that_switches_topics_is_not_held_near_the_last_answer(assistant):
    first = "高知市の住民票システムのパスワードは何か月ごとに変えるの？"
    turns = [(first, assistant.ask(first))]
    switched = assistant.understood("話は変わるけど、高知市のサーバはどこに置いてるの？", turns, list(assistant.docs))
    same = assistant.understood("高知市のサーバはどこに置いてるの？", turns, list(assistant.docs))
    assert switched.near is None and same.near is not None
    assert same.near.path == turns[0][1].citations[0].path


@pytest.mark.parametrize("swap", ["What about Koriyama?", "郡山市は？", "Koriyama?"])
def test_a_city_swap_after_a_field_answer_asks_the_same_row(assistant, swap):
    """The row the last answer stated is asked of the new city: "How many of its staff …" meant the contractor's
    staff (委託先における取扱者数), which the question's words alone do not say (was: 郡山市's 対象人数 or "not
    stated")."""
    _, second, third = _chat(assistant, "Which company runs Kanazawa's child allowance system for the city?",
                             "How many of its staff handle the My Number data?", swap)
    assert second.field is not None and second.field.label == "委託先における取扱者数"
    assert third.kind == "field" and third.cities == ("郡山市",)
    assert third.field is not None and third.field.label == "委託先における取扱者数"
    assert "10人以上50人未満" in third.text
    assert (third.citations[0].doc, third.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 142)


def test_a_city_swap_whose_document_lacks_the_row_is_asked_by_its_words(assistant):
    """千葉市's PDF text has no 保管場所 row of its own: the swapped question is answered as before, from its words."""
    first, second = _chat(assistant, "倉敷市の国民年金の特定個人情報の保管場所は？", "千葉市は？")
    assert first.field is not None and first.field.label == "保管場所"
    assert not assistant.fields.of("保管場所", ["003_36f852d2897e428a.txt"])
    assert second.cities == ("千葉市",) and second.citations
    assert second.citations[0].doc == "003_36f852d2897e428a.txt"


@pytest.mark.parametrize("remark", ["Great, that's everything I needed. Thanks!", "That's all I needed, thank you.",
                                    "Perfect, that answers my question.", "了解です。それで十分です。",
                                    "どうもありがとう、助かりました"])
def test_thanks_holding_corpus_words_is_small_talk_not_a_question(assistant, remark):
    """A turn that only thanks or acknowledges is answered as small talk (welcome, what piaqa answers), however
    many corpus words it holds ("needed" is the lexicon's 必要, 十分 a rating): it used to quote その必要性."""
    _, reply = _chat(assistant, "How long does Chiba keep its national pension records?", remark)
    assert reply.kind == "abstain" and not reply.answerable and not reply.citations
    thanked = remark.startswith(("Great", "That's all", "どうも"))  # "Perfect, that answers…", 「了解です」 thank for nothing
    assert reply.text.startswith(("You're welcome.", "どういたしまして。")) is thanked
    assert "piaqa" in reply.text


@pytest.mark.parametrize("question, ok", [
    ("Thanks!", True), ("Got it, thanks.", True), ("ありがとう、助かりました。", True), ("了解です。", True),
    ("Thanks. Is it the same for Kochi?", False), ("Great. Which cities re-delegate?", False),
    ("Thanks, now tell me who the contractor is", False), ("なるほど、千葉市は？", False),
    ("なるほど。じゃあ委託先は？", False), ("了解です。それは十分ですか", False), ("ありがとう、あと委託先を教えて", False),
    ("Who is the contractor?", False), ("委託先はどこ", False)])
def test_courtesy_only_asks_nothing(question, ok):
    from piaqa.understand.followup import courtesy_only

    assert courtesy_only(question) is ok


def test_thanks_with_a_question_is_answered(assistant):
    _, reply = _chat(assistant, "Who is Kanazawa's contractor for the child allowance system?",
                     "Thanks. Is it the same for Kochi?")
    assert reply.answerable and reply.cities == ("高知市",) and "富士通Japan" in reply.text


def test_a_swap_after_a_prose_answer_takes_the_new_citys_row_when_its_prose_does_not_state_it(assistant):
    """千葉市's 重大事故 question was answered from its sentence; 郡山市's prose does not state it, its form does (its
    発生なし row): the row answers (was: 'does not state this', from prose only)."""
    _, second = _chat(assistant, "Has Chiba had a serious personal data incident in the last three years?",
                      "What about Koriyama?")
    assert second.answerable and second.kind == "field" and second.cities == ("郡山市",)
    assert "発生なし" in second.text
    assert second.citations[0].doc == "001_fd6f090b79f37056.txt" and second.field.label.endswith("重大事故が発生したか")


def test_a_swapped_question_does_not_count_the_other_citys_business_name_against_the_new_city(assistant):
    """「郡山市の滞納整理の評価書だと…」 asked of 千葉市: 滞納整理 named 郡山市's assessment, and 千葉市's never says it, so it
    does not make 千葉市's sentence cover less than 郡山市's (was: 'not stated', quoting that very sentence)."""
    _, second = _chat(assistant, "郡山市の滞納整理の評価書だと、いらなくなった紙の書類ってどうやって処分するの？", "千葉市は？")
    assert second.answerable and second.kind == "describe" and second.cities == ("千葉市",)
    c = second.citations[0]
    assert (c.doc, c.line_start) == ("003_36f852d2897e428a.txt", 1040) and "溶解処理" in second.text


def test_an_english_swap_holding_a_japanese_name_is_swapped_as_english(assistant):
    """An English question with a system's Japanese name in it is English: the new city goes in by its English name
    and the old city's business name ("child allowance") goes (was: 「In 高知市's child allowance assessment …」, then
    'not stated')."""
    _, second = _chat(assistant, "In Kanazawa City's child allowance assessment, how long are the access logs of the "
                      "福祉保健総合システム kept?", "And Kochi?")
    assert second.question.startswith("In Kochi's assessment, how long are the access logs")
    assert second.answerable and second.cities == ("高知市",) and "5年間" in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 484)


@pytest.mark.parametrize("swap", ["How does Koriyama handle that?", "郡山市はどうしてる？"])
def test_a_light_verb_pointing_back_with_a_city_is_a_city_swap(assistant, swap):
    """"How does Koriyama handle that?": the verb asks nothing of its own, its object points back, so the last
    question is asked of 郡山市 (was: asked as it stands, quoting 郡山市's inquiry desk)."""
    _, second = _chat(assistant, "According to Kochi City's resident registry assessment, what training do the "
                      "contractors' staff get?", swap)
    assert second.cities == ("郡山市",) and "contractors' staff" in second.question
    assert second.answerable and second.citations[0].doc == "001_fd6f090b79f37056.txt"


@pytest.mark.parametrize("first, then, label, line, value", [
    ("金沢市は児童手当の情報を市民課にどのくらいの頻度で移転していますか。", "What do they use it for?",
     "移転先における用途", 179, "支給開始・終了年月日を印字"),
])
def test_a_purpose_asked_of_an_answered_item_is_the_items_own_row(assistant, first, then, label, line, value):
    """"What do they use it for?" after 金沢市's 移転先1 (市民課): the wording names 使用目的 and 用途, and within the item
    its 移転先における用途 is the row it names (was: the file's 使用目的, 児童手当の受給資格の審査…)."""
    _, second = _chat(assistant, first, then)
    assert second.kind == "field" and second.field.label == label and second.field.item == "移転先1"
    assert second.citations[0].line_start == line and value in second.text


@pytest.mark.parametrize("first, then, label, item, line, value", [
    # a Japanese follow-up naming only the row drops its subject, as Japanese does: the item answered is still meant
    ("郡山市の滞納管理システムファイルの提供先は何に使うの？", "渡し方は？", "提供方法", "提供先1", 177, "紙"),
    ("郡山市の滞納管理システムファイルの提供先はどこ？", "どうやって送ってるの？", "提供方法", "提供先1", 177, "紙"),
    # everyday words for the item's rows: how it is sent, what is sent, how many of the contractor's people handle it
    ("倉敷市の国民年金の情報はどこに提供されていますか。", "In what form does it go to them?", "提供方法", "提供先1", 104,
     "電子記録媒体"),
    ("金沢市は児童手当の情報を市民課にどのくらいの頻度で移転していますか。", "What information is passed to them?",
     "移転する情報", "移転先1", 180, "児童手当の支給開始日及び終了日"),
    ("倉敷市の国民年金システムの委託先はどこ？", "向こうで何人くらいが扱ってるの？", "委託先における取扱者数", "委託事項1", 90,
     "10人未満"),
])
def test_another_row_of_the_answered_item_is_asked_in_everyday_words(assistant, first, then, label, item, line, value):
    """After one row of an item (提供先1, 移転先1, 委託事項1), a follow-up asking another of its rows in everyday words
    states that row of the same item (was: 移転方法 of 移転先1 for 「渡し方は？」 after 提供先1, prose on 請求方法 for "In
    what form…", the file's 使用者数 for the contractor's people)."""
    _, second = _chat(assistant, first, then)
    assert second.kind == "field" and (second.field.label, second.field.item) == (label, item)
    assert second.citations[0].line_start == line and value in second.text


@pytest.mark.parametrize("then, item, line, value", [
    ("二件目のほうは何に使われる？", "提供先2", 159, "中国残留邦人等支援給付等の支給"),
    ("And the second one — what is it used for?", "提供先2", 159, "中国残留邦人等支援給付等の支給"),
])
def test_an_ordinal_with_no_noun_counts_the_items_of_the_kind_last_answered(assistant, then, item, line, value):
    """「二件目のほうは？」 "the second one" after 金沢市's first 提供先: its second 提供先 (was: 提供先1's 用途 again, and
    in English 提供先3, which the words 'used for' suggested, left blank)."""
    _, second = _chat(assistant, "金沢市の児童手当情報ファイルの最初の提供先はどこですか。", then)
    assert second.kind == "field" and (second.field.label, second.field.item) == ("提供先における用途", item)
    assert second.citations[0].line_start == line and value in second.text


def test_an_ordinal_counting_past_the_items_stated_is_not_stated(assistant):
    """「三件目は何のために出してるの？」: 金沢市's third 提供先 is left blank, so it is not stated (was: 「三件目」 read as an
    attribute the form lacks)."""
    _, second = _chat(assistant, "金沢市の児童手当情報ファイルの最初の提供先はどこですか。", "三件目は何のために出してるの？")
    assert second.kind == "blank" and second.field.item == "提供先3" and second.citations[0].line_start == 167
