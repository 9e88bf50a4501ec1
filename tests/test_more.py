"""More of the same, and how it is done: "Anything else?" / 「他には？」 after a sentence quoted (followup.asks_more,
answer/more.py), "How do they do that?" / 「どうやって？」 (followup.only_detail), acknowledgements mid-conversation
("Got it.") — the grammar, the choice of the next statement, and whole conversations on the real corpus."""
from __future__ import annotations

import pytest

from piaqa.answer.more import next_statement
from piaqa.records import Unit
from piaqa.understand.answertype import REASON, matches
from piaqa.understand.followup import asks_more, only_detail, only_remarks
from tests.conftest import chat

CHIBA = "003_36f852d2897e428a.txt"
KANAZAWA = "004_57af33314b6a26f0.txt"
KURASHIKI = "000_2b92446a3e503446.txt"


@pytest.mark.parametrize("question", [
    "Anything else?", "What else do they do?", "Tell me more.", "Is that all?", "Is there more?", "Any more?",
    "Any other measures?", "And besides that?", "Did they give any other reason?", "Is that all they do?",
    "他には？", "で、ほかには？", "ほかに何かある？", "それだけですか", "もっと教えて", "他にもある？", "ほかに理由は書いてありますか？",
])
def test_a_follow_up_asking_only_for_more_is_read_as_such(assistant, question):
    assert asks_more(question, assistant.understander, assistant.has_target)


@pytest.mark.parametrize("question", [
    "Does anyone else do this?",  # which cities
    "Who else does that?",
    "ほかに同じことをしている市は？",
    "他にどこかある？",
    "What other measures protect the server room?",  # a topic of its own
    "Anything else in Chiba?",  # a city named: its own question
    "Thanks!", "How so?", "What about Chiba?",
])
def test_other_follow_ups_are_not_asks_for_more(assistant, question):
    assert not asks_more(question, assistant.understander, assistant.has_target)


@pytest.mark.parametrize("question, remarks", [
    ("Got it.", True), ("OK, thanks.", True), ("Makes sense.", True),
    ("Is that all?", False), ("Got it, and who checks it?", False), ("Tell me about it", False), ("なるほど", False),
])
def test_english_text_asking_nothing_is_a_remark(question, remarks):
    assert only_remarks(question) is remarks


@pytest.mark.parametrize("question, detail", [
    ("How so?", True), ("How do they do that?", True), ("How is that done?", True), ("どうやって？", True),
    ("どうやってるの？", True), ("具体的には？", True),
    ("How does Chiba do it?", False), ("How long is it kept?", False), ("Why?", False),
])
def test_a_follow_up_asking_only_how_it_is_done(question, detail):
    assert only_detail(question) is detail


@pytest.mark.parametrize("text, reason", [
    ("なりすましによる不正を防止する観点から共用IDの利用を禁止する。", True),
    ("また、新種の不正プログラムに対応するために、ウイルスパターンファイルは定期的に更新する。", True),
    ("被保険者及び受給者の各情報を正確に把握し管理する必要がある。", True),
    ("・申請管理システムを利用する必要がある職員を特定し、ユーザIDを割り当てる。", False),  # a necessity modifying a noun
])
def test_a_sentence_gives_a_reason_by_its_grammar(text, reason):
    assert matches(REASON, text) is reason


def _unit(i: int, text: str) -> Unit:
    return Unit(id=i, doc="d", city="c", path=("III",), heading="", label="具体的な方法", line_start=i, line_end=i,
                text=text)


def test_the_next_statement_is_the_nearest_not_shown_following_first_and_qualifiers_last():
    row = [_unit(1, "・一つ目。"), _unit(2, "なお、一つ目の補足。"), _unit(3, "・二つ目。"), _unit(4, "また、三つ目。")]
    assert next_statement(row, row[0], {1}).id == 3  # the なお sentence qualifies the first; また adds one
    assert next_statement(row, row[2], {1, 3}).id == 4
    assert next_statement(row, row[3], {1, 3, 4}).id == 2  # a qualifier when nothing else is left
    assert next_statement(row, row[3], {1, 2, 3, 4}) is None
    plain = [_unit(i, f"・{i}。") for i in range(1, 6)]
    assert next_statement(plain, plain[2], {3}).id == 4  # 2 and 4 are as near: the following one first
    assert next_statement(plain, plain[2], {3, 4}).id == 2  # then the nearest, before or after


def test_anything_else_quotes_the_rows_next_statements_then_says_nothing_more(assistant):
    """金沢市's その他の措置の内容 (line 321): 生体認証装置, then the locked server racks, then the locked media store."""
    first, second, third = chat(assistant, "How is entry controlled to the place where Kanazawa City's child "
                                "allowance servers are installed?", "Anything else?", "Is there more?")
    assert "生体認証装置" in first.text and first.citations[0].line_start == 321
    assert second.kind == "describe" and second.answerable and second.cities == ("金沢市",)
    assert second.text.startswith("金沢市 (その他の措置の内容) also states:") and "錠管理簿" in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == (KANAZAWA, 321)
    assert "保管場所について施錠管理" in third.text and "錠管理簿" not in third.text
    assert second.question == third.question == first.question  # what a later follow-up builds on


def test_a_row_of_one_sentence_has_nothing_more_and_a_remark_in_between_is_no_question(assistant):
    """千葉市's その必要性 (line 453) is one sentence: "Did they give any other reason?" has nothing more; "Got it."
    between the two is answered as a remark, not as a question about the city."""
    first, remark, more = chat(assistant, "Why does Chiba City's national pension file need to cover first-category "
                               "insured persons and pension recipients?", "Got it.", "Did they give any other reason?")
    assert "正確に把握し管理する必要" in first.text and first.citations[0].line_start == 453
    assert remark.kind == "abstain" and not remark.answerable and not remark.citations
    assert not more.answerable and more.kind == "blank" and "nothing more" in more.text
    assert (more.citations[0].doc, more.citations[0].line_start) == (CHIBA, 453)


def test_japanese_more_in_the_same_row(assistant):
    """倉敷市's 具体的な方法 of staff training (line 250): the staff's training, then the contractor's."""
    first, second = chat(assistant, "倉敷市は職員に個人情報保護の研修を受けさせていますか", "他には？")
    assert "研修の受講" in first.text and first.citations[0].line_start == 250
    assert second.text.startswith("倉敷市（具体的な方法）には、ほかに次の記載があります") and "委託業者" in second.text
    assert (second.citations[0].doc, second.citations[0].line_start) == (KURASHIKI, 250)


def test_how_do_they_do_that_finds_the_sentence_saying_how(assistant):
    """千葉市 makes returned equipment unrecoverable (line 1851); how: 消磁、破砕、溶解 (line 1857)."""
    first, how = chat(assistant, "千葉市の国民年金事務では、サーバや端末をリース返却するとき、中のデータはどうしているの？",
                      "How do they do that?")
    assert "復元不可能な状態" in first.text and first.citations[0].line_start == 1851
    assert how.kind == "describe" and "消磁、破砕、溶解" in how.text
    assert (how.citations[0].doc, how.citations[0].line_start) == (CHIBA, 1857)


def test_more_after_a_choice_goes_on_from_its_detail_row(assistant):
    """郡山市's 特定個人情報の使用の記録 is a choice (記録を残している, line 610) whose detail row (line 611) the answer
    quotes beside it; 「他には？」 goes on with that row's next statement."""
    first, more = chat(assistant, "郡山市は特定個人情報の使用の記録を残していますか", "他には？")
    assert first.kind == "field" and "①操作履歴" in first.text
    assert more.kind == "describe" and "バックアップされた操作履歴" in more.text
    assert (more.citations[0].doc, more.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 611)


@pytest.mark.parametrize("first", ["Which cities re-delegate system maintenance?",
                                   "Who is Kurashiki's contractor for the national pension work?"])
def test_more_after_an_answer_that_quoted_nothing_says_so(assistant, first):
    """A which-cities answer or a contractor's name quotes no statement to go on from: the reply says so and how to
    ask, never another passage nor the off-topic reply."""
    _, more = chat(assistant, first, "Anything else?")
    assert more.kind == "abstain" and not more.answerable and not more.citations
    assert more.text.startswith("The last answer quoted no passage to go on from.")
