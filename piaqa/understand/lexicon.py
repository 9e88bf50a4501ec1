"""English words -> the corpus' Japanese tokens, from the hand-written lexicon `en_ja.tsv`.

English questions reach the dense model as they are, but BM25 and the word-coverage checks read
Japanese tokens only: without this an English question about 暗号化 or 研修 has no lexical side at all.
The lexicon lists the corpus' frequent content tokens (Sudachi-normalised) with their English
equivalents in base form; their inflected forms are generated, so "encrypted" and "encryption" meet "encrypt".
`en_everyday.tsv` gives the everyday English for the same tokens ("get rid of" for 廃棄): `everyday_terms`.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

LEXICON = Path(__file__).with_name("en_ja.tsv")
EVERYDAY = Path(__file__).with_name("en_everyday.tsv")  # everyday English for the same tokens (see `everyday_terms`)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_MAX_PHRASE = 3  # the longest English equivalent in the lexicon is three words
_CONSONANT_Y = re.compile(r"[^aeiou]y$")
_DERIVED = ("ation", "ion", "ment", "ing", "age")  # noun endings whose root a question may use as a verb
_MIN_ROOT = 4  # shorter roots (st- of station) would match unrelated words
# a short vowel before a final consonant doubles it before -ed / -ing / -er: log -> logged, shred -> shredding,
# transfer -> transferred (generating it for a word that does not double makes a form nobody writes: harmless)
_DOUBLES = re.compile(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$")
# the irregular past and participle forms of English verbs (grammar; a lexicon verb missing here keeps -ed forms)
_IRREGULAR = {
    "bear": ("bore", "borne"), "begin": ("began", "begun"), "break": ("broke", "broken"), "bring": ("brought",),
    "build": ("built",), "burn": ("burnt",), "buy": ("bought",), "catch": ("caught",), "choose": ("chose", "chosen"),
    "deal": ("dealt",), "do": ("did", "done"), "draw": ("drew", "drawn"), "drive": ("drove", "driven"),
    "feed": ("fed",), "find": ("found",), "forbid": ("forbade", "forbidden"), "forget": ("forgot", "forgotten"),
    "freeze": ("froze", "frozen"), "get": ("got", "gotten"), "give": ("gave", "given"), "go": ("went", "gone"),
    "hide": ("hid", "hidden"), "hold": ("held",), "keep": ("kept",), "know": ("knew", "known"), "lay": ("laid",),
    "lead": ("led",), "leave": ("left",), "lend": ("lent",), "lose": ("lost",), "make": ("made",),
    "mean": ("meant",), "meet": ("met",), "pay": ("paid",), "read": ("read",), "ring": ("rang", "rung"),
    "rise": ("rose", "risen"), "run": ("ran",), "say": ("said",), "see": ("saw", "seen"), "seek": ("sought",),
    "sell": ("sold",), "send": ("sent",), "shake": ("shook", "shaken"), "speak": ("spoke", "spoken"),
    "spend": ("spent",), "stand": ("stood",), "steal": ("stole", "stolen"), "strike": ("struck",),
    "take": ("took", "taken"), "teach": ("taught",), "tell": ("told",), "think": ("thought",),
    "throw": ("threw", "thrown"), "understand": ("understood",), "undertake": ("undertook", "undertaken"),
    "wear": ("wore", "worn"), "withdraw": ("withdrew", "withdrawn"), "withhold": ("withheld",),
    "write": ("wrote", "written"),
}
# the particle of a phrasal verb: the verb before it inflects (log in -> logged in, move out -> moving out)
_PARTICLES = frozenset({"in", "on", "out", "off", "up", "down", "back", "over", "away"})
# an everyday phrase opening on a question word ("how often", "why", "where stored") asks the kind of answer, which
# answertype.py reads; taken as a word of the topic too it lifts every sentence under a label of that kind
_QUESTION_WORDS = frozenset({"how", "why", "when", "who", "whom", "whose", "where", "what", "which"})


def inflections(word: str) -> set[str]:
    """The lexicon's base form and the inflected and derived forms a question may use instead
    (use -> uses, used, using, user; encrypt -> encrypted, encryption; copy -> copies, copied).

    Generating forms from the base is more exact than stemming the question: nothing the lexicon
    did not list can match by accident of a shared prefix."""
    forms = {word}
    stems = {word}
    for suffix in _DERIVED:  # a noun listed for its verb: encryption -> encrypt, training -> train
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_ROOT:
            root = word[: -len(suffix)]
            stems |= {root, root + "e"} if suffix in ("ation", "age") else {root}
            forms |= {root, root + "e"} if suffix in ("ation", "age") else {root}
            break
    if word.endswith("e"):
        stems.add(word[:-1])  # store -> storing, storage; authorize -> authorization
        forms |= {word + "d", word + "s", word + "r", word + "rs"}
    if _CONSONANT_Y.search(word):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if _DOUBLES.search(word):
        forms |= {word + word[-1] + suffix for suffix in ("ed", "ing", "er", "ers")}
    forms |= set(_IRREGULAR.get(word, ()))
    # an adjective's adverb: regular -> regularly, automatic -> automatically, possible -> possibly
    forms.add(word + "ally" if word.endswith("ic") else word[:-1] + "y" if word.endswith("le") else word + "ly")
    for base in stems:
        forms |= {base + suffix for suffix in ("s", "es", "ed", "ing", "er", "ers", "ion", "ions", "ation",
                                                "ations", "ment", "ments", "al", "age", "ity")}
    return forms


@dataclass(frozen=True)
class Reading:
    """A word or phrase of a text that the lexicon knows: its senses and where the text writes it."""

    senses: tuple[str, ...]
    start: int
    end: int
    words: int


@dataclass(frozen=True)
class Lexicon:
    """English phrase (1-3 words, each inflected form listed) -> Japanese tokens."""

    entries: dict[str, tuple[str, ...]]  # a listed base form, or failing that a generated form

    def _read(self, text: str) -> list[Reading]:
        """The words and phrases of `text` the lexicon knows, in order: at each position the longest phrase it lists,
        whose words are then read no further ("log in" is ログイン, not also the 記録 of "log")."""
        words = list(_WORD.finditer(text.lower()))
        out: list[Reading] = []
        i = 0
        while i < len(words):
            n = next((n for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1)
                      if " ".join(w.group(0) for w in words[i:i + n]) in self.entries), 0)
            if n:
                key = " ".join(w.group(0) for w in words[i:i + n])
                out.append(Reading(self.entries[key], words[i].start(), words[i + n - 1].end(), n))
            i += max(n, 1)
        return out

    def groups(self, text: str) -> list[tuple[str, ...]]:
        """Per English word or phrase of `text` that the lexicon knows, its Japanese tokens (the senses),
        in order of mention (see `_read`)."""
        return list(dict.fromkeys(r.senses for r in self._read(text)))

    def phrases(self, text: str) -> list[tuple[int, int]]:
        """The character spans of the phrases of two or more words that `groups` reads in `text` ("in charge",
        "log in"): a word inside one has the phrase's sense, not its own."""
        return [(r.start, r.end) for r in self._read(text) if r.words > 1]

    def japanese(self, text: str) -> list[str]:
        """The Japanese tokens the English words and phrases of `text` stand for, in order of mention."""
        return list(dict.fromkeys(t for g in self.groups(text) for t in g))


def parse_lexicon(lines: list[str], name: str = LEXICON.name, verb_led: bool = False) -> Lexicon:
    """Lexicon from `TOKEN<TAB>english1; english2` lines (# comments and blank lines skipped); `name` names the
    file in the warning about a malformed line. `verb_led`: every phrase of several words also inflects on its
    first word, as the everyday phrases mostly open on their verb ("got rid of", "left the desk")."""
    listed: dict[str, list[str]] = {}
    generated: dict[str, list[str]] = {}
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        token, sep, english = line.rstrip("\n").partition("\t")
        if not sep or not token.strip():
            log.warning("%s line %d: expected TOKEN<TAB>english; skipped", name, no)
            continue
        for phrase in english.split(";"):
            words = _WORD.findall(phrase.lower())
            if not words:
                continue
            listed.setdefault(" ".join(words), []).append(token.strip())
            for form in inflections(words[-1]):  # phrases inflect on their last word: "access logs"
                generated.setdefault(" ".join([*words[:-1], form]), []).append(token.strip())
            if len(words) > 1 and (verb_led or words[-1] in _PARTICLES):  # and a phrasal verb on its verb: "logged in"
                for form in inflections(words[0]):
                    generated.setdefault(" ".join([form, *words[1:]]), []).append(token.strip())
    # a form listed as a base keeps only its own senses ("information" is 情報, not 周知 of "inform")
    entries = {**generated, **listed}
    return Lexicon({k: tuple(dict.fromkeys(v)) for k, v in entries.items()})


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (read once)."""
    return parse_lexicon(LEXICON.read_text(encoding="utf-8").splitlines())


def japanese_terms(text: str) -> list[str]:
    """Japanese tokens for the English words of a question (empty for Japanese text)."""
    return lexicon().japanese(text)


def japanese_groups(text: str) -> list[tuple[str, ...]]:
    """The Japanese senses of each English word of a question, one tuple per word (coverage reads
    a word as found when any sense is)."""
    return lexicon().groups(text)


def everyday_lexicon(formal: Lexicon, everyday: Lexicon) -> Lexicon:
    """The everyday words of `everyday` that `formal` does not list, but for those that ask (`_QUESTION_WORDS`);
    `formal`'s own words and phrases read as nothing, so that at each place of a question the longest phrase either
    lists decides ("log in" stays ログイン's, and adds nothing here)."""
    return Lexicon({**{k: v for k, v in everyday.entries.items()
                       if k not in formal.entries and k.split()[0] not in _QUESTION_WORDS},
                    **{k: () for k in formal.entries}})


@lru_cache(maxsize=1)
def _everyday() -> Lexicon:
    everyday = parse_lexicon(EVERYDAY.read_text(encoding="utf-8").splitlines(), EVERYDAY.name, verb_led=True)
    return everyday_lexicon(lexicon(), everyday)


def everyday_terms(text: str) -> list[str]:
    """The corpus tokens the everyday English words of a question stand for ("get rid of": 廃棄, "sign off": 承諾),
    beside what `japanese_terms` reads. The evidence units' BM25 reads them (`glossary.unit_lexical_terms`), and the
    word coverage that ranks a lookup's units reads `everyday_groups`; every other coverage keeps en_ja.tsv's."""
    return _everyday().japanese(text)


def everyday_groups(text: str) -> list[tuple[str, ...]]:
    """The senses of each everyday English word or phrase of a question that en_ja.tsv does not list, one tuple
    per word (as `japanese_groups`)."""
    return [g for g in _everyday().groups(text) if g]
