"""Batch runs for the CLI and the UI: one record per question, failures as error rows, written
incrementally to `<out>.partial`, resumable, and moved into place only when complete."""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piaqa.questions import BatchQuestion, write_jsonl_atomic
from piaqa.records import Answer
from piaqa.safeask import checked_ask
from piaqa.safetext import clean_question, json_line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchResult:
    """What a batch run wrote."""

    path: Path  # the answers file
    written: int  # records in it (one per question)
    asked: int  # questions asked in this run (the rest were kept from an earlier run)
    failed: tuple[str, ...]  # ids whose record is an error row
    abstained: int  # records marked not answerable, error rows included


def partial_path(out: Path) -> Path:
    """Where an unfinished run keeps its records."""
    return out.with_name(out.name + ".partial")


def error_record(q: BatchQuestion, exc: BaseException) -> dict[str, Any]:
    """The row written for a question that raised."""
    return {"id": q.id, "question": clean_question(q.question), "answer": "", "answerable": False,
            "cities": [], "citations": [], "error": f"{type(exc).__name__}: {exc}"[:500]}


def answer_record(ask: Callable[[str], Answer], q: BatchQuestion) -> dict[str, Any]:
    """The answers-file record of one question; an exception becomes an error row (logged in full)."""
    try:
        return checked_ask(ask, q.question).to_json(q.id)
    except Exception as e:  # noqa: BLE001 - one bad question must not end the run
        log.exception("question %s failed", q.id)
        return error_record(q, e)


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of an answers file; unreadable lines (a write cut short) are skipped with a warning."""
    out, bad = [], 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                bad += line.strip() != ""
                continue
            if isinstance(rec, dict) and "id" in rec:
                out.append(rec)
    if bad:
        log.warning("%s: skipped %d unreadable line(s)", path, bad)
    return out


def _resumed(out: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Records of an earlier run worth keeping: answered (no error) questions of this file."""
    for src in (partial_path(out), out):
        if src.is_file():
            kept = {str(r["id"]): r for r in read_records(src) if str(r["id"]) in ids and "error" not in r}
            log.info("resuming from %s: %d of %d questions already answered", src, len(kept), len(ids))
            return kept
    log.info("nothing to resume at %s; answering all %d questions", out, len(ids))
    return {}


def run_batch(ask: Callable[[str], Answer], questions: Sequence[BatchQuestion], out: Path,
              resume: bool = False, on_progress: Callable[[int, int], None] | None = None,
              on_record: Callable[[dict[str, Any]], None] | None = None) -> BatchResult:
    """Answer every question (skipping those answered by an earlier run when `resume`), appending each
    record to `<out>.partial` as it comes (and handing it to `on_record`); at the end write `<out>` atomically
    in question order."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(out)
    done = _resumed(out, {q.id for q in questions}) if resume else {}
    if not resume and partial.exists():
        log.warning("%s is left from an interrupted run; starting over (use --resume to continue it)", partial)
    write_jsonl_atomic(partial, list(done.values()))  # the kept records, or an empty file
    todo = [q for q in questions if q.id not in done]
    with open(partial, "a", encoding="utf-8") as fh:
        for i, q in enumerate(todo, 1):
            rec = answer_record(ask, q)
            fh.write(json_line(rec))
            fh.flush()
            done[q.id] = rec
            if on_record:
                on_record(rec)
            if on_progress:
                on_progress(i, len(todo))
        os.fsync(fh.fileno())
    records = [done[q.id] for q in questions]
    write_jsonl_atomic(out, records)
    partial.unlink(missing_ok=True)
    failed = tuple(str(r["id"]) for r in records if "error" in r)
    return BatchResult(out, len(records), len(todo), failed, sum(not r["answerable"] for r in records))
