"""Fit STATED_SHARE (piaqa/answer/alike.py): the share of a quoted sentence's words another document's closest
sentence must hold to state the same.

Each conversation of the files is two turns: a one-city lookup answered from prose, then which (other) cities
share it. The source sentence is the unit holding turn 1's gold evidence; each other document's closest sentence is
found as `sentence_alike` finds it (`closest_sentences`); a decision is positive when the document is among turn
2's gold cities. The threshold is chosen over the observed coverages (ties: the smallest), by 5-fold
cross-validation over conversations, and reported on `--check` files, never fitted on.

    .venv/bin/python bench/fit_alike.py --fit bench/dev21_alike_conversations.jsonl [--check X.jsonl]
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from piaqa.answer.alike import STATED_SHARE, closest_sentences
from piaqa.qa import Assistant
from piaqa.records import Unit

FOLDS = 5


@dataclass(frozen=True)
class Decision:
    """One other document's closest sentence for a source sentence, and whether the gold says it shares it."""

    conversation: str
    coverage: float
    same: bool


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _source(a: Assistant, expected: dict) -> Unit | None:
    """The unit on the gold lines that holds a gold evidence string (else the first on them)."""
    evidence = [_norm(e) for e in expected["evidence"]]
    on_lines = [u for u in a.units.of_doc(expected["doc"])
                if any(u.line_start <= n <= u.line_end for n in expected["lines"])]
    holding = [u for u in on_lines if any(e in _norm(u.text) or _norm(u.text) in e for e in evidence)]
    return (holding or on_lines or [None])[0]


def decisions(a: Assistant, paths: list[Path]) -> list[Decision]:
    """Every other-document decision of the conversations whose first turn's gold sentence is found."""
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            conv = json.loads(line)
            first, second = conv["turns"][0], conv["turns"][1]
            source = _source(a, first["expected"][0])
            if source is None:
                continue
            gold = {x["doc"] for x in second["expected"]}
            others = [d for d in a.docs if d != source.doc]
            for doc, hit in closest_sentences(a.units, source.text, others).items():
                out.append(Decision(conv["id"], hit.coverage if hit else 0.0, doc in gold))
    return out


def _right(ds: list[Decision], threshold: float) -> int:
    return sum((d.coverage >= threshold) == d.same for d in ds)


def _best(ds: list[Decision]) -> float:
    return max(sorted({d.coverage for d in ds}), key=lambda t: _right(ds, t))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", nargs="+", type=Path, required=True, help="two-turn conversation files to fit on")
    ap.add_argument("--check", nargs="*", type=Path, default=[], help="files only scored, never fitted on")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    a = Assistant(progress=False)
    fit = decisions(a, args.fit)
    conversations = sorted({d.conversation for d in fit})
    folds = [set(conversations[i::FOLDS]) for i in range(FOLDS)]
    right, chosen = 0, []
    for fold in folds:
        threshold = _best([d for d in fit if d.conversation not in fold])
        chosen.append(round(threshold, 3))
        right += _right([d for d in fit if d.conversation in fold], threshold)
    best = _best(fit)
    print(f"fit: {len(fit)} decisions; best threshold {best:.3f}: {_right(fit, best)} right; "
          f"cross-validated {right} (folds chose {chosen}); shipped {STATED_SHARE}: {_right(fit, STATED_SHARE)}")
    if args.check:
        check = decisions(a, args.check)
        print(f"check: {len(check)} decisions; shipped {STATED_SHARE}: {_right(check, STATED_SHARE)} right")


if __name__ == "__main__":
    main()
