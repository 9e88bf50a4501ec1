"""A PDF page as a PNG with the cited lines' boxes highlighted (the section viewer's page preview)."""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from piaqa.records import LineBox

log = logging.getLogger(__name__)

PREVIEW_SCALE = 1.5  # 108 dpi: an A4 page is 893 x 1263 px, 9 pt text readable, ~150 KB as PNG
HIGHLIGHT_FILL = (255, 200, 0, 80)  # translucent yellow over the cited lines: the text stays readable
HIGHLIGHT_EDGE = (230, 120, 0, 255)
HIGHLIGHT_PAD_PT = 1.5  # a little air around each box so the highlight does not clip descenders
CACHED_PAGES = 64  # rendered previews kept in memory (~10 MB): reopening a citation is instant


class PreviewError(RuntimeError):
    """The page cannot be rendered (the PDF is gone, changed or damaged); the message says what to do."""


def page_png(pdf: Path, page: int, boxes: tuple[LineBox, ...]) -> bytes:
    """Page `page` (1-based) of `pdf` as PNG bytes, the boxes on that page highlighted; cached by file state."""
    try:
        st = pdf.stat()
    except OSError as e:
        raise PreviewError(f"{pdf.name}: cannot be read for the page preview ({e.strerror or e}); "
                           "put the PDF back in the corpus folder or rebuild the index") from None
    return _render(str(pdf), st.st_mtime_ns, st.st_size, page, tuple(b for b in boxes if b.page == page))


@lru_cache(maxsize=CACHED_PAGES)
def _render(path: str, mtime_ns: int, size: int, page: int, boxes: tuple[LineBox, ...]) -> bytes:
    """The rendering behind `page_png` (mtime and size make a changed file a new cache entry)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise PreviewError(f"{Path(path).name}: cannot be opened for the page preview ({e}); "
                           "replace it with the published PDF and rebuild the index") from None
    try:
        if not 1 <= page <= len(doc):
            raise PreviewError(f"{Path(path).name} has {len(doc)} pages, not page {page}; rebuild the index")
        image = doc[page - 1].render(scale=PREVIEW_SCALE).to_pil().convert("RGBA")
    finally:
        doc.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for b in boxes:
        rect = [(b.x0 - HIGHLIGHT_PAD_PT) * PREVIEW_SCALE, (b.top - HIGHLIGHT_PAD_PT) * PREVIEW_SCALE,
                (b.x1 + HIGHLIGHT_PAD_PT) * PREVIEW_SCALE, (b.bottom + HIGHLIGHT_PAD_PT) * PREVIEW_SCALE]
        draw.rectangle(rect, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=2)
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
