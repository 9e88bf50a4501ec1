"""Build, save and load the on-disk index: chunks, BM25, FAISS and a manifest that pins and hashes them."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from piaqa.config import Settings
from piaqa.parse import pdfstore
from piaqa.parse.ingest import CorpusLoad, fingerprint, report, scan_corpus, usable
from piaqa.parse.pdftext import PdfText
from piaqa.parse.units import corpus_units
from piaqa.records import Chunk, Unit
from piaqa.search.ann import ROLES, IndexPlan, build_faiss, check_plans, choose_index, plans_of, read_faiss
from piaqa.search.artefacts import (FORMAT, MANIFEST, DamagedIndexError, StaleIndexError, hash_artefacts,
                                    name_of, read_manifest, verify_artefacts)
from piaqa.search.chunk import chunk_documents
from piaqa.search.derived import Derived, derive, load_derived, previous_labels, save_derived
from piaqa.search.embed import Embedder
from piaqa.search.tokenize import Tokenizer
from piaqa.search.vectorcache import VectorCache, load_cache

log = logging.getLogger(__name__)

__all__ = ["DamagedIndexError", "Index", "IndexRefusedError", "StaleIndexError", "build_index", "load_index",
           "open_index"]
_SHOWN_FILES = 5  # corpus files named in a "corpus changed" message; the rest are counted
MANIFEST_ID_CHARS = 16  # 64 bits of the manifest digest: no two builds of one deployment collide


class IndexRefusedError(StaleIndexError):
    """The index needs a rebuild and the caller asked for none (`--no-rebuild`)."""


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
    vectors: VectorCache | None = None  # set by a build (written with it); not loaded for serving
    extracted: dict[str, PdfText] | None = None  # a build's PDF texts by content hash (written with it)
    derived: Derived | None = None  # fields, label vectors, unit tokens (None only for an Index made by hand)

    @property
    def manifest_id(self) -> str:
        """Which build of the index this is: a digest of its manifest (settings, corpus, artefact hashes, build
        time), recorded with feedback so a rating can be traced to the index that answered."""
        canonical = json.dumps(self.manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:MANIFEST_ID_CHARS]


def has_vector(chunk: Chunk) -> bool:
    """Whether a chunk is embedded. Change-log (変更箇所) chunks are not: they are rows of dates, item codes and
    old and new values, found by their words, and a fifth of what a build embedded (72k of 370k tokens; the build
    106 -> 84 s). Left out of the dense index (a zero row keeps ids aligned), no dev or held-out answer and no
    first citation changed (2026-12-04, eighth session); search ranks them by their lexical rank on both sides."""
    return not chunk.history


def unit_text(unit: Unit, title: str) -> str:
    """What is indexed for a unit: the document title, where it sits, and the sentence."""
    return f"[{title}] {unit.context}: {unit.text}"


def _limits(settings: Settings) -> dict[str, int]:
    """The corpus limits that decide which files are skipped; a change means rebuild."""
    return {"max_file_bytes": settings.max_file_bytes, "max_chunks_per_file": settings.max_chunks_per_file}


def expected_manifest(settings: Settings, corpus: CorpusLoad | None = None) -> dict[str, Any]:
    """What a valid index's manifest must say for these settings and this corpus."""
    prints = corpus.fingerprint if corpus is not None else fingerprint(settings.corpus_dir, settings.max_file_bytes)
    return {"params": settings.index_params(), "corpus": prints, "limits": _limits(settings)}


def _corpus_change(found: dict[str, str], want: dict[str, str]) -> str:
    """"2 files differ: 001.txt added, 000.txt changed" between two fingerprints."""
    diffs = [f"{n} {'added' if n not in found else 'removed' if n not in want else 'changed'}"
             for n in sorted(set(found) | set(want)) if found.get(n) != want.get(n)]
    more = f", {len(diffs) - _SHOWN_FILES} more" if len(diffs) > _SHOWN_FILES else ""
    return f"{len(diffs)} file entries differ: {', '.join(diffs[:_SHOWN_FILES])}{more}"


def check_manifest(index_dir: Path, settings: Settings) -> dict[str, Any]:
    """The manifest if it matches corpus, settings and the artefacts' hashes; else StaleIndexError saying why."""
    if not index_dir.is_dir():
        raise StaleIndexError(f"no index in {index_dir}")
    found = read_manifest(index_dir)
    want = expected_manifest(settings)
    if found.get("params") != want["params"]:
        raise StaleIndexError(f"index settings {found.get('params')} differ from current {want['params']}")
    if found.get("corpus") != want["corpus"]:
        raise StaleIndexError("corpus changed since the index was built ("
                              f"{_corpus_change(found.get('corpus') or {}, want['corpus'])})")
    if "artefacts" in found and found.get("limits") != want["limits"]:
        raise StaleIndexError(f"corpus limits {found.get('limits')} differ from current {want['limits']}")
    check_plans(found, settings)
    verify_artefacts(index_dir, found)
    return found


def build_index(settings: Settings, embedder: Embedder, tokenizer: Tokenizer, progress: bool = True,
                corpus: CorpusLoad | None = None) -> Index:
    """Parse (unless `corpus` is given), chunk, tokenise, embed and write the index atomically; returns it loaded."""
    import bm25s

    t0 = time.perf_counter()
    _remove_stale_tmp(settings.index_dir)
    if corpus is None:
        corpus = scan_corpus(settings.corpus_dir, settings)
        report(corpus)
    docs = list(usable(corpus, settings.corpus_dir).docs)
    chunks = chunk_documents(docs, settings.chunk_target, settings.chunk_max)
    titles = {d.meta.doc: d.meta.title for d in docs}
    units = corpus_units(docs)
    log.info("indexing %d chunks and %d evidence units from %d documents", len(chunks), len(units), len(docs))
    chunk_texts = [c.text for c in chunks]
    texts = [unit_text(u, titles[u.doc]) for u in units]
    bm25 = bm25s.BM25()
    bm25.index(tokenizer.batch(chunk_texts), show_progress=False)
    unit_bm25 = bm25s.BM25()
    unit_bm25.index(tokenizer.batch(texts), show_progress=False)
    previous = _previous_manifest(settings.index_dir)
    cache = load_cache(settings.index_dir, embedder.vectors_key, previous)
    dense_texts = [c.text for c in chunks if has_vector(c)]
    # one call for chunks and units: a distributed embedder (piaqa.search.distributed) runs one job for both
    every = cache.embed(embedder, [*dense_texts, *texts], progress=progress)
    vecs = np.zeros((len(chunks), every.shape[1]), dtype=np.float32)
    vecs[[has_vector(c) for c in chunks]] = every[:len(dense_texts)]
    unit_vecs = every[len(dense_texts):]
    dense_plan = choose_index(len(vecs), int(every.shape[1]), settings)
    dense = build_faiss(vecs, dense_plan)
    unit_plan = choose_index(len(unit_vecs), int(every.shape[1]), settings)
    unit_dense = build_faiss(unit_vecs, unit_plan)
    derived = derive(corpus, units, tokenizer, embedder,
                     previous_labels(settings.index_dir, embedder.vectors_key, previous))
    manifest = {"format": FORMAT, **expected_manifest(settings, corpus), "model": embedder.name,
                "dim": int(every.shape[1]), "n_chunks": len(chunks), "n_units": len(units),
                "dense_index": {"chunks": dense_plan.manifest(), "units": unit_plan.manifest()},
                "documents": [d.meta.doc for d in docs], "skipped": {s.file: s.problem for s in corpus.skipped},
                "ignored": list(corpus.ignored), "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "build_seconds": round(time.perf_counter() - t0, 1)}
    built = Index(tuple(chunks), bm25, dense, manifest, tuple(units), unit_bm25, unit_dense,
                  cache.only([*dense_texts, *texts]), corpus.extracted, derived)
    built = replace(built, manifest=_write(settings.index_dir, built, embedder.vectors_key), vectors=None,
                    extracted=None)
    log.info("index built in %.1f s -> %s", time.perf_counter() - t0, settings.index_dir)
    return built


def _previous_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The manifest of the index a build replaces (None when there is none or it cannot be read)."""
    try:
        return read_manifest(index_dir) if (index_dir / MANIFEST).is_file() else None
    except StaleIndexError:
        return None


def _tmp_and_old(index_dir: Path) -> tuple[Path, Path]:
    """The sibling folders a build writes into and swaps through."""
    return index_dir.with_name(index_dir.name + ".tmp"), index_dir.with_name(index_dir.name + ".old")


def _remove_stale_tmp(index_dir: Path) -> None:
    """Drop the half-written folder an interrupted (killed) build left behind."""
    tmp, _ = _tmp_and_old(index_dir)
    if tmp.exists():
        log.warning("removing %s left by an interrupted build", tmp)
        shutil.rmtree(tmp)


def _write(index_dir: Path, index: Index, model: str) -> dict[str, Any]:
    """Write into a sibling temporary folder, hash it, then swap it in (an interrupted build leaves the old one).

    Returns the manifest as written, with the artefacts' hashes; `model` is the embedder's vectors key.
    """
    import faiss

    tmp, old = _tmp_and_old(index_dir)
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
    if index.vectors is not None:
        index.vectors.save(tmp)
    if index.derived is not None:
        save_derived(tmp, index.derived, model)
    for sha, text in (index.extracted or {}).items():
        pdfstore.save(tmp / pdfstore.FOLDER, sha, text)
    manifest = {**index.manifest, "artefacts": hash_artefacts(tmp)}
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    if (index_dir / "README.md").exists():
        shutil.copy2(index_dir / "README.md", tmp / "README.md")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(tmp, index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return manifest


def load_index(settings: Settings) -> Index:
    """Load a valid, verified index; StaleIndexError (DamagedIndexError naming the file) when it cannot be used."""
    index_dir = settings.index_dir
    _, old = _tmp_and_old(index_dir)
    if not index_dir.exists() and old.exists():  # a swap was interrupted: the old one is intact
        os.replace(old, index_dir)
    manifest = check_manifest(index_dir, settings)
    chunks = _records(index_dir, "chunks.jsonl", Chunk)
    units = _records(index_dir, "units.jsonl", Unit)
    bm25, unit_bm25 = _bm25(index_dir, "bm25"), _bm25(index_dir, "units_bm25")
    plans = plans_of(manifest)
    dense, unit_dense = (_faiss(index_dir, ROLES[role][1], plans[role]) for role in ("chunks", "units"))
    for vectors, records, name, key in ((dense, chunks, "dense.faiss", "n_chunks"),
                                        (unit_dense, units, "units.faiss", "n_units")):
        if not vectors.ntotal == len(records) == manifest.get(key, len(records)):
            records_name = "chunks.jsonl" if key == "n_chunks" else "units.jsonl"
            raise DamagedIndexError(f"{name_of(index_dir, name)}: {vectors.ntotal} vectors for {len(records)} "
                                    f"records in {name_of(index_dir, records_name)} "
                                    f"({manifest.get(key)} in {name_of(index_dir, MANIFEST)})")
    if [c.id for c in chunks] != list(range(len(chunks))):
        raise DamagedIndexError(f"{name_of(index_dir, 'chunks.jsonl')}: chunk ids are not 0..{len(chunks) - 1}")
    derived = load_derived(index_dir, len(units), manifest["corpus"])
    return Index(chunks, bm25, dense, manifest, units, unit_bm25, unit_dense, derived=derived)


def _records(index_dir: Path, name: str, cls: type[Chunk] | type[Unit]) -> tuple[Any, ...]:
    """The records of a JSON-lines artefact; DamagedIndexError naming the file and line when one is bad."""
    out = []
    try:
        with open(index_dir / name, encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    out.append(cls(**_tupled(json.loads(line))))
                except (ValueError, TypeError, KeyError) as e:
                    raise DamagedIndexError(f"{name_of(index_dir, name)} line {no}: not a {cls.__name__} record "
                                            f"({type(e).__name__}: {str(e)[:120]})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DamagedIndexError(f"{name_of(index_dir, name)}: unreadable ({e})") from None
    return tuple(out)


def _tupled(d: dict[str, Any]) -> dict[str, Any]:
    """A JSON record with its path back as a tuple."""
    d["path"] = tuple(d["path"])
    return d


def _bm25(index_dir: Path, name: str) -> Any:
    """A saved bm25s index; DamagedIndexError naming the folder when it cannot be loaded."""
    import bm25s

    try:
        return bm25s.BM25.load(str(index_dir / name))
    except Exception as e:  # bm25s raises whatever numpy/json raise on a damaged file
        raise DamagedIndexError(f"{name_of(index_dir, name)}: cannot be loaded ({type(e).__name__}: "
                                f"{str(e)[:160]})") from None


def _faiss(index_dir: Path, name: str, plan: IndexPlan) -> Any:
    """A saved FAISS index (IVF memory-mapped); DamagedIndexError naming the file when it is cut or not FAISS."""
    try:
        return read_faiss(index_dir / name, plan)
    except RuntimeError as e:  # faiss reports every read failure as RuntimeError with a C++ location in front
        detail = str(e).rpartition("failed: ")[2].strip() or type(e).__name__
        raise DamagedIndexError(f"{name_of(index_dir, name)}: cut or damaged FAISS index ({detail[:160]})") from None


def open_index(settings: Settings, embedder: Embedder, tokenizer: Tokenizer, rebuild: bool = False,
               progress: bool = True, *, allow_rebuild: bool = True, corpus: CorpusLoad | None = None) -> Index:
    """The index for these settings: loaded when valid, otherwise (re)built with a message.

    With `allow_rebuild=False` an index that cannot be used raises IndexRefusedError instead; `corpus`, when
    given, is the already scanned corpus a build uses (so its problem files are not reported twice). A loaded
    index reports the files its build skipped or ignored, from its record (the corpus is not parsed again).
    """
    if not rebuild:
        try:
            index = load_index(settings)
            if index.derived is not None:  # problem files named once: by the build's scan, or from its record
                report(index.derived.corpus)
            return index
        except StaleIndexError as e:
            if not allow_rebuild:
                raise IndexRefusedError(f"index at {settings.index_dir} cannot be used: {e}") from None
            log.warning("index at %s cannot be used (%s): rebuilding", settings.index_dir, e)
    return build_index(settings, embedder, tokenizer, progress=progress, corpus=corpus)
