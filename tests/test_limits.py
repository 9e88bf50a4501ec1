"""Limits and safe text (issue 8, items 4 and 6): long questions are cut with a note and never echoed in
full, uploads and the queue are bounded, the query cache is bounded by bytes, odd text always writes, an
internal error reaches the user as a short message, analytics are off in every entry point."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from piaqa.config import Settings, SettingsError
from piaqa.records import Answer
from piaqa.safeask import INTERNAL_ERROR, safe_ask, shortened_note

from tests.conftest import ROOT, launch_app

BASE = "倉敷市の国民年金事務の委託先は？"
MEGA = BASE + " " + "あ" * 1_000_000  # a 1 MB question
NOTE = ("（質問が長すぎるため、先頭の2,000文字に短縮して回答しました。"
        " / The question was shortened to its first 2,000 characters.）")


def _no_echo(text: str) -> None:
    """The 1 MB question is not in `text`, nor anything near its length."""
    assert "あ" * 2001 not in text and len(text) < 20_000


# ------------------------------------------------------------------------------------ question length

def test_default_question_limit_and_its_note():
    assert Settings().max_question_chars == 2000
    assert shortened_note(2000) == NOTE


def test_a_1mb_question_is_answered_on_its_first_2000_characters(assistant):
    ans = assistant.ask(MEGA)
    cut = assistant.ask(MEGA[:2000])
    assert ans.text == cut.text + "\n" + NOTE
    assert ans.citations == cut.citations and len(ans.question) <= 2000
    _no_echo(json.dumps(ans.to_json(), ensure_ascii=False))


def test_a_question_within_the_limit_has_no_note(assistant):
    assert "短縮" not in assistant.ask(BASE).text and "shortened" not in assistant.ask(BASE).text


def test_the_limit_comes_from_the_environment(assistant, monkeypatch):
    monkeypatch.setenv("PIAQA_MAX_QUESTION_CHARS", "30")
    monkeypatch.setattr(assistant, "settings", Settings.from_env())
    ans = assistant.ask(BASE + "また、再委託はしていますか？詳しく教えてください。")
    assert ans.text.endswith("先頭の30文字に短縮して回答しました。 / The question was shortened to its first 30 characters.）")
    assert len(ans.question) <= 30 and "短縮" not in assistant.ask(BASE).text  # 16 characters: untouched


@pytest.mark.parametrize("env,value,message", [
    ("PIAQA_MAX_QUESTION_CHARS", "0", "max_question_chars must be 1..20,000 .*set PIAQA_MAX_QUESTION_CHARS"),
    ("PIAQA_MAX_QUESTION_CHARS", "50000", "set PIAQA_MAX_QUESTION_CHARS"),
    ("PIAQA_MAX_UPLOAD_BYTES", "0", "max_upload_bytes must be >= 1 .*set PIAQA_MAX_UPLOAD_BYTES"),
    ("PIAQA_QUEUE_MAX", "-1", "set PIAQA_QUEUE_MAX"),
    ("PIAQA_CACHE_BYTES", "lots", "PIAQA_CACHE_BYTES='lots' is not a whole number"),
])
def test_bad_limits_say_what_to_set(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        Settings.from_env()


def test_shell_replies_never_echo_a_huge_question():
    symbols = safe_ask(lambda q: pytest.fail("a question without words is not asked"), "？" * 1_000_000)
    assert symbols.kind == "abstain" and len(symbols.question) == 2000

    def boom(question: str) -> Answer:
        raise RuntimeError("broken")

    failed = safe_ask(boom, MEGA)
    assert failed.text == INTERNAL_ERROR and len(failed.question) <= 2000


def test_ui_chat_shows_and_follows_up_the_shortened_question(assistant, tmp_path):
    from piaqa.ui.app import UI

    chat, turns, shown, *_ = UI(assistant, tmp_path).chat.ask(MEGA, [], [], [], [], False)
    ans = shown[0].answer
    assert chat[0]["content"] == MEGA[:2000]  # the user's message as shown: the part that was asked
    assert turns[0][0] == MEGA[:2000] and ans.text.endswith(NOTE) and NOTE in chat[1]["content"]
    _no_echo(json.dumps(chat, ensure_ascii=False))


def test_ui_search_reads_only_the_first_2000_characters(assistant, tmp_path, monkeypatch):
    from piaqa.ui.app import UI

    seen = []
    real = assistant.search
    monkeypatch.setattr(assistant, "search", lambda q, **kw: seen.append(q) or real(q, **kw))
    rows, found, csv_path, jsonl_path, _ = UI(assistant, tmp_path).research.search(MEGA, 3, [])
    assert seen == [MEGA[:2000]] and len(rows) == 3 and len(found) == 3
    assert Path(csv_path).is_file() and Path(jsonl_path).is_file()


def test_batch_and_cli_records_hold_the_shortened_question(assistant, tmp_path, monkeypatch, capsys):
    from piaqa import cli
    from piaqa.batchrun import run_batch
    from piaqa.questions import BatchQuestion

    res = run_batch(assistant.ask, [BatchQuestion("big", MEGA)], tmp_path / "answers.jsonl")
    text = res.path.read_text(encoding="utf-8")
    rec = json.loads(text)
    assert rec["answer"].endswith(NOTE) and len(rec["question"]) <= 2000
    _no_echo(text)

    monkeypatch.setattr(cli, "_assistant", lambda args, rebuild=False: assistant)
    assert cli.main(["ask", "--json", MEGA]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["answer"].endswith(NOTE)
    _no_echo(out)


# ------------------------------------------------------------------------------------------ safe text

def test_lone_surrogates_reach_no_output(assistant, tmp_path, monkeypatch, capsys):
    """A question with a lone surrogate (a JSON escape, or undecodable argv bytes) is answered and
    every output that carries it — CLI text and JSON, the answers file, the UI's exports — encodes."""
    from piaqa import cli
    from piaqa.batchrun import run_batch
    from piaqa.questions import BatchQuestion
    from piaqa.ui.app import UI

    odd = "倉敷市の\udc93国民年金事務の委託先は？\ud800\x07"
    monkeypatch.setattr(cli, "_assistant", lambda args, rebuild=False: assistant)
    for args in (["ask", odd], ["ask", "--json", odd]):
        assert cli.main(args) == 0
        capsys.readouterr().out.encode("utf-8")  # strict: raises on a surrogate
    res = run_batch(assistant.ask, [BatchQuestion("odd", odd)], tmp_path / "a.jsonl")
    assert json.loads(res.path.read_bytes().decode("utf-8"))["question"] == "倉敷市の国民年金事務の委託先は？"
    ui = UI(assistant, tmp_path / "exports")
    session = SimpleNamespace(session_hash="odd")
    ui.chat.ask("住民票の写し等のコンビニ交付用の特定個人情報ファイルを扱っている市はどこですか。\udc93", [], [], [], [],
                False, request=session)
    ui.research.search(odd, 3, [], request=session)
    ui.research.fields(None, "委託先名\ud800", False, request=session)
    files = list((tmp_path / "exports" / "s-odd").iterdir())
    assert len(files) == 6  # the table CSV and Excel, the search CSV and JSONL, the fields CSV and JSONL
    for f in files:
        if f.suffix != ".xlsx":  # a zip of XML: openpyxl writes it (and refuses a lone surrogate)
            f.read_bytes().decode("utf-8")  # strict
        assert "\udc93" not in f.name and "\ud800" not in f.name


# ------------------------------------------------------------------------------- query cache in bytes

def test_query_cache_stays_within_its_bytes():
    from piaqa.search.embed import QueryCache, entry_bytes

    cache = QueryCache(10_000)
    vec = np.zeros((1, 384), dtype=np.float32)  # one e5-small query embedding: 1,536 bytes
    for i in range(200, 400):
        cache.put(f"質問{i}", vec.copy())
        assert cache.nbytes <= 10_000
    kept = [i for i in range(200, 400) if cache.get(f"質問{i}") is not None]
    assert kept == list(range(400 - 10_000 // entry_bytes("質問399", vec), 400))  # the newest six
    assert cache.nbytes == sum(entry_bytes(f"質問{i}", vec) for i in kept) == len(kept) * entry_bytes("質問399", vec)
    cache.get("質問394")  # used again: the oldest is now 395
    cache.put("質問400", vec)
    assert cache.get("質問394") is not None and cache.get("質問395") is None
    cache.put("x" * 20_000, vec)  # larger than the whole budget: not kept, nothing evicted for it
    assert cache.get("x" * 20_000) is None and len(cache) == len(kept)


def test_embedder_cache_is_bounded_by_settings(settings):
    from piaqa.search.embed import Embedder

    emb = Embedder(replace(settings, cache_bytes=8_000))
    first = emb.queries(["倉敷市の委託先"])
    assert emb.queries(["倉敷市の委託先"]) is first  # a cache hit
    for i in range(12):
        emb.queries([f"質問その{i}"])
        assert emb._cache.nbytes <= 8_000  # noqa: SLF001
    assert 1 < len(emb._cache) < 13  # noqa: SLF001
    assert Settings().cache_bytes == 16 * 1024 * 1024


# ----------------------------------------------------------------------------- gradio: upload, queue

@pytest.fixture(scope="module")
def small_app(assistant, tmp_path_factory):
    """The real page with a 1,000-byte upload limit and a queue of one."""
    settings = replace(assistant.settings, max_upload_bytes=1000, queue_max=1)
    demo = launch_app(assistant, tmp_path_factory.mktemp("limits"), settings)
    yield demo
    demo.close()


def test_the_page_is_launched_with_the_limits(small_app):
    assert small_app.max_file_size == 1000 and small_app._queue.max_size == 1  # noqa: SLF001
    assert small_app.show_error is False and small_app.analytics_enabled is False


def test_uploads_over_the_limit_are_refused(small_app):
    import httpx

    url = small_app.local_url + "gradio_api/upload"
    ok = httpx.post(url, files={"files": ("q.txt", "質問\n".encode() * 100)}, timeout=30)  # 700 bytes
    big = httpx.post(url, files={"files": ("q.txt", b"x" * 1001)}, timeout=30)
    assert ok.status_code == 200 and big.status_code == 413
    assert big.text == "File size exceeded maximum allowed size of 1000 bytes."


def test_batch_handler_refuses_a_file_over_the_limit(assistant, tmp_path, monkeypatch):
    from piaqa.ui.app import UI

    monkeypatch.setattr(assistant, "settings", replace(assistant.settings, max_upload_bytes=1000))
    big = tmp_path / "qs.txt"
    big.write_text("倉敷市の国民年金事務の委託先は？\n" * 100, encoding="utf-8")
    (table, jsonl, csv_out, status, button), = list(UI(assistant, tmp_path / "ex").batch.run(str(big)))
    assert table == [] and jsonl is None and csv_out is None and button["interactive"] is True
    assert status.endswith("the file has 4,900 bytes; the limit is 1,000 (PIAQA_MAX_UPLOAD_BYTES). "
                           "Split it, or run `piaqa batch` on it.")


def test_a_full_queue_turns_requests_away(small_app, assistant, monkeypatch):
    import httpx

    release, started = threading.Event(), []

    def slow(question, **kw):
        started.append(question)
        release.wait(60)
        return Answer(question, "ok", (), answerable=False, kind="abstain")

    monkeypatch.setattr(assistant, "ask", slow)
    url = small_app.local_url + "gradio_api/call/ask"

    def call(i: int) -> httpx.Response:
        return httpx.post(url, json={"data": [f"質問{i}", [], [], [], False]}, timeout=30)

    try:
        assert all(call(i).status_code == 200 for i in range(4))  # the four workers
        deadline = time.time() + 30
        while len(started) < 4 and time.time() < deadline:
            time.sleep(0.1)
        assert len(started) == 4
        assert call(4).status_code == 200  # waits: the queue holds one
        full = call(5)
        assert full.status_code == 503 and "Queue is full. Max size is 1" in full.text
    finally:
        release.set()


# ------------------------------------------------------------------------------- short errors, no analytics

def test_an_unexpected_error_is_not_shown_to_the_user(small_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(small_app.local_url, verbose=False)
    with pytest.raises(AppError) as err:
        client.predict("倉敷", "many", [], api_name="/passages")  # a slider given text: gradio fails inside
    assert "not enabled verbose error reporting" in str(err.value)
    assert "slider" not in str(err.value) and "TypeError" not in str(err.value)


@pytest.mark.parametrize("module", ["piaqa.ui.app", "app"])
def test_analytics_are_off_whatever_the_environment_says(module):
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "True"}
    code = (f"import {module}, os\nfrom gradio.analytics import analytics_enabled\n"
            "print(os.environ['GRADIO_ANALYTICS_ENABLED'], analytics_enabled())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.stdout.split() == ["False", "False"], out.stderr[-2000:]
