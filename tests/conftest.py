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


def chat(assistant, *questions):
    """Ask the questions as one conversation (each with the turns before it as history); the answers in order."""
    history, answers = [], []
    for q in questions:
        ans = assistant.ask(q, history=history)
        history.append((q, ans))
        answers.append(ans)
    return answers


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


CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `make browser-deps`
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian chromium is not installed (make browser-deps)")


def make_ui(assistant, folder: Path):
    """The page's handlers over the real Assistant, exports and ratings in `folder` (called directly in tests)."""
    from piaqa.feedback import FeedbackStore
    from piaqa.ui.app import UI

    return UI(assistant, folder / "exports", FeedbackStore(folder / "fb.sqlite3"))


def open_page(playwright, url: str, **context):
    """Headless Chromium on the page at `url`, once its question box is there (context: playwright's
    new_context options; a Japanese browser with a 1400×1100 window unless given)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
    page = browser.new_context(**{"locale": "ja-JP", "viewport": {"width": 1400, "height": 1100}, **context}).new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("#piaqa-question textarea").wait_for(timeout=30_000)
    return page


CLEAN_SEEDS = ("000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt", "002_8198ed8bac5210ca.txt",
               "004_57af33314b6a26f0.txt")  # the seed documents bench/pdf_render.py prints (003 is PDF text already)


def pdf_renderer():
    """bench/pdf_render.py as a module (bench/ is scripts, not a package)."""
    import importlib.util
    import sys

    if "pdf_render" not in sys.modules:
        spec = importlib.util.spec_from_file_location("pdf_render", ROOT / "bench" / "pdf_render.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["pdf_render"] = module  # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return sys.modules["pdf_render"]


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory):
    """The clean seed assessments printed to PDF by headless Chromium, once per test session (never committed)."""
    import shutil

    renderer = pdf_renderer()
    if shutil.which(renderer.CHROMIUM) is None:
        pytest.skip(f"{renderer.CHROMIUM} is not installed (make browser-deps installs it)")
    assert tuple(renderer.CLEAN_SEEDS) == CLEAN_SEEDS
    out = tmp_path_factory.mktemp("pdf")
    renderer.render([CORPUS / name for name in CLEAN_SEEDS], out)
    return out


@pytest.fixture(scope="session")
def pdf_corpus(pdf_dir, tmp_path_factory):
    """A corpus where the four rendered PDFs replace their text files (003, text from a PDF already, stays)."""
    import shutil

    out = tmp_path_factory.mktemp("pdfcorpus")
    for p in pdf_dir.glob("*.pdf"):
        shutil.copy2(p, out / p.name)
    for p in CORPUS.glob("*.txt"):
        if p.name not in CLEAN_SEEDS:
            shutil.copy2(p, out / p.name)
    return out
