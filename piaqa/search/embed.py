"""Sentence-transformers embedder; resolves and, for the default, builds the model offline."""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from piaqa.config import DEFAULT_MODEL, ONNX_GRAPH_FORMAT, Settings

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


def entry_bytes(text: str, vec: np.ndarray) -> int:
    """Memory one cached query holds: its text object and its vector."""
    return sys.getsizeof(text) + vec.nbytes


class QueryCache:
    """Query embeddings by text, at most `max_bytes` in all (see `entry_bytes`); the least recently
    used go first. Thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        """Bytes held now (never more than max_bytes)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of a text, or None."""
        with self._lock:
            vec = self._items.get(text)
            if vec is not None:
                self._items.move_to_end(text)
            return vec

    def put(self, text: str, vec: np.ndarray) -> None:
        """Keep a vector, evicting the least recently used until it fits (one larger than the whole
        budget is not kept)."""
        size = entry_bytes(text, vec)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(text, None)
            if old is not None:
                self._bytes -= entry_bytes(text, old)
            while self._items and self._bytes + size > self.max_bytes:
                key, gone = self._items.popitem(last=False)
                self._bytes -= entry_bytes(key, gone)
            self._items[text] = vec
            self._bytes += size

    def clear(self) -> None:
        """Forget every vector (benchmarks measure with the question embedding included)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0


def _sentence_transformer(source: str):  # noqa: ANN202 - sentence_transformers is imported lazily
    """The sentence-transformers model at `source`, on CPU."""
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(source, device="cpu")
    except Exception as e:
        raise ModelError(f"cannot load embedding model {source!r}: {e}. There is no model hub here: "
                         f"unset PIAQA_EMBED_MODEL to use the bundled default ({DEFAULT_MODEL}), "
                         "or point it at a local sentence-transformers folder") from e


class Embedder:
    """Query and passage embeddings (e5 prompts), L2-normalised float32 rows; on ONNX Runtime (the default
    model's fp32 or int8 graph) or on torch through sentence-transformers (`Settings.backend`)."""

    def __init__(self, settings: Settings) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        source = resolve_model(settings)
        self.name = settings.embed_model
        self.backend = settings.backend
        self.batch_size = settings.embed_batch
        self._lock = threading.Lock()  # neither torch modules nor one shared run are assumed re-entrant
        self._cache = QueryCache(settings.cache_bytes)
        if self.backend.startswith("onnx"):
            from piaqa.search.model_build import PROMPTS
            from piaqa.search.onnx_embed import OnnxEncoder

            try:
                self._onnx: OnnxEncoder | None = OnnxEncoder(Path(source), self.backend)
            except Exception as e:
                raise ModelError(f"cannot load the ONNX graph of {source!r}: {e}. Delete {source}/onnx to rebuild "
                                 "it, or set PIAQA_EMBED_BACKEND=torch") from e
            self._query_prefix, self._passage_prefix = PROMPTS["query"], PROMPTS["passage"]
            self._dim = self._onnx.dim
            return
        self._onnx = None
        self._model = _sentence_transformer(source)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prefix = prompts.get("query", "query: ")
        self._passage_prefix = prompts.get("passage", "passage: ")
        self._dim = int(self._model.get_embedding_dimension())

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return self._dim

    @property
    def vectors_key(self) -> str:
        """What a passage vector depends on besides its text: model, backend (and graph format), dimension.
        Kept vectors (vectorcache) are reused only under the same key."""
        graph = f" graph {ONNX_GRAPH_FORMAT}" if self.backend.startswith("onnx") else ""
        return f"{self.name}|{self.backend}{graph}|dim {self.dim}"

    def _encode(self, texts: list[str], progress: bool) -> np.ndarray:
        with self._lock:
            if self._onnx is not None:
                return self._onnx.encode(texts, progress)
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
        vec = self._cache.get(texts[0])
        if vec is None:
            vec = self._encode([self._query_prefix + texts[0]], False)
            self._cache.put(texts[0], vec)
        return vec
