"""Untrusted text made safe to process and to write: lone surrogates and control characters removed."""
from __future__ import annotations

import json
import re
import unicodedata

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WS = re.compile(r"\s+")
# cleaning only shrinks a text (whitespace runs collapsed, invisible characters dropped): this many
# times the length limit of raw input is enough to fill the limit, and bounds the work a huge paste costs
RAW_SLACK = 4
# format characters that only hide or reorder text (BOM, zero-width, bidi overrides; ZWJ stays for
# emoji) and U+FFFD, what is left of undecodable input: nothing a question can mean by them
_INVISIBLE = frozenset("\ufffd\ufeff\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069")


def fix_surrogates(text: str) -> str:
    """Join surrogate pairs into their character and replace lone surrogates with U+FFFD.

    Lone surrogates come from JSON escapes ("\\ud800") or undecodable input bytes (surrogateescape);
    UTF-8 encoders, Sudachi and the model's tokenizer all reject them.
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def clean_question(text: str | None) -> str:
    """A question as the assistant should see it: valid Unicode (lone surrogates dropped), no control or
    invisible characters, whitespace runs collapsed to one space, stripped ("" when nothing is left)."""
    s = fix_surrogates(text or "")
    out = []
    for ch in s:
        if ch in _INVISIBLE:
            continue
        # control characters (tabs and newlines included), unassigned and private-use code points
        out.append(" " if unicodedata.category(ch) in ("Cc", "Cn", "Co") else ch)
    return _WS.sub(" ", "".join(out)).strip()


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit (not only punctuation, symbols or emoji)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def json_line(record: object) -> str:
    """One JSONL line, readable UTF-8 (ensure_ascii=False) that always encodes: surrogates are fixed."""
    return fix_surrogates(json.dumps(record, ensure_ascii=False)) + "\n"


def limit_length(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to its first `limit` characters (a space left at the cut dropped), and whether it
    was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def clean_limited(text: str | None, limit: int) -> tuple[str, bool]:
    """`clean_question` of at most `limit` characters, and whether the text was shortened to fit."""
    raw = text or ""
    cut_raw = len(raw) > limit * RAW_SLACK
    cleaned, cut = limit_length(clean_question(raw[:limit * RAW_SLACK]), limit)
    return cleaned, cut or cut_raw
