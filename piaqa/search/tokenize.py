"""Sudachi tokenizer for BM25: split mode A, normalized forms, punctuation and spaces dropped."""
from __future__ import annotations

import re

import threading

from piaqa.safetext import fix_surrogates
from piaqa.text import nfkc

_MAX_BYTES = 40_000  # one Sudachi call rejects more than 49,149 bytes
_SKIP_POS = {"補助記号", "空白"}
_FUNCTION_POS = {"助詞", "助動詞"}  # grammar, not content: left out of a question's content words
_PREDICATE_POS = {"動詞", "形容詞"}  # what a clause ends on when it states (or asks) whether something is done
_TOPIC_CASE = {"係助詞", "格助詞"}  # particles (は, も, が, を) that make the clause before them a noun phrase
# a run of Japanese text (with the letters and digits inside it: 市町村CS, 第3条)
CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff][\u3040-\u30ff\u4e00-\u9fffA-Za-z0-9・ー]*")


# an acronym (two or more capitals, digits and hyphens: EUC, LGWAN, J-LIS, ISO27001): the assessments write these in
# Latin letters too, so an English question's acronym is a word of the corpus, not an English word to translate
ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?![A-Za-z0-9])")  # also before kanji: EUC機能
_ACRONYM_CAPITALS = 2  # "I", "A" and a capitalised word's first letter are no acronyms


def lexical_text(text: str, lang: str) -> str:
    """What of a question the lexical side reads: all of a Japanese one; of an English one only its
    Japanese glosses and its acronyms, since Sudachi turns English words into katakana noise (how -> ハウ,
    staff -> スタッフ) that matches unrelated corpus words. The English words reach BM25 as the lexicon's Japanese."""
    return text if lang != "en" else " ".join([*CJK_RUN.findall(text), *_acronyms(text)])


def _acronyms(text: str) -> list[str]:
    """The acronyms of a text (see ACRONYM)."""
    return [a for a in ACRONYM.findall(nfkc(text)) if sum(c.isupper() for c in a) >= _ACRONYM_CAPITALS]


class Tokenizer:
    """Text -> tokens. One Sudachi tokenizer per thread (Sudachi objects are not thread-safe)."""

    def __init__(self) -> None:
        try:
            from sudachipy import Dictionary, SplitMode
        except ImportError as e:  # pragma: no cover - install problem
            raise ImportError("SudachiPy is missing: pip install sudachipy==0.7.0 sudachidict-core") from e
        self._dictionary = Dictionary(dict="core")
        self._mode = SplitMode.A
        self._local = threading.local()

    def _sudachi(self):  # type: ignore[no-untyped-def]
        tok = getattr(self._local, "tok", None)
        if tok is None:
            tok = self._local.tok = self._dictionary.tokenizer(mode=self._mode)
        return tok

    def __call__(self, text: str) -> list[str]:
        """Tokens of `text`, any length."""
        return [form for form, _ in self.spellings(text)]

    def spellings(self, text: str, content: bool = False) -> list[tuple[str, str]]:
        """(normalised form, surface) of every token of `text`, as __call__ splits and filters them; with
        `content`, without particles and auxiliaries (the てる, ちゃう, らしい, けど of a colloquial question)."""
        skip = _SKIP_POS | _FUNCTION_POS if content else _SKIP_POS
        out: list[tuple[str, str]] = []
        tok = self._sudachi()
        for piece in _pieces(_valid(text)):
            for m in tok.tokenize(piece):
                if m.part_of_speech()[0] in skip:
                    continue
                form = m.normalized_form().lower().strip()
                if form:
                    out.append((form, m.surface().lower().strip()))
        return out

    def places(self, text: str) -> list[tuple[str, str]]:
        """(surface, katakana reading) of place names (固有名詞・地名), longest units (mode C)."""
        tok = getattr(self._local, "tok_c", None)
        if tok is None:
            from sudachipy import SplitMode

            tok = self._local.tok_c = self._dictionary.tokenizer(mode=SplitMode.C)
        return [(m.surface(), m.reading_form()) for m in tok.tokenize(_valid(text)[:10_000])
                if m.part_of_speech()[:3] == ("名詞", "固有名詞", "地名")]

    def adverbial(self, text: str) -> bool:
        """Whether every word of a short text is an adverbial noun (名詞・普通名詞・副詞可能: 場合, 以前, 今後, 以外):
        words of circumstance and time that head a clause, not things whose value a question asks."""
        words = [m for m in self._sudachi().tokenize(_valid(text)[:200]) if m.part_of_speech()[0] not in _SKIP_POS]
        return bool(words) and all(m.part_of_speech()[:3] == ("名詞", "普通名詞", "副詞可能") for m in words)

    def ends_on_verb(self, text: str) -> bool:
        """Whether a short text, particles, auxiliaries and punctuation aside, ends on a verb or an adjective
        (「…渡してるの？」「…頼める？」「再委託しない」), not on a noun, with or without a copula (「千葉市は？」,
        「委託先はNECですか」, 「委託先の名称」)."""
        words = [m for m in self._sudachi().tokenize(_valid(text)[-200:]) if m.part_of_speech()[0] not in _SKIP_POS]
        while words and words[-1].part_of_speech()[0] == "助詞":
            if words[-1].part_of_speech()[1] in _TOPIC_CASE:  # 「…明記してるのは？」: the clause is a noun phrase
                return False
            words.pop()
        while words and words[-1].part_of_speech()[0] == "助動詞":
            words.pop()
        return bool(words) and words[-1].part_of_speech()[0] in _PREDICATE_POS

    def reading(self, text: str) -> str:
        """Katakana reading of a short text."""
        return "".join(m.reading_form() for m in self._sudachi().tokenize(_valid(text)[:10_000]))

    def batch(self, texts: list[str]) -> list[list[str]]:
        """Tokens of several texts."""
        return [self(t) for t in texts]


def _valid(text: str) -> str:
    """NFKC text Sudachi accepts: lone surrogates (which it rejects) replaced."""
    return nfkc(fix_surrogates(text))


def _pieces(text: str) -> list[str]:
    """Split text at line (or, failing that, character) boundaries into pieces under _MAX_BYTES."""
    pieces: list[str] = []
    buf: list[str] = []
    size = 0
    for line in text.split("\n"):
        b = len(line.encode("utf-8")) + 1
        if b > _MAX_BYTES:
            pieces.extend(_hard_split(line))
            continue
        if size + b > _MAX_BYTES and buf:
            pieces.append("\n".join(buf))
            buf, size = [], 0
        buf.append(line)
        size += b
    if buf:
        pieces.append("\n".join(buf))
    return pieces


def _hard_split(line: str) -> list[str]:
    """A single over-long line cut by characters (at most 4 bytes each)."""
    step = _MAX_BYTES // 4
    return [line[i:i + step] for i in range(0, len(line), step)]
