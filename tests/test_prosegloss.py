"""The prose glossary: well-formed, every form term in the documents, neutral wording evokes nothing."""
import re

import pytest

from piaqa.understand.glossary import expand, lexical_terms, word_groups
from piaqa.understand.prosegloss import GLOSSARY, prose_groups, prose_words
from piaqa.text import nfkc


def _entries():
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, _, terms = line.partition("\t")
            yield pattern, terms.split()


def test_every_entry_compiles_and_its_terms_occur_in_the_documents(docs):
    corpus = nfkc("\n".join("\n".join(d.lines) for d in docs.values()))
    entries = list(_entries())
    assert len(entries) >= 100
    for pattern, terms in entries:
        re.compile(pattern)
        assert 1 <= len(terms) <= 3, pattern
        assert any(nfkc(t) in corpus for t in terms), (pattern, terms)


def test_neutral_questions_evoke_nothing():
    for q in ("倉敷市の国民年金事務について教えて", "What does Chiba City do?", "郡山市はどうしていますか", "どの市ですか",
              "倉敷市の委託先は？", "which cities"):
        assert prose_groups(q) == [], q


def test_everyday_and_english_wording_reach_the_forms_words():
    assert ("秘密保持契約", "秘密保持義務", "守秘義務") in prose_groups("業者と、外にしゃべらない約束はしてる？")
    assert "外部記憶媒体" in prose_words("USBメモリに入れて持ち帰ってもいいの？")
    assert "チェックデジット" in prose_words("マイナンバーを打ち間違えたらどうなる？")
    assert "耐タンパー装置" in prose_words("What if someone tampers with the server?")
    # a question that already spells the form's word gains nothing from its own entry
    assert all("暗号化" not in g for g in prose_groups("暗号化していますか"))
    # the concepts reach BM25 (flat) and word coverage (one group each)
    q = "打ち間違えたマイナンバーは受け付けられる？"
    assert "チェックデジット" in lexical_terms(q) and ("チェックデジット", "ダブルチェック") in word_groups(q)


def test_a_login_is_not_a_log():
    # ログイン, ログオフ, "log in" are signing on and off (認証, ログオフ), not the records of use (記録, 保存期間)
    for q in ("ログインするときの本人確認は？", "ログオフしないとどうなる？", "When staff log in, how are they checked?",
              "Do staff log off after work?"):
        assert "特定個人情報の使用の記録" not in expand(q) and "保存期間" not in prose_words(q), q
    for q in ("ログインするときの本人確認は？", "ログオフしないとどうなる？"):
        assert "記録" not in lexical_terms(q), q
    for q in ("操作ログは何年残す？", "アクセスログは何年残す？", "How long are the access logs kept?"):
        assert "特定個人情報の使用の記録" in expand(q) and "保存期間" in prose_words(q), q


@pytest.mark.parametrize("question, counted", [
    ("How many people at Kurashiki's contractor handle the national pension file?", True),
    ("the number of contractor staff handling the file", True),
    ("a contractor whose number of staff handling the file is 10 or more", True),
    ("Which cities have 10 or more contractor staff handling the data?", True),
    ("Which cities have a contractor with 10 people or more handling the file?", True),
    # the contractor's staff as a subject are no count of them
    ("Which cities make contractor staff sign a written pledge?", False),
    ("What do Koriyama's contractor's workers have to do before they handle the data?", False),
])
def test_the_contractors_people_are_counted_only_when_a_count_is_asked(question, counted):
    assert ("委託先における取扱者数" in expand(question)) is counted
