"""Everyday Japanese -> the corpus' formal words, from the hand-written lexicon `ja_everyday.tsv`.

A resident asks 「預かった情報をほかに渡したら、市はどれくらいの間隔で調べるの？」; the assessment writes
「委託先から他者に特定個人情報を提供する場合は、記録を残し、月1回確認を行う。」. Sudachi reads both, yet few words of
the question are words of the sentence. The lexicon (written by a helper from en_ja.tsv's list of the corpus' frequent
tokens) gives the everyday words people use for the formal ones; a question's everyday words add their formal words
to what the evidence units' BM25 reads (`glossary.unit_lexical_terms`), as an English word adds its Japanese.

Only that BM25 reads them. Word coverage (which the unit order, "is it stated" and the which-cities judge read) keeps
the question's own words: read there too, the formal words lost dev answers and which-cities F1 (measured 2026-12-06
on every dev set: dev answers 437 -> 436, which-cities F1 sum -0.8; BM25 alone 437 -> 439, F1 unchanged). The
passages the form's fields are read from keep them out too: 確かめる -> 確認 matched 委託先名の確認方法.

Matching is on Sudachi's normalised forms, so 渡した, 渡して and 渡す all meet 渡す, and an expression of several words
(鍵をかける, 持って帰る) matches as a run of tokens; only the question's Japanese is read (Sudachi spells English words
in katakana, and the English lexicon reads those). The owner's Sudachi tokenizer is passed in (one per process).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from piaqa.search.tokenize import CJK_RUN, Tokenizer
from piaqa.text import nfkc

log = logging.getLogger(__name__)

LEXICON = Path(__file__).with_name("ja_everyday.tsv")
GROUPS_CACHE = 4096  # questions whose groups are kept: tuples of a few short strings, well under 1 MB


@dataclass(frozen=True)
class Entry:
    """One everyday expression (its Sudachi forms) and the formal tokens it stands for."""

    words: tuple[str, ...]
    terms: tuple[str, ...]


def read_lexicon(path: Path, tokenize: Tokenizer) -> dict[str, tuple[Entry, ...]]:
    """The lexicon by each expression's first form, longest expressions first; an everyday word listed for several
    formal tokens stands for all of them. A malformed line raises, naming it."""
    rows: list[tuple[str, list[str]]] = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        token, sep, words = line.partition("\t")
        if not sep or not token.strip() or not words.strip():
            raise ValueError(f"{path}:{no}: expected 'TOKEN<TAB>everyday1; everyday2'; fix or remove the line")
        rows.append((token.strip(), [w.strip() for w in words.split(";") if w.strip()]))
    formal = {(token,) for token, _ in rows}
    terms_of: dict[tuple[str, ...], list[str]] = {}
    for token, words in rows:
        for forms in (tuple(tokenize(w)) for w in words):
            # a word the lexicon lists as a formal word (記録, 扱う) is the corpus' own: it reads as itself
            if forms and forms not in formal:
                terms_of.setdefault(forms, []).append(token)
    table: dict[str, list[Entry]] = {}
    for forms, terms in terms_of.items():
        table.setdefault(forms[0], []).append(Entry(forms, tuple(dict.fromkeys(terms))))
    return {first: tuple(sorted(entries, key=lambda e: -len(e.words))) for first, entries in table.items()}


@lru_cache(maxsize=1)
def _table(tokenize: Tokenizer) -> dict[str, tuple[Entry, ...]]:
    table = read_lexicon(LEXICON, tokenize)
    log.debug("everyday lexicon: %d expressions", sum(len(v) for v in table.values()))
    return table


def matched(forms: Sequence[str], table: dict[str, tuple[Entry, ...]]) -> list[Entry]:
    """The entries whose expressions occur in a run of forms, left to right, the longest at each place."""
    out: list[Entry] = []
    i = 0
    while i < len(forms):
        entry = next((e for e in table.get(forms[i], ()) if tuple(forms[i:i + len(e.words)]) == e.words), None)
        if entry is None:
            i += 1
            continue
        out.append(entry)
        i += len(entry.words)
    return out


@lru_cache(maxsize=GROUPS_CACHE)
def everyday_groups(question: str, tokenize: Tokenizer) -> tuple[tuple[str, ...], ...]:
    """The formal words the question's everyday Japanese stands for: one tuple per everyday expression."""
    table = _table(tokenize)
    runs = [tokenize(run) for run in CJK_RUN.findall(nfkc(question))]
    spelled = {f for forms in runs for f in forms}
    out: list[tuple[str, ...]] = []
    for forms in runs:
        for entry in matched(forms, table):
            # a formal word the question writes itself needs no everyday reading (「委託先の業者」)
            if entry.terms not in out and not spelled.intersection(entry.terms):
                out.append(entry.terms)
    return tuple(out)


def everyday_terms(question: str, tokenize: Tokenizer) -> list[str]:
    """The formal words of `everyday_groups`, flat (for BM25)."""
    return list(dict.fromkeys(t for g in everyday_groups(question, tokenize) for t in g))
