"""Typed, immutable records that flow through piaqa. No logic beyond trivial properties."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocMeta:
    """Metadata read from an assessment's own text."""

    doc: str  # corpus file name, e.g. 000_2b92446a3e503446.txt
    city: str  # 評価実施機関 as a city name, e.g. 倉敷市
    jimu: str  # 事務名, e.g. 国民年金に関する事務
    kind: str  # 評価書種別: 全項目評価書 / 重点項目評価書 / 基礎項目評価書
    number: str | None  # 評価書番号
    published: str | None  # 公表日; None where blank

    @property
    def title(self) -> str:
        """Header used in front of every indexed chunk."""
        return f"{self.city} {self.jimu} {self.kind}"


@dataclass(frozen=True)
class Section:
    """A contiguous run of lines under one heading path (1-based, inclusive)."""

    doc: str
    path: tuple[str, ...]
    line_start: int
    line_end: int
    file_name: str | None = None  # which 特定個人情報ファイル, where the section belongs to one

    @property
    def path_str(self) -> str:
        """Path joined for display."""
        return " > ".join(self.path)


@dataclass(frozen=True)
class LineBox:
    """Where one line of a PDF assessment is printed: its page and box in points (origin top-left)."""

    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Document:
    """One assessment: metadata, original lines and ordered sections."""

    meta: DocMeta
    lines: tuple[str, ...]  # original lines, index 0 is line 1 (for a PDF: the extracted lines)
    sections: tuple[Section, ...]
    layout: tuple[LineBox, ...] = ()  # for a PDF, where each line is printed (one per line); empty for text

    def span(self, start: int, end: int) -> str:
        """Original text of lines start..end (1-based, inclusive)."""
        return "\n".join(self.lines[start - 1:end])

    def page_of(self, line: int) -> int | None:
        """The PDF page line `line` (1-based) is printed on; None for a text assessment."""
        return self.layout[line - 1].page if 0 < line <= len(self.layout) else None


@dataclass(frozen=True)
class Chunk:
    """Indexed unit: a slice of one section."""

    id: int
    doc: str
    city: str
    path: tuple[str, ...]
    line_start: int
    line_end: int
    text: str  # indexed text: title header + cleaned section text
    history: bool = False  # True inside the 変更箇所 change log


@dataclass(frozen=True)
class Field:
    """One labelled row of the form: a value with its provenance."""

    doc: str
    city: str
    path: tuple[str, ...]
    item: str | None  # e.g. 委託事項2, 提供先1, システム3
    label: str  # normalised label, e.g. 再委託の有無
    raw_label: str
    value: str  # clean text; for choice fields the selected option
    options: tuple[str, ...]  # the <選択肢> list, when the field is a choice
    line_start: int
    line_end: int
    file_name: str | None = None
    history: bool = False  # a 変更箇所 row
    changed_on: str | None = None  # for history rows
    old_value: str | None = None  # for history rows: 変更前
    uncertain: bool = False  # value could not be placed with confidence (PDF text)


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score."""

    chunk: Chunk
    score: float


def page_prefix(page: int | None) -> str:
    """"p.12 " before a PDF citation's line range; "" for a text assessment."""
    return f"p.{page} " if page is not None else ""


@dataclass(frozen=True)
class Citation:
    """Lines of a document that support an answer."""

    doc: str
    city: str
    jimu: str
    path: str
    line_start: int
    line_end: int
    text: str  # original text of the cited lines
    page: int | None = None  # the PDF page of line_start; None for a text assessment

    @property
    def where(self) -> str:
        """"p.12 L340–345" for a PDF, "L340–345" for text."""
        return f"{page_prefix(self.page)}L{self.line_start}–{self.line_end}"

    def to_json(self) -> dict[str, object]:
        """The answers-file form of a citation (with "page" for a PDF assessment)."""
        out: dict[str, object] = {"doc": self.doc, "city": self.city, "section": self.path,
                                  "line_start": self.line_start, "line_end": self.line_end, "text": self.text}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(frozen=True)
class Row:
    """One city's line in an across-cities answer."""

    city: str
    jimu: str
    value: str
    satisfied: bool
    citation: int | None  # index into Answer.citations
    field: Field | None = None  # the form row that decided it (a field condition's), for a follow-up to build on


@dataclass(frozen=True)
class Answer:
    """What the assistant says, and what it stands on."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    answerable: bool = True
    cities: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    # passage | field | describe | blank | history | aggregate | aggregate-row | each-city | list | abstain | meta
    kind: str = "passage"
    field: Field | None = None  # the form row a field answer states (its provenance for later stages)
    fields: tuple[Field, ...] = ()  # every row a field answer stands on (one per item / file), also those not shown
    score: float = 0.0  # how well the evidence fits the question (field label score; used to choose sources)

    def to_json(self, qid: str | None = None) -> dict[str, object]:
        """The answers-file form (see shared/eval/README.md)."""
        out: dict[str, object] = {}
        if qid is not None:
            out["id"] = qid
        out.update({"question": self.question, "answer": self.text, "answerable": self.answerable,
                    "cities": list(self.cities),
                    "citations": [c.to_json() for c in self.citations]})
        if self.rows:
            out["rows"] = [{"city": r.city, "jimu": r.jimu, "value": r.value,
                            "satisfied": r.satisfied, "citation": r.citation} for r in self.rows]
        return out


@dataclass(frozen=True)
class Unit:
    """One prose sentence or bullet: the smallest citable piece of evidence."""

    id: int
    doc: str
    city: str
    path: tuple[str, ...]
    heading: str  # the risk / measure heading it sits under ("リスク2: 不適切な方法で入手…"), or ""
    label: str  # the form row it belongs to ("具体的な管理方法"), or ""
    line_start: int
    line_end: int
    text: str  # the sentence, clean

    @property
    def context(self) -> str:
        """Where the unit sits, in words: section title, heading and row label."""
        return " ".join(dict.fromkeys(x for x in (self.path[-1] if self.path else "", self.heading, self.label) if x))
