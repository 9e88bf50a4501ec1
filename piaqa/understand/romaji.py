"""Katakana readings -> simplified Hepburn, so romanised place names can be matched."""
from __future__ import annotations

import re
import unicodedata

_BASE = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do "
    "ba bi bu be bo pa pi pu pe po".split()))
_SMALL = {"ャ": "ya", "ュ": "yu", "ョ": "yo"}


def kata_to_romaji(kana: str) -> str:
    """Hepburn romanisation of a katakana string (long vowels written out)."""
    out: list[str] = []
    double = False
    for ch in kana:
        if ch == "ッ":
            double = True
            continue
        if ch in _SMALL and out:
            prev = out.pop()
            stem = prev[:-1] if prev.endswith("i") else prev
            syl = (stem[:-1] if stem in ("shi", "chi", "ji") or stem.endswith("h") else stem) + _SMALL[ch]
            syl = {"shya": "sha", "shyu": "shu", "shyo": "sho", "chya": "cha", "chyu": "chu",
                   "chyo": "cho", "jya": "ja", "jyu": "ju", "jyo": "jo"}.get(syl, syl)
        elif ch == "ー":
            syl = out[-1][-1] if out else ""
        else:
            syl = _BASE.get(ch, "")
        if double and syl:
            syl = syl[0] + syl
        double = False
        out.append(syl)
    return "".join(out)


def fold(s: str) -> str:
    """Comparable romaji: accents stripped, long vowels collapsed (Kōchi = Kouchi = Kochi)."""
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"ou|oo", "o", s)
    return re.sub(r"uu", "u", s)
