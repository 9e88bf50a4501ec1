"""Fit the which-cities prose judgement (piaqa/answer/whichcities.py): DISTINCT_FLOOR and DISTINCT_RATIO, and
unitsearch.DISTINCT_BASE, the weight a word every judged document uses keeps.

For every which-cities question of the fitting sets whose condition is one atom judged by prose, each document's
best-unit coverage (`WhichCities.prose_supports`, as a question is judged) is paired with the gold decision (the city
is in the gold set, inverted for a negated atom). For each base, the floor and ratio with the best accuracy (the
middle of the best plateau) are printed with their accuracy on 5-fold cross-validation over questions and on the
check sets, which they never saw.

    .venv/bin/python bench/fit_prose_judge.py --fit A.jsonl B.jsonl --check C.jsonl [--bases 0 0.3 0.6 1.0]
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from pathlib import Path

from questionsets import fit_check_parser, questions_of

import piaqa.search.unitsearch as unitsearch
from piaqa.answer.whichcities import prose_stated
from piaqa.qa import Assistant
from piaqa.text import nfkc
from piaqa.understand.condition import grammar_of

FOLDS = 5
GRID = [(f / 20, r / 20) for f in range(1, 16) for r in range(8, 20)]  # floors 0.05-0.75, ratios 0.40-0.95


@dataclass(frozen=True)
class Decision:
    """One document's coverage for a prose atom, the best document's, and whether the gold says it is stated."""

    coverage: float
    best: float
    stated: bool


def decisions(a: Assistant, paths: list[Path]) -> list[list[Decision]]:
    """Every document's decision for every single-atom which-cities question judged by prose, per question."""
    out = []
    docs = list(a.docs)
    for q in questions_of(paths, "aggregate"):
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
        best = max(s.coverage for s in support.values())
        out.append([Decision(support[d].coverage, best, (a.docs[d].meta.city in gold) != atom.negated) for d in docs])
    return out


def right(data: list[list[Decision]], floor: float, ratio: float) -> int:
    """Decisions prose_stated gets right with these parameters."""
    return sum(prose_stated(d.coverage, d.best, floor, ratio) == d.stated for q in data for d in q)


def fitted(data: list[list[Decision]]) -> tuple[float, float]:
    """The middle of the grid points with the most decisions right."""
    top = max(right(data, *g) for g in GRID)
    ties = [g for g in GRID if right(data, *g) == top]
    return ties[len(ties) // 2]


def cross_validated(data: list[list[Decision]]) -> int:
    """Decisions right on folds of questions the parameters were not fitted on."""
    order = list(range(len(data)))
    random.Random(0).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    total = 0
    for fold in folds:
        held = set(fold)
        params = fitted([q for i, q in enumerate(data) if i not in held])
        total += right([data[i] for i in fold], *params)
    return total


def main() -> None:
    ap = fit_check_parser()
    ap.add_argument("--bases", nargs="+", type=float, default=[unitsearch.DISTINCT_BASE])
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    a = Assistant(progress=False)
    for base in args.bases:
        unitsearch.DISTINCT_BASE = base
        fit, check = decisions(a, args.fit), decisions(a, args.check)
        floor, ratio = fitted(fit)
        n_fit, n_check = sum(map(len, fit)), sum(map(len, check))
        print(f"base {base}: floor {floor:.2f} ratio {ratio:.2f}: fit {right(fit, floor, ratio)} of {n_fit} "
              f"({len(fit)} questions), cross-validated {cross_validated(fit)}; check "
              f"{right(check, floor, ratio)} of {n_check}")


if __name__ == "__main__":
    main()
