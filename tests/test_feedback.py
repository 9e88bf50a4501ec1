"""Feedback and history (issue 9, item 5): the SQLite store, `piaqa feedback export --csv`, the chat's 👍/👎 and
comment handlers, and the conversation's Markdown export (handlers called directly, then in a real browser)."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from piaqa.feedback import (CSV_COLUMNS, DOWN, MAX_COMMENT_CHARS, UP, Feedback, FeedbackError, FeedbackStore,
                            rating_of, write_csv)
from piaqa.records import Answer, Citation

from tests.conftest import ROOT

KURASHIKI = "000_2b92446a3e503446.txt"
CITE = Citation(doc=KURASHIKI, city="倉敷市", jimu="国民年金に関する事務",
                path="II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託", line_start=91, line_end=91,
                text="③委託先名\t富士通Japan株式会社岡山支社\t")
ANSWER = Answer("倉敷市の国民年金事務の委託先は？", "倉敷市の委託先名は 富士通Japan株式会社岡山支社 [1] です。", (CITE,))


# ------------------------------------------------------------------------------------------- the store

def test_store_round_trip_update_and_remove(tmp_path):
    store = FeedbackStore.in_folder(tmp_path / "data")
    assert store.all() == [] and not (tmp_path / "data").exists()  # reading creates nothing
    first = store.add(rating_of(ANSWER, "倉敷市の国民年金事務の委託先は？", True, "abc123", "  正しい\n回答  "))
    second = store.add(rating_of(Answer("横浜市は？", "横浜市の評価書はコーパスにありません。", (), answerable=False),
                                 "横浜市は？", False, "abc123"))
    assert store.path == tmp_path / "data" / "feedback.sqlite3" and (first, second) == (1, 2)
    got = store.all()
    assert [(f.id, f.rating, f.comment, f.question, f.answerable, f.manifest_id) for f in got] == [
        (1, UP, "正しい 回答", "倉敷市の国民年金事務の委託先は？", True, "abc123"),
        (2, DOWN, "", "横浜市は？", False, "abc123")]
    assert got[0].answer == ANSWER.text and got[0].citations == (CITE,) and got[1].citations == ()
    assert got[0].created_at.endswith("Z") and len(got[0].created_at) == 20
    assert store.update(2, rating=UP, comment="やはり正しい") and not store.update(99, comment="x")
    assert store.update(2, rating=DOWN)  # the comment stays when only the rating changes
    assert [(f.rating, f.comment) for f in store.all()] == [(UP, "正しい 回答"), (DOWN, "やはり正しい")]
    assert store.remove(1) and not store.remove(1)
    assert [f.id for f in store.all()] == [2]
    with pytest.raises(ValueError, match="rating must be 'up' or 'down'"):
        store.update(2, rating="meh")


def test_comments_are_cleaned_and_cut(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.add(rating_of(ANSWER, "q\udc93", True, "m", "a\x00b\u202e" + "長" * (MAX_COMMENT_CHARS + 50)))
    (fb,) = store.all()
    assert fb.comment == "a b" + "長" * (MAX_COMMENT_CHARS - 3) and fb.question == "q\ufffd"


def test_an_unwritable_data_folder_says_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(FeedbackError) as err:
        FeedbackStore.in_folder(blocker / "data").add(rating_of(ANSWER, "q", True, "m"))
    assert str(err.value).startswith(f"feedback database {blocker / 'data' / 'feedback.sqlite3'}: ")
    assert str(err.value).endswith("; set PIAQA_DATA_DIR to a writable folder (default ./data/)")


def test_write_csv():
    fb = Feedback(UP, "倉敷市の国民年金事務の委託先は？", ANSWER.text, True, (CITE,), "abc123", "正しい",
                  "2026-12-03T07:00:00Z", 7)
    out = io.StringIO()
    assert write_csv([fb], out) == 1
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == CSV_COLUMNS
    assert rows[1][:7] == ["7", "2026-12-03T07:00:00Z", "up", "正しい", "倉敷市の国民年金事務の委託先は？", ANSWER.text,
                           "true"]
    assert rows[1][7] == ("[1] 倉敷市 国民年金に関する事務 | II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託 | "
                          "000_2b92446a3e503446.txt L91-91")
    assert json.loads(rows[1][8]) == [{**CITE.to_json(), "jimu": "国民年金に関する事務"}] and rows[1][9] == "abc123"


# ------------------------------------------------------------------------------------------ the command

def _piaqa(data_dir: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIAQA_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "piaqa", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_export_command(tmp_path):
    data = tmp_path / "data"
    store = FeedbackStore.in_folder(data)
    store.add(rating_of(ANSWER, "倉敷市の国民年金事務の委託先は？", True, "abc123", "正しい"))
    store.add(rating_of(ANSWER, "倉敷市の委託先", False, "abc123"))
    out = tmp_path / "review.csv"
    res = _piaqa(data, "feedback", "export", "--csv", str(out))
    assert res.returncode == 0, res.stderr
    assert f"2 ratings from {store.path} written to {out}" in res.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets read the Japanese right
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS and [r[:5] for r in rows[1:]] == [
        ["1", rows[1][1], "up", "正しい", "倉敷市の国民年金事務の委託先は？"], ["2", rows[2][1], "down", "", "倉敷市の委託先"]]
    assert all(json.loads(r[8])[0]["line_start"] == 91 for r in rows[1:])
    res = _piaqa(data, "feedback", "export", "--csv")  # no FILE: standard output, no BOM
    assert res.returncode == 0 and list(csv.reader(io.StringIO(res.stdout)))[1:] == rows[1:]


def test_export_command_errors(tmp_path):
    res = _piaqa(tmp_path / "none", "feedback", "export", "--csv")
    assert res.returncode == 0 and res.stdout.strip() == ",".join(CSV_COLUMNS)  # nothing rated yet: a header
    assert "no feedback yet" in res.stderr and not (tmp_path / "none").exists()
    res = _piaqa(tmp_path, "feedback", "export")
    assert res.returncode == 2 and "the following arguments are required: --csv" in res.stderr
    FeedbackStore.in_folder(tmp_path).add(rating_of(ANSWER, "q", True, "m"))
    res = _piaqa(tmp_path, "feedback", "export", "--csv", str(tmp_path / "missing" / "x.csv"))
    assert res.returncode == 2 and res.stderr.startswith(f"piaqa: cannot write {tmp_path / 'missing' / 'x.csv'}: ")


# ----------------------------------------------------------------------------------- the chat's handlers

def _like(index: int, liked: object) -> SimpleNamespace:
    return SimpleNamespace(index=index, value=[], liked=liked)


@pytest.fixture()
def ui(assistant, tmp_path):
    from piaqa.ui.app import UI

    return UI(assistant, tmp_path / "exports", FeedbackStore(tmp_path / "fb.sqlite3"))


def _converse(ui, *questions: str) -> list:
    chat, turns, shown = [], [], []
    for q in questions:
        chat, turns, shown, *_ = ui.chat.ask(q, chat, turns, [], [], False, shown,
                                             request=SimpleNamespace(session_hash="fb1"))
    return shown


def test_thumbs_store_change_and_take_back(ui, assistant):
    shown = _converse(ui, "倉敷市の国民年金事務の委託先は？", "千葉市は？")
    assert [s.question for s in shown] == ["倉敷市の国民年金事務の委託先は？", "千葉市は？"]
    note, rated, box = ui.panel.rate(shown, {}, "正しい", _like(1, True))
    assert note.startswith("👍 を記録しました") and note.endswith("（コメント付き / with your comment）") and box == ""
    (fb,) = ui.panel.store.all()
    assert (fb.rating, fb.comment, fb.question, fb.manifest_id) == (UP, "正しい", "倉敷市の国民年金事務の委託先は？",
                                                                    assistant.index.manifest_id)
    assert fb.answer == shown[0].answer.text and "富士通Japan株式会社岡山支社" in fb.answer
    assert (fb.citations[0].doc, fb.citations[0].line_start, fb.citations[0].line_end) == (KURASHIKI, 91, 91)
    note, rated, _ = ui.panel.rate(shown, rated, "", _like(3, False))  # the follow-up's answer (千葉市)
    assert note.startswith("👎") and [(f.rating, f.question) for f in ui.panel.store.all()] == [
        (UP, "倉敷市の国民年金事務の委託先は？"), (DOWN, "千葉市は？")]
    _, rated, _ = ui.panel.rate(shown, rated, "", _like(3, True))  # changed its mind: the same row
    assert [(f.id, f.rating) for f in ui.panel.store.all()] == [(1, UP), (2, UP)]
    note, rated, _ = ui.panel.rate(shown, rated, "", _like(3, ""))  # the thumb clicked again: taken back
    assert note == "評価を取り消しました。/ Rating removed." and [f.id for f in ui.panel.store.all()] == [1]
    note, _, _ = ui.panel.rate(shown, rated, "", _like(5, True))
    assert note.startswith("その回答はもう評価できません")


def test_comment_after_rating(ui):
    shown = _converse(ui, "倉敷市の国民年金事務の委託先は？")
    assert ui.panel.save_comment({}, "先にコメント")[0].startswith("先に回答を 👍 / 👎 で評価してください")
    _, rated, _ = ui.panel.rate(shown, {}, "", _like(1, False))
    assert ui.panel.save_comment(rated, "支社名まで正しい") == ("コメントを保存しました。/ Comment saved.", "")
    assert [(f.rating, f.comment) for f in ui.panel.store.all()] == [(DOWN, "支社名まで正しい")]


def test_conversation_markdown_download(ui, tmp_path):
    shown = _converse(ui, "倉敷市の国民年金事務の委託先は？", "which cities re-delegate (再委託) system maintenance?")
    update = ui.panel.export(shown, request=SimpleNamespace(session_hash="fb1"))
    path = Path(update["value"])
    assert update["visible"] and path.parent == tmp_path / "exports" / "s-fb1"
    assert path.name.startswith("piaqa-conversation-倉敷市の国民年金事務の委託先は-") and path.suffix == ".md"
    md = path.read_text(encoding="utf-8")
    first, second = md.split("\n## 2. ")
    assert first.startswith("# piaqa — conversation\n\nExported ") and " · 2 questions\n\n" in first
    assert "\n## 1. 倉敷市の国民年金事務の委託先は？\n\n" + shown[0].answer.text + "\n\n**Citations**\n\n" in first
    assert ("1. 倉敷市 · 国民年金に関する事務 · II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託 — "
            "`000_2b92446a3e503446.txt L91–91`\n\n   ```text\n   ③委託先名\t富士通Japan株式会社岡山支社\t\n   ```") in first
    assert second.startswith("which cities re-delegate (再委託) system maintenance?\n\n")
    table = [line for line in second.split("\n") if line.startswith("| ○") or line.startswith("| ×")]
    assert [line.split(" | ")[1] for line in table] == [r.city for r in shown[1].answer.rows]
    assert sorted(line[2] for line in table) == ["×", "○", "○", "○", "○"]
    assert ui.panel.export([], request=None)["visible"] is False


def test_new_conversation_resets_ratings_and_download(ui):
    out = ui.chat.reset()
    assert out[2] == [] and out[-3:-1] == ("", {}) and out[-1]["visible"] is False


# ---------------------------------------------------------------------------------------- in the browser

@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")
def test_browser_thumbs_up_writes_a_row(assistant, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.conftest import launch_app

    store = FeedbackStore(tmp_path / "fb.sqlite3")
    demo = launch_app(assistant, tmp_path / "exports", feedback=store)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.goto(demo.local_url, wait_until="domcontentloaded")
            box = page.locator("#piaqa-question textarea")
            box.wait_for(timeout=30_000)
            box.fill("倉敷市の国民年金事務の委託先は？")
            box.press("Enter")
            page.locator("#piaqa-sources").get_by_text("L91–91").first.wait_for(timeout=30_000)
            page.locator("#piaqa-feedback-comment textarea").fill("支社名まで正しい")
            page.locator("#piaqa-chat").get_by_role("button", name="いいね", exact=True).first.click()  # gradio's own label, in Japanese
            page.locator("#piaqa-feedback-note").get_by_text("👍 を記録しました").wait_for(timeout=15_000)
            download = page.locator("#piaqa-conversation")
            download.wait_for(state="visible", timeout=15_000)
            (ROOT / "artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "artifacts" / "ui-feedback.png"), full_page=True)
            with page.expect_download(timeout=15_000) as got:
                download.click()
            md = Path(got.value.path()).read_text(encoding="utf-8")
            browser.close()
    finally:
        demo.close()
    rows = sqlite3.connect(store.path).execute("SELECT rating, comment, question, manifest_id FROM feedback").fetchall()
    assert rows == [("up", "支社名まで正しい", "倉敷市の国民年金事務の委託先は？", assistant.index.manifest_id)]
    assert "## 1. 倉敷市の国民年金事務の委託先は？" in md and "`000_2b92446a3e503446.txt L91–91`" in md
