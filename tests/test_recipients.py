"""A body a question names as where data goes (「保育幼稚園課へ移転する際の根拠」) is checked against the bodies the
assessment states its data goes to (提供先, 移転先, contractors): a body it never names there — a source only, a
destination the change log deleted, a recipient of a city that provides to none — is "not stated", never another
recipient's row; a body a category row may hold (都道府県知事等, 官公署) is left to the lookup."""
from __future__ import annotations

from dataclasses import replace

import pytest

from piaqa.answer.recipients import absent_recipient, names_body
from piaqa.records import Field
from piaqa.understand.recipient import named_recipients

KORIYAMA = "001_fd6f090b79f37056.txt"
KOCHI = "002_8198ed8bac5210ca.txt"
CHIBA = "003_36f852d2897e428a.txt"
KANAZAWA = "004_57af33314b6a26f0.txt"
KURASHIKI = "000_2b92446a3e503446.txt"


@pytest.mark.parametrize("question, bodies", [
    ("金沢市は保育幼稚園課へ何を移転してる？", ("保育幼稚園課",)),
    ("郡山市が保健福祉部介護保険課に回してる情報は？", ("保健福祉部介護保険課",)),
    ("高知市教育委員会に対して提供する情報の用途は？", ("高知市教育委員会",)),
    ("What law lets Kanazawa pass its data on to the childcare division (保育幼稚園課)?", ("保育幼稚園課",)),
    # a source, the body doing the work, a role rather than a name, "outside", a submitted assessment: none
    ("国民健康保険課から受け取る情報は？", ()),
    ("市民課が入力した情報は？", ()),
    ("国保の担当課に回してる情報は？", ()),
    ("端末を外部へ持ち出さないための措置は？", ()),
    ("評価書を個人情報保護委員会に提出した日は？", ()),
])
def test_bodies_named_as_where_data_goes(question, bodies):
    assert named_recipients(question) == bodies


@pytest.mark.parametrize("body, value, named", [
    ("市民課", "市民課", True),
    ("金沢市市民課", "市民課", True),
    ("国保課", "保健福祉局健康福祉部国民健康保険課", True),  # the usual shortening of its last section
    ("年金機構", "日本年金機構", True),
    ("地方公共団体情報システム機構", "都道府県及び機構", True),  # one of a listed pair
    ("福島情報処理センター", "株式会社福島情報処理センター", True),
    ("保健福祉部介護保険課", "建設交通部住宅政策課", False),
    ("保育幼稚園課", "生活支援課", False),
])
def test_a_row_names_a_body(body, value, named):
    assert names_body(body, value) is named


def _row(label: str, value: str, line: int, history: bool = False) -> Field:
    return Field(doc="d", city="c", path=("II",), item=None, label=label, raw_label=label, value=value,
                 options=(), line_start=line, line_end=line, history=history)


def test_a_body_no_destination_row_names_is_absent_unless_a_category_may_hold_it():
    rows = [_row("移転先", "市民課", 1), _row("提供先", "都道府県知事等", 2), _row("委託先名", "富士通Japan株式会社", 3),
            _row("移転先", "保育幼稚園課", 4, history=True)]  # the change log's value is no current destination
    absent = absent_recipient(("保育幼稚園課",), rows)
    assert absent is not None and absent.body == "保育幼稚園課"
    assert [f.line_start for f in absent.stated] == [1, 2, 3]
    assert absent_recipient(("市民課",), rows) is None
    assert absent_recipient(("福井県知事",), rows) is None  # 都道府県知事等 may hold it
    assert absent_recipient(("日本年金機構",), rows[:1]) is not None  # no outside recipient at all


def test_a_source_only_body_is_not_stated_as_a_destination(assistant):
    ans = assistant.ask("金沢市って保育幼稚園課にはどういう根拠で児童手当のデータを渡してるの？")
    assert not ans.answerable
    assert "保育幼稚園課" in ans.text and "記載がありません" in ans.text
    # the rows stating where its data does go are cited: 移転先1 市民課 (line 177), 移転先2 生活支援課 (line 186)
    assert {(c.doc, c.line_start) for c in ans.citations} >= {(KANAZAWA, 177), (KANAZAWA, 186)}


def test_a_destination_the_change_log_deleted_is_not_stated(assistant):
    ans = assistant.ask("What does Koriyama move to its long-term care insurance division (介護保険課)?")
    assert not ans.answerable and "介護保険課" in ans.text and "not stated" in ans.text
    assert (KORIYAMA, 183) in {(c.doc, c.line_start) for c in ans.citations}  # 移転先1 建設交通部住宅政策課


def test_a_city_providing_to_no_body_does_not_state_one(assistant):
    ans = assistant.ask("千葉市が日本年金機構に情報を提供する根拠法令は？")
    assert not ans.answerable and "日本年金機構" in ans.text
    assert all(c.doc == CHIBA for c in ans.citations)


@pytest.mark.parametrize("question, doc, line, value", [
    ("倉敷市が国保課に回してる情報って何？", KURASHIKI, 118, "国民年金資格関係情報"),
    # two rows spelled, one as the other's modifier: the head (法令上の根拠) is asked, of 移転先2 生活支援課
    ("金沢市が生活支援課に移転する情報の法令上の根拠は？", KANAZAWA, 187, "番号法第9条2項"),
])
def test_a_body_a_destination_row_names_is_answered(assistant, question, doc, line, value):
    ans = assistant.ask(question)
    assert ans.answerable and value in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (doc, line)


def test_an_item_named_by_its_title_is_asked_its_row_not_the_title(assistant):
    # 移転先2's title (保健福祉局健康福祉部国民健康保険課) is spelled by its last section: it says which item; its use is asked
    ans = assistant.ask("What does Kurashiki's 国民健康保険課 use the transferred pension data for?")
    assert "国民健康保険被保険者の資格適正化" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KURASHIKI, 117)


def test_a_why_of_a_transfer_is_answered_by_its_purpose(assistant):
    ans = assistant.ask("Why does Kanazawa move child allowance data to the 市民課?")
    assert "住民票に児童手当の支給開始・終了年月日を印字するため" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KANAZAWA, 179)


def test_statutory_provisions_ask_the_legal_basis(assistant):
    from piaqa.understand.glossary import expand

    assert "法令上の根拠" in expand("Which statutory provisions allow Chiba to do this?")
    ans = assistant.ask("Under what statute does Kurashiki hand pension data to the Japan Pension Service (日本年金機構)?")
    assert "国民年金法第3条及び第12条" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KURASHIKI, 99)


def test_an_item_named_in_an_english_question_keeps_its_words():
    from piaqa.understand.qualify import qualify

    rows = [_row("委託事項", "後期高齢者医療保険料徴収システム運用管理業務", 1), _row("委託事項", "郡山市税総合システム構築業務", 2)]
    rows = [replace(rows[0], item="委託事項1"), replace(rows[1], item="委託事項2")]
    qual = qualify("Which company does the 後期高齢者医療保険料徴収システム運用管理 work for Koriyama?", rows)
    assert qual.items == ("委託事項1",)
    assert "Which company does the" in qual.rest and "work for Koriyama" in qual.rest


def test_a_follow_up_asks_within_the_recipient_the_last_question_named(assistant):
    # the first answer quotes a sentence of no item; the question named 移転先1 (市民課) by its title, and the
    # follow-up pointing back asks within it: its 移転方法 (line 183), not 提供先1's 提供方法
    from tests.conftest import chat

    first, then = chat(assistant, "Kanazawa passes its child-allowance info on to the citizens section. Is that safe?",
                       "How does it get sent there?")
    assert first.field is None
    assert "庁内LAN" in then.text
    assert (then.citations[0].doc, then.citations[0].line_start) == (KANAZAWA, 183)


@pytest.mark.parametrize("question, purpose", [
    ("Kanazawa passes data to the citizens section. What's that for?", True),
    ("What is it sent for?", True),
    ("What is the legal basis for the transfer?", False),  # "for" that does not end the question
])
def test_for_ending_a_what_question_asks_a_purpose(question, purpose):
    from piaqa.understand.glossary import expand

    assert ("移転先における用途" in expand(question)) is purpose
