"""Sentence-transformers embedder; resolves and, for the default, builds the model offline."""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from piaqa.config import DEFAULT_MODEL, Settings

log = logging.getLogger(__name__)


class ModelError(RuntimeError):
    """The embedding model cannot be loaded."""


def resolve_model(settings: Settings) -> str:
    """Local folder (built if it is the default and missing) or a sentence-transformers id."""
    if settings.embed_model == DEFAULT_MODEL:
        from piaqa.search.model_build import ensure_e5_small

        return str(ensure_e5_small(Path(settings.model_path)))
    path = Path(settings.embed_model).expanduser()
    return str(path) if path.exists() else settings.embed_model


class Embedder:
    """Query and passage embeddings (e5 prompts), L2-normalised float32 rows."""

    def __init__(self, settings: Settings) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        source = resolve_model(settings)
        try:
            self._model = SentenceTransformer(source, device="cpu")
        except Exception as e:
            raise ModelError(f"cannot load embedding model {source!r}: {e}. There is no model hub here: "
                             f"unset PIAQA_EMBED_MODEL to use the bundled default ({DEFAULT_MODEL}), "
                             "or point it at a local sentence-transformers folder") from e
        self.name = settings.embed_model
        self.batch_size = settings.embed_batch
        self._lock = threading.Lock()  # torch modules are not guaranteed re-entrant
        self._cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prefix = prompts.get("query", "query: ")
        self._passage_prefix = prompts.get("passage", "passage: ")

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return int(self._model.get_embedding_dimension())

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        with self._lock:
            vecs = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=progress)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embeddings of indexed passages."""
        return self._encode([self._passage_prefix + t for t in texts], progress)

    def queries(self, texts: list[str]) -> np.ndarray:
        """Embeddings of questions (single questions are cached: one ask embeds its question once)."""
        if len(texts) != 1:
            return self._encode([self._query_prefix + t for t in texts], False)
        with self._cache_lock:
            vec = self._cache.get(texts[0])
        if vec is None:
            vec = self._encode([self._query_prefix + texts[0]], False)
            with self._cache_lock:
                if len(self._cache) >= 256:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[texts[0]] = vec
        return vec
