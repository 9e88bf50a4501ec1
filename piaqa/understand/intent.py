"""Listing and comparing questions: "each city's X", "which city has the most X", "compare A and B on X".

Read as grammar — a distributive (各市の, それぞれ, each city's, for every city), a superlative
(一番多い, 最も少ない, the most, the fewest) or a comparison verb (比べて, 比較, 違い, compare) around
a noun phrase, the target — not as copies of questions. A which-cities question states a condition
on the cities (再委託している市); a listing asks for a value of each, so a condition verb before 市 means
it is not a listing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from piaqa.text import nfkc

EACH, MOST, FEWEST, COMPARE = "each", "most", "fewest", "compare"

_EACH_JA = re.compile(r"(?:各|全て?の|すべての|それぞれの)(?:市|自治体|団体|評価書)(?:ごと)?(?:の|で|における|について)?"
                      r"|(?:市|自治体)ごと(?:の|に)?|それぞれ(?:の)?")
_LIST_JA = re.compile(r"(?:を|の)?(?:一覧|リスト|表(?=に|で))(?:に|で|と)?(?:して|にして|まとめて|表示して|出して|示して)?")
_MOST_JA = re.compile(r"(?:が|の)?(?:一番|最も|いちばん|もっとも)(多い|少ない)(?:の(?:は|が))?")
_COMPARE_JA = re.compile(r"(?:を|で|の)?(?:比べ(?:て|ると)?|比較(?:して|すると)?|違い(?:は|を)?|差(?:は|を)?)")
_CONDITION_JA = re.compile(r"(?:いる|ある|した|する|ない|れる|てる)(?:市|自治体|団体)")
_TAIL_JA = re.compile(r"(?:(?:を|は)?(?:教えて|知りたい|ください|下さい|見せて)|どの(?:市|自治体)(?:です|でしょう)?か?|"
                      r"(?:は|を|って)?(?:どこ|どれ|何)(?:です|でしょう)?か?|ですか|は)?[?？。、\s]*$")

_EACH_EN = re.compile(r"\b(?:for |of |in |across )?(?:each|every|all(?: the)?|all five) (?:cit(?:y|ies)|municipalit(?:y|ies)"
                      r"|assessments?)(?:'s?)?(?: assessments?)?|\bcity by city\b|\bper city\b", re.I)
_LIST_EN = re.compile(r"^\s*(?:please\s+)?(?:list|show|give|tabulate|table of)\b(?:\s+me)?|\b(?:in a|as a) (?:table|list)\b", re.I)
_MOST_EN = re.compile(r"\b(?:which|what) (?:city|municipality|assessment)(?:'s)? (?:has|have|lists?|names?|uses?) the "
                      r"(most|largest number of|greatest number of|fewest|smallest number of|least)\b", re.I)
_COMPARE_EN = re.compile(r"\bcompare\b|\bcomparison\b|\bdifferences? between\b|\bversus\b|\bvs\.?\b", re.I)
_FRAME_EN = re.compile(r"^\s*(?:what|which) (?:is|are|were)(?: the)?\b|\b(?:on|in terms of|regarding|with respect to)\b"
                       r"|\band\b|\bthe\b|\btheir\b|\bits\b|[?.!,]", re.I)


@dataclass(frozen=True)
class ListRequest:
    """A listing question: what to state for each city, and whether to rank or compare."""

    kind: str  # EACH | MOST | FEWEST | COMPARE
    target: str  # the noun phrase asked of every city (委託先, retention period …)


def list_request(question: str, lang: str, city_names: list[str]) -> ListRequest | None:
    """The listing a question asks for, or None (a which-cities or single-city question)."""
    q = nfkc(question).strip()
    if lang == "en":
        return _english(q, city_names)
    return _japanese(q, city_names)


def _strip_cities(text: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _japanese(q: str, names: list[str]) -> ListRequest | None:
    most = _MOST_JA.search(q)
    if most:
        kind = MOST if most.group(1) == "多い" else FEWEST
        return _target_ja(q[:most.start()], kind, names)
    if len(names) >= 2 and _COMPARE_JA.search(q):
        body = _COMPARE_JA.sub(" ", _strip_cities(q, names))
        body = re.sub(r"^[\sとや、,及びおよび]+|(?<=\s)[とや、,]+", " ", body)
        return _target_ja(body, COMPARE, [])
    if _CONDITION_JA.search(q):
        return None
    each, listed = _EACH_JA.search(q), _LIST_JA.search(q)
    if each is None and (listed is None or names):
        return None
    body = _EACH_JA.sub(" ", q)
    body = _LIST_JA.sub(" ", body)
    return _target_ja(body, EACH, names)


def _target_ja(body: str, kind: str, names: list[str]) -> ListRequest | None:
    body = _TAIL_JA.sub("", _strip_cities(body, names))
    body = re.sub(r"^[\sのをはがとや、,]+|[\sのをはがとや、,]+$", "", body)
    return ListRequest(kind, body) if len(body) >= 2 else None


def _english(q: str, names: list[str]) -> ListRequest | None:
    most = _MOST_EN.search(q)
    if most:
        kind = FEWEST if most.group(1).lower() in ("fewest", "smallest number of", "least") else MOST
        return _target_en(q[most.end():], kind, names)
    if len(names) >= 2 and _COMPARE_EN.search(q):
        return _target_en(_COMPARE_EN.sub(" ", q), COMPARE, names)
    if _EACH_EN.search(q) and (_LIST_EN.search(q) or re.match(r"^\s*(?:what|which)\b", q, re.I) or
                              re.search(r"\beach (?:city|municipality)'s\b", q, re.I)):
        return _target_en(_LIST_EN.sub(" ", _EACH_EN.sub(" ", q)), EACH, names)
    return None


def _target_en(body: str, kind: str, names: list[str]) -> ListRequest | None:
    body = _strip_cities(body, names)
    body = _FRAME_EN.sub(" ", body)
    body = re.sub(r"\s+", " ", body).strip(" ,.?")
    return ListRequest(kind, body) if len(body) >= 2 else None
