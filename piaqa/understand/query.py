"""Question understanding: which cities / 事務 a question names, and what kind of question it is."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from piaqa.records import DocMeta, Field
from piaqa.understand.romaji import fold, kata_to_romaji
from piaqa.text import JAPANESE, compact, nfkc
from piaqa.search.tokenize import Tokenizer
from piaqa.understand import answertype
from piaqa.understand.condition import Condition, grammar_of, parse_condition
from piaqa.understand.glossary import asks_rating
from piaqa.understand.intent import ListRequest, list_request
from piaqa.understand.recipient import named_recipients
from piaqa.understand.qualify import Qualifier, qualify
from piaqa.understand.lexicon import japanese_groups
from piaqa.understand.polar import without_indefinites
from piaqa.understand.polar import asks_whether_done, asks_yes_no

_AGGREGATE = re.compile(
    r"どの(市|自治体|団体|評価書|文書|ドキュメント)|どこの(市|自治体)|(市|自治体|団体|評価書)(は|が|って)どこ|何市|いくつの市|各市|全(て|部)の(市|自治体|評価書)"
    r"|すべての(市|自治体|評価書)|一覧|比較|それぞれ|市ごと|自治体ごと"
    r"|(いる|ある|した|する|てる|た|な|の|ない)(市|自治体|団体|評価書)(は|を|が|も|って|[?？]|$)|(市|自治体|団体)のうち"
    r"|\bwhich (other )?(cities|city|municipalit|assessments?|documents?|reports?)"
    r"|\ball (cities|five|assessments?|documents?)"
    r"|\beach (city|assessment|municipality)|\bcompare\b|\bhow many cities\b|\blist (the )?cities"
    r"|\b(among|of|out of) (the |those )?(cities|municipalities|assessments?) (that|which|where)\b"
    # "what cities", "which of the five cities", "any cities that …": the plural asks for the cities ("which other
    # cities", "any other city that …": the same question, the city talked about aside)
    r"|\bwhat (other )?(cities|municipalities)\b"
    r"|\bwhich (ones? )?of (the |all |all the )?(five |\d )?(cities|municipalities)\b"
    r"|\b(any|the) (other )?(cities|municipalities) (that|which|where|whose)\b"
    # … as "is there any city that …", "does any city …": which cities, if any
    r"|\b(any|one) (other )?(city|municipality) (that|which|where|whose)\b"
    r"|\bthere (is|are|was|were) (a|one) (city|municipality)\b"
    r"|(?:^|[.?!]\s+)\s*(?:(?:and|so|but|also),?\s+)?(?:does|do|did|has|have|is|are|was|were|can) any "
    r"(other )?(cities|city|municipalit)", re.I)
_EMPHASIS = re.compile(r"[「『]([\u3040-\u309f]{1,6})[」』]")  # a quoted run of hiragana: stress, not a name
# 過去 before a period (「過去3年以内に重大事故が…」) is the form's own item, not the change log
_HISTORY = re.compile(r"変更前|以前|前の|過去(?!\s*[0-9０-９一二三四五六七八九十数]+\s*(年|か月|ヶ月|カ月))|旧|変更され|変更履歴"
                      r"|変更箇所|いつ.{0,6}変|変わ|変え(?=た|て|まし)|改め"
                      # "before" as an adverb ("What was it before?", "before the change"), not a conjunction opening
                      # a clause or a gerund ("before they handle the data", "before handing it over")
                      r"|\bpreviously\b|\bformer(ly)?\b|\bhistory\b|\bold\b|\bused to\b"
                      r"|\bbefore\b(?!\s+(?:(?:they|it|he|she|we|you|i|anyone|someone|staff|people|users?)\b"
                      r"|(?:the|a|an|any|its|their|his|her|our|your)\s+(?!(?:\S+\s+){0,2}?(?:change|revision|update"
                      r"|amendment)s?\b)|\w+ing\b))"
                      # what changed in the assessment ("What changed?", "the changes", "when did it change"), not a
                      # change a measure makes people do ("how often do users have to change their passwords")
                      r"|\bchanged\b|\bchanges\b|\bchange (?:log|history|record)\b|\b(?:a|the|any|recent|last) change\b"
                      r"|\b(?:did|has|had|have(?!\s+to\b))\b.{0,40}?\bchange\b",
                      re.I)
# asking which kind of assessment a document is (its 評価書種別, on the cover): the kind is what is asked — 「種類は」,
# "what type of assessment", or a kind the question ends on (「…は全項目評価書ですか」, "Is … a full assessment?"),
# not a kind that only qualifies another target (「全項目評価書の委託先は」)
_ASKS_KIND = re.compile(
    r"評価書?の(種類|種別)|どの評価書を|(全項目|重点項目|基礎項目)評価(書)?(です|でしょう)?か?[?？。]?\s*$"
    r"|\b(what|which) (type|kind|level) of (assessment|evaluation|pia)\b"
    r"|^\s*(is|was|did)\b.{0,80}\b(a|an) (full|key[- ]items?|basic|threshold)[- ](items? )?(assessment|evaluation|pia)\b",
    re.I)
# asking which of several rows holds something (which file, item or risk): not a value, but where it is
_WHICH = re.compile(r"どの|どれ|\bwhich\b|\bwhat (?:risks?|items?|files?|parts?)\b", re.I)
# the noun an interrogative determiner modifies (「どのような用途に」, 「どの区分ですか」): what a lookup asks for
_FOCUS = re.compile(r"(?:どのような|どういう|どんな|どの|いかなる|何の)\s*([一-龥ァ-ヶー]{2,8}?)(?=[はがをにでへとものか、。?？]|$)")
# where, asking a place (not where from or to: a source or a destination is a body, 入手元 / 提供先)
PLACE = "場所"
_WHERE_JA = re.compile(r"どこ(?:で(?!す|しょ)|に(?!送|渡|提供|移転)|へ(?!送|渡))")  # not 「どこですか」: which one
_WHERE_EN = re.compile(r"\bwhere\b(?![^?]*\b(?:from|to)\b\s*\??\s*$)", re.I)
# English: the noun phrase between "what" / "which" and the verb of the question ("What rules does …", "Which
# department handles …"), read in Japanese through the lexicon
_FOCUS_EN = re.compile(r"\b(?:what|which)\s+(?:(?:kind|kinds|sort|type|types)\s+of\s+)?((?:[a-z]+\s+){0,2}?[a-z]+)\s+"
                       r"(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would|should|must|may)\b", re.I)
# … or a one-word noun before a verb in the present or past ("Which department handles …")
_FOCUS_EN_VERB = re.compile(r"\b(?:what|which)\s+([a-z]+)\s+[a-z]+(?:s|ed)\b", re.I)
_NOT_NOUN_EN = {"is", "are", "was", "were", "does", "do", "did", "has", "have", "had", "can", "could", "will",
                "would", "should", "must", "may", "about", "of", "in", "for", "to", "on", "at", "the", "a", "an"}
# a 事務 the question names (国民年金事務, 住民票に関する事務); not 事務 inside the name of a place or body that
# does it (区政事務センター, 年金事務所, 事務局, 事務室, 事務組合: what is named there is the office, not the business)
_JIMU = re.compile(r"([一-龥ァ-ヶー]{2,12})(?:に関する|の)?事務(?!センター|所|局|室|組合)")
_GENERIC_JIMU = {"取扱", "取扱い", "対象", "当該", "委託", "関係", "同", "各", "本", "その他", "担当", "評価",
                 "利用", "行政", "評価対象", "個人番号利用", "法定受託", "協力連携", "受託"}
_PLACE_SUFFIX = re.compile(r"^(?:.{2,3}[都道府県])?(.+?)(市|町|村|区)$")
# an English place: a capitalised word before City / -shi / 's, or after a preposition when it is one word — a
# run of capitalised words there ("of Fujitsu Japan", "for NEC Solution Innovators") names an organisation;
# a place word after it ("of Osaka Prefecture") keeps it a place
_EN_PLACE = re.compile(r"\b([A-Z][a-z]{2,})(?:\s+[Cc]ity|-shi|'s)\b|\b(?:in|of|for|does|do|did|at)\s+([A-Z][a-z]{2,})\b"
                       r"(?!\s+(?!(?:City|Prefecture|Town|Village|Ward)\b)[A-Z])")
# a body's head noun before "of" / "for": the capitalised word after it names what the body is for (Ministry of
# Justice, Bureau of Health), not a place
_EN_BODY_OF = re.compile(r"\b(ministry|minister|department|bureau|agency|office|board|council|commission|committee|"
                         r"institute|organi[sz]ation|association|federation|union|court|division|section|director|"
                         r"secretary|head)\s+(of|for)\s+(the\s+)?$", re.I)
# English closed-class words: a question word, pronoun or determiner is never a place, whatever follows it ("Who's
# the contractor on that one?", "That's Chiba's?", "Everyone's records?")
_EN_FUNCTION_WORDS = {"who", "whom", "whose", "what", "which", "where", "when", "why", "how", "that", "this", "these",
                      "those", "there", "here", "they", "them", "their", "she", "her", "his", "its", "let", "each",
                      "every", "everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody", "none",
                      "one", "both", "either", "neither", "all", "any", "some", "other", "another", "today", "else"}
_EN_STOP = {"japan", "japanese", "english", "my", "number", "card", "the", "city", "cities", "government", "cloud",
            "ii", "iii", "iv", "pia"} | _EN_FUNCTION_WORDS


_EN_JIMU = [(re.compile(p, re.I), core) for p, core in [
    (r"national pension", "国民年金"), (r"resident regist|residen(ce|t) record", "住民"),
    (r"child(-| )(care )?(allowance|benefit)", "児童手当"), (r"\btax(es)?\b", "税"),
    (r"nursing care|long-term care", "介護保険"), (r"health insurance", "健康保険"),
    (r"public assistance|livelihood protection|welfare benefit", "生活保護"), (r"vaccinat|immuni[sz]", "予防接種"),
]]
_JIMU_HEADS = ("年金", "手当", "保険", "保護", "住民票", "税")
# the nouns that make a business's name the business itself ("resident register work", "pension affairs")
_EN_BUSINESS_NOUN = r"(?:work|affairs|business|services|operations|administration|duties|tasks)\b"
# a business named as part of a body's name ("National Health Insurance Division", one word between: "long-term care
# insurance division"): the office, not the business; or
# of a system's ("the resident records system", 千葉市's 住民記録システム in its pension assessment): assessments of one
# business name the systems of others they exchange data with
_EN_BODY_AFTER = re.compile(r"[a-z]*(?:\s+[a-z]+)?\s+(division|department|section|office|bureau|cent(er|re)|unit|team"
                            r"|counter|desk|systems?|databases?|servers?)\b", re.I)




def _jimu_core(jimu: str) -> str:
    """「住民票に関する事務」 -> 住民票; 「地方税等の徴収及び滞納整理事務」 -> 地方税等の徴収及び滞納整理."""
    return re.sub(r"(に関する)?事務$", "", jimu.strip())


def _focus(question: str, lang: str) -> tuple[str, ...]:
    """The spellings of the noun the question's interrogative modifies: in Japanese the noun itself, in English
    the Japanese senses of the noun phrase (of its last two words when it is a compound); a where-question's
    noun is the place (場所)."""
    if lang != "en":
        question = without_indefinites(question)  # 「どの部署からでも」: any department, not which one
        m = _FOCUS.search(question)
        return (m.group(1),) if m else (PLACE,) if _WHERE_JA.search(question) else ()
    m = _FOCUS_EN.search(question) or _FOCUS_EN_VERB.search(question)
    if not m:
        return (PLACE,) if _WHERE_EN.search(question) else ()
    phrase = m.group(1).lower()
    if phrase.split()[-1] in _NOT_NOUN_EN:
        return ()
    groups = japanese_groups(phrase)
    if len(groups) < 2:
        return groups[0] if groups else ()
    # an English compound is a Japanese compound ("phone number" -> 電話番号): not the head alone (番号 is in
    # 評価書番号 and 個人番号)
    return tuple(a + b for a in groups[-2] for b in groups[-1])


def _inside_name(before: str) -> bool:
    """Whether the text before a capitalised word ends in another capitalised word that does not begin the sentence:
    the word then ends a longer name ("the My Number Act's", "the Japan Pension Service's"), not a place."""
    m = re.search(r"([A-Z][A-Za-z]*)\s+$", before)
    if not m:
        return False
    head = before[:m.start(1)].rstrip()
    return bool(head) and not head.endswith((".", "?", "!", ":"))


def language(text: str) -> str:
    """"ja" when the question holds any Japanese (kana or kanji), else "en".

    An English question that glosses the form's terms in Japanese ("which cities re-delegate (再委託)…")
    is read as Japanese: its glosses are the form's own words, and the Japanese path reads them better.
    Measured: counting English words against hiragana instead (so glossed questions are English)
    changed no dev set score and lowered bench/dev_conversations agg_f1 from 0.875 to 0.625."""
    return "ja" if JAPANESE.search(text) else "en"


def reply_language(text: str) -> str:
    """The language to answer a message in: the one its grammar is written in (condition.grammar_of)."""
    return grammar_of(nfkc(text), language(text))


@dataclass(frozen=True)
class Query:
    """What a question asks, as far as piaqa can tell before retrieval."""

    text: str
    lang: str  # ja | en
    cities: tuple[str, ...]  # corpus cities named
    docs: tuple[str, ...]  # documents the question is restricted to ((): all)
    aggregate: bool
    history: bool
    unknown_places: tuple[str, ...] = ()  # places named that the corpus does not cover
    unknown_jimu: str | None = None  # a 事務 named that no (named) document is about
    out_of_scope: bool = False  # the named documents are outside the user's selection
    include_log: bool = False  # passages from the 変更箇所 change log may be cited
    asks_kind: bool = False  # the question asks which kind of assessment a document is (全項目 / 重点項目 / 基礎項目)
    # the language the answer is worded in: the user's own (English for an English question with Japanese
    # glosses, which `lang` reads as Japanese for its glossed words' sake; a follow-up's, not the earlier
    # question it borrowed)
    reply_lang: str = "ja"
    # what kind of answer is expected, read here once (the answer stages read these, never the text)
    answer_type: str | None = None  # a date, duration, frequency, phone, people or org value (answertype.expected_type)
    asks_manner: bool = False  # how something is done, not a value (answertype.asks_manner)
    asks_number: str | None = None  # the words asking a number with its counter (何時間, "how many years")
    asks_company: bool = False  # which company, by its name (answertype.asks_company)
    asks_rating: bool = False  # how well a measure is done (十分か; glossary.asks_rating)
    asks_which: bool = False  # which of several rows (files, items, risks) holds something: どの, which
    asks_yes_no: bool = False  # answered yes or no (polar.asks_yes_no): an existence row (…の有無) states it
    # a yes/no question about an action (polar.asks_whether_done): a name, place or number does not answer it
    asks_whether_done: bool = False
    # the noun an interrogative modifies (「どのような用途に」 -> 用途; "what rules" -> ルール, 規程 …), in its spellings
    focus: tuple[str, ...] = ()
    condition: Condition = Condition(())  # the condition a which-cities question asks (AND / OR / NOT over atoms)
    listing: ListRequest | None = None  # each city's value, the most / fewest, or a comparison asked
    qualifier: Qualifier = Qualifier((), (), "")  # the files and items named among the documents' rows
    recipients: tuple[str, ...] = ()  # bodies named as where data goes (recipient.named_recipients)
    # the form row of the last answer's evidence, when a follow-up points at what it stated ("those records")
    anchor: Anchor | None = None
    # the section the previous answer stood on, when a follow-up asks in the same document (a unit there is near)
    near: Near | None = None
    # the evidence units the previous answer showed, when a follow-up asks how it is done (「どうやって？」 "How so?"):
    # the detail is in another sentence
    shown: frozenset[int] = frozenset()
    # cities a which-cities follow-up asks for others than ("Which other cities also …" after an answer about one)
    others_than: tuple[str, ...] = ()
    # the documents of the earlier turn whose question this one borrows with another city swapped in ("千葉市は？"):
    # their own names in it (their 事務, files and systems) said which assessment that turn asked, not what it asked
    borrowed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Anchor:
    """Where a follow-up's "those records", 「その研修」 sits: the sentence the previous answer quoted, the first
    sentence of the field it stated, or for a choice field the first of the row that details it (具体的な方法 under
    特定個人情報の使用の記録)."""

    unit: int  # an evidence unit's id


@dataclass(frozen=True)
class Near:
    """The section of the document the previous turn's answer cited first (its path as citations write it)."""

    doc: str
    path: str

    def holds(self, doc: str, path: Sequence[str]) -> bool:
        """Whether a unit or field of `doc` under section `path` sits in this section."""
        return doc == self.doc and " > ".join(path) == self.path


@dataclass(frozen=True)
class _CityNames:
    city: str
    stem: str  # 倉敷
    romaji: str  # folded: kurashiki


class Understander:
    """Knows the corpus' cities and 事務; turns a question into a Query."""

    def __init__(self, metas: list[DocMeta], tokenizer: Tokenizer, fields: Sequence[Field] = (),
                 labels: Sequence[str] = ()) -> None:
        """`fields` and `labels`: the corpus' form rows and answer labels, for the files and items a question
        names (qualify.qualify)."""
        self.metas = metas
        self.tokenizer = tokenizer
        self.labels = tuple(labels)
        self._fields: dict[str, list[Field]] = {}
        for f in fields:
            self._fields.setdefault(f.doc, []).append(f)
        self._names = []
        for city in dict.fromkeys(m.city for m in metas):
            stem = re.sub(r"[市町村区]$", "", city)
            self._names.append(_CityNames(city, stem, fold(kata_to_romaji(tokenizer.reading(stem)))))

    @functools.cached_property
    def city_names(self) -> list[str]:
        """Every way a question may name a corpus city: 倉敷市, 倉敷, Kurashiki City, Kurashiki (once)."""
        names: list[str] = []
        for city in dict.fromkeys(m.city for m in self.metas):
            names += [city, city.rstrip("市")]
            if (romaji := self.romaji_name(city)) is not None:
                names += [f"{romaji} City", f"{romaji} city", romaji]
        return names

    def swap_jimu(self, text: str, old_city: str, new_city: str) -> str:
        """The text with the old city's 事務 as a question names it (「住民票の仕事」, 「年金のシステム」) put as the new
        city's, when the new city has one: 「高知市の住民票の…」 asked again of 金沢市 is about its 児童手当."""
        new = {_jimu_core(m.jimu) for m in self.metas if m.city == new_city}
        if len(new) != 1:
            return text
        (core,) = new
        for old in {_jimu_core(m.jimu) for m in self.metas if m.city == old_city} - new:
            for word in sorted({old, *(h for h in _JIMU_HEADS if h in old)}, key=len, reverse=True):
                # a word of its own (not 市民税 in 市民税課): no kanji before a head, no office after it
                pattern = re.escape(word) if word == old else rf"(?<![一-龥]){re.escape(word)}"
                swapped = re.sub(pattern + r"(?![課部室局係])", core, text)
                if swapped != text:
                    return swapped
        return text

    def drop_jimu_en(self, text: str, old_city: str, new_city: str) -> str:
        """For English, the old city's business as the text names it ("resident register", "national pension")
        left out when the new city's assessments are of another business: "Kochi's resident register work" asked
        again of 千葉市 asks about its (national pension) work, and the old business's words would only pull its
        sentences that name residents. A body or a system named after a business ("the National Pension Division",
        "the resident records system") stays."""
        for pattern, core in _EN_JIMU:
            if not any(core in compact(m.jimu) for m in self.metas if m.city == old_city) \
                    or any(core in compact(m.jimu) for m in self.metas if m.city == new_city):
                continue
            # the whole word ("resident regist" + "er"), with the phrase it heads: "in its resident register work"
            word = re.compile(rf"(?:\b(?:in|for|of|under)\s+(?:its|their|the)\s+)?(?:{pattern.pattern})[a-z]*"
                              rf"(?:\s+{_EN_BUSINESS_NOUN})?", re.I)
            dropped = word.sub(lambda m: m.group(0) if _EN_BODY_AFTER.match(text, m.end()) else "", text)
            if dropped != text:
                return re.sub(r"\s+(?=[,.?!])", "", re.sub(r"\s{2,}", " ", dropped))
        return text

    def romaji_name(self, city: str) -> str | None:
        """The city's name as English text spells it ("Chiba"), for corpus cities."""
        for n in self._names:
            if n.city == city:
                return n.romaji.capitalize()
        return None

    def cities_in(self, text: str) -> list[str]:
        """Corpus cities named in a text, Japanese or romanised, in order of mention."""
        norm = nfkc(text)
        words = {fold(w) for w in re.findall(r"[A-Za-zÀ-ÿāōūēī]+", norm)}
        found = []
        for n in self._names:
            pos = norm.find(n.stem)
            if pos < 0 and n.romaji in words:
                pos = len(norm) + 1 + len(found)
            if pos >= 0:
                found.append((pos, n.city))
        return [c for _, c in sorted(found)]

    def _unknown_places(self, text: str) -> list[str]:
        """Places named that are not corpus cities (横浜市, Yokohama City)."""
        known = {n.stem for n in self._names} | {n.city for n in self._names}
        out = []
        for surface, _ in self.tokenizer.places(text):
            m = _PLACE_SUFFIX.match(surface)
            if m and m.group(1) not in known and surface not in known:
                out.append(surface)
        romaji = {n.romaji for n in self._names}
        folded = nfkc(text)
        for m in _EN_PLACE.finditer(folded):
            word = m.group(1) or m.group(2)
            if m.group(2) and _EN_BODY_OF.search(folded[:m.start(2)]):
                continue
            if m.group(1) and _inside_name(folded[:m.start(1)]):
                continue
            if word.lower() not in _EN_STOP and fold(word) not in romaji:
                out.append(word)
        return out

    def _jimu(self, text: str, cities: list[str]) -> tuple[tuple[str, ...], str | None]:
        """Documents matching a named 事務 (restricted to named cities), or the unknown 事務."""
        metas = [m for m in self.metas if not cities or m.city in cities]
        # a question naming one of the cities' businesses and another is about the one assessed: the other is what
        # its data concerns (「国民年金の…生活保護の情報」, "pension eligibility data so it can keep health insurance …")
        if cities and not re.search(r"[\u3040-\u30ff]", text):  # English: business names, (国民年金) glosses
            named = [core for pattern, core in _EN_JIMU
                     if any(not _EN_BODY_AFTER.match(text, m.end()) for m in pattern.finditer(text))]
            named += [g for g in re.findall(r"[(（]([\u4e00-\u9fff]{2,8})[)）]", text) if g.endswith(_JIMU_HEADS)]
            unknown = [core for core in named if not any(core in compact(x.jimu) for x in metas)]
            if unknown and len(unknown) == len(named):
                return (), unknown[0]
        found: list[str] = []
        for m in _JIMU.finditer(nfkc(text)):
            phrase = m.group(1)
            phrase = re.sub(r"^(市|町|村)(の)?", "", phrase)
            if len(phrase) < 2 or phrase in _GENERIC_JIMU:
                continue
            hits = [x.doc for x in metas if phrase in compact(x.jimu) or compact(x.jimu).startswith(phrase)]
            if hits:
                return tuple(hits), None
            found.append(phrase)
        if found:
            return (), found[0]
        return tuple(m.doc for m in metas) if cities else (), None

    def understand(self, question: str) -> Query:
        """Parse one question."""
        question = _EMPHASIS.sub(r"\1", question)  # 「起きて「いない」市」: the quotes stress the grammar, they name nothing
        lang = language(question)
        cities = self.cities_in(question)
        docs, unknown_jimu = self._jimu(question, cities)
        folded = nfkc(question)
        focus = _focus(folded, lang)
        aggregate = bool(_AGGREGATE.search(question))
        return Query(text=question, lang=lang, cities=tuple(cities), docs=docs,
                     aggregate=aggregate, history=bool(_HISTORY.search(question)),
                     unknown_places=tuple(self._unknown_places(question)), unknown_jimu=unknown_jimu,
                     include_log=bool(_HISTORY.search(question)), reply_lang=reply_language(question),
                     asks_kind=bool(_ASKS_KIND.search(folded)),
                     answer_type=answertype.expected_type(question), asks_manner=answertype.asks_manner(question),
                     asks_number=answertype.asks_number(question), asks_company=answertype.asks_company(question),
                     asks_rating=asks_rating(question), asks_which=bool(_WHICH.search(folded)),
                     asks_yes_no=asks_yes_no(question),
                     asks_whether_done=asks_whether_done(question, grammar_of(folded, lang), self.tokenizer),
                     focus=focus, condition=parse_condition(question, lang),
                     listing=list_request(question, lang, self.city_names),
                     qualifier=self._qualifier(question, docs), recipients=named_recipients(question))

    def _qualifier(self, question: str, docs: Sequence[str]) -> Qualifier:
        """The files and items the question names among the rows of its documents."""
        return qualify(question, [f for d in docs for f in self._fields.get(d, ())], self.labels)

    def files_named(self, text: str, docs: Sequence[str]) -> tuple[str, ...]:
        """The files a text names among the documents' rows (the qualifier alone, without the rest of a parse)."""
        return self._qualifier(text, docs).files

    def rescoped(self, query: Query, docs: Sequence[str], **changes: object) -> Query:
        """The query asked of other documents (a selection, a city swapped in): its files and items read again
        among their rows."""
        return replace(query, docs=tuple(docs), qualifier=self._qualifier(query.text, docs), **changes)

