"""Across-cities answers: evaluate the question's condition for every document, cite each city."""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from piaqa.answer.lookup import MIN_LABEL, STRONG_LABEL, FormReader, prefer_existence, shorten
from piaqa.understand.glossary import expand, rated_option
from piaqa.parse.choice import is_blank
from piaqa.parse.sections import CHANGELOG
from piaqa.records import Answer, DocMeta, Field, Row
from piaqa.search.fieldsearch import FieldIndex, LabelScore
from piaqa.answer.bands import BandCondition, band_condition, parse_band
from piaqa.answer.dates import DateCondition, date_condition, dates_in
from piaqa.text import JAPANESE, clean_line, compact, nfkc
from piaqa.understand import comparative
from piaqa.understand.query import Query

# conditions whose corpus-wide match is remembered: a which-cities answer asks once per document, a session
# asks a few dozen distinct conditions
MATCH_CACHE = 256
_NEGATIVE = re.compile(r"しない|していない|行っていない|実施しない|発生なし|^なし$|^無$|^非該当$|^該当なし$")
_QUOTED = re.compile(r"[「『\"“]([^」』\"”]{1,40})[」』\"”]")
_PAREN_JA = re.compile(r"[（(]([^()（）]*[\u3040-\u30ff\u4e00-\u9fff][^()（）]*)[)）]")
_GLOSS_PARTS = re.compile(r"[,;、，；]")  # separates a gloss from remarks in the same parentheses
_NEGATED = re.compile(r"以外|\bother than\b|\bexcept\b|\bbesides\b|ではない|でない", re.I)
_DENIED = re.compile(r"\b(do|does|did) not\b|n't\b|\bnot (carry|conduct|use|have|do)|\bno longer\b", re.I)
_ERA_YEAR = re.compile(r"(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年")
# a flow's row and the verbs that name it: a body named with 移転 is a 移転先, with 提供 a 提供先
_FLOW_VERBS = {"移転先": re.compile(r"移転|\btransfer|\bmov(?:e|es|ed|ing)\b", re.I),
               "提供先": re.compile(r"提供|\bprovid|\bsupplie?s?\b|\bsupplying\b", re.I)}
FLOW_NAME_MIN = 3  # characters: a shorter name (県, 国) occurs in questions by chance
# a count compared ("2つ以上の移転先", "3件未満", "at least two recipients", "more than 2 files", "複数の")
_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "複数": 2,
           "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_COUNT_UNIT_JA = "つ|個|種類|件|か所|カ所|ヶ所|箇所|所|部署|ファイル|社|項目|団体"
_COUNT_JA = re.compile(r"(?P<n>\d+|[一二三四五六七八九十]|複数)\s*(?P<unit>" + _COUNT_UNIT_JA + r")?\s*"
                       rf"(?P<op>{comparative.JA})|(?P<several>複数)の")
_COUNT_EN = re.compile(rf"\b(?P<op>{comparative.EN_BEFORE})\s+"
                       r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>\w+)"
                       r"|\b(?P<n2>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+or\s+"
                       rf"(?P<op2>{comparative.EN_AFTER})"
                       r"\s+(?P<unit2>\w+)|\b(?P<several>multiple|several|more than one)\s+(?P<unit3>\w+)", re.I)
_NOT_COUNTED_EN = re.compile(r"(years?|months?|days?|weeks?|people|persons?|staff|employees|residents|yen|hours?)$", re.I)
# the English noun phrase a count is about: its words up to a relative, a preposition or punctuation
_NOUN_PHRASE_EN = re.compile(r"(?:(?!(?:that|which|who|for|in|with|of|on|at|to|from|by|where)\b)[\w()（）\-]+\s*){1,6}", re.I)
_FILES_BEFORE = re.compile(r"ファイル(を|が|は|の)?\s*$")  # "ファイルを2つ以上": the files are counted
_GENERIC_TOPICS = {"委託", "システム", "個人番号", "特定個人情報ファイル名"}




def quoted_terms(question: str) -> list[str]:
    """Values the question quotes: 「無料」, "日本年金機構"."""
    return [t for t in (m.group(1).strip() for m in _QUOTED.finditer(nfkc(question))) if t]


def glossed_terms(question: str) -> list[str]:
    """Japanese terms an English question glosses in parentheses: "re-delegate (再委託)"."""
    q = nfkc(question)
    if re.search(r"[\u3040-\u30ff]", q):
        return []
    # "(富士通Japan, including its branches)": the gloss is the Japanese part; the English beside it comments on it
    return [t for m in _PAREN_JA.finditer(q) for part in _GLOSS_PARTS.split(m.group(1))
            if (t := part.strip()) and JAPANESE.search(t)]


@dataclass(frozen=True)
class CountCondition:
    """A count compared: n and the comparison; of the document's files, or of the target's rows per file."""

    n: int
    op: str  # ">=", ">", "<=", "<"
    files: bool = False

    def holds(self, value: int) -> bool:
        return {">=": value >= self.n, ">": value > self.n, "<=": value <= self.n, "<": value < self.n}[self.op]


def count_condition(question: str) -> CountCondition | None:
    """The count a which-cities question compares, if any ("移転先を2つ以上", "at least two files")."""
    q = _QUOTED.sub(" ", nfkc(question))  # 「50項目以上100項目未満」 is a value, not a count
    if m := _COUNT_JA.search(q):
        if m.group("several"):  # 複数の特定個人情報ファイル: the noun phrase after の says what is counted
            return CountCondition(2, ">=", "ファイル" in re.split(r"[をがはにでと、。?？]", q[m.end():], maxsplit=1)[0])
        n = int(m.group("n")) if m.group("n").isdigit() else _NUMBER[m.group("n")]
        files = m.group("unit") == "ファイル" or bool(_FILES_BEFORE.search(q[:m.start()]))
        return _counted(CountCondition(n, comparative.operator(m.group("op")), files))
    if m := _COUNT_EN.search(q):
        phrase = _NOUN_PHRASE_EN.match(q[m.end() - len(m.group("unit") or m.group("unit2") or m.group("unit3")):])
        files = bool(phrase) and bool(re.search(r"\bfiles?\b", phrase.group(0), re.I))  # "two specific … files"
        if m.group("several"):
            return CountCondition(2, ">=", files)
        if _NOT_COUNTED_EN.match(m.group("unit") or m.group("unit2") or ""):
            return None  # "at least 20 years", "more than 1000 people": a value, compared by its field
        raw = m.group("n") or m.group("n2")
        n = int(raw) if raw.isdigit() else _NUMBER[raw.lower()]
        op = comparative.operator(m.group("op")) if m.group("op") else comparative.operator_after_or(m.group("op2"))
        return _counted(CountCondition(n, op, files))
    return None


def _counted(count: CountCondition) -> CountCondition | None:
    """None for "at least one" (1つ以上): that is existence, the ordinary reading of a condition."""
    return None if (count.n, count.op) in ((1, ">="), (0, ">")) else count


@dataclass(frozen=True)
class NamedValue:
    """A row a question names with a value of it: a recipient or destination by its flow's verb (「市民課に移転している」),
    a self-rated row by a degree of its rating ("still has issues")."""

    label: str  # 提供先 or 移転先; リスクへの対策は十分か, 従業者に対する教育・啓発 …
    value: str  # the name; the option of that degree (課題が残されている, 特に力を入れて行っている …)


@dataclass(frozen=True)
class FieldCondition:
    """What an across-cities question requires of each document."""

    labels: tuple[str, ...]
    values: tuple[str, ...]
    topics: tuple[str, ...]
    count: CountCondition | None
    meta_level: bool
    strong: bool = True  # the target label matches well; else topic words are searched in the text
    exact: bool = False  # values are options of the label: compare whole values, not substrings
    sections: frozenset[str] = frozenset()  # section titles the question spells out
    negated: bool = False  # "X以外", "other than X": some value that is not X
    denied: bool = False  # "which cities do NOT …": the existence field says no
    date: DateCondition | None = None  # "令和5年以降", "before 2016": a date of the field compared with it
    band: BandCondition | None = None  # "使用者数が100人以上": the field's band of people compared with a number



@lru_cache(maxsize=MATCH_CACHE)
def _matches_anywhere(fi: FieldIndex, cond: FieldCondition) -> bool:
    """Whether the condition's target labels (or sections) hold its values in any document: asked once per
    document of a which-cities answer, the same for all of them."""
    pool = [f for f in fi.fields if f.path and f.path[-1] in cond.sections and not f.history] \
        or [f for lab in cond.labels for f in fi.of(lab)]
    return any(all(compact(v) in compact(f.value) for v in cond.values) for f in pool)


NOT_STATED = {"ja": "記載なし", "en": "not stated"}  # a row without evidence, in the reply's language


def matched_text(cities: Sequence[str], n: int, what: str, lang: str, others: bool = False) -> str:
    """The head of a which-cities answer: how many of the n cities (the n other cities, when the question asked
    for cities other than the one talked about) match the condition, and which."""
    if lang == "en":
        return f"{len(cities)} of {n} {'other ' if others else ''}cities match ({what}): {', '.join(cities) or 'none'}."
    return f"{'ほかの' if others else ''}{n}市中{len(cities)}市が該当（{what}）: {'、'.join(cities) or 'なし'}。"


def shown_value(value: str, lang: str) -> str:
    """A row's evidence as shown to the user: "no evidence" in the reply's language."""
    return NOT_STATED.get(lang, NOT_STATED["ja"]) if not value or value == NOT_STATED["ja"] else value


class Aggregator(FormReader):
    """Answers "which cities …" questions with the set of cities, a row per city and its evidence."""

    def aggregate(self, query: Query, k: int, scope: Sequence[str] | None = None) -> Answer:
        """Evaluate the question's condition for every document (in scope); answer with the set of cities."""
        cond = self.field_condition(query)
        # a value the question names that is no option of the row (a recipient, a destination, a company): the row
        # holding it is the thing a follow-up goes on about (「どのくらいの頻度で送ってるの？」 after 「日本年金機構に
        # 提供している市は？」: that 提供先's 時期・頻度); an option (再委託する) names no one row of several items
        names_thing = bool(cond.values) and not cond.exact and not cond.meta_level
        rows, cits, satisfied = [], [], []
        in_scope = set(scope or ())  # a set: a which-cities atom passes every document as the scope
        for doc, meta in self.metas.items():
            if in_scope and doc not in in_scope:
                continue
            ok, evidence, value = self._evaluate(doc, meta, cond)
            cit_index = None
            if evidence is not None:
                cits.append(self.cite(evidence.doc, evidence.line_start, evidence.line_end,
                                      " > ".join(evidence.path)))
                cit_index = len(cits) - 1
            rows.append(Row(meta.city, meta.jimu, shown_value(value, query.reply_lang), ok, cit_index,
                            evidence if names_thing else None))
            if ok:
                satisfied.append(meta.city)
        cities = tuple(c for c in dict.fromkeys(satisfied) if c not in query.others_than)
        n = len({r.city for r in rows} - set(query.others_than))
        shown = cond.labels[0] if cond.labels and (cond.strong or not cond.topics) else ""
        compared = cond.band.shown() if cond.band else cond.date.shown() if cond.date else ""
        what = " / ".join(filter(None, [shown, *cond.values, *cond.topics, compared]))
        text = matched_text(cities, n, what, query.reply_lang, bool(query.others_than))
        order = sorted(range(len(rows)), key=lambda i: not rows[i].satisfied)
        return Answer(query.text, text, tuple(cits), cities=cities, rows=tuple(rows[i] for i in order),
                      kind="aggregate")

    def field_condition(self, query: Query) -> "FieldCondition":
        """Target labels, required values, topic words and counts of an across-cities question."""
        glossed = glossed_terms(query.text)
        terms = expand(query.text) + glossed
        known = {compact(x) for x in self.fi.labels}
        meta_words = {compact(w) for m in self.metas.values() for w in (m.jimu, m.kind)}
        # a quoted phrase no field (and no 事務 or 評価書 kind) of the corpus holds paraphrases a statement:
        # it is the prose's to judge (「事故や漏えいが起きたら報告させる」決まり), not a value to look up
        values = [v for v in quoted_terms(query.text) if compact(v) not in known
                  and (self.fi.states(v) or any(compact(v) in w for w in meta_words))]
        values += _ERA_YEAR.findall(nfkc(query.text))
        if glossed and not values and all(any(compact(g) in w for w in meta_words) for g in glossed):
            values = glossed
        flow = self._flow_named(query.text) if not values else None
        if flow is not None:  # 「市民課に移転している」: the 移転先 row states 市民課
            values = [flow.value]
        if not values:  # (a kind of assessment in the glossary's words too: "full assessments" is 全項目評価書)
            values = self._meta_values(" ".join([query.text, *(t for t in terms if t.endswith("評価書"))]))
        scored = self.fi.score_labels(query.text, terms)
        scored = prefer_existence(scored) if not values else scored
        labels = tuple(ls.label for ls in scored[:5] if ls.score >= MIN_LABEL * 0.7)
        if flow is not None:
            labels = (flow.label, *(x for x in labels if x != flow.label))
        band = band_condition(query.text) if not values else None
        if band is not None:  # the best-matching label whose values are bands of people is compared
            ordered = self._first_of_kind(scored, labels, self._banded)
            if ordered is None and band.noun:  # "at least 100,000 people": the glossary's item for how many of them
                counted = self.fi.score_labels(query.text, [*terms, *expand(f"how many {band.noun}")])
                ordered = self._first_of_kind(counted, labels, self._banded, min_score=-math.inf)
            labels, band = (ordered, band) if ordered else (labels, None)
        exact = False
        if not values and band is None and labels and (named := self._named_value(query.text, labels[0])):
            values = [named]
            exact = any(named in f.options for f in self.fi.of(labels[0]))
        elif not values and band is None and (rated := self._rated(query.text, labels)) is not None:
            labels, values, exact = (rated.label, *(x for x in labels if x != rated.label)), [rated.value], True
        label_text = compact("".join(labels[:1]))
        topics = tuple(t for t in terms if t not in self.fi.labels and compact(t) not in label_text
                       and not any(compact(t) in w for w in meta_words) and t not in _GENERIC_TOPICS)
        count = count_condition(query.text) if band is None else None  # "more than 10 contractor staff": people
        meta_level = bool(values) and all(any(compact(v) in w for w in meta_words) for v in values)
        strong = bool(scored) and scored[0].score >= STRONG_LABEL
        when = date_condition(query.text)
        if when is not None:  # the era year is the date compared, not a value to find
            values = [v for v in values if not _ERA_YEAR.fullmatch(v)]
            ordered = self._first_of_kind(scored, labels, self._dated)  # as a band's, above
            labels, when = (ordered, when) if ordered else (labels, None)
        return FieldCondition(labels, tuple(values), topics if not values else (), count, meta_level, strong, exact,
                         frozenset(self.fi.sections_named(query.text)), bool(values) and bool(_NEGATED.search(query.text)),
                         not values and bool(_DENIED.search(query.text)), when, band)

    def _count(self, doc: str, fields: Sequence[Field], count: CountCondition) -> tuple[bool, Field | None, str]:
        """A count compared: the document's files, or the target's stated rows (提供先, 移転先, 委託事項 …) in
        its file that states the most of them (the form lists them per file)."""
        if count.files:
            files = set(self.fi.file_names(doc))
            return count.holds(len(files)), (fields[0] if fields else None), f"{len(files)}ファイル"
        per_file: dict[str, list[Field]] = {}
        for f in fields:
            if not f.history and not is_blank(f.value):
                rows = per_file.setdefault(f.file_name or "", [])
                if all((r.item or r.value) != (f.item or f.value) for r in rows):
                    rows.append(f)
        best = max(per_file.values(), key=len, default=[])
        if not best:  # nothing stated is no count (a PDF's rows may have been lost): not evidence for "fewer than"
            return False, (fields[0] if fields else None), NOT_STATED["ja"]
        shown = " / ".join(shorten(f.value, 30) for f in best)
        return count.holds(len(best)), best[0], f"{len(best)}件: {shown}"

    @staticmethod
    def _first_of_kind(scored: Sequence[LabelScore], labels: tuple[str, ...], of_kind: Callable[[str], bool],
                       min_score: float = MIN_LABEL * 0.7) -> tuple[str, ...] | None:
        """The labels with the best-scored one whose values are of a kind (bands, dates) first; None without one."""
        found = next((ls.label for ls in scored if ls.score >= min_score and of_kind(ls.label)), None)
        return None if found is None else (found, *(x for x in labels if x != found))

    def _stated_all(self, label: str, reads: Callable[[str], object]) -> bool:
        """Whether every current stated value of a label reads as something (a band, dates)."""
        values = [f.value for f in self.fi.of(label) if not f.history and not is_blank(f.value)]
        return bool(values) and all(reads(v) for v in values)

    def _dated(self, label: str) -> bool:
        """Whether a label's values are dates (保有開始日, 公表日, 実施日 …)."""
        return self._stated_all(label, dates_in)

    def _banded(self, label: str) -> bool:
        """Whether a label's values are bands of people (対象人数, 使用者数, 委託先における取扱者数)."""
        return self._stated_all(label, parse_band)

    def _band(self, fields: Sequence[Field], band: BandCondition) -> tuple[bool, Field | None, str]:
        """A band of people compared with a number: satisfied when one of the document's current bands lies wholly
        on the asked side; a band across the number says nothing, and is shown as such."""
        current = [(f, b) for f in fields if not f.history and (b := parse_band(f.value)) is not None]
        for f, b in current:
            if band.decides(b):
                return True, f, shorten(f.value, 60)
        across = next((f for f, b in current if band.decides(b) is None), None)
        if across is not None:
            return False, across, f"{shorten(across.value, 40)}（{band.shown()}か不明）"
        if current:
            return False, current[0][0], shorten(current[0][0].value, 60)
        return False, None, NOT_STATED["ja"]

    def _flow_named(self, question: str) -> NamedValue | None:
        """A recipient or destination the question names with its flow's verb (「市民課に移転している」 "transfer to
        市民課"): the row (提供先 / 移転先) and the name, the longest when several are named; None when none is."""
        qc = compact(nfkc(question))
        found = [NamedValue(label, v) for label, verb in _FLOW_VERBS.items() if verb.search(question)
                 for v in self.fi.values_of(label) if len(compact(v)) >= FLOW_NAME_MIN and compact(v) in qc]
        return max(found, key=lambda f: len(f.value)) if found else None

    def _named_value(self, question: str, label: str) -> str | None:
        """An option or value of the label that the question names ("有料", "地方公共団体情報システム機構")."""
        qc = re.sub(r"[をがはにの]", "", compact(question))
        values = self.fi.values_of(label)
        found = [v for v in values if len(compact(v)) >= 2 and re.sub(r"[をがはにの]", "", compact(v)) in qc]
        if found:
            return max(found, key=len)
        # a long name in the question that some document states inside this label's (long) values
        pool = [compact(f.value) for f in self.fi.of(label)]
        # (a name in letters too: 富士通Japan; 「X以外」 names X)
        runs = [r for r in (re.sub(r"以外$", "", x) for x in re.findall(r"[一-龥ァ-ヶー・A-Za-z0-9]{6,}", nfkc(question)))
                if len(r) >= 6 and compact(r) not in compact(label)]
        hits = [r for r in runs if any(compact(r) in v for v in pool)]
        return max(hits, key=len) if hits else None

    def _rated(self, question: str, labels: Sequence[str]) -> NamedValue | None:
        """The first of the labels that is a self-rated row with an option of the degree the question names in any
        words ("still has issues", 「力を入れている」): that row and option; else the one row of the form that has an
        option of that degree ("Which cities say issues remain?": only 「リスクへの対策は十分か」 has 課題が残されている);
        None when it names no degree, or a degree many rows have and the question names none of them."""
        for label in labels:
            if (option := rated_option(question, self.fi.values_of(label))) is not None:
                return NamedValue(label, option)
        rated = [NamedValue(label, option) for label in self.fi.labels
                 if (option := rated_option(question, self.fi.values_of(label), closest_only=True)) is not None]
        return rated[0] if len(rated) == 1 else None

    def _meta_values(self, question: str) -> list[str]:
        """評価書種別 or 事務 names the question mentions ("重点項目評価書", "国民年金")."""
        qc = compact(question)
        found = [m.kind for m in self.metas.values() if compact(m.kind) in qc]
        for m in self.metas.values():
            core = re.sub(r"(に関する)?事務$", "", m.jimu)
            if len(core) >= 2 and compact(core) in qc:
                found.append(core)
        return list(dict.fromkeys(found))

    def _evaluate(self, doc: str, meta: DocMeta, cond: "FieldCondition") -> tuple[bool, Field | None, str]:
        """(satisfied, evidence field, value shown) for one document."""
        if cond.meta_level:
            ok = all(compact(v) in compact(f"{meta.jimu}{meta.kind}") for v in cond.values)
            return ok, self._meta_field(doc), f"{meta.jimu} {meta.kind}"
        label = cond.labels[0] if cond.labels else None
        fields = self.fi.of(label, [doc]) if label else []
        if cond.count is not None:
            return self._count(doc, fields, cond.count)
        if cond.date is not None:
            current = [f for f in fields if not f.history]
            for f in current:  # any of the document's dates (a range's either end) on the asked side
                if any(cond.date.holds(d) for d in dates_in(f.value)):
                    return True, f, shorten(f.value, 60)
            stated = next((f for f in current if not is_blank(f.value)), None)
            return False, stated, shorten(stated.value, 60) if stated else NOT_STATED["ja"]
        if cond.band is not None:
            return self._band(fields, cond.band)
        if cond.values:
            return self._value_condition(doc, cond)
        if cond.topics and not cond.strong:
            return self._section_condition(doc, cond.topics) or self._text_condition(doc, cond.topics)
        for f in fields:
            if is_blank(f.value) or bool(_NEGATIVE.search(f.value)) != cond.denied:
                continue
            if cond.topics and not any(compact(t) in compact(self._context(f)) for t in cond.topics):
                continue
            return True, f, shorten(f.value, 60)
        if fields:
            return False, fields[0], shorten(fields[0].value, 60) or NOT_STATED["ja"]
        return False, None, NOT_STATED["ja"]

    def _value_condition(self, doc: str, cond: "FieldCondition") -> tuple[bool, Field | None, str]:
        """A field among the target labels (else any field) whose value contains every required value."""
        current = self.fi.current(doc)
        in_section = [f for f in current if f.path and f.path[-1] in cond.sections]
        pools = [in_section + [f for lab in cond.labels for f in self.fi.of(lab, [doc]) if f not in in_section],
                 current]
        def hit(f: Field) -> bool:
            if cond.exact:
                found = all(compact(v) == compact(f.value) for v in cond.values)
            else:
                found = all(compact(v) in compact(f.value) for v in cond.values)
            return (not found and not is_blank(f.value)) if cond.negated else found

        if cond.negated:  # "X以外": other values of the very label the question is about
            pools = [[f for f in self.fi.of(cond.labels[0], [doc])]] if cond.labels else [[]]
        for pool in pools[:1] if cond.exact or cond.negated else pools:
            for f in pool:
                if hit(f):
                    return True, f, shorten(f.value, 60)
            if pool and pool is pools[0] and self._any_doc_matches(cond):
                break
        # what the document states for the asked item (the first label; the others are its kin searched for the
        # value) instead, cited, in the asked section first; nothing when it does not state the item
        stated = sorted((f for f in pools[0] if f.label in cond.labels[:1] and not is_blank(f.value)),
                        key=lambda f: not (f.path and f.path[-1] in cond.sections))
        if cond.negated or not stated:
            return False, None, "該当なし"
        return False, stated[0], shorten(stated[0].value, 60)

    def _section_condition(self, doc: str, topics: tuple[str, ...]) -> tuple[bool, Field | None, str] | None:
        """When a topic names a section ("第三者点検"): is anything stated in it? None if no such section."""
        want = [compact(t) for t in topics]
        inside = [f for f in self.fi.current(doc) if f.path and any(w in compact(f.path[-1]) for w in want)]
        if not inside:
            return None
        for f in inside:
            if not is_blank(f.value) and not _NEGATIVE.search(f.value):
                return True, f, shorten(f.value, 60)
        return False, inside[0], NOT_STATED["ja"]

    def _text_condition(self, doc: str, topics: tuple[str, ...]) -> tuple[bool, Field | None, str]:
        """Whether the document's current text (not the change log) mentions a topic word."""
        d = self.docs[doc]
        for section in d.sections:
            if section.path[0].endswith(CHANGELOG):
                continue
            for no in range(section.line_start, section.line_end + 1):
                text = clean_line(d.lines[no - 1])
                if any(compact(t) in compact(text) for t in topics):
                    hit = Field(doc=doc, city=d.meta.city, path=section.path, item=None, label="本文",
                                raw_label="本文", value=text, options=(), line_start=no, line_end=no)
                    return True, hit, shorten(text, 60)
        return False, None, NOT_STATED["ja"]

    def _any_doc_matches(self, cond: "FieldCondition") -> bool:
        """Whether the target labels hold the required values anywhere (then no wider search is needed)."""
        return _matches_anywhere(self.fi, cond)

    def _context(self, f: Field) -> str:  # noqa: D401
        """The field's value and section, with the other values of its item (委託事項 title, 委託内容…)."""
        own = f"{' '.join(f.path)} {f.value}"
        if not f.item:
            return own
        return own + " ".join(x.value for x in self.fi.current(f.doc) if x.item == f.item and x.path == f.path)

    def _meta_field(self, doc: str) -> Field | None:
        """The 事務の名称 row of a document, as evidence for metadata conditions."""
        rows = self.fi.of("事務の名称", [doc])
        return rows[0] if rows else None


