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
# turn's answer stood on (a follow-up in the same document, not one opening with "Switching topics —"), and
# 1 / place of the unit's section among the searched documents' sections by cosine (UnitHit.section: the section
# as a whole matches the question, where one sentence may share its words by chance).
# Refitted with the section feature in the twenty-seventh session (2026-12-06) by bench/fit_unit_order.py
# (logistic regression, classes weighed equally, C=0.1 chosen by 5-fold cross-validation over questions) on the
# lookups of shared/eval dev_questions + dev_prose, every bench/dev*_questions file and the lookup turns of every
# bench/dev*conversations file whose gold evidence is among the candidates (333 of 539): the gold unit first in 206
# on folds never fitted on (without the section feature 201-202; the fused order 168). Checked on bench/check6 +
# check8 questions and check8 conversations (28, never fitted on): 19 first as before, MRR@5 0.732 -> 0.752.
# The in-the-previous-answer's-section weight, 1.5, by bench/fit_near.py (the others fixed; grid 0-3): of the 199
# dev conversation turns with a gold unit among the candidates, the gold unit first in 112 (105 at 0; 111 at the
# jointly fitted 0.957), check8's turns 10 of 13 at every weight up to 2.0. In-process against the twenty-sixth
# session's weights: dev answers 402 -> 404 of 560 lookups, held-out (every fresh and check set but fresh27)
# 715 -> 720 of 1,262, 2 more false abstentions of 1,585.
NEAR_FEATURE = 10  # place of the in-the-previous-answer's-section feature (bench/fit_near.py fits its weight)
WEIGHTS = (2.25, 0.906, -0.233, 0.339, 2.37, 1.73, 2.18, -0.559, 1.58, -0.84, 1.5, 0.618)


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
                     float(kind is not None and not stated), float(in_section(h, near)), h.section])
    return rows


def in_section(hit: UnitHit, near: Near | None) -> bool:
    """Whether a candidate sits in the section the previous answer stood on."""
    return near is not None and near.holds(hit.unit.doc, hit.unit.path)


def reorder(hits: Sequence[UnitHit], kind: str | None, near: Near | None = None) -> list[UnitHit]:
    """The candidates by learned score, best first (ties keep the fused order)."""
    scores = [sum(w * x for w, x in zip(WEIGHTS, row)) for row in features(hits, kind, near)]
    return [hits[i] for i in sorted(range(len(hits)), key=lambda i: (-scores[i], i))]
