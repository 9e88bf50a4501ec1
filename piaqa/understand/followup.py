"""Follow-up questions, resolved against the previous turn: its effective question, its answer's target.

- a city alone ("千葉市は？", "And Chiba?"): the previous question about that city;
- a qualifier alone ("(1)のファイルは？", "委託事項3は？", "And for file (3)?"): the previous target in it;
- an anaphor with a new target ("その再委託先は？", "Who is its contractor?"): the previous city;
- after a which-cities answer, a city alone: that city's row; "そのうち…", "Which of those…": a narrower
  which-cities question whose condition adds to the previous one (see `subset_of`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from piaqa.records import Answer, Field
from piaqa.text import JAPANESE, compact, nfkc
from piaqa.understand.answertype import REASON, expected_type, without_type_words
from piaqa.understand.condition import grammar_of
from piaqa.understand.polar import INTERROGATIVE_JA
from piaqa.understand.glossary import expand
from piaqa.understand.qualify import EN_ORDINALS, KANJI_DIGITS, ORDINAL, numeral
from piaqa.understand.query import Understander, language, reply_language

Turn = tuple[str, Answer]  # (question, answer) of an earlier turn
_ANAPHORA = re.compile(r"^(その|それの|それって|そこの|そこは|同じく|では|じゃあ|じゃ|なら|(?:それ)?で[、,]|and |what about |how about |"
                       r"its |for that |then )", re.I)
_SUBSET = re.compile(r"^\s*(?:and\s+)?(そのうち|このうち|その中で|その中だと|その中から|それらのうち|それらの中で|うち"
                     r"|(?:その|この|それらの|これらの)\s*[0-9０-９二三四五]\s*(?:市|つ)(?:のうち|の中で|の中だと)"
                     r"|of (those|them|these)"
                     r"|which (ones|of (those|them|these)(?: cities| ones)?)|among (those|them|these))[、,]?\s*", re.I)
# a file named by its name: a kanji/katakana run (no particle inside) up to 30 characters before ファイル (the corpus'
# longest, 後期高齢者医療保険料徴収システムデータベースファイル, has 22)
_QUALIFIER = re.compile(r"\(\s*\d{1,2}\s*\)|（\s*\d{1,2}\s*）|委託事項\s*\d+|提供先\s*\d+|移転先\s*\d+|(file|item)\s*\(?\d+\)?"
                        r"|[一-龥ァ-ヶー]{2,30}ファイル|ファイル", re.I)
# a file or item named by number or name (bare "ファイル" names none)
_NAMED_QUALIFIER = re.compile(r"\(\s*\d{1,2}\s*\)|（\s*\d{1,2}\s*）|(委託事項|提供先|移転先)\s*\d+|(file|item)\s*\(?\d+\)?"
                              r"|[一-龥ァ-ヶー]{2,30}ファイル", re.I)
# a word pointing back at what the previous turn was about (the こ/そ/あ demonstratives) — its file or item when it
# named one ("そのデータ", "それを扱える職員", "そっちは", "that file", "its contractor")
_POINTS_BACK = re.compile(r"その|それ|この|これ|同じ|当該|そこ(へ|に|の|で|から|まで)|そういう|こういう|そんな|こんな"
                          r"|そっち|そちら|こっち|こちら|あっち|あちら"
                          r"|\b(that|this|these|those|the same|its|it|they|them|their)\b"
                          r"|\bthe\s+(file|item|contract|recipient|destination)"
                          r"|\bthere\b", re.I)
# a noun phrase (kanji, katakana, letters joined by の, と, や) and a topic ending: 「非正規の職員は？」「Xのほうは？」
_TOPIC_JA = re.compile(r"^([一-龥ァ-ヶーA-Za-z0-9・]+(?:[のとや][一-龥ァ-ヶーA-Za-z0-9・]+)*?)(?:のほう|の方)?(?:は|だと|では|なら)"
                       r"[?？]?$")
_TOPIC_EN = re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+)?(.+?)\s*\?*$|^and\s+(?:the\s+)?(.+?)\s*\?+$", re.I)
# a follow-up that only asks why (「それはなぜ？」「どうして？」 "Why is that?"): the reason for the last answer
# (「なんでそんなに長いの？」 "Why so long?": a why with only a word on how much the answer was)
_WHY_ONLY = re.compile(r"^(?:(?:それ|これ|そこ)(?:は|って)?、?|で、?|じゃあ、?)?(?:なぜ|なんで|どうして)"
                       r"(?:(?:そんなに|こんなに)[一-龥ぁ-ん]{1,4}?)?(?:なの|ですか|でしょうか?|か|の|んですか|んだ)?"
                       r"[？?！!。]*$|^(?:and\s+|but\s+)?(?:why|how come)(?:\s+(?:is|was)\s+(?:that|it))?(?:\s+so(?:\s+[a-z]+)?)?"
                       r"\s*[?？!.]*$", re.I)
# a follow-up that only asks for detail (「具体的には？」「詳しくは？」 "Specifically?" "Like what?"): how the last turn's
# answer is carried out
_DETAIL_ONLY = re.compile(r"^(?:(?:それ|これ)(?:は|って)?、?|で、?|じゃあ、?)?(?:具体的に(?:は|いうと|言うと)?|詳しく(?:は|いうと|言うと)?"
                          r"|例えば)(?:どう(?:いう(?:こと)?)?|どんな(?:こと)?|何)?(?:ですか|なの)?[？?。]*$"
                          r"|^(?:(?:それ|これ)(?:は|って)?、?|で、?|じゃあ、?)?(?:どうやって|どのようにして|どのように)"
                          r"(?:(?:やって|して)?(?:いる|る|います)?(?:の|んですか|ですか)?)?[？?。]*$"
                          r"|^(?:and\s+)?(?:specifically|like what|for example|such as|in what way|how exactly|in detail|"
                          r"what exactly|(?:can you )?be more specific|how so)\s*[?？.!]*$"
                          r"|^(?:and\s+|so\s+)?how\s+(?:(?:do|does|did|would|will|can)\s+(?:they|it|you|the\s+city)\s+"
                          r"(?:do|achieve|manage|handle|ensure|carry\s+out|go\s+about)|(?:is|was|are)\s+(?:that|it|this)\s+"
                          r"(?:done|achieved|carried\s+out|handled|ensured|managed))(?:\s+(?:that|it|this|so))?\s*[?？.!]*$", re.I)
# a follow-up naming only a thing the glossary knows ("And virus checks?", 「アクセスログは？」) after a question asking
# a kind of value: that kind of value of the thing, asked in words that ask for the kind and no more (the last
# question's own words would keep its topic: "And the subcontractor?" after "Who is the contractor?" found the
# contractor again). "When" is left out: it asks about an event as often as a date.
_KIND_ASKED = {"frequency": ("頻度は？", "How often:"), "duration": ("期間は？", "How long:"),
               "people": ("人数は？", "How many people:"), "org": ("担当は誰？", "Who:"), "reason": ("理由は？", "Why:")}
_NOUN = r"[一-龥ァ-ヶーA-Za-z0-9・]"  # a character of a noun (kanji, katakana, letters)
_EVERY_FILE = "特定個人情報ファイル"  # the form's name for all its files: names none of them
_PUNCT = re.compile(r"[\s、。？?！!]")
SHORT_JA = 12  # characters: a Japanese turn this short is a follow-up rather than a question of its own
SHORT_EN = 4  # words, likewise for English


# words that frame a follow-up without asking anything: a request to be told ("Tell me more about Kanazawa.",
# 「金沢市について詳しく教えて」) and the same question again ("Same for Chiba?", "Is it the same in Kochi?",
# 「千葉市も同じ？」「千葉市の場合はどうなってる？」)
_FRAME = re.compile(r"^\s*(?:please\s+)?(?:(?:tell|show|give)\s+me\s+)?(?:more\s+|the\s+details?\s+)?(?:about|on|for|of)\s+"
                    r"|\b(?:please|in (?:more )?detail)\b"
                    r"|\b(?:is|was|does|do)\s+(?:it|that|this)\s+(?:the\s+)?same\b|\b(?:the\s+)?same(?:\s+(?:question|thing))?\b"
                    r"|\b(?:likewise|as well|too|then|case)\b"
                    r"|(?:について|の(?:こと|詳細))?(?:も(?:う少し|っと))?(?:詳しく|くわしく)?(?:教えて|知りたい|聞きたい)(?:ください|下さい|ほしい)?"
                    r"|(?:について)?も同じ(?:こと|質問)?|同じ(?:こと|質問)(?:を|で)?|同様|の場合|"
                    r"どう(?:なって(?:る|います|いる)|なの|ですか|でしょう)"
                    # a light verb whose object points back ("How does Koriyama handle that?", 「郡山市はどうしてる？」):
                    # the last question asked again, nothing of its own
                    r"|\bhow\s+(?:does|do|did|is|are|would|will)\b(?:\s+\S+){0,3}?\s+(?:handle|deal\s+with|do|manage|"
                    r"approach|treat|address)\s+(?:that|it|this|them|those|these)\b"
                    r"|どう(?:し|やっ|対応し|扱っ)て(?:る|いる|います|ますか)", re.I)


_COUNTED = re.compile(rf"^[0-9{KANJI_DIGITS}]+\s*")  # the number of an ordinal, its counter kept
# a follow-up that only moves to another of the rows counted in the last question: 「3つ目は？」 "And the third?"
_BARE_ORDINAL = re.compile(r"^(?:じゃあ|では|で|and\s+|what about\s+|how about\s+)?(?:the\s+)?"
                           rf"(?:(?P<ja>\d{{1,2}}|[{KANJI_DIGITS}])\s*"
                           r"(?:つ目|番目|個目|件目)(?:の(?:もの|やつ|ファイル))?(?:は|って|だと)?|(?P<en>" + "|".join(EN_ORDINALS)
                           + r")(?:\s+(?:one|file|item))?)\s*[?？。.]*$", re.I)
# … and the count it replaces in the last question: an ordinal, or a file's number with its name
_PREV_ORDINAL = re.compile(rf"(?:\d{{1,2}}|[{KANJI_DIGITS}])\s*(?:つ目|番目|個目|件目)|\b(?:" + "|".join(EN_ORDINALS) + r")\b"
                           r"|[(（]\s*\d{1,2}\s*[)）]\s*[一-龥ァ-ヶー]*ファイル", re.I)


# a discourse marker opening a turn: it moves the conversation to another topic ("Switching topics —", "Different
# question:", "By the way,", 「話は変わるけど、」「ところで、」) and asks nothing; its words are no part of the question
_DISCOURSE = re.compile(r"^\s*(?:(?:ok(?:ay)?|so|and|well)[,.]?\s+)?(?:switching (?:topics?|gears|subjects?)"
                        r"|(?:a |on a |one )?(?:different|another|new|separate|other) (?:question|topic|subject|thing)"
                        r"|changing (?:the )?(?:topic|subject)|(?:on )?(?:a|an) unrelated (?:note|question)"
                        r"|by the way|one more (?:thing|question))\s*(?:—|–|--|-|:|,|\.)\s*"
                        r"|^\s*(?:ちょっと|あと、?)?話(?:は|が)?(?:変わ(?:る|ります|って|りますが|るんだけど|るんですが)"
                        r"(?:けど|けれど|けれども|が)?|を変え(?:て|ます|ますが))[、,。]?\s*"
                        r"|^\s*(?:ところで|それはそうと|さて)[、,]\s*", re.I)


def without_discourse(question: str) -> str:
    """The question without a discourse marker that opens it (the marker only: "Switching topics — where is their
    server kept?" -> "where is their server kept?"); the question itself when none does, or nothing else is left."""
    rest = _DISCOURSE.sub("", question, count=1)
    return rest if rest.strip() and rest != question else question


# an ordinal whose noun is left out (「二件目のほうは？」, "And the second one?"): the noun is the last answer's item's
_HEADLESS_ORDINAL = re.compile(rf"(?P<ja>\d{{1,2}}|[{KANJI_DIGITS}])\s*(?:つ目|番目|件目)(?!\s*の?\s*(?:委託|提供|移転|システム"
                               r"|ファイル|特定個人情報))|\bthe\s+(?P<en>" + "|".join(EN_ORDINALS) + r")\s+(?:one|entry|item)\b",
                               re.I)


def headless_ordinal(question: str) -> int | None:
    """The number of an ordinal naming no noun of its own (「二件目のほうは？」 -> 2, "the third one" -> 3), which counts
    the items of the kind the last answer spoke of; None when there is none."""
    m = _HEADLESS_ORDINAL.search(nfkc(question))
    return numeral(m.group("ja") or m.group("en")) if m else None


def _moved_ordinal(question: str, prev_q: str) -> str | None:
    """The last question with its ordinal (or file number) moved to the one this follow-up names; None when this
    is no bare ordinal or the last question counted nothing."""
    m = _BARE_ORDINAL.match(question.strip())
    p = _PREV_ORDINAL.search(prev_q)
    if m is None or p is None:
        return None
    n = numeral(m.group("ja") or m.group("en")) or 1  # (the pattern admits numerals only)
    old = p.group(0)
    if old.lower() in EN_ORDINALS:
        new = EN_ORDINALS[n - 1] if n <= len(EN_ORDINALS) else f"{n}th"
    elif "ファイル" in old and old.lstrip()[0] in "(（":
        new = f"({n})のファイル"
    else:
        new = str(n) + _COUNTED.sub("", old)  # 2つ目 -> 3つ目, 1番目 -> 3番目
    return prev_q[:p.start()] + new + prev_q[p.end():]


def _short(question: str) -> bool:
    """A few words: a follow-up rather than a question of its own (a request frame, "tell me about", aside)."""
    question = _FRAME.sub(" ", question).strip()
    if JAPANESE.search(question):
        return len(_PUNCT.sub("", question)) <= SHORT_JA
    return len(question.split()) <= SHORT_EN


def effective(turn: Turn) -> str:
    """What the earlier turn asked, after its own follow-up resolution (Answer.question)."""
    question, answer = turn
    return answer.question or question


def aggregate_city(question: str, history: Sequence[Turn], understander: Understander,
                   has_target: Callable[[str], bool]) -> str | None:
    """The city a follow-up asks about after a which-cities answer ("千葉市は？", "What about Kanazawa?")."""
    if not history or not history[-1][1].kind.startswith("aggregate"):
        return None
    cities = understander.cities_in(question)
    if len(cities) != 1 or not _short(_ANAPHORA.sub("", question.strip())) or has_target(_FRAME.sub(" ", question)):
        return None
    return cities[0]


# a Japanese question asking for the places where a predicate holds, not naming them cities: 「第三者点検まで受けている
# のはどこ？」「30万人未満のところは？」「チェックリスト使ってるとこは？」 (the predicate ends on a verb, an adjective or a
# bound: る, た, い, だ, 未満, 以上, 以下)
_BOUNDS = ("未満", "以上", "以下", "超")
_PLACES_ASKED_JA = re.compile(r"^(?P<body>.*?(?:[るたいだ]|" + "|".join(_BOUNDS) + r"))(?P<noun>の?ところ|の?とこ|の)"
                              r"(?:は|って)[、,]?\s*(?:どこ|どちら|どっち|どれ)?(?:ですか|でしょうか|なの|かな|か)?[?？。]*$")


def places_asked(question: str, history: Sequence[Turn]) -> str | None:
    """A Japanese question asking for the places where something holds, without naming them cities: 「「定められて
    いない」って書いてるとこは？」 (ところ, とこ: the places), or, after an answer naming cities one by one, 「第三者点検
    まで受けているのはどこ？」 (の: the ones; elsewhere it asks where a thing is): the same as a which-cities question
    (「…受けている市はどこ？」); None for any other question, and when it opens by narrowing (`subset_of`)."""
    if _SUBSET.search(question) or (m := _PLACES_ASKED_JA.match(question.strip())) is None:
        return None
    if m.group("noun") == "の" and not (history and history[-1][1].kind.startswith(_CITIES_ANSWERED)):
        return None
    body = m.group("body").strip()
    return f"{body}{'の' if body.endswith(_BOUNDS) else ''}市はどこ？"  # 「30万人未満の市」: a bound modifies by の


def subset_of(question: str, history: Sequence[Turn]) -> str | None:
    """The previous which-cities question when this one narrows it ("そのうち全項目評価書はどれ？")."""
    if not history or not history[-1][1].kind.startswith("aggregate") or not _SUBSET.search(question):
        return None
    return effective(history[-1])


EACH_CITY = "each-city"  # the kind of a follow-up answered for each city a which-cities answer or listing named
ALIKE = "aggregate-alike"  # the kind of a which-cities answer comparing cities with what one answer stated
# the kinds of answer naming cities one by one: a which-cities answer, a city's row of it, each city's answer
_CITIES_ANSWERED = ("aggregate", ALIKE, EACH_CITY, "list")


def each_city(question: str, history: Sequence[Turn], understander: Understander) -> tuple[str, ...]:
    """The cities a follow-up that names none asks about one by one ("Who takes care of that?" after "2 of 5
    cities match: 郡山市, 高知市"): those the last which-cities answer named, or the last listing or per-city
    answer stated, when there are two or more; () when it names a city, narrows the which-cities question, is
    one itself, or leaves the corpus (a place or 事務 of no assessment)."""
    if not history:
        return ()
    previous = anchor(history, understander)[1]
    if previous.kind not in ("aggregate", ALIKE, "list", EACH_CITY) or not previous.cities:
        return ()
    if understander.cities_in(question) or subset_of(question, history) is not None:
        return ()
    own = understander.understand(question)
    if own.aggregate or own.listing is not None or own.unknown_places or own.unknown_jimu:
        return ()
    return previous.cities


def topic_of(turn: Turn, understander: Understander) -> str:
    """What an earlier which-cities turn asked about: its condition's requirements (the negated ones name what
    the cities lack, no topic of theirs); of a listing, what it listed; of a per-city answer, the question it
    answered."""
    if turn[1].kind == EACH_CITY:
        return effective(turn)
    query = understander.understand(effective(turn))
    if turn[1].kind == "list":
        return query.listing.target if query.listing is not None else effective(turn)
    return "; ".join(a.text for a in query.condition.atoms if not a.negated)


def about(question: str, topic: str) -> str:
    """A follow-up put with the topic it goes on about, in its own grammar (what a per-city answer says it
    answered)."""
    if not topic:
        return question
    return f"{topic}について、{question}" if grammar_of(question, language(question)) == "ja" else f"{question} ({topic})"


def city_turn(turn: Turn, city: str, topic: str) -> Turn:
    """An earlier which-cities turn as one city's own turn: the topic asked of that city, answered by its row of
    that city, quoted with its citation (what a follow-up pointing back, "those records", points at). A follow-up
    builds on it as on any turn: "Why?" asks the reason for the topic there, "How often?" its frequency, a question
    with words of its own is asked of the city as it is."""
    _question, answer = turn
    row = next((r for r in answer.rows if r.city == city), None)
    cited = (answer.citations[row.citation],) if row is not None and row.citation is not None \
        and row.citation < len(answer.citations) else ()
    asked = f"{city}：{topic}" if topic else city
    if row is not None and row.field is not None:  # a form row decided it: the city's answer stated that row
        return asked, Answer(asked, row.value, cited, cities=(city,), kind="field", field=row.field,
                             fields=(row.field,))
    return asked, Answer(asked, row.value if row is not None else "", cited, cities=(city,), kind="describe")


def narrowed(question: str) -> str:
    """The question without its "of those / そのうち" opener."""
    return _SUBSET.sub("", question).strip()


def _swap_city(text: str, old: Sequence[str], new: str, understander: Understander) -> str:
    """The text with the old cities (Japanese or romanised) replaced by the new one."""
    english = reply_language(text) == "en"  # by its grammar: English with a Japanese name in it is English
    for o in old:
        text = understander.drop_jimu_en(text, o, new) if english else understander.swap_jimu(text, o, new)
        text = text.replace(o, new).replace(o.rstrip("市"), new.rstrip("市"))
        name = understander.romaji_name(o)
        if name:
            repl = understander.romaji_name(new) if english else new
            text = re.sub(rf"\b{re.escape(name)}(\s+[Cc]ity)?\b", repl or new, text, flags=re.I)
    return text


def rewrite(question: str, history: Sequence[Turn], understander: Understander,
            has_target: Callable[[str], bool], target_of: Callable[[Answer], str | None]) -> str:
    """The follow-up as a full question (unchanged when it stands on its own)."""
    if not history or understander.understand(question).aggregate:
        return question
    turn = anchor(history, understander)
    prev_q, prev_a = effective(turn), turn[1]
    body = _ANAPHORA.sub("", question.strip()).strip()
    new_cities = understander.cities_in(question)
    japanese = grammar_of(question, language(question)) == "ja"
    if _WHY_ONLY.match(question.strip()):  # 「それはなぜ？」, "Why?": the reason for what the last turn answered
        return _why(prev_q, prev_a)
    if _DETAIL_ONLY.match(question.strip()):  # 「具体的には？」: how what the last turn answered is done
        return f"{prev_q.rstrip('？?。 ')}。具体的にはどのように？" if japanese else f"{prev_q.rstrip('？?。 ')}? How exactly?"
    if not new_cities and (moved := _moved_ordinal(question, prev_q)) is not None:
        return moved  # 「3つ目は？」 after a question about the second file: the same question about the third
    if not new_cities and expected_type(body) is not None and not has_target(without_type_words(body)):
        # 「頻度は？」「いつから？」 "How often?" "How many people?", "How often do they have to take it?": that kind of
        # value of what the last turn asked about (nothing else asked, however many words)
        return f"{prev_q.rstrip('？?。 ')}。{body}" if japanese else f"{prev_q.rstrip('？?。 ')}? {body}"
    rest = _without_qualifiers(body)  # "高知市の住民基本台帳ファイルはどれくらい？": a city and a file, nothing asked
    # a city and nothing asked: few words, or words pointing back ("Does Koriyama have something like that?")
    if new_cities and (_short(rest) or points_back(rest)) and not has_target(_FRAME.sub(" ", rest)):
        target = target_of(prev_a)
        if _names_qualifier(body) and target:
            qualifier = _qualifiers(body)
            return (f"{new_cities[0]}の{qualifier}の{target}は？" if japanese
                    else f"{target} of {qualifier} ({new_cities[0]})")
        old = understander.cities_in(prev_q)
        if not old:
            return f"{new_cities[0]}の" + prev_q
        return _swap_city(prev_q, old, new_cities[0], understander)
    if new_cities:
        return question
    row_city = [prev_a.rows[0].city] if prev_a.kind == "aggregate-row" and prev_a.rows else []
    cities = list(prev_a.cities) or row_city or understander.cities_in(prev_q)
    if len(cities) != 1 or not _continues(question, cities[0], understander):
        return question
    city = cities[0]
    target = target_of(prev_a)
    if _names_qualifier(body) and not has_target(_without_qualifiers(body)) and target:
        qualifier = _qualifiers(body)
        return f"{city}の{qualifier}の{target}は？" if japanese else f"{target} of {qualifier} ({city})"
    topic = _topic_only(question, body)
    if topic is not None and expand(topic) and (kind := _thread_kind(history, turn, has_target)) in _KIND_ASKED \
            and expected_type(topic) is None:  # 「アクセスログは？」 after a how long: the access logs' period
        ja_words, en_words = _KIND_ASKED[kind]
        return f"{city}の{topic}の{ja_words}" if japanese else f"{en_words} {topic} ({city})?"
    if topic is not None and not expand(topic):
        # 「非正規の職員は？」 after a question about 正規の職員: the same question about another thing of the city
        if japanese and (contrasted := _contrasted(topic, prev_q)) is not None:
            return contrasted  # 「非正規の職員は？」 after 「正規の職員の権限は…」: the other 職員, the same question
        return f"{topic}について、{prev_q}" if japanese else f"{prev_q} ({topic})"
    carried = _carried_qualifier(question, body, prev_q, japanese, _scoped(understander, city))
    if japanese:
        return f"{city}の{carried}について、{body}" if carried else f"{city}の{body}"
    return f"{body} ({city}, {carried})" if carried else f"{body} ({city})"


def _thread_kind(history: Sequence[Turn], turn: Turn, has_target: Callable[[str], bool]) -> str | None:
    """The kind of value the thread asks: the anchor turn's, unless that turn only asked why of the answer before it
    ("How long …?" "Why that long?" "And the access logs?": how long the access logs are kept, not why)."""
    kind = expected_type(effective(turn))
    if kind != REASON or has_target(without_type_words(turn[0])):
        return kind
    place = next((i for i in range(len(history) - 1, -1, -1) if history[i] is turn), 0)
    return expected_type(effective(history[place - 1])) if place > 0 else kind


def _why(prev_q: str, prev_a: Answer) -> str:
    """The reason for the last answer: of the row it stated (its city, file and label: the form gives a row's
    reason in the row named after it, 保管期間の妥当性), else of the question it answered, in that question's
    grammar (the reply keeps the user's language)."""
    if (f := prev_a.field) is not None:
        return f"{f.city}の{f.file_name + 'の' if f.file_name else ''}{f.label}の理由は？"
    if reply_language(prev_q) == "ja":
        return f"{prev_q.rstrip('？?。 ')}。その理由は？"
    return f"{prev_q.rstrip('? ')}? Why?"


def anchor(history: Sequence[Turn], understander: Understander) -> Turn:
    """The turn a follow-up builds on: the last one that was not a refusal about no city (a greeting, off-topic
    text, a question piaqa could not place): such a turn does not end the conversation's city."""
    for turn in reversed(history):
        if turn[1].kind != "abstain" or turn[1].cities or understander.cities_in(effective(turn)):
            return turn
    return history[-1]


# a demonstrative before a noun: what the last answer spoke of (「その記録」, "those daily copies"); not 「その他」
# ("other"), nor "that" opening a clause ("says that it …"), nor a file (「そのファイル」 "that file": a file is a
# qualifier, carried as one)
_DEMONSTRATIVE = re.compile(r"(?:その|この|あの|それらの|これらの)(?!他|ほか|うち|中|ファイル)[一-龥ァ-ヶー]"
                            r"|\b(?:those|these|that|this)\s+(?!(?:it|they|he|she|we|you|is|was|are|were|the|a|an|"
                            r"city|cities|files?|has|have|does|do|did|can|will|would|should|must)\b)[a-z]", re.I)


def answered_item(answer: Answer) -> Field | None:
    """A row of the one item (委託事項2, 提供先1) whose rows a field answer stated, or whose row it found left blank
    ("how often does that go?" of 移転先2: 'not stated'; "What's the legal basis for that one?" asks of 移転先2 still),
    else None."""
    rows = answer.fields or ((answer.field,) if answer.field else ())
    if answer.kind not in ("field", "blank") or not rows or len({(f.doc, f.file_name, f.item) for f in rows}) != 1:
        return None
    return rows[0] if rows[0].item else None


def names_answered(question: str) -> bool:
    """Whether a follow-up points with a demonstrative at something the last answer spoke of ("How long are those
    records kept?", 「その研修の内容は？」)."""
    return bool(_DEMONSTRATIVE.search(question))


# what makes English text a question or a request: a question mark, an interrogative, an auxiliary opening a clause,
# a verb of asking to be told
_ASKS_EN = re.compile(r"[?？]|\b(?:what|which|who|whom|whose|when|where|why|how|tell|show|give|list|explain|describe"
                      r"|compare)\b|(?:^|[,;:—–-]\s*)(?:do|does|did|is|are|was|were|can|could|will|would|should|has|have"
                      r"|had|must|may)\b", re.I)


def only_remarks(question: str) -> bool:
    """Whether English text asks nothing: no question mark, interrogative, opening auxiliary or request ("Got it.",
    "I see that.", "Makes sense."); an acknowledgement, however it points back."""
    q = question.strip()
    return not JAPANESE.search(q) and not _ASKS_EN.search(q)


# thanks (answered "You're welcome")
_THANKS_WORDS = r"\b(?:thanks?|thank\s+you|thx|appreciated?|cheers)\b|ありがと|有難う|有り難う|助かり|助かる|どうも"
_THANKS = re.compile(_THANKS_WORDS, re.I)
# courtesies closing or acknowledging a turn (thanks, "got it", "that's all I needed", 「了解です」「助かりました」): a
# closed class; text holding one and asking nothing is small talk, whatever corpus words it holds ("needed", 十分)
_COURTESY = re.compile(_THANKS_WORDS + r"|\b(?:got\s+it|understood|makes\s+sense|noted|perfect|great|excellent|awesome"
                       r"|helpful|that\s+helps|(?:that|this)(?:'s|\s+is|\s+was)\s+(?:all|it|everything|enough|clear))\b"
                       r"|了解|承知|わかりました|分かりました|なるほど|お疲れ", re.I)
# what makes Japanese text ask: a question mark, a final か, a request (教えて, ください, 知りたい, お願い)
_ASKS_JA = re.compile(r"[?？]|か[。．.!！\s]*$|教えて|ください|下さい|知りたい|聞きたい|ほしい|欲しい|見せて|お願い")


def courtesy_only(question: str) -> bool:
    """Whether a turn only thanks or acknowledges ("Great, that's everything I needed. Thanks!", 「了解です。それで十分
    です。」): it holds a courtesy and, without it, asks nothing (English: only_remarks; Japanese: no question mark,
    final か, request or interrogative)."""
    q = question.strip()
    if not _COURTESY.search(q):
        return False
    rest = _COURTESY.sub(" ", q)
    if JAPANESE.search(q):
        return not _ASKS_JA.search(rest) and not INTERROGATIVE_JA.search(rest)
    return only_remarks(rest)


def thanks(question: str) -> bool:
    """Whether a turn thanks (see courtesy_only)."""
    return bool(_THANKS.search(question))


def only_detail(question: str) -> bool:
    """Whether a follow-up only asks for detail of the last answer: how it is done (「具体的には？」 "How so?")."""
    return bool(_DETAIL_ONLY.match(question.strip()))


def only_why_or_detail(question: str) -> bool:
    """Whether a follow-up only asks why or for detail of the last answer (「それはなぜ？」, "How so?")."""
    q = question.strip()
    return bool(_WHY_ONLY.match(q) or _DETAIL_ONLY.match(q))


def points_back(question: str) -> bool:
    """Whether a question opens with or holds a word pointing back at the conversation ("そこは…", "その…",
    "its …"), only asks why (「どうして？」) or for detail, or asks for a kind of value (「誰がやるの？」): a follow-up
    by its grammar, whatever words of the corpus it holds."""
    q = question.strip()
    return bool(_ANAPHORA.match(q) or _POINTS_BACK.search(q) or _WHY_ONLY.match(q) or _DETAIL_ONLY.match(q)
                or expected_type(q) is not None  # 「誰がやるの？」 asks for a kind of value: a question, no small talk
                or (JAPANESE.search(q) and INTERROGATIVE_JA.search(q)))  # 「どこに送ってるの？」 likewise


def _topic_only(question: str, body: str) -> str | None:
    """The noun phrase of a follow-up that names a thing and asks nothing else: 「非正規の職員は？」, 「住民記録システム
    の契約のほうは？」, "What about the paper forms?"; None when it asks something of its own or points back (「その
    再委託先は？」 names a new target of the previous thing)."""
    if _POINTS_BACK.search(question):
        return None
    if m := _TOPIC_JA.match(body):
        return m.group(1)
    if (m := _TOPIC_EN.match(question.strip())) and len((topic := m.group(1) or m.group(2)).split()) <= SHORT_EN:
        return topic
    return None


def _contrasted(topic: str, prev_q: str) -> str | None:
    """The previous question with its noun phrase of the topic's head noun put as the topic (「正規の職員」 ->
    「非正規の職員」); None when the previous question has no such phrase."""
    head = re.split(r"[のとや]", topic)[-1]
    m = re.search(rf"(?:{_NOUN}+の)?{_NOUN}*?{re.escape(head)}", prev_q)
    if m is None or m.group(0) == topic:
        return None
    return prev_q[:m.start()] + topic + prev_q[m.end():]


def _qualifiers(text: str) -> str:
    """The files and items a text names (by number, name or ordinal), space-joined."""
    return " ".join(m.group(0) for p in (_QUALIFIER, ORDINAL) for m in p.finditer(text))


def _names_qualifier(text: str) -> bool:
    """Whether a text names a file or an item (by number, name or ordinal)."""
    return bool(_QUALIFIER.search(text) or ORDINAL.search(text))


def _without_qualifiers(text: str) -> str:
    """The text with its files and items taken out: what is left says whether it asks for something new."""
    return _QUALIFIER.sub(" ", ORDINAL.sub(" ", text))


def _continues(question: str, city: str, understander: Understander) -> bool:
    """Whether a question that names no city goes on about the conversation's city: it does unless it
    names a place outside the corpus or a 事務 that city has no assessment of. A chat user names the
    city once; a later question without one ("監査は誰がするの？") is still about it, short or not."""
    own = understander.understand(question)
    if own.unknown_places or own.unknown_jimu:
        return False
    return not own.docs or any(m.doc in own.docs and m.city == city for m in understander.metas)


def _scoped(understander: Understander, city: str) -> Callable[[str], tuple[str, ...]]:
    """The files a text names, read among the rows of the conversation's city's assessment."""
    docs = [m.doc for m in understander.metas if m.city == city]
    return lambda text: understander.files_named(text, docs)


def _carried_qualifier(question: str, body: str, prev_q: str, japanese: bool,
                       files_named: Callable[[str], tuple[str, ...]]) -> str:
    """What of the previous question's scope this one keeps, when it points back ("そのファイル", "that contract",
    "its contractor") or opens as its continuation ("And when …", 「じゃあ…」) and names no file or item of its own
    (in Japanese, by number or, through the lexicon, in English): pointing back, the files and items the previous
    question wrote out; else its one file by number ("file (2)", 「(2)のファイル」: the number scopes without adding
    the file's words to what is asked, and reaches a file the previous question named in English); ""
    otherwise."""
    points = bool(_POINTS_BACK.search(question))
    names_own = _NAMED_QUALIFIER.search(body) or ORDINAL.search(body) or files_named(question)  # not bare ファイル
    if not (points or _ANAPHORA.match(question.strip())) or names_own:
        return ""
    named = [m.group(0) for m in _NAMED_QUALIFIER.finditer(prev_q) if not m.group(0).endswith(_EVERY_FILE)]
    if points and named:  # the files and items the previous question named, as it named them
        return " ".join(dict.fromkeys(named))
    files = {compact(f): f for f in files_named(prev_q)}  # one file, however its sections space its name
    number = re.match(r"^\((\d{1,2})\)", nfkc(next(iter(files.values())))) if len(files) == 1 else None
    if number is None:
        return ""
    return f"({number.group(1)})のファイル" if japanese else f"file ({number.group(1)})"


# a question asking which cities share what the last answer stated, by a phrase standing for it ("the same company",
# "that long", "do that", 同じ区分, 同様に, そういう), or by "too" / 「も」 when it says nothing else
_SAME = re.compile(r"\b(?:the\s+)?same(?:\s+(?!as\b)[a-z-]+)?\b|\bthat\s+(?:long|many|much|often|way|one)\b"
                   r"|\b(?:do|does|did|doing)\s+(?:that|so|this|the\s+same)\b|\blikewise\b|\bsimilar(?:ly)?\b"
                   r"|\b(?:that|this|it|those)\b|同じ[一-龥ァ-ヶー]*|同様[一-龥ァ-ヶー]*|おなじ|そう(?:いう|して|なって|する|してる)"
                   r"|そのような|そんな|それと", re.I)
_TOO = re.compile(r"\b(?:too|also|as\s+well)\b|も(?=[、,]?\s*(?:同じ|ある|いる|そう|[?？]|$))", re.I)
# words asking for others (left out of what the question asks of its own: "who else", ほかに, 他の)
_OTHER = re.compile(r"\b(?:else|other|others)\b|ほか|他(?:に|の|で|は|も)|以外", re.I)
# … asking for cities other than the one talked about ("who else", "other cities", 「ほかに」, 「他の市」)
_OTHER_CITIES = re.compile(r"\b(?:who|anyone|anybody|any\s*one|anywhere|where)\s+else\b|\bany\s+others\b"
                           r"|\bother\s+(?:cit(?:y|ies)|municipalit\w*|ones)\b"
                           r"|(?:ほか|他)(?:に|にも|の(?:市|自治体|団体|ところ))", re.I)
_CITIES_ASKED_EN = re.compile(r"\b(?:who|anyone|anybody|any\s*one|anywhere|where)\s+else\b"
                              r"|\bany\s+(?:other\s+)?(?:cit(?:y|ies)|municipalit\w*|ones?)\b|\bany\s+others\b"
                              r"|\b(?:which|what)\s+(?:other\s+)?(?:cit(?:y|ies)|municipalit\w*|ones|others)\b", re.I)
# (a Japanese one names the cities or asks where: 「ほかに同じことをしている市は？」「他にどこかある？」, not 「他にもある？」,
# which asks for more of what the last answer stated)
_CITIES_ASKED = re.compile(_CITIES_ASKED_EN.pattern
                           + r"|(?:ほか|他)(?:に|にも|の)(?:[^?？]{0,12}?(?:市|自治体|ところ|団体)[^?？]{0,12}(?:ある|いる|どこ|は[?？])"
                           r"|[^?？]{0,6}どこ)", re.I)


@dataclass(frozen=True)
class AlikeAsk:
    """A question asking which cities share what the last answer stated (see `asks_alike`)."""

    exclusive: bool  # "other", "else", ほか: the city the last answer was about is not among those asked for
    rest: str  # the question without the phrases pointing back and asking for other cities


def asks_alike(question: str, understander: Understander) -> AlikeAsk | None:
    """The question read as asking which (other) cities share what the last answer stated ("Which other cities do
    that too?", "Does anyone else use the same company?", 「同じ区分の市はほかにある？」); None when it names a city or
    does not ask for cities, or states a condition of its own (then it is a which-cities question like any other)."""
    q = nfkc(question).strip()
    if not (_SAME.search(q) or _TOO.search(q)):  # nothing points back: no understanding pass spent on it
        return None
    if understander.cities_in(q) or not (understander.understand(q).aggregate or _CITIES_ASKED.search(q)):
        return None
    rest = _OTHER.sub(" ", _CITIES_ASKED_EN.sub(" ", q))
    if not (_SAME.search(rest) or _TOO.search(rest)):
        return None
    rest = _TOO.sub(" ", _SAME.sub(" ", rest))
    return AlikeAsk(asks_others(q), re.sub(r"\s+", " ", rest).strip())


def asks_others(question: str) -> bool:
    """Whether a which-cities question asks for cities other than the one the conversation was about ("Which other
    cities …", "who else", 「ほかに…市は」, 「他の市」; not "a company other than …" or 「富士通以外」)."""
    return bool(_OTHER_CITIES.search(nfkc(question)))


# a follow-up asking for more of what the conversation has been quoting: "Anything else?", "What else do they do?",
# "Tell me more.", "Is that all?", "Is there more?", "Any other measures?", "And besides that?", 「他には？」「ほかに何か
# ある？」「それだけですか」「もっと教えて」 …
_MORE = re.compile(r"\b(?:any|some|no|what)\s*thing\s+(?:else|more|further|additional)\b|\bwhat\s+(?:else|more)\b"
                   r"|\b(?:tell|show|give)\s+me\s+more\b|\bmore\s+(?:details?|info\w*)\b|^\s*(?:and\s+)?(?:any\s*)?more\b"
                   r"|\bis\s+there\s+(?:any(?:thing)?\s+)?more\b|\bany\s*more\s*[?？.]*$"
                   r"|\bis\s+(?:that|this)\s+(?:all|it|everything)\b|\b(?:that'?s|that\s+is)\s+(?:all|it)\s*[?？]"
                   r"|\b(?:any|what|which)\s+other\b|\bother\s+than\s+(?:that|this|it)\b"
                   r"|\b(?:besides|beyond|apart\s+from|aside\s+from|in\s+addition\s+to)\s+(?:that|this|it)\b"
                   r"|(?:ほか|他)(?:に|には|にも|は)|それ(?:以外|だけ)|これだけ|もっと|さらに|更に|続き", re.I)
# … which may name, besides, only nouns of no topic of their own (measures, reasons, things; 対策, 理由, こと) and the
# verbs of doing or saying them
_MORE_GENERIC = re.compile(r"\b(?:measures?|steps?|things?|ways?|methods?|means|actions?|points?|reasons?|details?"
                           r"|info\w*|precautions?|safeguards?|do(?:es)?|did|say|says|said|give|gave|mention\w*"
                           r"|state[sd]?|list(?:ed)?|have|has|take|taken?)\b"
                           r"|対策|措置|取り?組み?|こと|もの|方法|手段|理由|内容|記載|何か|なにか|どんな|書いて|して(?:いる|る|います)?"
                           r"|あり(?:ます)?|ある|です|教えて(?:ください)?", re.I)


def asks_more(question: str, understander: Understander, has_target: Callable[[str], bool]) -> bool:
    """Whether a follow-up only asks for more of what the conversation has been quoting (`_MORE`): it names no city,
    asks for no other cities ("Anyone else?" asks which cities), and holds no word of a topic of its own ("What
    other measures protect the server room?" asks about the server room)."""
    q = nfkc(question).strip()
    if not _MORE.search(q) or understander.cities_in(q) or _CITIES_ASKED.search(q):
        return False
    return not has_target(_MORE_GENERIC.sub(" ", _MORE.sub(" ", q)))

