"""What the corpus holds, asked by name: the documents, the section around a line, city names checked.

Shared by the agent tools and the UI; no gradio. A name or number the corpus does not hold raises
CatalogError with a message that says what it does hold.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from piaqa.records import Citation, Document
from piaqa.text import nfkc

# a section longer than this is shown as a window around the asked lines: 千葉市's PDF text has a
# 3,209-line section (its change log) that no reader or agent wants whole
MAX_SECTION_LINES = 400
SECTION_WINDOW = 60  # lines kept either side of the asked lines in such a window


class CatalogError(ValueError):
    """A document, line or city the corpus does not hold; the message names what it does hold."""


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed assessment, as a listing shows it."""

    doc: str  # corpus file name: what citations and get_section call the document
    city: str
    jimu: str
    kind: str  # 評価書種別
    number: str | None  # 評価書番号
    published: str | None  # 公表日
    lines: int  # number of lines: valid line numbers are 1..lines

    def to_json(self) -> dict[str, object]:
        """The JSON form agents receive."""
        return {"doc": self.doc, "city": self.city, "jimu": self.jimu, "kind": self.kind,
                "number": self.number, "published": self.published, "lines": self.lines}


def document_infos(docs: Iterable[Document]) -> list[DocumentInfo]:
    """Every document, in corpus order."""
    return [DocumentInfo(d.meta.doc, d.meta.city, d.meta.jimu, d.meta.kind, d.meta.number, d.meta.published,
                         len(d.lines)) for d in docs]


def find_document(docs: Mapping[str, Document], name: str) -> Document:
    """The document a file name names (with or without ".txt")."""
    name = (name or "").strip()
    for key in (name, f"{name}.txt"):
        if key in docs:
            return docs[key]
    known = ", ".join(f"{d} ({doc.meta.city} {doc.meta.jimu})" for d, doc in docs.items())
    raise CatalogError(f"unknown document {name!r}; use one of the corpus file names: {known} "
                       "(list_documents lists them)")


def section_window(doc: Document, first: int, last: int | None = None) -> Citation:
    """The whole section holding line `first` (a window of SECTION_WINDOW lines around first..last when the
    section is longer than MAX_SECTION_LINES), as a citation of the document's original lines."""
    last = first if last is None else last
    if not 1 <= first <= last <= len(doc.lines):
        raise CatalogError(f"line {first}" + (f"-{last}" if last != first else "") + f" is outside "
                           f"{doc.meta.doc} ({doc.meta.city} {doc.meta.jimu}), which has lines 1-{len(doc.lines)}")
    sec = next((s for s in doc.sections if s.line_start <= first <= s.line_end), None)
    start, end = (sec.line_start, sec.line_end) if sec else (first, last)
    if end - start > MAX_SECTION_LINES:
        start, end = max(start, first - SECTION_WINDOW), min(end, last + SECTION_WINDOW)
    return Citation(doc=doc.meta.doc, city=doc.meta.city, jimu=doc.meta.jimu, path=sec.path_str if sec else "",
                    line_start=start, line_end=end, text=doc.span(start, end), page=doc.page_of(start))


def resolve_cities(names: Iterable[str], cities_in: Callable[[str], list[str]], known: Iterable[str]) -> list[str]:
    """The corpus cities the names mean (倉敷市, 倉敷 or Kurashiki), in order, once each; a name that means
    no corpus city, or several, is an error listing the cities there are."""
    out: list[str] = []
    covered = "、".join(dict.fromkeys(known))
    for name in names:
        found = cities_in(name) if isinstance(name, str) else []
        if len(found) != 1:
            raise CatalogError(f"unknown city {name!r}; the corpus covers {covered} (Japanese or romanised "
                               "names, e.g. 倉敷市, 倉敷 or Kurashiki)")
        if found[0] not in out:
            out.append(found[0])
    return out


_FILE_NO = re.compile(r"^\((\d{1,2})\)")


def file_count(doc: Document) -> int:
    """How many 特定個人情報ファイル the assessment describes: its numbered files "(1) …", "(2) …" when it numbers
    them (a name may be spelt with and without a space), else its distinct file names; at least one."""
    names = {re.sub(r"\s+", "", nfkc(s.file_name)) for s in doc.sections if s.file_name}
    numbers = {m.group(1) for n in names if (m := _FILE_NO.match(n))}
    return max(1, len(numbers) if numbers else len(names))
