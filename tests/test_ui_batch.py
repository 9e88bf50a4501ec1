"""The Batch tab (issue 9 item 7): a sample file, answers in a table as they arrive, JSONL and CSV out, the run button
off while running, a bad file named with its line and reason. Real Assistant; the handler directly, then the page."""
from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest

from piaqa.questions import parse_questions
from piaqa.ui.batch_ui import CSV_HEADERS, SAMPLE, SAMPLE_NAME, sample_link

from tests.conftest import ROOT, launch_app, make_ui, needs_chromium, open_page

SESSION = SimpleNamespace(session_hash="batch1")


@pytest.fixture(scope="module")
def ui(assistant, tmp_path_factory):
    return make_ui(assistant, tmp_path_factory.mktemp("batch"))


def test_sample_file_is_a_valid_question_file():
    link = sample_link()
    assert f'download="{SAMPLE_NAME}"' in link
    content = unquote(link.split("charset=utf-8,", 1)[1].split('"', 1)[0])
    assert content == SAMPLE
    assert [q.id for q in parse_questions(content, SAMPLE_NAME)] == ["q1", "q2", "q3"]


def test_answers_arrive_in_the_table_then_jsonl_and_csv(ui, assistant, tmp_path):
    qfile = tmp_path / "sample.jsonl"
    qfile.write_text(SAMPLE, encoding="utf-8")
    steps = list(ui.batch.run(str(qfile), request=SESSION))
    first, last = steps[0], steps[-1]
    assert first[0] == [] and first[4]["interactive"] is False  # running: an empty table, the button off
    assert last[4]["interactive"] is True and "Answered 3 questions" in last[3]
    growing = [len(s[0]) for s in steps if isinstance(s[0], list)]
    assert growing == sorted(growing) and growing[-1] == 3
    assert [r[0] for r in last[0]] == ["q1", "q2", "q3"]
    assert last[0][0][2:6] == ["倉敷市の委託先名は 富士通Japan株式会社岡山支社 [1] です。", "○", "倉敷市",
                               "倉敷市 L91–91; 倉敷市 L86–94; 倉敷市 L261–263; 倉敷市 L120–122; 倉敷市 L96–104"]
    records = [json.loads(x) for x in Path(last[1]).read_text(encoding="utf-8").splitlines()]
    assert records[0] == assistant.ask("倉敷市の国民年金事務の委託先は？").to_json("q1")
    rows = list(csv.reader(io.StringIO(Path(last[2]).read_text(encoding="utf-8-sig"))))
    assert rows[0] == CSV_HEADERS and [r[0] for r in rows[1:]] == ["q1", "q2", "q3"]
    assert rows[1][5].split("\n")[0] == ("[1] 倉敷市 | II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託 | "
                                         "000_2b92446a3e503446.txt L91-91")
    assert json.loads(rows[1][6]) == records[0]["citations"]
    assert Path(last[1]).name.startswith("piaqa-answers-sample-") and Path(last[2]).suffix == ".csv"


@pytest.mark.parametrize("name, content, message", [
    ("bad.jsonl", '{"question": "倉敷市の委託先は？"}\n{"question": oops}\n',
     "Cannot read the file: bad.jsonl:2: invalid JSON (Expecting value); one JSON object per line"),
    ("bad.jsonl", '{"question": "a"}\n{"q": "b"}\n', 'Cannot read the file: bad.jsonl:2: needs a "question" field'),
    ("bad.txt", "倉敷市の委託先は？\n郡山市は？\n".encode() + b"\x93\x94\n", "Cannot read the file: bad.txt:3: not UTF-8 text "
     "(byte 0x93); save the file as UTF-8"),
    ("bad.csv", "id,text\n1,倉敷市\n", "Cannot read the file: bad.csv: CSV needs a 'question' column"),
    ("empty.txt", "\n# only a comment\n", "Cannot read the file: empty.txt: no questions found"),
])
def test_a_bad_file_names_its_line_and_reason(ui, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (only,) = list(ui.batch.run(str(path), request=SESSION))
    assert only[0] == [] and only[1] is None and only[4]["interactive"] is True
    assert message in html.unescape(only[3]), only[3]  # the status is escaped Markdown


def test_no_file_says_what_to_do(ui):
    (only,) = list(ui.batch.run(None))
    assert "Upload a .jsonl, .csv or .txt question file first." in only[3]


@pytest.mark.browser
@needs_chromium
def test_browser_batch_sample_run_and_table(assistant, tmp_path):
    from playwright.sync_api import sync_playwright

    demo = launch_app(assistant, tmp_path / "exports")
    try:
        with sync_playwright() as p:
            page = open_page(p, demo.local_url, accept_downloads=True)
            page.get_by_role("tab", name="一括処理").click()
            with page.expect_download(timeout=15_000) as got:
                page.locator("#piaqa-batch-sample").click()
            sample = tmp_path / got.value.suggested_filename
            got.value.save_as(sample)
            assert sample.name == SAMPLE_NAME and sample.read_text(encoding="utf-8") == SAMPLE
            page.locator("#piaqa-batch-upload input[type=file]").set_input_files(str(sample))
            # the upload round trip is slow while the rest of the suite loads the machine: wait as for the run
            page.locator("#piaqa-batch-upload").get_by_text(SAMPLE_NAME).first.wait_for(timeout=60_000)
            page.locator("#piaqa-batch-run").click()
            page.locator("#piaqa-batch-status").get_by_text("Answered 3 questions").wait_for(timeout=60_000)
            table = page.locator("#piaqa-batch-table")
            assert table.get_by_text("倉敷市の委託先名は 富士通Japan株式会社岡山支社 [1] です。").filter(visible=True).count() == 1
            assert page.locator("#piaqa-batch-run").is_enabled()
            (ROOT / "artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "artifacts" / "ui-batch.png"), full_page=True)
            page.context.browser.close()
    finally:
        demo.close()
