"""Prose answers: quote the evidence unit that states what was asked — the clause, not the paragraph."""
from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable, Sequence

from piaqa.understand.answertype import matches, states_asked, states_company, states_number
from piaqa.understand.query import Query
from piaqa.records import Answer, Citation, Hit, Unit
from piaqa.search.unitsearch import UnitHit
from piaqa.text import unnumbered

QUOTE_MAX = 100  # characters quoted: score.py accepts 120 normalised characters; the city and a short label come first
TAIL_BONUS = 0.3  # a Japanese sentence states its point at the end (the predicate): prefer windows that reach it
KIND_BONUS = 0.5  # a window stating the kind of value asked (a date, a frequency …) beats one that only echoes words
LENGTH_TIE = 0.001  # per character: among equal windows the longer one keeps more of the sentence
LABEL_MAX = 12  # characters of the row label shown before the quote
_CLAUSE_ENDS = "、，,;；"  # a clause ends after one of these (outside brackets)
_OPEN, _CLOSE = "(（[［「『【〔<＜", ")）]］」』】〕>＞"
# where a long form value's statements begin: after 。, before a bullet (a ・ that opens the text or follows a space:
# 「被用・非被用」 is one word pair), a circled number or a <heading>
_STATEMENT = re.compile(r"(?<=。)|(?=[①-⑳<＜])|(?:^|(?<=\s))(?=・)")
# a short part with no sentence end, followed by a bullet, is the bullets' heading (「(2)失効管理」 before
# 「・権限を有していた職員が…」): quoted with them, never alone; such headings in the corpus' values are ~5-12 characters
HEADING_MAX = 15
CiteFn = Callable[[str, int, int, str], Citation]


def clause(text: str, weight: Callable[[str], float], kind: str | None = None, limit: int = QUOTE_MAX) -> str:
    """The window of consecutive clauses (cut at 、) of at most `limit` characters that weighs most."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    parts = _clauses(text)
    best, best_w = text[:limit], -1.0
    for i in range(len(parts)):
        window, cut = "", False
        for j in range(i, len(parts)):
            if len(window) + len(parts[j]) > limit:
                if window:
                    break
                # a clause longer than a quote (unpunctuated 「監査方式: … 監査の頻度: …」): its beginning, marked as cut
                window, cut = parts[j][:limit - 1] + "…", True
            else:
                window += parts[j]
            w = (weight(window) + (KIND_BONUS if kind and matches(kind, window) else 0.0) + LENGTH_TIE * len(window)
                 + (TAIL_BONUS if j == len(parts) - 1 and not cut else 0.0))
            if w > best_w:
                best, best_w = window, w
    return best.strip()


def _clauses(text: str) -> list[str]:
    """The text cut after each 、 (or comma, semicolon) that is not inside brackets: a parenthesis is an aside of
    its sentence, and its own list (「(ウイルス関連情報は毎日、その他の情報は半年に一度)」) is read whole."""
    parts, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _CLAUSE_ENDS and depth == 0:
            parts.append(text[start:i + 1])
            start = i + 1
    if depth:  # a bracket never closed (「(注」): no aside to keep whole, every 、 ends a clause
        return [p for p in re.split(f"(?<=[{_CLAUSE_ENDS}])", text) if p]
    parts.append(text[start:])
    return [p for p in parts if p]


def statement(text: str, weight: Callable[[str], float], kind: str | None = None, limit: int = QUOTE_MAX) -> str:
    """The shortest run of whole statements (sentences, bullets, numbered points) of a long value that
    weighs most, cut to `limit` characters; the value's beginning when no run weighs more than it does.
    A statement is kept whole where it fits: the point of a value is its sentence, and a clause alone
    ("…サーバ室内で、") loses what the sentence says of it."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text

    def score(window: str) -> float:
        return weight(window) + (KIND_BONUS if kind and matches(kind, window) else 0.0)

    parts = _with_headings([p for p in _STATEMENT.split(text) if p.strip()])
    best = text[:limit]
    best_w = score(best)
    for i in range(len(parts)):
        window = ""
        for j in range(i, len(parts)):
            if window and len(window) + len(parts[j]) > limit:
                break
            window += parts[j]
            w = score(window)
            if w > best_w or (w == best_w and len(window.strip()) < len(best.strip())):  # equals: the shorter run
                best, best_w = window, w
    best = best.strip()
    return best if len(best) <= limit else best[:limit - 1] + "…"


def _with_headings(parts: list[str]) -> list[str]:
    """Statements with each heading joined to the bullet that follows it."""
    out: list[str] = []
    for part in parts:
        if out and _is_heading(out[-1]) and part.lstrip().startswith("・"):
            out[-1] += part
        else:
            out.append(part)
    return out


def _is_heading(part: str) -> bool:
    return len(part.strip()) <= HEADING_MAX and not part.rstrip().endswith("。")


def unit_citation(cite: CiteFn, unit: Unit) -> Citation:
    """The citation of a unit's own lines."""
    return cite(unit.doc, unit.line_start, unit.line_end, " > ".join(unit.path))


def describe(query: Query, best: UnitHit, others: Sequence[UnitHit], hits: Sequence[Hit],
             weight: Callable[[str], float], cite: CiteFn, k: int, following: Sequence[Unit] = ()) -> Answer:
    """Answer with the best unit's clause; the unit's lines first among the citations. `following`: the
    sentences that continue the unit (なお、…): the quote may come from them, and the citation covers them."""
    unit = best.unit
    if following:
        unit = replace(unit, line_end=max(u.line_end for u in following),
                       text=" ".join([unit.text, *(u.text for u in following)]))
    quote = clause(unit.text, weight, query.answer_type)
    label = (unit.label or (unit.path[-1] if unit.path else "")).strip()
    label = unnumbered(label)
    label = label if len(label) <= LABEL_MAX else label[:LABEL_MAX - 1] + "…"
    cits = [unit_citation(cite, unit)]
    cits += [unit_citation(cite, h.unit) for h in others[:2] if h.unit.doc == unit.doc]
    cits += [cite(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path)) for h in hits]
    seen, unique = set(), []
    for c in cits:
        if (c.doc, c.line_start, c.line_end) not in seen:
            seen.add((c.doc, c.line_start, c.line_end))
            unique.append(c)
    if query.reply_lang == "en":
        text = f"{unit.city} ({label}): \u201c{quote}\u201d [1]"
    else:
        text = f"{unit.city}（{label}）: 「{quote}」 [1]"
    return Answer(query.text, text, tuple(unique[:max(k, 1)]), cities=(unit.city,), kind="describe")


TYPED_KINDS = ("frequency", "duration", "people", "phone")  # kinds the text spells plainly ("when" is often an event, not a date)
TYPED_CANDIDATES = 5  # units among which one stating the asked kind of value must be found
_KIND_JA = {"frequency": "頻度", "duration": "期間", "date": "日付", "people": "人数", "phone": "電話番号"}


def typed_units(query: Query, units: Sequence[UnitHit]) -> list[UnitHit] | None:
    """For a question asking a date, duration, frequency, count or phone number: the candidate units that
    state one, best first (the rest after them); [] when none does; None when no such kind is asked."""
    kind = query.answer_type
    if kind not in TYPED_KINDS:
        return None
    stating = [u for u in units[:TYPED_CANDIDATES] if states_asked(kind, query.text, u.unit.text)]
    return stating + [u for u in units if u not in stating] if stating else []


def not_stated(query: Query, nearest: UnitHit, cite: CiteFn) -> Answer:
    """The asked value is not in the prose: say so, citing the nearest related unit."""
    unit, kind = nearest.unit, query.answer_type or ""
    quote = re.sub(r"\s+", " ", unit.text)[:60]
    if query.reply_lang == "en":
        what = f" ({kind})" if kind else ""
        text = f"{unit.city}'s assessment does not state this{what}; nearest related text: \u201c{quote}\u201d [1]"
    else:
        text = f"{unit.city}の評価書には、お尋ねの{_KIND_JA.get(kind, '事項')}の記載がありません。関連する記載: 「{quote}」 [1]"
    return Answer(query.text, text, (unit_citation(cite, unit),), answerable=False, cities=(unit.city,), kind="blank")


_LEAD = re.compile(r"^[^:：]*[:：]\s*")  # a describe or passage answer's lead: the city and the row, up to the colon
NUMBER_ANSWERED = ("field", "describe", "passage")  # answers that state a value or a sentence (no listing, table)


def number_unstated(query: Query, answer: Answer) -> Answer | None:
    """The question asks a number with its counter (何時間, "how many years") and the answer states none (「定期的に
    バックアップを行う」, 「記録を残している」): the assessment does not state the number; the answer says so and
    quotes what it does say, with the same citations. None when the answer states a number or no number is asked."""
    if query.asks_number is None or not answer.answerable or answer.kind not in NUMBER_ANSWERED \
            or states_number(_shown(answer), query.asks_number):
        return None
    return _unstated(query, answer, f"that number ({query.asks_number})", f"お尋ねの数（{query.asks_number}）")


def company_unstated(query: Query, answer: Answer) -> Answer | None:
    """The question asks which company (「再委託先って、なんていう会社？」) and the answer names none (the 再委託事項,
    a measure): the assessment does not name it; said as `number_unstated` says it. None when a company is named
    or none is asked."""
    if not query.asks_company or not answer.answerable or answer.kind not in NUMBER_ANSWERED \
            or states_company(_shown(answer)):
        return None
    return _unstated(query, answer, "which company", "お尋ねの会社名")


def _shown(answer: Answer) -> str:
    """What an answer shows: a field answer's text without its labels (a detail row's value, perhaps), a sentence
    answer's text after its lead."""
    if answer.kind != "field":
        return _LEAD.sub("", answer.text)
    shown = answer.text
    for f in answer.fields or ((answer.field,) if answer.field else ()):
        shown = shown.replace(f.label, " ")
    return shown


def _unstated(query: Query, answer: Answer, what_en: str, what_ja: str) -> Answer:
    """The answer turned into "the assessment does not state <what>", quoting what it does say, same citations."""
    city = answer.cities[0] if answer.cities else ""
    quote = re.sub(r"\s+", " ", re.sub(r"\s*\[\d+\].*$", "", _LEAD.sub("", answer.text)).strip("「」\u201c\u201d "))[:80]
    if query.reply_lang == "en":
        text = f"{city}'s assessment does not state {what_en}; what it says: {quote} [1]"
    else:
        text = f"{city}の評価書には、{what_ja}の記載がありません。記載されているのは: {quote} [1]"
    return replace(answer, text=text, answerable=False, kind="blank")
