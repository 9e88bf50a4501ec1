"""Build, save and load the on-disk index: chunks, BM25, FAISS and a manifest that pins them."""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


from .chunk import chunk_documents
from .config import Settings
from .embed import Embedder
from .ingest import fingerprint, load_corpus
from .records import Chunk
from .tokenize import Tokenizer

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_FILES = ("chunks.jsonl", "dense.faiss", "bm25", MANIFEST)


class StaleIndexError(RuntimeError):
    """The index on disk does not match the corpus or the settings."""


@dataclass(frozen=True)
class Index:
    """Loaded index: chunks plus the two searchable structures."""

    chunks: tuple[Chunk, ...]
    bm25: Any  # bm25s.BM25
    dense: Any  # faiss.Index
    manifest: dict[str, Any]


def expected_manifest(settings: Settings) -> dict[str, Any]:
    """What a valid index's manifest must say for these settings and this corpus."""
    return {"params": settings.index_params(), "corpus": fingerprint(settings.corpus_dir)}


def check_manifest(index_dir: Path, settings: Settings) -> dict[str, Any]:
    """The manifest if it matches corpus and settings; else StaleIndexError saying why."""
    path = index_dir / MANIFEST
    if not all((index_dir / f).exists() for f in _FILES):
        raise StaleIndexError(f"no complete index in {index_dir}")
    found = json.loads(path.read_text(encoding="utf-8"))
    want = expected_manifest(settings)
    if found.get("params") != want["params"]:
        raise StaleIndexError(f"index settings {found.get('params')} differ from current {want['params']}")
    if found.get("corpus") != want["corpus"]:
        changed = sorted(set(found.get("corpus", {}).items()) ^ set(want["corpus"].items()))
        raise StaleIndexError(f"corpus changed since the index was built ({len(changed)} file entries differ)")
    return found


def build_index(settings: Settings, embedder: Embedder, tokenizer: Tokenizer, progress: bool = True) -> Index:
    """Parse, chunk, tokenise, embed and write the index atomically; returns it loaded."""
    import bm25s
    import faiss

    t0 = time.perf_counter()
    docs = load_corpus(settings.corpus_dir)
    chunks = chunk_documents(docs, settings.chunk_target, settings.chunk_max)
    log.info("indexing %d chunks from %d documents", len(chunks), len(docs))
    bm25 = bm25s.BM25()
    bm25.index(tokenizer.batch([c.text for c in chunks]), show_progress=False)
    vecs = embedder.passages([c.text for c in chunks], progress=progress)
    dense = faiss.IndexFlatIP(vecs.shape[1])
    dense.add(vecs)
    manifest = {**expected_manifest(settings), "model": embedder.name, "dim": int(vecs.shape[1]),
                "n_chunks": len(chunks), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - t0, 1)}
    _write(settings.index_dir, chunks, bm25, dense, manifest)
    log.info("index built in %.1f s -> %s", time.perf_counter() - t0, settings.index_dir)
    return Index(tuple(chunks), bm25, dense, manifest)


def _write(index_dir: Path, chunks: list[Chunk], bm25: Any, dense: Any, manifest: dict[str, Any]) -> None:
    """Write into a sibling temporary folder, then swap it in (an interrupted build leaves the old one)."""
    import faiss

    tmp = index_dir.with_name(index_dir.name + ".tmp")
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    bm25.save(str(tmp / "bm25"))
    faiss.write_index(dense, str(tmp / "dense.faiss"))
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    if (index_dir / "README.md").exists():
        shutil.copy2(index_dir / "README.md", tmp / "README.md")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(tmp, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def load_index(settings: Settings) -> Index:
    """Load a valid index; StaleIndexError when missing or out of date."""
    import bm25s
    import faiss

    index_dir = settings.index_dir
    old = index_dir.with_name(index_dir.name + ".old")
    if not index_dir.exists() and old.exists():  # a swap was interrupted: the old one is intact
        os.replace(old, index_dir)
    manifest = check_manifest(index_dir, settings)
    with open(index_dir / "chunks.jsonl", encoding="utf-8") as fh:
        chunks = tuple(_chunk(json.loads(line)) for line in fh if line.strip())
    bm25 = bm25s.BM25.load(str(index_dir / "bm25"))
    dense = faiss.read_index(str(index_dir / "dense.faiss"))
    if dense.ntotal != len(chunks):
        raise StaleIndexError(f"FAISS holds {dense.ntotal} vectors for {len(chunks)} chunks")
    return Index(chunks, bm25, dense, manifest)


def _chunk(d: dict[str, Any]) -> Chunk:
    d["path"] = tuple(d["path"])
    return Chunk(**d)


def open_index(settings: Settings, embedder: Embedder, tokenizer: Tokenizer, rebuild: bool = False,
               progress: bool = True) -> Index:
    """The index for these settings: loaded when valid, otherwise (re)built with a message."""
    if not rebuild:
        try:
            return load_index(settings)
        except StaleIndexError as e:
            log.warning("index at %s cannot be used (%s): rebuilding", settings.index_dir, e)
    return build_index(settings, embedder, tokenizer, progress=progress)
