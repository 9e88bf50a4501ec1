"""End to end: `piaqa batch` on the dev questions, scored by shared/eval/score.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EVAL, ROOT

DEV = EVAL / "dev_questions.jsonl"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason="shared/eval is not beside the checkout")



def run_and_score(questions, tmp_path_factory):
    """`piaqa batch` then score.py; (score summary, answers)."""
    out = tmp_path_factory.mktemp("batch") / "answers.jsonl"
    subprocess.run([sys.executable, "-m", "piaqa", "batch", str(questions), "--out", str(out)], check=True, cwd=ROOT)
    res = subprocess.run([sys.executable, str(EVAL / "score.py"), str(questions), str(out), "--json"],
                         check=True, capture_output=True, text=True)
    summary = json.loads(res.stdout.strip().splitlines()[-2])
    answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return summary, answers


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    return run_and_score(DEV, tmp_path_factory)


def test_every_question_answered_in_eval_format(scored):
    summary, answers = scored
    assert summary["missing_ids"] == [] and summary["unknown_answer_ids"] == []
    for a in answers:
        assert {"id", "answer", "answerable", "cities", "citations"} <= set(a)
        for c in a["citations"]:
            assert {"doc", "line_start", "line_end", "text"} <= set(c)
            assert 1 <= c["line_start"] <= c["line_end"]


def test_citation_text_is_the_original_lines(scored):
    _, answers = scored
    corpus = ROOT / "corpus"
    for a in answers:
        for c in a["citations"]:
            lines = (corpus / c["doc"]).read_text(encoding="utf-8").split("\n")
            assert c["text"] == "\n".join(lines[c["line_start"] - 1:c["line_end"]])


def test_dev_set_floors(scored):
    o = scored[0]["overall"]
    assert o["lookup_hit@5"] >= 0.95
    assert o["answer_match"] >= 0.85
    assert o["agg_f1"] >= 0.9
    assert o["negative"] >= 0.8
    assert o["false_abstention"] <= 0.1


# bench/dev2-4: written independently of the code, then tuned on (so dev sets); floors a little under the measured scores
FLOORS = {
    "dev2_questions.jsonl": {"lookup_hit@5": 0.95, "answer_match": 0.85, "agg_f1": 0.9, "negative": 0.9},
    "dev3_questions.jsonl": {"lookup_hit@5": 0.95, "answer_match": 0.85, "agg_f1": 0.85, "negative": 0.9},
    "dev4_questions.jsonl": {"lookup_hit@5": 0.9, "answer_match": 0.7, "agg_f1": 0.9, "negative": 0.9},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_bench_dev_set_floors(tmp_path_factory, name):
    o = run_and_score(ROOT / "bench" / name, tmp_path_factory)[0]["overall"]
    for metric, floor in FLOORS[name].items():
        assert o[metric] >= floor, (metric, o[metric])
    assert o["false_abstention"] <= 0.05


# bench/dev20_blank (a dev set): questions whose form row is blank or missing, answered by another sentence or by
# nothing; measured hit@5 0.944, answer_match 0.722, negative 0.889, false abstention 0.056 (2026-12-05)
BLANK_FLOORS = {"lookup_hit@5": 0.9, "answer_match": 0.65, "negative": 0.8}


def test_blank_row_set_floors(tmp_path_factory):
    o = run_and_score(ROOT / "bench" / "dev20_blank_questions.jsonl", tmp_path_factory)[0]["overall"]
    for metric, floor in BLANK_FLOORS.items():
        assert o[metric] >= floor, (metric, o[metric])
    assert o["false_abstention"] <= 0.1


# prose questions (risk measures, methods, purposes), compound / negated which-cities, English
# measured 0.893, 0.643, 0.837, 0.600 (agg_f1 0.892 before the tenth session's unit clean-up: p039, a negated
# compound prose condition, lost its one city when option-list units stopped raising the best city's coverage)
PROSE_FLOORS = {"lookup_hit@5": 0.85, "answer_match": 0.6, "agg_f1": 0.8, "negative": 0.55}


def test_dev_prose_floors(tmp_path_factory):
    o = run_and_score(EVAL / "dev_prose.jsonl", tmp_path_factory)[0]["overall"]
    for metric, floor in PROSE_FLOORS.items():
        assert o[metric] >= floor, (metric, o[metric])


# bench/fresh_questions.jsonl: written before this work and never tuned on; floors under its final score
FRESH_FLOORS = {"lookup_hit@5": 0.65, "answer_match": 0.22, "agg_f1": 0.62, "negative": 0.5}


def test_fresh_set_floors(tmp_path_factory):
    o = run_and_score(ROOT / "bench" / "fresh_questions.jsonl", tmp_path_factory)[0]["overall"]
    for metric, floor in FRESH_FLOORS.items():
        assert o[metric] >= floor, (metric, o[metric])


# which-cities comparisons and alternatives (eleventh session): people bands (dev11, tuned on), OR and dates (check
# sets: scored after each version, failures not used to change the code); measured agg_f1 0.937, 0.784, 0.832
AGG_FLOORS = {"dev11_bands_questions.jsonl": 0.85, "check11_or_questions.jsonl": 0.7,
              "check11_dates_questions.jsonl": 0.75}


@pytest.mark.parametrize("name", sorted(AGG_FLOORS))
def test_which_cities_comparison_floors(tmp_path_factory, name):
    o = run_and_score(ROOT / "bench" / name, tmp_path_factory)[0]["overall"]
    assert o["agg_f1"] >= AGG_FLOORS[name], o["agg_f1"]


# bench/dev28_parallel (a dev set, written by a helper in the twenty-eighth session and read to find what to build):
# 30 questions asked in Japanese and in English with the same gold. Measured with `piaqa batch` at its commit:
# hit@5 1.000, answer_match 0.8125, agg_f1 0.927, negative 0.5, false abstention 0.018; right (answer_match, exact
# cities, negative) in Japanese 21 of 30 and in English 24 of 30 (20 and 18 before the session's English fixes)
PARALLEL_FLOORS = {"lookup_hit@5": 0.95, "answer_match": 0.75, "agg_f1": 0.88, "negative": 0.5}


def test_parallel_set_floors(tmp_path_factory):
    o = run_and_score(ROOT / "bench" / "dev28_parallel_questions.jsonl", tmp_path_factory)[0]["overall"]
    for metric, floor in PARALLEL_FLOORS.items():
        assert o[metric] >= floor, (metric, o[metric])
    assert o["false_abstention"] <= 0.05
