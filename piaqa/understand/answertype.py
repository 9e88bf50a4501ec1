"""What kind of value a question expects (date, duration, phone, organisation, people), and spans of it."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from piaqa.text import nfkc
from piaqa.understand.polar import INTERROGATIVE_JA, without_indefinites

# "when" asks a date as a question word ("When did …", "… held when?"), not as a conjunction ("When Kanazawa
# receives an inquiry, what does it do?"); the glossary reads it the same way
WHEN_DATED = r"\bwhen\s+(?:did|is|was|were|will|would|has|have|had|are)\b|\bwhen\s*[?？]"  # asking a day
WHEN_ASKED = WHEN_DATED + r"|\bwhen\s+(?:does|do)\b"
# … but "when" with a verb in the present ("When do staff get trained?", "When does it send the data?") asks when a
# recurring action happens: its occasion or frequency (着任時及び年1回, 提供依頼がある都度), not a day; so do "at what
# point" and "how soon"; in Japanese いつ with a non-past verb (「いつ受けるの？」「いつ消去することとされていますか」),
# not one in the past (「いつやったの？」「いつ実施されましたか」), nor いつから (a start), いつまで (an end), いつですか (a day),
# nor いつ inside an embedded question in the past (「いつ誰がアクセスしたか分かる」)
RECURRING_WHEN = (r"\bwhen\s+(?:do|does)\b|\bat what (?:point|stage)\b|\bhow soon\b"
                  r"|いつ(?!から|まで|頃?\s*(?:です|でし|だっ|だ|[?？]))(?:(?!た[かのん]|でした|ました)[^。？?])*?"
                  r"(?:[うくつぬぶむぐる]|(?<!で)す|ます)(?:の|ん(?:だ|です)か?|か)?\s*(?:[?？。]|$)")

REASON = "reason"  # the kind of answer a why asks for
TIMING = "timing"  # the kind of answer a recurring "when" asks for: an occasion (配属時, 都度, 不要となった時点) or frequency
PLACE = "place"  # the kind of answer a "where" asks for: a place (サーバ室, 遠隔地, 焼却施設, 市ホームページ)
# 期間 names the period asked (「保存期間は？」) unless a clause says it has run out: 「保存期間を過ぎた申請書はどう廃棄？」
# asks how, after the period
PERIOD_NAMED = r"期間(?!\s*(?:を|が|の)?\s*(?:過ぎ|経過|満了|終了|切れ))"
# how much of a verb of keeping is how long (「どれくらい保存する」「どのくらい置いておく」「どれぐらい残してる」)
HOW_LONG_KEPT_JA = r"(?:どれ|どの)(?:くらい|ぐらい|位)(?:の間)?(?:保存|保管|置い|とって|取って|残|持って|保持)"
NAMED_KINDS = ("org", "phone", "people", "date")  # kinds a value names outright: a body, a number, a count, a day
_EXPECT = [  # the first kind found is the one asked: a reason asked about a period (「その期間の理由は」) is a reason
    # a basis asked (何を根拠に, "on what grounds") is a reason too
    (REASON, re.compile(r"なぜ|なんで|どうして(?!(い|る))|理由|(?:何|なに)を根拠|どういう根拠|\bwhy\b|\bfor what reason\b"
                        r"|\bon what (?:basis|grounds)\b", re.I)),
    # times asked with a counter (何回, 何度), or every how many days …  (何日おき, 何か月ごと)
    ("frequency", re.compile(r"頻度|how often|間隔|何\s*(?:回|度)|何\s*(?:日|週|か月|ヶ月|カ月|年)\s*(?:おき|ごと|毎)|frequen"
                             r"|how many times|how regularly|at what intervals?", re.I)),
    # 何日 counts days (「何日保存」「何日分」「何日くらい」) unless it names a day (「何日に」「何日付」「何月何日」「何日ですか」)
    # a verb of keeping alone asks whether something is kept (「ログを残してる？」「どんな記録を残してるの？」), not how long
    ("duration", re.compile(r"何\s*(?:年|か月|ヶ月|カ月|週間|日間)|(?<!月)何\s*日(?![にのでか付目]|\s*[?？]|\s*$)|"
                            + PERIOD_NAMED + r"|how long"
                            r"|how many (?:years|months|weeks|days)|retention|いつまで|" + HOW_LONG_KEPT_JA, re.I)),
    # when a recurring action happens: its occasion or frequency (RECURRING_WHEN), before a date is read in "when"
    (TIMING, re.compile(RECURRING_WHEN, re.I)),
    ("date", re.compile(r"いつ(?!まで)|何日|日付|年月日|" + WHEN_ASKED + r"|what date|which date|on what day", re.I)),
    # English words whole: "call" is inside "physically", "specifically", "automatically"
    ("phone", re.compile(r"電話|\b(?:tele)?phones?\b|\btel\b|\bcall(?:s|ed|ing)?\b", re.I)),
    # … also of a body's people ("how many of their staff", "how many of the contractor's workers")
    ("people", re.compile(r"何人|人数|how many (?:of (?:their|its|the|our|your|[a-z]+'s?) (?:[a-z]+(?:'s)? )?)?"
                          r"(people|staff|persons|employees|users|workers|members|personnel)", re.I)),
    # … also where a task is entrusted: a body (「どこに委託してる？」「どこに頼んでる？」; not 「どこに保管」, a place)
    ("org", re.compile(r"誰|どこが|どこの(会社|業者|課|部署)|どの(部署|課|会社|機関|組織|団体)"
                       r"|どこ(?:に|へ)(?:委託|再委託|頼|任せ|依頼|発注|外注|出して)"
                       r"|(会社|業者|事業者|課|部署|機関|団体)(は|って|が)[、,\s]*どこ(?!\s*(?:で(?!す|しょ)|に|へ|から|まで))|\bwho\b|which "
                       r"(body|department|division|company|organi[sz]ation|office|section)", re.I)),
    # where: a place, or the row of the body data comes from or goes to (入手元, 提供先: _LABEL_HINT) (「どこに置いてるの？」
    # 「どこで燃やしてるの？」 "Where do the backups go?" "In which room …"); not where a text says something ("Where
    # does Chiba describe …?")
    (PLACE, re.compile(r"どこ(?:で(?!す|しょ)|に|へ|にて|から)|どんな場所|どの(?:場所|部屋|建物|施設)"
                       # "where" opening the question (or a clause of it: "And where …", "…, where do they …"); not
                       # the relative "where" after a noun ("the data center where Chiba stores …")
                       r"|(?:^|[,，、—–:;]\s*|\b(?:and|so|then|but|also|ok|okay|now)\s+)where\b"
                       r"(?![^?？]*\b(?:stated?|written|describe[sd]?|mention(?:s|ed)?|says?|said)\b)"
                       r"|\bin what (?:location|place)\b|\bwhat kind of (?:place|room|site)\b"
                       r"|\bwhich (?:room|building|floor|site|facility|location|place)\b", re.I)),
]
# a phone asked for is a number (電話番号, "phone number") or asked with a question word ("Who should I call?"); the
# phone as a means (「電話一本で頼める？」, "Can I ask by phone?") asks no number
_ASKS_NUMBER = re.compile(r"番号|何番|number|" + INTERROGATIVE_JA.pattern + r"|\b(?:what|which|who|whom|where|how)\b",
                          re.I)
# a number of times, in figures or in kanji (「四半期に一度」「年1回」「1カ月に1度」; 「2回目」 is a place in a series)
_TIMES = r"(?:\d+|[一二三四五六七八九十]+)\s*(?:回|度)(?!目)"
# a period with ごと, 毎 or おき: once in each such period (「6か月ごと」「週毎」「1日おき」)
_EVERY = r"(?:\d+\s*(?:年|か月|ヶ月|カ月|週間?|日)|[日週月年]|四半期|半期|半年)\s*(?:ごと|毎|おき)"
_SPAN = {
    "frequency": re.compile(r"随時|都度|毎日|毎週|毎月|毎年|日次|週次|月次|年次|回程度|必要に応じ|" + _TIMES + "|"
                            + _EVERY),
    # a number of years, months or days; or no end (永年, 恒久的に, 永久に: kept for good) or none set
    # or until an end (「契約期間満了までの保存」); a count of days right after a count of hours says around the clock
    # (「脅威検出やDDoS対策を24時間365日講じる」), not for how long
    "duration": re.compile(r"(?<!時間)(?<!時間\s)(?<!\d)\d+\s*(?:年|か月|ヶ月|カ月|週間|日)(?:間)?(?:以上|未満|程度)?"
                          r"|永年|恒久|永久|定められていない"
                          r"|(?:満了|終了|完了)(?:時|日)?まで"),
    # an occasion: each time (都度), the point at which (時点, タイミング), at once (直ちに, 速やかに), a noun of an event
    # with 時 (配属時, 着任時及び年1回, 退職時に), or after an event or a number of days (業務終了後に, 30日後までに,
    # 作業終了後失効させる); a timing is stated by a frequency or a date as well (_stated)
    TIMING: re.compile(r"都度|時点|タイミング|直ちに|速やかに|(?<=[一-龥ァ-ヶー])時(?=及び|に|、|や|から|\()"
                       r"|(?<=[一-龥ァ-ヶー0-9])後(?=に|、|,|まで|は|[一-龥]{2}(?:させ|する|して|し[、,]))"),
    # a place: a room (サーバ室, 執務室), a store, a site or building, a floor, a web page or counter, inside or on a
    # database, server or medium (a body named in a measure's prose is no place: 日本年金機構 is where data goes, stated
    # by the 提供先 row, whose label says so, not by the rule row's 「日本年金機構への提供については…」)
    PLACE: re.compile(r"場所|施設|保管庫|倉庫|金庫|キャビネット|ラック|センター|遠隔地|庁舎|建物|区画|フロア|\d+\s*階"
                      r"|(?<=[一-龥ァ-ヶー])(?<![入退])室(?!長)|ホームページ|ウェブサイト|窓口"
                      r"|(?:データベース|サーバー?|媒体|システム)(?:内|上)"),
    "date": re.compile(r"(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}[/-]\d{1,2}[/-]\d{1,2}"),
    "phone": re.compile(r"\d{2,4}\s*-\s*\d{2,4}\s*-\s*\d{3,4}"),
    # people counted with 人 or 名, in figures or as 数名 (several)
    "people": re.compile(r"(?:\d[\d,]*|数)\s*(?:人|名)(?:以上|未満)?"),
    # a ため clause gives the reason wherever it stands: 「…場合が多いため、…保存する。」 as 「…のため。」, a purpose too
    # (「…に対応するために、」「…を防止する観点から」); a necessity stated (「…必要がある。」), not one modifying a noun
    # (「利用する必要がある職員」)
    "reason": re.compile(r"ため(?:に)?(?:[、，,。]|である|$)|観点から|必要がある(?:ため|[、，,。]|$)|理由"),
    # a body by its name, or a post or section by its head noun as the one who acts (情報システム責任者が, 管理者の承認,
    # 担当する部署が; not the place of 「使用部署において」)
    "org": re.compile(r"株式会社|有限会社|法人|審議会|委員会|センター|機構|[課部局室]長?(?:$|[\s、,(（])|市長|知事"
                      r"|(?:部署|責任者|管理者|担当者|所属長|所管課|課)(?=が|は|の(?:承認|許可|確認)|による|により)"),
}


# Asking for a manner (how something is done), not a quantity: どのように, どうやって, どう + verb, いかに, "how"
# not followed by a quantity word (how many / much / long / often / old are value questions).
_MANNER = re.compile(r"どのように|どのよう|どうやって|どうして(い|る)|どう(する|し|さ|なる|なっ|やる|[一-龥ァ-ヶ])|いかに|"
                     r"どんな(対策|措置|方法|手段|仕組み|ルール|手順)|どのような(対策|措置|方法|手段|仕組み|ルール|手順)|"
                     r"\bhow\b(?!\s+(many|much|long|often|old|large|big|soon)\b)|\bin what way|\bwhat (measures|steps|methods?)\b"
                     # what is done: 「向こうは何をするの？」 "What do they do?" asks an action, as a how-question does
                     r"|(何|なに)を(する|して|やる|やって)|\bwhat (do|does|did|will|would|should) [a-z' ]{1,60}? do\b"
                     # what a text says of something asks for the statement, as a how-question does: 「何と書いてある」
                     # 「どう定めている」 "What does the contract say about …?" (not "What does it say?": its content)
                     r"|(何|なに)と(書|記|定|言|うた)|どう(書|記載|定め|規定|うた)"
                     # the method or procedure asked by its noun: 「具体的な制限方法は何ですか」 "what is the procedure"
                     r"|(?:方法|手順|やり方|仕方)(?:は|って|が)\s*(?:何|なに|なん|どう|どんな)"
                     r"|\bwhat (?:is|are|was|were) (?:the|its|their) (?:[a-z-]+ ){0,2}(?:procedures?|methods?|steps)\b"
                     r"|\bwhat (do|does|did) [a-z' -]{1,80}? (say|state|mention|specify|stipulate)s? "
                     r"(about|regarding|concerning|on)\b",
                     re.I)
# A label that names a manner: its value is the method itself (提供方法, 消去手順, 措置の内容 …).
_MANNER_LABEL = re.compile(r"方法|手順|措置|内容|ルール|対策|仕組み")


def asks_manner(question: str) -> bool:
    """Whether the question asks how something is done (a method or measure) rather than for a value."""
    return bool(_MANNER.search(nfkc(question)))


def manner_label(label: str) -> bool:
    """Whether a field's label names a method or measure (its value answers a how-question)."""
    return bool(_MANNER_LABEL.search(label))


# A subordinate clause sets the scene; the main clause asks. English puts the main clause first ("How does X
# get rid of the forms once their retention period has passed?"), Japanese last (「保存期間を過ぎたら、書類は
# どうするの？」): a value word in the subordinate clause is not what is asked.
_SUBORDINATE_EN = re.compile(r"\s(?:once|after|if|before|until|unless|whenever|when)\s", re.I)
_SUBORDINATE_JA = re.compile(r"(?:たら|ったら|れば(?!\s*(?:なら|なり|いけ))|ときは|時は|ときに|場合(?:は|に|には)|際(?:は|に|には)"
                            r"|すると(?=[、,]|[一-龥ァ-ヶー]{1,8}(?:は|が|って))|(?<=[るうくすつぬぶむぐ])と(?=[、,]))[、,]?")
# (a conditional と follows a verb and is followed by a comma, or すると by the topic asked about: 「消去するとして
# いる」 quotes)
# … or English opens with it, up to its comma ("If I ask for my records, does it cost anything?")
_LEADING_SUBORDINATE_EN = re.compile(r"^\s*(?:once|after|if|before|until|unless|whenever|when)\s[^,?]+,\s*(?=\S)", re.I)


# An embedded question (「何年とっておくかは何を根拠に決めてるの？」) is a noun clause ending in か: when the rest
# of the question asks with an interrogative of its own, the rest is what is asked
_EMBEDDED_JA = re.compile(r"(?<=[るたいうくすつむぬぐぶだ])か(?:は|を|が|も|について|[、,])")


def main_clause(question: str) -> str:
    """The part of a question that asks: without a subordinate clause after (English) or before (Japanese) it,
    nor an embedded question before the one asked (Japanese)."""
    q = nfkc(question)
    if (m := _LEADING_SUBORDINATE_EN.match(q)) is not None and not re.match(WHEN_ASKED, q.strip(), re.I):
        return q[m.end():]
    if (m := _SUBORDINATE_EN.search(q)) is not None and m.start() > 0 and not re.search(WHEN_ASKED, q[m.start():]):
        return q[:m.start()]
    parts = _SUBORDINATE_JA.split(q)
    q = parts[-1] if len(parts) > 1 and parts[-1].strip(" ？?。") else q
    embedded = list(_EMBEDDED_JA.finditer(q))
    if embedded and INTERROGATIVE_JA.search(rest := q[embedded[-1].end():]):
        return rest
    return q


# a sentence's end: of several questions in one message, the last that asks for a kind of value is the one asked
# (「…確認している？頻度は？」, "How does X check its logs? How often?")
_SENTENCE_END = re.compile(r"(?<=[。？?！!])\s*")


def expected_type(question: str) -> str | None:
    """The value type the question's main clause asks for, or None (the last sentence that asks for one)."""
    for sentence in reversed([x for x in _SENTENCE_END.split(question) if x.strip()]):
        q = without_indefinites(main_clause(sentence))  # 「誰でも見られるの？」 asks no one's name
        for name, pattern in _EXPECT:
            if pattern.search(q) and (name != "phone" or _ASKS_NUMBER.search(q)):
                return name
    return None


# a number asked with its counter (何回, 何年, 何時間, 何人, "how many years"): answered only by a number with a
# counter, or a period word that is one (毎日, 年次, 四半期); "how often" / 「どのくらい」 ask no number and are
# answered by 随時 or 定期的に as well
_TIMES = r"回|度"  # how many times
_PERIODS = r"日|週|か月|ヶ月|カ月|箇月|年|時間|分|秒"  # how long
_COUNTS = r"人|名|件|枚|台|歳|万|個|つ|箇所|か所"  # how many people or things
_COUNTERS = "|".join((_TIMES, _PERIODS, _COUNTS))
# English units of time: "how many years …" asks a quantity of the action (never an item the form lacks)
TIME_UNITS = ("times", "years", "months", "weeks", "days", "hours", "minutes", "seconds")
_NUMBER_ASKED = re.compile(r"何\s*(?:" + _COUNTERS + r")|\bhow many (?:of (?:their|its|the|our|your|[a-z]+'s?) )?"
                           r"(?:[a-z]+ ){0,3}?(?:" + "|".join(TIME_UNITS) + r"|people|staff|persons"
                           r"|employees|workers|users|members|personnel"
                           # … or of any other things, named in the plural ("how many handovers", "how many cards")
                           r"|(?!(?:does|is|was|has|its|this|his|as|us|yes|less|process|access|address)\b)"
                           r"(?:[a-z]+-)*[a-z]*[^s\W]s)\b", re.I)
_NUMBER = r"(?:\d[\d,.]*|[一二三四五六七八九十百千]+|数)\s*"
_PERIOD_WORDS = r"毎日|毎週|毎月|毎年|[日週月年]次|四半期|半期|半年|永年"  # a number of times or a period in one word
_NUMBER_STATED = re.compile(_NUMBER + r"(?:" + _COUNTERS + r")|" + _PERIOD_WORDS)
# a count of people or things asked (何人, 何件, "how many handovers") is answered by a count, not by a period or a
# number of times: 「記録は7年間保存する」 counts no handover
_COUNT_STATED = re.compile(_NUMBER + r"(?:" + _COUNTS + r")")
_COUNT_ASKED = re.compile(r"何\s*(?:" + _COUNTS + r")|\bhow many\b(?!.*\b(?:" + "|".join(TIME_UNITS) + r")\b)", re.I)


def _clauses_from_last(question: str) -> Iterator[str]:
    """The main clause of each sentence of a question, the last sentence first (the one asked is looked for there)."""
    for sentence in reversed([x for x in _SENTENCE_END.split(question) if x.strip()]):
        yield main_clause(nfkc(sentence))


def asks_number(question: str) -> str | None:
    """The words asking for a number with its counter, in the last sentence that asks for a kind of value (not a
    why: 「何年とっておくかは何を根拠に」 asks the basis); None when none does."""
    for q in _clauses_from_last(question):
        m = _NUMBER_ASKED.search(q)
        if m is None and not any(p.search(q) for _, p in _EXPECT):
            continue
        return m.group(0) if m is not None and not _EXPECT[0][1].search(q) else None
    return None


# a company asked for by its name: 「なんていう会社」「どこの業者」「会社名は？」, "which company", "the vendor's name"
_COMPANY_ASKED = re.compile(
    r"(?:どこの|どの|なんていう|何という|なんという|何て|どういう)\s*(?:会社|業者|事業者|企業|ベンダー|メーカー)"
    r"|(?:会社|業者|企業|ベンダー|メーカー)名?\s*(?:は|って|が)[、,\s]*(?:どこ(?!\s*(?:で(?!す|しょ)|に|へ|から|まで))|誰|何|なに|なん)|会社名"
    r"|\b(?:which|what)\s+(?:[a-z-]+\s+)?(?:company|companies|firms?|vendors?|businesses|manufacturers?|makers?)\b"
    r"|\b(?:company|firm|vendor)(?:'s)?\s+name\b|\bname of the (?:company|firm|vendor|contractor|subcontractor)\b"
    # a thing's maker asked ("the vendor of the antivirus software", 「ウイルス対策ソフトのメーカーは？」)
    r"|\bthe (?:company|firm|vendor|maker|manufacturer|supplier)s? (?:of|behind)\b"
    r"|(?:会社|業者|企業|ベンダー|メーカー)名?\s*(?:は|って)\s*[?？]", re.I)
# a company's name as the assessments write one (富士通Japan株式会社, 株式会社パソナ, …法人)
_COMPANY_STATED = re.compile(r"株式会社|有限会社|合同会社|合資会社|法人|[(（]株[)）]")


def asks_company(question: str) -> bool:
    """Whether the question asks which company (by its name) in the clause that asks; not how one learns it
    (「頼んでる会社がどこなのか、どうやって確かめられる？」) nor why."""
    for q in _clauses_from_last(question):
        if _COMPANY_ASKED.search(q):
            return not _MANNER.search(q) and not _EXPECT[0][1].search(q)
        if INTERROGATIVE_JA.search(q) or any(p.search(q) for _, p in _EXPECT):
            return False  # the last sentence that asks, asks something else
    return False


def states_company(text: str) -> bool:
    """Whether a text names a company (株式会社 …, …法人)."""
    return bool(_COMPANY_STATED.search(nfkc(text)))


def states_number(text: str, asked: str | None = None) -> bool:
    """Whether a text states a number with its counter (年1回, 5年間, 10人未満, 毎日); when the words `asked` ask
    a count of people or things (何件, "how many cards"), a count (10人未満, 3件)."""
    pattern = _COUNT_STATED if asked is not None and _COUNT_ASKED.search(asked) else _NUMBER_STATED
    return bool(pattern.search(nfkc(text)))


def without_type_words(text: str) -> str:
    """The text with the words that ask for a kind of value (頻度, いつ, how often, who …) taken out."""
    for _, pattern in _EXPECT:
        text = pattern.sub(" ", text)
    return text


# "until when" (いつまで) asks where a period ends: a length (5年間) or the event that ends it (「作業終了後失効させる」,
# 「データ連携後に速やかに完全消去する」)
_UNTIL_ASKED = re.compile(r"いつまで|\buntil when\b", re.I)
_END_EVENT = re.compile(r"[一-龥ァ-ヶー]{2,}(?:した|する)?(?:後|まで)|(?:速やか|直ち)に")  # after / until an event, at once


def states_asked(kind: str, question: str, text: str) -> bool:
    """Whether a text states the kind of value the question asks; for "until when", an ending event too."""
    return matches(kind, text) or (kind == "duration" and bool(_UNTIL_ASKED.search(question))
                                   and bool(_END_EVENT.search(nfkc(text))))


def matches(kind: str, value: str) -> bool:
    """Whether a value states something of that kind (a timing: an occasion, a frequency or a date)."""
    return bool(_stated(kind, nfkc(value)))


# a span's edges are clause edges: it opens after a comma, full stop or bullet at most SPAN_LEAD characters before
# what it states (its subject, 「記録は、」, is kept when it stands there) and closes at the clause's end at most
# SPAN_TAIL characters after it (「週1回の全ファイルチェックを実施する」, not 「週1回の全ファイル…」); where no edge is
# that near, the span is cut there. SPAN_TAIL holds the clauses of the form's measures (the predicate after a
# frequency or a period: 「…を実施する」「…保存する」 run 5–20 characters).
SPAN_LEAD = 24
SPAN_TAIL = 30
_CLAUSE_EDGE = re.compile(r"[、。，,；;\n]|\s[・①-⑳]")  # a 中黒 inside a list of terms (消磁・破砕) is no edge


def _stated(kind: str, text: str) -> list[re.Match[str]]:
    """Where a text states something of that kind, in order (a timing: an occasion, a frequency or a date)."""
    kinds = {TIMING: (TIMING, "frequency", "date")}.get(kind, (kind,))
    return sorted((m for k in kinds for m in _SPAN[k].finditer(text)), key=lambda m: m.start())


def _sentence(text: str, m: re.Match[str]) -> slice:
    """The sentence of a text holding a match: from after the 。 before it to the 。 after it (or the text's end)."""
    return slice(text.rfind("。", 0, m.start()) + 1, (text.find("。", m.end()) + 1) or len(text))


def span(kind: str, value: str, weigh: Callable[[str], float] | None = None) -> str | None:
    """The clause of a long value that states something of that kind, with its subject when near: the first, or
    with `weigh` (how much of the question a text covers) the one whose sentence covers the question most (of 「職員
    に対しては、配属時及び年1回…。委託業者に対しては、着任時及び年1回…。」 the contractor's, asked of the contractor)."""
    v = nfkc(value)
    found = _stated(kind, v)
    if not found:
        return None
    if weigh is not None:
        weights = [weigh(v[_sentence(v, m)]) for m in found]
        m = found[weights.index(max(weights))]
    else:
        m = found[0]
    cut = v.rfind("。", 0, m.start())
    if kind == REASON:  # a reason is its whole sentence: the ため clause and what it is the reason for
        whole = _sentence(v, m)
        start, end = whole.start, whole.stop
    else:
        lead = max(cut + 1, m.start() - SPAN_LEAD)
        edge = _CLAUSE_EDGE.search(v, lead, m.start())  # the earliest clause edge in reach: no word cut in two
        start = edge.end() if edge and lead > cut + 1 else lead
        close = _CLAUSE_EDGE.search(v, m.end(), m.end() + SPAN_TAIL + 1)
        end = close.start() + (close.group() == "。") if close else min(len(v), m.end() + SPAN_TAIL)
    text = v[start:end].strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(v) and not text.endswith("。") else "")


_LABEL_HINT = {"frequency": re.compile(r"頻度"), TIMING: re.compile(r"時期|頻度"), PLACE: re.compile(r"場所|先$|元$"),
               "date": re.compile(r"日$|日・期間$"), "duration": re.compile(r"期間"),
               "phone": re.compile(r"連絡先"), "people": re.compile(r"者数|人数|本人の数"),
               "org": re.compile(r"先名$|部署$|請求先$|連絡先$|役職名$"),
               "reason": re.compile(r"妥当性$|理由$|必要性$|用途$|目的$")}


def label_fits(kind: str, label: str) -> bool:
    """Whether a label, whatever its value, is of the kind asked ("時期・頻度" for "how often"); False for a kind no
    label names (a method)."""
    hint = _LABEL_HINT.get(kind)
    return bool(hint and hint.search(label))
