"""Pure rendering for the web UI: escaped HTML, tables and export file contents. No gradio import."""
from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from dataclasses import asdict

from piaqa.catalog import section_window
from piaqa.records import Answer, Citation, Document, Field, Hit
from piaqa.safetext import json_line

CSS = """
.piaqa-src { border-left: 3px solid #1f6feb; padding: 4px 8px; margin: 6px 0; background: #f6f8fa; }
.piaqa-src h4 { margin: 0 0 4px 0; font-size: 0.95em; }
.piaqa-lines { font-family: monospace; font-size: 0.85em; white-space: pre-wrap; margin: 0; }
.piaqa-lines .hl { background: #fff3b0; }
.piaqa-lines .no { color: #888; user-select: none; }
.piaqa-meta { color: #555; font-size: 0.85em; }
"""


def esc(text: str) -> str:
    """HTML-escaped text: user questions and document text are never markup."""
    return html.escape(text or "", quote=True)


def chat_markdown(answer: Answer) -> str:
    """The assistant's chat message: the answer (escaped) plus a one-line source legend."""
    text = esc(answer.text)
    if not answer.answerable:
        text = "⚠️ " + text
    legend = " · ".join(f"[{i}] {esc(c.city)} L{c.line_start}-{c.line_end}"
                        for i, c in enumerate(answer.citations[:5], 1))
    return text + (f"\n\n<sub>{legend}</sub>" if legend else "")


def _numbered(lines: Sequence[str], first: int, highlight: range | None) -> str:
    """Lines with their original numbers, cited ones highlighted."""
    out = []
    for i, line in enumerate(lines):
        no = first + i
        cls = ' class="hl"' if highlight and no in highlight else ""
        out.append(f'<span{cls}><span class="no">{no:>5} </span>{esc(line)}</span>')
    return '<pre class="piaqa-lines">' + "\n".join(out) + "</pre>"


def sources_html(answer: Answer | None, docs: dict[str, Document]) -> str:
    """The sources panel: one block per citation (city, 事務, 種別, section, lines, passage)."""
    if answer is None or not answer.citations:
        return '<p class="piaqa-meta">No sources yet. / 出典はまだありません。</p>'
    blocks = []
    for i, c in enumerate(answer.citations, 1):
        kind = docs[c.doc].meta.kind if c.doc in docs else ""
        head = (f"<h4>[{i}] {esc(c.city)} · {esc(c.jimu)} · {esc(kind)}</h4>"
                f'<div class="piaqa-meta">{esc(c.path)} — {esc(c.doc)} L{c.line_start}–{c.line_end}</div>')
        body = _numbered(c.text.split("\n")[:12], c.line_start, range(c.line_start, c.line_end + 1))
        blocks.append(f'<div class="piaqa-src" id="src-{i}">{head}{body}</div>')
    return "".join(blocks)


def citation_choices(answer: Answer | None) -> list[str]:
    """Labels for the citation selector: "[1] 倉敷市 L91-91"."""
    if answer is None:
        return []
    return [f"[{i}] {c.city} L{c.line_start}-{c.line_end}" for i, c in enumerate(answer.citations, 1)]


def section_html(citation: Citation, doc: Document) -> str:
    """The whole section around a citation, original text with line numbers, cited lines highlighted."""
    sec = section_window(doc, citation.line_start, citation.line_end)
    head = (f"<h4>{esc(doc.meta.city)} · {esc(doc.meta.jimu)} · {esc(doc.meta.kind)}</h4>"
            f'<div class="piaqa-meta">{esc(sec.path or citation.path)} — {esc(doc.meta.doc)} '
            f'L{sec.line_start}–{sec.line_end}</div>')
    return head + _numbered(doc.lines[sec.line_start - 1:sec.line_end], sec.line_start,
                            range(citation.line_start, citation.line_end + 1))


def rows_table(answer: Answer | None) -> list[list[str]]:
    """Across-cities rows: city | 事務 | value | source."""
    if answer is None:
        return []
    out = []
    for r in answer.rows:
        src = ""
        if r.citation is not None and r.citation < len(answer.citations):
            c = answer.citations[r.citation]
            src = f"[{r.citation + 1}] {c.doc} L{c.line_start}-{c.line_end}"
        out.append([("○ " if r.satisfied else "× ") + r.city, r.jimu, r.value, src])
    return out


ROW_HEADERS = ["city", "事務", "value", "source"]
HIT_HEADERS = ["score", "city", "section", "lines", "text"]
FIELD_HEADERS = ["city", "file", "item", "label", "value", "lines", "history"]


def hits_table(hits: Sequence[Hit]) -> list[list[str]]:
    """Researcher search results."""
    return [[f"{h.score:.4f}", h.chunk.city, " > ".join(h.chunk.path),
             f"{h.chunk.doc} L{h.chunk.line_start}-{h.chunk.line_end}", _shorten(h.chunk.text, 300)] for h in hits]


def fields_table(fields: Sequence[Field]) -> list[list[str]]:
    """Extracted fields."""
    return [[f.city, f.file_name or "", f.item or "", f.label, f.value,
             f"{f.doc} L{f.line_start}-{f.line_end}", "変更箇所" if f.history else ""] for f in fields]


def _shorten(text: str, n: int) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= n else text[:n - 1] + "…"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """CSV text (UTF-8 with BOM so spreadsheet programs read the Japanese right)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def to_jsonl(records: Sequence[object]) -> str:
    """JSON lines of dataclass records."""
    return "".join(json_line(asdict(r) if hasattr(r, "__dataclass_fields__") else r)  # type: ignore[arg-type]
                   for r in records)
