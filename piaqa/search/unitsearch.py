"""Search over evidence units: BM25 + dense fused by rank, with calibrated per-unit evidence scores."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from piaqa.search.embed import Embedder
from piaqa.search.index import Index
from piaqa.records import Unit
from piaqa.search.retrieve import fuse
from piaqa.text import nfkc
from piaqa.search.tokenize import Tokenizer

# tokens that say nothing about what is asked (particles, question words, the corpus' own frame)
STOP_TOKENS = frozenset({
    "の", "は", "が", "を", "に", "で", "と", "て", "た", "だ", "です", "ます", "か", "も", "へ", "や", "から", "まで",
    "何", "なに", "どの", "どこ", "いつ", "どう", "どんな", "どのような", "どういう", "誰", "為る", "居る", "有る", "成る",
    "ある", "する", "いる", "なる", "もの", "こと", "について", "において", "おる", "れる", "られる", "せる", "ない",
    "市", "事務", "関する", "評価", "評価書", "記載", "書く", "教える", "ください", "下さい", "です", "でしょう", "よう",
    "など", "だけ", "両方", "明記", "挙げる", "述べる", "示す", "触れる", "言及", "とする", "として", "場合",
    "what", "which", "the", "is", "are", "was", "were", "of", "in", "for", "a", "an", "and", "to", "how", "does",
    "do", "did", "city", "cities", "its", "it", "their", "they", "that", "this", "with", "by", "on", "as", "be",
    "or", "any", "there", "about", "assessment", "?", "？",
})
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff][\u3040-\u30ff\u4e00-\u9fffA-Za-z0-9・ー]*")
DENSE_WEIGHT = 1.0
CONTEXT_WEIGHT = 0.5  # a word only in the unit's heading or label places the unit; the sentence itself states it  # RRF weights: dense and lexical rankings count the same (no data favoured either)


@dataclass(frozen=True)
class UnitHit:
    """A unit with the evidence that it answers the question."""

    unit: Unit
    rank_score: float  # fused reciprocal-rank score (ordering only)
    dense: float  # cosine of question and unit (e5)
    coverage: float  # idf-weighted share of the question's content tokens found in the unit and its context


def _norm(text: str) -> str:
    """Text as tokens spell it: NFKC, lower case (Sudachi's normalised forms are compared against it)."""
    return nfkc(text).lower()


class UnitSearcher:
    """Ranks the evidence units of an index for a question; read-only, thread-safe."""

    def __init__(self, index: Index, embedder: Embedder, tokenizer: Tokenizer, rrf_k: int = 60) -> None:
        self.units = index.units
        self.index = index
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.rrf_k = rrf_k
        self._doc_of = np.array([u.doc for u in self.units])
        tokens = [frozenset(tokenizer(f"{u.context} {u.text}")) for u in self.units]
        self._texts = [_norm(u.text) for u in self.units]
        self._contexts = [_norm(u.context) for u in self.units]
        df = Counter(t for toks in tokens for t in toks)
        n = max(len(self.units), 1)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}

    def question_tokens(self, text: str, lang: str, terms: Sequence[str] = (), drop: Collection[str] = ()) -> list[str]:
        """Content tokens of a question and its glossary terms; of English text only what the corpus spells
        (its Japanese glosses and the glossary's form terms): Sudachi turns English words into katakana noise."""
        if lang == "en":
            text = " ".join(_CJK_RUN.findall(text))
        return self.content_tokens(" ".join([text, *terms]), drop)

    def content_tokens(self, text: str, drop: Collection[str] = ()) -> list[str]:
        """The text's tokens that carry meaning (not particles, question words, names to drop)."""
        drop_set = {t for d in drop for t in self.tokenizer(d)}
        return list(dict.fromkeys(t for t in self.tokenizer(text) if t not in STOP_TOKENS and t not in drop_set
                                  and not t.isdigit()))

    def coverage(self, tokens: Sequence[str], text: str, context: str = "") -> float:
        """idf-weighted share of `tokens` that occur in a text (in its context only: CONTEXT_WEIGHT).

        Occurrence is tested on the normalised characters, not on Sudachi's split of the text, which
        differs with the surroundings (委託先名 is 委託/先名 in one place, 委託/先/名 in another).
        Tokens unknown to the corpus weigh nothing."""
        known = [t for t in tokens if t in self._idf]
        total = sum(self._idf[t] for t in known)
        if not total:
            return 0.0
        text, context = _norm(text), _norm(context)
        found = sum(self._idf[t] * (1.0 if t in text else CONTEXT_WEIGHT if t in context else 0.0) for t in known)
        return found / total

    def known_share(self, tokens: Sequence[str]) -> float:
        """Share of the tokens that occur anywhere in the units (0 for off-topic text)."""
        return sum(t in self._idf for t in tokens) / len(tokens) if tokens else 0.0

    def search(self, text: str, tokens: Sequence[str], docs: Collection[str] | None = None, k: int = 20,
               extra_terms: Sequence[str] = ()) -> list[UnitHit]:
        """Best k units for the question (restricted to docs), with their evidence scores."""
        if not self.units:
            return []
        mask = np.isin(self._doc_of, list(docs)) if docs else np.ones(len(self.units), dtype=bool)
        if not mask.any():
            return []
        query_tokens = self.tokenizer(" ".join([text, *extra_terms]))
        vocab = getattr(self.index.unit_bm25, "vocab_dict", None)
        if vocab is not None:
            query_tokens = [t for t in query_tokens if t in vocab]
        lex = (np.asarray(self.index.unit_bm25.get_scores(query_tokens), dtype=np.float32) if query_tokens
               else np.zeros(len(self.units), dtype=np.float32))
        qv = self.embedder.queries([text])
        sims, ids = self.index.unit_dense.search(qv, len(self.units))
        dense = np.full(len(self.units), -1.0, dtype=np.float32)
        dense[ids[0]] = sims[0]
        allowed = np.flatnonzero(mask)
        by_lex = [int(i) for i in allowed[np.argsort(-lex[allowed], kind="stable")][:200] if lex[i] > 0]
        by_den = [int(i) for i in allowed[np.argsort(-dense[allowed], kind="stable")][:200]]
        fused = fuse([by_lex, by_den], k=self.rrf_k, weights=[1.0, DENSE_WEIGHT])
        out = []
        for i, score in fused[:k]:
            out.append(UnitHit(self.units[i], score, float(dense[i]),
                               self.coverage(tokens, self._texts[i], self._contexts[i])))
        return out

