"""Passage vectors kept with the index, keyed by a digest of the embedded text: a rebuild embeds only new text.

A build reads the vectors of the index it replaces (when the manifest's hashes vouch for them and they come
from the same model and backend), embeds the texts it has no vector for, and writes the vectors of exactly
its own texts (so those of removed files go). Text is the key, not the file: a chunk or evidence unit that a
changed file still holds is not embedded again.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from piaqa.search.artefacts import sha256_file

log = logging.getLogger(__name__)

VECTORS = "vectors.npy"  # float32, one row per digest
DIGESTS = "vectors.json"  # {"model": …, "digests": [...]}, in the rows' order
DIGEST_CHARS = 32  # 128 bits of sha256: no two texts of a corpus collide


def digest(text: str) -> str:
    """The key of an embedded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


@dataclass(frozen=True)
class VectorCache:
    """Vectors by text digest, from one model and backend (`model`: Embedder.vectors_key); grows as it embeds."""

    model: str
    vectors: dict[str, np.ndarray]

    def embed(self, embedder: Any, texts: Sequence[str], progress: bool = False) -> np.ndarray:  # Embedder
        """Passage vectors of the texts: cached rows where there are, the embedder's for the rest (added)."""
        keys = [digest(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            first = {k: t for t, k in reversed(list(zip(texts, keys)))}
            fresh = embedder.passages([first[k] for k in missing], progress=progress)
            self.vectors.update(zip(missing, fresh))
        log.info("embedded %d new texts; %d of %d vectors from the previous build", len(missing),
                 sum(k not in set(missing) for k in keys), len(texts))
        if not texts:
            return np.zeros((0, embedder.dim), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32, copy=False)

    def only(self, texts: Sequence[str]) -> "VectorCache":
        """The cache reduced to these texts (what the new index keeps)."""
        keys = dict.fromkeys(digest(t) for t in texts)
        return VectorCache(self.model, {k: self.vectors[k] for k in keys if k in self.vectors})

    def save(self, folder: Path) -> None:
        """Write the two files into an index folder being built."""
        keys = list(self.vectors)
        dim = next(iter(self.vectors.values())).shape[0] if keys else 0
        matrix = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)
        np.save(folder / VECTORS, matrix.astype(np.float32, copy=False), allow_pickle=False)
        (folder / DIGESTS).write_text(json.dumps({"model": self.model, "digests": keys}), encoding="utf-8")


def load_cache(index_dir: Path, model: str, manifest: dict[str, Any] | None) -> VectorCache:
    """The previous build's vectors, if its manifest vouches for both files and they are of `model`; else an
    empty cache (everything is embedded)."""
    empty = VectorCache(model, {})
    hashes = (manifest or {}).get("artefacts") or {}
    files = [index_dir / VECTORS, index_dir / DIGESTS]
    if not all(f.is_file() and hashes.get(f.name) == sha256_file(f) for f in files):
        if any(f.exists() for f in files):
            log.info("not reusing the vectors in %s: not the ones its manifest lists", index_dir)
        return empty
    try:
        meta = json.loads(files[1].read_text(encoding="utf-8"))
        matrix = np.load(files[0], allow_pickle=False)
    except (OSError, ValueError) as e:
        log.info("not reusing the vectors in %s: %s", index_dir, e)
        return empty
    if meta.get("model") != model or len(meta.get("digests", [])) != len(matrix):
        return empty
    return VectorCache(model, dict(zip(meta["digests"], matrix)))
