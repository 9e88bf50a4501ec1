"""The condition of a which-cities question as a small expression tree: AND / NOT over atoms.

Connectives and negation are read as grammar — Japanese conjunctions (かつ, のうち, …ており、),
negative endings (〜ない, 〜していない, 〜なし) and English and / but not / among … that / do not —
never as copies of a question's wording. An atom is the text of one requirement; which evidence
(a form field or a prose unit) decides it is the answer stage's business.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from piaqa.text import nfkc

# the question frame around the condition: "…市はどこですか", "which cities …"
_FRAME_JA = re.compile(r"(市|自治体|団体)(は|を|が|も|って)?(どこ|どれ|何市|いくつ|すべて|全て|教えて|挙げて|一覧)"
                       r"(ですか|でしょうか|か|ありますか|ある|ください|下さい|くれますか|くれる|もらえますか|ほしい|欲しい)?"
                       r"[?？。]*$"  # 「…市を挙げてください」: a request ends the frame as a question does
                       r"|(市|自治体|団体)(は|を|が|って)?[?？。]*$|(は|を|が|って)?(どこ|どれ)(ですか|でしょうか)?[?？。]*$"
                       r"|どの(市|自治体|団体|評価書)(が|で|は|に)?")
_FRAME_EN = re.compile(r"^\s*(which|what)\s+(ones\s+)?of\s+(those|them|these)(\s+cities)?\s+|^\s*(which|what)\s+(cities|city|municipalities|assessments?|documents?)('s?)?\s+"
                       r"((assessments?|documents?|reports?)\s+)?(are there\s+)?"
                       r"(that\s+|where\s+|whose\s+)?|^\s*(list|name)\s+(all\s+)?(the\s+)?(cities|assessments?)\s+"
                       r"(that|which|where|whose)?\s*|\?+\s*$", re.I)
# "A かつ B", "A、しかも B", "A のうち B", "A ており、B" — the parts are all required. のうち / の中で join only
# after cities or a clause about them (「…している市のうち」, 「…もののうち」); after another noun they pick among
# its kinds (「入手元のうち「他部署」として…」, 「委託事項のうち」): one condition
_CITY_SET = r"(?<=[市体書るたいずのろ])"
_NEG_JOIN = re.compile(r"^(?:ておらず|ず|ないが|ではなく|でなく|ないで|せず)[、,]?$")  # "A ておらず、B": A is negated
_AND_JA = re.compile(r"\s*((?:ておらず|ず|ないが|ではなく|でなく|せず)[、,]|なおかつ|尚且つ|かつ|且つ|しかも|さらに|その上で|うえで|"
                     r"上で|" + _CITY_SET + r"のうち[、,]?|" + _CITY_SET + r"の中で[、,]?|ており[、,]|ていて[、,]?|であり[、,]|"
                     r"ているが[、,]?|ですが[、,]?|けれど(?:も)?[、,]?)\s*")
_AND_EN = re.compile(r"\s*(?:,?\s+and also\s+|,?\s+and\s+(?=(?:do|does|did|have|has|use|uses|state|states|mention|"
                     r"mentions|say|says|re-?|not|also|are|is)\b)|,?\s+but\s+|;\s*|,\s+which\s+(?:of them\s+)?|"
                     r"\s+among (?:them|those)\s*,?\s*)", re.I)
_AMONG_EN = re.compile(r"^\s*(?:among|of|out of)\s+(?:the\s+|those\s+)?(?:cities|municipalities|assessments?)\s+(?:that|which|where)\s+(.+?),\s*"
                       r"(?:which|what|how many)\s+(?:ones?\s+|of them\s+|cities\s+)?(.+)$", re.I)
_NEG_JA = re.compile(r"(し|い|行わ|実施し|記載し|定めてい|設けてい|明記し|触れてい|言及し|使用し|利用し|やってい|そうでは)?"
                     r"(ない|ません|なかった|ず|ぬ)(?:もの|こと|市|自治体|ところ|団体)?[のはがをも]?\s*$"
                     r"|(が|は)?(無い|なし|無し)\s*$")
# "A ことと、B ことの両方", "A と、B のいずれも", "both A and B": a marker that the と / and joins requirements
_BOTH_JA = re.compile(r"(?:こと)?[のをがは]?(?:両方|いずれも|どちらも|双方)(?:を|とも|共に|ともに)?")
_BOTH_AND_JA = re.compile(r"(?:こと)?と[、,]|ことと")
_BOTH_EN = re.compile(r"\bboth\s+(.+?)\s+and\s+(.+)$", re.I)
_NEG_EN = re.compile(r"\b(do|does|did|is|are|has|have)\s*(not|n't)\b|\bnever\b|\bwithout\b|\bno longer\b|\bnot\b"
                     r"|\bno\b|\bnone\b", re.I)
_NEG_GLOSS = re.compile(r"[(（][^)）]*(しない|ない|なし|無し)[^)）]*[)）]")
# a question is read with the English grammar when Japanese is under this share of its letters: an English
# question may gloss a term or name in Japanese ("use 富士通Japan as …", "re-delegate (再委託)")
_JA_SHARE_EN = 0.25
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Atom:
    """One requirement: its text (negation removed) and whether it is negated."""

    text: str
    negated: bool = False


@dataclass(frozen=True)
class Condition:
    """All atoms are required (AND); each may be negated. One atom: a simple condition."""

    atoms: tuple[Atom, ...]

    @property
    def compound(self) -> bool:
        """More than one requirement, or a negated one."""
        return len(self.atoms) > 1 or any(a.negated for a in self.atoms)


def combine(base: str, narrower: str, lang: str) -> str:
    """One which-cities question whose condition is the base question's AND the narrower one's."""
    if grammar_of(nfkc(f"{base} {narrower}"), lang) == "en":
        return f"Among the cities that {_strip_frame(base, 'en')}, which {_strip_frame(narrower, 'en')}?"
    return f"{_strip_frame(base, 'ja').rstrip()}市のうち、{narrower.strip()}"  # 「…ている市のうち、…」


def _strip_frame(question: str, lang: str) -> str:
    """The condition part of the question, without "which cities" and the question mark."""
    q = nfkc(question).strip()
    if lang == "en":
        return _FRAME_EN.sub("", q).strip(" ,?")
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
        neg = bool(_NEG_EN.search(text)) and not _NEG_GLOSS.search(text)
        body = _NEG_EN.sub(" ", text) if neg else text
        return Atom(re.sub(r"\s+", " ", body).strip(), neg)
    m = _NEG_JA.search(text)
    if m and m.start() > 0:
        return Atom(text[:m.start()].strip(" 、,"), True)
    return Atom(text, False)


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


def grammar_of(question: str, lang: str) -> str:
    """The language whose connectives and negation a question uses: English for an English question with a
    Japanese gloss (which `language` reads as Japanese, for its glossed words' sake)."""
    letters = len(_LETTER.findall(question))
    if lang == "ja" and letters and len(_JA_CHAR.findall(question)) < _JA_SHARE_EN * letters:
        return "en"
    return lang


def parse_condition(question: str, lang: str) -> Condition:
    """The condition tree of a which-cities question (one atom when nothing joins or negates)."""
    lang = grammar_of(nfkc(question), lang)
    body = _strip_frame(question, lang)
    if lang == "en":
        m = _AMONG_EN.match(body)
        both = _BOTH_EN.search(body)
        if m:
            parts = [m.group(1), m.group(2)]
        elif both:  # "state both A and B": the verb before "both" governs each part
            head = body[:both.start()]
            parts = [head + both.group(1), head + both.group(2)]
        else:
            parts = _AND_EN.split(body)
        atoms = [_atom(p, lang) for p in parts if p and p.strip()]
    else:
        atoms = []
        body = _split_both_ja(body)
        for i, piece in enumerate(_AND_JA.split(body)):  # text, connective, text, connective, …
            if piece is None or not piece.strip():
                continue
            if i % 2:  # a connective ("A ておらず、B": A is negated)
                if _NEG_JOIN.match(piece.strip()) and atoms and atoms[-1] is not None:
                    atoms[-1] = Atom(atoms[-1].text, True)
                continue
            atoms.append(_atom(_FRAME_JA.sub("", piece), lang))
    found = tuple(a for a in atoms if a is not None)
    return Condition(found or (Atom(body),))
