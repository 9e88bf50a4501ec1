"""The order in which a lookup reads its evidence-unit candidates: a learned score over the evidence each
candidate has, instead of its place in the fused ranking alone.

Rank fusion (unitsearch) weighs the dense and the lexical ranking by place only; it cannot see that the
third unit holds all of the question's words and the first half of them, or that the question asks for a
frequency and only the fourth unit states one. A logistic regression over those signals (features below)
reorders the best RERANK_DEPTH candidates; `bench/fit_unit_order.py` fits it on the dev sets' lookups,
where a unit holding the gold evidence is the positive, and checks it on sets it was not fitted on.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from piaqa.search.unitsearch import UnitHit
from piaqa.understand.answertype import matches
from piaqa.understand.query import Near

# candidates reordered (a lookup reads 10 of them): of the 75 dev lookups whose gold unit is within 30, 5 had
# it beyond 10 in the fused order
RERANK_DEPTH = 30

# Order of `features`: place in the fused ranking (1/place), fused score (x60, the RRF constant), cosine,
# cosine minus the best candidate's, BM25 over the best candidate's, coverage, coverage minus the best
# candidate's, log length, states the asked kind, asked kind but does not state it, in the section the previous
# turn's answer stood on (a follow-up in the same document, not one opening with "Switching topics —").
# Fitted by bench/fit_unit_order.py (logistic regression, classes weighed equally, C=1.0 chosen by 5-fold
# cross-validation over questions) on the lookups of shared/eval dev_questions + dev_prose and bench/dev2-6, dev8
# and dev15 whose gold evidence is among the candidates (106 of 205): the gold unit first in 68 on folds never
# fitted on, 63 in the fused order. Checked on bench/check6 + check8 (15 of 29, never fitted on): 9 first (fused
# order 9), MRR@5 0.630 -> 0.643. Over every dev set answer_match 260 -> 261 of 386 lookups, over the held-out
# sets 265 -> 267 of 540, against the seventh session's weights (fitted on 75 of 155). Measured 2026-12-05.
# The last weight, 2.0, by bench/fit_near.py (the others fixed; grid 0-3): of the 172 lookup turns of every dev
# conversation file with a gold unit among the candidates (63 with a candidate in the last answer's section), the
# gold unit first in 85 (82 at 0, 84 from 0.75); check8's 13 turns 9 first at every weight up to 2.0. In-process,
# dev answers +2, negatives +1, none lost; held-out answers ±0, hit@5 +1. Fitted 2026-12-05 (twentieth session).
WEIGHTS = (2.82, 1.64, 0.664, 1.18, 3.83, 1.01, 2.85, -0.729, 1.76, -0.681, 2.0)


def features(hits: Sequence[UnitHit], kind: str | None, near: Near | None = None) -> list[list[float]]:
    """One feature row per candidate (see WEIGHTS), relative to the best of the candidates; `near`: the section a
    follow-up's previous answer stood on."""
    if not hits:
        return []
    best_dense = max(h.dense for h in hits)
    best_lexical = max(h.lexical for h in hits) or 1.0
    best_coverage = max(h.coverage for h in hits)
    rows = []
    for place, h in enumerate(hits, 1):
        stated = kind is not None and matches(kind, h.unit.text)
        rows.append([1.0 / place, h.rank_score * 60, h.dense, h.dense - best_dense, h.lexical / best_lexical,
                     h.coverage, h.coverage - best_coverage, math.log(1 + len(h.unit.text)), float(stated),
                     float(kind is not None and not stated), float(in_section(h, near))])
    return rows


def in_section(hit: UnitHit, near: Near | None) -> bool:
    """Whether a candidate sits in the section the previous answer stood on."""
    return near is not None and hit.unit.doc == near.doc and " > ".join(hit.unit.path) == near.path


def reorder(hits: Sequence[UnitHit], kind: str | None, near: Near | None = None) -> list[UnitHit]:
    """The candidates by learned score, best first (ties keep the fused order)."""
    scores = [sum(w * x for w, x in zip(WEIGHTS, row)) for row in features(hits, kind, near)]
    return [hits[i] for i in sorted(range(len(hits)), key=lambda i: (-scores[i], i))]
