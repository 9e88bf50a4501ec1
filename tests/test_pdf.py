"""PDF ingestion (issue 10): the clean seed assessments printed by headless Chromium and read back must give
the same metadata, sections and fields as their text files, every line must know its page and box, and bad
PDFs are skipped with one clear line each."""
from __future__ import annotations

import collections
import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import CLEAN_SEEDS, CORPUS

FIELD_EXACT_FLOOR = 0.95  # issue 10: ≥ 95% of fields identical in label and value; measured 0.955 (1,863 of 1,951)
# white space aside, measured 0.984 (1,919): PDF text has no space characters, pdfium infers them from gaps, and
# whether a printed line break was the source's (a space) or the layout's (nothing) is decided from the room
# left on the line; the rest differ in side-by-side blocks inside one cell and an overflowing nested table
FIELD_FLOOR = 0.98


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def loads(pdf_corpus, tmp_path_factory):
    from piaqa.config import Settings
    from piaqa.parse.ingest import scan_corpus

    settings = Settings(index_dir=tmp_path_factory.mktemp("noindex"))  # no kept extractions: really extract
    pdf = scan_corpus(pdf_corpus, settings)
    text = scan_corpus(CORPUS, settings)
    assert not pdf.skipped and not text.skipped
    return {Path(d.meta.doc).stem: d for d in pdf.docs}, {Path(d.meta.doc).stem: d for d in text.docs}, pdf


def _field_agreement(pdf_doc, text_doc) -> tuple[int, int, int, list[str]]:
    """(exact, white-space-insensitive, total, differences) of the text document's fields found in the PDF's."""
    from piaqa.parse.fields import extract_corpus_fields

    def key(f):
        return f.path, f.item, f.file_name, f.label, f.history

    found = collections.defaultdict(list)
    for f in extract_corpus_fields([pdf_doc]):
        found[key(f)].append(f.value)
    exact = loose = 0
    diffs = []
    for f in extract_corpus_fields([text_doc]):
        values = found.get(key(f), [])
        if f.value in values:
            exact += 1
            loose += 1
            values.remove(f.value)
            continue
        same = [v for v in values if _ws(v) == _ws(f.value)]
        if same:
            loose += 1
            values.remove(same[0])
            continue
        diffs.append(f"{text_doc.meta.city} L{f.line_start} {f.label}: {f.value[:60]!r} vs {values[:1]!r}")
    return exact, loose, len(extract_corpus_fields([text_doc])), diffs


def test_pdf_matches_its_text_file(loads):
    pdf, text, _ = loads
    assert sorted(pdf) == sorted(Path(n).stem for n in CORPUS.glob("*.txt"))
    exact = loose = total = 0
    diffs: list[str] = []
    for stem in (Path(n).stem for n in CLEAN_SEEDS):
        p, t = pdf[stem], text[stem]
        assert p.meta.doc == f"{stem}.pdf"
        assert dataclasses.replace(p.meta, doc="") == dataclasses.replace(t.meta, doc="")
        assert [s.path for s in p.sections] == [s.path for s in t.sections], stem
        e, lo, n, d = _field_agreement(p, t)
        exact, loose, total, diffs = exact + e, loose + lo, total + n, diffs + d
    report = f"{loose}/{total} fields agree ({exact} exactly); differences:\n" + "\n".join(diffs)
    assert loose / total >= FIELD_FLOOR, report
    assert exact / total >= FIELD_EXACT_FLOOR, report


def test_every_pdf_line_knows_its_page_and_box(loads, pdf_corpus):
    import pypdfium2 as pdfium

    pdf, _, _ = loads
    doc = pdf["001_fd6f090b79f37056"]
    assert len(doc.layout) == len(doc.lines)
    pages = [b.page for b in doc.layout]
    assert pages == sorted(pages) and pages[0] == 1
    file = pdfium.PdfDocument(pdf_corpus / doc.meta.doc)
    try:
        assert pages[-1] == len(file)
        misplaced = []
        for no, (line, box) in enumerate(zip(doc.lines, doc.layout), 1):
            page = file[box.page - 1]
            tp = page.get_textpage()
            h = page.get_height()
            inside = _ws(tp.get_text_bounded(box.x0 - 1, h - box.bottom - 1, box.x1 + 1, h - box.top + 1))
            if _ws(line)[:8] not in inside:
                misplaced.append((no, box.page, line[:30]))
        assert not misplaced, misplaced[:5]
    finally:
        file.close()


def test_a_field_is_cited_on_its_page(loads):
    """倉敷市's 委託先 (a field read from a table row) is on the page its citation names, and its value is the
    text file's."""
    from piaqa.parse.fields import extract_corpus_fields

    pdf, text, _ = loads
    stem = "000_2b92446a3e503446"
    want = [f for f in extract_corpus_fields([text[stem]]) if f.label == "委託先名" and not f.history]
    got = [f for f in extract_corpus_fields([pdf[stem]]) if f.label == "委託先名" and not f.history]
    assert [f.value for f in got] == [f.value for f in want] and got
    assert all(pdf[stem].page_of(f.line_start) is not None for f in got)


def test_citations_carry_the_page(loads):
    from piaqa.catalog import section_window

    pdf, text, _ = loads
    doc = pdf["000_2b92446a3e503446"]
    line = next(i for i, t in enumerate(doc.lines, 1) if t.startswith("③委託先名"))
    c = section_window(doc, line)
    assert c.page == doc.page_of(c.line_start) and c.page is not None
    assert c.to_json()["page"] == c.page and c.where == f"p.{c.page} L{c.line_start}–{c.line_end}"
    t = section_window(text["000_2b92446a3e503446"], 1)
    assert t.page is None and "page" not in t.to_json() and t.where == f"L{t.line_start}–{t.line_end}"


def test_kept_extraction_round_trips(loads, tmp_path):
    from piaqa.parse import pdfstore

    _, _, load = loads
    sha, text = next(iter(load.extracted.items()))
    pdfstore.save(tmp_path, sha, text)
    back = pdfstore.load(tmp_path, sha)
    assert back is not None and [ln.text for ln in back.lines] == [ln.text for ln in text.lines]
    assert [(ln.page, round(ln.box.top, 2)) for ln in back.lines] == [(ln.page, round(ln.box.top, 2))
                                                                     for ln in text.lines]
    assert pdfstore.load(tmp_path, "0" * 64) is None
    (tmp_path / f"{sha}.json").write_text('{"version": 0}', encoding="utf-8")
    assert pdfstore.load(tmp_path, sha) is None  # another version: extracted again


def test_page_preview_highlights_the_cited_lines(loads, pdf_corpus):
    import io

    from PIL import Image

    from piaqa.parse.pdfpage import PREVIEW_SCALE, page_png

    pdf, _, _ = loads
    doc = pdf["000_2b92446a3e503446"]
    line = next(i for i, t in enumerate(doc.lines, 1) if t.startswith("③委託先名"))
    box = doc.layout[line - 1]
    plain = Image.open(io.BytesIO(page_png(pdf_corpus / doc.meta.doc, box.page, ())))
    marked = Image.open(io.BytesIO(page_png(pdf_corpus / doc.meta.doc, box.page, (box,))))
    assert plain.size == marked.size and abs(plain.size[0] - 595 * PREVIEW_SCALE) <= 2  # A4 at the preview scale
    x, y = int((box.x0 + 3) * PREVIEW_SCALE), int((box.top + box.bottom) / 2 * PREVIEW_SCALE)
    r, g, b = marked.convert("RGB").getpixel((x, y))
    assert b < r - 40 and b < g - 40, (r, g, b)  # yellow over the cited line
    far = int(max(1, box.top - 40) * PREVIEW_SCALE)
    assert marked.convert("RGB").getpixel((x, far)) == plain.convert("RGB").getpixel((x, far))


def test_section_viewer_shows_the_page_for_a_pdf_only(loads, pdf_corpus):
    from piaqa.catalog import section_window
    from piaqa.ui import cite

    pdf, text, _ = loads
    doc = pdf["004_57af33314b6a26f0"]
    c = section_window(doc, 40)
    html = cite.section_html(c, doc, cite.page_figure(c, doc, pdf_corpus))
    assert 'src="data:image/png;base64,' in html and f"p.{c.page}" in html
    t = text["004_57af33314b6a26f0"]
    assert cite.page_figure(section_window(t, 40), t, CORPUS) == ""
    gone = cite.page_figure(c, doc, pdf_corpus / "missing")
    assert "No page preview" in gone and "img" not in gone


# ------------------------------------------------------------------------------------------- bad PDFs

def _bad_pdfs(src: Path, folder: Path) -> None:
    """An encrypted, an image-only, a truncated, a fake and an empty PDF, made from a good one."""
    import pypdf
    import pypdfium2 as pdfium

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(src))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with open(folder / "900_encrypted.pdf", "wb") as fh:
        writer.write(fh)
    doc = pdfium.PdfDocument(src)
    images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(2)]
    doc.close()
    images[0].save(folder / "901_scanned.pdf", "PDF", save_all=True, append_images=images[1:])
    data = src.read_bytes()
    (folder / "902_truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "903_fake.pdf").write_text("特定個人情報保護評価書 — this is text, not a PDF\n", encoding="utf-8")
    (folder / "904_empty.pdf").write_bytes(b"")


def test_bad_pdfs_get_one_clear_line_each_and_the_rest_is_indexed(pdf_dir, tmp_path):
    from piaqa.config import Settings
    from piaqa.parse import pdftext
    from piaqa.parse.ingest import EMPTY, scan_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy2(pdf_dir / "004_57af33314b6a26f0.pdf", folder)
    shutil.copy2(CORPUS / "003_36f852d2897e428a.txt", folder)
    _bad_pdfs(pdf_dir / "000_2b92446a3e503446.pdf", folder)
    load = scan_corpus(folder, Settings(index_dir=tmp_path / "index"))
    assert sorted(d.meta.doc for d in load.docs) == ["003_36f852d2897e428a.txt", "004_57af33314b6a26f0.pdf"]
    kinds = {s.file: s.kind for s in load.skipped}
    assert kinds == {"900_encrypted.pdf": pdftext.ENCRYPTED, "901_scanned.pdf": pdftext.NO_TEXT,
                     "902_truncated.pdf": pdftext.DAMAGED, "903_fake.pdf": pdftext.NOT_PDF,
                     "904_empty.pdf": EMPTY}
    lines = {s.file: s.line for s in load.skipped}
    assert all("\n" not in line and "skipped" in line for line in lines.values())
    assert "password" in lines["900_encrypted.pdf"] and "unprotected copy" in lines["900_encrypted.pdf"]
    assert "OCR is not included" in lines["901_scanned.pdf"] and "scanned" in lines["901_scanned.pdf"]
    assert "download it again" in lines["902_truncated.pdf"]
    assert "not a PDF" in lines["903_fake.pdf"]
    assert set(load.fingerprint) == {p.name for p in folder.iterdir()}  # a fixed file is noticed by its hash


# ------------------------------------------------------------------------------------------- small parts

def test_a_thin_path_is_one_rule_a_box_four_and_a_glyph_box_none():
    from piaqa.parse.pdfgrid import Box, edges_of

    assert [e["orientation"] for e in edges_of(Box(10, 100, 300, 100.75))] == ["h"]
    assert [e["orientation"] for e in edges_of(Box(10, 100, 10.75, 200))] == ["v"]
    assert sorted(e["orientation"] for e in edges_of(Box(10, 100, 300, 140))) == ["h", "h", "v", "v"]
    assert edges_of(Box(10, 100, 18, 108)) == []  # a checkbox square drawn as a path


def test_square_glyphs_are_choices_only_in_a_group():
    from piaqa.parse.pdftext import _checkboxes

    assert _checkboxes("■ 紙 □ 電子メール □ 専用線") == "☑ 紙 ☐ 電子メール ☐ 専用線"
    assert _checkboxes("■サーバ室は施錠している。") == "■サーバ室は施錠している。"  # one bullet: prose


def _printed(text: str, x0: float = 0.0, em: float = 9.0) -> list:
    """A printed line of full-width glyphs (Latin ones half an em wide), pen positions left to right."""
    from piaqa.parse.pdfglyphs import Glyph
    from piaqa.parse.pdfgrid import Box

    out, x = [], x0
    for ch in text:
        w = em / 2 if ch.isascii() else em
        out.append(Glyph(ch, Box(x, 0, x + w, em), x, x + w / 2, em * 0.88))
        x += w
    return out


def test_a_line_was_wrapped_only_when_the_next_lines_first_segment_did_not_fit():
    """The layout breaks a line at Unicode line-break opportunities: a line ending 1.6 em short of its cell
    was ended by the source when the next line starts with a character that fits (公), wrapped when it starts
    with a Latin word (ISO/IEC27018) or a character held to the punctuation after it (記:①】・) that does not fit."""
    from piaqa.parse.pdftext import _block_text

    em, right = 9.0, 9.0 * 20
    line1 = _printed("あ" * 18, x0=right - 1.6 * em - 18 * em)  # ends 1.6 em before the edge
    assert _block_text([line1, _printed("公平な")], right) == "あ" * 18 + " 公平な"
    assert _block_text([line1, _printed("ISO/IEC27018の認証")], right) == "あ" * 18 + "ISO/IEC27018の認証"
    assert _block_text([line1, _printed("記:①】・申請")], right) == "あ" * 18 + "記:①】・申請"
    full = _printed("あ" * 19 + "い", x0=right - 0.2 * em - 20 * em)  # full to the edge: always a wrap
    assert _block_text([full, _printed("公平な")], right) == "あ" * 19 + "い公平な"
