"""Which form field a question targets: labels scored by Sudachi tokens, glossary and embeddings."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from piaqa.parse.labels import norm_label
from piaqa.search.embed import Embedder
from piaqa.understand.glossary import expand_weighted
from piaqa.records import Field, Unit
from piaqa.text import compact, nfkc, unnumbered
from piaqa.search.tokenize import Tokenizer

# content-free tokens that must not make a label look relevant
_STOP = {"の", "は", "が", "を", "に", "で", "と", "て", "た", "だ", "です", "ます", "か", "何", "どの", "どこ",
         "いつ", "為る", "居る", "有る", "成る", "ある", "する", "いる", "なる", "もの", "こと", "について", "において",
         "市", "事務", "関する", "評価", "評価書", "what", "which", "the",
         "is", "are", "of", "in", "for", "a", "an", "and", "to", "how", "does", "do", "city", "cities"}


# the form's notes on a title ("3. 第三者点検【任意】", "…【行政機関等のみ】", "保管場所 ※"): not part of its name
# distinct texts whose content tokens are kept: questions and the row contexts a which-cities answer scores
# (the five documents have ~4,000 fields; a text is a few hundred bytes, so the cache stays around 1 MB)
CONTENT_CACHE = 8192
_ANNOTATION = re.compile(r"【[^】]*】|※")
_PARTICLES = re.compile(r"[のをがにはへと]")
# the form's own row names pointing at the row above (「その必要性」「その妥当性」 under 対象となる本人の範囲)
_DEICTIC = "その"
QUOTED = 1.2  # the lexical score of a label the question spells out: above any covered by its words (at most 1)
QUOTED_CONTEXT = 1.0  # … spelled as the modifier of another label: as strong as full coverage, below the label asked
_QUOTE_MARKS = re.compile(r"[「」『』\"“”]")
_ITEM_HEADERS = {"システム"}  # its row has no value (the name is in ①システムの名称)


def is_answer_label(label: str) -> bool:
    """Labels worth targeting: not item headers, option lists or rules of dashes."""
    return (len(label) >= 2 and label not in _ITEM_HEADERS and not re.match(r"^\d+\)|^リスク(\d+)?([:：]|$)", label)
            and bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label)) and not re.search(r"[☐☑\[\]<>＜＞]", label))


def answer_labels(fields: Sequence[Field]) -> tuple[str, ...]:
    """The labels a question can target (current rows only), sorted: what FieldIndex scores and embeds."""
    return tuple(sorted({f.label for f in fields if not f.history and is_answer_label(f.label)}))


@dataclass(frozen=True)
class LabelVectors:
    """Query embeddings of the answer labels, one row per label in `labels` order (kept with the index)."""

    labels: tuple[str, ...]
    vectors: np.ndarray


def embed_labels(labels: Sequence[str], embedder: Embedder) -> LabelVectors:
    """The labels' query embeddings, as FieldIndex compares questions with them."""
    vecs = embedder.queries(list(labels)) if labels else np.zeros((0, 1), dtype=np.float32)
    return LabelVectors(tuple(labels), vecs)


_FOCUS = [re.compile(r"(?:どのような|どんな|どういう|どのくらいの|どれくらいの|どの|何の|なんの)([一-龥ァ-ヶー・]{1,10})(?![一-龥ァ-ヶー・])(?!から|に|へ|と)"),
          re.compile(r"([一-龥ァ-ヶー・]{1,10})(?:は|って|が|を)(?:何|なに|どこ|いつ|誰|どれ|いくつ|いくら|どの|どう)")]


def focus_phrases(question: str) -> list[str]:
    """Nouns a Japanese question word points at: "どのような用途", "保管期間はいつ"."""
    return [m.group(1) for p in _FOCUS for m in p.finditer(nfkc(question))]


@dataclass(frozen=True)
class LabelScore:
    """How well a question matches one normalised label."""

    label: str
    score: float
    lexical: float
    dense: float


@lru_cache(maxsize=CONTENT_CACHE)
def _content_tokens(tokenizer: Tokenizer, text: str) -> frozenset[str]:
    """Content tokens of a text: Sudachi's, stop words dropped."""
    return frozenset(t for t in tokenizer(text) if t not in _STOP and len(t) > 0)


# a row sits under the risk heading of the nearest evidence unit before it in its section (the form states a risk,
# its measures, then rates them: 高知市's 「リスクへの対策は十分か」 at line 642 rates リスク4 of line 641), within this
# many lines (a risk's block of the form is 3–10 lines long; further back is the risk before it)
RISK_REACH = 12
_RISK = re.compile(r"^リスク\s*\d*\s*[:：]")


def printed_label(label: str, raw_label: str) -> str | None:
    """A composed label as the form prints it under its parent row, compact (「その必要性」 under 対象となる本人の範囲:
    対象となる本人の範囲のその必要性), or None for a label the form prints as it is."""
    raw = norm_label(raw_label)
    own = compact(label)
    if not raw.startswith(_DEICTIC) or raw == own or not own.endswith(raw[len(_DEICTIC):]):
        return None
    return own[:len(own) - len(raw) + len(_DEICTIC)] + raw


def risk_headings(fields: Sequence[Field], units: Sequence[Unit]) -> dict[tuple[str, int], str]:
    """The risk heading each row sits under, by (document, first line); rows under no risk are absent."""
    by_section: dict[tuple[str, tuple[str, ...]], list[Unit]] = {}
    for u in units:
        if _RISK.match(u.heading):
            by_section.setdefault((u.doc, u.path), []).append(u)
    out: dict[tuple[str, int], str] = {}
    for f in fields:
        before = [u for u in by_section.get((f.doc, f.path), ())
                  if f.line_start - RISK_REACH <= u.line_start <= f.line_start]
        if before and not f.history:
            out[(f.doc, f.line_start)] = max(before, key=lambda u: (u.line_start, u.id)).heading
    return out


class FieldIndex:
    """All fields of the corpus with label-level lexical and dense matching."""

    def __init__(self, fields: Sequence[Field], tokenizer: Tokenizer, embedder: Embedder,
                 section_titles: Sequence[str] = (), label_vectors: LabelVectors | None = None,
                 risks: Mapping[tuple[str, int], str] | None = None) -> None:
        """`label_vectors`: the labels' embeddings as the index keeps them (embedded here when None); `risks`: the
        risk heading of each row under one (`risk_headings`)."""
        self.fields = list(fields)
        self._risks = dict(risks or {})
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.labels = list(answer_labels(self.fields))
        if label_vectors is not None and list(label_vectors.labels) != self.labels:
            raise ValueError(f"the index's label vectors are of {len(label_vectors.labels)} labels, the fields have "
                             f"{len(self.labels)} others: rebuild the index (piaqa index --rebuild)")
        self._tokens = [self._content(label) for label in self.labels]
        df = Counter(t for toks in self._tokens for t in toks)
        n = len(self.labels)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._vecs = (label_vectors or embed_labels(self.labels, embedder)).vectors
        self._compact = [compact(label) for label in self.labels]
        # each label as a question may spell it: itself, and a row the form prints as 「その必要性」 under its parent
        # row also as the parent's name with that (対象となる本人の範囲の必要性: 「対象となる本人の範囲のその必要性」)
        printed = {f.label: alias for f in self.fields if (alias := printed_label(f.label, f.raw_label))}
        self._spellings = [tuple(dict.fromkeys(x for x in (own, printed.get(label)) if x))
                           for own, label in zip(self._compact, self.labels)]
        # every current value and option, compact, one per line (`states`; compact text holds no line break)
        self._stated = "\n".join(compact(v) for f in self.fields if not f.history for v in (f.value, *f.options))
        self._ctx_vecs: dict[str, np.ndarray] = {}
        self._item_rows: dict[tuple[str, tuple[str, ...], str], list[Field]] = {}
        for f in self.fields:
            if f.item and not f.history:
                self._item_rows.setdefault((f.doc, f.path, f.item), []).append(f)
        self._titles = {(f.doc, f.path, f.item): f.value for f in self.fields
                        if f.item and not f.history and f.label == f.item.rstrip("0123456789")}
        headings = {p for f in self.fields for p in f.path}
        titles = {f.path[-1] for f in self.fields if f.path} | set(section_titles)
        self._section_titles = {t: compact(_ANNOTATION.sub("", unnumbered(t)))
                                for t in titles if re.match(r"^\d+\.", t)}
        self._known = set().union(*self._tokens, *(self._content(h) for h in headings))
        # the same rows asked for per city and per question: index them once (a which-cities answer over N
        # documents scanned every field N times; bench/scale_cities.py)
        self._by_label: dict[tuple[str, bool], list[Field]] = {}
        self._by_label_doc: dict[tuple[str, bool, str], list[Field]] = {}  # one city's rows: not a scan of all
        self._current: dict[str, list[Field]] = {}
        self._files: dict[str, set[str]] = {}
        for f in self.fields:
            self._by_label.setdefault((f.label, f.history), []).append(f)
            self._by_label_doc.setdefault((f.label, f.history, f.doc), []).append(f)
            if not f.history:
                self._current.setdefault(f.doc, []).append(f)
            if f.file_name and f.path and "概要" in f.path[0]:
                self._files.setdefault(f.doc, set()).add(f.file_name)

    def _content(self, text: str) -> frozenset[str]:
        """Content tokens of a text (cached: a question and a row context are tokenised once, not per city)."""
        return _content_tokens(self.tokenizer, text)

    def score_labels(self, question: str, terms: Sequence[str]) -> list[LabelScore]:
        """Labels ordered by match with the question (glossary terms count as question words)."""
        weights = expand_weighted(question)
        q_tokens = self._content(question)
        g_tokens = self._content(" ".join(terms)) - q_tokens
        qc = compact(question)
        gterms = {compact(t): weights.get(t, 0.75) for t in terms}
        focus = self._content(" ".join(focus_phrases(question)))
        long_terms = {t: w for t, w in gterms.items() if len(t) >= 4}
        q_vec = self.embedder.queries([question])[0]
        dense = self._vecs @ q_vec
        lo, hi = float(dense.min()), float(dense.max())
        unquoted = _QUOTE_MARKS.sub("", qc)  # 「その必要性」 quoted inside the parent's name still spells the row
        verbatim = {x for spelled in self._spellings for x in spelled if len(x) >= 3 and x in unquoted}
        # a label spelled as the modifier of another spelled after it (「移転する情報の法令上の根拠は」): Japanese puts the
        # head last, so the later label is the one asked and the earlier names its context
        modifiers = {x for x in verbatim for y in verbatim if x not in y and y not in x and f"{x}の{y}" in unquoted}
        out = []
        for i, label in enumerate(self.labels):
            toks = self._tokens[i]
            total = sum(self._idf[t] for t in toks)
            covered = sum(self._idf[t] for t in toks & q_tokens) + 0.7 * sum(self._idf[t] for t in toks & g_tokens)
            lex = covered / (total + 1.5) if total else 0.0
            own = self._compact[i]
            quoted = [x for x in self._spellings[i] if x in verbatim]
            if quoted and not any(x != v and x in v for x in quoted for v in verbatim):
                # the question quotes the label itself (not just part of a longer one), as the noun asked or its context
                lex = max(lex, QUOTED_CONTEXT if all(x in modifiers for x in quoted) else QUOTED)
            elif len(own) >= 2 and own in gterms:
                lex = max(lex, 0.45 + 0.6 * gterms[own])  # the glossary names this label
            elif long_terms and (inside := [w for t, w in long_terms.items() if t in own]):
                lex = max(lex, 0.45 + 0.4 * max(inside))  # a long label built around a glossary term
            if focus and toks & focus:
                lex += 0.3  # the noun the question word asks about ("どのような用途")
            d = (float(dense[i]) - lo) / (hi - lo + 1e-9)
            out.append(LabelScore(label, 0.75 * lex + 0.25 * d * d, lex, d))
        return sorted(out, key=lambda s: -s.score)

    def sections_named(self, question: str) -> set[str]:
        """Section titles ("4. 個人番号の利用") the question spells out, particles aside ("個人番号を利用")."""
        qc = _PARTICLES.sub("", compact(question))
        return {t for t, c in self._section_titles.items() if len(c) >= 5 and _PARTICLES.sub("", c) in qc}

    def of(self, label: str, docs: Sequence[str] | None = None, history: bool = False) -> list[Field]:
        """Fields with this label (in these documents), current or history, in corpus order."""
        rows = self._by_label.get((label, history), [])
        if not docs:
            return list(rows)
        if len(docs) == 1:
            return list(self._by_label_doc.get((label, history, next(iter(docs))), []))
        wanted = set(docs)
        return [f for f in rows if f.doc in wanted]

    def current(self, doc: str) -> list[Field]:
        """A document's current rows (not the change log), in corpus order."""
        return list(self._current.get(doc, ()))

    def values_of(self, label: str) -> list[str]:
        """Distinct current values and options a label takes anywhere in the corpus."""
        out: dict[str, None] = {}
        for f in self._by_label.get((label, False), ()):  # the label's current rows, in corpus order
            for v in (f.value, *f.options):
                if v and len(v) <= 40:
                    out[v] = None
        return list(out)

    def states(self, value: str) -> bool:
        """Whether some current field of the corpus holds the value (or one of its options does), compared as
        value conditions compare (compact containment)."""
        return bool(value := compact(value)) and value in self._stated

    def knows(self, phrase: str) -> bool:
        """Whether any form label shares a content token with the phrase."""
        toks = self._content(phrase)
        return bool(toks) and toks <= self._known

    def file_names(self, doc: str) -> set[str]:
        """The 特定個人情報ファイル a document describes (by the sections its fields sit in)."""
        return set(self._files.get(doc, ()))

    def risk_of(self, field: Field) -> str:
        """The risk heading the row sits under ("リスク4: 特定個人情報ファイルが不正に複製されるリスク"), or ""."""
        return self._risks.get((field.doc, field.line_start), "")

    def risk_score(self, field: Field, question: str) -> float:
        """How much of the row's risk heading the question names: the idf of the words they share (0 with no risk)."""
        shared = self._content(_RISK.sub("", self.risk_of(field))) & self._content(question)
        return sum(self._idf.get(t, 1.0) for t in shared)

    def context_score(self, field: Field, question: str) -> float:
        """How much the field's file, item title and section match the question (0..1)."""
        q = self._content(question)
        ctx = self._content(" ".join(filter(None, [field.file_name, field.item, self.item_title(field),
                                                    field.path[-1] if field.path else ""])))
        if not ctx:
            return 0.0
        return sum(self._idf.get(t, 1.0) for t in ctx & q) / (sum(self._idf.get(t, 1.0) for t in ctx) + 1.0)

    def context_text(self, field: Field) -> str:
        """What distinguishes a row from its namesakes: its file, item title and item content. A file's number is
        no meaning of its own ("(2)", with or without a space after it, moved cosines by 0.01, as much as a file's
        name leads by: 「住民票事務」 singled out 高知市's (2)本人確認情報ファイル over (1) 住民基本台帳ファイル)."""
        parts = [re.sub(r"^\(\d+\)\s*", "", field.file_name or "")]
        if field.item:
            parts += [self.item_title(field)] + [f.value for f in self._item_rows.get(
                (field.doc, field.path, field.item), []) if f.label in ("委託内容", "システムの機能")]
        return " ".join(p for p in parts if p)[:300]

    def context_similarity(self, question: str, fields: Sequence[Field]) -> list[float]:
        """Cosine of the question with each row's distinguishing context (embeddings cached per context)."""
        q = self.embedder.queries([question])[0]
        out = []
        for f in fields:
            text = self.context_text(f)
            if text not in self._ctx_vecs:
                self._ctx_vecs[text] = self.embedder.passages([text])[0]
            out.append(float(self._ctx_vecs[text] @ q))
        return out

    def item_title(self, field: Field) -> str:
        """The title of the field's item (e.g. the 委託事項 name), if any."""
        if not field.item:
            return ""
        return self._titles.get((field.doc, field.path, field.item), "")
