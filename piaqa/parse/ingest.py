"""Corpus files -> Documents (metadata + sections with original line spans)."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from piaqa.parse.meta import parse_meta
from piaqa.parse.sections import split_sections
from piaqa.records import Document

log = logging.getLogger(__name__)


class CorpusError(FileNotFoundError):
    """The corpus folder is missing or holds nothing piaqa can read."""


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The .txt files of the corpus, sorted by name."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist; pass --corpus DIR or set PIAQA_CORPUS_DIR")
    files = sorted(p for p in corpus_dir.glob("*.txt") if p.is_file())
    if not files:
        raise CorpusError(f"no .txt files in {corpus_dir}; copy the assessments there")
    return files


def read_lines(path: Path) -> tuple[str, ...]:
    """Original lines exactly as the scorer counts them (split on \\n, no newline kept)."""
    text = path.read_text(encoding="utf-8")
    return tuple(text.split("\n"))


def parse_document(name: str, lines: tuple[str, ...]) -> Document:
    """One assessment from its original lines."""
    return Document(meta=parse_meta(name, lines), lines=lines, sections=split_sections(name, lines))


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every document of the corpus folder."""
    docs = []
    for path in corpus_files(corpus_dir):
        doc = parse_document(path.name, read_lines(path))
        log.info("parsed %s: %s %s, %d sections", path.name, doc.meta.city, doc.meta.jimu, len(doc.sections))
        docs.append(doc)
    return docs


def fingerprint(corpus_dir: Path) -> dict[str, str]:
    """Content hash per corpus file: the index is valid only for exactly these bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus_files(corpus_dir)}
