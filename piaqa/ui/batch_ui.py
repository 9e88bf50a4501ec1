"""The Batch tab: a question file in (a sample to start from), answers shown in a table as they arrive, the answers
as JSONL (the `piaqa batch` format) and CSV; the run button is off while a run goes; a bad file is named with its
line and what is wrong."""
from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import gradio as gr

from piaqa.batchrun import run_batch
from piaqa.qa import Assistant
from piaqa.questions import BatchQuestion, QuestionFileError, parse_questions
from piaqa.records import page_prefix
from piaqa.safeask import INTERNAL_ERROR
from piaqa.ui.exports import SessionExports
from piaqa.ui.guard import UI_ONLY, session_of
from piaqa.ui.render import esc, to_csv

log = logging.getLogger(__name__)
HEADERS = ["id", "question", "answer", "answerable", "cities", "sources", "error"]
CSV_HEADERS = ["id", "question", "answer", "answerable", "cities", "citations", "citations_json", "error"]
SAMPLE_NAME = "piaqa-sample-questions.jsonl"
SAMPLE = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in (
    {"id": "q1", "question": "倉敷市の国民年金事務の委託先は？"},
    {"id": "q2", "question": "which cities re-delegate (再委託) system maintenance?"},
    {"id": "q3", "question": "高知市の住民基本台帳ファイルの保管期間は？"},
))
_DONE = object()  # end of a run's records


def sample_link() -> str:
    """A link that downloads the sample question file (the file travels in the link: nothing to serve)."""
    return (f'<a class="piaqa-sample" id="piaqa-batch-sample" download="{SAMPLE_NAME}" '
            f'href="data:application/x-ndjson;charset=utf-8,{quote(SAMPLE)}">見本の質問ファイル / sample question '
            f"file ({SAMPLE_NAME})</a>")


def read_upload(path: Path, limit: int) -> list[BatchQuestion]:
    """The questions of an uploaded file; QuestionFileError names the line and the fix."""
    size = path.stat().st_size
    if size > limit:
        raise QuestionFileError(f"the file has {size:,} bytes; the limit is {limit:,} (PIAQA_MAX_UPLOAD_BYTES). "
                                "Split it, or run `piaqa batch` on it.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise QuestionFileError(f"{path.name}:{line}: not UTF-8 text (byte 0x{raw[e.start]:02x}); "
                                "save the file as UTF-8") from None
    return parse_questions(text, path.name)


def _sources(rec: dict[str, Any]) -> str:
    return "; ".join(f"{c.get('city', '')} {page_prefix(c.get('page'))}L{c.get('line_start')}–{c.get('line_end')}"
                     for c in rec.get("citations", []))


def table_row(rec: dict[str, Any]) -> list[str]:
    """One answer as the page's table shows it."""
    return [str(rec["id"]), rec.get("question", ""), rec.get("answer", ""), "○" if rec.get("answerable") else "×",
            "、".join(rec.get("cities", [])), _sources(rec), rec.get("error", "")]


def answers_csv(records: Sequence[dict[str, Any]]) -> str:
    """The answers as CSV: citations written out (city | section | doc L-L) and as JSON."""
    rows = []
    for r in records:
        cites = r.get("citations", [])
        written = "\n".join(f"[{i}] {c.get('city', '')} | {c.get('section', '')} | {c.get('doc', '')} "
                            f"{page_prefix(c.get('page'))}L{c.get('line_start')}-{c.get('line_end')}" for i, c in enumerate(cites, 1))
        rows.append([str(r["id"]), r.get("question", ""), r.get("answer", ""), str(bool(r.get("answerable"))).lower(),
                     "、".join(r.get("cities", [])), written, json.dumps(cites, ensure_ascii=False), r.get("error", "")])
    return to_csv(CSV_HEADERS, rows)


class BatchHandlers:
    """Event handler of the Batch tab."""

    def __init__(self, assistant: Assistant, exports: SessionExports) -> None:
        self.a = assistant
        self.exports = exports

    def run(self, upload: Any, request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
        """Answer an uploaded question file: yields (table, JSONL, CSV, status, run button) as answers arrive."""
        idle = gr.update(interactive=True)
        if upload is None:
            yield [], None, None, "質問ファイルを選んでください。/ Upload a .jsonl, .csv or .txt question file first.", idle
            return
        path = Path(upload if isinstance(upload, str) else upload.name)
        try:
            questions = read_upload(path, self.a.settings.max_upload_bytes)
        except QuestionFileError as e:
            yield [], None, None, f"ファイルを読めません / Cannot read the file: {esc(str(e))}", idle
            return
        try:
            yield from self._answer(questions, path.stem, session_of(request))
        except Exception:  # noqa: BLE001 - the page must stay up; details go to the server log
            log.exception("batch run failed")
            yield gr.skip(), None, None, INTERNAL_ERROR, idle

    def _answer(self, questions: list[BatchQuestion], stem: str, session: str | None) -> Iterator[tuple[Any, ...]]:
        out = self.exports.path(session, "answers", stem, ".jsonl")
        records: queue.Queue[Any] = queue.Queue()
        ended: dict[str, Any] = {}

        def work() -> None:
            try:
                ended["result"] = run_batch(lambda q: self.a.ask(q), questions, out, on_record=records.put)
            except BaseException as e:  # noqa: BLE001 - reported by the generator
                ended["error"] = e
            finally:
                records.put(_DONE)

        threading.Thread(target=work, name="piaqa-batch", daemon=True).start()
        rows: list[list[str]] = []
        yield [], None, None, f"回答中 / answering 0 / {len(questions)}", gr.update(interactive=False)
        done = False
        while not done:
            got = [records.get()]
            while not records.empty():  # every answer that is ready goes into one update
                got.append(records.get())
            done = got[-1] is _DONE
            rows += [table_row(r) for r in got if r is not _DONE]
            if not done:
                yield list(rows), None, None, f"回答中 / answering {len(rows)} / {len(questions)}", gr.skip()
        if "error" in ended:
            raise ended["error"]
        res = ended["result"]
        answers = [json.loads(x) for x in res.path.read_text(encoding="utf-8").splitlines()]
        csv_path = self.exports.write(session, "answers", stem, ".csv", answers_csv(answers))
        status = f"{res.written} 問に回答しました / Answered {res.written} questions ({res.abstained} marked not answerable)."
        if res.failed:
            status += (f" {len(res.failed)} failed with an internal error (logged; rows with \"error\" in the "
                       f"file): {esc(', '.join(res.failed[:20]))}{' …' if len(res.failed) > 20 else ''}.")
        yield [table_row(r) for r in answers], str(res.path), csv_path, status, gr.update(interactive=True)


def batch_tab(h: BatchHandlers) -> None:
    """The Batch tab's layout and events."""
    gr.Markdown("質問ファイル（JSONL: shared/eval 形式、CSV: `question` 列、TXT: 1 行 1 問）をアップロードすると、"
                "回答が届くたびに表に並びます。 / Upload questions (JSONL as in shared/eval, CSV with a `question` "
                "column, or one question per line); answers appear in the table as they arrive, then as JSONL (the "
                "`piaqa batch` format) and CSV.")
    gr.HTML(sample_link())
    upload = gr.File(label="Question file / 質問ファイル", file_types=[".jsonl", ".csv", ".txt"],
                     elem_id="piaqa-batch-upload")
    run = gr.Button("Run batch / 実行", variant="primary", elem_id="piaqa-batch-run")
    status = gr.Markdown(elem_id="piaqa-batch-status")
    table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="piaqa-batch-table",
                         column_widths=["6%", "22%", "36%", "6%", "10%", "14%", "6%"])
    with gr.Row():
        result = gr.File(label="Answers (JSONL)", elem_id="piaqa-batch-jsonl")
        result_csv = gr.File(label="Answers (CSV)", elem_id="piaqa-batch-csv")
    run.click(h.run, [upload], [table, result, result_csv, status, run], api_name="batch", api_visibility=UI_ONLY)
