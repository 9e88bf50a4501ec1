"""Which row holds a value the question gives (issue 7: a value written in the question is context; the row —
its file, item and risk heading — is what is asked)."""
from __future__ import annotations

import pytest

from piaqa.answer.whichrow import rows_with_given_value
from piaqa.records import Field
from piaqa.understand.query import Understander

OPTIONS = ("特に力を入れている", "十分である", "課題が残されている")


def _row(value: str, line: int, file_name: str = "(1) 住民基本台帳ファイル") -> Field:
    return Field("d.txt", "高知市", ("III", "2."), None, "リスクへの対策は十分か", "リスクへの対策は十分か", value,
                 OPTIONS, line, line, file_name)


@pytest.fixture(scope="module")
def given(tokenizer):
    """rows_with_given_value for a question, read by the real understanding pass (Sudachi, no documents)."""
    understander = Understander([], tokenizer)
    return lambda question, rows: rows_with_given_value(understander.understand(question), rows)


def test_the_rows_holding_the_given_value_when_the_question_asks_which(given):
    rows = [_row("十分である", 10), _row("課題が残されている", 20), _row("十分である", 30)]
    asked = "「リスクへの対策は十分か」が「課題が残されている」となっているのはどのリスクですか"
    assert [f.line_start for f in given(asked, rows)] == [20]
    assert [f.line_start for f in given("Which risks are rated 十分である?", rows)] == [10, 30]


def test_no_rows_when_the_value_is_what_is_asked_or_all_rows_agree(given):
    rows = [_row("十分である", 10), _row("課題が残されている", 20)]
    assert given("リスクへの対策は十分かは「課題が残されている」ですか", rows) == []  # no which
    assert given("どのリスクの対策が十分ですか", rows) == []  # no value written
    same = [_row("十分である", 10), _row("十分である", 20)]
    assert given("「十分である」となっているのはどのリスクですか", same) == []


def test_which_items_re_delegate_names_each_item_with_its_file_and_cites_it(assistant):
    ans = assistant.ask("郡山市で再委託の有無が「再委託する」となっているのはどの委託事項ですか")
    assert ans.kind == "which-rows"
    assert [(c.doc, c.line_start) for c in ans.citations] == [("001_fd6f090b79f37056.txt", n)
                                                             for n in (147, 162, 303, 318)]
    assert "(1) 滞納管理システムファイル 委託事項1 [1]" in ans.text and "後期高齢者" not in ans.text


def test_which_risk_names_the_risk_heading(assistant):
    ans = assistant.ask("高知市の本人確認情報ファイルで、リスクへの対策は十分かが「課題が残されている」なのはどのリスク？")
    assert "リスク4: 特定個人情報ファイルが不正に複製されるリスク [1]" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 642)
