"""Assistant: the one entry point the CLI, the UI and batch runs share."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from piaqa.understand import followup
from piaqa.answer.aggregate import Aggregator
from piaqa.answer.alike import SentenceSource, comparable, row_alike, row_source, sentence_alike
from piaqa.answer.kind import kind_answer
from piaqa.answer.leadin import answering_item
from piaqa.answer.listing import list_answer
from piaqa.answer.more import more_answer, next_statement, nothing_more, nothing_to_continue
from piaqa.answer.unitorder import RERANK_DEPTH, reorder
from piaqa.answer.lookup import MIN_LABEL, Answerer
from piaqa.understand.answertype import NAMED_KINDS, REASON, label_fits, manner_label, matches, states_asked
from piaqa.answer.choose import (FIELD, PROSE, Candidates, SourceEvidence, evidence, field_words,
                                 prose_probability, squash, states_yes_no, value_named)
from piaqa.understand.condition import combine, grammar_of, strip_frame
from piaqa.config import Settings
from piaqa.answer.describe import company_unstated, describe, not_stated, number_unstated, typed_units
from piaqa.search.adapter import load_adapter
from piaqa.search.embed import Embedder
from piaqa.search.fieldsearch import FieldIndex, risk_headings
from piaqa.understand.followup import Turn
from piaqa.understand.glossary import (expand, is_rating, is_rating_scale, jimu_names, lexical_terms, not_in_form,
                                      prose_terms, unit_lexical_terms, unit_word_groups, word_groups)
from piaqa.search.index import Index, StaleIndexError, open_index
from piaqa.records import Answer, Citation, DocMeta, Document, Field, Hit, Unit
from piaqa.search.retrieve import Retriever
from piaqa.safeask import with_shortened_note
from piaqa.safetext import clean_limited, has_words
from piaqa.text import clean_line, compact, nfkc, unnumbered
from piaqa.search.tokenize import Tokenizer
from piaqa.understand.lexicon import japanese_groups
from piaqa.understand.prosegloss import prose_groups
from piaqa.understand.intent import COMPARE, EACH, ListRequest
from piaqa.understand.qualify import file_tag, in_other_file
from piaqa.understand.query import Anchor, Near, Query, Understander, language, reply_language
from piaqa.search.unitsearch import UnitHit, UnitSearcher
from piaqa.answer.whichcities import (PROSE_CANDIDATES, PROSE_COVERAGE_RANK, PROSE_RATIO, WhichCities,
                                       best_support, prose_stated)

log = logging.getLogger(__name__)
OFF_TOPIC_SHARE = 0.5  # a question whose content words are mostly unknown to every document is about something else
UNIT_CANDIDATES = 10  # evidence units a lookup weighs and quotes from
# a choice saying only that something is done is a short predicate: the corpus' row values ending on a predicate are
# choices of 4-9 characters (実施する, 行っている, 定めている, 記録を残している, 十分に整備している) or statements of 15
# and more (契約期間及び相手方を確認できる); 10 sits in the gap (the 12 of 特に力を入れて行っている is a rating, apart)
DONE_CHOICE_MAX = 10
# a choice saying that something is not done (行っていない, 定められていない, 再委託なし)
_NEGATED = re.compile(r"(ない|なし)。?\s*$")
# a label written in a question names its row when it is a word at least (2 characters: 目的, 有無)
MIN_NAMED_LABEL = 2
# a question naming one of a document's files searches this many times deeper before the other files' units are
# dropped (the largest form has 4 files, whose sections hold ~85% of its units)
FILE_SCOPED_DEPTH = 4
# kinds of value a form row states whatever else a question is about: every file has a 保管期間, every flow a 時期・頻度,
# many items a 妥当性 (their reason)
ROW_KINDS = ("frequency", "duration", "reason")
# kinds whose sentence outweighs a row that states none (a why has its own rule: a row giving no reason cannot answer)
UNIT_STATED_KINDS = (*NAMED_KINDS, "frequency", "duration")
# a row of the asked kind (保管期間 for "how long") and a sentence stating that kind both answer: the sentence does when
# it covers this much more of the question's words than the row (the file's 保管期間 against 「日次の退避データは…1週間
# 保存」 for "How long are the daily copies kept?"). Fitted on every dev set (592 lookups; answers right at 0.08 / 0.15
# / 0.22 / 0.3: 449 / 450 / 450 / 449, 448 without the rule; the first of the two best taken); checked on the
# held-out sets (1,362 lookups: 805 without the rule, 809 at 0.15)
KIND_SENTENCE_MARGIN = 0.15
# a city swapped into a question another city's prose answered ("And Kurashiki?") states it when its best sentence
# covers at least this share of what the best city's covers (and that city's is credible: whichcities.PROSE_FLOOR):
# the which-cities ratio. bench/fit_swap_judge.py fits it on the dev conversations' judged turns (thirty-fifth
# session: 19 turns, right on 13 at every ratio 0-0.4 against 12 at 0.65); at its middle, 0.2, the held-out
# conversations (never fitted on) gained 3 answers and lost 3 negatives in-process (dev +1 / -1): a trade, not a
# gain, on too few dev turns, so the which-cities ratio stays
SWAPPED_STATED_RATIO = PROSE_RATIO
_SYSTEM_NAME = "システムの名称"  # the row naming a system an assessment's 事務 uses (①システムの名称)
# an answer showed a sentence when it quotes a run of it this long (all of a shorter one): a clause, not the few words a
# row's label or another sentence shares with it (the corpus' bullets run 20-100 characters)
SHOWN_RUN = 20


def _longest_run(text: str, shown: str) -> int:
    """The length of the longest run of a text that occurs in what was shown."""
    return SequenceMatcher(None, text, shown, autojunk=False).find_longest_match(0, len(text), 0, len(shown)).size


def _target_of(answer: Answer) -> str | None:
    """What an earlier answer stated: its field's label."""
    return answer.field.label if answer.field is not None else None


@dataclass(frozen=True)
class Coverages:
    """The share of a question's words the asked documents' best sentence holds, and the corpus' best document's."""

    asked: float
    best: float


@dataclass(frozen=True)
class Quoted:
    """A sentence of an answer's evidence and the longest run of it the answer quotes."""

    unit: Unit
    run: int


_RECIPIENT_TITLES = frozenset({"提供先", "移転先"})  # the rows titling a recipient item: the body data goes to


class Assistant:
    """Opens the corpus, model and index once; answers questions with line-exact citations."""

    def __init__(self, settings: Settings | None = None, rebuild: bool = False, progress: bool = True) -> None:
        self.settings = settings or Settings.from_env()
        self.tokenizer = Tokenizer()
        self.embedder = Embedder(self.settings)
        # the corpus is parsed only when the index is (re)built; otherwise its build's reading is loaded with it
        self.index: Index = open_index(self.settings, self.embedder, self.tokenizer, rebuild=rebuild,
                                       progress=progress)
        derived = self.index.derived
        if derived is None:
            raise StaleIndexError(f"the index at {self.settings.index_dir} holds no parsed corpus: rebuild it "
                                  "(piaqa index --rebuild)")
        self.docs: dict[str, Document] = {d.meta.doc: d for d in derived.corpus.docs}
        self._texts: dict[str, str] = {}  # Assistant._compact_text
        self._names: dict[str, tuple[str, ...]] = {}  # Assistant._own_names
        self.retriever = Retriever(self.index, self.embedder, self.tokenizer,
                                   candidates=self.settings.candidates, rrf_k=self.settings.rrf_k)
        self.fields = FieldIndex(derived.fields, self.tokenizer, self.embedder,
                                 [s.path[-1] for d in self.docs.values() for s in d.sections], derived.labels,
                                 risk_headings(derived.fields, self.index.units))
        self.understander = Understander([d.meta for d in self.docs.values()], self.tokenizer, derived.fields,
                                         self.fields.labels)
        self.units = UnitSearcher(self.index, self.embedder, self.tokenizer, rrf_k=self.settings.rrf_k,
                                  adapter=load_adapter(self.settings.query_adapter, self.settings.embed_model,
                                                       self.embedder.dim))
        self.answerer = Answerer(self.fields, self.docs, self.citation)
        self.aggregator = Aggregator(self.fields, self.docs, self.citation)
        self.which = WhichCities(self.aggregator, self.units, self.understander, list(self.docs))
        # the form items that are measures or statements (their rows are choices or prose: 従業者に対する教育・啓発,
        # 特定個人情報の使用の記録), not values (部署, 提供方法): read once from the fields
        self._measure_labels = frozenset(x for x in self.fields.labels
                                         if self.which.prose_label(x) or any(f.options for f in self.fields.of(x)))
        unit_lexical_terms("", self.tokenizer)  # reads the lexicons now (0.2 s), not on the first question

    # ------------------------------------------------------------------ public API
    def ask(self, question: str, k: int | None = None, history: Sequence[Turn] = (),
            docs: Collection[str] | None = None, include_history: bool = False) -> Answer:
        """Answer one question (optionally a follow-up to earlier turns, optionally within some documents)."""
        question, shortened = clean_limited(question, self.settings.max_question_chars)
        asked, question = question, followup.without_discourse(question)  # "Switching topics — …" asks nothing
        moved_on = question != asked
        if shortened:  # answered on its first max_question_chars characters, and the answer says so
            return with_shortened_note(self.ask(question, k, history, docs, include_history),
                                       self.settings.max_question_chars)
        if not has_words(question):
            return Answer(question, "質問を入力してください。/ Please type a question.", (), answerable=False,
                          kind="abstain")
        k = k or self.settings.top_k
        scope = [d for d in self.docs if not docs or d in docs]
        if followup.courtesy_only(question) and not self.understander.cities_in(question):
            return self._courtesy_reply(question)  # "Great, that's all I needed. Thanks!": small talk, not a question
        if not self.understander.cities_in(question) and (places := followup.places_asked(question, history)):
            question = places  # 「…受けているのはどこ？」 after a which-cities answer: which cities
        question = self._row_borrowed(question, history) or question
        if (city := followup.aggregate_city(question, history, self.understander, self.has_target)) is not None:
            return self._aggregate_row(question, history[-1], city, scope, k)
        if (narrower := self._among_alike(question, history, scope, k)) is not None:
            return narrower
        if (alike := self._alike(question, history, scope)) is not None:
            return alike
        if (more := self._more(question, history, scope)) is not None:
            return more
        if (cities := followup.each_city(question, history, self.understander)) \
                and self._small_talk(question) is None:
            return self._each_city(question, history, cities, scope, k)
        query = self.understood(question, history, scope, include_history, moved_on=moved_on)
        if (refusal := self._out_of_corpus(query) or self._off_topic(query)) is not None:
            return refusal
        if (attr := self.answerer.unknown_attribute(query) or not_in_form(query.text)) is not None:
            text = (f"The assessments do not record '{attr}'; the form has no such item." if query.reply_lang == "en"
                    else f"評価書の様式に「{attr}」という項目はなく、記載がありません。")
            return Answer(query.text, text, (), answerable=False, cities=query.cities, kind="abstain")
        if (listing := self._listing(query, k, scope)) is not None:
            return listing
        if query.aggregate and not query.cities:
            return self.which.answer(query, k, scope)
        if query.docs and query.asks_kind:  # 「…は全項目評価書ですか」: the cover says which kind it is
            return kind_answer(query.text, query.reply_lang, [self.docs[d] for d in query.docs], self.citation)
        if query.docs:
            # "千葉市は？" after another city's answer (the question borrowed the last one's, another city put in):
            # the new city may not state what the other one did
            swapped = bool(history) and query.text != question and bool(query.cities) \
                and set(query.cities) != set(history[-1][1].cities)
            # the question the last turn answered from prose is answered from prose again: its words matched no
            # field then, and a nearby field's label is no better a match for the new city
            # … and the row the last turn stated from a field is the new city's same row ("How many of its staff…"
            # after the contractor meant the contractor's staff, which the words alone do not say)
            last = history[-1][1].kind if swapped else ""
            if swapped:
                query = replace(query, borrowed_from=tuple(
                    d for d, m in self.docs.items() if m.meta.city in history[-1][1].cities and d not in query.docs))
            answer = self._about_documents(query, k, judge_stated=swapped, from_prose=last == "describe",
                                           row=_target_of(history[-1][1]) if last == "field" else None)
            if answer is not None:
                return number_unstated(query, answer) or company_unstated(query, answer) or answer
        answer = self._passage_answer(query, k, scope)
        return number_unstated(query, answer) or company_unstated(query, answer) or answer

    def understood(self, question: str, history: Sequence[Turn], scope: list[str],
                   include_history: bool = False, moved_on: bool = False) -> Query:
        """The question as `ask` answers it: resolved against the history, within the scope, in its own language
        (`moved_on`: it opened with a marker moving to another topic, "Switching topics —", now left out)."""
        stripped = followup.without_discourse(question)
        moved_on, question = moved_on or stripped != question, stripped
        query = replace(self._scoped(self._resolve(question, history), scope, include_history),
                        reply_lang=reply_language(question))  # a follow-up is answered in its own language
        if query.aggregate and not query.cities and history and history[-1][1].cities \
                and followup.asks_others(question):  # "Which other cities also …": not those just talked about
            query = replace(query, others_than=history[-1][1].cities)
        if not history or len(query.docs) != 1:
            return query
        previous = followup.anchor(history, self.understander)[1]
        if followup.names_answered(question) or followup.only_why_or_detail(question):
            query = replace(query, anchor=self._anchor(previous, query.docs[0]))
        if followup.only_detail(question):
            query = replace(query, shown=frozenset(u.id for u in self._shown(previous)))
        # a follow-up pointing back, or naming no city of its own, asks within the item last answered (Japanese leaves
        # the subject out: 「渡し方は？」); an ordinal naming no noun (「二件目のほうは？」) counts the items of that kind,
        # whatever item its words suggest
        ordinal = followup.headless_ordinal(question)
        if (followup.points_back(question) or not self.understander.cities_in(question)) \
                and (not query.qualifier.items or ordinal and not query.qualifier.explicit):
            query = self._in_answered_item(query, previous, ordinal)
            if not query.qualifier.items and not ordinal:
                query = self._in_asked_item(query, followup.anchor(history, self.understander)[0])
        cited = previous.citations
        if not moved_on and cited and cited[0].doc == query.docs[0]:  # a unit near the last answer's evidence
            query = replace(query, near=Near(cited[0].doc, cited[0].path))
        return query

    @staticmethod
    def _in_answered_item(query: Query, previous: Answer, ordinal: int | None = None) -> Query:
        """A follow-up pointing back at a row of one item ("How many of their people handle it?" after the
        contractor of 委託事項1) asks within that item (and its file), when it is of the same document; the item is
        the query's, not its text's, so a city swapped in later does not take another document's item number.
        `ordinal`: the follow-up counts an item of that kind with no noun of its own (「二件目のほうは？」 after 提供先1
        asks 提供先2), named as if by its number (one the document lacks is not stated, not a neighbour's)."""
        row = followup.answered_item(previous)
        if row is None or row.doc != query.docs[0]:
            return query
        qual = query.qualifier
        files = qual.files or ((row.file_name,) if row.file_name else ())
        if ordinal:
            item = re.sub(r"\d+$", "", row.item or "") + str(ordinal)
            return replace(query, qualifier=replace(qual, items=(item,), files=files, explicit=True))
        return replace(query, qualifier=replace(qual, items=(row.item,), files=files))

    def _in_asked_item(self, query: Query, previous_question: str) -> Query:
        """A follow-up pointing back at a recipient the last question named by its title or content, when the answer
        stated none of its rows ("How does it get sent there?" after "Kanazawa passes its info on to the citizens
        section. Is that safe?", answered from a sentence): it asks within that item, as the last question did."""
        asked = self.understander.understand(previous_question)
        qual = asked.qualifier
        # a recipient with a title (提供先, 移転先): an English question's words also find outsourced tasks, and items
        # with no title, they only share words with ("Kochi's resident register system" and 委託事項2), which a
        # follow-up does not go on asking about
        titled = {f.item for f in self.fields.current(query.docs[0]) if f.label in _RECIPIENT_TITLES and f.value.strip()}
        if not qual.items or qual.explicit or asked.docs != query.docs or not set(qual.items) <= titled:
            return query
        return replace(query, qualifier=replace(query.qualifier, items=qual.items,
                                                files=query.qualifier.files or qual.files))

    def _anchor(self, previous: Answer, doc: str) -> Anchor | None:
        """The sentence a previous answer in this document stood on: the one it quoted, the first of the field it
        stated, or, for a field of no sentences (a choice), the first of the row that details it (the row right after
        it, before any other field)."""
        units = self.units.of_doc(doc)
        f = previous.field
        if previous.kind == "field" and f is not None and f.doc == doc:
            if own := [u for u in units if u.line_start <= f.line_end and f.line_start <= u.line_end]:
                return Anchor(own[0].id)  # a row of prose stated as a field: its own sentences
            nxt = next((u for u in units if u.line_start > f.line_end), None)
            between = any(f.line_end < g.line_start < nxt.line_start for g in self.fields.current(doc)) if nxt else True
            return Anchor(nxt.id) if nxt is not None and nxt.path == f.path and not between else None
        if previous.kind != "describe" or not previous.citations or previous.citations[0].doc != doc:
            return None
        cited = previous.citations[0]
        overlapping = [u for u in units if u.line_start <= cited.line_end and cited.line_start <= u.line_end]
        quoted = [u for u in overlapping if u.text in previous.text]
        return Anchor((quoted or overlapping)[0].id) if overlapping else None

    def _anchored(self, query: Query) -> list[UnitHit]:
        """The sentences of the row a follow-up points at (see Query.anchor), nearest to its sentence first (a
        following one before a preceding one at the same distance)."""
        if query.anchor is None:
            return []
        near = self.units.units[query.anchor.unit]
        row = self.units.row_of(near)
        tokens = self.content_tokens(query)
        return [UnitHit(u, 0.0, 0.0, self.units.coverage(tokens, u.text, u.context))
                for u in sorted(row, key=lambda u: (abs(u.id - near.id), u.id < near.id))]

    def _resolve(self, question: str, history: Sequence[Turn]) -> Query:
        """The question understood in the light of the previous turn (follow-ups, narrowed which-cities)."""
        if (base := followup.subset_of(question, history)) is not None \
                and not self._one_of_them(followup.narrowed(question)):
            resolved = combine(base, followup.narrowed(question), language(question))
        elif base is not None:  # 「そのうち千葉市では…」: one of those cities, asked about on its own
            resolved = followup.narrowed(question)
        elif history and (raw := self._small_talk(question)) is not None:
            return raw  # "ありがとう", "hello" mid-conversation: answered as itself, not as the last city's question
        elif history and followup.only_detail(question) \
                and (said := self._stated_sentence(followup.anchor(history, self.understander)[1])) is not None:
            # 「どうやって？」 "How so?" after a sentence quoted: how what it says is done, asked in its own words
            resolved = f"{said.city}の{clean_line(said.text).rstrip('。 ')}。具体的にはどのように？"
        else:
            resolved = followup.rewrite(question, history, self.understander, self.has_target, _target_of)
        query = self.understander.understand(resolved)
        if history and query.unknown_jimu and query.cities and resolved != question:
            # a city swapped into a question about another city's 事務: ask the new city's own assessments
            query = self.understander.rescoped(
                query, [d for d, m in self.docs.items() if m.meta.city in query.cities], unknown_jimu=None)
        return query

    def _row_borrowed(self, question: str, history: Sequence[Turn]) -> str | None:
        """A Japanese which-cities follow-up naming only a bound or a predicate (「じゃあ30万人未満の市は？」 after 「対象
        人数が30万人以上の市はどこ？」, 「では、実施している市は？」 after the cities that do not link data): asked of
        the row (and topic) the last which-cities question compared, which it names no other of; None otherwise."""
        if not history or history[-1][1].kind != "aggregate" or followup.subset_of(question, history) is not None:
            return None
        own = self.understander.understand(question)
        if not own.aggregate or own.cities or grammar_of(nfkc(question), own.lang) != "ja":
            return None
        cond = self.which.aggregator.field_condition(own)
        if cond.strong or cond.values or cond.topics or cond.count is not None or cond.date is not None:
            return None
        last = self.which.aggregator.field_condition(self.understander.understand(followup.effective(history[-1])))
        if not last.strong or not last.labels:
            return None
        # the topic or section it named (「情報提供ネットワークシステムによる情報連携」), then the row
        named = dict.fromkeys([*last.topics, *(unnumbered(t) for t in sorted(last.sections))])
        subject = "".join(f"{t}の" for t in named) + last.labels[0]
        return f"{subject}が{strip_frame(question, 'ja')}市はどこ？"

    def _one_of_them(self, narrower: str) -> bool:
        """Whether what follows a "そのうち / of those" opener names a city and asks no which-cities question of its
        own: a question about that one city ("そのうち千葉市では、…どんな基準？"), not a narrower condition."""
        return bool(self.understander.cities_in(narrower)) and not self.understander.understand(narrower).aggregate

    def _small_talk(self, question: str) -> Query | None:
        """The question understood on its own when it is small talk or off-topic text ("ありがとう", "hello"): no
        city, nothing pointing back, mostly words no document knows (English words the lexicon knows, "Who checks
        it?", make a follow-up however few corpus words they hold); None for a question about the corpus."""
        if japanese_groups(question) or followup.points_back(question) and not followup.only_remarks(question):
            return None
        raw = self.understander.understand(question)
        return raw if not raw.cities and self._off_topic(raw) is not None else None

    def _alike(self, question: str, history: Sequence[Turn], scope: list[str]) -> Answer | None:
        """"Which other cities do that too?", 「同じ区分の市はほかにある？」 after a one-city answer: the cities whose
        namesake rows state the same value, or whose prose states what its sentence did (answer/alike.py); None
        when the last answer stated neither, or the question names something of its own that the last turn did not
        ("Which other cities also have an emergency generator?" after a contractor's name is a which-cities question
        like any other)."""
        if not history or (ask := followup.asks_alike(question, self.understander)) is None:
            return None
        last = history[-1][1]
        lang = reply_language(question)
        metas = [self.docs[d].meta for d in scope]
        if comparable(last):
            row = row_source(last, ask.exclusive)
            if self._names_its_own(ask.rest, history[-1], (row.label, *row.values)):
                return None
            value = row.values[0]
            restated = (f"Which cities state {value} as their {row.label}?" if lang == "en"
                        else f"{row.label}が「{value}」の市はどこ？")  # what a later turn builds on (Answer.question)
            return row_alike(restated, lang, row, metas, self.fields, self.citation)
        sentence = self._stated_sentence(last)
        if sentence is None or self._names_its_own(ask.rest, history[-1], (sentence.text, sentence.context)):
            return None
        return sentence_alike(f"「{sentence.text}」と記載している市はどこ？", lang,
                              SentenceSource(last.cities[0], sentence, ask.exclusive), metas, self.units, self.citation)

    @staticmethod
    def _names_its_own(rest: str, previous: Turn, stated: Sequence[str]) -> bool:
        """Whether a question's words beyond those pointing back name a form item or prose measure (glossary and
        prose-glossary terms) that neither the last question nor what its answer stated holds."""
        named = [*expand(rest), *(t for group in prose_groups(rest) for t in group)]
        said = squash(" ".join([followup.effective(previous), *stated]))
        return bool(named) and not any(squash(t) in said for t in named)

    def _among_alike(self, question: str, history: Sequence[Turn], scope: list[str], k: int) -> Answer | None:
        """「そのうち全項目評価書はどれ？」 "Which of those …?" after an answer comparing cities with what one answer
        stated: the narrower condition judged among the cities it named (the comparison is no condition to judge
        again); None after any other answer."""
        if not history or history[-1][1].kind != followup.ALIKE or followup.subset_of(question, history) is None \
                or self._one_of_them(followup.narrowed(question)):
            return None
        named = history[-1][1].cities
        docs = [d for d in scope if self.docs[d].meta.city in named]
        if not docs:
            en = language(question) == "en"
            return Answer(question, "The previous answer named no city." if en else "前の回答で該当した市はありません。",
                          (), answerable=False, kind="abstain")
        query = replace(self.understander.understand(followup.narrowed(question)), aggregate=True,
                        reply_lang=reply_language(question))
        return self.which.answer(query, k, docs)

    def _more(self, question: str, history: Sequence[Turn], scope: list[str]) -> Answer | None:
        """"Anything else?", 「他には？」 (followup.asks_more) after a one-city answer from a row of prose: the row's
        statement nearest the last one shown that no earlier answer showed (answer/more.py), or "nothing more";
        after an answer that quoted nothing (a which-cities answer, a name, "not stated"), a reply saying so; None
        when the question asks more than that."""
        if not history or not followup.asks_more(question, self.understander, self.has_target):
            return None
        turn = followup.anchor(history, self.understander)
        lang = reply_language(question)
        last = self._stated_sentence(turn[1])
        if last is None and (f := turn[1].field) is not None and turn[1].kind == "field" \
                and (detail := self._anchor(turn[1], f.doc)) is not None:
            last = self.units.units[detail.unit]  # a choice's detail row: what it goes on with
        if last is None:
            return nothing_to_continue(question, lang)
        if last.doc not in scope:
            return None
        shown = {u.id for _, answer in history for u in self._shown(answer)}
        thread = followup.effective(turn)
        nxt = next_statement(self.units.row_of(last), last, shown)
        if nxt is None:
            return nothing_more(thread, lang, last, self.citation)
        return more_answer(thread, lang, nxt, self._weigher(self.understood(thread, [], [last.doc])), self.citation)

    def _quoted_runs(self, answer: Answer) -> list[Quoted]:
        """The sentences of a one-city prose or field answer's first citation, each with the longest run of it the
        answer quotes (a lead-in 「また、」 may be cut off); [] for any other answer."""
        if len(answer.cities) != 1 or not answer.citations or answer.kind not in ("describe", "field"):
            return []
        cited, shown = answer.citations[0], squash(answer.text)
        return [Quoted(u, _longest_run(squash(u.text), shown)) for u in self.units.of_doc(cited.doc)
                if u.line_start <= cited.line_end and cited.line_start <= u.line_end]

    def _shown(self, answer: Answer) -> list[Unit]:
        """The sentences a one-city answer showed: those it quotes a run of SHOWN_RUN characters of (all of a
        shorter one)."""
        return [q.unit for q in self._quoted_runs(answer) if q.run >= min(SHOWN_RUN, len(squash(q.unit.text)))]

    def _stated_sentence(self, answer: Answer) -> Unit | None:
        """The sentence a one-city answer stated from prose: the one it quoted (a prose answer), or the one of its
        row the answer shows (a long field value); None for any other answer."""
        # the longest quoted; the first of equals: the answer's first sentence
        best = max(self._quoted_runs(answer), key=lambda q: q.run, default=None)
        return best.unit if best is not None else None

    def _each_city(self, question: str, history: Sequence[Turn], cities: Sequence[str], scope: list[str],
                   k: int) -> Answer:
        """A follow-up after a which-cities answer or a listing naming several cities, answered for each of them as
        a follow-up to that city's own turn about what was asked of them (followup.city_turn)."""
        turn = followup.anchor(history, self.understander)
        topic = followup.topic_of(turn, self.understander)
        metas = [self.docs[d].meta for d in scope if self.docs[d].meta.city in cities]

        def answer_for(_target: str, meta: DocMeta) -> Answer:
            return self.ask(question, k, history=[followup.city_turn(turn, meta.city, topic)], docs=[meta.doc])

        if len(metas) == 1:  # one city named: its answer, as a follow-up to its own turn
            return answer_for(question, metas[0])
        answer = list_answer(followup.about(question, topic), reply_language(question),
                             ListRequest(EACH, question.strip()), metas, answer_for)
        return replace(answer, kind=followup.EACH_CITY)

    def _listing(self, query: Query, k: int, scope: list[str]) -> Answer | None:
        """Each city's value of a target, ranked or compared (None: the question is no listing)."""
        request = query.listing
        if request is None:
            return None
        docs = [d for d in (query.docs if request.kind == COMPARE else scope) if d in scope]
        if request.kind == COMPARE and len({self.docs[d].meta.city for d in docs}) < 2:
            return None

        def answer_for(target: str, meta: DocMeta) -> Answer | None:
            # the single-city question a user would ask, so the lookup reads it as it reads any other; an English
            # target the glossary maps to one form item of short values is asked by that item's name, as a
            # Japanese listing is (else a city without the item got its nearest prose sentence)
            name = self.understander.romaji_name(meta.city) or meta.city
            label = self._value_label(target) if query.lang == "en" else None
            lang = "ja" if label else query.lang
            text = (f"{meta.city}の{label}は？" if label else
                    f"What is {name}'s {target}?" if query.lang == "en" else f"{meta.city}の{target}は？")
            sub = self.understander.rescoped(self.understander.understand(text), [meta.doc], cities=(meta.city,),
                                             aggregate=False, lang=lang, include_log=query.include_log,
                                             reply_lang=query.reply_lang)
            return self._about_documents(sub, k)

        return list_answer(query.text, query.reply_lang, request, [self.docs[d].meta for d in docs], answer_for)

    def _value_label(self, target: str) -> str | None:
        """The one form item the glossary maps a target's wording to, when its values are short values (not
        prose, not self-ratings); None otherwise."""
        labels = [x for x in expand(target) if x in self.fields.labels]
        if len(labels) != 1 or self.which.prose_label(labels[0]) or self.which.rating_label(labels[0]):
            return None
        return labels[0]

    def _about_documents(self, query: Query, k: int, judge_stated: bool = False,
                         from_prose: bool = False, row: str | None = None) -> Answer | None:
        """A history, field or prose answer from the documents the question names; None when none fits.
        `judge_stated`: a prose answer is first judged stated or not against the corpus' best document (for a
        city swapped into an answered question; on first questions the judge lowered dev_prose answer_match
        0.607 -> 0.536, measured 2026-12-03). `from_prose`: no field answers (a city swapped into a question
        the last turn answered from prose). `row`: the label of the row a field answer states when the documents
        have one (a city swapped into a question the last turn answered from that row)."""
        hits = self.lookup_hits(query, k)
        answer = self.answerer.history(query, hits, k) if query.history else None
        if answer is not None:
            return answer
        if row is None and query.asks_rating:  # how well a measure is done: its self-rated row, where there is one
            row = self._rated_row(query)
        answer = None if from_prose else self.answerer.lookup(query, hits, k, self._weigher(query), row=row)
        if answer is not None and answer.kind != "field" and not self._blank_of_other_kind(query, answer):
            return answer
        c = self.candidates(query, answer)
        if c.units and (c.rule == PROSE or c.rule is None and prose_probability(
                self.source_evidence(query, c.field, c.units[0])) > 0.5):
            prose = self.prose_answer(query, c, hits, k, judge_stated)
            if from_prose and not prose.answerable:
                # the new city's prose does not state it: its form may, in a row ("What about Koriyama?" after 千葉市's
                # 重大事故 sentence: 郡山市's 発生なし row), which the fitted choice weighs as for any question
                return self._about_documents(query, k, judge_stated, row=row)
            return prose
        return c.field

    def lookup_hits(self, query: Query, k: int) -> list[Hit]:
        """The passages a lookup reads its fields from."""
        return self.retriever.search(query.text, max(k, 5), docs=query.docs, history=query.include_log,
                                     extra_terms=lexical_terms(query.text), lang=query.lang)

    def candidates(self, query: Query, answer: Answer | None) -> Candidates:
        """The field answer (if it can answer), the evidence units, and whether a rule decides between them
        before the fitted choice does (bench/fit_choice.py fits that choice on exactly these candidates)."""
        rule = None
        if answer is not None and answer.field is not None and is_rating(answer.field.value, answer.field.options) \
                and not query.asks_rating:
            answer = None  # a self-rating says how well a measure is done, not what the measure is
        # a name, place or number does not answer whether something is done (unless the question names the value)
        unfit = answer is not None and answer.field is not None and query.asks_whether_done \
            and not states_yes_no(answer.field, self.tokenizer.ends_on_verb) \
            and not value_named(answer.field.value, query.text)
        # nor does a row of a name, number or date (委託先名, 連絡先, 使用者数, 実施日) answer how something is done or what is
        # done ("What does the contract say about inspecting the contractor?", 「問い合わせたら、向こうは何をするの？」)
        unfit = unfit or (answer is not None and answer.field is not None and query.asks_manner
                          and query.answer_type is None
                          and any(label_fits(kind, answer.field.label) for kind in NAMED_KINDS)
                          and not value_named(answer.field.value, query.text))
        # nor does a choice saying only that something is done (ユーザ認証の管理: 行っている, 消去手順: 定めている) say how
        # it is done ("How do Chiba staff sign in to the pension system?"), nor what, where or with what it is done
        # ("Where do the backed-up logs go?"): it answers only whether, or the question naming its row (…の有無は？);
        # a choice saying it is not done (行っていない, 定められていない) answers those too: nothing is done
        unfit = unfit or (answer is not None and answer.field is not None and not query.asks_rating
                          and query.answer_type is None and self._done_choice(answer.field)
                          and (query.asks_manner or not self._polar(query) and not _NEGATED.search(answer.field.value)
                               and not self._names_row(query, answer.field))
                          and not value_named(answer.field.value, query.text))
        # nor does a row that gives no reason answer a why (千葉市's 保管期間, whose reason the PDF text leaves unnamed)
        unfit = unfit or (answer is not None and answer.field is not None and query.answer_type == REASON
                          and not matches(REASON, answer.field.value) and not label_fits(REASON, answer.field.label))
        # nor does a period, frequency or reason row when the question names another item of the form as its topic
        # (「研修って、どれくらいの頻度で」: 従業者に対する教育・啓発, not 時期・頻度 of 提供・移転)
        other_item = answer is not None and answer.field is not None \
            and self._kind_row_of_another_item(query, answer.field)
        unfit = unfit or other_item
        # nor, for the same reason, does a blank row of the kind asked that is another item's (a 提供方法 left blank, for
        # how staff training is delivered): it is not the form's "not stated" of the item asked
        unfit = unfit or (answer is not None and self._blank_of_another_item(query, answer))
        fused = self.unit_hits(query, query.docs, k=RERANK_DEPTH, ordered=False)
        fused = [h for h in fused if h.unit.id not in query.shown] or fused  # how it is done: not what was said
        if other_item:  # and neither do the sentences of such rows
            fused = [h for h in fused if not label_fits(query.answer_type or "", h.unit.label)] or fused
        units = reorder(fused, query.answer_type, query.near)[:UNIT_CANDIDATES]
        # the kind of value asked (a name for "who …") stated by the field and not by the best sentence: the field
        # (not for a period or a frequency: 保管期間 and 時期・頻度 rows state one whatever else the question is about)
        kind_in_field = answer is not None and answer.field is not None and query.answer_type in NAMED_KINDS \
            and matches(query.answer_type, answer.field.value) and bool(units) \
            and not matches(query.answer_type, units[0].unit.text)
        # a follow-up pointing at what the last answer spoke of ("How long are those records kept?"): the row it
        # quoted or stated, when a sentence of it states the kind of value asked and holds a word of the question
        stating = [h for h in self._anchored(query)
                   if query.answer_type and h.coverage > 0 and matches(query.answer_type, h.unit.text)]
        if stating:
            ids = {h.unit.id for h in stating}
            rest = [h for h in fused if h.unit.id not in ids]
            return Candidates(answer, tuple(stating + rest), tuple(stating + [h for h in units if h.unit.id not in ids]
                                                                  )[:UNIT_CANDIDATES], PROSE)
        # and the other way round: a row that neither states it nor is a row of that kind (a choice 記録を残している
        # for "who checks the logs?" or "how long are the logs kept?") when the best sentence states it
        kind_in_unit = answer is not None and answer.field is not None \
            and query.answer_type in UNIT_STATED_KINDS and not matches(query.answer_type, answer.field.value) \
            and not label_fits(query.answer_type, answer.field.label) \
            and bool(units) and matches(query.answer_type, units[0].unit.text)
        # both a row of that kind and the best sentence state it: the sentence when it is far more about the question
        kind_in_unit = kind_in_unit or self._sentence_of_kind(query, answer, units)
        # how well a measure is done, asked of its self-rated row: the rating is the answer, not what the measure is
        rated = answer is not None and answer.field is not None and query.asks_rating \
            and is_rating_scale(answer.field.options)
        if answer is None or unfit or kind_in_unit:
            rule = PROSE
        elif kind_in_field or rated:
            rule = FIELD
        return Candidates(answer, tuple(fused), tuple(units), rule)

    def _sentence_of_kind(self, query: Query, answer: Answer | None, units: Sequence[UnitHit]) -> bool:
        """Whether the best sentence, stating the period, frequency or reason asked, answers rather than a row of that
        kind: the sentence itself (not its headings: a file named in the question is in every heading of its section)
        covers KIND_SENTENCE_MARGIN more of the question than the row (the file's 保管期間 is not how long its logs or
        backups are kept)."""
        if answer is None or answer.field is None or not units or query.answer_type not in ROW_KINDS \
                or not label_fits(query.answer_type, answer.field.label) \
                or not matches(query.answer_type, units[0].unit.text):
            return False
        covered = self._weigher(query)
        row = field_words(answer.field, self.fields.item_title(answer.field))  # as source_evidence weighs the row
        return covered(units[0].unit.text) - covered(row) >= KIND_SENTENCE_MARGIN

    def _done_choice(self, f: Field) -> bool:
        """Whether a row's value is a choice saying only that something is done or not (a short predicate)."""
        return len(f.value.strip()) <= DONE_CHOICE_MAX and self.tokenizer.ends_on_verb(f.value)

    @staticmethod
    def _polar(query: Query) -> bool:
        """Whether the question is answered yes or no."""
        return query.asks_yes_no or query.asks_whether_done

    @staticmethod
    def _names_row(query: Query, f: Field) -> bool:
        """Whether the question writes the row's label (「再委託の有無は？」)."""
        label = squash(f.label)
        return len(label) >= MIN_NAMED_LABEL and label in squash(query.text)

    def _blank_of_other_kind(self, query: Query, answer: Answer) -> bool:
        """Whether a blank row answers a question it may not be about: a row left blank whose label is not of the
        kind of value asked (a 移転する情報 left blank for how old disks are wiped), or is, but the question names
        another form item (`_blank_of_another_item`). Such a row is weighed against the prose; a blank row of the kind
        asked (保管期間 for "how long", ①方法 for "how") of what is asked is the form's own "not stated"."""
        f = answer.field
        if answer.kind != "blank" or f is None:
            return False
        return not self._blank_of_asked_kind(query, f) or self._blank_of_another_item(query, answer)

    def _blank_of_asked_kind(self, query: Query, f: Field) -> bool:
        """Whether a row's label is of the kind of value asked (a period for "how long", a method for "how")."""
        kind = query.answer_type
        return (kind is not None and label_fits(kind, f.label)) or (query.asks_manner and manner_label(f.label))

    def _blank_of_another_item(self, query: Query, answer: Answer) -> bool:
        """Whether a blank row of the kind asked is another item's than the one the question names (a 提供方法 left
        blank, for how staff training is delivered: 従業者に対する教育・啓発): its "not stated" is not this item's."""
        f = answer.field
        if answer.kind != "blank" or f is None or not self._blank_of_asked_kind(query, f):
            return False
        kind = query.answer_type
        typed = kind is not None and label_fits(kind, f.label)
        manner = query.asks_manner and manner_label(f.label)
        return self._another_item_named(query, f, lambda x: bool((typed and label_fits(kind, x))
                                                                  or (manner and manner_label(x))))

    def _rated_row(self, query: Query) -> str | None:
        """The self-rated row (a choice of 特に力を入れて… / 十分に…) the question names as a field's label must match
        (MIN_LABEL), when the named documents have it; None otherwise."""
        rest = query.qualifier.rest
        for ls in self.fields.score_labels(rest, expand(rest)):
            if ls.score < MIN_LABEL:
                return None
            if any(is_rating_scale(f.options) for f in self.fields.of(ls.label, query.docs)):
                return ls.label
        return None

    def _kind_row_of_another_item(self, query: Query, f: Field) -> bool:
        """Whether a row that states the asked period, frequency or reason (保管期間, 時期・頻度, …の妥当性) is not what
        the question asks about: it names another form item (by the glossary) that the row neither is, nor sits beside
        or under."""
        kind = query.answer_type
        if kind not in ROW_KINDS or not label_fits(kind, f.label):
            return False
        return self._another_item_named(query, f, lambda x: label_fits(kind, x))

    def _another_item_named(self, query: Query, f: Field, of_the_kind: Callable[[str], bool]) -> bool:
        """Whether the question names (by the glossary) a form item that is not of the kind asked and that the
        row neither is, nor sits beside or under."""
        named = [x for x in expand(query.text) if x in self._measure_labels and not of_the_kind(x)]
        # a row beside it (提供先 beside the 時期・頻度 of a provision) names the same item
        other = [x for x in named if not any(g.path == f.path for g in self.fields.of(x, [f.doc]))
                 and not any(x in p for p in f.path)]
        if other:
            log.debug("row %s: the question names %s", f.label, other)
        return bool(other)

    def prose_answer(self, query: Query, c: Candidates, hits: Sequence[Hit], k: int,
                     judge_stated: bool = False) -> Answer:
        """The answer the evidence units give: the best one stating the asked kind of value, or an item of a list
        it announces; "not stated" when no candidate states the asked kind (or, `judge_stated`, when the
        corpus' best document covers the question far better)."""
        units = list(c.units)
        typed = typed_units(query, units)
        # a duration, frequency … asked, and none of the best units states one; judged in the fused ranking,
        # since the learned order lifts units that state one whether or not they are about the question; but the
        # learned order's first unit stating one is the answer, not the "not stated" that would quote it
        if typed_units(query, c.fused) == [] and not typed_units(query, units[:1]):
            # unless the best sentence's next bullet states it (「…操作日時…を記録する。」 「・記録は、5年間分保存する。」):
            # such a bullet need not share a word with the question, so the rankings need not find it
            nxt = self.units.next_in_row(units[0].unit)
            if nxt is None or not states_asked(query.answer_type or "", query.text, nxt.text):
                return not_stated(query, units[0], self.citation)
            typed = [replace(units[0], unit=nxt), *units[1:]]
        units = typed or units
        # a best unit that announces a list (「次の…を行っている。」): the answer is among its items
        if (item := answering_item(units[0], units[1:], self.units.units, self._weigher(query))) is not None:
            units = [item, *(u for u in units if u.unit.id != item.unit.id)]
        if judge_stated and not self._stated_in(query):  # another city states it; this one's nearest sentence covers far less
            return not_stated(query, units[0], self.citation)
        return describe(query, units[0], units[1:], hits, self._weigher(query),
                        self.citation, k, self.units.following(units[0].unit))

    def _stated_in(self, query: Query) -> bool:
        """Whether the asked documents state what the question asks in their prose, judged as a which-cities
        prose condition is (whichcities.prose_stated) with its own ratio (SWAPPED_STATED_RATIO): their best unit's
        coverage of the question against the best document's, over the whole corpus."""
        cover = self._coverages(query)
        return prose_stated(cover.asked, cover.best, ratio=SWAPPED_STATED_RATIO)

    def _coverages(self, query: Query) -> Coverages:
        """How much of the question the asked documents' best unit covers, and the best document's."""
        docs = list(self.docs)
        hits = self.units.search_each(query.text, self.content_tokens(query), docs, k=PROSE_CANDIDATES,
                                      extra_terms=unit_lexical_terms(query.text, self.tokenizer), lang=query.lang,
                                      coverage_weight=PROSE_COVERAGE_RANK)
        cover = {d: best_support(hits.get(d, [])).coverage for d in docs}
        return Coverages(max(cover[d] for d in query.docs), max(cover.values()))

    def source_evidence(self, query: Query, answer: Answer | None, unit: UnitHit | None) -> SourceEvidence:
        """What the field answer and the best unit offer for the question (see choose.py)."""
        cov = 0.0
        if answer is not None and answer.field is not None:
            words = field_words(answer.field, self.fields.item_title(answer.field))
            cov = self.units.coverage(self.content_tokens(query), words)
        return evidence(query, answer, unit, cov)

    def has_target(self, text: str) -> bool:
        """Whether a (follow-up) text asks for something of its own, beyond cities, files and items."""
        names = [n for m in self.docs.values() for n in (m.meta.city, m.meta.city.rstrip("市"))]
        return bool(self.units.question_tokens(text, language(text), expand(text), drop=names,
                                               alternatives=word_groups(text)))

    def content_tokens(self, query: Query, everyday: bool = False) -> list[str]:
        """The question's meaningful tokens with the glossary's form terms, city and 事務 names left out (also the
        事務's other names: 「住民基本台帳システム」 in a question about 住民票に関する事務 says which assessment).
        `everyday`: with a group for each everyday English word (glossary.unit_word_groups), as the ranking of a
        lookup's evidence units reads them; the judgements fitted on word coverage (is it stated, which clause to
        quote, is it off-topic) read the question's words as they were fitted."""
        jimu = [self.docs[d].meta.jimu for d in query.docs]
        names = [*query.cities, *jimu, *(n for j in jimu for n in jimu_names(j))]
        names += [c.rstrip("市") for c in query.cities]
        names += [file_tag(f) for f in query.qualifier.files]  # a file named scopes the search (unit_hits)
        names += self._borrowed_names(query)
        return self.units.question_tokens(query.text, query.lang, prose_terms(query.text), drop=names,
                                          alternatives=unit_word_groups(query.text) if everyday
                                          else word_groups(query.text))

    def _borrowed_names(self, query: Query) -> list[str]:
        """The words of the names a borrowed question holds of the assessments it was first asked of
        (Query.borrowed_from): their 事務, files and systems that the asked documents never name (a name both
        assessments use, 国民年金 or 共通基盤システム, still says what is asked)."""
        text = compact(query.text)
        held = [n for d in query.borrowed_from for n in self._own_names(d) if n in text
                and not any(n in self._compact_text(d) for d in query.docs)]
        return list(dict.fromkeys(t for n in held for t in self.tokenizer(n)))

    def _own_names(self, doc: str) -> tuple[str, ...]:
        """An assessment's own names, compact: its 事務 (and what questions call it), its files, its systems."""
        if doc not in self._names:
            jimu = self.docs[doc].meta.jimu
            names = [jimu, *jimu_names(jimu), *(file_tag(f) for f in self.fields.file_names(doc))]
            names += [f.value for f in self.fields.current(doc) if f.label.endswith(_SYSTEM_NAME)]
            self._names[doc] = tuple(dict.fromkeys(compact(n) for n in names if n))
        return self._names[doc]

    def _compact_text(self, doc: str) -> str:
        """A document's text without whitespace (NFKC), made once."""
        if doc not in self._texts:
            self._texts[doc] = compact("\n".join(self.docs[doc].lines))
        return self._texts[doc]

    def unit_hits(self, query: Query, docs: Collection[str], k: int = UNIT_CANDIDATES,
                  ordered: bool = True) -> list[UnitHit]:
        """Evidence units for the question in the documents, best first: the best RERANK_DEPTH of the fused
        ranking in the learned order (unitorder.py; `ordered=False`: the fused order, for fitting it)."""
        files = query.qualifier.files
        depth = max(k, RERANK_DEPTH) * (FILE_SCOPED_DEPTH if files else 1)
        hits = self.units.search(query.text, self.content_tokens(query, everyday=True), docs=docs, k=depth,
                                 extra_terms=unit_lexical_terms(query.text, self.tokenizer), lang=query.lang)
        if files:  # a named file: its own sections' units and the document-wide ones, not another file's
            hits = [h for h in hits if not in_other_file(h.unit.path, files)][:max(k, RERANK_DEPTH)] or hits
        return (reorder(hits, query.answer_type, query.near) if ordered else hits)[:k]

    def _weigher(self, query: Query) -> Callable[[str], float]:
        """How much of the question a piece of text covers (for choosing the clause to quote)."""
        tokens = self.content_tokens(query)
        return lambda text: self.units.coverage(tokens, text)

    def _scoped(self, query: Query, scope: list[str], include_history: bool) -> Query:
        """The query restricted to the documents the user selected."""
        docs = query.docs
        if len(scope) < len(self.docs):
            if query.docs:
                docs = tuple(d for d in query.docs if d in scope)
                if not docs:  # the named city is outside the selection
                    return replace(query, docs=(), unknown_jimu=None, out_of_scope=True)
            elif len(scope) == 1 and not query.aggregate:  # one document selected: ask it
                docs = tuple(scope)
        if docs != query.docs:
            query = self.understander.rescoped(query, docs)
        return replace(query, include_log=query.history or include_history)

    def _aggregate_row(self, question: str, previous: Turn, city: str, scope: list[str], k: int) -> Answer:
        """"千葉市は？" / "What about Chiba?" after a which-cities question: that city's row of the same condition
        (of the same comparison, after an answer comparing cities with one answer), in the follow-up's language."""
        en = language(question) == "en"
        prev_q = followup.effective(previous)
        agg = previous[1] if previous[1].kind == followup.ALIKE \
            else self.which.answer(self.understander.understand(prev_q), k, scope)
        row = next((r for r in agg.rows if r.city == city), None)
        if row is None:
            text = f"{city} is outside the selected documents." if en else f"{city}は選択された範囲に含まれていません。"
            return Answer(question, text, (), answerable=False, kind="abstain")
        if row.citation is None:  # nothing in the document decides it: say so rather than "does not match"
            text = (f"{row.city} ({row.jimu}): the assessment states nothing on this." if en
                    else f"{row.city}（{row.jimu}）の評価書には該当する記載がありません。")
            return Answer(prev_q, text, (), answerable=False, cities=(), rows=(row,), kind="aggregate-row")
        cits = (agg.citations[row.citation],)
        if en:
            text = f"{row.city} ({row.jimu}) {'matches' if row.satisfied else 'does not match'}: {row.value} [1]"
        else:
            text = f"{row.city}（{row.jimu}）は{'該当します' if row.satisfied else '該当しません'}: {row.value} [1]"
        return Answer(prev_q, text, cits, cities=(row.city,) if row.satisfied else (),
                      rows=(replace(row, citation=0),), kind="aggregate-row")

    def ask_batch(self, questions: Sequence[str], k: int | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> list[Answer]:
        """Answer several independent questions."""
        out = []
        for i, q in enumerate(questions, 1):
            out.append(self.ask(q, k=k))
            if on_progress:
                on_progress(i, len(questions))
        return out

    def search(self, question: str, k: int | None = None, docs: Collection[str] | None = None,
               include_history: bool = False) -> list[Hit]:
        """Top passages for a question, without answer composition (researcher view)."""
        question = clean_limited(question, self.settings.max_question_chars)[0]
        query = self.understander.understand(question)
        scope = [d for d in (query.docs or self.docs) if not docs or d in docs]
        return self.retriever.search(question, k or self.settings.top_k, docs=scope,
                                     history=query.history or include_history,
                                     extra_terms=lexical_terms(question), lang=query.lang)

    def citation(self, doc: str, line_start: int, line_end: int, path: str = "") -> Citation:
        """A citation of original lines of an indexed document."""
        d = self.docs[doc]
        return Citation(doc=doc, city=d.meta.city, jimu=d.meta.jimu, path=path, line_start=line_start,
                        line_end=line_end, text=d.span(line_start, line_end), page=d.page_of(line_start))

    # ------------------------------------------------------------------ internals
    def _out_of_corpus(self, query: Query) -> Answer | None:
        """An abstention when the question names a city or 事務 the corpus does not hold."""
        covered = "、".join(dict.fromkeys(d.meta.city for d in self.docs.values()))
        if query.unknown_places and not query.cities:
            place = query.unknown_places[0]
            text = (f"{place} is not in the corpus (cities covered: {covered})." if query.reply_lang == "en" else
                    f"{place}の評価書はコーパスにありません（収録: {covered}）。")
            return Answer(query.text, text, (), answerable=False, kind="abstain")
        if query.out_of_scope:
            text = ("That city is outside the documents selected in the filter." if query.reply_lang == "en"
                    else "その市は絞り込みで選択された評価書に含まれていません。")
            return Answer(query.text, text, (), answerable=False, kind="abstain")
        if query.unknown_jimu:
            where = ("、".join(query.cities) if query.cities else
                     "the corpus" if query.reply_lang == "en" else "コーパス")
            jimus = "、".join(f"{d.meta.city} {d.meta.jimu}" for d in self.docs.values()
                             if not query.cities or d.meta.city in query.cities)
            text = (f"No assessment of {query.unknown_jimu} affairs in {where} (available: {jimus})."
                    if query.reply_lang == "en" else
                    f"{where}の「{query.unknown_jimu}」に関する評価書はありません（収録: {jimus}）。")
            return Answer(query.text, text, (), answerable=False, kind="abstain")
        return None

    def _off_topic(self, query: Query) -> Answer | None:
        """A short reply saying what piaqa answers, for text that is about nothing the assessments hold
        (greetings, noise, other subjects): no city, no 事務, no glossary term, and under OFF_TOPIC_SHARE
        of its content words found in any document; or English naming a city with no word the glossary or the
        lexicon knows ("the weather in Kochi tomorrow"; over every dev and held-out set only such negatives were)."""
        if query.aggregate or expand(query.text):
            return None
        tokens = self.content_tokens(query)
        if query.cities or query.docs:
            if query.lang != "en" or tokens:  # Japanese words unknown to the documents still ask about a city
                return None
        elif query.lang == "ja" and tokens and self.units.known_share(tokens) >= OFF_TOPIC_SHARE:
            return None
        return Answer(query.text, self._what_piaqa_answers(query.reply_lang), (), answerable=False, kind="abstain")

    def _courtesy_reply(self, question: str) -> Answer:
        """The reply to thanks (welcome) or an acknowledgement: what piaqa answers."""
        lang = reply_language(question)
        welcome = ("You're welcome. " if lang == "en" else "どういたしまして。") if followup.thanks(question) else ""
        return Answer(question, welcome + self._what_piaqa_answers(lang), (), answerable=False, kind="abstain")

    def _what_piaqa_answers(self, lang: str) -> str:
        """What piaqa answers, with examples, in the reply's language."""
        cities = "、".join(dict.fromkeys(d.meta.city for d in self.docs.values()))
        return (f"piaqa answers questions about the My Number privacy impact assessments of {cities}: "
                "e.g. \"Who is Kurashiki's contractor for the national pension work?\", "
                "\"Which cities re-delegate (再委託) system maintenance?\", \"How does Koriyama train its staff?\""
                if lang == "en" else
                f"piaqaは{cities}の特定個人情報保護評価書についての質問に答えます。例:「倉敷市の国民年金事務の委託先は？」"
                "「システム保守を再委託している市はどこ？」「郡山市は職員にどんな研修をしていますか」")

    def _passage_answer(self, query: Query, k: int, scope: list[str]) -> Answer:
        """Fallback: the most relevant line of the best passage, with the passages as citations."""
        hits = self.retriever.search(query.text, k, docs=query.docs or scope, history=query.include_log,
                                     extra_terms=lexical_terms(query.text), lang=query.lang)
        if not hits:
            text = ("Nothing in the assessments matches." if query.reply_lang == "en"
                    else "該当する記載が見つかりませんでした。")
            return Answer(query.text, text, (), answerable=False, kind="abstain")
        cits = tuple(self.citation(h.chunk.doc, h.chunk.line_start, h.chunk.line_end, " > ".join(h.chunk.path))
                     for h in hits)
        line, rank = self._best_line(query, hits[:3])
        if not line:  # the passages hold no line with words
            text = ("Nothing in the assessments matches." if query.reply_lang == "en"
                    else "該当する記載が見つかりませんでした。")
            return Answer(query.text, text, cits, answerable=False, kind="abstain")
        cities = tuple(dict.fromkeys(c.city for c in cits))
        lead = ("Closest passage (no form item matched exactly): " if query.reply_lang == "en"
                else "該当しそうな記載: ")
        return Answer(query.text, f"{lead}{line} [{rank}]", cits, cities=cities[:1], kind="passage")

    def _best_line(self, query: Query, hits: Sequence[Hit]) -> tuple[str, int]:
        """The line of the top passages sharing most content tokens with the question (and stating the kind
        of value asked, when the question asks for a date, duration, …), with its citation number."""
        want = {t for t in self.tokenizer(query.text) if len(t) > 1}
        kind = query.answer_type
        best, best_score, best_rank = "", -1.0, 1
        for rank, hit in enumerate(hits, 1):
            doc = self.docs[hit.chunk.doc]
            for no in range(hit.chunk.line_start, hit.chunk.line_end + 1):
                text = clean_line(doc.lines[no - 1])
                # headings and lines of no words (「—」, a blank cell's dash) say nothing
                if not has_words(text) or re.fullmatch(r"[\d０-９]+[\.．]\s*\S+", text):
                    continue
                score = len(want & set(self.tokenizer(text))) / (1 + 0.02 * len(text)) / rank ** 0.3
                if kind and matches(kind, text):
                    score = score * 1.6 + 0.2
                if score > best_score:
                    best, best_score, best_rank = text, score, rank
        return (best if len(best) <= 100 else best[:99] + "…"), best_rank
