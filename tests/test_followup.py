"""Follow-ups resolved against the previous turn: city swaps (ja, en, across a language switch),
anaphora, narrowing a which-cities answer, a city's row after one; and whole conversations."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import EVAL, ROOT


def _chat(assistant, *questions):
    history, answers = [], []
    for q in questions:
        ans = assistant.ask(q, history=history)
        history.append((q, ans))
        answers.append(ans)
    return answers


def test_city_swap_keeps_what_was_asked(assistant):
    first, second = _chat(assistant, "郡山市の収納管理システムファイルの保管期間は？", "千葉市は？")
    assert "定められていない" in first.text
    assert second.cities == ("千葉市",) and "6年以上10年未満" in second.text


def test_english_city_swap_moves_to_the_new_citys_own_assessment(assistant):
    first, second = _chat(assistant, "Who is Kanazawa City's contractor for the child allowance work?", "And Kochi?")
    assert "富士通Japan株式会社" in first.text
    assert second.answerable and second.cities == ("高知市",) and "四国公共ビジネス部" in second.text


def test_anaphora_keeps_the_city_and_changes_the_target(assistant):
    _, second = _chat(assistant, "金沢市の児童手当事務の委託先はどこですか。", "その再委託事項は何ですか。")
    assert second.cities == ("金沢市",) and "品質管理、問題点管理、QA対応" in second.text


def test_narrowing_a_which_cities_answer_adds_a_condition(assistant):
    first, second = _chat(assistant, "再委託している市はどこ？", "そのうち全項目評価書はどれ？")
    assert set(first.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}
    assert set(second.cities) == {"郡山市", "高知市", "千葉市"}


def test_a_city_after_a_which_cities_answer_gets_its_row(assistant):
    _, row = _chat(assistant, "再委託している市はどこ？", "倉敷市は？")
    assert row.kind == "aggregate-row" and row.cities == () and "再委託しない" in row.text
    assert row.citations[0].doc == "000_2b92446a3e503446.txt"


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
