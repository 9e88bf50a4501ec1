"""Ratings of answers: 👍/👎 with an optional comment, stored with the question, the answer, its citations and the
index build that answered, in a SQLite file under the data folder (PIAQA_DATA_DIR). No UI imports."""
from __future__ import annotations

import csv
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from piaqa.records import Answer, Citation, page_prefix
from piaqa.safetext import clean_question, fix_surrogates, limit_length

FEEDBACK_FILE = "feedback.sqlite3"
UP, DOWN = "up", "down"
# a comment is a note for whoever reviews the ratings, not a document: longer text is cut
MAX_COMMENT_CHARS = 2000
# seconds a write waits while another holds the database (the UI's workers may store ratings at once)
BUSY_TIMEOUT = 10.0
CSV_COLUMNS = ["id", "created_at", "rating", "comment", "question", "answer", "answerable", "citations",
               "citations_json", "manifest_id"]
_SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    answerable INTEGER NOT NULL,
    citations TEXT NOT NULL,
    manifest_id TEXT NOT NULL)"""


class FeedbackError(RuntimeError):
    """The feedback database cannot be read or written; the message says where and what to do."""


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer, with what was rated."""

    rating: str  # UP or DOWN
    question: str  # as the user asked it
    answer: str
    answerable: bool
    citations: tuple[Citation, ...]
    manifest_id: str  # the index build that answered (Index.manifest_id)
    comment: str = ""
    created_at: str = ""  # UTC, ISO 8601; set when stored
    id: int | None = None  # set when stored


def rating_of(answer: Answer, question: str, liked: bool, manifest_id: str, comment: str = "") -> Feedback:
    """A 👍 (liked) or 👎 of an answer, its comment cleaned and cut to MAX_COMMENT_CHARS."""
    return Feedback(rating=UP if liked else DOWN, question=fix_surrogates(question), answer=fix_surrogates(answer.text),
                    answerable=answer.answerable, citations=answer.citations, manifest_id=manifest_id,
                    comment=clean_comment(comment))


def clean_comment(text: str | None) -> str:
    """A comment as stored: one line of valid text, at most MAX_COMMENT_CHARS characters."""
    return limit_length(clean_question(text), MAX_COMMENT_CHARS)[0]


def _citation_json(c: Citation) -> dict[str, object]:
    return {**c.to_json(), "jimu": c.jimu}


def _citation(d: dict[str, Any]) -> Citation:
    return Citation(doc=d["doc"], city=d["city"], jimu=d.get("jimu", ""), path=d["section"],
                    line_start=d["line_start"], line_end=d["line_end"], text=d["text"], page=d.get("page"))


class FeedbackStore:
    """The ratings in `path` (a SQLite file created with its folder on the first rating)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, data_dir: Path) -> "FeedbackStore":
        """The store of a data folder (Settings.data_dir)."""
        return cls(data_dir / FEEDBACK_FILE)

    @contextmanager
    def _db(self, create: bool) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (a fresh one per call: gradio runs events on several threads)."""
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"{self.path.resolve().as_uri()}{'' if create else '?mode=ro'}"
            with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)) as con, con:
                if create:
                    con.execute(_SCHEMA)
                yield con
        except (OSError, sqlite3.Error) as e:
            raise FeedbackError(f"feedback database {self.path}: {e}; set PIAQA_DATA_DIR to a writable folder "
                                "(default ./data/)") from None

    def add(self, fb: Feedback) -> int:
        """Store a rating; its id."""
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        cites = json.dumps([_citation_json(c) for c in fb.citations], ensure_ascii=False)
        with self._db(create=True) as con:
            cur = con.execute("INSERT INTO feedback (created_at, rating, comment, question, answer, answerable, "
                              "citations, manifest_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              (created, fb.rating, fb.comment, fb.question, fb.answer, int(fb.answerable),
                               fix_surrogates(cites), fb.manifest_id))
            return int(cur.lastrowid or 0)

    def update(self, feedback_id: int, rating: str | None = None, comment: str | None = None) -> bool:
        """Change a stored rating's 👍/👎 and/or comment (None: keep); False when there is no such rating."""
        if rating not in (None, UP, DOWN):
            raise ValueError(f"rating must be {UP!r} or {DOWN!r} (got {rating!r})")
        with self._db(create=True) as con:
            cur = con.execute("UPDATE feedback SET rating = COALESCE(?, rating), comment = COALESCE(?, comment) "
                              "WHERE id = ?", (rating, None if comment is None else clean_comment(comment),
                                               feedback_id))
            return cur.rowcount == 1

    def remove(self, feedback_id: int) -> bool:
        """Delete a rating (the user took it back); False when there is no such rating."""
        with self._db(create=True) as con:
            return con.execute("DELETE FROM feedback WHERE id = ?", (feedback_id,)).rowcount == 1

    def all(self) -> list[Feedback]:
        """Every rating, oldest first (none when nothing was rated yet)."""
        if not self.path.exists():
            return []
        with self._db(create=False) as con:
            rows = con.execute("SELECT id, created_at, rating, comment, question, answer, answerable, citations, "
                               "manifest_id FROM feedback ORDER BY id").fetchall()
        return [Feedback(rating=r[2], question=r[4], answer=r[5], answerable=bool(r[6]),
                         citations=tuple(_citation(c) for c in json.loads(r[7])), manifest_id=r[8], comment=r[3],
                         created_at=r[1], id=r[0]) for r in rows]


def citations_text(citations: Iterable[Citation]) -> str:
    """Citations written out, one a line: "[1] 倉敷市 国民年金に関する事務 | section | file L91-91"."""
    return "\n".join(f"[{i}] {c.city} {c.jimu} | {c.path} | {c.doc} {page_prefix(c.page)}L{c.line_start}-{c.line_end}"
                      for i, c in enumerate(citations, 1))


def write_csv(records: Iterable[Feedback], out: TextIO) -> int:
    """The ratings as CSV (CSV_COLUMNS; citations both written out and as JSON); how many rows."""
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    n = 0
    for fb in records:
        w.writerow([fb.id, fb.created_at, fb.rating, fb.comment, fb.question, fb.answer,
                    "true" if fb.answerable else "false", citations_text(fb.citations),
                    json.dumps([_citation_json(c) for c in fb.citations], ensure_ascii=False), fb.manifest_id])
        n += 1
    return n
