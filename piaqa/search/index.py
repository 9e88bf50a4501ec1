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


from piaqa.search.chunk import chunk_documents
from piaqa.config import Settings
from piaqa.search.embed import Embedder
from piaqa.parse.ingest import fingerprint, load_corpus
from piaqa.parse.units import corpus_units
from piaqa.records import Chunk, Unit
from piaqa.search.tokenize import Tokenizer

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_FILES = ("chunks.jsonl", "dense.faiss", "bm25", "units.jsonl", "units.faiss", "units_bm25", MANIFEST)


class StaleIndexError(RuntimeError):
    """The index on disk does not match the corpus or the settings."""


@dataclass(frozen=True)
class Index:
    """Loaded index: chunks plus the two searchable structures."""

    chunks: tuple[Chunk, ...]
    bm25: Any  # bm25s.BM25
    dense: Any  # faiss.Index
    manifest: dict[str, Any]
    units: tuple[Unit, ...] = ()  # prose sentences / bullets, searched beside the chunks
    unit_bm25: Any = None
    unit_dense: Any = None


def unit_text(unit: Unit, title: str) -> str:
    """What is indexed for a unit: the document title, where it sits, and the sentence."""
    return f"[{title}] {unit.context}: {unit.text}"


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
    titles = {d.meta.doc: d.meta.title for d in docs}
    units = corpus_units(docs)
    log.info("indexing %d evidence units", len(units))
    texts = [unit_text(u, titles[u.doc]) for u in units]
    unit_bm25 = bm25s.BM25()
    unit_bm25.index(tokenizer.batch(texts), show_progress=False)
    unit_vecs = embedder.passages(texts, progress=progress)
    unit_dense = faiss.IndexFlatIP(unit_vecs.shape[1])
    unit_dense.add(unit_vecs)
    manifest = {**expected_manifest(settings), "model": embedder.name, "dim": int(vecs.shape[1]),
                "n_chunks": len(chunks), "n_units": len(units), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - t0, 1)}
    built = Index(tuple(chunks), bm25, dense, manifest, tuple(units), unit_bm25, unit_dense)
    _write(settings.index_dir, built)
    log.info("index built in %.1f s -> %s", time.perf_counter() - t0, settings.index_dir)
    return built


def _write(index_dir: Path, index: Index) -> None:
    """Write into a sibling temporary folder, then swap it in (an interrupted build leaves the old one)."""
    import faiss

    tmp = index_dir.with_name(index_dir.name + ".tmp")
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, records in (("chunks.jsonl", index.chunks), ("units.jsonl", index.units)):
        with open(tmp / name, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
    index.bm25.save(str(tmp / "bm25"))
    index.unit_bm25.save(str(tmp / "units_bm25"))
    faiss.write_index(index.dense, str(tmp / "dense.faiss"))
    faiss.write_index(index.unit_dense, str(tmp / "units.faiss"))
    (tmp / MANIFEST).write_text(json.dumps(index.manifest, ensure_ascii=False, indent=1), encoding="utf-8")
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
        chunks = tuple(Chunk(**_tupled(json.loads(line))) for line in fh if line.strip())
    with open(index_dir / "units.jsonl", encoding="utf-8") as fh:
        units = tuple(Unit(**_tupled(json.loads(line))) for line in fh if line.strip())
    bm25 = bm25s.BM25.load(str(index_dir / "bm25"))
    unit_bm25 = bm25s.BM25.load(str(index_dir / "units_bm25"))
    dense = faiss.read_index(str(index_dir / "dense.faiss"))
    unit_dense = faiss.read_index(str(index_dir / "units.faiss"))
    if dense.ntotal != len(chunks) or unit_dense.ntotal != len(units):
        raise StaleIndexError(f"FAISS holds {dense.ntotal}/{unit_dense.ntotal} vectors for {len(chunks)} chunks "
                              f"and {len(units)} units")
    return Index(chunks, bm25, dense, manifest, units, unit_bm25, unit_dense)


def _tupled(d: dict[str, Any]) -> dict[str, Any]:
    """A JSON record with its path back as a tuple."""
    d["path"] = tuple(d["path"])
    return d


def open_index(settings: Settings, embedder: Embedder, tokenizer: Tokenizer, rebuild: bool = False,
               progress: bool = True) -> Index:
    """The index for these settings: loaded when valid, otherwise (re)built with a message."""
    if not rebuild:
        try:
            return load_index(settings)
        except StaleIndexError as e:
            log.warning("index at %s cannot be used (%s): rebuilding", settings.index_dir, e)
    return build_index(settings, embedder, tokenizer, progress=progress)
