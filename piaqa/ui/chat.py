"""The Chat tab: handlers (thin adapters over Assistant) and layout. Citations open in the viewer, an
across-cities answer's table sits under the chat with its CSV and Excel downloads, active filters show as chips
by the question box, and every reset clears everything the page shows about the conversation."""
from __future__ import annotations

from typing import Any

import gradio as gr

from piaqa.catalog import document_infos, file_count
from piaqa.qa import Assistant
from piaqa.records import Answer
from piaqa.safeask import safe_ask, with_shortened_note
from piaqa.safetext import clean_limited
from piaqa.ui import cite
from piaqa.ui import table as T
from piaqa.ui.conversation import Shown, turn_plain
from piaqa.ui.exports import SessionExports
from piaqa.ui.feedback_ui import FeedbackPanel
from piaqa.ui.guard import UI_ONLY, guarded, session_of
from piaqa.ui.render import esc
from piaqa.ui.welcome import EXAMPLES, I18N, coverage_html, example_label

HISTORY_CHIP = "log"  # the chip of the "include 変更箇所" filter (cities and 事務 chips carry their name)
NO_MATCH = "絞り込みに一致する評価書がありません。/ No document matches the filters."


def _hidden() -> Any:
    """A download button with nothing to offer (a fresh update each time: gradio may consume it)."""
    return gr.update(value=None, visible=False)


class ChatHandlers:
    """Event handlers of the Chat tab."""

    def __init__(self, assistant: Assistant, exports: SessionExports, panel: FeedbackPanel) -> None:
        self.a = assistant
        self.exports = exports
        self.panel = panel
        metas = [d.meta for d in assistant.docs.values()]
        self.cities = list(dict.fromkeys(m.city for m in metas))
        self.jimus = list(dict.fromkeys(m.jimu for m in metas))
        self.doc_of = {(m.city, m.jimu): m.doc for m in metas}

    def scope(self, cities: list[str] | None, jimus: list[str] | None) -> list[str] | None:
        """Documents selected by the filters (None: all)."""
        if not cities and not jimus:
            return None
        return [n for n, d in self.a.docs.items()
                if (not cities or d.meta.city in cities) and (not jimus or d.meta.jimu in jimus)]

    @guarded
    def ask(self, question: str, chat: list[dict[str, str]] | None, turns: list[tuple[str, Answer]] | None,
            cities: list[str] | None, jimus: list[str] | None, with_log: bool, shown: list[Shown] | None = None,
            request: gr.Request | None = None) -> tuple[Any, ...]:
        """Chat submit: (chat, turns, shown, box, sources, viewer, table, CSV, Excel). An empty box changes
        nothing."""
        limit = self.a.settings.max_question_chars
        question, shortened = clean_limited(question, limit)  # what is asked, shown and followed up
        if not question:
            return tuple(gr.skip() for _ in range(9))
        chat = list(chat or [])
        turns = list(turns or []) if chat else []  # the conversation is what the chat shows
        shown = list(shown or []) if chat else []
        scope = self.scope(cities, jimus)
        if scope == []:
            ans = Answer(question, NO_MATCH, (), answerable=False, kind="abstain")
        else:
            ans = safe_ask(lambda q: self.a.ask(q, history=turns[-4:], docs=scope, include_history=bool(with_log)),
                           question)
        if shortened:
            ans = with_shortened_note(ans, limit)
        if ans.kind != "error":  # a failed turn is not something to follow up on
            turns.append((question, ans))
        turn = len(shown)
        shown.append(Shown(question, ans))
        chat += [{"role": "user", "content": esc(question)},
                 {"role": "assistant", "content": cite.chat_html(ans, turn)}]
        rows = T.city_rows(ans, self.doc_of)
        excluded = [] if scope is None else [self.a.docs[n].meta.city for n in self.a.docs if n not in scope]
        csv_file, xlsx_file = _hidden(), _hidden()
        if rows:
            session = session_of(request)
            csv_file = gr.update(value=self.exports.write(session, "table", question, ".csv", T.rows_csv(rows)),
                                 visible=True)
            xlsx_file = gr.update(value=self.exports.write(session, "table", question, ".xlsx", T.rows_xlsx(rows)),
                                  visible=True)
        return (chat, turns, shown, "", cite.sources_html(ans, turn, self.a.docs), "",
                T.table_html(ans, rows, turn, excluded), csv_file, xlsx_file)

    @guarded
    def open(self, ref: str | None, shown: list[Shown] | None) -> str:
        """The viewer for a clicked citation link ("#piaqa-cite-T-N"): its whole section, cited lines marked."""
        c = cite.citation_at([s.answer for s in shown or []], ref)
        doc = self.a.docs.get(c.doc) if c is not None else None
        if c is None or doc is None:
            return '<p class="piaqa-meta">この出典はこの会話にありません。/ That source is not in this conversation.</p>'
        return cite.section_html(c, doc, cite.page_figure(c, doc, self.a.settings.corpus_dir))

    def reset(self) -> tuple[Any, ...]:
        """A new conversation: (chat, turns, shown, sources, viewer, table, CSV, Excel, *feedback controls)."""
        return ([], [], [], cite.NO_SOURCES, "", "", _hidden(), _hidden(), *self.panel.reset())

    def example(self, question: str) -> Any:
        """The handler of an example button: asks `question` like the box would."""
        def run(chat: list[dict[str, str]] | None, turns: list[tuple[str, Answer]] | None, cities: list[str] | None,
                jimus: list[str] | None, with_log: bool, shown: list[Shown] | None,
                request: gr.Request | None = None) -> tuple[Any, ...]:
            return self.ask(question, chat, turns, cities, jimus, with_log, shown, request=request)
        return run

    def coverage(self) -> str:
        """The start screen's table of documents."""
        docs = list(self.a.docs.values())
        return coverage_html(document_infos(docs), {d.meta.doc: file_count(d) for d in docs})

    def chips(self, cities: list[str] | None, jimus: list[str] | None, with_log: bool) -> Any:
        """The active filters as removable chips by the question box (hidden when none is on)."""
        on = [(f"市: {c}", c) for c in cities or []] + [(f"事務: {j}", j) for j in jimus or []]
        if with_log:
            on.append(("変更箇所を含む / with change log", HISTORY_CHIP))
        return gr.update(choices=on, value=[v for _, v in on], visible=bool(on))

    def unchip(self, kept: list[str] | None, cities: list[str] | None,
               jimus: list[str] | None) -> tuple[list[str], list[str], bool]:
        """A chip removed: the filters without it (cities, 事務, include change log)."""
        kept = list(kept or [])
        return ([c for c in cities or [] if c in kept], [j for j in jimus or [] if j in kept], HISTORY_CHIP in kept)


def chat_tab(h: ChatHandlers) -> None:
    """The Chat tab's layout and events."""
    turns, shown = gr.State([]), gr.State([])
    with gr.Row():
        with gr.Column(scale=3):
            with gr.Accordion(I18N("welcome"), open=True, elem_id="piaqa-welcome") as welcome:
                gr.HTML(h.coverage())
            # no per-message copy: it would copy the answer's markup; the plain text sits in `copy_box`
            chat = gr.Chatbot(label=I18N("conversation"), height=440, sanitize_html=True, elem_id="piaqa-chat",
                              feedback_options=("Like", "Dislike"), buttons=[])
            table = gr.HTML("", elem_id="piaqa-table")
            with gr.Row():
                csv_file = gr.DownloadButton(I18N("csv"), visible=False, size="sm",
                                             elem_id="piaqa-table-csv")
                xlsx_file = gr.DownloadButton(I18N("xlsx"), visible=False, size="sm",
                                              elem_id="piaqa-table-xlsx")
            chips = gr.CheckboxGroup([], label=I18N("chips"),
                                     visible=False, elem_id="piaqa-chips", elem_classes="piaqa-chips")
            with gr.Row():
                msg = gr.Textbox(label=I18N("question"), placeholder="倉敷市の国民年金事務の委託先は？", scale=5,
                                 elem_id="piaqa-question")
                send = gr.Button(I18N("ask"), variant="primary", scale=1, elem_id="piaqa-ask")
            with gr.Row(elem_id="piaqa-examples"):
                examples = [(ex, gr.Button(example_label(ex), size="sm", elem_classes="piaqa-example"))
                            for ex in EXAMPLES]
            feedback = h.panel.layout()
            copy_box = gr.Textbox(label=I18N("copy"), buttons=["copy"], interactive=False, lines=3, max_lines=8,
                                  elem_id="piaqa-copy")
            with gr.Accordion(I18N("filters"), open=False, elem_id="piaqa-filters"):
                cities = gr.CheckboxGroup(h.cities, label=I18N("cities"),
                                          elem_id="piaqa-cities")
                jimus = gr.CheckboxGroup(h.jimus, label=I18N("jimus"), elem_id="piaqa-jimus")
                with_log = gr.Checkbox(label=I18N("with_log"), value=False, elem_id="piaqa-with-log")
            clear = gr.Button(I18N("new"), size="sm", elem_id="piaqa-new")
        with gr.Column(scale=2):
            sources = gr.HTML(cite.NO_SOURCES, label="Sources", elem_id="piaqa-sources")
            section = gr.HTML("", elem_id="piaqa-section")
            with gr.Row(elem_classes="piaqa-hidden"):
                open_box = gr.Textbox(elem_id="piaqa-open", show_label=False, container=False)
                open_go = gr.Button("open", elem_id="piaqa-open-go")
    outputs = [chat, turns, shown, msg, sources, section, table, csv_file, xlsx_file]
    inputs = [msg, chat, turns, cities, jimus, with_log, shown]
    events = [send.click(h.ask, inputs, outputs, api_name="chat", api_visibility=UI_ONLY),
              msg.submit(h.ask, inputs, outputs, api_name=False)]
    events += [btn.click(h.example(ex.question), inputs[1:], outputs, api_visibility="private") for ex, btn in examples]
    for event in events:
        event.then(h.panel.export, [shown], [feedback.download], api_visibility="private").then(
            _fold, [shown], welcome, api_visibility="private").then(
            _plain, [shown], copy_box, api_visibility="private")
    open_go.click(h.open, [open_box, shown], section, api_name="section", api_visibility=UI_ONLY).then(
        None, None, None, js=cite.scroll_js("piaqa-section"))
    h.panel.wire(chat, shown, feedback)
    fresh = [feedback.note, feedback.rated, feedback.download]
    resets = [chat, turns, shown, sources, section, table, csv_file, xlsx_file, *fresh]
    for event in (clear.click(h.reset, None, resets, api_name="new_conversation", api_visibility=UI_ONLY),
                  chat.clear(h.reset, None, resets, api_visibility="private")):
        event.then(_fold, [shown], welcome, api_visibility="private").then(
            _plain, [shown], copy_box, api_visibility="private")
    for f in (cities, jimus, with_log):
        f.change(h.chips, [cities, jimus, with_log], chips, api_visibility="private")
    chips.input(h.unchip, [chips, cities, jimus], [cities, jimus, with_log], api_visibility="private")


def _plain(shown: list[Shown] | None) -> str:
    """The latest answer as plain text with its citations written out ("" once the conversation is reset)."""
    return turn_plain(shown[-1]) if shown else ""


def _fold(shown: list[Shown] | None) -> Any:
    """The start screen: open while the conversation is empty, folded once it has begun."""
    return gr.Accordion(open=not shown)
