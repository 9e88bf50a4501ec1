"""One scoring per question gives every city what one unit search per city gave (which-cities prose path)."""
from __future__ import annotations

import numpy as np
import pytest

from piaqa.search.ann import IndexPlan, build_faiss, dense_scores, dense_scores_each, EXACT_SUBSET_MAX
from piaqa.search.contains import Haystack
from piaqa.search.perdoc import rank_within

# prose conditions of the dev sets' which-cities questions, Japanese and English, one with an ALT word group
CONDITIONS = [
    "自動応答不可フラグを設定している",
    "問合せの対応記録を残す",
    "受付票を使う",
    "職員の異動や退職の際に、システムのアクセス権限やユーザIDを失効させる",
    "record the responses to inquiries",
    "train staff on handling personal information",
]


def test_haystack_answers_exactly_what_in_does():
    texts = ["出入口を限定している", "出入り口を限定", "サーバ室", "", "ｱｸｾｽ権限", "出入口を限定している", "\udc80孤立"]
    hay = Haystack.build(texts)
    assert len(hay.distinct) == len(texts) - 1  # the repeated sentence is tested once
    for needle in ["出入口", "出入り口", "限定", "サーバ", "ｱｸｾｽ", "権限", "", "室", "\udc80", "無い語", "口を限"]:
        assert hay.holding(needle).tolist() == [needle in t for t in texts], needle


def test_rank_within_orders_each_group_apart_with_ties_by_the_second_key():
    group = np.array([1, 0, 1, 0, 1])
    primary = np.array([-0.5, -0.2, -0.5, -0.9, -0.7])
    assert rank_within(group, primary, np.arange(5)).tolist() == [2, 2, 3, 1, 1]
    assert rank_within(group, primary, np.array([4, 0, 3, 1, 2])).tolist() == [3, 2, 2, 1, 1]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rank_within_equals_a_sort_per_group(dtype):
    """Ties (0.0 and -0.0 among them) keep the tiebreak order, as a stable sort per document does."""
    rng = np.random.default_rng(7)
    for trial in range(100):
        n = int(rng.integers(1, 200))
        group = rng.integers(0, int(rng.integers(1, 8)), n)
        primary = rng.choice(np.array([0.0, -0.0, 0.5, -0.5, 1.25, -3.0, 1e-8], dtype=dtype), n)
        if trial % 3 == 0:
            primary = rng.normal(size=n).astype(dtype)
        tiebreak = rng.permutation(n) if trial % 2 else None
        ties = tiebreak if tiebreak is not None else np.arange(n)
        want = np.zeros(n, dtype=np.int64)
        for g in set(group.tolist()):
            ordered = sorted(np.flatnonzero(group == g).tolist(), key=lambda i: (primary[i], ties[i]))
            want[ordered] = np.arange(1, len(ordered) + 1)
        assert rank_within(group, primary, tiebreak).tolist() == want.tolist(), trial


def test_dense_scores_each_equals_the_per_group_call_on_an_approximate_index():
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3000, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = build_faiss(vecs, IndexPlan("ivf-flat", 3000, 16, nlist=20, nprobe=4))
    query = vecs[:1]
    groups = [np.arange(0, 3000, 3), np.arange(1, 40), np.array([], dtype=np.int64)]
    scores = dense_scores_each(index, query, -1.0, groups)
    for rows in groups:
        assert len(rows) <= EXACT_SUBSET_MAX
        np.testing.assert_array_equal(scores[rows], dense_scores(index, query, -1.0, rows)[rows])


@pytest.mark.parametrize("condition", CONDITIONS)
def test_search_each_equals_one_search_per_document_on_the_real_index(assistant, condition):
    which, units = assistant.which, assistant.units
    lang = "en" if condition.isascii() else "ja"
    tokens = which._tokens(condition, lang)
    from piaqa.answer.whichcities import PROSE_CANDIDATES, PROSE_COVERAGE_RANK
    from piaqa.understand.glossary import lexical_terms

    for weight in (PROSE_COVERAGE_RANK, 0.0):
        each = units.search_each(condition, tokens, which.docs, k=PROSE_CANDIDATES,
                                 extra_terms=lexical_terms(condition), lang=lang, coverage_weight=weight)
        for doc in which.docs:
            one = units.search(condition, tokens, docs=[doc], k=PROSE_CANDIDATES,
                               extra_terms=lexical_terms(condition), lang=lang, coverage_weight=weight, adapted=False)
            assert one and each[doc] == one, (condition, doc, weight)  # same units, order and float scores


def test_coverage_of_every_unit_equals_the_per_unit_sum(assistant):
    from piaqa.search.unitsearch import _covered

    units = assistant.units
    rows = np.arange(len(units.units))
    for condition in CONDITIONS[:4]:
        tokens = assistant.which._tokens(condition, "ja")
        weighed = units._weighed(tokens)
        want = [_covered(weighed, units._texts[i], units._contexts[i]) for i in rows]
        assert units._coverage_each(tokens, rows).tolist() == want, condition
        assert any(want), condition


def test_the_verdicts_are_read_from_one_scoring(assistant, monkeypatch):
    """A which-cities prose question scores the units once, not once per city."""
    calls = []
    searcher = assistant.units
    monkeypatch.setattr(type(searcher), "search", lambda *a, **k: calls.append(1) or [])
    ans = assistant.ask("自動応答不可フラグを設定していない市はどこ？")
    assert set(ans.cities) == {"倉敷市", "千葉市"} and not calls
