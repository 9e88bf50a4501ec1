"""Fit the which-cities prose judgement (piaqa/answer/prosejudge.py): JUDGE_WEIGHTS, a logistic regression over
each document's features for a prose atom (and, with --bases, unitsearch.DISTINCT_BASE, the weight a word every
judged document uses keeps).

For every which-cities question of the fitting sets whose condition is one atom judged by prose, each document's
support (`WhichCities.prose_supports`, as a question is judged) gives its features (`prosejudge.judge_features`),
paired with the gold decision (the city is in the gold set, inverted for a negated atom). For each base and C the
script prints the decisions right on 5-fold cross-validation over questions (five shuffles), the weights fitted on
all the fitting questions, and their decisions right on the check sets, which they never saw; the ratio rule used
before (0.60 of the best document's coverage, at least 0.10) is printed beside them.

    .venv/bin/python bench/fit_prose_judge.py --fit A.jsonl B.jsonl --check C.jsonl [--bases 0.6] [--c 1 10 30]
"""
from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

from questionsets import fit_check_parser, questions_of

import piaqa.search.unitsearch as unitsearch
from piaqa.answer.prosejudge import JUDGE_WEIGHTS, NEAR_RATIO, DocSupport, JudgeFeatures, JudgeWeights, stated_each, judge_features
from piaqa.qa import Assistant
from piaqa.text import nfkc
from piaqa.understand.condition import grammar_of

FOLDS = 5
SHUFFLES = 5
OLD_FLOOR = 0.10  # the ratio rule's floor (twenty-ninth to thirty-sixth session), for comparison


@dataclass(frozen=True)
class Judged:
    """One atom's documents: their supports, whether it is English, and the gold decision of each."""

    support: dict[str, DocSupport]
    english: bool
    gold: dict[str, bool]


def first_turns(paths: list[Path]) -> list[dict]:
    """The which-cities questions that open conversations (later turns lean on the turns before them)."""
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and (turn := json.loads(line)["turns"][0]).get("kind") == "aggregate":
                out.append(turn)
    return out


def judged(a: Assistant, paths: list[Path], conversations: list[Path] = ()) -> list[Judged]:
    """Every single-atom which-cities question judged by prose, with its documents' supports."""
    out = []
    docs = list(a.docs)
    for q in [*questions_of(paths, "aggregate"), *first_turns(list(conversations))]:
        query = a.understander.understand(q["question"])
        if len(query.condition.atoms) != 1:
            continue
        atom = query.condition.atoms[0]
        lang = grammar_of(nfkc(atom.text), query.lang)
        sub = a.understander.understand(atom.text)
        if a.which.field_fits(a.aggregator.field_condition(sub), atom.text, lang):
            continue
        gold = {e["city"] for e in q["expected"]}
        support = a.which.prose_supports(atom.text, docs, lang)
        out.append(Judged({d: DocSupport(s.coverage, s.lexical) for d, s in support.items()}, lang == "en",
                          {d: (a.docs[d].meta.city in gold) != atom.negated for d in docs}))
    return out


@dataclass(frozen=True)
class Rows:
    """Feature vectors and gold labels of every document of every atom, in one order."""

    features: list[list[float]]
    labels: list[int]


def rows(data: list[Judged]) -> Rows:
    """Feature vectors and gold labels of every document of every atom."""
    out = Rows([], [])
    for j in data:
        feats: dict[str, JudgeFeatures] = judge_features(j.support, j.english)
        for d, f in feats.items():
            out.features.append(f.vector())
            out.labels.append(int(j.gold[d]))
    return out


def fit(data: list[Judged], c: float) -> JudgeWeights:
    """The logistic regression's weights on these atoms."""
    from sklearn.linear_model import LogisticRegression
    table = rows(data)
    model = LogisticRegression(C=c, max_iter=5000).fit(table.features, table.labels)
    return JudgeWeights(tuple(round(float(w), 4) for w in model.coef_[0]), round(float(model.intercept_[0]), 4))


def right(data: list[Judged], weights: JudgeWeights) -> int:
    """Decisions the weights get right."""
    return sum(stated_each(j.support, j.english, weights)[d] == g for j in data for d, g in j.gold.items())


def old_rule_right(data: list[Judged]) -> int:
    """Decisions the ratio rule used before gets right."""
    total = 0
    for j in data:
        best = max(s.coverage for s in j.support.values())
        total += sum((best >= OLD_FLOOR and j.support[d].coverage >= NEAR_RATIO * best) == g for d, g in j.gold.items())
    return total


def cross_validated(data: list[Judged], c: float, seed: int) -> int:
    """Decisions right on folds of questions the weights were not fitted on."""
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    total = 0
    for i in range(FOLDS):
        held = set(order[i::FOLDS])
        weights = fit([q for n, q in enumerate(data) if n not in held], c)
        total += right([data[n] for n in sorted(held)], weights)
    return total


def main() -> None:
    ap = fit_check_parser()
    ap.add_argument("--bases", nargs="+", type=float, default=[unitsearch.DISTINCT_BASE])
    ap.add_argument("--c", nargs="+", type=float, default=[1.0, 10.0, 30.0])
    ap.add_argument("--fit-conversations", nargs="*", type=Path, default=[],
                    help="conversation files whose opening which-cities questions are fitted on")
    ap.add_argument("--check-conversations", nargs="*", type=Path, default=[],
                    help="conversation files whose opening which-cities questions are only scored")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    a = Assistant(progress=False)
    for base in args.bases:
        unitsearch.DISTINCT_BASE = base
        data = judged(a, args.fit, args.fit_conversations)
        check = judged(a, args.check, args.check_conversations)
        n_fit, n_check = sum(len(j.gold) for j in data), sum(len(j.gold) for j in check)
        print(f"base {base}: {len(data)} questions, {n_fit} decisions; check {len(check)} questions, {n_check}; "
              f"the ratio rule: fit {old_rule_right(data)}, check {old_rule_right(check)}; the shipped weights: fit "
              f"{right(data, JUDGE_WEIGHTS)}, check {right(check, JUDGE_WEIGHTS)}")
        for c in args.c:
            weights = fit(data, c)
            folds = [cross_validated(data, c, s) for s in range(SHUFFLES)]
            print(f"  C={c}: cross-validated {folds}; fit {right(data, weights)}; check {right(check, weights)}; "
                  f"{weights}")


if __name__ == "__main__":
    main()
