"""Published PDF assessments -> the form's lines, each knowing its page and box.

pypdfium2 reads the glyphs and the page's paths (`pdfglyphs`); `pdfgrid` turns the ruling into table cells.
Each visual table row becomes one line of tab-separated cell texts — the shape of the tab-table assessments
the text parser already reads — and every other line of text one line, so sections, fields, choice values, change-log rows and
evidence units come out of the same parser as for .txt files. A row that a page break cuts continues on the
next page with an empty label cell; the two parts are joined into one line (cited at its first page).
"""
from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass

from piaqa.config import PDF_EXTRACTION
from piaqa.parse.pdfglyphs import Glyph, paths
from piaqa.parse.pdfglyphs import glyphs as read_glyphs
from piaqa.parse.pdfgrid import Box, grid

log = logging.getLogger(__name__)

EXTRACTION_VERSION = PDF_EXTRACTION  # a kept extraction of another version is redone (and the index rebuilt)
# two glyphs whose vertical centres differ by less than this share of their height sit on one line
LINE_TOLERANCE_EM = 0.5
# a printed line was wrapped by the layout (not ended) when the room left at its container's right edge is
# less than the next line's first unbreakable segment (it did not fit) plus this much: the container's inner
# padding and rounding (the rendered form pads cells by 3 pt, 0.33 em of 9 pt text)
WRAP_SLACK_EM = 0.5
# a text line outside tables can only have been wrapped when it spans at least this share of the page width
# (printed text spans ~85% of an A4 page; a short heading that happens to be the page's widest line never wraps)
WRAP_MIN_WIDTH_SHARE = 0.6
# a glyph belongs to the cell its pen position lies in, probed this far right of it (a rule drawn exactly at
# the origin must not decide); 0.5 pt is far below the narrowest glyph
CELL_PROBE_PT = 0.5
# two printed lines continue one paragraph only in the same font size (a heading is larger), within this share
SAME_SIZE_SHARE = 0.1
# cells whose tops differ by less than this (points) belong to one visual row of the form
ROW_TOLERANCE_PT = 2.0
# fewer visible characters than this in the whole file: no text layer (a scanned image); a real
# assessment has thousands, a scanned one none or a few from a stamp
MIN_TEXT_CHARS = 40
# a row with at least this many square glyphs before words is a checkbox group (■ chosen, □ not); fewer
# may be bullets, which the prose uses
MIN_BOX_GLYPHS = 2
_BOX_GLYPH = re.compile(r"[■□](?=\s*[^\s■□])")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# a printed line starting with a bullet or a circled number opens a new item: the line before it ended there
_ITEM_START = re.compile(r"[・●○◆■□※\u2460-\u2473]")

NOT_PDF = "not a PDF"
ENCRYPTED = "encrypted PDF"
DAMAGED = "damaged PDF"
NO_TEXT = "no text layer"


class PdfError(ValueError):
    """A PDF piaqa cannot read: `kind` is one of NOT_PDF, ENCRYPTED, DAMAGED, NO_TEXT; the message says what to do."""

    def __init__(self, kind: str, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")
        self.kind, self.problem, self.fix = kind, problem, fix


@dataclass(frozen=True)
class PdfLine:
    """One extracted line: a table row (tab-separated cells) or a line of text, with where it is printed."""

    text: str
    page: int  # 1-based
    box: Box
    cells: int = 0  # how many table cells the line joins; 0 for text outside tables


@dataclass(frozen=True)
class PageLines:
    """One page's lines, and whether its table ruling is open at the top / bottom (a row cut by a page break)."""

    lines: list[PdfLine]
    open_top: bool = False
    open_bottom: bool = False


@dataclass(frozen=True)
class PdfText:
    """A PDF's lines in reading order and its page count."""

    lines: tuple[PdfLine, ...]
    pages: int


def is_pdf(data: bytes) -> bool:
    """True when the bytes start like a PDF (the header may follow up to 1 KB of junk, as readers allow)."""
    return b"%PDF-" in data[:1024]


def _open(data: bytes):  # -> pypdfium2.PdfDocument
    """The PDF document, or PdfError saying what is wrong with the file."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not is_pdf(data):
        raise PdfError(NOT_PDF, "is named .pdf but is not a PDF (no %PDF- header)",
                       "replace it with the published PDF, or save its text as .txt")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise PdfError(ENCRYPTED, "is encrypted (a password is needed to open it)",
                           "save an unprotected copy (print it to PDF) or export its text as .txt") from None
        raise PdfError(DAMAGED, f"is damaged or truncated ({e})",
                       "download it again, or export its text as .txt") from None


def _rows_of(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into printed lines, top to bottom, each left to right."""
    lines: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.box.top + g.box.bottom) / 2):
        mid = (g.box.top + g.box.bottom) / 2
        if lines:
            last = lines[-1][-1]
            if abs(mid - (last.box.top + last.box.bottom) / 2) <= LINE_TOLERANCE_EM * max(g.height, last.height):
                lines[-1].append(g)
                continue
        lines.append([g])
    return [sorted(line, key=lambda g: g.ink) for line in lines]


def _em(line: list[Glyph]) -> float:
    """A printed line's font size: the median glyph height (single loose boxes vary by a point or so)."""
    return statistics.median(g.height for g in line)


def _line_text(line: list[Glyph]) -> str:
    """A printed line's text, with the spaces pdfium placed between its glyphs."""
    return "".join(g.text + (" " if g.space_after and g is not line[-1] else "") for g in line)


def _joiner(before: str, after: str, wrapped: bool) -> str:
    """What joins two printed lines of one cell or paragraph: nothing inside a wrapped CJK line, else a space
    (also before a line that opens a bullet or numbered item, however full the line before it was)."""
    if wrapped and not _ITEM_START.match(after) and not (_ASCII_WORD.match(before[-1:])
                                                         and _ASCII_WORD.match(after[:1])):
        return ""
    return " "


def _first_segment_width(line: list[Glyph]) -> float:
    """The width of a printed line's first segment the layout cannot break (Unicode line breaking, UAX #14: a
    Latin word, a character with the opening bracket before it and the closing punctuation after it)."""
    from uniseg.linebreak import line_break_units

    text = _line_text(line)
    first = next(iter(line_break_units(text)), text).rstrip()
    n = len(first) - first.count(" ")  # glyphs in it (spaces are pdfium's, not glyphs)
    n = max(1, min(n, len(line)))
    end = line[n].origin if n < len(line) else line[-1].box.x1
    return end - line[0].origin


def _wrapped(prev: list[Glyph], line: list[Glyph], right: float) -> bool:
    """True when the layout broke `prev` because `line`'s first segment did not fit before `right` (the container's
    right edge), so the two are one line of the source."""
    return right - prev[-1].box.x1 < _first_segment_width(line) + WRAP_SLACK_EM * _em(prev)


def _block_text(lines: list[list[Glyph]], right: float) -> str:
    """The text of a cell's printed lines; `right` is the cell's (or text column's) right edge."""
    text = ""
    for i, line in enumerate(lines):
        t = _line_text(line)
        if i:
            prev = lines[i - 1]
            text += _joiner(text, t, _wrapped(prev, line, right))
        text += t
    return text


def _checkboxes(text: str) -> str:
    """■/□ as ☑/☐ where a row holds a group of them before words (a printed choice); otherwise untouched."""
    if len(_BOX_GLYPH.findall(text)) < MIN_BOX_GLYPHS:
        return text
    return text.replace("■", "☑").replace("□", "☐")


def _table_rows(cells: tuple[Box, ...], inside: dict[int, list[Glyph]], page_no: int) -> list[PdfLine]:
    """One line per visual row of cells: the cells' texts left to right, joined by tabs."""
    out: list[PdfLine] = []
    order = sorted(range(len(cells)), key=lambda i: (cells[i].top, cells[i].x0))
    groups: list[list[int]] = []
    for i in order:
        if groups and abs(cells[i].top - cells[groups[-1][0]].top) <= ROW_TOLERANCE_PT:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        group.sort(key=lambda i: cells[i].x0)
        texts = [_block_text(_rows_of(inside.get(i, [])), cells[i].x1) for i in group]
        if not any(t.strip() for t in texts):
            continue  # a ruled box with nothing in it (a frame, a spacer)
        box = cells[group[0]]
        for i in group[1:]:
            box = box.union(cells[i])
        out.append(PdfLine(_checkboxes("\t".join(texts)), page_no, box, len(group)))
    return out


def _free_lines(glyphs: list[Glyph], right: float, page_width: float, page_no: int) -> list[PdfLine]:
    """Text outside the tables: printed lines, a line the layout wrapped joined to its continuation; `right`
    is the right edge of the page's text (its widest line or table)."""
    lines = _rows_of(glyphs)
    if not lines:
        return []
    out: list[PdfLine] = []
    block: list[list[Glyph]] = []
    for line in lines:
        if block:
            prev = block[-1]
            em = _em(prev)
            same_size = abs(em - _em(line)) <= SAME_SIZE_SHARE * em
            wide = prev[-1].box.x1 - prev[0].box.x0 >= WRAP_MIN_WIDTH_SHARE * page_width
            if not (same_size and wide and _wrapped(prev, line, right)):
                out.append(_free_line(block, right, page_no))
                block = []
        block.append(line)
    out.append(_free_line(block, right, page_no))
    return out


def _free_line(block: list[list[Glyph]], right: float, page_no: int) -> PdfLine:
    """One paragraph's line record."""
    box = block[0][0].box
    for g in (g for line in block for g in line):
        box = box.union(g.box)
    return PdfLine(_checkboxes(_block_text(block, right)), page_no, box)


def page_lines(page, page_no: int) -> PageLines:
    """A page's table rows and text lines in reading order (top to bottom, then left to right)."""
    height = page.get_height()
    glyphs = read_glyphs(page, height)
    ruling = grid(paths(page, height))
    inside: dict[int, list[Glyph]] = {}
    outside: list[Glyph] = []
    for g in glyphs:
        x, y = g.origin + CELL_PROBE_PT, (g.box.top + g.box.bottom) / 2
        hit = next((i for i, c in enumerate(ruling.cells) if c.holds(x, y)), None)
        if hit is None:
            outside.append(g)
        else:
            inside.setdefault(hit, []).append(g)
    right = max([g.box.x1 for g in glyphs] + [c.x1 for c in ruling.cells], default=0.0)
    found = _table_rows(ruling.cells, inside, page_no) + _free_lines(outside, right, page.get_width(), page_no)
    ordered = sorted(found, key=lambda ln: (round(ln.box.top, 1), ln.box.x0))
    return PageLines(ordered, ruling.open_top, ruling.open_bottom)


def _continues(prev: PdfLine, line: PdfLine) -> bool:
    """True when `line` (first on its page, whose ruling is open at the top, after a page open at the bottom)
    is the rest of `prev`'s table row: the same cells, the label cell empty."""
    return (line.page == prev.page + 1 and line.cells > 1 and prev.cells == line.cells
            and not line.text.split("\t")[0].strip())


def _join_rows(prev: PdfLine, line: PdfLine) -> PdfLine:
    """The two parts of a row cut by a page break as one line, cell by cell (cited at its first page)."""
    parts = [a + (_joiner(a, b, True) if a and b else "") + b
             for a, b in zip(prev.text.split("\t"), line.text.split("\t"))]
    return PdfLine("\t".join(parts), prev.page, prev.box, prev.cells)


def extract_pdf(data: bytes) -> PdfText:
    """Every page's lines in reading order; PdfError when the file is not a readable PDF with text."""
    pdf = _open(data)
    try:
        out: list[PdfLine] = []
        open_bottom = False
        for i in range(len(pdf)):
            page = page_lines(pdf[i], i + 1)
            for n, line in enumerate(page.lines):
                if n == 0 and open_bottom and page.open_top and out and _continues(out[-1], line):
                    out[-1] = _join_rows(out[-1], line)
                else:
                    out.append(line)
            open_bottom = page.open_bottom
        pages = len(pdf)
    finally:
        pdf.close()
    visible = sum(len(re.sub(r"\s", "", ln.text)) for ln in out)
    if visible < MIN_TEXT_CHARS:
        raise PdfError(NO_TEXT, f"has no text layer ({visible} characters on {pages} page(s): a scanned image)",
                       "OCR is not included; run OCR (e.g. ocrmypdf) or get the text version, then add it again")
    return PdfText(tuple(out), pages)
