"""The condition of a which-cities question as a small expression tree: AND of OR-groups, NOT over atoms.

Connectives and negation are read as grammar — Japanese conjunctions (かつ, のうち, …ており、),
disjunctions (または, もしくは, あるいは, AかBのどちらか, AとBのいずれか), negative endings (〜ない, 〜していない,
〜なし, AではなくB) and English and / or / either … or / but not / among … that / do not / rather than — never as
copies of a question's wording. An atom is the text of one requirement; which evidence (a form field or a prose
unit) decides it is the answer stage's business.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from piaqa.text import JAPANESE, nfkc
from piaqa.understand import comparative

# the question frame around the condition: "…市はどこですか", "which cities …"
_FRAME_JA = re.compile(r"(市|自治体|団体)(は|を|が|も|って)?(どこ|どれ|何市|いくつ|すべて|全て|教えて|挙げて|一覧)"
                       r"(ですか|でしょうか|か|ありますか|ある|ください|下さい|くれますか|くれる|もらえますか|ほしい|欲しい)?"
                       r"[?？。]*$"  # 「…市を挙げてください」: a request ends the frame as a question does
                       r"|(市|自治体|団体)(は|を|が|って)?[?？。]*$|(は|を|が|って)?(どこ|どれ)(ですか|でしょうか)?[?？。]*$"
                       r"|どの(市|自治体|団体|評価書)(が|で|は|に)?"
                       r"|^(ほか|他)に(も)?、?")  # 「ほかに…している市は？」: other cities, asked for by the frame
_FRAME_EN = re.compile(r"^\s*(which|what)\s+(ones\s+)?of\s+(those|them|these)(\s+cities)?\s+"
                       r"|^\s*(?:(?:in|for|at)\s+)?(which|what)\s+(other\s+)?(cities|city|municipalities|assessments?|documents?)"
                       r"('s?)?\s+"
                       r"((assessments?|documents?|reports?)\s+)?(are there\s+)?"
                       r"(that\s+|where\s+|whose\s+)?|^\s*(list|name)\s+(all\s+)?(the\s+)?(cities|assessments?)\s+"
                       r"(that|which|where|whose)?\s*"
                       # "Is there any city that …", "Are there any cities where …", "Does any city …"
                       r"|^\s*(is|are)\s+there\s+(any|a|one)\s+(other\s+)?(cities|city|municipalit(y|ies))\s+"
                       r"(that|which|where|whose)\s+"
                       r"|^\s*(does|do|did|has|have|can)\s+any\s+(other\s+)?(cities|city|municipalit(y|ies))\s+"
                       r"|\?+\s*$", re.I)
# "A かつ B", "A、しかも B", "A のうち B", "A ており、B" — the parts are all required. のうち / の中で join only
# after cities or a clause about them (「…している市のうち」, 「…もののうち」); after another noun they pick among
# its kinds (「入手元のうち「他部署」として…」, 「委託事項のうち」): one condition
_CITY_SET = r"(?<=[市体書るたいずのろ])"
_NEG_JOIN = re.compile(r"^(?:ておらず|ず|ずに|ないが|ではなく|でなく|ないで|せず|せずに)[、,]?$")  # "A ておらず、B": A is negated
_AND_JA = re.compile(r"\s*((?:ておらず|ず|ないが|ではなく|でなく|せず)[、,]|(?:せず|ず)に[、,]?|なおかつ|尚且つ|かつ|且つ|"
                     r"しかも|さらに|その上で|うえで|上で|" + _CITY_SET + r"のうち[、,]?|" + _CITY_SET + r"の中で[、,]?|"
                     r"ており[、,]|ていて[、,]?|であり[、,]|ているが[、,]?|ですが[、,]?|けれど(?:も)?[、,]?)\s*")
# "at least 10 but fewer than 50 people": the "but" joins the two bounds of one range, no two requirements
_UPPER_BOUND_EN = rf"(?:{comparative.EN_UPPER})\b"
_AND_EN = re.compile(r"\s*(?:,?\s+and also\s+|,?\s+and\s+(?=(?:do|does|did|have|has|use|uses|state|states|mention|"
                     r"mentions|say|says|re-?|not|also|are|is)\b)|,?\s+but\s+(?!" + _UPPER_BOUND_EN + r")|;\s*"
                     r"|,\s+which\s+(?:of them\s+)?|"
                     r"\s+among (?:them|those)\s*,?\s*)", re.I)
# "A rather than B", "A instead of B", "A as opposed to B", "A, not B": B says which A is meant ("rated as having
# issues rather than sufficient", "on paper rather than online") — a city may state B as well — so A alone is the
# requirement; the contrast may lead ("Instead of B, A"). Only "not" after a comma contrasts: "A and not B" is
# _AND_EN's, "do not" an atom's
_CONTRAST_EN = re.compile(r",?\s+(?:rather than|instead of|as opposed to|in place of)\s+|,\s*not\s+", re.I)
_LEADING_CONTRAST_EN = re.compile(r"^\s*(?:rather than|instead of|as opposed to|in place of)\s+[^,]+,\s*(.+)$", re.I)
_AMONG_EN = re.compile(r"^\s*(?:among|of|out of)\s+(?:the\s+|those\s+)?(?:cities|municipalities|assessments?)\s+(?:that|which|where)\s+(.+?),\s*"
                       r"(?:which|what|how many)\s+(?:ones?\s+|of them\s+|cities\s+)?(.+)$", re.I)
_NEG_JA = re.compile(r"(し|い|行わ|実施し|記載し|定めてい|設けてい|明記し|触れてい|言及し|使用し|利用し|やってい|そうでは)?"
                     r"(ない|ません|なかった|ず|ぬ)(?:もの|こと|市|自治体|ところ|団体)?[のはがをも]?\s*$"
                     r"|(が|は)?(無い|なし|無し)\s*$")
# 「溶解ではなく焼却」「紙でなく、電子」: two nouns in contrast (a clause before ではなく、 is _AND_JA's connective)
_CONTRAST_NOUNS_JA = re.compile(r"([一-龥ァ-ヶーA-Za-z0-9・]+)(?:ではなく|でなく)て?[、,]?([一-龥ァ-ヶーA-Za-z0-9・]+)")
# "A ことと、B ことの両方", "A と、B のいずれも", "both A and B": a marker that the と / and joins requirements
_BOTH_JA = re.compile(r"(?:こと)?[のをがは]?(?:両方|いずれも|どちらも|双方)(?:を|とも|共に|ともに)?")
_BOTH_AND_JA = re.compile(r"(?:こと)?と[、,]|ことと")
_BOTH_EN = re.compile(r"\bboth\s+", re.I)
_AND_WORD_EN = re.compile(r"\s+and\s+", re.I)
# two particles joined by "and" are one phrase, no join of requirements: "goes in and out", "on and off", "back and
# forth", "up and down" (a closed class of the grammar)
_PARTICLE_PAIR_EN = re.compile(r"\b(?:in|on|up|off|out|back|over|to|here|now)\s+and\s+"
                               r"(?:out|off|on|down|forth|fro|back|over|there|then)\b", re.I)


@dataclass(frozen=True)
class Both:
    """"both A and B": where "both" opens and the two requirements."""

    start: int
    first: str
    second: str


def _both_en(body: str) -> Both | None:
    """The requirements "both A and B" joins, at the first "and" that is not inside a pair of particles ("who goes in
    and out of the server room and wipes disks": the second)."""
    m = _BOTH_EN.search(body)
    if m is None:
        return None
    pairs = [p.span() for p in _PARTICLE_PAIR_EN.finditer(body)]
    for a in _AND_WORD_EN.finditer(body, m.end()):
        if not any(s <= a.start() < e for s, e in pairs):
            return Both(m.start(), body[m.end():a.start()], body[a.end():])
    return None
# "A または B", "A もしくは B", "A あるいは B": alternatives; "A か B のどちらか", "A と B のいずれか": the marker makes
# the か / と / や between them a disjunction, and what follows it governs both
_OR_JA = re.compile(r"\s*(?:[、,]?(?:または|又は|もしくは|若しくは|あるいは|或いは|ないしは|ないし)[、,]?)\s*")
_EITHER_JA = re.compile(r"(?:こと)?の?(?:どちらか|いずれか|どれか)(?:一方|ひとつ|1つ)?")
OR_NOUN_WORDS = 2  # words: an English alternative this short after "or" is a noun in the first one's place
# "20 years or more", "10 or fewer" compare a number: not alternatives
_OR_EN = re.compile(r",?\s+or\s+(?!(?:more|less|fewer|above|below|over|under|later|earlier|longer|shorter|higher"
                    r"|lower)\b)", re.I)
_EITHER_EN = re.compile(r"\beither\s+", re.I)
_BRACKETED = re.compile(r'[(（][^()（）]*[)）]|「[^「」]*」|『[^『』]*』|"[^"]*"|“[^”]*”')  # a gloss or quote: never split
_SCOPE_JA = re.compile(r"(で|では|において|に限って|に限ると|に限れば|のうち|の中で)$")  # a scope before the alternatives
_NOUN_HEAD_JA = re.compile(r"^[一-龥ァ-ヶーA-Za-z0-9・()（）\-]+")  # the noun a part opens with: 「電子メール」で提供…
_NEG_EN = re.compile(r"\b(do|does|did|is|are|has|have)\s*(not|n't)\b|\bnever\b|\bwithout\b|\bno longer\b|\bnot\b"
                     r"|\bno\b|\bnone\b", re.I)
# a verb of saying before the negation: the negation is in what is said ("state that they do not …"); after it, the
# saying is negated ("do not say how …")
_REPORT_EN = re.compile(r"\b(?:say|says|said|state|states|stated|mention|mentions|mentioned|write|writes|wrote|note|"
                        r"notes|specify|specifies|declare|declares|indicate|indicates|confirm|confirms|report|reports|"
                        r"explain|explains|clarify|clarifies|make it clear|makes it clear|explicitly)\b(?:\s+that)?",
                        re.I)
# a negative clause quoted by a verb of saying: 「…しないと書いている」「…行わない旨を記載」「…できないことを明記」
_REPORTED_NEG_JA = re.compile(r"(?:ない|ず|ません)(?:と|旨|こと)\s*[をがは]?\s*"
                              r"(?:記載|明記|書|定め|言|述べ|うた|規定|明示|示|し[てた]|する|いう|している)")
_NEG_GLOSS = re.compile(r"[(（][^)）]*(しない|ない|なし|無し)[^)）]*[)）]")
# a question is read with the English grammar when Japanese is under this share of its letters: an English
# question may gloss a term or name in Japanese ("use 富士通Japan as …", "re-delegate (再委託)")
_JA_SHARE_EN = 0.25
_LETTER = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
# English function words (a closed class): their presence is English grammar, whatever names the question holds
_EN_FUNCTION = re.compile(r"\b(and|or|for|its|it|the|of|in|on|is|are|was|does|do|did|what|which|who|how|when|where|"
                          r"why|about|with|to|from|by|that|this|there)\b", re.I)


@dataclass(frozen=True)
class Atom:
    """One requirement: its text (negation removed) and whether it is negated.

    `denies`: the negation sits inside what a city is said to state ("say they do NOT hand the files to the
    contractor", 「紙を焼却しないと書いている」): what the city states it does not do. A form's choice row judges the atom
    as `text` and `negated` read it (「再委託しない」 is a value of 再委託の有無); prose is met only by a sentence stating
    the negative (WhichCities), where a city silent about it does not meet it."""

    text: str
    negated: bool = False
    denies: str = ""


@dataclass(frozen=True)
class Condition:
    """Atoms in OR-groups, all groups required (AND); each atom may be negated. One atom: a simple condition.

    `groups[i]` is the group of `atoms[i]` (atoms of one group are alternatives: "A or B"); without groups
    every atom is its own group, i.e. all are required."""

    atoms: tuple[Atom, ...]
    groups: tuple[int, ...] = ()

    @property
    def compound(self) -> bool:
        """More than one requirement, or a negated one."""
        return len(self.atoms) > 1 or any(a.negated for a in self.atoms)

    def group_of(self) -> tuple[int, ...]:
        """Each atom's OR-group (its own when the condition has no groups)."""
        return self.groups or tuple(range(len(self.atoms)))

    def holds(self, stated: Sequence[bool]) -> bool:
        """Whether a document whose atoms are stated as given (one bool per atom) satisfies the condition."""
        met: dict[int, bool] = {}
        for group, atom, s in zip(self.group_of(), self.atoms, stated):
            met[group] = met.get(group, False) or (s != atom.negated)
        return all(met.values())


def combine(base: str, narrower: str, lang: str) -> str:
    """One which-cities question whose condition is the base question's AND the narrower one's."""
    if grammar_of(nfkc(f"{base} {narrower}"), lang) == "en":
        return f"Among the cities that {strip_frame(base, 'en')}, which {strip_frame(narrower, 'en')}?"
    return f"{strip_frame(base, 'ja').rstrip()}市のうち、{narrower.strip()}"  # 「…ている市のうち、…」


# a connective opening a turn that goes on from the last one (「じゃあ」「では、」「逆に」, "And", "So"): it joins the turns
# and requires nothing of a city
_OPENING_JA = re.compile(r"^(?:(?:それ)?(?:じゃあ?|では)[、,]?|(?:それ)?なら[、,]|で[、,]|(?:じゃあ|では)?(?:逆に|反対に)[、,]?)\s*")
_OPENING_EN = re.compile(r"^(?:and|so|then|okay|ok|conversely|now)\b,?\s*", re.I)


def strip_frame(question: str, lang: str) -> str:
    """The condition part of the question, without "which cities", an opening connective and the question mark:
    「じゃあ30万人未満の市はどこ？」 -> 「30万人未満の」."""
    q = (_OPENING_EN if lang == "en" else _OPENING_JA).sub("", nfkc(question).strip(), count=1)
    if lang == "en":  # "Which other cities also …": the frame's "also" asks nothing of its own
        return re.sub(r"^(also|too)\s+", "", _FRAME_EN.sub("", q).strip(" ,?"), flags=re.I)
    prev = None
    while prev != q:
        prev = q
        q = _FRAME_JA.sub("", q).strip(" 、,？?。")
    return q


def _atom(text: str, lang: str) -> Atom | None:
    """An atom, with its negation read off the ending (ja) or the auxiliary (en)."""
    text = text.strip(" 、,。.")
    if len(text) < 2:
        return None
    if lang == "en":
        # "do NOT carry out linkage (情報連携: 実施しない)": the gloss names the form's negative choice, which the
        # evidence matches as it is; negating the atom as well would turn it back
        first = _NEG_EN.search(text)
        neg = first is not None and not _NEG_GLOSS.search(text)
        body = _NEG_EN.sub(" ", text) if neg else text
        said = _REPORT_EN.search(text)
        denies = _squeeze(_NEG_EN.sub(" ", text[said.end():])) if neg and said and said.end() <= first.start() else ""
        return Atom(_squeeze(body), neg, denies)
    m = _NEG_JA.search(text)
    if m and m.start() > 0:
        return Atom(text[:m.start()].strip(" 、,"), True)
    said_ja = _REPORTED_NEG_JA.search(text)
    return Atom(text, False, text[:said_ja.start()].strip(" 、,") if said_ja and said_ja.start() > 0 else "")


def _squeeze(text: str) -> str:
    """The text with its runs of spaces made one."""
    return re.sub(r"\s+", " ", text).strip()


def _split_both_ja(body: str) -> str:
    """"A ことと、B ことの両方を記載" -> "A かつ B を記載"; "X と Y のいずれも実施" -> "X 実施 かつ Y 実施"
    (what follows the marker governs both nouns). Unchanged without a both-marker."""
    m = _BOTH_JA.search(body)
    if m is None:
        return body
    if _BOTH_AND_JA.search(body[:m.start()]):
        return _BOTH_AND_JA.sub("かつ", body[:m.start()] + body[m.end():], count=1)
    head, tail = body[:m.start()], body[m.end():]
    cut = head.rfind("と")
    if cut <= 0 or cut == len(head) - 1:
        return body
    return f"{head[:cut]}{tail}かつ{head[cut + 1:]}{tail}"


def _split_contrast_ja(body: str) -> str:
    """"紙を溶解ではなく焼却している" -> "紙を溶解しているではなく、紙を焼却している": what precedes the first noun
    and follows the second governs both, and the connective with its comma negates the first (_NEG_JOIN).
    Unchanged without a noun on each side of ではなく / でなく."""
    m = _CONTRAST_NOUNS_JA.search(body)
    if m is None:
        return body
    head, tail = body[:m.start()], body[m.end():]
    return f"{head}{m.group(1)}{tail}ではなく、{head}{m.group(2)}{tail}"


def _split_outside_brackets(pattern: re.Pattern[str], text: str) -> list[str]:
    """`pattern.split(text)` at its matches outside brackets and quotes ("(提供先 or 移転先)", 「紙又は電子」 are one)."""
    spans = [m.span() for m in _BRACKETED.finditer(text)]
    cuts = [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
    out, last = [], 0
    for m in cuts:
        out.append(text[last:m.start()])
        last = m.end()
    return [*out, text[last:]]


def _split_either_ja(body: str) -> str:
    """"A か B のどちらか <tail>" / "A と B のいずれか <tail>" -> "A <tail> または B <tail>" (the tail governs both);
    unchanged without an either-marker."""
    m = _EITHER_JA.search(body)
    if m is None or m.start() == 0:
        return body
    head, tail = body[:m.start()], body[m.end():]
    cut = max(head.rfind("か"), head.rfind("と"), head.rfind("や"))
    if cut <= 0 or cut == len(head) - 1:
        return body
    return f"{head[:cut]}{tail}または{head[cut + 1:]}{tail}"


def _alternatives_ja(piece: str) -> list[list[str]]:
    """The requirements of one piece, each a list of alternatives: "紙または電子メールで提供" -> [["紙で提供",
    "電子メールで提供"]] (a bare noun before the connective takes what follows the last alternative's noun); a
    clause before a comma ahead of the alternatives is a requirement of its own: "全項目評価書で、AまたはB" ->
    [["全項目評価書で"], [A, B]]."""
    parts = [p for p in _split_outside_brackets(_OR_JA, _split_either_ja(piece)) if p and p.strip()]
    if len(parts) < 2:
        return [parts]
    before, comma, parts[0] = parts[0].rpartition("、")
    last = parts[-1]
    head = _NOUN_HEAD_JA.match(last)
    tail = last[head.end():] if head else ""
    alternatives = [p + tail if tail and _NOUN_HEAD_JA.fullmatch(p.strip()) else p for p in parts[:-1]] + [last]
    if not (comma and before.strip()):
        return [alternatives]
    if _SCOPE_JA.search(before):  # 「全項目評価書で、AまたはB」: the scope is a requirement of its own
        return [[before], alternatives]
    return [[f"{before}、{a}" for a in alternatives]]  # 「紙の帳票を、焼却または溶解で処分」: it governs both


def _alternatives_en(piece: str) -> list[str]:
    """The alternatives of one English requirement: "provide data by paper or e-mail" -> ["provide data by paper",
    "provide data by e-mail"] (a shorter later alternative takes the words before the earlier one's last words)."""
    parts = [p.strip() for p in _split_outside_brackets(_OR_EN, piece) if p and p.strip()]
    either = bool(_EITHER_EN.search(parts[0]))
    parts[0] = _EITHER_EN.sub("", parts[0]).strip()
    first = parts[0].split()
    # without "either", "or" before more than a short noun joins words inside one clause ("list any branch or
    # regional office among …", "privacy or security training once a year"): one requirement, as written
    if len(parts) < 2 or (not either and any(len(p.split()) > min(OR_NOUN_WORDS, len(first) - 1) for p in parts[1:])):
        return [piece]
    out = [parts[0]]
    for p in parts[1:]:
        words = p.split()
        out.append(" ".join(first[:len(first) - len(words)] + words) if len(words) < len(first) else p)
    return out


def _contrast_en(body: str) -> str:
    """The requirement without what it is contrasted with ("burn paper rather than dissolve it" -> "burn paper";
    "instead of dissolving paper, burn it" -> "burn it"); the contrast ends at the next comma ("burn paper, not
    dissolve it, and encrypt data" -> "burn paper, and encrypt data"). The body as it is without a contrast."""
    if m := _LEADING_CONTRAST_EN.match(body):
        return _FRAME_EN.sub("", m.group(1)).strip(" ,?")
    spans = [x.span() for x in _BRACKETED.finditer(body)]
    for m in _CONTRAST_EN.finditer(body):
        if m.start() > 0 and not any(a <= m.start() < b for a, b in spans):
            rest = body.find(",", m.end())
            return body[:m.start()] + (body[rest:] if rest >= 0 else "")
    return body


def grammar_of(question: str, lang: str) -> str:
    """The language whose connectives and negation a question uses: English for an English question with a
    Japanese gloss (which `language` reads as Japanese, for its glossed words' sake). Japanese grammar is written
    in hiragana (particles, endings): a question with English function words and no hiragana is English however
    long the Japanese name it holds ("And for its 後期高齢者医療保険料徴収システムデータベースファイル?")."""
    letters = len(_LETTER.findall(question))
    if lang == "ja" and letters and (len(JAPANESE.findall(question)) < _JA_SHARE_EN * letters
                                     or (not _HIRAGANA.search(question) and _EN_FUNCTION.search(question))):
        return "en"
    return lang


def parse_condition(question: str, lang: str) -> Condition:
    """The condition tree of a which-cities question (one atom when nothing joins or negates)."""
    lang = grammar_of(nfkc(question), lang)
    body = strip_frame(question, lang)
    if lang == "en":
        body = _contrast_en(body)
        m = _AMONG_EN.match(body)
        both = _both_en(body)
        if m:
            parts = [m.group(1), m.group(2)]
        elif both:  # "state both A and B": the verb before "both" governs each part
            head = body[:both.start]
            parts = [head + both.first, head + both.second]
        else:
            parts = _AND_EN.split(body)
        grouped = [(g, _atom(alt, lang)) for g, p in enumerate(x for x in parts if x and x.strip())
                   for alt in _alternatives_en(p)]
    else:
        grouped = []
        body = _split_contrast_ja(_split_both_ja(body))
        for i, piece in enumerate(_AND_JA.split(body)):  # text, connective, text, connective, …
            if piece is None or not piece.strip():
                continue
            if i % 2:  # a connective ("A ておらず、B": A is negated)
                if _NEG_JOIN.match(piece.strip()) and grouped and grouped[-1][1] is not None:
                    grouped[-1] = (grouped[-1][0], Atom(grouped[-1][1].text, True))
                continue
            grouped += [((i, j), _atom(_FRAME_JA.sub("", alt), lang))
                        for j, alternatives in enumerate(_alternatives_ja(piece)) for alt in alternatives]
    found = [(g, a) for g, a in grouped if a is not None]
    if not found:
        return Condition((Atom(body),))
    numbers = {g: n for n, g in enumerate(dict.fromkeys(g for g, _ in found))}
    groups = tuple(numbers[g] for g, _ in found)
    return Condition(tuple(a for _, a in found), groups if len(set(groups)) < len(groups) else ())
