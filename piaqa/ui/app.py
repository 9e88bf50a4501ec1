"""Gradio web UI: layout and event wiring over one shared Assistant (no retrieval logic here)."""
from __future__ import annotations

import argparse
import atexit
import ipaddress
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

# no telemetry, whatever the environment says (set before gradio is imported, which reads it)
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from piaqa.ui import render as R  # noqa: E402
from piaqa.config import Settings, SettingsError, credentials  # noqa: E402
from piaqa.qa import Assistant  # noqa: E402
from piaqa.records import Answer  # noqa: E402
from piaqa.safeask import safe_ask, with_shortened_note  # noqa: E402
from piaqa.safetext import clean_limited  # noqa: E402
from piaqa.feedback import FeedbackStore  # noqa: E402
from piaqa.ui.conversation import Shown  # noqa: E402
from piaqa.ui.exports import SessionExports  # noqa: E402
from piaqa.ui.feedback_ui import FeedbackPanel  # noqa: E402
from piaqa.ui.guard import guarded, session_of  # noqa: E402
from piaqa.ui.mcp_tools import register_tools  # noqa: E402

log = logging.getLogger(__name__)
# the page's own events: callable by gradio_client (the tests drive the page with it) but neither in the API docs
# nor MCP tools; the documented API is the four agent tools (mcp_tools.py)
UI_ONLY = "undocumented"
# events run at once: asks share one embedder (serialised by a lock) and two cores; 4 keeps light page
# events (a citation's section, a filter) responsive while long asks or a batch run
CONCURRENCY = 4

EXAMPLES = [
    "which cities re-delegate (再委託) system maintenance?",
    "倉敷市の国民年金事務の委託先は？",
    "千葉市は？",
    "どの市がガバメントクラウドを使っていますか",
    "高知市の住民基本台帳ファイルの保管期間は？",
    "郡山市で開示請求の手数料はかかりますか？",
]


class UI:
    """Callbacks of the page; each is a thin adapter from widgets to Assistant and back."""

    def __init__(self, assistant: Assistant, export_dir: Path, feedback: FeedbackStore | None = None) -> None:
        self.a = assistant
        self.exports = SessionExports(export_dir)
        self.panel = FeedbackPanel(feedback or FeedbackStore.in_folder(assistant.settings.data_dir), self.exports,
                                   assistant.index.manifest_id)
        metas = [d.meta for d in assistant.docs.values()]
        self.cities = list(dict.fromkeys(m.city for m in metas))
        self.jimus = list(dict.fromkeys(m.jimu for m in metas))

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
        """Chat submit: answer, sources, citation selector, table and CSV (and every turn shown, for ratings
        and the conversation export)."""
        chat = list(chat or [])
        turns = list(turns or []) if chat else []  # the conversation is what the chat shows
        shown = list(shown or []) if chat else []
        limit = self.a.settings.max_question_chars
        question, shortened = clean_limited(question, limit)  # what is asked, shown and followed up
        if not question:
            return (chat, turns, None, shown, "", R.sources_html(None, self.a.docs),
                    gr.update(choices=[], value=None), "", gr.update(value=[], visible=False),
                    gr.update(value=None, visible=False))
        scope = self.scope(cities, jimus)
        if scope == []:
            ans = Answer(question, "絞り込みに一致する評価書がありません。/ No document matches the filters.", (),
                         answerable=False, kind="abstain")
        else:
            ans = safe_ask(lambda q: self.a.ask(q, history=turns[-4:], docs=scope, include_history=bool(with_log)),
                           question)
        if shortened:
            ans = with_shortened_note(ans, limit)
        if ans.kind != "error":  # a failed turn is not something to follow up on
            turns.append((question, ans))
        shown.append(Shown(question, ans))
        chat += [{"role": "user", "content": R.esc(question)},
                 {"role": "assistant", "content": R.chat_markdown(ans)}]
        rows = R.rows_table(ans)
        csv_path = self.exports.write(session_of(request), "table", question, ".csv",
                                      R.to_csv(R.ROW_HEADERS, rows)) if rows else None
        choices = R.citation_choices(ans)
        return (chat, turns, ans, shown, "", R.sources_html(ans, self.a.docs),
                gr.update(choices=choices, value=None), "", gr.update(value=rows, visible=bool(rows)),
                gr.update(value=csv_path, visible=bool(csv_path)))

    @guarded
    def show_section(self, choice: str | None, ans: Answer | None) -> str:
        """Whole section around the selected citation (only indexed documents can be shown)."""
        if not choice or ans is None:
            return ""
        try:
            i = int(choice.split("]")[0].lstrip("[")) - 1
            c = ans.citations[i]
        except (ValueError, IndexError):
            return ""
        doc = self.a.docs.get(c.doc)
        return R.section_html(c, doc) if doc else ""

    def clear(self) -> tuple[Any, ...]:
        """New conversation."""
        return ([], [], None, [], R.sources_html(None, self.a.docs), gr.update(choices=[], value=None), "",
                gr.update(value=[], visible=False), *self.panel.reset())

    def chat_cleared(self) -> tuple[Any, ...]:
        """The chat's own clear button: no turns to rate or export any more."""
        return ([], *self.panel.reset())

    @guarded
    def search(self, query: str, k: float, cities: list[str] | None,
               request: gr.Request | None = None) -> tuple[Any, ...]:
        """Researcher: top-k passages without answer composition, with downloads."""
        query = clean_limited(query, self.a.settings.max_question_chars)[0]
        if not query:
            return [], None, None
        hits = self.a.search(query, k=int(k), docs=self.scope(cities, None))
        rows = R.hits_table(hits)
        session = session_of(request)
        return (rows, self.exports.write(session, "search", query, ".csv", R.to_csv(R.HIT_HEADERS, rows)),
                self.exports.write(session, "search", query, ".jsonl", R.to_jsonl([
                    {"score": h.score, "doc": h.chunk.doc, "city": h.chunk.city, "section": " > ".join(h.chunk.path),
                     "line_start": h.chunk.line_start, "line_end": h.chunk.line_end,
                     "text": self.a.docs[h.chunk.doc].span(h.chunk.line_start, h.chunk.line_end)} for h in hits])))

    @guarded
    def fields(self, city: str | None, label: str, with_log: bool,
               request: gr.Request | None = None) -> tuple[Any, ...]:
        """Researcher: the extracted fields table, filtered, with downloads."""
        label = clean_limited(label, self.a.settings.max_question_chars)[0]
        found = [f for f in self.a.fields.fields
                 if (not city or city == "(all)" or f.city == city) and (not label or label in f.label)
                 and (with_log or not f.history)]
        rows = R.fields_table(found)
        session, name = session_of(request), f"{city or 'all'}-{label}"
        return (rows, self.exports.write(session, "fields", name, ".csv", R.to_csv(R.FIELD_HEADERS, rows)),
                self.exports.write(session, "fields", name, ".jsonl", R.to_jsonl(found)))

    @guarded
    def batch(self, upload: Any, request: gr.Request | None = None,
              progress: gr.Progress = gr.Progress()) -> tuple[Any, str]:
        """Batch tab: a question file in, the answers file (same format as `piaqa batch`) out; a question
        that fails gets an error row and the run goes on."""
        from piaqa.batchrun import run_batch
        from piaqa.questions import QuestionFileError, parse_questions

        if upload is None:
            return None, "Upload a .jsonl, .csv or .txt question file first."
        path = Path(upload if isinstance(upload, str) else upload.name)
        if (too_big := _too_big(path, self.a.settings.max_upload_bytes)) is not None:
            return None, too_big
        try:
            questions = parse_questions(path.read_text(encoding="utf-8-sig"), path.name)
        except (QuestionFileError, UnicodeDecodeError) as e:
            return None, f"Cannot read the file: {R.esc(str(e))}"
        out = self.exports.path(session_of(request), "answers", path.stem, ".jsonl")
        progress((0, len(questions)), desc="answering")
        res = run_batch(lambda q: self.a.ask(q), questions, out,
                        on_progress=lambda i, n: progress((i, n), desc="answering"))
        status = f"Answered {res.written} questions ({res.abstained} marked not answerable)."
        if res.failed:
            status += (f" {len(res.failed)} failed with an internal error (logged; rows with \"error\" in the "
                       f"file): {R.esc(', '.join(res.failed[:20]))}{' …' if len(res.failed) > 20 else ''}.")
        return str(res.path), status

    def end_session(self, request: gr.Request | None = None) -> None:
        """The browser tab closed: delete the session's files."""
        self.exports.drop(session_of(request))


def build_app(assistant: Assistant, export_dir: Path, feedback: FeedbackStore | None = None) -> gr.Blocks:
    """The page: Chat, Researcher and Batch tabs, and the agent tools (ratings go to `feedback`, by default the
    store in PIAQA_DATA_DIR)."""
    ui = UI(assistant, export_dir, feedback)
    atexit.register(ui.exports.close)
    # gradio serves copies of the exports from its own cache: delete_cache ages those out too
    with gr.Blocks(title="piaqa — 特定個人情報保護評価書 QA", delete_cache=(1800, 3600),
                   analytics_enabled=False) as demo:
        gr.Markdown("## piaqa — 特定個人情報保護評価書 QA\nAsk in Japanese or English; answers cite the "
                    "exact lines of the assessments.")
        with gr.Tab("Chat"):
            _chat_tab(ui)
        with gr.Tab("Researcher"):
            _research_tab(ui)
        with gr.Tab("Batch"):
            _batch_tab(ui)
        demo.unload(ui.end_session)
        register_tools(assistant)
    return demo


def _chat_tab(ui: UI) -> None:
    turns, last, shown = gr.State([]), gr.State(None), gr.State([])
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="Conversation", height=460, sanitize_html=True, elem_id="piaqa-chat",
                              feedback_options=("Like", "Dislike"))
            with gr.Row():
                msg = gr.Textbox(label="Question", placeholder="倉敷市の国民年金事務の委託先は？", scale=5,
                                 elem_id="piaqa-question")
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="piaqa-ask")
            gr.Examples(EXAMPLES, inputs=msg)
            feedback = ui.panel.layout()
            with gr.Accordion("Filters", open=False):
                cities = gr.CheckboxGroup(ui.cities, label="Cities (none = all)", elem_id="piaqa-cities")
                jimus = gr.CheckboxGroup(ui.jimus, label="事務 (none = all)")
                with_log = gr.Checkbox(label="Include the change history (変更箇所) in sources", value=False)
            clear = gr.Button("New conversation", size="sm")
            table = gr.Dataframe(headers=R.ROW_HEADERS, label="Across cities", interactive=False, wrap=True,
                                 elem_id="piaqa-table", visible=False)
            csv_file = gr.DownloadButton("Download table (CSV)", visible=False)
        with gr.Column(scale=2):
            sources = gr.HTML(R.sources_html(None, ui.a.docs), label="Sources", elem_id="piaqa-sources")
            pick = gr.Radio([], label="Show a citation in its section", elem_id="piaqa-pick")
            section = gr.HTML("", elem_id="piaqa-section")
    outputs = [chat, turns, last, shown, msg, sources, pick, section, table, csv_file]
    inputs = [msg, chat, turns, cities, jimus, with_log, shown]
    for event in (send.click(ui.ask, inputs, outputs, api_name="chat", api_visibility=UI_ONLY),
                  msg.submit(ui.ask, inputs, outputs, api_name=False)):
        event.then(ui.panel.export, [shown], [feedback.download], api_visibility="private")
    pick.change(ui.show_section, [pick, last], section, api_name="section", api_visibility=UI_ONLY)
    ui.panel.wire(chat, shown, feedback)
    fresh = [feedback.note, feedback.rated, feedback.download]
    clear.click(ui.clear, None, [chat, turns, last, shown, sources, pick, section, table, *fresh], api_name=False)
    chat.clear(ui.chat_cleared, None, [shown, *fresh], api_visibility="private")


def _research_tab(ui: UI) -> None:
    with gr.Row():
        query = gr.Textbox(label="Search passages", scale=4)
        k = gr.Slider(1, 30, value=10, step=1, label="top k", scale=1)
        cities = gr.CheckboxGroup(ui.cities, label="Cities", scale=2)
    go = gr.Button("Search")
    hits = gr.Dataframe(headers=R.HIT_HEADERS, interactive=False, wrap=True)
    with gr.Row():
        hits_csv, hits_jsonl = gr.File(label="CSV"), gr.File(label="JSONL")
    go.click(ui.search, [query, k, cities], [hits, hits_csv, hits_jsonl], api_name="passages",
             api_visibility=UI_ONLY)
    query.submit(ui.search, [query, k, cities], [hits, hits_csv, hits_jsonl], api_name=False)
    gr.Markdown("### Extracted form fields")
    with gr.Row():
        city = gr.Dropdown(["(all)", *ui.cities], value="(all)", label="City")
        label = gr.Textbox(label="Label contains (e.g. 委託先名)")
        with_log = gr.Checkbox(label="Include 変更箇所 rows")
        show = gr.Button("Show fields")
    table = gr.Dataframe(headers=R.FIELD_HEADERS, interactive=False, wrap=True)
    with gr.Row():
        f_csv, f_jsonl = gr.File(label="CSV"), gr.File(label="JSONL")
    show.click(ui.fields, [city, label, with_log], [table, f_csv, f_jsonl], api_name="fields",
               api_visibility=UI_ONLY)


def _batch_tab(ui: UI) -> None:
    gr.Markdown("Upload questions (JSONL as in shared/eval, CSV with a `question` column, or one question per "
                "line); get the answers file in the same format as `piaqa batch`.")
    upload = gr.File(label="Question file", file_types=[".jsonl", ".csv", ".txt"])
    run = gr.Button("Run batch", variant="primary")
    status = gr.Markdown()
    result = gr.File(label="Answers (JSONL)")
    run.click(ui.batch, [upload], [result, status], api_name="batch", api_visibility=UI_ONLY)


def _too_big(path: Path, limit: int) -> str | None:
    """The message for a question file over the upload limit (None when it fits)."""
    size = path.stat().st_size
    if size <= limit:
        return None
    return (f"The file has {size:,} bytes; the limit is {limit:,} (PIAQA_MAX_UPLOAD_BYTES). "
            "Split it, or run `piaqa batch` on it.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, has_login: bool) -> str | None:
    """The warning for a page reachable from other machines without a login (None when it is not)."""
    if has_login or _is_loopback(host):
        return None
    return (f"binding to {host} without a login: anyone who can reach this machine can ask questions and "
            "download the answers. Set PIAQA_AUTH=user:password (or PIAQA_AUTH_FILE) to require a login, "
            "or bind to 127.0.0.1.")


def queue_options(settings: Settings) -> dict[str, Any]:
    """Arguments of `demo.queue`: a bounded queue (a full one tells the user the server is busy)."""
    return {"default_concurrency_limit": CONCURRENCY, "max_size": settings.queue_max}


def launch_options(settings: Settings, export_dir: Path, logins: list[tuple[str, str]]) -> dict[str, Any]:
    """Arguments of `demo.launch`. Internal errors reach the user as one short message (show_error=False:
    gradio shows only gr.Error messages and prints the traceback on the server). The MCP server (the agent tools
    at /gradio_api/mcp/) runs only without a login: gradio mounts it outside its login check."""
    return {"server_name": settings.host, "server_port": settings.port, "allowed_paths": [str(export_dir)],
            "show_error": False, "max_file_size": settings.max_upload_bytes, "auth": logins or None,
            "auth_message": "piaqa: log in with the user name and password you were given." if logins else None,
            "css": R.CSS, "footer_links": [], "mcp_server": not logins}


def main(argv: list[str] | None = None) -> int:
    """`python app.py [--host H] [--port P]`: build the index if needed, then serve."""
    ap = argparse.ArgumentParser(prog="app.py", description="piaqa web UI")
    ap.add_argument("--host", help="bind address (default 127.0.0.1, or PIAQA_HOST)")
    ap.add_argument("--port", type=int, help="port (default 7860, or PIAQA_PORT)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        settings = Settings.from_env(host=args.host, port=args.port)
        logins = credentials(settings)
    except SettingsError as e:
        print(f"piaqa: {e}", file=sys.stderr)
        return 2
    if (warning := exposure_warning(settings.host, bool(logins))) is not None:
        log.warning("%s", warning)
    if logins:
        log.info("MCP server off: a login is set and gradio's MCP endpoint would not ask for it")
    assistant = Assistant(settings, progress=True)
    export_dir = Path(tempfile.mkdtemp(prefix="piaqa-exports-"))
    atexit.register(shutil.rmtree, export_dir, True)
    demo = build_app(assistant, export_dir)
    demo.queue(**queue_options(settings)).launch(**launch_options(settings, export_dir, logins))
    return 0
