"""Citations in place: the answer's [n] markers as links with a hover preview, the sources panel (the cited
passages first, the rest folded away), and the section viewer. Pure HTML rendering, no gradio.

A citation link is `<a class="piaqa-cite" href="#piaqa-cite-T-N">`: turn T of the conversation (0-based, as the
chat shows it), citation N of that turn's answer (1-based, as the answer's [N]). The page's script (OPEN_JS)
turns a click on such a link into the viewer event, which resolves T-N against the conversation it holds.
"""
from __future__ import annotations

import base64
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from piaqa.catalog import section_window
from piaqa.parse.pdfpage import PreviewError, page_png
from piaqa.records import Answer, Citation, Document
from piaqa.text import clean_line
from piaqa.ui.render import esc

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d{1,3})\]")
REF = re.compile(r"(\d{1,4})-(\d{1,3})")
# a hover preview is a glance, not the passage: the viewer shows the lines in full
PREVIEW_LINES = 6
PREVIEW_CHARS = 320
LEGEND_MAX = 5  # citations written out under a chat answer; the sources panel lists them all


def ref_of(turn: int, no: int) -> str:
    """The link target of citation `no` (1-based) of turn `turn` (0-based)."""
    return f"#piaqa-cite-{turn}-{no}"


def parse_ref(ref: str | None) -> tuple[int, int] | None:
    """(turn, citation number) from "T-N" or a link target ending in it; None when it is not one."""
    m = REF.search((ref or "").rsplit("piaqa-cite-", 1)[-1])
    return (int(m.group(1)), int(m.group(2))) if m else None


def where(c: Citation) -> str:
    """A citation named for people: city, 事務 and lines (never the file name)."""
    return f"{c.city} {c.jimu} {c.where}"


def clean_text(text: str) -> str:
    """Original lines as a reader sees them: checkboxes as ☑/☐, entities decoded, tags gone."""
    return "\n".join(clean_line(line) for line in text.split("\n"))


def preview(c: Citation) -> str:
    """The hover text of a marker: city, 事務, section path, lines and the cited lines (clean)."""
    lines = [x for x in clean_text(c.text).split("\n") if x][:PREVIEW_LINES]
    body = "\n".join(lines)
    if len(body) > PREVIEW_CHARS:
        body = body[:PREVIEW_CHARS - 1] + "…"
    return f"{c.city} · {c.jimu}\n{c.path}\n{c.where}\n{body}"


def link(turn: int, no: int, c: Citation, label: str | None = None) -> str:
    """An anchor that opens citation `no` in the viewer, with its preview as the hover text."""
    title = esc(preview(c)).replace("\n", "&#10;")
    return (f'<a class="piaqa-cite" href="{ref_of(turn, no)}" title="{title}">'
            f"{esc(label if label is not None else f'[{no}]')}</a>")


def cited(answer: Answer) -> list[int]:
    """Numbers (1-based) of the citations the answer stands on: its [n] markers and its table's sources; the
    first citation of an answer that marks none (the composers put their evidence first)."""
    n = len(answer.citations)
    found = [int(m) for m in MARKER.findall(answer.text) if 1 <= int(m) <= n]
    found += [r.citation + 1 for r in answer.rows if r.citation is not None and r.citation < n]
    if not found and n and answer.answerable:
        found = [1]
    return sorted(set(found))


def chat_html(answer: Answer, turn: int) -> str:
    """The assistant's chat message: the answer (escaped) with clickable markers and a legend of its sources."""
    n = len(answer.citations)

    def marker(m: re.Match[str]) -> str:
        no = int(m.group(1))
        return link(turn, no, answer.citations[no - 1]) if 1 <= no <= n else m.group(0)

    text = MARKER.sub(marker, esc(answer.text))
    if not answer.answerable:
        text = "⚠️ " + text
    nos = cited(answer)
    legend = " · ".join(link(turn, no, answer.citations[no - 1], f"[{no}] {where(answer.citations[no - 1])}")
                        for no in nos[:LEGEND_MAX])
    more = f" · +{len(nos) - LEGEND_MAX}" if len(nos) > LEGEND_MAX else ""
    return text + (f"\n\n<sub>{legend}{more}</sub>" if legend else "")


def numbered(lines: Sequence[str], first: int, highlight: range | None, clean: bool) -> str:
    """Lines with their original numbers, cited ones highlighted; `clean` renders them as a reader sees them."""
    out = []
    for i, line in enumerate(lines):
        no = first + i
        cls = ' class="hl"' if highlight and no in highlight else ""
        out.append(f'<span{cls}><span class="no">{no:>5} </span>{esc(clean_line(line) if clean else line)}</span>')
    return '<pre class="piaqa-lines">' + "\n".join(out) + "</pre>"


def _original(lines: Sequence[str], first: int, highlight: range) -> str:
    """The original lines (markup and all), one click away."""
    return (f'<details class="piaqa-orig"><summary>原文 / original lines</summary>'
            f"{numbered(lines, first, highlight, clean=False)}</details>")


def _block(turn: int, no: int, c: Citation, kind: str) -> str:
    lines = c.text.split("\n")
    span = range(c.line_start, c.line_end + 1)
    head = (f"<h4>{link(turn, no, c, f'[{no}] {c.city} · {c.jimu}')} "
            f'<span class="piaqa-meta">{esc(kind)}</span></h4>'
            f'<div class="piaqa-meta">{esc(c.path)} — {esc(c.where)}</div>')
    return (f'<div class="piaqa-src" id="src-{no}">{head}{numbered(lines, c.line_start, span, clean=True)}'
            f"{_original(lines, c.line_start, span)}</div>")


NO_SOURCES = '<p class="piaqa-meta">出典はまだありません。/ No sources yet.</p>'


def sources_html(answer: Answer | None, turn: int, docs: Mapping[str, Document]) -> str:
    """The sources panel: the cited passages (city, 事務, 種別, section, lines, clean text, original lines), the
    others under a folded "more passages"."""
    if answer is None or not answer.citations:
        return NO_SOURCES
    kinds = {name: d.meta.kind for name, d in docs.items()}
    nos = set(cited(answer))
    blocks = {no: _block(turn, no, c, kinds.get(c.doc, "")) for no, c in enumerate(answer.citations, 1)}
    main = "".join(b for no, b in blocks.items() if no in nos)
    rest = [b for no, b in blocks.items() if no not in nos]
    if rest:
        main += (f'<details class="piaqa-more"><summary>ほかの関連箇所 / more passages ({len(rest)})</summary>'
                 f'{"".join(rest)}</details>')
    return main


def page_figure(citation: Citation, doc: Document, corpus_dir: Path) -> str:
    """The cited PDF page as an image with the cited lines' boxes highlighted; "" for a text assessment."""
    if citation.page is None or not doc.layout:
        return ""
    boxes = doc.layout[citation.line_start - 1:citation.line_end]
    try:
        png = page_png(corpus_dir / doc.meta.doc, citation.page, tuple(boxes))
    except PreviewError as e:
        log.warning("%s", e)
        return f'<p class="piaqa-meta">ページ画像を表示できません。/ No page preview: {esc(str(e))}</p>'
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure class="piaqa-page"><img alt="{esc(doc.meta.doc)} p.{citation.page}" '
            f'src="data:image/png;base64,{data}"/><figcaption>{esc(doc.meta.doc)} p.{citation.page} '
            f"(引用箇所を強調 / cited lines highlighted)</figcaption></figure>")


def section_html(citation: Citation, doc: Document, page_image: str = "") -> str:
    """The viewer: the whole section around a citation, clean lines numbered, the cited ones highlighted (the page
    scrolls to them), the original lines one click away; for a PDF, the cited page beside the text."""
    sec = section_window(doc, citation.line_start, citation.line_end)
    span = range(citation.line_start, citation.line_end + 1)
    lines = doc.lines[sec.line_start - 1:sec.line_end]
    head = (f"<h4>{esc(doc.meta.city)} · {esc(doc.meta.jimu)} · {esc(doc.meta.kind)}</h4>"
            f'<div class="piaqa-meta">{esc(sec.path or citation.path)} — L{sec.line_start}–{sec.line_end} '
            f"(引用 / cited {esc(citation.where)})</div>")
    text = numbered(lines, sec.line_start, span, clean=True) + _original(lines, sec.line_start, span)
    if not page_image:
        return head + text
    return head + f'<div class="piaqa-side"><div class="piaqa-text">{text}</div>{page_image}</div>'


def citation_at(turns: Sequence[Answer], ref: str | None) -> Citation | None:
    """The citation a link names in this conversation (None for a link from another one)."""
    got = parse_ref(ref)
    if got is None:
        return None
    turn, no = got
    if not 0 <= turn < len(turns) or not 1 <= no <= len(turns[turn].citations):
        return None
    return turns[turn].citations[no - 1]


# A click on a citation link (chat, sources, table) puts its target into the hidden box and presses the hidden
# button: the viewer event. Capture phase, so gradio's own link handling never navigates away.
OPEN_JS = """
() => {
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a.piaqa-cite');
    if (!a) return;
    e.preventDefault(); e.stopPropagation();
    const box = document.querySelector('#piaqa-open textarea, #piaqa-open input');
    const go = document.querySelector('#piaqa-open-go');
    if (!box || !go) return;
    box.value = a.getAttribute('href');
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(() => go.click(), 0);
  }, true);
}
"""


def scroll_js(viewer_id: str) -> str:
    """The script run after a viewer opens: bring its first cited line into view."""
    return (f"() => {{ const h = document.querySelector('#{viewer_id} .hl'); "
            "if (h) h.scrollIntoView({block: 'center'}); }")
