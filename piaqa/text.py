"""Pure text helpers: normalisation and cleaning of the corpus' mixed markdown/HTML/PDF text."""
from __future__ import annotations

import html
import re
import unicodedata

_CHECKED = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.I)
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_MD = re.compile(r"^\s*#{1,6}\s+|\*\*")
_WS = re.compile(r"[ \t\u3000]+")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # a kana or kanji character


_CIRCLED = re.compile(r"([\u2460-\u2473\u3251-\u325f])")


def nfkc(s: str) -> str:
    """Unicode NFKC (full-width to ASCII, Ⅱ to II) but circled numbers kept: ⑦ is a form item."""
    parts = _CIRCLED.split(s)
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def clean_line(line: str) -> str:
    """One original line as plain text: checkboxes as ☑/☐, tags dropped, entities decoded."""
    s = _CHECKED.sub("☑", line)
    s = _INPUT.sub("☐", s)
    s = _TAG.sub(" ", s)
    s = html.unescape(s)
    s = _MD.sub("", s)
    return _WS.sub(" ", s).strip()


_SECTION_NUMBER = re.compile(r"^\d+\.\s*")  # "4. " before a section's title (4. 個人番号の利用)


def unnumbered(title: str) -> str:
    """A section's title without its number: "4. 個人番号の利用" -> "個人番号の利用"."""
    return _SECTION_NUMBER.sub("", title)


def compact(s: str) -> str:
    """NFKC with all whitespace removed: for comparing labels and headings."""
    return re.sub(r"\s+", "", nfkc(s))
