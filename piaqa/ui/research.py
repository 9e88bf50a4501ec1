"""The Researcher tab: top-k passages (text first and in full; a row opens its section) and the extracted form
fields, filterable by label across all cities; both downloadable as CSV and JSONL with full text and provenance."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import gradio as gr

from piaqa.qa import Assistant
from piaqa.records import Citation, Field, page_prefix
from piaqa.safetext import clean_limited
from piaqa.ui import cite
from piaqa.ui.exports import SessionExports
from piaqa.ui.guard import UI_ONLY, guarded, session_of
from piaqa.ui.render import to_csv, to_jsonl

ALL = "(all)"
PASSAGE_HEADERS = ["text", "city", "事務", "section", "lines", "score"]
PASSAGE_WIDTHS = ["52%", "8%", "12%", "16%", "7%", "5%"]  # the text first and widest, the rest in view beside it
FIELD_HEADERS = ["city", "事務", "file", "item", "label", "value", "section", "doc", "line_start", "line_end",
                 "history"]
_DOC = FIELD_HEADERS.index("doc")  # the page names documents by city and 事務: the file name is for downloads only
FIELD_VIEW = FIELD_HEADERS[:_DOC] + FIELD_HEADERS[_DOC + 1:]


@dataclass(frozen=True)
class Passage:
    """One search result as the downloads hold it: full text (original lines and as read) with its provenance."""

    rank: int
    score: float
    doc: str
    city: str
    jimu: str
    section: str
    line_start: int
    line_end: int
    text: str  # the original lines, verbatim (as citations quote them)
    clean_text: str  # the same lines as a reader sees them (☑/☐, no tags)
    page: int | None = None  # the PDF page of line_start; None for a text assessment

    @property
    def where(self) -> str:
        """"p.12 L340–345" for a PDF, "L340–345" for text."""
        return f"{page_prefix(self.page)}L{self.line_start}–{self.line_end}"


class ResearchHandlers:
    """Event handlers of the Researcher tab."""

    def __init__(self, assistant: Assistant, exports: SessionExports) -> None:
        self.a = assistant
        self.exports = exports
        metas = [d.meta for d in assistant.docs.values()]
        self.cities = list(dict.fromkeys(m.city for m in metas))
        self.jimu = {m.doc: m.jimu for m in metas}
        counts: dict[str, int] = {}
        for f in assistant.fields.fields:
            counts[f.label] = counts.get(f.label, 0) + 1
        self.labels = sorted(counts, key=lambda x: (-counts[x], x))  # the commonest labels first

    def passages(self, query: str, k: int, cities: list[str] | None) -> list[Passage]:
        """The top-k passages for a query, within the cities (none: all)."""
        scope = [n for n, d in self.a.docs.items() if d.meta.city in cities] if cities else None
        out = []
        for rank, h in enumerate(self.a.search(query, k=k, docs=scope), 1):
            c = h.chunk
            doc = self.a.docs[c.doc]
            text = doc.span(c.line_start, c.line_end)
            out.append(Passage(rank, round(h.score, 6), c.doc, c.city, self.jimu[c.doc], " > ".join(c.path),
                               c.line_start, c.line_end, text, cite.clean_text(text), doc.page_of(c.line_start)))
        return out

    @guarded
    def search(self, query: str, k: float, cities: list[str] | None,
               request: gr.Request | None = None) -> tuple[Any, ...]:
        """Search: (table, passages for the viewer, CSV, JSONL, viewer)."""
        query = clean_limited(query, self.a.settings.max_question_chars)[0]
        if not query:
            return [], [], None, None, ""
        found = self.passages(query, int(k), cities)
        rows = [[p.clean_text, p.city, p.jimu, p.section, p.where, f"{p.score:.4f}"]
                for p in found]
        session = session_of(request)
        records = [asdict(p) for p in found]
        columns = list(records[0]) if records else list(Passage.__dataclass_fields__)
        return (rows, found,
                self.exports.write(session, "search", query, ".csv",
                                   to_csv(columns, [[str(r[c]) for c in columns] for r in records])),
                self.exports.write(session, "search", query, ".jsonl", to_jsonl(records)), "")

    @guarded
    def open(self, found: list[Passage] | None, evt: gr.SelectData) -> str:
        """A row clicked: its whole section in the viewer, the passage's lines marked."""
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not found or not isinstance(row, int) or not 0 <= row < len(found):
            return ""
        p = found[row]
        doc = self.a.docs[p.doc]
        c = Citation(p.doc, p.city, p.jimu, p.section, p.line_start, p.line_end, p.text, p.page)
        return cite.section_html(c, doc, cite.page_figure(c, doc, self.a.settings.corpus_dir))

    @guarded
    def fields(self, city: str | None, label: str | None, with_log: bool,
               request: gr.Request | None = None) -> tuple[Any, ...]:
        """The extracted fields of a city (or all) with the label picked (exactly) or typed (a part of it), with
        downloads."""
        label = clean_limited(label if label != ALL else "", self.a.settings.max_question_chars)[0]
        exact = label in self.labels
        found = [f for f in self.a.fields.fields
                 if (not city or city == ALL or f.city == city) and (with_log or not f.history)
                 and (not label or (f.label == label if exact else label in f.label))]
        rows = [self._field_row(f) for f in found]
        session, name = session_of(request), f"{city or 'all'}-{label}"
        return ([r[:_DOC] + r[_DOC + 1:] for r in rows],
                self.exports.write(session, "fields", name, ".csv", to_csv(FIELD_HEADERS, rows)),
                self.exports.write(session, "fields", name, ".jsonl",
                                   to_jsonl([{**asdict(f), "jimu": self.jimu[f.doc]} for f in found])))

    def _field_row(self, f: Field) -> list[str]:
        return [f.city, self.jimu[f.doc], f.file_name or "", f.item or "", f.label, f.value, " > ".join(f.path),
                f.doc, str(f.line_start), str(f.line_end), "変更箇所" if f.history else ""]


def research_tab(h: ResearchHandlers) -> None:
    """The Researcher tab's layout and events."""
    found = gr.State([])
    with gr.Row():
        query = gr.Textbox(label="Search passages / 箇所を検索", scale=4, elem_id="piaqa-search")
        k = gr.Slider(1, 30, value=10, step=1, label="top k", scale=1)
        cities = gr.CheckboxGroup(h.cities, label="Cities / 市", scale=2, elem_id="piaqa-search-cities")
    go = gr.Button("Search / 検索", elem_id="piaqa-search-go")
    with gr.Row():
        with gr.Column(scale=3):
            hits = gr.Dataframe(headers=PASSAGE_HEADERS, interactive=False, wrap=True, elem_id="piaqa-hits",
                                column_widths=PASSAGE_WIDTHS, max_height=640,
                                label="行をクリックすると節を表示 / click a row to open its section")
            with gr.Row():
                hits_csv, hits_jsonl = gr.File(label="CSV", elem_id="piaqa-hits-csv"), gr.File(label="JSONL")
        with gr.Column(scale=2):
            viewer = gr.HTML("", elem_id="piaqa-hit-section")
    outputs = [hits, found, hits_csv, hits_jsonl, viewer]
    go.click(h.search, [query, k, cities], outputs, api_name="passages", api_visibility=UI_ONLY)
    query.submit(h.search, [query, k, cities], outputs, api_name=False)
    hits.select(h.open, [found], viewer, api_visibility="private").then(
        None, None, None, js=cite.scroll_js("piaqa-hit-section"))
    gr.Markdown("### Extracted form fields / 抽出した項目")
    with gr.Row():
        city = gr.Dropdown([ALL, *h.cities], value=ALL, label="City / 市")
        label = gr.Dropdown([ALL, *h.labels], value=ALL, allow_custom_value=True, elem_id="piaqa-field-label",
                            label="Label (pick, or type part of one: 委託先) / 項目名")
        with_log = gr.Checkbox(label="Include 変更箇所 rows")
        show = gr.Button("Show fields / 表示", elem_id="piaqa-fields-go")
    table = gr.Dataframe(headers=FIELD_VIEW, interactive=False, wrap=True, elem_id="piaqa-fields")
    with gr.Row():
        f_csv, f_jsonl = gr.File(label="CSV", elem_id="piaqa-fields-csv"), gr.File(label="JSONL")
    show.click(h.fields, [city, label, with_log], [table, f_csv, f_jsonl], api_name="fields",
               api_visibility=UI_ONLY)
