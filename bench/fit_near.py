"""Fit the weight of the unit-order feature (piaqa/answer/unitorder.py, NEAR_FEATURE) of a candidate in the section
the previous turn's answer stood on. The other weights stay as shipped; the weight is chosen on a grid by how often
the gold unit comes first among the lookup turns of the `--fit-conversations` files (ties: the smaller weight),
and reported on the `--check-conversations` files, never fitted on.

    .venv/bin/python bench/fit_near.py --fit-conversations A.jsonl … --check-conversations B.jsonl …
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

from fit_unit_order import _placing, turns

from piaqa.answer.unitorder import NEAR_FEATURE, WEIGHTS
from piaqa.qa import Assistant

GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit-conversations", nargs="+", type=Path, required=True)
    ap.add_argument("--check-conversations", nargs="*", type=Path, default=[])
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    a = Assistant(progress=False)
    fit, check = turns(a, args.fit_conversations), turns(a, args.check_conversations)
    near = [q for q in fit.questions if any(x[NEAR_FEATURE] for x in q["x"])]
    print(f"fit: {len(fit.questions)} of {fit.asked} lookup turns have a gold unit among the candidates, "
          f"{len(near)} of them a candidate in the previous answer's section; check: {len(check.questions)} of "
          f"{check.asked}")
    results = {}
    for w in GRID:
        weights = [*WEIGHTS[:NEAR_FEATURE], w, *WEIGHTS[NEAR_FEATURE + 1:]]

        def score(x: list[float], weights: list[float] = weights) -> float:
            return sum(a * b for a, b in zip(weights, x))

        results[w] = _placing(fit.questions, score)
        print(f"weight {w}: fit {results[w]}; check {_placing(check.questions, score) if check.questions else '-'}")
    best = max(GRID, key=lambda w: (results[w].first, -w))
    print(f"chosen: {best}")


if __name__ == "__main__":
    main()
