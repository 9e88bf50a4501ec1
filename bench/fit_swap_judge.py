"""Fit the ratio of the judge that decides whether a city swapped into a prose question states it (qa.py,
SWAPPED_STATED_RATIO); report it on conversations it was not fitted on.

A turn like "And Kurashiki?" after another city's prose answer is answered from the new city's best sentence only
when that sentence covers enough of the question against the corpus' best city (whichcities.prose_stated with
PROSE_FLOOR and this ratio); otherwise piaqa says the assessment does not state it. Every conversation is replayed
turn by turn with the judge recording its two coverages and letting the answer through, so each judged turn has
the answer it gets when judged stated. Each (floor, ratio) of the grid then scores the judged turns: a turn judged
stated is right when that answer is (score.py's answer_match; a negative turn when it abstains anyway), a turn
judged not stated when it is a negative. The ratio is chosen on the `--fit` files at the shipped floor (ties: the
middle of the best plateau) and the whole grid is reported on the `--check` files, never fitted on.

    .venv/bin/python bench/fit_swap_judge.py --fit bench/dev*_conversations.jsonl --check bench/fresh*_conversations.jsonl
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from questionsets import SCORE, fit_check_parser, scorer

from piaqa.answer.whichcities import PROSE_FLOOR
from piaqa.qa import SWAPPED_STATED_RATIO, Assistant, Coverages, Query

CORPUS = SCORE.parents[1] / "corpus"  # ../shared/corpus
FLOORS = (0.3, 0.35, 0.4, 0.45, 0.5)
RATIOS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8)


@dataclass(frozen=True)
class Judged:
    """One judged turn: its kind, whether its unjudged answer is right, and the judge's two coverages."""

    turn_id: str
    negative: bool
    right_if_stated: bool
    coverage: float
    best: float


class Recording(Assistant):
    """An Assistant whose swap judge records its coverages and always lets the answer through."""

    def __init__(self) -> None:
        super().__init__(progress=False)
        self.turn_id = ""
        self.seen: dict[str, Coverages] = {}

    def _stated_in(self, query: Query) -> bool:
        self.seen[self.turn_id] = self._coverages(query)
        return True


def judged_turns(a: Recording, paths: list[Path]) -> list[Judged]:
    """Replay the conversations; the judged turns with their unjudged answers scored."""
    score = scorer()
    turns, answers = [], []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            history = []
            for t in json.loads(line)["turns"]:
                a.turn_id = t["id"]
                answer = a.ask(t["question"], history=list(history))
                history.append((t["question"], answer))
                if t["id"] in a.seen:
                    turns.append(t)
                    answers.append(answer.to_json(t["id"]))
    result = score.score(turns, answers, k=5, corpus=score.Corpus(str(CORPUS)))
    out = []
    for t, r in zip(turns, result["questions"]):
        negative = t["kind"] == "negative"
        right = bool(r.get("abstained") or not r.get("answered")) if negative else bool(r["answer_match"])
        cover = a.seen[t["id"]]
        out.append(Judged(t["id"], negative, right, cover.asked, cover.best))
    return out


def right(turns: list[Judged], floor: float, ratio: float) -> int:
    """How many judged turns the judge gets right at a floor and ratio."""
    n = 0
    for t in turns:
        stated = t.best >= floor and t.coverage >= ratio * t.best
        n += t.right_if_stated if stated else t.negative
    return n


def main() -> None:
    args = fit_check_parser().parse_args()  # conversation files
    logging.basicConfig(level=logging.WARNING)
    a = Recording()
    fit = judged_turns(a, args.fit)
    a.seen.clear()
    check = judged_turns(a, args.check) if args.check else []
    print(f"judged turns: fit {len(fit)} ({sum(t.negative for t in fit)} negative), "
          f"check {len(check)} ({sum(t.negative for t in check)} negative)")
    for floor in FLOORS:
        print(f"floor {floor}: " + "  ".join(f"{r}: {right(fit, floor, r)}/{right(check, floor, r)}"
                                              for r in RATIOS) + "   (ratio: fit/check right)")
    scores = [right(fit, PROSE_FLOOR, r) for r in RATIOS]
    plateau = [r for r, s in zip(RATIOS, scores) if s == max(scores)]
    chosen = plateau[len(plateau) // 2]
    print(f"at the floor {PROSE_FLOOR}: best ratios {plateau} ({max(scores)} of {len(fit)}), middle {chosen}; "
          f"shipped {SWAPPED_STATED_RATIO}: fit {right(fit, PROSE_FLOOR, SWAPPED_STATED_RATIO)}, "
          f"check {right(check, PROSE_FLOOR, SWAPPED_STATED_RATIO)} of {len(check)}")


if __name__ == "__main__":
    main()
