"""Fit the evidence-unit order of lookups (piaqa/answer/unitorder.py); report it on data it was not fitted on.

For every lookup question of the given sets that names its documents, the best RERANK_DEPTH units are
retrieved as a lookup retrieves them; a unit is positive when it holds one of the question's gold evidence
strings. Questions with a positive among the candidates are the data; the model is a logistic regression
over unitorder.features (classes weighed equally). C is chosen by 5-fold cross-validation over questions
(a fold's questions are never fitted on when it is scored); the final model is fitted on all. `--check`
sets are scored with the final model and never fitted on. Reports how often the gold unit comes first and
the MRR@5, against the fused order.

    .venv/bin/python bench/fit_unit_order.py --fit A.jsonl B.jsonl [--check C.jsonl] \
        [--fit-conversations D.jsonl] [--check-conversations E.jsonl]

Conversations are replayed turn by turn (each asked with the answers before it as history); each lookup turn
is then a question as `Assistant.understood` reads it (a follow-up resolved against the turns before it).

The query adapter (piaqa/search/adapter.py) was fitted on the same dev sets, so on them its cosines are in-sample:
better than on any new question. `--cross-fit-adapter` therefore computes each fit question's candidates with an
adapter fitted (bench/fit_adapter.py's fit) on the other ADAPTER_FOLDS - 1 folds only (a conversation's turns share
one fold); `--check` sets always use the shipped adapter, as `ask` does.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from questionsets import fit_check_parser, questions_of, replayed_turns

from piaqa.answer.unitorder import RERANK_DEPTH, WEIGHTS, features
from piaqa.qa import Assistant
from piaqa.search.adapter import QueryAdapter

CS = (0.03, 0.1, 0.3, 1.0, 3.0)
ADAPTER_FOLDS = 5  # as bench/fit_adapter.py's cross-validation


def adapter_fold(qid: str, turn: bool = False) -> int:
    """The fold of a question (of a conversation turn, `turn`: its conversation's, the id before its last "-"),
    stable across runs."""
    return zlib.crc32((qid.rsplit("-", 1)[0] if turn else qid).encode("utf-8")) % ADAPTER_FOLDS


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Labelled:
    """The questions with a gold unit among their candidates (features and labels), of `asked` lookups."""

    questions: list[dict]
    asked: int


@dataclass(frozen=True)
class FitData:
    """The labelled questions and conversation turns to fit on."""

    questions: Labelled
    turns: Labelled


@dataclass(frozen=True)
class Placing:
    """How often the gold unit comes first, and the MRR@5 of the first gold unit."""

    first: int
    mrr: float


def questions(a: Assistant, paths: list[Path]) -> Labelled:
    """Candidates' features and gold labels per question (those with a gold unit among the candidates),
    and how many lookups with gold evidence there were."""
    return _collect(a, ((q, a.understander.understand(q["question"])) for q in questions_of(paths, "lookup")))


def turns(a: Assistant, paths: list[Path]) -> Labelled:
    """`questions` for the lookup turns of conversations, each understood with the answers before it."""
    return _collect(a, ((q, query) for q, query in replayed_turns(a, paths) if q.get("kind") == "lookup"))


def cross_fitted(a: Assistant, paths: list[Path], conversations: list[Path]) -> FitData:
    """`questions` and `turns` of the files, each fold's computed with an adapter fitted on the other folds."""
    from fit_adapter import fit, read

    shipped = a.units.adapter
    a.units.adapter = None  # the adapter's examples: the model's own vectors, as fit_adapter.py reads them
    data = read(a, paths, conversations)
    turn_ids = {t["id"] for path in conversations for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() for t in json.loads(line)["turns"]}
    fold = {e.qid: adapter_fold(e.qid, e.qid in turn_ids) for e in data}
    units = a.units.index.unit_dense.reconstruct_n(0, len(a.units.units)).astype(np.float32)
    qs, ts = Labelled([], 0), Labelled([], 0)
    for f in range(ADAPTER_FOLDS):  # the conversations are replayed per fold: earlier answers depend on the adapter
        w = fit([e for e in data if fold[e.qid] != f], units)
        a.units.adapter = QueryAdapter(w, a.settings.embed_model)
        got_q = _collect(a, ((q, a.understander.understand(q["question"])) for q in questions_of(paths, "lookup")
                             if adapter_fold(q["id"]) == f))
        got_t = _collect(a, ((q, query) for q, query in replayed_turns(a, conversations)
                             if q.get("kind") == "lookup" and adapter_fold(q["id"], turn=True) == f))
        qs = Labelled(qs.questions + got_q.questions, qs.asked + got_q.asked)
        ts = Labelled(ts.questions + got_t.questions, ts.asked + got_t.asked)
        print(f"adapter fold {f}: fitted on {sum(g != f for g in fold.values())} of {len(data)}")
    a.units.adapter = shipped
    return FitData(qs, ts)


def _collect(a: Assistant, asked_queries) -> Labelled:  # type: ignore[no-untyped-def]
    """The labelled questions of (question, Query) pairs, and how many lookups with gold evidence there were."""
    out, asked = [], 0
    for q, query in asked_queries:
        gold = [_norm(e) for x in q.get("expected", []) for e in x.get("evidence", [])]
        if not query.docs or query.aggregate or query.history or not gold:
            continue
        asked += 1
        labelled = _labelled(a, query, gold, q["id"])
        if labelled is not None:
            out.append(labelled)
    return Labelled(out, asked)


def _labelled(a: Assistant, query, gold: list[str], qid: str) -> dict | None:  # type: ignore[no-untyped-def]
    """Features and labels of a question's candidates; None when no candidate holds the gold evidence."""
    hits = a.unit_hits(query, query.docs, k=RERANK_DEPTH, ordered=False)
    labels = [any(g in t or (len(t) >= 8 and t in g) for g in gold) for t in (_norm(h.unit.text) for h in hits)]
    return {"id": qid, "x": features(hits, query.answer_type, query.near), "y": labels} if any(labels) else None


def _placing(qs: list[dict], score) -> Placing:  # type: ignore[no-untyped-def]
    first, mrr = 0, 0.0
    for q in qs:
        s = [score(x) for x in q["x"]]
        order = sorted(range(len(s)), key=lambda i: (-s[i], i))
        place = next(p for p, i in enumerate(order, 1) if q["y"][i])
        first += place == 1
        mrr += 1 / place if place <= 5 else 0.0
    return Placing(first, round(mrr / max(len(qs), 1), 3))


def main() -> None:
    ap = fit_check_parser()
    ap.add_argument("--fit-conversations", nargs="*", type=Path, default=[], help="conversation files to fit on")
    ap.add_argument("--check-conversations", nargs="*", type=Path, default=[], help="conversation files only scored")
    ap.add_argument("--cross-fit-adapter", action="store_true",
                    help="compute each fit fold's candidates with an adapter fitted on the other folds")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from sklearn.linear_model import LogisticRegression

    a = Assistant(progress=False)
    data = (cross_fitted(a, args.fit, args.fit_conversations) if args.cross_fit_adapter
            else FitData(questions(a, args.fit), turns(a, args.fit_conversations)))
    fitted, fit_turns = data.questions, data.turns
    checked, check_turns = questions(a, args.check), turns(a, args.check_conversations)
    fit, check = fitted.questions + fit_turns.questions, checked.questions + check_turns.questions
    print(f"fit: {len(fit)} of {fitted.asked + fit_turns.asked} lookups (turns {len(fit_turns.questions)} of "
          f"{fit_turns.asked}) have a gold unit within {RERANK_DEPTH}; check: {len(check)} of "
          f"{checked.asked + check_turns.asked} (turns {len(check_turns.questions)} of {check_turns.asked})")

    def train(qs: list[dict], c: float) -> list[float]:
        xs = [x for q in qs for x in q["x"]]
        ys = [int(y) for q in qs for y in q["y"]]
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(xs, ys)
        return [float(w) for w in model.coef_[0]]

    def scorer(w: list[float]):  # type: ignore[no-untyped-def]
        return lambda x: sum(a * b for a, b in zip(w, x))

    fused = scorer([1.0])  # the first feature is 1 / place in the fused order
    folds = [fit[i::5] for i in range(5)]
    cv = {}
    for c in CS:
        firsts = [_placing(folds[i], scorer(train([q for j, f in enumerate(folds) if j != i for q in f], c))).first
                  for i in range(5)]
        cv[c] = sum(firsts)
        print(f"C={c}: gold first in {cv[c]} of {len(fit)} on folds never fitted on "
              f"(fused order {_placing(fit, fused).first})")
    best = max(cv, key=lambda c: (cv[c], -c))
    w = train(fit, best)
    print(f"C={best} WEIGHTS = ({', '.join(f'{x:.3g}' for x in w)})")
    for name, qs in (("fit", fit), ("check", check), ("fit turns", fit_turns.questions),
                     ("check turns", check_turns.questions)):
        if qs:
            print(f"{name}: {_placing(qs, scorer(w))} (fused order {_placing(qs, fused)}; "
                  f"the shipped weights {_placing(qs, scorer(list(WEIGHTS)))})")


if __name__ == "__main__":
    main()
