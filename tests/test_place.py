"""A where-question asks a place (answertype.PLACE), or the row of a body data comes from or goes to (入手元, 提供先):
of a row's sentences, the one stating where (安全な場所に施錠保管する) answers rather than its neighbour that names no
place (操作履歴を記録する); "where" as a relative ("the data center where Chiba stores …") and where a text says
something ask none."""
from __future__ import annotations

import pytest

from piaqa.understand.answertype import PLACE, expected_type, matches
from piaqa.understand.glossary import expand

KORIYAMA = "001_fd6f090b79f37056.txt"
KANAZAWA = "004_57af33314b6a26f0.txt"


@pytest.mark.parametrize("question, kind", [
    ("Where do the backed-up logs go?", PLACE),
    ("And where is that?", PLACE),
    ("Switching topics — where is their server kept?", PLACE),
    ("In which room are the servers?", PLACE),
    ("郡山市はどこで燃やしてるの？", PLACE),
    ("紙の書類はどこにしまってるの？", PLACE),
    ("データはどこから受け取ってる？", PLACE),
    # a body asked keeps its kind; 「どこですか」 and the relative "where" ask no place
    ("どこに委託してる？", "org"),
    ("委託先はどこですか。", None),
    ("What is the street address of the data center where Chiba stores its data?", None),
    ("What measures are taken in the segment where the municipal CS is installed?", None),
    ("Where does Chiba describe what happened?", None),  # where a text says it
    ("失効させたことって、どこかに記録する？", None),  # どこか: anywhere, a yes/no question
])
def test_a_where_question_asks_a_place(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize("text, stated", [
    ("②バックアップされた操作履歴について、定められた期間、安全な場所に施錠保管する。", True),
    ("サーバー室に設置された中間サーバーのデータベース内に保存され、バックアップもデータベース上に保存される。", True),
    ("文書管理部署において郡山市の設置する焼却施設にて直接焼却処分を行う。", True),
    ("日本年金機構への提供については、番号法第19条で定められた事項のみ行う。", False),  # a body is no place
    ("①操作履歴(アクセスログ・操作ログ)を記録する。", False),
    ("セキュリティカードにより入退室を管理する。", False),  # 入退室 is entering a room, not one
])
def test_a_place_is_a_room_a_site_or_a_store(text, stated):
    assert matches(PLACE, text) is stated


def test_the_sentence_stating_where_answers_a_where(assistant):
    ans = assistant.ask("Where do Koriyama's backed-up operation logs end up?")
    assert ans.answerable and "安全な場所に施錠保管する" in ans.text and "①操作履歴" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KORIYAMA, 477)


def test_a_where_follow_up_is_answered_by_the_place_stated(assistant):
    first = assistant.ask("Where is the data of Kanazawa's online application service stored?")
    ans = assistant.ask("Where do its backups go?", history=[("Where is the data of Kanazawa's online application "
                                                              "service stored?", first)])
    assert ans.answerable and "バックアップもデータベース上に保存される" in ans.text
    assert ans.citations[0].doc == KANAZAWA


@pytest.mark.parametrize("question, term, named", [
    ("高知市は住民票の情報を、国の機関だとどこから受け取ってるの？", "入手元", True),
    ("Which outside body does Chiba obtain its pension data from?", "入手元", True),
    ("From which departments does Kurashiki get the data?", "入手元", True),
    ("Which division gets tax information from that file?", "入手元", False),  # a recipient: the division gets it
    ("市民課以外だと、どこの課に移転してる？", "移転先", True),
    ("To which body does Kochi provide the data for school assistance?", "提供先", True),
])
def test_a_body_data_comes_from_or_goes_to_names_its_row(question, term, named):
    assert (term in expand(question)) is named


def test_where_data_comes_from_is_the_source_row(assistant):
    ans = assistant.ask("高知市の住民基本台帳ファイルの情報って、国の機関だとどこから受け取ってるの？")
    assert ans.field is not None and ans.field.label == "入手元" and "法務省" in ans.text
    assert ans.citations[0].doc == "002_8198ed8bac5210ca.txt"


def test_which_one_asked_by_dokodesuka_asks_no_place(assistant):
    # 「どこですか」 asks which body (a contractor), not where: no place is the noun asked
    query = assistant.understood("千葉市で区政事務センターの業務を受託している事業者はどこですか。", [], list(assistant.docs))
    assert query.focus == ()
    assert assistant.understood("千葉市はどこで紙を溶解してるの？", [], list(assistant.docs)).focus == ("場所",)
