"""A method or procedure asked by its noun (「具体的な制限方法って何？」, "What is the procedure for …?") asks how a
measure is done: the choice row saying only that it is done (制限している, 定めている) does not answer it, its detail
row or the sentence stating the procedure does (answertype.asks_manner)."""
from __future__ import annotations

import pytest

from piaqa.understand.answertype import asks_manner

KOCHI = "002_8198ed8bac5210ca.txt"
CHIBA = "003_36f852d2897e428a.txt"


@pytest.mark.parametrize("question, manner", [
    ("具体的な制限方法って何？", True),
    ("消去の手順はどうなってる？", True),
    ("What is the procedure for erasing the data?", True),
    ("What are their steps for disposing of paper?", True),
    ("提供方法は？", False),  # the row named, no interrogative: its value is asked
    ("What is the name of the contractor?", False),
])
def test_a_method_asked_by_its_noun_asks_how(question, manner):
    assert asks_manner(question) is manner


def test_the_procedure_is_stated_not_that_one_is_set(assistant):
    ans = assistant.ask("What is the procedure for erasing the data in Chiba's national pension file?")
    assert ans.answerable and "国民年金システムの処理にて消去する" in ans.text and "定めている" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (CHIBA, 2033)


def test_the_restriction_method_is_its_detail_row(assistant):
    ans = assistant.ask("高知市の住民基本台帳ファイルを委託するとき、特定個人情報ファイルの閲覧者・更新者の制限の"
                        "具体的な制限方法って何？")
    assert "必要最小限に限定する" in ans.text and "制限している" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KOCHI, 501)
