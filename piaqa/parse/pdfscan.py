"""Recover fields that PDF text broke over several lines ("⑨過去３年以内に、評価実施" / "機関において…").

A label known from the other documents is searched in the PDF document's text with line breaks and
spaces removed; when it occurs exactly once (outside the change log), the bracketed selection or the
first text line after it is taken as its value, flagged uncertain.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from piaqa.records import Document, Field
from piaqa.text import clean_line, compact
from piaqa.parse.sections import CHANGELOG

_JUNK = re.compile(r"^[\]）)]|^＜?<?選択肢|^\d[）)]|^[（(]\s*[)）]?$")
_SCAN_LINES = 12


class PdfScanner:
    """Label search over one PDF-text document, independent of line breaks."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        end = next((s.line_start for s in doc.sections if s.path[0].endswith(CHANGELOG)), len(doc.lines) + 1)
        self._starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for no in range(1, end):
            self._starts.append(pos)
            text = compact(clean_line(doc.lines[no - 1]))
            parts.append(text)
            pos += len(text)
        self._text = "".join(parts)

    def _line_at(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos)

    def find(self, label: str) -> tuple[str, int, int] | None:
        """(value, first line of the label, line of the value) when the label occurs once."""
        want = compact(label)
        hits = [m.start() for m in re.finditer(re.escape(want), self._text)]
        if len(hits) != 1:
            return None
        first, last = self._line_at(hits[0]), self._line_at(hits[0] + len(want) - 1)
        for no in range(last, min(last + _SCAN_LINES, len(self._starts)) + 1):
            raw = self.doc.lines[no - 1]
            text = clean_line(raw)
            if no == last:
                text = text[text.find(label[-2:]) + 2:].strip() if label[-2:] in text else ""
            if not text or _JUNK.match(text):
                continue
            if no > last and raw.startswith(" "):  # the next label: this one's value is not here
                return None
            m = re.match(r"^\[\s*([^\[\]]+?)\s*\]?$", text)
            return (m.group(1) if m else text), first, no
        return None


def recover_fields(doc: Document, have: list[Field], labels: Iterable[str]) -> list[Field]:
    """Fields for labels the PDF document's rows did not yield (or yielded blank)."""
    present = {f.label for f in have if f.value and not f.history}
    scanner = PdfScanner(doc)
    out = []
    for label in labels:
        if label in present or len(compact(label)) < 5:
            continue
        found = scanner.find(label)
        if found is None:
            continue
        value, first, at = found
        section = next((s for s in doc.sections if s.line_start <= first <= s.line_end), None)
        out.append(Field(doc=doc.meta.doc, city=doc.meta.city, path=section.path if section else (),
                         item=None, label=label, raw_label=label, value=value, options=(), line_start=first,
                         line_end=at, file_name=section.file_name if section else None, uncertain=True))
    return out
