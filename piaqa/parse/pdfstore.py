"""Extracted PDF text kept with the index (`index/pdftext/<sha256>.json`), so a start or a rebuild does not
extract an unchanged PDF again; an entry of another extraction version, or one that does not read back,
is ignored and the PDF extracted anew."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from piaqa.parse.pdfgrid import Box
from piaqa.parse.pdftext import EXTRACTION_VERSION, PdfLine, PdfText

log = logging.getLogger(__name__)

FOLDER = "pdftext"  # inside the index folder; an artefact, hashed in the manifest like the others
_ROUND = 2  # box coordinates to 1/100 pt: far below a glyph, keeps the files small


def _path(folder: Path, sha: str) -> Path:
    """Where the extraction of the PDF with content hash `sha` is kept."""
    return folder / f"{sha}.json"


def load(folder: Path, sha: str) -> PdfText | None:
    """The kept extraction of this PDF, or None (absent, another version, unreadable)."""
    path = _path(folder, sha)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != EXTRACTION_VERSION or data.get("sha256") != sha:
            return None
        lines = tuple(PdfLine(t, int(p), Box(*map(float, b)), int(c)) for t, p, b, c in data["lines"])
        return PdfText(lines, int(data["pages"]))
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("%s: kept PDF text unreadable (%s); extracting the PDF again", path, e)
        return None


def save(folder: Path, sha: str, text: PdfText) -> None:
    """Keep one extraction (written by the index build into its new folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [[ln.text, ln.page, [round(v, _ROUND) for v in (ln.box.x0, ln.box.top, ln.box.x1, ln.box.bottom)],
             ln.cells] for ln in text.lines]
    body = {"version": EXTRACTION_VERSION, "sha256": sha, "pages": text.pages, "lines": rows}
    _path(folder, sha).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
