"""The which-cities prose judgement (prosejudge.py): a logistic model over each document's support for an atom,
relative to the documents judged with it, on the real index (end to end) and on supports given outright."""
from __future__ import annotations

import pytest

from piaqa.answer.prosejudge import (JUDGE_WEIGHTS, NEAR_RATIO, DocSupport, JudgeWeights, judge_features,
                                     stated_each, stated_probability)


def test_features_are_relative_to_the_best_document():
    support = {"a": DocSupport(0.8, 20.0), "b": DocSupport(0.4, 5.0), "c": DocSupport(0.6, 10.0)}
    f = judge_features(support, english=True)
    assert f["a"].ratio == 1.0 and f["a"].lexical == 1.0 and f["a"].near
    assert f["b"].ratio == pytest.approx(0.5) and f["b"].lexical == pytest.approx(0.25) and not f["b"].near
    assert f["c"].ratio == pytest.approx(0.75) and f["c"].near
    assert f["a"].crowd == pytest.approx(2 / 3) and f["a"].english
    assert f["b"].vector() == [pytest.approx(0.5), 0.0, pytest.approx(0.25), pytest.approx(2 / 3), 1.0]


def test_no_coverage_anywhere_is_no_document_stating_it():
    support = {"a": DocSupport(0.0, 3.0), "b": DocSupport(0.0, 0.0)}
    assert judge_features(support, english=False)["a"].ratio == 0.0
    assert stated_each(support, english=False) == {"a": False, "b": False}


def test_a_near_coverage_with_weak_bm25_is_not_stated():
    """The old ratio rule stated any document whose best unit held NEAR_RATIO of the best's coverage; the model also
    asks BM25 whether its units are about the atom: 0.8 of the coverage with a fifth of the best BM25 is not enough,
    with the best's BM25 it is."""
    weak = {"best": DocSupport(0.5, 20.0), "near": DocSupport(0.4, 4.0), "x": DocSupport(0.1, 2.0),
            "y": DocSupport(0.1, 2.0), "z": DocSupport(0.1, 2.0)}
    assert 0.4 >= NEAR_RATIO * 0.5
    assert stated_each(weak, english=False) == {"best": True, "near": False, "x": False, "y": False, "z": False}
    strong = dict(weak, near=DocSupport(0.4, 19.0))
    assert stated_each(strong, english=False)["near"]


def test_probability_is_the_logistic_of_the_weighted_features():
    f = judge_features({"a": DocSupport(0.5, 10.0), "b": DocSupport(0.25, 5.0)}, english=False)["b"]
    flat = JudgeWeights((0.0,) * len(JUDGE_WEIGHTS.coefficients), 0.0)
    assert stated_probability(f, flat) == pytest.approx(0.5)
    only_lexical = JudgeWeights((0.0, 0.0, 2.0, 0.0, 0.0), -1.0)  # z = 2 * 0.5 - 1 = 0
    assert stated_probability(f, only_lexical) == pytest.approx(0.5)


def test_burning_paper_is_judged_for_both_cities_that_state_it(assistant):
    """郡山市 (line 565) and 高知市 (line 325) burn their paper; the old ratio rule left 高知市 out. 千葉市 dissolves its
    paper (line 1040): shown, not stated."""
    answer = assistant.ask("紙の書類を燃やして処分してる市ってどこ？")
    assert answer.kind == "aggregate" and answer.cities == ("郡山市", "高知市")
    rows = {r.city: r for r in answer.rows}
    lines = {c: (answer.citations[rows[c].citation].doc, answer.citations[rows[c].citation].line_start)
             for c in ("郡山市", "高知市", "千葉市")}
    assert lines == {"郡山市": ("001_fd6f090b79f37056.txt", 565), "高知市": ("002_8198ed8bac5210ca.txt", 325),
                     "千葉市": ("003_36f852d2897e428a.txt", 1040)}
    assert not rows["千葉市"].satisfied and "溶解" in rows["千葉市"].value


@pytest.mark.parametrize("question", [
    "申請書などの紙の書類を処分するとき、焼却や溶解などどのような方法で廃棄するのかを記載していない市はどこですか。",
    "Which cities don't say how they destroy paper documents containing personal data (for example by burning or "
    "pulping)?",
])
def test_cities_not_stating_how_paper_is_destroyed(assistant, question):
    """郡山市 and 高知市 burn, 千葉市 dissolves (lines 565, 325, 1040); 倉敷市 and 金沢市 state no method. The old rule
    also counted 高知市 among those that do not."""
    answer = assistant.ask(question)
    assert answer.cities == ("倉敷市", "金沢市")
    rows = {r.city: r for r in answer.rows}
    assert {c for c, r in rows.items() if r.value.startswith("○")} == {"郡山市", "高知市", "千葉市"}
