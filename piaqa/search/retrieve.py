"""Hybrid retrieval: BM25 (Sudachi tokens) + dense (FAISS), fused by reciprocal rank."""
from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from piaqa.search.ann import dense_scores
from piaqa.search.embed import Embedder
from piaqa.search.index import Index, has_vector
from piaqa.records import Hit
from piaqa.search.tokenize import Tokenizer, lexical_text


def fuse(rankings: Sequence[Sequence[int]], k: int = 60,
         weights: Sequence[float] | None = None, extra: dict[int, float] | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: items ordered by sum of weight / (k + rank), rank from 1, plus `extra` (a score
    some items get in place of a ranking they cannot be in)."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    scores: dict[int, float] = dict(extra or {})
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


class Retriever:
    """Searches one loaded index; read-only, safe to share between threads."""

    def __init__(self, index: Index, embedder: Embedder, tokenizer: Tokenizer,
                 candidates: int = 50, rrf_k: int = 60) -> None:
        self.index = index
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.rrf_k = rrf_k
        self._doc_of = np.array([c.doc for c in index.chunks])
        self._history = np.array([c.history for c in index.chunks])
        self._vectored = np.array([has_vector(c) for c in index.chunks], dtype=bool)

    def _mask(self, docs: Collection[str] | None, history: bool) -> np.ndarray:
        """Which chunks may be returned."""
        mask = np.ones(len(self.index.chunks), dtype=bool)
        if docs:
            mask &= np.isin(self._doc_of, list(docs))
        if not history:
            mask &= ~self._history
        return mask

    def _top(self, scores: np.ndarray, mask: np.ndarray) -> list[int]:
        """Indices of the best-scoring allowed chunks."""
        scores = np.where(mask, scores, -np.inf)
        n = min(self.candidates, int(mask.sum()))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        return [int(i) for i in top[np.argsort(-scores[top], kind="stable")] if np.isfinite(scores[i])]

    def lexical(self, query: str, extra_terms: Sequence[str] = (), lang: str = "ja") -> np.ndarray:
        """BM25 score of every chunk; all zeros when no query token is in the index vocabulary."""
        vocab = getattr(self.index.bm25, "vocab_dict", None)
        text = " ".join([lexical_text(query, lang), *extra_terms])
        tokens = [t for t in self.tokenizer(text) if vocab is None or t in vocab]
        if not tokens:  # "？", "🤖", "<>": bm25s raises IndexError on an empty query
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        return np.asarray(self.index.bm25.get_scores(tokens), dtype=np.float32)

    def dense(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Cosine score of every chunk (an approximate index: of the allowed or nearest ones, -inf elsewhere)."""
        q = self.embedder.queries([query])
        allowed = None if mask is None or mask.all() else np.flatnonzero(mask)
        return dense_scores(self.index.dense, q, -np.inf, allowed)

    def search(self, query: str, k: int = 5, docs: Collection[str] | None = None, history: bool = True,
               extra_terms: Sequence[str] = (), lang: str = "ja") -> list[Hit]:
        """Best k chunks for the query, optionally restricted to some documents (`lang`: see lexical_text)."""
        mask = self._mask(docs, history)
        lex = self._top(self.lexical(query, extra_terms, lang), mask)
        den = self._top(self.dense(query, mask), mask & self._vectored)
        # a chunk without a vector (the change log) takes its lexical rank on the dense side as well
        stand_in = [(rank, i) for rank, i in enumerate(lex, 1) if not self._vectored[i]]
        fused = fuse([lex, den], k=self.rrf_k, extra={i: 1.0 / (self.rrf_k + rank) for rank, i in stand_in})
        return [Hit(self.index.chunks[i], s) for i, s in fused[:k]]
