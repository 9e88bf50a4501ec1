"""What serving derives from the corpus (documents, fields, label embeddings, unit tokens): computed by the
build and kept with the index, so start-up loads it instead of re-parsing, re-extracting, re-embedding and
re-tokenising.

Files (hashed in the manifest like every artefact): the parsed corpus (docstore: `documents.jsonl`,
`corpus.json`), `fields.jsonl` (one Field per line, corpus order),
`labels.json` (the answer labels and the embedder's vectors key) with `labels.npy` (their query embeddings,
float32, one row per label) and `unit_tokens.jsonl` (per evidence unit, the Sudachi tokens of its text and of
its context, in `units.jsonl` order). Loaded, they equal what start-up computed before (tests/test_derived.py).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from piaqa.parse.fields import extract_corpus_fields
from piaqa.parse.ingest import CorpusLoad
from piaqa.records import Field, Unit
from piaqa.search.artefacts import DamagedIndexError, name_of, sha256_file
from piaqa.search.docstore import CORPUS, DOCUMENTS, load_corpus_record, save_corpus
from piaqa.search.embed import Embedder
from piaqa.search.fieldsearch import LabelVectors, answer_labels
from piaqa.search.tokenize import Tokenizer

log = logging.getLogger(__name__)

FIELDS = "fields.jsonl"
LABELS = "labels.json"  # {"model": Embedder.vectors_key, "labels": [...]}
LABEL_VECTORS = "labels.npy"
UNIT_TOKENS = "unit_tokens.jsonl"  # {"text": [...], "context": [...]} per unit
FILES = (DOCUMENTS, CORPUS, FIELDS, LABELS, LABEL_VECTORS, UNIT_TOKENS)


@dataclass(frozen=True)
class UnitTokens:
    """Sudachi tokens of each evidence unit's text and context, in the index's unit order."""

    text: tuple[tuple[str, ...], ...]
    context: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Derived:
    """Everything start-up would otherwise compute from the corpus."""

    corpus: CorpusLoad  # documents, skipped and ignored files (no PDF extractions: those stay in pdftext/)
    fields: tuple[Field, ...]
    labels: LabelVectors
    unit_tokens: UnitTokens


def unit_tokens(units: Sequence[Unit], tokenizer: Tokenizer) -> UnitTokens:
    """The tokens UnitSearcher weighs units by (idf, coverage)."""
    return UnitTokens(tuple(tuple(tokenizer(u.text)) for u in units),
                      tuple(tuple(tokenizer(u.context)) for u in units))


def derive(corpus: CorpusLoad, units: Sequence[Unit], tokenizer: Tokenizer, embedder: Embedder,
           previous: dict[str, np.ndarray] | None = None) -> Derived:
    """Fields, label vectors and unit tokens of a scanned corpus; label vectors in `previous` (of the same
    embedder) are reused, not embedded again (each label runs alone on ONNX, so a reused vector is the same)."""
    fields = tuple(extract_corpus_fields(list(corpus.docs)))
    labels = answer_labels(fields)
    known = previous or {}
    fresh = [label for label in labels if label not in known]
    vectors = dict(zip(fresh, embedder.queries(fresh))) if fresh else {}
    log.info("embedded %d new labels; %d of %d from the previous build", len(fresh), len(labels) - len(fresh),
             len(labels))
    rows = [known.get(label, vectors.get(label)) for label in labels]
    matrix = np.stack(rows).astype(np.float32, copy=False) if rows else np.zeros((0, embedder.dim), np.float32)
    kept = CorpusLoad(corpus.docs, corpus.skipped, corpus.ignored, dict(corpus.fingerprint))
    return Derived(kept, fields, LabelVectors(labels, matrix), unit_tokens(units, tokenizer))


def save_derived(folder: Path, derived: Derived, model: str) -> None:
    """Write the derived files into an index folder being built."""
    save_corpus(folder, derived.corpus)
    with open(folder / FIELDS, "w", encoding="utf-8") as fh:
        for f in derived.fields:
            fh.write(json.dumps(asdict(f), ensure_ascii=False) + "\n")
    (folder / LABELS).write_text(json.dumps({"model": model, "labels": list(derived.labels.labels)},
                                            ensure_ascii=False), encoding="utf-8")
    np.save(folder / LABEL_VECTORS, derived.labels.vectors.astype(np.float32, copy=False), allow_pickle=False)
    with open(folder / UNIT_TOKENS, "w", encoding="utf-8") as fh:
        for text, context in zip(derived.unit_tokens.text, derived.unit_tokens.context):
            fh.write(json.dumps({"text": text, "context": context}, ensure_ascii=False) + "\n")


def load_derived(index_dir: Path, n_units: int, fingerprint: dict[str, str]) -> Derived:
    """The derived artefacts of a verified index (built from the corpus `fingerprint`); DamagedIndexError
    naming the file when one is not usable."""
    corpus = load_corpus_record(index_dir, fingerprint)
    fields = tuple(_field(row, index_dir, no) for no, row in enumerate(_json_lines(index_dir, FIELDS), 1))
    meta = _json(index_dir, LABELS)
    try:
        vectors = np.load(index_dir / LABEL_VECTORS, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, LABEL_VECTORS)}: unreadable ({e})") from None
    labels = tuple(meta.get("labels", ()))
    if vectors.ndim != 2 or len(vectors) != len(labels):
        raise DamagedIndexError(f"{name_of(index_dir, LABEL_VECTORS)}: {vectors.shape} vectors for {len(labels)} "
                                f"labels in {name_of(index_dir, LABELS)}")
    tokens = _json_lines(index_dir, UNIT_TOKENS)
    if len(tokens) != n_units:
        raise DamagedIndexError(f"{name_of(index_dir, UNIT_TOKENS)}: {len(tokens)} rows for {n_units} units")
    unit_toks = UnitTokens(tuple(tuple(r["text"]) for r in tokens), tuple(tuple(r["context"]) for r in tokens))
    return Derived(corpus, fields, LabelVectors(labels, vectors), unit_toks)


def previous_labels(index_dir: Path, model: str, manifest: dict[str, Any] | None) -> dict[str, np.ndarray]:
    """The label vectors of the index a build replaces, when its manifest vouches for them and they are of
    `model` (Embedder.vectors_key); else none (every label is embedded)."""
    hashes = (manifest or {}).get("artefacts") or {}
    files = [index_dir / LABELS, index_dir / LABEL_VECTORS]
    if not all(f.is_file() and hashes.get(f.name) == sha256_file(f) for f in files):
        return {}
    try:
        meta = json.loads(files[0].read_text(encoding="utf-8"))
        matrix = np.load(files[1], allow_pickle=False)
    except (OSError, ValueError):
        return {}
    if meta.get("model") != model or len(meta.get("labels", [])) != len(matrix):
        return {}
    return dict(zip(meta["labels"], matrix))


def _field(row: dict[str, Any], index_dir: Path, no: int) -> Field:
    """A Field from its JSON form (lists back to tuples)."""
    try:
        return Field(**{**row, "path": tuple(row["path"]), "options": tuple(row["options"])})
    except (TypeError, KeyError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, FIELDS)} line {no}: not a Field record "
                                f"({type(e).__name__}: {str(e)[:120]})") from None


def _json(index_dir: Path, name: str) -> dict[str, Any]:
    """A JSON object artefact; DamagedIndexError naming it when unreadable."""
    try:
        data = json.loads((index_dir / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, name)}: unreadable ({e})") from None
    if not isinstance(data, dict):
        raise DamagedIndexError(f"{name_of(index_dir, name)}: not a JSON object")
    return data


def _json_lines(index_dir: Path, name: str) -> list[dict[str, Any]]:
    """The objects of a JSON-lines artefact; DamagedIndexError naming the file and line when one is bad."""
    out: list[dict[str, Any]] = []
    try:
        with open(index_dir / name, encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError as e:
                        raise DamagedIndexError(f"{name_of(index_dir, name)} line {no}: not JSON ({e})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, name)}: unreadable ({e})") from None
    return out
