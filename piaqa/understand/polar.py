"""Yes/no questions, read once from their grammar into Query.asks_yes_no and Query.asks_whether_done.

A question whether something is done has no interrogative and ends on a verb or an adjective (ja), or opens a
clause with an auxiliary of action (en: does, can, will …). A question whether a value is something
(「委託先はNECですか」, "Is its contractor Fujitsu?") is not one: the value answers it. What such a question can
be answered with is decided by the answer layer (answer/choose.py)."""
from __future__ import annotations

import re

from piaqa.search.tokenize import Tokenizer

# the interrogatives (a closed class): a question holding one asks for a value, a place, a time or a manner
INTERROGATIVE_JA = re.compile(r"何|なに|なん[でのだと]|誰|だれ|どこ|どちら|どっち|どれ|どの|どう|どんな|いつ|いくつ|いくら|なぜ|幾")
# an interrogative with (で)も is an indefinite, not a question word: 「誰でも」 anyone, 「どの部署からでも」 from any
# department, 「どこにも」 nowhere, 「いつでも」 any time (a closed class of the grammar)
_INDEFINITE_JA = re.compile(r"(?:何|なに|誰|だれ|どこ|どの[一-龥ァ-ヶー]{0,6}|いつ|どれ|どちら|どっち)"
                            r"(?:から|に|で|へ|と|まで)?(?:でも|も)")


def without_indefinites(text: str) -> str:
    """The text without its indefinites (「誰でも」「どの部署からでも」): what is left asks with question words only."""
    return _INDEFINITE_JA.sub(" ", text)


_INTERROGATIVE_EN = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b", re.I)
# … but an English question asks for a value only when an interrogative opens it or one of its clauses ("How long
# …?", "If it breaks, who fixes it?", "In what form …?", "Kochi — how …?"); one inside a clause is an embedded
# question, the object of the verb ("Can the city see what the contractor did?", "Do they record who logged in?"):
# the auxiliary opening the question still asks yes or no
_INTERROGATIVE_OPENS_EN = re.compile(
    r"(?:^|[,;:?.!\u2014\u2013]\s*|\s-\s*)(?:(?:and|so|but|then|also|ok|okay|well|now)[,\s]+)?"
    r"(?:(?:in|for|by|with|to|from|on|at|of|under|since|until|after|before|during)\s+)?"
    r"(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
# an English clause asking whether something is done opens with an auxiliary of action ("Does the city…",
# "…, does it charge a fee?"); a copula (is, are) asks what a value is
_AUX_EN = re.compile(r"(?:^|[,;:]\s*)(?:(?:and|so|but|then|also|ok|okay|well|now)[,\s]+)?"
                     r"(does|do|did|has|have|had|can|could|will|would|should|may|might|must)\b"
                     r"\s+(?!not\b)\w", re.I)
# a request ends on a verb too (「教えてください」「挙げてくれる？」): it asks for the value, not for yes or no
_REQUEST_JA = re.compile(r"[てで](ください|下さい|くだ|くれ|ほしい|欲しい|もらえ|いただけ|頂け)|教え|知りたい|示し")
_SENTENCE_END = re.compile(r"[。？?！!]+")
# endings of a question answered yes or no (「再委託されていますか」「再委託はしてる？」「ある？」); with no interrogative
_YES_NO_JA = re.compile(r"(ています|ていますか|されていますか|しますか|ありますか|いますか|ますか|"
                        r"(する|してる|している|してたりする|ある|いる|出してる)の|ですか)[?？。]?$"
                        r"|(する|てる|ている|ある|いる|できる)[?？]$")
_YES_NO_EN = re.compile(r"^(is|are|does|do|did|has|have|was|were|can|could|may|might|will|would|shall|should|must)\b",
                        re.I)
# a copula asks whether something is done when a passive or a modal predicate follows it ("Is the data encrypted?",
# "Are staff allowed to …", "Is the contractor required to …"); a participle: -ed or an irregular one
_PASSIVE_EN = re.compile(r"^(?:is|are|was|were)\b.*\b(?:\w{3,}ed|done|kept|sent|given|taken|made|held|shown|"
                         r"written|seen|built|chosen|told|paid|run|put|set|able)\b", re.I)


def last_sentence(question: str) -> str:
    """The question's last sentence (a preface such as 「…らしいけど心配。」 sets the scene, the last one asks)."""
    parts = [p for p in _SENTENCE_END.split(question.strip()) if p.strip()]
    return parts[-1].strip() if parts else question.strip()


def asks_yes_no(question: str) -> bool:
    """Whether the question is answered yes or no, by its ending and no interrogative (「郡山市は再委託してる？」,
    "Does Kochi …?"; not 「高知市は何を再委託してる？」)."""
    q = question.strip()
    if _YES_NO_EN.match(q):
        return True
    return bool(_YES_NO_JA.search(q)) and not _interrogative(q)


def asks_content(question: str) -> bool:
    """Whether the question's last sentence asks with an interrogative (what, which, how; 何, どの, どう) rather
    than for yes or no: 「再委託してる？あるなら何？」 asks what is subcontracted."""
    return _interrogative(last_sentence(question))


def _interrogative(text: str) -> bool:
    """Whether the text holds a Japanese question word (its indefinites aside: 「誰でも」) or an English one."""
    return bool(INTERROGATIVE_JA.search(without_indefinites(text)) or _INTERROGATIVE_EN.search(text))


def asks_whether_done(question: str, lang: str, tokenizer: Tokenizer) -> bool:
    """Whether the question asks yes or no about an action (「委託先に渡してるの？」, "Does Chiba encrypt …?")."""
    if lang == "en":
        q = question.strip()
        return not _INTERROGATIVE_OPENS_EN.search(q) and bool(_AUX_EN.search(q) or _PASSIVE_EN.match(last_sentence(q)))
    last = last_sentence(question)
    if INTERROGATIVE_JA.search(without_indefinites(last)) or _REQUEST_JA.search(last):
        return False
    return tokenizer.ends_on_verb(last)
