"""Form-aware answers: field values for one document, conditions across all, change history."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .fieldsearch import FieldIndex, LabelScore
from .glossary import expand
from .parse.choice import is_blank
from .records import Answer, Citation, DocMeta, Field, Hit, Row
from .text import compact, nfkc
from .understand import Query

MIN_LABEL = 0.45  # below this no field is a credible target: answer from passages instead
_NEGATIVE = re.compile(r"しない|していない|行っていない|実施しない|発生なし|^なし$|^無$|^非該当$|^該当なし$")
_QUOTED = re.compile(r"[「『\"“]([^」』\"”]{1,40})[」』\"”]")
_PAREN_JA = re.compile(r"[（(]([^()（）]*[\u3040-\u30ff\u4e00-\u9fff][^()（）]*)[)）]")
CiteFn = Callable[[str, int, int, str], Citation]


@dataclass(frozen=True)
class Pick:
    """A field chosen as evidence, with its total score."""

    field: Field
    score: float


def _short(value: str, limit: int = 90) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


def quoted_terms(question: str) -> list[str]:
    """Values the question quotes: 「無料」, "日本年金機構", (国民年金) in an English question."""
    q = nfkc(question)
    out = [m.group(1).strip() for m in _QUOTED.finditer(q)]
    if not re.search(r"[\u3040-\u30ff]", q):  # English question: parenthesised Japanese is the term
        out += [m.group(1).strip() for m in _PAREN_JA.finditer(q)]
    return [t for t in out if t]


class Answerer:
    """Composes answers from fields (and passages for citations)."""

    def __init__(self, fields: FieldIndex, metas: dict[str, DocMeta], cite: CiteFn) -> None:
        self.fi = fields
        self.metas = metas
        self.cite = cite

    # ------------------------------------------------------------------ one document
    def pick(self, query: Query, labels: Sequence[LabelScore], hits: Sequence[Hit],
             docs: Sequence[str]) -> list[Pick]:
        """Candidate fields in the documents, best first."""
        picks = []
        for ls in labels[:6]:
            if ls.score < MIN_LABEL * 0.8:
                break
            for f in self.fi.of(ls.label, docs):
                bonus = 0.0
                for rank, h in enumerate(hits[:5], 1):
                    if h.chunk.doc == f.doc and h.chunk.line_start <= f.line_start <= h.chunk.line_end:
                        bonus = max(bonus, 0.12 / rank)
                ctx = self.fi.context_score(f, query.text)
                picks.append(Pick(f, ls.score + 0.25 * ctx + bonus))
        return sorted(picks, key=lambda p: -p.score)

    def lookup(self, query: Query, hits: Sequence[Hit], k: int) -> Answer | None:
        """The value of the targeted field in the named document; None when no field fits."""
        terms = expand(query.text)
        labels = self.fi.score_labels(query.text, terms)
        picks = self.pick(query, labels, hits, query.docs)
        if not picks or picks[0].score < MIN_LABEL:
            return None
        best = picks[0]
        same = [p for p in picks if p.field.label == best.field.label and p.field.doc == best.field.doc
                and p.score >= best.score - 0.02]
        chosen = _dedupe_values([p.field for p in same])[:4]
        return self._field_answer(query, chosen, hits, k)

    def _field_answer(self, query: Query, chosen: list[Field], hits: Sequence[Hit], k: int) -> Answer:
        """Answer text and citations for the chosen fields."""
        meta = self.metas[chosen[0].doc]
        cits = [self.cite(f.doc, f.line_start, f.line_end, " > ".join(f.path)) for f in chosen]
        cits += [self.cite(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path))
                 for h in hits if h.chunk.doc in query.docs]
        cits = _unique(cits)[:max(k, len(chosen))]
        label = chosen[0].raw_label.split(" ")[-1] if chosen[0].raw_label else chosen[0].label
        label = re.sub(r"^[①-⑳]|\s*※", "", label).strip() or chosen[0].label
        if all(is_blank(f.value) for f in chosen):
            text = (f"{meta.city}'s assessment leaves '{label}' blank (not stated) [1]." if query.lang == "en"
                    else f"{meta.city}の{meta.jimu}の評価書には「{label}」の記載がありません [1]。")
            return Answer(query.text, text, tuple(cits), answerable=False, cities=(meta.city,), kind="blank")
        parts = []
        for i, f in enumerate(chosen, 1):
            who = f.item or (f.file_name if len(chosen) > 1 else None)
            prefix = f"{who}: " if who and len(chosen) > 1 else ""
            parts.append(f"{prefix}{_short(f.value, 90 // len(chosen) + 10)} [{i}]")
        body = "; ".join(parts)
        text = (f"{meta.city} ({meta.jimu}) — {label}: {body}" if query.lang == "en"
                else f"{meta.city}の{label}は {body} です。")
        if any(f.uncertain for f in chosen):
            text += " (PDF表の配置から推定)" if query.lang == "ja" else " (placement inferred from PDF text)"
        return Answer(query.text, text, tuple(cits), cities=(meta.city,), kind="field")

    # ------------------------------------------------------------------ history
    def history(self, query: Query, hits: Sequence[Hit], k: int) -> Answer | None:
        """Change-log rows about the targeted field: when it changed, from what to what."""
        labels = self.fi.score_labels(query.text, expand(query.text))
        target = [ls.label for ls in labels[:3] if ls.score >= MIN_LABEL]
        rows = [f for f in self.fi.fields if f.history and f.doc in query.docs
                and any(t in f.label for t in target)]
        if not rows:
            return None
        rows = sorted(rows, key=lambda f: f.line_start, reverse=True)[:3]
        meta = self.metas[rows[0].doc]
        cits = [self.cite(f.doc, f.line_start, f.line_end, " > ".join(f.path)) for f in rows]
        parts = [f"{f.changed_on}: {_short(f.old_value or '（記載なし）', 40)} → {_short(f.value, 40)} [{i}]"
                 for i, f in enumerate(rows, 1)]
        text = f"{meta.city}の変更箇所: " + "; ".join(parts)
        return Answer(query.text, text, tuple(_unique(cits)), cities=(meta.city,), kind="history")

    # ------------------------------------------------------------------ across cities
    def aggregate(self, query: Query, k: int) -> Answer:
        """Evaluate the question's condition for every document; answer with the set of cities."""
        terms = expand(query.text)
        quoted = quoted_terms(query.text)
        labels = self.fi.score_labels(query.text, terms)
        label = labels[0].label if labels and labels[0].score >= MIN_LABEL else None
        rows, cits, satisfied = [], [], []
        for doc, meta in self.metas.items():
            ok, evidence, value = self._condition(doc, meta, label, quoted, terms)
            cit_index = None
            if evidence is not None:
                cits.append(self.cite(evidence.doc, evidence.line_start, evidence.line_end, " > ".join(evidence.path)))
                cit_index = len(cits) - 1
            rows.append(Row(meta.city, meta.jimu, value, ok, cit_index))
            if ok:
                satisfied.append(meta.city)
        cities = tuple(dict.fromkeys(satisfied))
        n = len({m.city for m in self.metas.values()})
        what = label or "/".join(quoted) or "条件"
        if query.lang == "en":
            text = f"{len(cities)} of {n} cities match ({what}): {', '.join(cities) or 'none'}."
        else:
            text = f"{n}市中{len(cities)}市が該当（{what}）: {'、'.join(cities) or 'なし'}。"
        order = sorted(range(len(rows)), key=lambda i: not rows[i].satisfied)
        return Answer(query.text, text, tuple(cits), cities=cities, rows=tuple(rows[i] for i in order),
                      kind="aggregate")

    def _condition(self, doc: str, meta: DocMeta, label: str | None, quoted: list[str],
                   terms: list[str]) -> tuple[bool, Field | None, str]:
        """(satisfied, evidence field, value shown) for one document."""
        meta_text = compact(f"{meta.city}{meta.jimu}{meta.kind}")
        if quoted and all(compact(q) in meta_text for q in quoted):
            return True, None, f"{meta.jimu} {meta.kind}"
        fields = self.fi.of(label, [doc]) if label else []
        if quoted:
            pool = fields or [f for f in self.fi.fields if f.doc == doc and not f.history]
            for f in pool:
                if any(compact(q) in compact(f.value) for q in quoted):
                    return True, f, _short(f.value, 60)
            return False, (fields[0] if fields else None), _short(fields[0].value, 60) if fields else "該当なし"
        for f in fields:
            if not is_blank(f.value) and not _NEGATIVE.search(f.value):
                return True, f, _short(f.value, 60)
        if fields:
            return False, fields[0], _short(fields[0].value, 60) or "記載なし"
        return False, None, "記載なし"


def _dedupe_values(fields: list[Field]) -> list[Field]:
    """One field per distinct (item, value), in order."""
    seen, out = set(), []
    for f in fields:
        key = (f.item, compact(f.value))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _unique(cits: list[Citation]) -> list[Citation]:
    """Citations without repeats of the same line range."""
    seen, out = set(), []
    for c in cits:
        key = (c.doc, c.line_start, c.line_end)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
