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
from starlette.middleware import Middleware  # noqa: E402

from piaqa.ui import render as R  # noqa: E402
from piaqa.config import Settings, SettingsError, credentials  # noqa: E402
from piaqa.qa import Assistant  # noqa: E402
from piaqa.feedback import FeedbackStore  # noqa: E402
from piaqa.ui.chat import ChatHandlers, chat_tab  # noqa: E402
from piaqa.ui.cite import OPEN_JS  # noqa: E402
from piaqa.ui.welcome import I18N, LABELS  # noqa: E402
from piaqa.ui.language import DefaultLanguage, language_script  # noqa: E402
from piaqa.ui.exports import SessionExports  # noqa: E402
from piaqa.ui.feedback_ui import FeedbackPanel  # noqa: E402
from piaqa.ui.guard import session_of  # noqa: E402
from piaqa.ui.mcp_tools import register_tools  # noqa: E402
from piaqa.ui.research import ResearchHandlers, research_tab  # noqa: E402
from piaqa.ui.batch_ui import BatchHandlers, batch_tab  # noqa: E402

log = logging.getLogger(__name__)
# events run at once: asks share one embedder (serialised by a lock) and two cores; 4 keeps light page
# events (a citation's section, a filter) responsive while long asks or a batch run
CONCURRENCY = 4


class UI:
    """Callbacks of the page; each is a thin adapter from widgets to Assistant and back."""

    def __init__(self, assistant: Assistant, export_dir: Path, feedback: FeedbackStore | None = None) -> None:
        self.a = assistant
        self.exports = SessionExports(export_dir)
        self.panel = FeedbackPanel(feedback or FeedbackStore.in_folder(assistant.settings.data_dir), self.exports,
                                   assistant.index.manifest_id)
        self.chat = ChatHandlers(assistant, self.exports, self.panel)
        self.research = ResearchHandlers(assistant, self.exports)
        self.batch = BatchHandlers(assistant, self.exports)

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
        gr.Markdown("## piaqa — 特定個人情報保護評価書 QA\n日本語・英語で質問できます。表示言語の切替はページ下の「設定」"
                    "（言語）から。 / Ask in Japanese or English; switch the page's language under Settings at the "
                    "bottom of the page.")
        with gr.Tab(I18N("chat")):
            chat_tab(ui.chat)
        with gr.Tab(I18N("researcher")):
            research_tab(ui.research)
        with gr.Tab(I18N("batch")):
            batch_tab(ui.batch)
        demo.unload(ui.end_session)
        register_tools(assistant)
    return demo


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
    at /gradio_api/mcp/) runs only without a login: gradio mounts it outside its login check. The page starts in
    Japanese whatever the browser's language (`piaqa.ui.language`)."""
    return {"server_name": settings.host, "server_port": settings.port, "allowed_paths": [str(export_dir)],
            "show_error": False, "max_file_size": settings.max_upload_bytes, "auth": logins or None,
            "auth_message": "piaqa: log in with the user name and password you were given." if logins else None,
            "css": R.CSS, "js": OPEN_JS, "footer_links": ["settings"], "i18n": I18N, "mcp_server": not logins,
            "app_kwargs": {"middleware": [Middleware(DefaultLanguage, script=language_script(LABELS))]}}


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
