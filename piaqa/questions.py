"""Question files for batch runs: JSONL (eval format), CSV with a `question` column, or plain text."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piaqa.safetext import json_line


class QuestionFileError(ValueError):
    """A question file piaqa cannot read; the message names the line and the fix."""


@dataclass(frozen=True)
class BatchQuestion:
    """One question of a batch, with its id (given, or q0001... by position)."""

    id: str
    question: str


def parse_questions(text: str, name: str) -> list[BatchQuestion]:
    """Questions from file content; the format is chosen by the file name's extension."""
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        out = _jsonl(text, name)
    elif suffix == ".csv":
        out = _csv(text, name)
    else:
        out = [BatchQuestion(f"q{i:04d}", line.strip()) for i, line in enumerate(text.splitlines(), 1)
               if line.strip() and not line.lstrip().startswith("#")]
    if not out:
        raise QuestionFileError(f"{name}: no questions found")
    ids = [q.id for q in out]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise QuestionFileError(f"{name}: duplicate ids {dup}; every question needs its own id")
    return out


def read_questions(path: Path) -> list[BatchQuestion]:
    """Questions from a file on disk."""
    if not path.is_file():
        raise QuestionFileError(f"question file {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise QuestionFileError(f"{path}: not UTF-8 text ({e}); save it as UTF-8") from None
    return parse_questions(text, path.name)


def _jsonl(text: str, name: str) -> list[BatchQuestion]:
    out = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as e:
            raise QuestionFileError(f"{name}:{no}: invalid JSON ({e.msg}); one JSON object per line") from None
        if not isinstance(obj, dict) or not str(obj.get("question", "")).strip():
            raise QuestionFileError(f'{name}:{no}: needs a "question" field, e.g. {{"id": "q1", "question": "..."}}')
        out.append(BatchQuestion(str(obj.get("id") or f"q{no:04d}"), str(obj["question"]).strip()))
    return out


def _csv(text: str, name: str) -> list[BatchQuestion]:
    reader = csv.DictReader(io.StringIO(text))
    cols = {c.strip().lower(): c for c in (reader.fieldnames or [])}
    if "question" not in cols:
        raise QuestionFileError(f"{name}: CSV needs a 'question' column (found {reader.fieldnames})")
    out = []
    for no, row in enumerate(reader, 2):
        q = (row.get(cols["question"]) or "").strip()
        if q:
            qid = (row.get(cols["id"]) or "").strip() if "id" in cols else ""
            out.append(BatchQuestion(qid or f"q{no:04d}", q))
    return out


def write_jsonl_atomic(path: Path, records: list[dict[str, Any]]) -> None:
    """Write JSONL via a temporary file in the same folder, so a failure never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(json_line(r) for r in records)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
