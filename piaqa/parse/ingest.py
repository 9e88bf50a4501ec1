"""Corpus files -> Documents; a bad file is skipped with one line: what is wrong, what was done, what to do."""
from __future__ import annotations

import hashlib
import logging
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from piaqa.config import Settings
from piaqa.parse import pdfstore
from piaqa.parse.decode import DecodeError, binary_reason, decode
from piaqa.parse.meta import MetadataError, parse_meta
from piaqa.parse.pdftext import PdfError, PdfText, extract_pdf
from piaqa.parse.sections import COVER, split_sections
from piaqa.records import Document, LineBox
from piaqa.search.chunk import chunk_documents
from piaqa.text import compact

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt",)
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES  # what the corpus is read from; anything else is listed as ignored
# headings of the national form (I–VI parts, 別添, numbered items) a real assessment has after its cover;
# the five here have 31-81, a news article that quotes one heading has one
MIN_FORM_HEADINGS = 3
# Skipped.kind values; UNREADABLE and TOO_LARGE are also the fingerprint entries of files whose bytes were not read
UNREADABLE = "unreadable"
TOO_LARGE = "too large"
EMPTY = "empty"
BINARY = "binary"
ENCODING = "encoding"
NOT_ASSESSMENT = "not an assessment"
PARSE_ERROR = "parse error"
TOO_MANY_CHUNKS = "too many chunks"
DUPLICATE = "duplicate"
_REMOVE = "remove it from the corpus folder"


class CorpusError(FileNotFoundError):
    """The corpus folder is missing or holds nothing piaqa can read."""


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, why, and what to do about it."""

    file: str
    kind: str  # UNREADABLE, TOO_LARGE, EMPTY …: the class of problem, for callers and tests
    problem: str  # what is wrong, naming the bad value
    fix: str  # what to do

    @property
    def line(self) -> str:
        """The one line the log and the CLI show for this file."""
        return f"{self.file}: {self.problem} — skipped; {self.fix}"


@dataclass(frozen=True)
class CorpusLoad:
    """What a corpus folder yielded: documents, skipped files, ignored files and per-file hashes."""

    docs: tuple[Document, ...]
    skipped: tuple[Skipped, ...] = ()
    ignored: tuple[str, ...] = ()  # files of unsupported types (.docx, .xlsx …), by name
    fingerprint: dict[str, str] = field(default_factory=dict)  # file -> sha256, or UNREADABLE / TOO_LARGE
    extracted: dict[str, PdfText] = field(default_factory=dict)  # sha256 of each indexed PDF -> its text

    @property
    def ignored_line(self) -> str | None:
        """One line naming the files of unsupported types, or None."""
        if not self.ignored:
            return None
        return (f"ignored {len(self.ignored)} file(s) of unsupported type: {', '.join(self.ignored)} "
                f"(only {'/'.join(SUFFIXES)} is read; save the assessment as PDF or its text as .txt)")


def _listing(corpus_dir: Path) -> list[Path]:
    """Visible files of the corpus folder, sorted by name."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist; pass --corpus DIR or set PIAQA_CORPUS_DIR")
    try:  # a dangling symlink is listed too: it is reported as unreadable rather than silently missing
        return sorted(p for p in corpus_dir.iterdir()
                      if (p.is_file() or p.is_symlink()) and not p.name.startswith("."))
    except OSError as e:
        raise CorpusError(f"corpus folder {corpus_dir} cannot be listed ({e.strerror or e}); "
                          "make it readable by this user") from None


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The .txt and .pdf files of the corpus, sorted by name."""
    files = _listing(corpus_dir)
    texts = [p for p in files if p.suffix.lower() in SUFFIXES]
    if not texts:
        others = f" (only {', '.join(p.name for p in files)})" if files else ""
        raise CorpusError(f"no .txt or .pdf files in {corpus_dir}{others}; copy the assessments there "
                          "(published PDFs, or their text as .txt)")
    return texts


def _read(path: Path, max_bytes: int) -> bytes | Skipped:
    """The file's bytes, or why they were not read (unreadable, over the size limit)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a link to a folder, FIFO or device: reading could block forever
            return Skipped(path.name, UNREADABLE, "is not a regular file", "replace it with the text file itself")
        size = info.st_size
        if size <= max_bytes:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)  # the file may have grown since stat
            size = len(data)
    except OSError as e:
        return Skipped(path.name, UNREADABLE, f"cannot be read ({e.strerror or e})",
                       "make it readable by this user (chmod a+r) or remove it")
    if size > max_bytes:
        return Skipped(path.name, TOO_LARGE, f"{size:,} bytes is over the limit of {max_bytes:,} bytes",
                       "raise PIAQA_MAX_FILE_BYTES if it really is one assessment, otherwise remove it")
    return data


def _entry(read: bytes | Skipped) -> str:
    """The fingerprint entry of one read attempt."""
    if isinstance(read, bytes):
        return hashlib.sha256(read).hexdigest()
    return read.kind


def read_lines(path: Path) -> tuple[str, ...]:
    """Original lines exactly as the scorer counts them (split on \\n, no newline kept, BOM dropped)."""
    return tuple(decode(path.read_bytes()).text.split("\n"))


def parse_document(name: str, lines: tuple[str, ...]) -> Document:
    """One assessment from its original lines."""
    return Document(meta=parse_meta(name, lines), lines=lines, sections=split_sections(name, lines))


def _text(name: str, data: bytes) -> str | Skipped:
    """Decoded text of a file's bytes, or why it is not text."""
    if not data:
        return Skipped(name, EMPTY, "empty file (0 bytes)", "copy the assessment's text into it or remove it")
    if (reason := binary_reason(data)) is not None:
        return Skipped(name, BINARY, reason, "save the assessment as a text file (UTF-8 .txt), or remove it")
    try:
        text = decode(data).text
    except DecodeError as e:
        return Skipped(name, ENCODING, str(e), "re-save it as UTF-8")
    if not text.strip():
        return Skipped(name, EMPTY, "empty file (only blank lines)", "copy the assessment's text into it or remove it")
    return text


def _document(name: str, lines: tuple[str, ...], settings: Settings) -> Document | Skipped:
    """The parsed assessment, or why these lines are not one (or are too big to index)."""
    not_pia = "not a 特定個人情報保護評価書"
    try:
        doc = parse_document(name, lines)
    except MetadataError:
        return Skipped(name, NOT_ASSESSMENT, f"{not_pia} (no cover naming 評価実施機関, 評価書名 and 種別)",
                       _REMOVE)
    except Exception as e:  # a parser bug must not take the other files down
        log.debug("parsing %s failed", name, exc_info=True)
        return Skipped(name, PARSE_ERROR, f"cannot be parsed ({type(e).__name__}: {e})",
                       f"{_REMOVE} and report it as a bug")
    headings = sum(1 for s in doc.sections if s.path != (COVER,))
    if headings < MIN_FORM_HEADINGS:
        return Skipped(name, NOT_ASSESSMENT, f"{not_pia} (only {headings} of the form's headings such as "
                                             f"'I 基本情報' found, at least {MIN_FORM_HEADINGS} needed)", _REMOVE)
    n_chunks = len(chunk_documents([doc], settings.chunk_target, settings.chunk_max))
    if n_chunks > settings.max_chunks_per_file:
        return Skipped(name, TOO_MANY_CHUNKS,
                       f"{n_chunks:,} chunks is over the limit of {settings.max_chunks_per_file:,} per file",
                       "raise PIAQA_MAX_CHUNKS_PER_FILE if it really is one assessment, otherwise remove it")
    return doc


def _content_key(doc: Document) -> tuple[str, str, str]:
    """City, 事務 and a hash of the text with widths, spaces and blank lines normalised away."""
    body = "\n".join(c for c in map(compact, doc.lines) if c)
    return doc.meta.city, doc.meta.jimu, hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Parsed:
    """One corpus file's outcome: its assessment or why it was skipped, and for a PDF the extracted text."""

    doc: Document | Skipped
    pdf: PdfText | None = None


def _pdf_document(name: str, data: bytes, sha: str, settings: Settings) -> _Parsed:
    """A PDF's assessment (its kept extraction reused when the index holds one) and its text, or why not."""
    text = pdfstore.load(settings.index_dir / pdfstore.FOLDER, sha)
    if text is None:
        try:
            text = extract_pdf(data)
        except PdfError as e:
            return _Parsed(Skipped(name, e.kind, e.problem, e.fix))
        log.info("extracted %s: %d lines from %d pages", name, len(text.lines), text.pages)
    doc = _document(name, tuple(ln.text for ln in text.lines), settings)
    if isinstance(doc, Skipped):
        return _Parsed(doc)
    layout = tuple(LineBox(ln.page, ln.box.x0, ln.box.top, ln.box.x1, ln.box.bottom) for ln in text.lines)
    return _Parsed(replace(doc, layout=layout), text)


def _file_document(path: Path, data: bytes | Skipped, sha: str, settings: Settings) -> _Parsed:
    """One corpus file as an assessment (text or PDF), or why it is skipped."""
    if isinstance(data, Skipped):
        return _Parsed(data)
    if path.suffix.lower() in PDF_SUFFIXES:
        if not data:
            return _Parsed(Skipped(path.name, EMPTY, "empty file (0 bytes)", "copy the published PDF into it or remove it"))
        return _pdf_document(path.name, data, sha, settings)
    text = _text(path.name, data)
    return _Parsed(_document(path.name, tuple(text.split("\n")), settings) if isinstance(text, str) else text)


@dataclass(frozen=True)
class ParsedFile:
    """One corpus file read and parsed on its own (the unit of work a distributed build fans out)."""

    name: str
    entry: str  # its fingerprint entry: sha256 of the bytes, or UNREADABLE / TOO_LARGE
    doc: Document | Skipped
    pdf: PdfText | None = None  # the extracted text of a PDF assessment


def corpus_paths(corpus_dir: Path) -> tuple[list[Path], tuple[str, ...]]:
    """The .txt/.pdf files to parse, in corpus order, and the names of the other (ignored) files."""
    files = _listing(corpus_dir)
    return ([p for p in files if p.suffix.lower() in SUFFIXES],
            tuple(p.name for p in files if p.suffix.lower() not in SUFFIXES))


def parse_file(path: Path, settings: Settings) -> ParsedFile:
    """One corpus file: its fingerprint entry and its assessment, or why it is skipped (never raises for it)."""
    data = _read(path, settings.max_file_bytes)
    entry = _entry(data)
    parsed = _file_document(path, data, entry, settings)
    return ParsedFile(path.name, entry, parsed.doc, parsed.pdf)


def assemble(parsed: Sequence[ParsedFile], ignored: tuple[str, ...] = ()) -> CorpusLoad:
    """The corpus from its files parsed in corpus order: a later copy of an assessment is skipped as a duplicate."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    extracted: dict[str, PdfText] = {}
    kept: dict[tuple[str, str, str], str] = {}
    for one in parsed:
        doc = one.doc
        if isinstance(doc, Skipped):
            skipped.append(doc)
            continue
        key = _content_key(doc)
        if key in kept:
            skipped.append(Skipped(one.name, DUPLICATE, f"duplicate of {kept[key]} ({doc.meta.city} "
                                   f"{doc.meta.jimu}, same text after normalisation)", "remove one of the two copies"))
            continue
        kept[key] = one.name
        docs.append(doc)
        if one.pdf is not None:
            extracted[one.entry] = one.pdf
    prints = {one.name: one.entry for one in parsed}
    return CorpusLoad(tuple(docs), tuple(skipped), ignored, prints, extracted)


def scan_corpus(corpus_dir: Path, settings: Settings) -> CorpusLoad:
    """Every readable assessment of the folder; each problem file becomes a Skipped, nothing is raised for it."""
    paths, ignored = corpus_paths(corpus_dir)
    return assemble([parse_file(p, settings) for p in paths], ignored)


def report(load: CorpusLoad) -> None:
    """Log one warning per skipped file and one for the ignored ones."""
    for s in load.skipped:
        log.warning("%s", s.line)
    if load.ignored_line:
        log.warning("%s", load.ignored_line)


def usable(load: CorpusLoad, corpus_dir: Path) -> CorpusLoad:
    """The load itself when it holds a document; CorpusError saying what to do otherwise."""
    if load.docs:
        return load
    if not load.skipped:
        corpus_files(corpus_dir)  # raises the "no .txt or .pdf files" error
    raise CorpusError(f"no usable assessment in {corpus_dir}: all {len(load.skipped)} file(s) were skipped "
                      "(see the lines above); fix or replace them")


def load_corpus(corpus_dir: Path, settings: Settings | None = None) -> list[Document]:
    """Every good document of the corpus folder; problem files are logged (one line each) and skipped.

    Without `settings` the limits come from the environment (PIAQA_MAX_FILE_BYTES …), as the index build's do.
    """
    load = scan_corpus(corpus_dir, settings or Settings.from_env())
    report(load)
    usable(load, corpus_dir)
    for doc in load.docs:
        log.info("parsed %s: %s %s, %d sections", doc.meta.doc, doc.meta.city, doc.meta.jimu, len(doc.sections))
    return list(load.docs)


def fingerprint(corpus_dir: Path, max_file_bytes: int) -> dict[str, str]:
    """Content hash per corpus .txt/.pdf file (as `scan_corpus` records it): the index is valid only for these bytes."""
    return {p.name: _entry(_read(p, max_file_bytes)) for p in _listing(corpus_dir)
            if p.suffix.lower() in SUFFIXES}
