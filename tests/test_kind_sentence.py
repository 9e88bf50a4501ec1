"""A period, frequency or reason stated in the prose: the sentence stating it answers rather than the row of that
kind (the file's 保管期間) when it is far more about the question, and a bullet stating it right after the best
sentence answers rather than "not stated" (Assistant._sentence_of_kind, UnitSearcher.next_in_row)."""
from __future__ import annotations

KOCHI = "002_8198ed8bac5210ca.txt"
CHIBA = "003_36f852d2897e428a.txt"


def _unit(assistant, doc: str, text: str):
    found = [u for u in assistant.units.units if u.doc == doc and text in u.text]
    assert len(found) == 1, found
    return found[0]


def test_the_next_bullet_of_a_row_and_none_past_its_end(assistant):
    logged = _unit(assistant, KOCHI, "個人を特定した検索及び個人特定後の操作について")
    nxt = assistant.units.next_in_row(logged)
    assert nxt is not None and nxt.line_start == 484 and "記録は、5年間分保存する" in nxt.text
    last = _unit(assistant, KOCHI, "定期的に操作ログをチェックし")  # the row's last bullet (line 484)
    assert last.line_start == 484 and assistant.units.next_in_row(last) is None


def test_a_duration_in_the_next_bullet_answers_instead_of_not_stated(assistant):
    ans = assistant.ask("For Kochi's resident register, how many years are the records of searching for and "
                        "operating on an identified person kept (user ID, terminal, time)?")
    assert ans.answerable and "記録は、5年間分保存する" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KOCHI, 484)


def test_a_sentence_stating_the_period_outweighs_the_file_s_retention_row(assistant):
    ans = assistant.ask("How long does Chiba keep the daily copies of its pension data?")
    assert ans.answerable and "1週間" in ans.text and "6年以上10年未満" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (CHIBA, 1865)


def test_the_file_s_own_retention_is_still_its_row(assistant):
    ans = assistant.ask("How long does Chiba keep its national pension file?")
    assert ans.field is not None and ans.field.label == "保管期間" and "6年以上10年未満" in ans.text
    assert ans.citations[0].doc == CHIBA
