"""Which form field a question targets: labels scored by Sudachi tokens, glossary and embeddings."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embed import Embedder
from .records import Field
from .text import compact
from .tokenize import Tokenizer

# content-free tokens that must not make a label look relevant
_STOP = {"の", "は", "が", "を", "に", "で", "と", "て", "た", "だ", "です", "ます", "か", "何", "どの", "どこ",
         "いつ", "為る", "居る", "有る", "成る", "ある", "する", "いる", "なる", "もの", "こと", "について", "において",
         "市", "事務", "関する", "評価", "評価書", "特定", "個人", "情報", "ファイル", "what", "which", "the",
         "is", "are", "of", "in", "for", "a", "an", "and", "to", "how", "does", "do", "city", "cities"}


@dataclass(frozen=True)
class LabelScore:
    """How well a question matches one normalised label."""

    label: str
    score: float
    lexical: float
    dense: float


class FieldIndex:
    """All fields of the corpus with label-level lexical and dense matching."""

    def __init__(self, fields: Sequence[Field], tokenizer: Tokenizer, embedder: Embedder) -> None:
        self.fields = list(fields)
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.labels = sorted({f.label for f in fields if not f.history and len(f.label) >= 2})
        self._tokens = [self._content(label) for label in self.labels]
        df = Counter(t for toks in self._tokens for t in toks)
        n = len(self.labels)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._vecs = embedder.queries([f"{label}" for label in self.labels]) if self.labels else np.zeros((0, 1))
        self._compact = [compact(label) for label in self.labels]

    def _content(self, text: str) -> set[str]:
        return {t for t in self.tokenizer(text) if t not in _STOP and len(t) > 0}

    def score_labels(self, question: str, terms: Sequence[str]) -> list[LabelScore]:
        """Labels ordered by match with the question (glossary terms count as question words)."""
        q_tokens = self._content(question) | self._content(" ".join(terms))
        qc = compact(question) + "|" + "|".join(compact(t) for t in terms)
        q_vec = self.embedder.queries([question])[0]
        dense = self._vecs @ q_vec
        lo, hi = float(dense.min()), float(dense.max())
        out = []
        for i, label in enumerate(self.labels):
            toks = self._tokens[i]
            total = sum(self._idf[t] for t in toks)
            lex = sum(self._idf[t] for t in toks & q_tokens) / (total + 1.5) if total else 0.0
            if len(self._compact[i]) >= 3 and self._compact[i] in qc:
                lex = max(lex, 1.0)
            d = (float(dense[i]) - lo) / (hi - lo + 1e-9)
            out.append(LabelScore(label, 0.7 * lex + 0.3 * d, lex, d))
        return sorted(out, key=lambda s: -s.score)

    def of(self, label: str, docs: Sequence[str] | None = None, history: bool = False) -> list[Field]:
        """Fields with this label (in these documents), current or history."""
        return [f for f in self.fields if f.label == label and f.history == history
                and (not docs or f.doc in docs)]

    def context_score(self, field: Field, question: str) -> float:
        """How much the field's file, item title and section match the question (0..1)."""
        q = self._content(question)
        ctx = self._content(" ".join(filter(None, [field.file_name, field.item, self.item_title(field),
                                                    field.path[-1] if field.path else ""])))
        if not ctx:
            return 0.0
        return sum(self._idf.get(t, 1.0) for t in ctx & q) / (sum(self._idf.get(t, 1.0) for t in ctx) + 1.0)

    def item_title(self, field: Field) -> str:
        """The title of the field's item (e.g. the 委託事項 name), if any."""
        if not field.item:
            return ""
        for f in self.fields:
            if f.doc == field.doc and f.item == field.item and f.label == field.item.rstrip("0123456789") \
                    and f.path == field.path:
                return f.value
        return ""
