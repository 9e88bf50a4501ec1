"""Across-cities answers as a table: one row per city and file with its decision (○ / × / 記載なし), the evidence
in full and its source; shown as HTML under the answer and downloaded as CSV or Excel. No gradio."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields

from piaqa.records import Answer
from piaqa.ui import cite
from piaqa.ui.render import esc, to_csv

YES, NO, NOT_STATED = "○", "×", "記載なし"
# the composers cut long values to a glance ("…"); the table and its downloads hold the evidence in full
CUT = "…"


@dataclass(frozen=True)
class CityRow:
    """One city's (and file's) line of an across-cities answer, with its full evidence and where it stands."""

    city: str
    jimu: str
    decision: str  # ○ (meets the condition) / × (does not) / 記載なし (the document states nothing on it)
    evidence: str  # the value, or the cited line(s) as a reader sees them, never cut
    section: str
    doc: str  # corpus file name (downloads only: the page names documents by city and 事務)
    line_start: int | None
    line_end: int | None
    page: int | None  # the PDF page of line_start (None for a text assessment)
    citation: int | None  # 1-based number of the answer's citation, for the source link


NUMBERS = {"line_start", "line_end", "page"}  # numbers in the spreadsheet, not text
HEADERS = [f.name for f in fields(CityRow) if f.name != "citation"]


def city_rows(answer: Answer | None, doc_of: dict[tuple[str, str], str]) -> list[CityRow]:
    """The answer's rows with full evidence; `doc_of` maps (city, 事務) to the corpus file for rows without a
    citation."""
    if answer is None:
        return []
    out = []
    for r in answer.rows:
        c = answer.citations[r.citation] if r.citation is not None and r.citation < len(answer.citations) else None
        if c is None:
            out.append(CityRow(r.city, r.jimu, NOT_STATED, "" if r.value in (NOT_STATED, "not stated") else r.value,
                               "", doc_of.get((r.city, r.jimu), ""), None, None, None, None))
            continue
        full = cite.clean_text(c.text).strip()
        evidence = full.replace("\n", " ") if r.value.endswith(CUT) or not r.value else r.value
        out.append(CityRow(r.city, r.jimu, YES if r.satisfied else NO, evidence, c.path, c.doc, c.line_start,
                           c.line_end, c.page, r.citation + 1))
    return out


def table_html(answer: Answer | None, rows: Sequence[CityRow], turn: int, excluded: Iterable[str] = ()) -> str:
    """The table under the answer: city | 事務 | decision | evidence | source link; cities the filters left out
    listed under it."""
    if not rows or answer is None:
        return ""
    body = []
    for r in rows:
        src = ""
        if r.citation is not None:
            c = answer.citations[r.citation - 1]
            src = cite.link(turn, r.citation, c, f"[{r.citation}] {c.where}")
        cls = {YES: "yes", NO: "no"}.get(r.decision, "none")
        body.append(f'<tr class="{cls}"><td>{esc(r.city)}</td><td>{esc(r.jimu)}</td>'
                    f'<td class="dec">{esc(r.decision)}</td><td>{esc(r.evidence)}</td><td>{src}</td></tr>')
    out = ('<table class="piaqa-rows"><thead><tr><th>市 / city</th><th>事務</th><th>判定</th>'
           '<th>根拠 / evidence</th><th>出典 / source</th></tr></thead><tbody>' + "".join(body) + "</tbody></table>")
    left_out = list(dict.fromkeys(excluded))
    if left_out:
        out += (f'<p class="piaqa-meta">絞り込みで対象外 / not checked (filters): '
                f'{esc("、".join(left_out))}</p>')
    return out


def rows_csv(rows: Sequence[CityRow]) -> str:
    """The CSV download: every column, full values."""
    return to_csv(HEADERS, [row_cells(r) for r in rows])


def rows_xlsx(rows: Sequence[CityRow]) -> bytes:
    """The Excel download (one sheet, a header row, full values)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    ws.title = "piaqa"
    ws.append(HEADERS)
    for i, r in enumerate(rows, 2):
        for j, (k, v) in enumerate(zip(HEADERS, row_cells(r)), 1):
            cell = ws.cell(i, j, getattr(r, k) if k in NUMBERS else ILLEGAL_CHARACTERS_RE.sub(" ", v))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_cells(r: CityRow) -> list[str]:
    """One row of the downloads: every column but the citation number, as text ("" for none)."""
    values = astuple(r)[:len(HEADERS)]
    return ["" if v is None else str(v) for v in values]
