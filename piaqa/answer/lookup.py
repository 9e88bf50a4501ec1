"""Form-aware answers: field values for one document, conditions across all, change history."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from piaqa.answer.choose import value_named
from piaqa.answer.describe import statement
from piaqa.answer.recipients import AbsentRecipient, absent_recipient
from piaqa.answer.whichrow import rows_with_given_value, which_rows
from piaqa.understand.answertype import PLACE, TIME_UNITS, label_fits, matches, span
from piaqa.search.fieldsearch import FieldIndex, LabelScore
from piaqa.understand.followup import headless_ordinal
from piaqa.understand.polar import asks_content
from piaqa.understand.glossary import expand, term_groups
from piaqa.parse.choice import is_blank
from piaqa.parse.pdflog import is_pdf_text
from piaqa.parse.labels import norm_label
from piaqa.parse.sections import CHANGELOG, COVER
from piaqa.understand.qualify import Qualifier, last_section
from piaqa.records import Answer, Citation, Document, Field, Hit
from piaqa.text import compact, nfkc, unnumbered
from piaqa.understand.query import Query

_DETAIL_LABELS = {"具体的な方法", "具体的な管理方法", "具体的な保管方法", "その内容", "手順の内容", "規定の内容",
                  "具体的な制限方法", "ルールの内容及びルール遵守の確認方法", "その妥当性"}
# the same rows named by the row above them (parse.fields: 「保管期間」's 「その妥当性」 is 保管期間の妥当性)
_DETAIL_ENDINGS = ("の内容", "の妥当性")
_SEMANTIC_MARGIN = 0.01  # cosine lead that singles out one file / item (measured: unqualified questions < 0.005)
VALUE_MAX = 100  # characters of values stated: score.py accepts 120 normalised characters; city and label come first
_SHOWN_VALUES = 4  # rows an answer states in full; a listing still counts all of them (Answer.fields)
# a choice (記録を残している, 行っている) is stated with the statement of its detail row (具体的な方法 …) that covers the
# question most, cut to this many characters: the choice answer runs ~50 characters, so the reply stays within
# score.py's concise answer (120 normalised characters) and one short paragraph
DETAIL_QUOTE_MAX = 55
_SCORE_TIE = 0.02  # namesake rows scoring within this of the best row kept are stated together
MIN_LABEL = 0.45
# a row carried from an earlier turn is put this far above the best label the words score, so it is the target and
# not one candidate among them (a full label score is ~1; not fitted: any margin above the picks' bonuses will do)
_CARRIED_ROW_MARGIN = 1.0
# an item's rows of the asked kind stand in for its title one after another, in the form's order (委託先名 before
# 再委託先名): the step only orders them, below any label the question's words score
_FALLBACK_STEP = 0.01
# the named item's row a term names is put this far above the term's own row elsewhere in the form: it only breaks
# the tie in favour of the item the conversation is about (not fitted; below any bonus a pick adds)
_ITEM_ROW_MARGIN = 0.01
# how far below the best label an existence row (…の有無) may score and still answer a yes/no question, and how far
# above a row stating what it may score and still give way to it for a what-question (prefer_existence's long-standing
# default; prefer_content shares it rather than a value of its own)
EXISTENCE_TOLERANCE = 0.15
STRONG_LABEL = 0.6  # below this no field is a credible target: answer from passages instead
# prefer_focus's label-score margin. Swept on every dev set (shared/eval + bench/dev2-6): 0.1 gains nothing, 0.2,
# 0.3 and 0.5 the same (+1 answer on dev6, nothing lost); 0.3, mid-range, for rephrasings (a reworded 用途 question
# scores its label 0.24 below the best). Checked on fresh, fresh2, fresh4, fresh5, check6 (never fitted on):
# +1 negative on fresh5, nothing lost at 0.1-0.5. 2026-12-04.
FOCUS_TOLERANCE = 0.3
FOCUS_CANDIDATES = 8  # labels searched for the interrogative's noun
CiteFn = Callable[[str, int, int, str], Citation]


@dataclass(frozen=True)
class Pick:
    """A field chosen as evidence, with its total score."""

    field: Field
    score: float


def shorten(value: str, limit: int = 90) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


@dataclass(frozen=True)
class Detail:
    """A choice row's detail row and the statement of it quoted beside the choice."""

    row: Field
    quote: str


class FormReader:
    """Shared state of the answer composers: the field index, the documents and how to cite them."""

    def __init__(self, fields: FieldIndex, docs: dict[str, Document], cite: CiteFn) -> None:
        self.fi = fields
        self.docs = docs
        self.metas = {name: d.meta for name, d in docs.items()}
        self.cite = cite


class Answerer(FormReader):
    """Composes answers about one document from its fields (and passages for citations)."""

    # ------------------------------------------------------------------ one document
    def pick(self, query: Query, labels: Sequence[LabelScore], hits: Sequence[Hit],
             docs: Sequence[str]) -> list[Pick]:
        """Candidate fields in the documents, best first."""
        picks = []
        kind = query.answer_type
        glossed = " ".join(expand(query.text)) if query.lang == "en" else ""  # English cannot spell the title
        named = self.fi.sections_named(f"{query.text} {glossed}")
        if named:  # the question spells out a section: its rows compete on their label score plus a bonus
            by_label = {ls.label: ls.score for ls in labels}
            for f in self.fi.fields:
                if f.doc in docs and not f.history and f.path and f.path[-1] in named:
                    picks.append(Pick(f, max(by_label.get(f.label, 0.0), 0.3) + 0.3 + self._fit(f, query)))
        for ls in labels[:12]:
            if ls.score < MIN_LABEL:
                break
            for f in self.fi.of(ls.label, docs):
                bonus = 0.0
                for rank, h in enumerate(hits[:5], 1):
                    if h.chunk.doc == f.doc and h.chunk.line_start <= f.line_start <= h.chunk.line_end:
                        bonus = max(bonus, 0.12 / rank)
                ctx = self.fi.context_score(f, query.text)
                fit = self._fit(f, query)
                picks.append(Pick(f, ls.score + 0.25 * ctx + bonus + fit + (0.3 if f.path[-1] in named else 0.0)))
        best: dict[tuple[str, int], Pick] = {}
        for p in picks:
            key = (p.field.doc, p.field.line_start)
            if key not in best or p.score > best[key].score:
                best[key] = p
        return sorted(best.values(), key=lambda p: -p.score)

    def lookup(self, query: Query, hits: Sequence[Hit], k: int,
               weigh: Callable[[str], float] | None = None, row: str | None = None) -> Answer | None:
        """The value of the targeted field in the named document; None when no field fits.
        `weigh` (how much of the question a text covers) picks the part of a long value to quote; `row` is a label
        the answer is to state when the documents have such a row (the row an earlier turn stated)."""
        qual = query.qualifier
        if (missing := self._missing_item(query, qual)) is not None:
            return self._no_item(query, missing, hits, k)
        if len(query.docs) == 1 and (absent := absent_recipient(query.recipients, self.fi.current(query.docs[0]))):
            return self._no_recipient(query, absent)
        labels = self.fi.score_labels(qual.rest, expand(qual.rest))
        if query.asks_yes_no:
            labels = prefer_existence(labels, tolerance=0.35)
        else:
            if qual.items and not query.asks_whether_done and asks_content(query.text):
                labels = prefer_content(labels)  # within an item: its row stating what, not whether
            if query.focus:
                labels = prefer_focus(labels, query.focus)
        if row is not None and self.fi.of(row, query.docs):
            top = max((ls.score for ls in labels), default=MIN_LABEL)
            labels = [LabelScore(row, top + _CARRIED_ROW_MARGIN, 0.0, 0.0)] + [ls for ls in labels if ls.label != row]
        header = re.sub(r"\d+$", "", qual.items[0]) if qual.items else ""
        if header in ("委託事項", "提供先", "移転先"):
            if not query.asks_yes_no and self._title_spelled(query, qual, header):
                # the item named by its title (「国民健康保険課が使う目的」): the title says which item, not what is asked
                labels = [ls for ls in labels if ls.label != header]
            labels = self._item_rows_named(query, qual, labels)  # 移転先における用途 for "What do they use it for?"
            # the item's title (提供先1 = 日本年金機構) as a fallback target, or, when the question asks a kind of value,
            # the item's rows of that kind (「国民年金システムの保守は誰がしている？」: the item is named by its title, and
            # a who asks its 委託先名, not the title again)
            fallback = self._item_rows_of_kind(query, qual) or [header]
            floor = {x: MIN_LABEL + 0.05 - _FALLBACK_STEP * i for i, x in enumerate(fallback)}
            labels = sorted([ls for ls in labels if ls.label not in floor or ls.score >= floor[ls.label]]
                            + [LabelScore(x, v, 0.0, 0.0) for x, v in floor.items()
                               if not any(ls.label == x and ls.score >= v for ls in labels)],
                            key=lambda x: -x.score)
        every = self.pick(query, labels, hits, query.docs)
        if query.focus and not query.asks_yes_no:
            every = prefer_focus_pick(every, query.focus)
        picks = _narrow(every, qual)
        if picks and every and not qual.explicit and (picks[0].score < every[0].score - 0.4 or (
                names(query.focus, every[0].field.label) and not names(query.focus, picks[0].field.label))):
            picks = every  # the item recognised from the wording does not hold what is asked: it was a guess
        if labels and labels[0].lexical >= 1.2 and not any(p.field.label == labels[0].label for p in picks) \
                and not self._mentions(query.docs, labels[0].label):
            return self._no_item(query, labels[0].label, hits, k)
        empty = self._empty_named_sections(query)
        if empty and not any(p.field.path[-1] in empty for p in picks[:1]):
            return self._no_item(query, unnumbered(sorted(empty)[0]), hits, k)
        if not picks or picks[0].score < MIN_LABEL:
            return None
        best = picks[0]
        same = [p for p in picks if p.field.label == best.field.label and p.field.doc == best.field.doc]
        named = self.fi.sections_named(query.text)
        if named and best.field.path[-1] in named:  # "個人番号の利用の法令上の根拠": not the other sections' ones
            same = [p for p in same if p.field.path[-1] in named]
        if given := rows_with_given_value(query, [p.field for p in same]):  # which row holds this value
            return which_rows(query.text, query.reply_lang, given, self.docs[given[0].doc], self.cite)
        if not (qual.items or qual.files):
            same = self._semantic_narrow(query.text, same)
        same = self._risk_narrow(query.text, same)
        if qual.items or qual.files or self._singles_out(query, [p.field for p in same]):
            top = max(p.score for p in same)  # the file / item kept may not hold the overall best pick
            same = [p for p in same if p.score >= top - _SCORE_TIE]
        else:
            same = sorted(same, key=lambda p: (p.field.file_name or "", _item_no(p.field.item), p.field.line_start))
        chosen = _dedupe_values([p.field for p in same])
        if any(not is_blank(f.value) for f in chosen):
            chosen = [f for f in chosen if not is_blank(f.value)]
        stated = tuple(f for f in chosen if not is_blank(f.value))
        chosen = [self._detail(f, query) for f in chosen[:_SHOWN_VALUES]]
        if all(is_blank(f.value) for f in chosen) and is_pdf_text(self.docs[chosen[0].doc]) \
                and chosen[0].path != (COVER,):
            # PDF rows lose values to other lines: a blank is not evidence of "not stated" (the cover's items are
            # read from the whole cover by the metadata parser, so their blank is)
            return None
        return replace(self._field_answer(query, chosen, hits, k, weigh), field=chosen[0], fields=stated,
                       score=best.score)

    def _item_rows_named(self, query: Query, qual: Qualifier, labels: list[LabelScore]) -> list[LabelScore]:
        """Within the named items, a row whose label ends with a form term the question's wording stands for is named
        by that wording as fully as the rows it names outright: the item's 移転先における用途 for "What do they use it
        for?" (使用目的 and 用途), where outside an item the file's 使用目的 is meant. Such a row scores as the best
        label its wording names, just above it (_ITEM_ROW_MARGIN)."""
        groups = [[t for t in terms if len(t) >= 2] for terms in term_groups(qual.rest)]
        if not groups or not query.docs:
            return labels
        rows = {f.label for f in self.fi.fields if f.doc in query.docs and f.item in qual.items and not f.history}
        by_label = {ls.label: ls for ls in labels}
        raised = {}
        for label in rows & by_label.keys():
            for terms in groups:
                if not any(label != t and label.endswith(t) for t in terms):
                    continue
                best = max((ls.score for ls in labels if ls.label in terms), default=0.0)
                if best + _ITEM_ROW_MARGIN > max(by_label[label].score, raised.get(label, 0.0)):
                    raised[label] = best + _ITEM_ROW_MARGIN
        if not raised:
            return labels
        return sorted([replace(ls, score=raised.get(ls.label, ls.score)) for ls in labels], key=lambda ls: -ls.score)

    def _title_spelled(self, query: Query, qual: Qualifier, header: str) -> bool:
        """Whether the question spells the title of an item it names (its 移転先, 提供先 or 委託事項 row's value)."""
        rest = compact(qual.rest)
        return any(f.label == header and (compact(f.value) in rest or value_named(f.value, qual.rest)
                                          or bool(part := last_section(f.value)) and part in rest)
                   for f in self.fi.fields if f.doc in query.docs and f.item in qual.items and not f.history
                   and compact(f.value))

    def _item_rows_of_kind(self, query: Query, qual: Qualifier) -> list[str]:
        """The labels of the named items' rows that are of the kind the question asks (委託先名 for a who), in the
        form's order; none when it asks no kind."""
        kind = query.answer_type
        if kind is None or not query.docs:
            return []
        rows = sorted((f for f in self.fi.fields if f.doc in query.docs and f.item in qual.items and not f.history
                       and label_fits(kind, f.label)), key=lambda f: (f.doc, f.line_start))
        stated = [f for f in rows if not is_blank(f.value)]  # of two rows of the kind, the one the item fills
        return list(dict.fromkeys(f.label for f in stated or rows))

    def _empty_named_sections(self, query: Query) -> set[str]:
        """Sections the question names ("他の評価実施機関") that state nothing in the asked document."""
        named = self.fi.sections_named(query.text)
        out = set()
        for title in named:
            rows = [f for f in self.fi.fields if f.doc in query.docs and f.path and f.path[-1] == title]
            has_section = any(s.path[-1] == title for d in query.docs for s in self.docs[d].sections)
            if has_section and all(is_blank(f.value) for f in rows) and not is_pdf_text(self.docs[query.docs[0]]):
                out.add(title)
        return out

    def _semantic_narrow(self, question: str, same: list[Pick]) -> list[Pick]:
        """Among namesake rows of several files / items, keep the file, then the item, the question is about.

        Wording that names no file or item ("千葉市の委託先は？") leaves the embeddings of the candidates'
        contexts within a hair of each other, and all are kept and listed.
        """
        for key in (lambda f: f.file_name, lambda f: (f.file_name, f.item)):
            groups = {key(p.field) for p in same}
            if len(groups) < 2:
                continue
            sims = self.fi.context_similarity(question, [p.field for p in same])
            best: dict[object, float] = {}
            for p, sim in zip(same, sims):
                best[key(p.field)] = max(best.get(key(p.field), -1.0), sim)
            ranked = sorted(best.values(), reverse=True)
            if ranked[0] - ranked[1] >= _SEMANTIC_MARGIN:
                top = max(best, key=best.get)  # type: ignore[arg-type]
                same = [p for p in same if key(p.field) == top]
        return same

    def _risk_narrow(self, question: str, same: list[Pick]) -> list[Pick]:
        """Among namesake rows under several risks (each 「リスクへの対策は十分か」 rates the risk above it), those under
        the risks whose heading shares most words with the question, when some share more than others
        (「不正に複製されるリスク」: リスク4 of the file; the embeddings of the headings tell 不正に使用 and 不正に複製
        apart by a hair)."""
        shared = [self.fi.risk_score(p.field, question) for p in same]
        if shared and max(shared) > min(shared):  # (a row whose risk is not known cannot be shown to be the one named)
            return [p for p, x in zip(same, shared) if x == max(shared)]
        return same

    def _fit(self, f: Field, query: Query) -> float:
        """Bonus when the row (or its detail row) states the kind of value asked, malus when it cannot."""
        kind = query.answer_type
        if kind is None:
            return 0.0
        if label_fits(kind, f.label):
            return 0.15
        if is_blank(f.value):
            return 0.0
        return 0.15 if matches(kind, self._detail(f, query).value) else -0.1

    def _detail(self, f: Field, query: Query) -> Field:
        """The row that states what the question asks when the chosen one only states a choice.

        "特定個人情報の使用の記録 [記録を残している]" is followed by "具体的な方法 …5年間保存": a question
        asking "how long" wants the second; so does a question asking how ("ユーザ認証の管理 [行っている]" is
        followed by "具体的な管理方法 生体認証による操作者認証を行う。"); a question asking why wants the row named
        for a reason ("保管期間 [20年以上]" is followed by "保管期間の妥当性 …").
        """
        kind = query.answer_type
        manner = bool(f.options) and query.asks_manner
        # a choice (公表 [行っている]) when the question's interrogative asks for a noun the row below names (公表場所)
        focused = bool(f.options) and bool(query.focus) and not names(query.focus, f.label)
        if not manner and not focused and (kind is None or matches(kind, f.value)):
            return f
        for g in self._rows_below(f):
            if focused and names(query.focus, g.label):
                return g
            if _is_detail(g) and ((matches(kind, g.value) or label_fits(kind, _head(g.label))) if kind else manner):
                return g
        return f

    def _rows_below(self, f: Field) -> list[Field]:
        """The stated rows right below a row in its section (within 3 lines: its detail rows)."""
        return [g for g in self.fi.fields if g.doc == f.doc and g.path == f.path and not g.history
                and 0 < g.line_start - f.line_start <= 3 and not is_blank(g.value)]

    def _choice_detail(self, f: Field, weigh: Callable[[str], float] | None, kind: str | None) -> Detail | None:
        """A choice row's detail row (「記録を残している」 → 具体的な方法) and its statement that covers the question
        most, when it covers any of it; None for a row that is no choice or has no such detail."""
        if not f.options or weigh is None:
            return None
        for g in self._rows_below(f):
            if _is_detail(g):
                quote = statement(g.value, weigh, kind, limit=DETAIL_QUOTE_MAX)
                return Detail(g, quote) if weigh(quote) > 0 else None
        return None

    def _mentions(self, docs: Sequence[str], label: str) -> bool:
        """Whether the label's words occur in the documents' current text (PDF rows may not parse), as the form
        prints them: a row named by the row above it (保管期間の妥当性) is printed 「その妥当性」."""
        wanted = {compact(label), *(compact(norm_label(f.raw_label.split()[-1])) for f in self.fi.of(label)
                                    if f.raw_label.strip())}
        for name in docs:
            d = self.docs[name]
            for sec in d.sections:
                text = compact(d.span(sec.line_start, sec.line_end))
                if not sec.path[0].endswith(CHANGELOG) and any(w in text for w in wanted):
                    return True
        return False

    def _missing_item(self, query: Query, qual: Qualifier) -> str | None:
        """The item the question names by its number (委託事項2, 3つ目の提供先) when the named document — in the
        named file, if one is named — has no such item; None otherwise. Its neighbour's value is no answer."""
        if not (qual.explicit and qual.items and query.docs):
            return None
        rows = [f for f in self.fi.fields if f.doc in query.docs and f.item and not f.history
                and (not qual.files or f.file_name in qual.files)]
        if not rows or any(f.item in qual.items for f in rows):
            return None
        where = f"{qual.files[0]}の" if qual.files else ""
        return where + "・".join(qual.items)

    def _no_item(self, query: Query, label: str, hits: Sequence[Hit], k: int) -> Answer:
        """The question names a form item that the named document does not have."""
        meta = self.metas[query.docs[0]]
        cits = _unique([self.cite(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path))
                        for h in hits])[:k]
        text = (f"{meta.city}'s {meta.kind} has no '{label}' item; it is not stated." if query.reply_lang == "en"
                else f"{meta.city}の{meta.jimu}（{meta.kind}）には「{label}」の記載がありません。")
        return Answer(query.text, text, tuple(cits), answerable=False, cities=(meta.city,), kind="blank")

    def _no_recipient(self, query: Query, absent: AbsentRecipient) -> Answer:
        """The question asks about data passed to a body the document does not state its data goes to; the rows
        saying where it does go are cited, for the user to check."""
        meta = self.metas[query.docs[0]]
        names = "、".join(dict.fromkeys(f.value for f in absent.stated))
        cits = _unique([self.cite(f.doc, f.line_start, f.line_end, f.label) for f in absent.stated])
        if query.reply_lang == "en":
            where = f" It names: {names}." if names else " It names no body its data goes to."
            text = f"{meta.city}'s {meta.kind} does not state that its data goes to {absent.body}; it is not stated.{where}"
        else:
            where = f"記載されている提供先・移転先・委託先: {names}。" if names else "提供先・移転先・委託先の記載はありません。"
            text = f"{meta.city}の{meta.jimu}（{meta.kind}）には、{absent.body}への提供・移転の記載がありません。{where}"
        return Answer(query.text, text, tuple(cits), answerable=False, cities=(meta.city,), kind="blank")

    def _singles_out(self, query: Query, fields: list[Field]) -> bool:
        """Whether the question names one file / item among several (else all are listed)."""
        if len({(f.item, f.file_name) for f in fields}) < 2:
            return True
        scores = [self.fi.context_score(f, query.text) for f in fields]
        return max(scores) - min(scores) >= 0.2

    def _field_answer(self, query: Query, chosen: list[Field], hits: Sequence[Hit], k: int,
                      weigh: Callable[[str], float] | None = None) -> Answer:
        """Answer text and citations for the chosen fields."""
        meta = self.metas[chosen[0].doc]
        cits = [self.cite(f.doc, f.line_start, f.line_end, " > ".join(f.path)) for f in chosen]
        cits += [self.cite(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path))
                 for h in hits if h.chunk.doc in query.docs]
        cits = _unique(cits)[:max(k, len(chosen))]
        label = chosen[0].label
        if all(is_blank(f.value) for f in chosen):
            text = (f"{meta.city}'s assessment leaves '{label}' blank (not stated) [1]." if query.reply_lang == "en"
                    else f"{meta.city}の{meta.jimu}の評価書には「{label}」の記載がありません [1]。")
            return Answer(query.text, text, tuple(cits), answerable=False, cities=(meta.city,), kind="blank")
        parts = []
        kind = query.answer_type
        files = {x.file_name for x in chosen}
        terse = len(chosen) > 2  # many rows: the distinct values, each cited; the citations say where
        for i, f in enumerate(chosen, 1):
            tag = re.match(r"^\(\d+\)", f.file_name or "")
            ftag = (tag.group(0) if tag else (f.file_name or "")[:8]) if len(files) > 1 else None
            who = "".join(filter(None, [ftag, f.item])) or None
            prefix = f"{who}: " if who and len(chosen) > 1 and not terse else ""
            value = f.value
            budget = VALUE_MAX // len(chosen)
            if kind and kind != PLACE and len(value) > 40 and (part := span(kind, value, weigh)):
                value = part  # a long text: the part that says what was asked
            elif weigh is not None and len(value) > budget:
                value = statement(value, weigh, kind, limit=budget)  # the statements that cover the question most
            parts.append(f"{prefix}{shorten(value, budget)}")
        # rows stating the same words (one measure written into each file's row) are stated once, cited each
        marks: dict[str, list[int]] = {}
        for i, part in enumerate(parts, 1):
            marks.setdefault(part, []).append(i)
        body = "; ".join(f"{part} " + "".join(f"[{i}]" for i in ids) for part, ids in marks.items())
        # one choice stated (記録を残している): with what its detail row says of the question (具体的な方法: 「…」)
        detail = self._choice_detail(chosen[0], weigh, kind) if len(chosen) == 1 else None
        if detail is not None:
            row = detail.row  # cited second: the row below the choice's is never a line range before it
            cits = _unique([cits[0], self.cite(row.doc, row.line_start, row.line_end, " > ".join(row.path)),
                            *cits[1:]])[:max(k, 2)]
            body += (f" — {row.label}: \u201c{detail.quote}\u201d [2]" if query.reply_lang == "en"
                     else f"（{row.label}: 「{detail.quote}」 [2]）")
        text = (f"{meta.city} ({meta.jimu}) — {label}: {body}" if query.reply_lang == "en"
                else f"{meta.city}の{label}は {body} です。")
        if any(f.uncertain for f in chosen):
            text += " (PDF表の配置から推定)" if query.reply_lang == "ja" else " (placement inferred from PDF text)"
        return Answer(query.text, text, tuple(cits), cities=(meta.city,), kind="field")

    # ------------------------------------------------------------------ history
    def history(self, query: Query, hits: Sequence[Hit], k: int) -> Answer | None:
        """Change-log rows about the targeted field: when it changed, from what to what."""
        qual = query.qualifier
        labels = self.fi.score_labels(qual.rest, expand(qual.rest))
        target = [ls.label for ls in labels[:3] if ls.score >= MIN_LABEL]
        rows = [f for f in self.fi.fields if f.history and f.doc in query.docs
                and any(t in f.label for t in target)]
        if not rows:
            return None
        qc = compact(query.text)

        file_tags = [m.group(0) for name in qual.files if (m := re.match(r"^\(\d+\)", name))]

        def score(f: Field) -> float:
            s = 2.0 if f.changed_on and compact(f.changed_on) in qc else 0.0
            s += 0.8 if any(compact(i) in compact(f.raw_label) or i == f.item for i in qual.items) else 0.0
            s += 0.8 if any(t in nfkc(f.raw_label) for t in file_tags) else 0.0
            s += 1.0 if f.label.endswith(target[0]) else 0.0
            return s + (0.2 if any(f.label.endswith(t) for t in target) else 0.0)

        rows = sorted(rows, key=lambda f: (-score(f), -f.line_start))
        rows = [f for f in rows if score(f) == score(rows[0])][:3]
        meta = self.metas[rows[0].doc]
        cits = [self.cite(f.doc, f.line_start, f.line_end, " > ".join(f.path)) for f in rows]
        cits += [self.cite(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path))
                 for h in hits]
        parts = [f"{f.changed_on or '日付不明'}に「{shorten(f.old_value or '記載なし', 40)}」→「{shorten(f.value, 40)}」"
                 f" [{i}]" for i, f in enumerate(rows, 1)]
        text = f"{meta.city}の変更箇所: " + "; ".join(parts)
        return Answer(query.text, text, tuple(_unique(cits))[:max(k, len(rows))], cities=(meta.city,),
                      kind="history")

    def unknown_attribute(self, query: Query) -> str | None:
        """The attribute a question asks for, when no form label or glossary term knows it ("年間予算"). A question
        asking a kind of value the form states (how often, how long, who) asks it of what it names: 「全ファイルの
        スキャンはどのくらいの間隔で…」 asks a frequency of the scan, not for an item called スキャン."""
        if query.aggregate or query.history or query.answer_type is not None:
            return None
        q = nfkc(query.text)
        m = _ASK_EN.search(q) if query.lang == "en" else _ASK_JA.search(q)
        if not m:
            return None
        attr = (m.group("attr") or m.groupdict().get("attr2") or "").strip()
        if attr.lower() in TIME_UNITS:  # "How many years do they keep it?": a quantity of the keeping, no item
            return None
        if headless_ordinal(attr) is not None:  # 「三件目は何のために…」: an item counted, no attribute asked
            return None
        if expand(attr) or expand(m.group(0)):  # "how many people", "head of": the glossary knows the phrase
            return None
        if query.lang == "en":  # a capitalised word is a name ("How many Kanazawa employees …"), not an attribute
            return None if attr[:1].isupper() else attr
        # a word the form knows is asked as its label; 「…した場合は？」 asks about a case, not an attribute; a
        # name the assessment writes (「収納課って何番？」) is something it talks about, not an item it lacks
        if self.fi.knows(attr) or self.fi.tokenizer.adverbial(attr) or self._mentions(query.docs or list(self.docs), attr):
            return None
        return attr

_ASK_EN = re.compile(r"^(?:what|how much|how many|who)\s+(?:is|are|was|were)\s+(?:the|its)\s+"
                     r"(?P<attr>[a-z][a-z\- ]{2,40}?)\s+(?:of|for|in|at|on)\b"
                     r"|^how (?:much|many) (?P<attr2>(?!is\b|are\b|do\b|does\b)[a-z][a-z\-]{2,20})\b", re.I)
_ASK_JA = re.compile(r"(?:の|した|する|している)(?P<attr>[一-龥ァ-ヶー]{2,10})(?:は|って)"
                     r"(?:何|なに|いくら|どこ|いつ|誰|どれ|どの|[?？]|$)")
def _narrow(picks: list[Pick], qual: Qualifier) -> list[Pick]:
    """Picks of the items / files the question names, relaxing what matches nothing."""
    for items, files in ((qual.items, qual.files), (qual.items, ()), ((), qual.files)):
        kept = [p for p in picks if (not items or p.field.item in items) and (not files or p.field.file_name in files)]
        if kept and (items or files):
            return kept
    return picks


def _item_no(item: str | None) -> int:
    """委託事項3 -> 3 (0 when there is no item)."""
    m = re.search(r"\d+$", item or "")
    return int(m.group(0)) if m else 0


def _is_existence(label: str) -> bool:
    """Whether a row says only whether something is (再委託の有無, 提供・移転の有無)."""
    return label.endswith("の有無")


def prefer_existence(scored: list[LabelScore], tolerance: float = EXISTENCE_TOLERANCE) -> list[LabelScore]:
    """For "which cities do X" / "is X done?": an "…の有無" label close to the best one states it."""
    if not scored:
        return scored
    for ls in scored[:5]:
        if _is_existence(ls.label) and ls.score >= max(scored[0].score - tolerance, MIN_LABEL):
            return _promoted(scored, ls)
    return scored


def prefer_content(scored: list[LabelScore], tolerance: float = EXISTENCE_TOLERANCE) -> list[LabelScore]:
    """For a question asking what, which or how (「あるなら何？」): an "…の有無" row on top says only whether; a row
    close to it that states something (再委託事項 beside 再委託の有無) answers."""
    if not scored or not _is_existence(scored[0].label):
        return scored
    for ls in scored[1:5]:
        if not _is_existence(ls.label) and ls.score >= max(scored[0].score - tolerance, MIN_LABEL):
            return _promoted(scored, ls)
    return scored


def _promoted(scored: list[LabelScore], ls: LabelScore) -> list[LabelScore]:
    """The labels with `ls` moved to the front, scored just above the best."""
    return [LabelScore(ls.label, scored[0].score + 0.01, ls.lexical, ls.dense)] + [x for x in scored if x is not ls]


def names(focus: tuple[str, ...], label: str) -> bool:
    """Whether a label holds one of the focus noun's spellings."""
    return any(f in label for f in focus)


def prefer_focus(scored: list[LabelScore], focus: tuple[str, ...],
                 tolerance: float = FOCUS_TOLERANCE) -> list[LabelScore]:
    """The best label naming the noun the question's interrogative modifies (「どのような用途に」 -> …における用途),
    when it scores within `tolerance` of the best: the other words of the question are its context."""
    if not scored or names(focus, scored[0].label):
        return scored
    for ls in scored[:FOCUS_CANDIDATES]:
        if names(focus, ls.label) and ls.score >= max(scored[0].score - tolerance, MIN_LABEL):
            return _promoted(scored, ls)
    return scored


def prefer_focus_pick(picks: list[Pick], focus: tuple[str, ...], tolerance: float = FOCUS_TOLERANCE) -> list[Pick]:
    """prefer_focus over the scored rows: context and passage bonuses added after the label score can put a
    row without the focus noun back on top, and a document may spell the promoted label differently."""
    if not picks or names(focus, picks[0].field.label):
        return picks
    for p in picks[:FOCUS_CANDIDATES]:
        if names(focus, p.field.label) and p.score >= max(picks[0].score - tolerance, MIN_LABEL):
            return [Pick(p.field, picks[0].score + 0.01)] + [x for x in picks if x is not p]
    return picks


def _is_detail(f: Field) -> bool:
    """Whether a row is a detail row (具体的な方法, その妥当性, …の内容): it says what the row above it chose or stated."""
    return f.label in _DETAIL_LABELS or f.label.endswith(_DETAIL_ENDINGS)


def _head(label: str) -> str:
    """What a row names: the last noun of its label (保管期間の妥当性 is a 妥当性, not a 期間)."""
    return label.rsplit("の", 1)[-1]


def _dedupe_values(fields: list[Field]) -> list[Field]:
    """One field per distinct value (the first place it is stated), in order."""
    seen, out = set(), []
    for f in fields:
        key = compact(f.value)
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
