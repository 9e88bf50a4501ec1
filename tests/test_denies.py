"""Which cities state that they do NOT do something (condition.Atom.denies, WhichCities._as_judged): a negation
inside what a city is said to state is a requirement of its own, met by a sentence stating the negative; a city
silent about it does not meet it. A negated saying ("don't say how …") still asks which cities are silent."""
from __future__ import annotations

import pytest

from piaqa.answer.whichcities import states_negative
from piaqa.understand.condition import Atom, parse_condition

KORIYAMA, KOCHI, CHIBA = "001_fd6f090b79f37056.txt", "002_8198ed8bac5210ca.txt", "003_36f852d2897e428a.txt"


@pytest.mark.parametrize("question, lang, atom", [
    ("Which cities say they do NOT hand the My Number files to their contractors directly?", "en",
     Atom("say they hand the My Number files to their contractors directly", True,
          "they hand the My Number files to their contractors directly")),
    ("Which cities state that staff are not allowed to take data home?", "en",
     Atom("state that staff allowed to take data home", True, "staff allowed to take data home")),
    ("Which cities don't say how they destroy paper?", "en", Atom("say how they destroy paper", True)),
    ("Which cities do not use biometrics?", "en", Atom("use biometrics", True)),
    ("紙の申請書を焼却しないと書いている市は？", "ja", Atom("紙の申請書を焼却しないと書いている", False, "紙の申請書を焼却し")),
    ("外部に持ち出さない旨を記載している市は？", "ja", Atom("外部に持ち出さない旨を記載している", False, "外部に持ち出さ")),
    ("紙の書類の廃棄方法を記載していない市は？", "ja", Atom("紙の書類の廃棄方法を記載して", True)),
])
def test_a_negation_inside_what_is_said_is_a_negative_stated(question, lang, atom):
    assert parse_condition(question, lang).atoms == (atom,)


@pytest.mark.parametrize("text, negative", [
    ("・委託先には電子ファイル等の形式で特定個人情報を直接提供しない。", True),
    ("原則、特定個人情報ファイルの提供は行わず、", True),
    ("・再委託を原則禁止する。", True),
    ("自動応答不可フラグを設定する", True),
    ("追跡まで必要はない。", True),
    ("アクセスできる職員を少ない人数に限定する", False),  # an adjective's ない
    ("漏えいがないよう、施錠管理する", False),  # a purpose: so that no …
    ("必ず二人で作業する", False),
    ("わずかな期間のみ保管する", False),
])
def test_a_sentence_states_a_negative(text, negative):
    assert states_negative(text) is negative


def test_only_the_city_stating_it_meets_a_negative_statement(assistant):
    """郡山市 says tracking mailed documents is not needed (line 453); no other city says so. Read as a plain prose
    condition, another city's mailing sentence met it too."""
    answer = assistant.ask("書類を郵送で受け取る際、追跡までは必要ないと書いている市はどこ？")
    assert answer.kind == "aggregate" and answer.cities == ("郡山市",)
    row = next(r for r in answer.rows if r.city == "郡山市")
    assert (answer.citations[row.citation].doc, answer.citations[row.citation].line_start) == (KORIYAMA, 453)
    assert "必要ない" in answer.text


def test_a_city_silent_about_it_does_not_say_it_does_not(assistant):
    """高知市 (line 506) and 千葉市 (line 707) state they do not hand the files to the contractor directly. Read as
    NOT "say they hand …", the answer was 倉敷市 alone, which says nothing about it."""
    answer = assistant.ask("Which cities say they do NOT hand the My Number files to their contractors directly?")
    assert {"高知市", "千葉市"} <= set(answer.cities) and "倉敷市" not in answer.cities
    rows = {r.city: r for r in answer.rows}
    assert (answer.citations[rows["高知市"].citation].doc, answer.citations[rows["高知市"].citation].line_start) \
        == (KOCHI, 506)
    assert (answer.citations[rows["千葉市"].citation].doc, answer.citations[rows["千葉市"].citation].line_start) \
        == (CHIBA, 707)
    assert answer.text.startswith(f"{len(answer.cities)} of 5 cities match (states it does not:")


def test_a_form_row_still_judges_a_negative_choice(assistant):
    """「再委託しない」 is a value of 再委託の有無: the row decides, as before."""
    answer = assistant.ask("再委託しないと記載している市はどこ？")
    assert answer.cities == ("倉敷市", "郡山市", "千葉市")
    assert all(r.value in ("再委託しない", "再委託する") for r in answer.rows)
