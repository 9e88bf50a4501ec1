"""Yes/no questions read from grammar (understand/polar.py), what can answer them (answer/choose.py), and the
interrogative's noun kept through the field scoring (answer/lookup.prefer_focus_pick)."""
from __future__ import annotations

import pytest

from piaqa.answer.choose import states_yes_no, value_named
from piaqa.answer.lookup import Pick, prefer_focus_pick
from piaqa.records import Field
from piaqa.understand.polar import asks_content, asks_whether_done, asks_yes_no

KURASHIKI = "000_2b92446a3e503446.txt"
KANAZAWA = "004_57af33314b6a26f0.txt"


@pytest.mark.parametrize("question, done", [
    ("郡山市の滞納整理の仕事って、業者に任せてるの？", True),
    ("電話一本で頼める？", True),
    ("委託業者がデータを持ち帰ってもいいの？", True),
    ("倉敷市は再委託していますか。", True),
    ("書類で答えさせるだけ？それとも実際に現場まで見に来るの？", True),  # the last sentence asks
    ("倉敷市の委託先はNECですか", False),  # whether a value is something: the value answers it
    ("千葉市は？", False),
    ("そのうちチェックリストを使うって明記してるのは？", False),  # 「…のは」: a noun phrase, which ones
    ("郡山市の保管期間を教えてください", False),  # a request for the value
    ("高知市は何を再委託してる？", False),
    ("職員が抜き出せる機能があるらしいけど心配。実際はどういう設定？", False),
])
def test_a_japanese_question_whether_something_is_done_is_read_from_its_ending(tokenizer, question, done):
    assert asks_whether_done(question, "ja", tokenizer) is done


@pytest.mark.parametrize("question, done", [
    ("Does Kanazawa City charge a fee for disclosure?", True),
    ("If I ask Chiba City to disclose my records, does it charge a fee?", True),
    ("And can staff take the data home?", True),
    ("Is Kurashiki's contractor Fujitsu?", False),  # a copula asks what a value is
    # unless a passive or a modal predicate follows it: whether something is done
    ("Is Kurashiki at least allowed to inspect its contractor?", True),
    ("Are the access logs checked by anyone?", True),
    ("Is the data kept on paper too?", True),
    ("Are staff able to take data home?", True),
    ("Is the contractor based in Okayama or in Tokyo? Which one?", False),  # an interrogative asks for a value
    ("How long does Chiba keep it?", False),
    ("What about Koriyama?", False),
    # an interrogative inside a clause is the object of the verb: the auxiliary opening the question asks yes or no
    ("Can the city see what the contractor did in the system?", True),
    ("Does Kochi record who looked at whose data?", True),
    # one opening the question or a clause of it asks for a value
    ("If a terminal is lost, who reports it?", False),
    ("In what form does Kurashiki send the data?", False),
    ("And Kochi — how does it take in paper forms?", False),
])
def test_an_english_question_whether_something_is_done_opens_with_an_auxiliary(tokenizer, question, done):
    assert asks_whether_done(question, "en", tokenizer) is done


def _field(label: str, value: str, options: tuple[str, ...] = (), line: int = 10) -> Field:
    return Field(doc=KURASHIKI, city="倉敷市", path=("II",), item=None, label=label, raw_label=label, value=value,
                 options=options, line_start=line, line_end=line)


@pytest.mark.parametrize("label, value, options, states", [
    ("委託先名", "富士通Japan株式会社岡山支社", (), False),
    ("使用者数", "10人未満", (), False),
    ("移転先", "市民課", (), False),
    ("再委託の有無", "再委託しない", (), True),
    ("委託契約書中の特定個人情報ファイルの取扱いに関する規定", "定めている", (), True),
    ("公表", "○", (), True),
    ("監査", "十分に行っている", ("特に力を入れて行っている", "十分に行っている"), True),
])
def test_only_a_choice_an_existence_row_or_a_statement_answers_whether_something_is_done(
        tokenizer, label, value, options, states):
    assert states_yes_no(_field(label, value, options), tokenizer.ends_on_verb) is states


def test_a_question_naming_most_of_a_value_names_it():
    assert value_named("富士通Japan株式会社岡山支社", "倉敷市の委託先は富士通Japanですか")
    assert not value_named("国民年金システムの保守・運用業務", "倉敷市の国民年金の委託先はどこ")  # a shared word only
    assert not value_named("市民課", "本庁の市民課のほかにも窓口はあるの")  # too short to be named, not chance


def test_the_focus_noun_survives_the_rows_bonuses():
    name = Pick(_field("委託先名", "富士通Japan株式会社岡山支社", line=91), 1.06)
    rule = Pick(_field("規定の内容", "・必要に応じて委託先の視察・監査を行う", line=188), 0.81)
    far = Pick(_field("規定の内容", "・目的外使用の禁止", line=300), 0.70)
    assert [p.field.line_start for p in prefer_focus_pick([name, rule], ("規定",))] == [188, 91]
    assert prefer_focus_pick([name, far], ("規定",))[0] is name  # beyond the tolerance: the context was the question
    assert prefer_focus_pick([rule, name], ("規定",))[0] is rule


def test_a_contract_question_asking_what_rules_gets_the_rules_not_the_contractor(assistant):
    ans = assistant.ask("倉敷市が年金システムの保守を頼んでいる業者との契約書には、どんな規定が入っていますか")
    assert ans.field is not None and ans.field.label == "規定の内容"
    assert "委託先の視察・監査" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KURASHIKI, 188)


def test_a_question_whether_something_is_allowed_is_not_answered_with_a_name(assistant):
    ans = assistant.ask("金沢市の児童手当の委託業者って、個人番号付きのデータを会社に持って帰ったりしてもいいの？")
    assert ans.cities == ("金沢市",) and ans.citations[0].doc == KANAZAWA
    assert ans.field is None and "富士通" not in ans.text  # the 委託先名 row names the contractor, it allows nothing


def test_an_english_question_whether_something_is_allowed_is_not_answered_with_a_name(assistant):
    """"Is Kurashiki allowed to inspect …?": the contract's rule (視察・監査), not the 委託先名 it names."""
    ans = assistant.ask("Is Kurashiki allowed to inspect the contractor that handles its pension data?")
    assert ans.cities == ("倉敷市",) and ans.field is None and "富士通" not in ans.text
    assert "視察・監査" in ans.text


def test_a_question_whether_a_value_is_something_is_answered_with_the_value(assistant):
    ans = assistant.ask("倉敷市の国民年金の委託先はNECですか？")
    assert ans.field is not None and ans.field.label == "委託先名" and "富士通Japan株式会社岡山支社" in ans.text


def test_not_stated_in_english_names_the_kind_only_when_one_was_asked(assistant):
    from piaqa.answer.describe import not_stated
    from piaqa.records import Unit
    from piaqa.search.unitsearch import UnitHit

    unit = Unit(0, KANAZAWA, "金沢市", ("VI",), "", "②請求方法", 338, 338, "指定様式による書面の提出により受け付ける。")
    plain = not_stated(assistant.understander.understand("Does Kanazawa charge a fee?"),
                       UnitHit(unit, 0.03, 0.8, 0.2), assistant.citation)
    assert plain.text.startswith("金沢市's assessment does not state this; nearest related text:")
    assert not plain.answerable and plain.citations[0].line_start == 338
    timed = not_stated(assistant.understander.understand("How often does Kanazawa check it?"),
                       UnitHit(unit, 0.03, 0.8, 0.2), assistant.citation)
    assert "does not state this (frequency);" in timed.text


@pytest.mark.parametrize("question, polar", [
    ("Can they pass the work on to another firm?", True),
    ("Could the contractor hand it to someone else?", True),
    ("Must staff sign a pledge?", True),
    ("Can you tell me who the contractor is", True),  # a request by its grammar; the lookup reads its target
    ("What can they pass on?", False),
])
def test_an_english_question_opening_with_a_modal_is_answered_yes_or_no(question, polar):
    assert asks_yes_no(question) is polar


def test_a_yes_no_question_with_a_modal_asks_the_existence_row(assistant):
    """"Could they hand the work to another firm?" after 倉敷市's contractor: its 再委託の有無, 再委託しない (was: prose on
    提供する情報; the blank 再委託事項 row scored above it and a modal did not make a yes/no question)."""
    first = "Who is Kurashiki's pension system contractor?"
    a = assistant.ask(first)
    b = assistant.ask("Could they hand the work to another firm?", history=[(first, a)])
    assert b.kind == "field" and (b.field.label, b.field.item) == ("再委託の有無", "委託事項1")
    assert b.citations[0].line_start == 92 and "再委託しない" in b.text


@pytest.mark.parametrize("question, content", [
    ("再委託してる？あるなら何？", True),  # the last sentence asks what
    ("再委託してる？", False),
    ("What is subcontracted?", True),
    ("Do they subcontract it?", False),
    ("誰でも使える？", False),  # 誰でも is an indefinite (anyone), not an interrogative
])
def test_a_question_asking_what_rather_than_whether(question, content):
    assert asks_content(question) is content


def test_what_is_asked_of_an_item_is_its_row_stating_what_not_whether(assistant):
    """「下請けに出してる作業は何？」 after 金沢市's contractor: the item's 再委託事項 (line 140), not its 再委託の有無, whose
    bare 再委託する sent the answer to a prose sentence on how subcontracting is approved."""
    first = "金沢市の児童手当のシステムの委託先はどこ？"
    a = assistant.ask(first)
    b = assistant.ask("下請けに出してる作業は何？", history=[(first, a)])
    assert b.kind == "field" and (b.field.label, b.field.item) == ("再委託事項", "委託事項1")
    assert b.citations[0].line_start == 140 and "品質管理" in b.text
