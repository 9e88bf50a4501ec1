"""Everyday Japanese words reach the corpus' formal words (understand/everyday.py): the lexicon is well formed, its
formal words are the corpus' tokens, inflected and multi-word everyday wording matches, and the evidence units' BM25
reads the result."""
from __future__ import annotations

from pathlib import Path

import pytest

from piaqa.search.tokenize import Tokenizer
from piaqa.understand.everyday import LEXICON, everyday_terms, matched, read_lexicon
from piaqa.understand.glossary import lexical_terms, unit_lexical_terms, word_groups
from piaqa.understand.lexicon import LEXICON as EN_JA

KOCHI, KANAZAWA = "002_8198ed8bac5210ca.txt", "004_57af33314b6a26f0.txt"


@pytest.fixture(scope="module")
def tokenize() -> Tokenizer:
    return Tokenizer()


def _rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_the_lexicon_is_well_formed_and_its_formal_words_are_the_corpus_tokens():
    corpus_tokens = {row[0] for row in _rows(EN_JA)}  # the corpus' frequent tokens, as Sudachi normalises them
    rows = _rows(LEXICON)
    assert len(rows) >= 300
    for row in rows:
        assert len(row) == 2 and row[1].strip(), row
        assert row[0] in corpus_tokens, row[0]


def test_inflected_and_multi_word_everyday_wording_matches(tmp_path: Path, tokenize):
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text("# test\n提供\t渡す; 送る\n施錠\t鍵をかける\n持ち出し\t持って帰る\n", encoding="utf-8")
    table = read_lexicon(lexicon, tokenize)
    for question, terms in (("業者がほかに渡したら", [("提供",)]), ("サーバー室に鍵をかけてる？", [("施錠",)]),
                            ("データを家に持って帰っていいの？", [("持ち出し",)]), ("鍵はどこ？", [])):
        assert [e.terms for e in matched(tokenize(question), table)] == terms, question


def test_a_word_the_lexicon_lists_as_formal_reads_as_itself(tmp_path: Path, tokenize):
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text("ログ\t記録; 足跡\n記録\t残す\n", encoding="utf-8")
    table = read_lexicon(lexicon, tokenize)
    assert [e.terms for e in matched(tokenize("記録を残す"), table)] == [("記録",)]  # 記録 is no everyday ログ
    assert [e.terms for e in matched(tokenize("足跡を残す"), table)] == [("ログ",), ("記録",)]


def test_a_malformed_line_is_named(tmp_path: Path, tokenize):
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text("提供 渡す\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lexicon.tsv:1"):
        read_lexicon(lexicon, tokenize)


def test_the_units_bm25_reads_the_formal_words_and_neither_passages_nor_word_coverage_do(tokenize):
    question = "預かった情報をよそに渡したら、市はチェックする？"
    assert "提供" in everyday_terms(question, tokenize) and "提供" in unit_lexical_terms(question, tokenize)
    assert "提供" not in lexical_terms(question)  # the passages the form's fields are read from
    assert not any("提供" in group for group in word_groups(question))
    # the question's formal word needs no everyday reading; English is the English lexicon's
    assert "提供" not in everyday_terms("情報を提供したら、市は渡した記録を確認する？", tokenize)
    assert everyday_terms("Do they hand the data over and check it?", tokenize) == []


@pytest.mark.xfail(strict=True, reason="the query adapter (thirty-third session) ranks 「なお、外部記憶媒体は限定された USB "
                   "メモリ等のみを使用する。」 first: the USB stick, not its disposal (README Known limits)")
def test_an_everyday_question_reaches_the_sentence_that_states_it(assistant):
    """Throwing away a USB stick (捨てる, 処分) is the form's 廃棄: 高知市 requires its administrator's approval."""
    r = assistant.ask("高知市で、住民票のデータを入れたUSBメモリみたいな外部媒体を処分したいときって、担当者の判断で"
                      "捨てちゃっていいの？")
    assert "管理者の承認を得て" in r.text
    assert (r.citations[0].doc, r.citations[0].line_start) == (KOCHI, 589)


def test_an_everyday_question_reaches_the_sentence_that_states_it_kanazawa(assistant):
    r = assistant.ask("金沢市の電子申請で、マイナンバーの打ち間違いってどうやって防いでるの？")
    assert "不正確な個人番号" in r.text and (r.citations[0].doc, r.citations[0].line_start) == (KANAZAWA, 257)

