"""Render text assessments as published-looking PDFs through headless Chromium (a test corpus for PDF ingestion).

There is no network here, so the PDFs the tests ingest are made from the clean seed documents: each tab row
becomes a bordered table row (label cell left, value cells right), markdown headings become headings, other
lines paragraphs; checkboxes are printed as glyphs (☑/☐, or ■/□ with --glyphs squares) the way the
published form shows them, in Noto CJK, on A4 pages with page breaks. Nothing here is committed as a binary:
tests build the PDFs into a temporary folder once per session.

    python bench/pdf_render.py OUT_DIR [corpus/000_….txt …]
"""
from __future__ import annotations

import argparse
import html
import logging
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# the clean seed documents (tab tables, markdown, HTML); 003 is text already extracted from a PDF, unrenderable
CLEAN_SEEDS = ("000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt", "002_8198ed8bac5210ca.txt",
               "004_57af33314b6a26f0.txt")
CHROMIUM = "/usr/bin/chromium"
# the flags this machine's closed network needs (see the env notes): no background connections, a fresh profile
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer")
RENDER_TIMEOUT_S = 180  # one 40-page assessment prints in a few seconds; a hang must not stall the test run
GLYPHS = {"ballot": ("☑", "☐"), "squares": ("■", "□")}

_CHECKED = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.I)
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$")

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: 'Noto Sans CJK JP', sans-serif; font-size: 9pt; line-height: 1.35; }
h1 { font-size: 14pt; margin: 8pt 0 4pt; } h2 { font-size: 12pt; margin: 7pt 0 3pt; }
h3, h4, h5, h6 { font-size: 10.5pt; margin: 6pt 0 3pt; }
p.line { margin: 2pt 0; }
table.row { width: 100%; border-collapse: collapse; margin: 0; table-layout: fixed; }
table.row > tbody > tr > td { border: 0.8pt solid #000; padding: 2pt 3pt; vertical-align: top; }
table.row > tbody > tr > td.label { width: 28%; background: #f2f2f2; }
table.row { break-inside: avoid; }
td table, td td, td th { border: none !important; }
td p, td ul, td li { margin: 0; } td ul { padding-left: 1.2em; }
"""


@dataclass(frozen=True)
class Rendered:
    """One PDF made from one text assessment."""

    source: Path
    pdf: Path


def _markup(cell: str, glyphs: tuple[str, str]) -> str:
    """A cell's own HTML with checkboxes printed as glyphs (a printed form shows the box, not an input)."""
    on, off = glyphs
    return _INPUT.sub(off + " ", _CHECKED.sub(on + " ", cell))


def _row(line: str, glyphs: tuple[str, str]) -> str:
    """One tab row as a bordered one-row table: the label cell left, the value cells right."""
    cells = line.split("\t")
    while len(cells) > 2 and not cells[-1].strip():
        cells.pop()  # trailing empty columns of wide source tables carry nothing
    tds = "".join(f'<td class="{"label" if i == 0 else "value"}">{_markup(c, glyphs) or "&nbsp;"}</td>'
                  for i, c in enumerate(cells))
    return f'<table class="row"><tbody><tr>{tds}</tr></tbody></table>'


def document_html(lines: list[str], title: str, glyphs: tuple[str, str] = GLYPHS["ballot"]) -> str:
    """The HTML page of one assessment: one visual row per non-blank source line, in order."""
    body: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line:
            body.append(_row(line, glyphs))
        elif m := _HEADING.match(line):
            level = min(len(m.group(1)), 3)
            body.append(f"<h{level}>{_markup(m.group(2), glyphs)}</h{level}>")
        else:
            body.append(f'<p class="line">{_markup(line, glyphs)}</p>')
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>")


def print_pdf(html_path: Path, pdf_path: Path, chromium: str = CHROMIUM) -> None:
    """Print one HTML file to PDF with headless Chromium; RuntimeError naming the file when it fails."""
    with tempfile.TemporaryDirectory(prefix="piaqa-chromium-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
               html_path.resolve().as_uri()]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S)
    if res.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"chromium could not print {html_path.name} to PDF (exit {res.returncode}): "
                           f"{res.stderr.strip()[-500:]}")


def render(sources: list[Path], out_dir: Path, glyphs: str = "ballot") -> list[Rendered]:
    """PDFs of `sources` in `out_dir`, named like their text files with .pdf."""
    if shutil.which(CHROMIUM) is None:
        raise RuntimeError(f"{CHROMIUM} not found; install Debian's chromium and fonts-noto-cjk (make browser-deps)")
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[Rendered] = []
    for src in sources:
        lines = src.read_text(encoding="utf-8").split("\n")
        page = out_dir / f"{src.stem}.html"
        page.write_text(document_html(lines, src.stem, GLYPHS[glyphs]), encoding="utf-8")
        pdf = out_dir / f"{src.stem}.pdf"
        print_pdf(page, pdf)
        page.unlink()
        log.info("rendered %s -> %s", src.name, pdf)
        done.append(Rendered(src, pdf))
    return done


def main(argv: list[str] | None = None) -> None:
    """Command line: render the clean seed documents (or the files given) into OUT_DIR."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--glyphs", choices=sorted(GLYPHS), default="ballot")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sources = args.files or [ROOT / "corpus" / n for n in CLEAN_SEEDS]
    for r in render(sources, args.out_dir, args.glyphs):
        print(r.pdf)


if __name__ == "__main__":
    main()
