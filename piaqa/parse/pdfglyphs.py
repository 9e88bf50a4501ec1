"""The printed characters and ruling of one PDF page, as pdfium reports them (top-left origin, points).

pdfium gives correct Unicode for CJK fonts whose ToUnicode maps 高 to the Kangxi radical ⾼ (the rest are
mapped back here), places spaces from the fonts' advances where the producer left a gap (Chromium writes no
space glyphs), and marks a hyphen at a line end with U+FFFE.
"""
from __future__ import annotations

import ctypes
import statistics
import unicodedata
from dataclasses import dataclass, replace

from piaqa.parse.pdfgrid import Box

# a glyph box lower than this share of the page's usual box height is pdfium's ink box, not the line's: the
# middle dot ・ gets ~2 pt against 9 pt, every other glyph (punctuation included) at least ~80%
SHRUNK_SHARE = 0.5


@dataclass(frozen=True)
class Glyph:
    """One character on a page with its loose box (top-left origin, points)."""

    text: str
    box: Box
    origin: float  # the pen position it was drawn at: which cell it belongs to (a glyph may overhang its cell)
    ink: float  # the centre of its ink: orders a line (the advances of trimmed CJK punctuation overlap)
    baseline: float  # the y of its pen position (top-left origin): glyphs of one line share it
    space_after: bool = False  # pdfium put a space after it (the producer left a gap)

    @property
    def height(self) -> float:
        """The glyph box's height: the line's em."""
        return self.box.bottom - self.box.top


def glyphs(page, height: float) -> list[Glyph]:
    """The page's characters; spaces are pdfium's, which it places from the fonts' advances where the producer
    left a gap (Chromium writes no space glyphs); its generated line breaks are dropped."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        out: list[Glyph] = []
        for i in range(n):
            ch = text[i] if len(text) == n else chr(raw.FPDFText_GetUnicode(tp.raw, i))
            if not ch.strip():  # a space belongs to the glyph before it in the content stream
                if ch == " " and out:
                    out[-1] = replace(out[-1], space_after=True)
                continue
            if unicodedata.category(ch) == "Cc":  # a glyph the font maps to no character (U+0000): unreadable
                continue
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            ink_left, _, ink_right, _ = tp.get_charbox(i)
            x, y = _origin(tp, i)
            out.append(Glyph(_kangxi(ch), Box(left, height - top, right, height - bottom), x,
                             (ink_left + ink_right) / 2, height - y))
        return _on_baseline(out)
    finally:
        tp.close()


def _on_baseline(found: list[Glyph]) -> list[Glyph]:
    """Glyphs whose box pdfium shrinks to their ink (the middle dot ・ gets a 2 pt box well above the line) given
    the page's usual box on their own baseline, so they sit on their line, and a full em of width from their pen
    position (such a glyph is CJK punctuation; its ink is a dot in the middle of its em)."""
    if not found:
        return found
    usual = statistics.median(g.height for g in found)
    ascent = statistics.median(g.baseline - g.box.top for g in found if g.height >= usual * SHRUNK_SHARE)
    return [g if g.height >= usual * SHRUNK_SHARE else
            replace(g, box=Box(min(g.box.x0, g.origin), g.baseline - ascent, max(g.box.x1, g.origin + usual),
                               g.baseline - ascent + usual))
            for g in found]


def _origin(tp, i: int) -> tuple[float, float]:
    """The pen position character `i` was drawn at (PDF coordinates, origin bottom-left)."""
    import pypdfium2.raw as raw

    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
    return x.value, y.value


def _kangxi(ch: str) -> str:
    """A Kangxi radical (U+2F00-2FDF), which CJK fonts map for shared glyphs, as the ideograph it stands for;
    pdfium's mark for a hyphen at a line end (U+FFFE) as the hyphen."""
    if ch == "\ufffe":
        return "-"
    return unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch


def paths(page, height: float) -> list[Box]:
    """Bounding boxes of the page's path objects (rules, cell borders and fills)."""
    import pypdfium2.raw as raw

    out: list[Box] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        out.append(Box(left, height - top, right, height - bottom))
    return out
