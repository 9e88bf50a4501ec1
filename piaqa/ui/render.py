"""Pure rendering for the web UI: escaped HTML, tables and export file contents. No gradio import."""
from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import asdict

from piaqa.safetext import json_line

CSS = """
.piaqa-src { border-left: 3px solid #1f6feb; padding: 4px 8px; margin: 6px 0; background: #f6f8fa; }
.piaqa-src h4 { margin: 0 0 4px 0; font-size: 0.95em; }
.piaqa-lines { font-family: monospace; font-size: 0.85em; white-space: pre-wrap; margin: 0; }
.piaqa-lines .hl { background: #fff3b0; }
.piaqa-lines .no { color: #888; user-select: none; }
.piaqa-meta { color: #555; font-size: 0.85em; }
.piaqa-side { display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap; }
.piaqa-side .piaqa-text { flex: 1 1 320px; min-width: 0; }
.piaqa-page { flex: 1 1 360px; margin: 0; } .piaqa-page img { width: 100%; border: 1px solid #ccc; }
.piaqa-hidden { display: none !important; }
a.piaqa-cite { color: #1f6feb; text-decoration: none; font-weight: 600; cursor: pointer; }
a.piaqa-cite:hover { text-decoration: underline; }
#piaqa-section { max-height: 520px; overflow-y: auto; }
.piaqa-orig summary, .piaqa-more summary { cursor: pointer; color: #555; font-size: 0.85em; }
table.piaqa-rows { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.piaqa-rows th, table.piaqa-rows td { border: 1px solid #d0d7de; padding: 4px 6px; vertical-align: top; }
table.piaqa-rows td.dec { text-align: center; font-weight: 700; }
table.piaqa-rows tr.yes td.dec { color: #1a7f37; }
table.piaqa-rows tr.no td.dec { color: #cf222e; }
.piaqa-chips label { border-radius: 999px !important; }
"""


def esc(text: str) -> str:
    """HTML-escaped text: user questions and document text are never markup."""
    return html.escape(text or "", quote=True)


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
