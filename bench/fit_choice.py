"""Fit the field-vs-prose choice (piaqa/choose.py) on labelled lookups and check it on held-back sets.

For every lookup question of the fitting sets, both candidates are computed — the field answer and
the prose answer quoting the best unit — and each is marked correct when score.py's answer_match
accepts it. Questions where exactly one candidate is correct are the training pairs. The model is a
logistic regression over choose.SourceEvidence; it is reported on the check sets, which it never saw.

    .venv/bin/python bench/fit_choice.py --fit A.jsonl B.jsonl --check C.jsonl D.jsonl
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
from pathlib import Path

from piaqa.describe import describe
from piaqa.qa import Assistant

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", SCORE)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _match(sc, gold: dict, text: str) -> bool:  # type: ignore[no-untyped-def]
    got = sc.norm_answer(text)
    for ans in [gold["expected"][0]["answer"], *gold.get("answer_alts", [])]:
        a = sc.norm_answer(ans)
        if a and a in got and len(got) <= max(120, 6 * len(a)):
            return True
    return False


def rows(a: Assistant, paths: list[Path]) -> list[dict]:
    """Features and correctness of both candidates for each lookup question."""
    sc = _scorer()
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            if q.get("kind") != "lookup":
                continue
            query = a.understander.understand(q["question"])
            if not query.docs or query.aggregate or query.history:
                continue
            hits = a.retriever.search(query.text, 5, docs=query.docs, history=False)
            field = a.answerer.lookup(query, hits, 5)
            units = a.unit_hits(query, query.docs)
            if not units:
                continue
            prose = describe(query.text, query.lang, units[0], units[1:], hits, a._weigher(query), a.citation, 5)
            f_ok = field is not None and field.answerable and _match(sc, q, field.text)
            out.append({"id": q["id"], "set": path.name, "x": a.source_evidence(query, field, units[0]).vector(),
                        "field_ok": f_ok, "prose_ok": _match(sc, q, prose.text),
                        "field_kind": field.kind if field else None})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", nargs="+", type=Path, required=True)
    ap.add_argument("--check", nargs="*", type=Path, default=[])
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from sklearn.linear_model import LogisticRegression

    a = Assistant(progress=False)
    fit, check = rows(a, args.fit), rows(a, args.check)
    if args.dump:
        args.dump.write_text(json.dumps({"fit": fit, "check": check}, ensure_ascii=False))
    train = [r for r in fit if r["field_ok"] != r["prose_ok"]]
    X = [r["x"] for r in train]
    y = [int(r["prose_ok"]) for r in train]
    model = LogisticRegression(C=1.0).fit(X, y)
    print("weights", [round(float(w), 3) for w in model.coef_[0]], "bias", round(float(model.intercept_[0]), 3))
    for name, data in (("fit", fit), ("check", check)):
        if not data:
            continue
        chosen = model.predict_proba([r["x"] for r in data])[:, 1] > 0.5
        right = sum((r["prose_ok"] if c else r["field_ok"]) for r, c in zip(data, chosen))
        oracle = sum(r["prose_ok"] or r["field_ok"] for r in data)
        print(f"{name}: n={len(data)} chosen-correct={right} field-only={sum(r['field_ok'] for r in data)} "
              f"prose-only={sum(r['prose_ok'] for r in data)} oracle={oracle}")


if __name__ == "__main__":
    main()
