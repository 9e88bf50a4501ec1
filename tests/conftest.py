"""Shared fixtures: the real corpus, real Sudachi, the real model and index."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"


@pytest.fixture(scope="session")
def settings():
    from piaqa.config import Settings

    return Settings.from_env()


@pytest.fixture(scope="session")
def docs():
    from piaqa.parse.ingest import load_corpus

    return {d.meta.doc: d for d in load_corpus(CORPUS)}


@pytest.fixture(scope="session")
def tokenizer():
    from piaqa.search.tokenize import Tokenizer

    return Tokenizer()


@pytest.fixture(scope="session")
def assistant(settings):
    from piaqa.qa import Assistant

    return Assistant(settings, progress=False)


def launch_app(assistant, export: Path, settings=None, feedback=None):
    """The real Gradio page over `assistant` on a free loopback port, queued and launched with the app's
    own options for `settings` (default: the assistant's; limits, login), exports under `export`, ratings in
    the FeedbackStore `feedback` (default: the one in the settings' data folder)."""
    import socket

    from piaqa.config import credentials
    from piaqa.ui.app import build_app, launch_options, queue_options

    settings = settings or assistant.settings
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app(assistant, export, feedback)
    options = {**launch_options(settings, export, credentials(settings)), "server_name": "127.0.0.1",
               "server_port": port, "prevent_thread_lock": True, "quiet": True}
    demo.queue(**queue_options(settings)).launch(**options)
    return demo
