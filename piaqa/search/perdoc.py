"""Per-document rankings and their fusion for all documents at once: what one search per document would give.

`UnitSearcher.search(..., docs=[doc])` ranks a document's units by BM25, by dense score and (optionally) by
coverage, fuses the three rankings (`fuse`, reciprocal rank) and keeps the best k distinct sentences. A
which-cities question needs that for every document; done one document at a time it was a Python pass per
city. Here the scores are given for every unit of every document and each step is one numpy sort over all of
them, grouped by document, with the same ties, the same cut-offs and the same arithmetic as `search`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# each ranking fused by a unit search holds at most this many units of the document (BM25, dense): fusion
# only places the top few, and a candidate below 200 in both adds under 1/260 to its score
RANKING_DEPTH = 200


@dataclass(frozen=True)
class Scored:
    """Every unit of the documents in scope, with the scores a unit search ranks them by."""

    rows: np.ndarray  # unit ids, ascending
    group: np.ndarray  # the document (0..n-1) of each row
    lexical: np.ndarray  # BM25 score (float32)
    dense: np.ndarray  # cosine to the question (float32)
    coverage: np.ndarray  # share of the question's words (float64)
    text: np.ndarray  # id of the unit's text: a sentence a document repeats is one piece of evidence


@dataclass(frozen=True)
class Picked:
    """The best k units of each document in fused order: rows, their document, their fused score."""

    rows: np.ndarray
    group: np.ndarray
    score: np.ndarray  # fused reciprocal-rank score (float64)


def order_codes(values: np.ndarray) -> np.ndarray:
    """Integers in the order of the values, equal for equal values (-0.0 and 0.0 too), int64: float32 by
    its bits (no sort), anything else by its distinct values."""
    if values.dtype == np.float32:
        bits = (values + np.float32(0)).view(np.uint32).astype(np.int64)  # + 0: -0.0 becomes 0.0
        return np.where(bits >= 1 << 31, (1 << 32) - 1 - bits, bits + (1 << 31))
    return np.unique(values, return_inverse=True)[1].reshape(-1).astype(np.int64)


def order_within(group: np.ndarray, primary: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """The rows sorted by group, then `primary` ascending, ties by `tiebreak` ascending (None: by the rows' own
    order): one stable sort of a (group, primary) integer key."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    before = np.arange(len(group)) if tiebreak is None else np.argsort(tiebreak, kind="stable")
    codes = order_codes(primary[before])
    key = group[before].astype(np.int64) * (int(codes.max()) + 1) + codes
    return before[np.argsort(key, kind="stable")]


def places(sorted_group: np.ndarray) -> np.ndarray:
    """1-based place of each row in its run of equal groups (rows already sorted by group)."""
    if not len(sorted_group):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    return np.arange(len(sorted_group)) - np.repeat(starts, np.diff(np.r_[starts, len(sorted_group)])) + 1


def rank_within(group: np.ndarray, primary: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """1-based rank of each row in its group, ordered as `order_within` orders them."""
    order = order_within(group, primary, tiebreak)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = places(group[order])
    return rank


def fuse_within(s: Scored, k: int, rrf_k: int, weights: Sequence[float]) -> Picked:
    """Per document: rankings by BM25 (scored units only), dense and coverage (units of the first two with
    some coverage, when weights[2]), fused as `fuse` does, the best k with one unit per distinct text."""
    r_lex = np.zeros(len(s.rows), dtype=np.int64)
    scored = np.flatnonzero(s.lexical > 0)  # they come first in BM25's order: the others never enter it
    r_lex[scored] = rank_within(s.group[scored], -s.lexical[scored])
    in_lex = (r_lex > 0) & (r_lex <= RANKING_DEPTH)
    r_den = rank_within(s.group, -s.dense)
    in_den = r_den <= RANKING_DEPTH
    pool = in_lex | in_den
    r_cov = np.zeros(len(s.rows), dtype=np.int64)
    if weights[2]:
        covered = np.flatnonzero(pool & (s.coverage > 0))
        pool_order = np.where(in_lex, r_lex, RANKING_DEPTH + r_den)  # the BM25 list, then the dense one's others
        r_cov[covered] = rank_within(s.group[covered], -s.coverage[covered], pool_order[covered])
    score = np.zeros(len(s.rows), dtype=np.float64)
    for ranks, member, weight in ((r_lex, in_lex, weights[0]), (r_den, in_den, weights[1]),
                                  (r_cov, r_cov > 0, weights[2])):  # added in `fuse`'s order: same float sums
        score = np.where(member, score + weight / (rrf_k + ranks), score)
    items = np.flatnonzero(pool)
    order = items[order_within(s.group[items], -score[items])]  # ties by unit id: items ascend like the rows
    key = s.group[order] * (int(s.text.max()) + 1) + s.text[order]
    first = np.zeros(len(order), dtype=bool)
    first[np.unique(key, return_index=True)[1]] = True  # the best-placed unit of each (document, text)
    kept = order[first]
    top = kept[places(s.group[kept]) <= k]  # kept is sorted by document, each in fused order
    return Picked(s.rows[top], s.group[top], score[top])
