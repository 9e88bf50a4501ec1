"""Fit the field-vs-prose choice (piaqa/choose.py) on labelled lookups; report it on data it was not fitted on.

For every lookup question of the given sets, both candidates are computed as `ask` computes them
(Assistant.candidates: the field answer, and Assistant.prose_answer: the answer the evidence units give, after
the asked kind's units and a list's items are put first) and each is marked correct when score.py's
answer_match accepts it. Questions a rule decides (no field or no unit, a self-rating, a field that cannot
answer a yes/no or a why, a named kind only the field states) are left out: the choice is never asked there.
Questions where exactly one candidate is correct are the training pairs; the model is a logistic
regression over choose.SourceEvidence. The regularisation C is chosen by 5-fold cross-validation
(questions of a fold are never fitted on when the fold is scored); the final model is fitted on all.
`--check` sets are scored with the final model and never fitted on.

    .venv/bin/python bench/fit_choice.py --fit A.jsonl B.jsonl [--check C.jsonl] \
        [--fit-conversations D.jsonl] [--check-conversations E.jsonl]

Conversation turns are understood as `ask` reads them after the turns before (`Assistant.understood`).

`--near-grid` fits only the weight of the last feature (SourceEvidence.near: which candidate stands in the section
the previous answer cited), the others kept as shipped: the grid value choosing right most often on the fit rows
(ties: the smaller weight), reported on the check rows.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from questionsets import fit_check_parser, questions_of, replayed_turns, scorer

from piaqa.answer.choose import BIAS, WEIGHTS
from piaqa.qa import Assistant

K = 5  # citations per answer, as `piaqa ask` gives by default


def _match(sc, gold: dict, text: str) -> bool:  # type: ignore[no-untyped-def]
    got = sc.norm_answer(text)
    for ans in [gold["expected"][0]["answer"], *gold.get("answer_alts", [])]:
        a = sc.norm_answer(ans)
        if a and a in got and len(got) <= max(120, 6 * len(a)):
            return True
    return False


def rows(a: Assistant, paths: list[Path]) -> list[dict]:
    """Features and correctness of both candidates for each lookup question."""
    sc = scorer()
    out = []
    for q in questions_of(paths, "lookup"):
        if (row := _row(a, sc, q, a.understander.understand(q["question"]))) is not None:
            out.append(row)
    return out


def turn_rows(a: Assistant, paths: list[Path]) -> list[dict]:
    """`rows` for the lookup turns of conversations, each understood as `ask` reads it after the turns before."""
    sc = scorer()
    return [row for q, query in replayed_turns(a, paths)
            if q.get("kind") == "lookup" and (row := _row(a, sc, q, query)) is not None]


def _row(a: Assistant, sc, q: dict, query) -> dict | None:  # type: ignore[no-untyped-def]
    """Both candidates of one question as a lookup weighs them (Assistant.candidates) and whether each is right;
    None when a rule, not the fitted choice, decides (no field answer or no unit, a field that cannot answer, a
    named kind only the field states) or the question is no lookup of one document's field or prose."""
    if not query.docs or query.aggregate or query.history:
        return None
    hits = a.lookup_hits(query, K)
    field = a.answerer.lookup(query, hits, K, a._weigher(query))
    if field is not None and field.kind != "field":
        return None
    c = a.candidates(query, field)
    if not c.units or c.rule is not None or c.field is None:
        return None
    prose = a.prose_answer(query, c, hits, K)
    f_ok = c.field.answerable and _match(sc, q, c.field.text)
    return {"id": q["id"], "x": a.source_evidence(query, c.field, c.units[0]).vector(),
            "field_ok": f_ok, "prose_ok": _match(sc, q, prose.text), "field_kind": c.field.kind}


def main() -> None:
    ap = fit_check_parser()
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--fit-conversations", nargs="*", type=Path, default=[], help="conversation files to fit on")
    ap.add_argument("--check-conversations", nargs="*", type=Path, default=[], help="conversation files only scored")
    ap.add_argument("--near-grid", action="store_true",
                    help="fit only the near feature's weight on a grid, the other weights as shipped")
    ap.add_argument("--balanced", action="store_true",
                    help="weigh field-right and prose-right pairs equally (sklearn class_weight='balanced')")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from sklearn.linear_model import LogisticRegression

    a = Assistant(progress=False)
    fit = rows(a, args.fit) + turn_rows(a, args.fit_conversations)
    check = rows(a, args.check) + turn_rows(a, args.check_conversations)
    if args.dump:
        args.dump.write_text(json.dumps({"fit": fit, "check": check}, ensure_ascii=False))
    if args.near_grid:
        _near_grid(fit, check)
        return

    def train(rows: list[dict], c: float) -> LogisticRegression:
        pairs = [r for r in rows if r["field_ok"] != r["prose_ok"]]
        return LogisticRegression(C=c, max_iter=1000, class_weight="balanced" if args.balanced else None).fit([r["x"] for r in pairs], [int(r["prose_ok"]) for r in pairs])

    def right(model: LogisticRegression, rows: list[dict]) -> int:
        chosen = model.predict_proba([r["x"] for r in rows])[:, 1] > 0.5
        return sum((r["prose_ok"] if c else r["field_ok"]) for r, c in zip(rows, chosen))

    folds = [fit[i::5] for i in range(5)]
    cv = {}
    for c in (0.3, 1.0, 3.0, 10.0):
        cv[c] = sum(right(train([r for j, f in enumerate(folds) if j != i for r in f], c), folds[i]) for i in range(5))
        print(f"C={c}: 5-fold cross-validated right {cv[c]} of {len(fit)} (fields alone "
              f"{sum(r['field_ok'] for r in fit)}, possible {sum(r['field_ok'] or r['prose_ok'] for r in fit)})")
    best_c = max(cv, key=lambda c: (cv[c], -abs(c - 1.0)))
    model = train(fit, best_c)
    print(f"C={best_c} weights", [round(float(w), 3) for w in model.coef_[0]], "bias", round(float(model.intercept_[0]), 3))
    for name, data in (("fit", fit), ("check", check)):
        if not data:
            continue
        chosen = model.predict_proba([r["x"] for r in data])[:, 1] > 0.5
        right = sum((r["prose_ok"] if c else r["field_ok"]) for r, c in zip(data, chosen))
        oracle = sum(r["prose_ok"] or r["field_ok"] for r in data)
        shipped = sum((r["prose_ok"] if _shipped_prose(r["x"]) else r["field_ok"]) for r in data)
        print(f"{name}: n={len(data)} chosen-correct={right} (the shipped weights {shipped}) "
              f"field-only={sum(r['field_ok'] for r in data)} prose-only={sum(r['prose_ok'] for r in data)} "
              f"oracle={oracle}")


NEAR_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)


def _near_grid(fit: list[dict], check: list[dict]) -> None:
    """Choose the near feature's weight on a grid, the other weights as shipped (see the module's docstring)."""
    def right(rows: list[dict], w: float) -> int:
        weights = [*WEIGHTS[:-1], w]
        return sum((r["prose_ok"] if BIAS + sum(a * b for a, b in zip(weights, r["x"])) > 0 else r["field_ok"])
                   for r in rows)

    near = [r for r in fit if r["x"][-1] != 0]
    print(f"fit: {len(fit)} rows, {len(near)} with one candidate in the previous answer's section")
    for w in NEAR_GRID:
        print(f"near weight {w}: fit {right(fit, w)} of {len(fit)}; check {right(check, w) if check else '-'}")
    print("chosen:", max(NEAR_GRID, key=lambda w: (right(fit, w), -w)))


def _shipped_prose(x: list[float]) -> bool:
    """Whether the shipped weights (choose.WEIGHTS, BIAS) choose the prose unit for a feature row."""
    return BIAS + sum(w * v for w, v in zip(WEIGHTS, x)) > 0


if __name__ == "__main__":
    main()
