"""Fit the query adapter (piaqa/search/adapter.py) on the dev sets; report it on data it was not fitted on.

Data: every lookup of the `--fit` question files and lookup turn of the `--fit-conversations` files whose gold
evidence lies in an evidence unit: a unit on an evidence line of the expected document that holds the evidence's
first EVIDENCE_PREFIX characters (an evidence string may run on past its sentence's end). A conversation turn is
the text `Assistant.understood` reads it as after the turns before it (a follow-up resolved), as `ask` embeds it.

Model: W = I + D, fitted by Adam on the softmax over the expected document's units of cos(qW, u) / TEMPERATURE
(the gold units' log-sum-exp against all of the document's), with L2 (RIDGE) on D so that W stays near the model's
own map where the data says nothing. 5-fold cross-validation over the fitted questions reports how often the gold
unit is the document's first by cosine, and the MRR; `--check` files are only scored (never fitted on).

    .venv/bin/python bench/fit_adapter.py --fit A.jsonl … --fit-conversations C.jsonl … [--check E.jsonl …] \
        [--check-conversations F.jsonl …] [--write]

`--write` saves the matrix fitted on all the data (float16) to piaqa/search/query_adapter.npy (`--out`: another
.npy, for a trial with PIAQA_QUERY_ADAPTER set to it) and its provenance (model, files and their sha256, settings,
the numbers reported) to the .json beside it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from questionsets import fit_check_parser, questions_of, replayed_turns

from piaqa.config import Settings
from piaqa.qa import Assistant
from piaqa.search.adapter import ADAPTER_FILE, NO_ADAPTER, provenance_path

EVIDENCE_PREFIX = 8  # evidence strings are 10-40 characters; their first 8 name one sentence of a line
TEMPERATURE = 0.05  # e5 cosines of one document's units span ~0.75-0.9: a softmax over them needs a small scale
RIDGE = 0.01  # dev cross-validation (top-1 of the gold unit): 0.001 0.422, 0.01 0.420, 0.1 0.352 (raw 0.329)
EPOCHS = 40  # 20: CV top-1 0.420; 40: 0.440 (more only slows the fit)
LEARNING_RATE = 1e-3
BATCH = 32
SEED = 0
FOLDS = 5

log = logging.getLogger("fit_adapter")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Example:
    """One question's embedding, the rows of its document's units and which of them are gold."""

    qid: str
    query: np.ndarray  # (dim,)
    rows: np.ndarray  # unit ids of the expected document
    gold: tuple[int, ...]  # places in `rows`


@dataclass(frozen=True)
class Placing:
    """Where the first gold unit comes among its document's units by cosine."""

    n: int
    first: float
    top5: float
    mrr: float


def _gold_units(a: Assistant, q: dict, doc: str) -> list[int]:
    """Ids of the units of `doc` holding the start of one of the question's evidence strings there."""
    units = a.units.of_doc(doc)
    gold = []
    for e in q["expected"]:
        if e["doc"] != doc:
            continue
        starts = [_norm(ev)[:EVIDENCE_PREFIX] for ev in e["evidence"]]
        gold += [u.id for u in units for line in e["lines"]
                 if u.line_start <= line <= u.line_end and any(s in _norm(u.text) for s in starts)]
    return sorted(set(gold))


def examples(a: Assistant, asked: list[tuple[dict, str]]) -> list[Example]:
    """The lookups (question, text embedded) with a gold unit, as Examples."""
    out = []
    for q, text in asked:
        doc = q["expected"][0]["doc"]
        gold = _gold_units(a, q, doc)
        if not gold:
            continue
        rows = np.array([u.id for u in a.units.of_doc(doc)], dtype=np.int64)
        places = tuple(int(np.flatnonzero(rows == g)[0]) for g in gold)
        out.append(Example(q["id"], a.embedder.queries([text])[0], rows, places))
    return out


def read(a: Assistant, questions: list[Path], conversations: list[Path]) -> list[Example]:
    """The Examples of the files' lookups and lookup turns (a turn as `Assistant.understood` reads it after the turns
    before it), embedded as the assistant's searcher embeds them."""
    asked = [(q, q["question"]) for q in questions_of(questions, "lookup")]
    asked += [(t, query.text) for t, query in replayed_turns(a, conversations) if t["kind"] == "lookup"]
    return examples(a, asked)


def fit(data: list[Example], units: np.ndarray) -> np.ndarray:
    """W fitted on the examples (see the module's docstring)."""
    torch.manual_seed(SEED)
    dim = units.shape[1]
    delta = torch.zeros(dim, dim, requires_grad=True)
    opt = torch.optim.Adam([delta], lr=LEARNING_RATE)
    unit_t = torch.from_numpy(units)
    for epoch in range(EPOCHS):
        order = np.random.RandomState(epoch).permutation(len(data))
        for start in range(0, len(order), BATCH):
            w = torch.eye(dim) + delta
            loss = torch.zeros(())
            for i in order[start:start + BATCH]:
                ex = data[i]
                q = torch.from_numpy(ex.query) @ w
                s = unit_t[torch.from_numpy(ex.rows)] @ (q / q.norm()) / TEMPERATURE
                loss = loss + torch.logsumexp(s, 0) - torch.logsumexp(s[list(ex.gold)], 0)
            loss = loss / len(order[start:start + BATCH]) + RIDGE * (delta ** 2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return (torch.eye(dim) + delta).detach().numpy().astype(np.float32)


def placing(data: list[Example], units: np.ndarray, w: np.ndarray | None) -> Placing:
    """Where each example's first gold unit comes by cosine of its (mapped) question with its document's units."""
    places = []
    for ex in data:
        q = ex.query if w is None else ex.query @ w
        order = np.argsort(-(units[ex.rows] @ q), kind="stable")
        places.append(min(int(np.flatnonzero(order == g)[0]) for g in ex.gold))
    p = np.array(places)
    return Placing(len(p), float(np.mean(p == 0)), float(np.mean(p < 5)), float(np.mean(1.0 / (p + 1))))


def cross_validated(data: list[Example], units: np.ndarray) -> Placing:
    """`placing` of each fold's examples under the W fitted on the other folds."""
    folds = np.random.RandomState(SEED + 1).permutation(len(data)) % FOLDS
    scored: list[tuple[Example, np.ndarray]] = []
    for f in range(FOLDS):
        w = fit([d for d, g in zip(data, folds) if g != f], units)
        scored += [(d, w) for d, g in zip(data, folds) if g == f]
    places = [placing([d], units, w) for d, w in scored]
    n = len(places)
    return Placing(n, sum(p.first for p in places) / n, sum(p.top5 for p in places) / n,
                   sum(p.mrr for p in places) / n)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = fit_check_parser()
    ap.add_argument("--fit-conversations", nargs="*", type=Path, default=[], help="conversation files to fit on")
    ap.add_argument("--check-conversations", nargs="*", type=Path, default=[], help="conversation files only scored")
    ap.add_argument("--write", action="store_true", help=f"save the fitted matrix as {ADAPTER_FILE}")
    ap.add_argument("--out", type=Path, help="with --write: save it here instead (PIAQA_QUERY_ADAPTER=that path)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("piaqa").setLevel(logging.WARNING)
    a = Assistant(Settings.from_env(query_adapter=NO_ADAPTER), progress=False)  # the model's own vectors
    units = a.units.index.unit_dense.reconstruct_n(0, len(a.units.units)).astype(np.float32)

    data = read(a, args.fit, args.fit_conversations)
    check = read(a, args.check, args.check_conversations)
    log.info("fitting on %d lookups with a gold unit; checking on %d", len(data), len(check))
    w = fit(data, units)
    report = {"dev_raw": placing(data, units, None).__dict__,
              "dev_cross_validated": cross_validated(data, units).__dict__}
    if check:
        report.update(check_raw=placing(check, units, None).__dict__, check=placing(check, units, w).__dict__)
    for key, value in report.items():
        log.info("%s n=%d first=%.3f top5=%.3f mrr=%.3f", key.ljust(20), value["n"], value["first"], value["top5"],
                 value["mrr"])
    if args.write:
        out = args.out or ADAPTER_FILE
        np.save(out, w.astype(np.float16))
        meta = {"embed_model": a.settings.embed_model, "dim": int(units.shape[1]), "examples": len(data),
                "fitted_on": {p.name: _sha256(p) for p in [*args.fit, *args.fit_conversations]},
                "checked_on": sorted(p.name for p in [*args.check, *args.check_conversations]),
                "evidence_prefix": EVIDENCE_PREFIX, "temperature": TEMPERATURE, "ridge": RIDGE, "epochs": EPOCHS,
                "learning_rate": LEARNING_RATE, "batch": BATCH, "seed": SEED, "report": report}
        provenance_path(out).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        log.info("wrote %s and %s", out, provenance_path(out).name)


if __name__ == "__main__":
    main()
