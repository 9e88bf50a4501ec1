"""Sudachi tokenizer and the pure fusion function."""
from __future__ import annotations

import pytest

from piaqa.search.retrieve import fuse


def test_sudachi_splits_japanese_sentence(tokenizer):
    toks = tokenizer("倉敷市の国民年金事務の委託先はどこですか。")
    assert len(toks) >= 6
    assert "委託" in toks and "年金" in toks
    assert "。" not in toks and "" not in toks


def test_sudachi_survives_200kb(tokenizer):
    text = ("特定個人情報ファイルの取扱いの委託に関する記載です。\n" * 4000)
    assert len(text.encode("utf-8")) > 200_000
    toks = tokenizer(text)
    assert toks.count("委託") == 4000


def test_sudachi_single_huge_line(tokenizer):
    toks = tokenizer("委託" * 30_000)  # one line of 180 KB
    assert toks.count("委託") == 30_000


def test_fuse_orders_by_reciprocal_rank():
    out = fuse([[1, 2, 3], [3, 1, 4]], k=60)
    ids = [i for i, _ in out]
    assert ids[0] == 1  # 1/61 + 1/62 beats 3's 1/63 + 1/61
    assert ids[1] == 3
    assert set(ids) == {1, 2, 3, 4}
    assert out[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_fuse_weights_and_ties():
    assert [i for i, _ in fuse([[5], [6]], k=10)] == [5, 6]  # tie broken by id
    assert [i for i, _ in fuse([[5], [6]], k=10, weights=[1.0, 2.0])] == [6, 5]
    with pytest.raises(ValueError):
        fuse([[1]], weights=[1.0, 1.0])
    assert fuse([]) == []


def test_fuse_extra_scores_stand_in_for_a_missing_ranking():
    # item 1 is only in the first ranking but gets its rank there again in place of the second: 2/11 > 1/12 + 1/11
    out = fuse([[1, 2], [2]], k=10, extra={1: 1 / 11})
    assert [i for i, _ in out] == [1, 2]
    assert out[0][1] == pytest.approx(2 / 11)
    assert [i for i, _ in fuse([[1, 2], [2]], k=10)] == [2, 1]  # without it, the item in both rankings wins


def test_a_questions_content_words_leave_out_particles_and_auxiliaries(tokenizer):
    """The てる, ちゃう, らしい, けど of a colloquial question are grammar: they are not words a passage must hold."""
    words = [form for form, _ in tokenizer.spellings("マイナンバーまで抜けちゃうらしいけど、実際どうしてるの？", content=True)]
    assert "マイナンバー" in words and "抜ける" in words and "実際" in words
    assert not {"ちゃう", "らしい", "けれど", "てる", "まで", "の"} & set(words)
    # the index's tokens keep them (BM25 over chunks and units is unchanged)
    assert "らしい" in tokenizer("マイナンバーまで抜けちゃうらしいけど")


def test_an_english_questions_lexical_side_keeps_its_japanese_and_its_acronyms(tokenizer):
    """English words are left to the lexicon (Sudachi would turn them into katakana noise), but an acronym is
    written the same in the assessments (ＥＵＣ機能, ＬＧＷＡＮ, J-LIS): it is a corpus word as it stands."""
    from piaqa.search.tokenize import lexical_text
    text = lexical_text("Can Chiba staff use the EUC tool (ＥＵＣ機能) on LGWAN or J-LIS? I doubt it, Kochi", "en")
    assert text.split() == ["機能", "EUC", "EUC", "LGWAN", "J-LIS"]
    assert {"euc", "機能", "lgwan", "lis"} <= set(tokenizer(text)) and "i" not in tokenizer(text)
    assert lexical_text("ＥＵＣ機能は？", "ja") == "ＥＵＣ機能は？"  # a Japanese question is read whole
