"""The build's reading of the corpus folder kept with the index: parsed documents (`documents.jsonl`, one
Document per line) and the files it skipped or ignored (`corpus.json`), so a start does not parse again.

The index is used only while the corpus fingerprint in its manifest matches the folder, so these are the
documents a fresh parse would give (tests/test_derived.py compares them).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from piaqa.parse.ingest import CorpusLoad, Skipped
from piaqa.records import DocMeta, Document, LineBox, Section
from piaqa.search.artefacts import DamagedIndexError, name_of

DOCUMENTS = "documents.jsonl"
CORPUS = "corpus.json"  # {"skipped": [Skipped as an object, ...], "ignored": [file name, ...]}


def save_corpus(folder: Path, corpus: CorpusLoad) -> None:
    """Write the corpus' documents and problem files into an index folder being built."""
    with open(folder / DOCUMENTS, "w", encoding="utf-8") as fh:
        for doc in corpus.docs:
            fh.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
    body = {"skipped": [asdict(s) for s in corpus.skipped], "ignored": list(corpus.ignored)}
    (folder / CORPUS).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def load_corpus_record(index_dir: Path, fingerprint: dict[str, str]) -> CorpusLoad:
    """The corpus as the build read it (its PDF extractions stay in `pdftext/`); DamagedIndexError naming the
    file when one is not usable."""
    docs: list[Document] = []
    try:
        with open(index_dir / DOCUMENTS, encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if line.strip():
                    docs.append(_document(json.loads(line), index_dir, no))
        body = json.loads((index_dir / CORPUS).read_text(encoding="utf-8"))
        skipped = tuple(Skipped(**s) for s in body["skipped"])
        ignored = tuple(body["ignored"])
    except DamagedIndexError:
        raise
    except (OSError, UnicodeDecodeError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, DOCUMENTS)}: unreadable ({e})") from None
    except (ValueError, TypeError, KeyError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, CORPUS)}: not the build's corpus record "
                                f"({type(e).__name__}: {str(e)[:120]})") from None
    if not docs:
        raise DamagedIndexError(f"{name_of(index_dir, DOCUMENTS)}: holds no document")
    return CorpusLoad(tuple(docs), skipped, ignored, dict(fingerprint))


def _document(row: dict[str, Any], index_dir: Path, no: int) -> Document:
    """A Document from its JSON form (lists back to tuples, nested records rebuilt)."""
    try:
        sections = tuple(Section(**{**s, "path": tuple(s["path"])}) for s in row["sections"])
        return Document(DocMeta(**row["meta"]), tuple(row["lines"]), sections,
                        tuple(LineBox(**b) for b in row["layout"]))
    except (TypeError, KeyError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, DOCUMENTS)} line {no}: not a Document record "
                                f"({type(e).__name__}: {str(e)[:120]})") from None
