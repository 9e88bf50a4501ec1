"""Fit PROSE_STATED (piaqa/whichcities.py): the unit coverage above which a document states a prose condition.

For every which-cities question of the fitting sets whose condition is one atom judged by prose,
each document's best-unit coverage is paired with the gold decision (the city is in the gold set,
inverted for a negated atom). The threshold with the best accuracy is printed, with its accuracy on
the check sets, which it never saw.

    .venv/bin/python bench/fit_prose_judge.py --fit A.jsonl B.jsonl --check C.jsonl
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from questionsets import fit_check_parser, questions_of

from piaqa.answer.whichcities import prose_stated
from piaqa.qa import Assistant
from piaqa.understand.condition import parse_condition


@dataclass(frozen=True)
class Decision:
    """One document's coverage for a prose atom, the best document's, and whether the gold says it is stated."""

    coverage: float
    best: float
    stated: bool


def decisions(a: Assistant, paths: list[Path]) -> list[Decision]:
    """Every document's decision for every single-atom which-cities question judged by prose."""
    out = []
    for q in questions_of(paths, "aggregate"):
        query = a.understander.understand(q["question"])
        cond = parse_condition(query.text, query.lang)
        if len(cond.atoms) != 1:
            continue
        atom = cond.atoms[0]
        sub = a.understander.understand(atom.text)
        if a.which.field_fits(a.aggregator.field_condition(sub), atom.text, query.lang):
            continue
        gold = {e["city"] for e in q["expected"]}
        covs = {doc: a.which.prose_support(atom.text, doc, query.lang).coverage for doc in a.docs}
        best = max(covs.values())
        out.extend(Decision(covs[doc], best, (d.meta.city in gold) != atom.negated) for doc, d in a.docs.items())
    return out


def accuracy(data: list[Decision], floor: float, ratio: float) -> float:
    """Share of decisions prose_stated gets right with these parameters."""
    return sum(prose_stated(d.coverage, d.best, floor, ratio) == d.stated for d in data) / len(data) if data else 0.0


def main() -> None:
    ap = fit_check_parser()
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    a = Assistant(progress=False)
    fit, check = decisions(a, args.fit), decisions(a, args.check)
    grid = [(f / 20, r / 20) for f in range(4, 20) for r in range(10, 21)]
    top = max(accuracy(fit, *g) for g in grid)
    ties = [g for g in grid if accuracy(fit, *g) == top]
    floor, ratio = ties[len(ties) // 2]  # the middle of the best plateau
    print(f"fit: {len(fit)} city decisions, positives {sum(d.stated for d in fit)}; best accuracy {top:.3f} on "
          f"{len(ties)} grid points: " + ", ".join(f"{f:.2f}/{r:.2f}" for f, r in ties))
    checked = f"check ({len(check)} decisions) acc={accuracy(check, floor, ratio):.3f}" if check else "check: no decisions"
    print(f"chosen floor={floor:.2f} ratio={ratio:.2f}: fit acc={accuracy(fit, floor, ratio):.3f}; {checked}")


if __name__ == "__main__":
    main()
