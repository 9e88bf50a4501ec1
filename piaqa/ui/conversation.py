"""What the chat has shown, turn by turn, and its Markdown export (question, answer, table, citations with line
ranges and the cited lines). Pure: no gradio."""
from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from piaqa.records import Answer, Citation
from piaqa.text import clean_line


@dataclass(frozen=True)
class Shown:
    """One question and the answer the chat showed for it (failed turns included: they can be rated too)."""

    question: str  # as the user asked it (cleaned, cut to the question limit)
    answer: Answer
    key: str = field(default_factory=lambda: uuid.uuid4().hex)  # tells apart equal questions across clears


def _cell(text: str) -> str:
    """Text for one Markdown table cell."""
    return re.sub(r"\s*\n\s*", " ", text).replace("|", "\\|")


def _fenced(text: str) -> str:
    """The text verbatim in a code fence longer than any backtick run it holds."""
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text}\n{fence}"


def _citation_md(no: int, c: Citation) -> str:
    where = f"{c.doc} {c.where}"
    body = "\n".join("   " + line if line else "" for line in _fenced(c.text).split("\n"))
    return f"{no}. {c.city} · {c.jimu} · {c.path} — `{where}`\n\n{body}"


def _rows_md(answer: Answer) -> str:
    """An across-cities answer's table: one row per city, its decision, value and citation number."""
    lines = ["| | city | 事務 | value | source |", "|---|---|---|---|---|"]
    for r in answer.rows:
        src = f"[{r.citation + 1}]" if r.citation is not None else ""
        mark = "○" if r.satisfied else "×"
        lines.append(f"| {mark} | {_cell(r.city)} | {_cell(r.jimu)} | {_cell(r.value)} | {src} |")
    return "\n".join(lines)


def turn_markdown(no: int, turn: Shown) -> str:
    """One turn: the question as a heading, the answer, its table and its citations."""
    ans = turn.answer
    parts = [f"## {no}. {_cell(turn.question)}", ("" if ans.answerable else "⚠️ ") + ans.text]
    if ans.rows:
        parts.append(_rows_md(ans))
    if ans.citations:
        parts.append("**Citations**\n\n" + "\n\n".join(_citation_md(i, c) for i, c in enumerate(ans.citations, 1)))
    return "\n\n".join(parts)


def conversation_markdown(turns: Sequence[Shown], exported_at: str, manifest_id: str) -> str:
    """The whole conversation as a Markdown document."""
    head = f"# piaqa — conversation\n\nExported {exported_at} · index {manifest_id} · {len(turns)} questions"
    return "\n\n".join([head, *(turn_markdown(i, t) for i, t in enumerate(turns, 1))]) + "\n"


def turn_plain(turn: Shown) -> str:
    """One turn as plain text for the clipboard: the question, the answer, an across-cities answer's rows and the
    citations written out (city · 事務 · section, file and lines, the cited text clean and on one line)."""
    ans = turn.answer
    lines = [f"Q: {turn.question}", f"A: {ans.text}"]
    for r in ans.rows:
        src = f" [{r.citation + 1}]" if r.citation is not None else ""
        lines.append(f"  {'○' if r.satisfied else '×'} {r.city} ({r.jimu}): {_cell(r.value)}{src}")
    for i, c in enumerate(ans.citations, 1):
        text = " ".join(filter(None, (clean_line(line) for line in c.text.split("\n"))))
        lines.append(f"[{i}] {c.city} · {c.jimu} · {c.path} — {c.doc} {c.where}: {text}")
    return "\n".join(lines)
