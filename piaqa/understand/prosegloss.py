"""Everyday and English wording -> the words the assessments' prose uses for a measure, object or rule.

`glossary.py` maps wording to the form's *labels* (委託先名, 保管期間); this maps it to the *prose*
vocabulary of part III and the other measure texts (しゃべらない → 秘密保持契約, USB → 外部記憶媒体,
打ち間違い → チェックデジット), read from `prose_glossary.tsv`: one entry per line, a regular expression of
the wordings (matched case-insensitively on the NFKC question), a tab, and 1–3 form terms that occur in
the documents. The entries were written from the documents' own measure vocabulary, not from questions.

Each matching entry is one concept: BM25 reads its terms, and word coverage counts it once when any of
its terms occurs (an ALT group), so a question is not outweighed by the number of synonyms it evokes.
An entry whose wording already is one of its form terms adds nothing (the question spells the form's word).
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from piaqa.text import nfkc

log = logging.getLogger(__name__)
GLOSSARY = Path(__file__).with_name("prose_glossary.tsv")
GROUPS_CACHE = 4096  # questions whose concepts are kept: tuples of a few short strings, well under 1 MB


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    out = []
    for no, line in enumerate(GLOSSARY.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, sep, terms = line.partition("\t")
        if not sep or not terms.split():
            raise ValueError(f"{GLOSSARY}:{no}: expected 'PATTERN<TAB>TERMS'; fix or remove the line")
        out.append((re.compile(pattern, re.I), tuple(terms.split())))
    return tuple(out)


def prose_groups(question: str) -> list[tuple[str, ...]]:
    """The prose concepts the question's wording stands for: one tuple of form terms per matching entry,
    leaving out entries whose matched wording is already one of their terms."""
    return list(_groups(question))


@lru_cache(maxsize=GROUPS_CACHE)
def _groups(question: str) -> tuple[tuple[str, ...], ...]:
    """`prose_groups`, computed once per question: one ask consults it for retrieval, coverage, follow-ups and
    which-cities atoms, each a scan of every entry's pattern."""
    q = nfkc(question)
    out: list[tuple[str, ...]] = []
    for pattern, terms in _entries():
        m = pattern.search(q)
        if m and not any(m.group(0) in t for t in terms) and terms not in out:
            out.append(terms)
    return tuple(out)


def prose_words(question: str) -> list[str]:
    """The form terms of `prose_groups`, flat (for BM25)."""
    return list(dict.fromkeys(t for g in prose_groups(question) for t in g))
