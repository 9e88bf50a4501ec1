"""Sections -> chunks: split at line boundaries, never across sections, title header in front."""
from __future__ import annotations

from piaqa.parse.sections import CHANGELOG
from piaqa.records import Chunk, Document, Section
from piaqa.text import clean_line


def _header(doc: Document, section: Section) -> str:
    """"[倉敷市 国民年金に関する事務 重点項目評価書] II ... > 4. ..." in front of every chunk."""
    return f"[{doc.meta.title}] {section.path_str}"


def _line_groups(cleaned: list[tuple[int, str]], target: int, limit: int) -> list[list[tuple[int, str]]]:
    """Consecutive (line, text) pairs grouped to about `target` characters, each under `limit`."""
    groups: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    size = 0
    for no, text in cleaned:
        pieces = [text[i:i + limit] for i in range(0, len(text), limit)] or [""]
        for piece in pieces:
            if cur and (size + len(piece) > limit or size >= target):
                groups.append(cur)
                cur, size = [], 0
            cur.append((no, piece))
            size += len(piece) + 1
    if cur:
        groups.append(cur)
    return groups


def chunk_section(doc: Document, section: Section, start_id: int, target: int, limit: int) -> list[Chunk]:
    """Chunks of one section; ids from start_id."""
    header = _header(doc, section)
    cleaned = [(no, clean_line(doc.lines[no - 1])) for no in range(section.line_start, section.line_end + 1)]
    cleaned = [(no, t) for no, t in cleaned if t]
    if not cleaned:
        return []
    history = section.path[0].endswith(CHANGELOG)
    budget = max(limit - len(header) - 1, 100)
    chunks = []
    for group in _line_groups(cleaned, min(target, budget), budget):
        body = "\n".join(t for _, t in group)
        chunks.append(Chunk(id=start_id + len(chunks), doc=doc.meta.doc, city=doc.meta.city,
                            path=section.path, line_start=group[0][0], line_end=group[-1][0],
                            text=f"{header}\n{body}", history=history))
    return chunks


def chunk_documents(docs: list[Document], target: int, limit: int) -> list[Chunk]:
    """All chunks of all documents, ids 0..n-1 in corpus order."""
    chunks: list[Chunk] = []
    for doc in docs:
        for section in doc.sections:
            chunks.extend(chunk_section(doc, section, len(chunks), target, limit))
    return chunks
