"""Sentence-transformers embedder; resolves and, for the default, builds the model offline."""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

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


class Encoder(Protocol):
    """What embeds texts for one backend: `OnnxEncoder` or `_TorchEncoder`."""

    prompts: dict[str, str]  # "query" / "passage" -> the prefix the model was trained with
    dim: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


class _TorchEncoder:
    """A sentence-transformers model on torch, with the encoder interface of `OnnxEncoder`."""

    def __init__(self, source: str, batch_size: int) -> None:
        self._model = _sentence_transformer(source)
        self._batch_size = batch_size
        prompts = getattr(self._model, "prompts", {}) or {}
        self.prompts = {"query": prompts.get("query", "query: "), "passage": prompts.get("passage", "passage: ")}
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vecs = self._model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=progress)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)


def _encoder(source: str, backend: str, settings: Settings, threads: int | None) -> Encoder:
    """The encoder of one backend: an ONNX graph of the default model, or torch."""
    if not backend.startswith("onnx"):
        return _TorchEncoder(source, settings.embed_batch)
    from piaqa.search.onnx_embed import OnnxEncoder

    try:
        return OnnxEncoder(Path(source), backend, threads)
    except Exception as e:
        raise ModelError(f"cannot load the ONNX graph of {source!r}: {e}. Delete {source}/onnx to rebuild it, "
                         "or set PIAQA_EMBED_BACKEND=torch and PIAQA_PASSAGE_BACKEND=torch") from e


class Embedder:
    """Query and passage embeddings (e5 prompts), L2-normalised float32 rows; on ONNX Runtime (the default
    model's fp32 or int8 graph) or on torch through sentence-transformers. Questions use `Settings.backend`,
    passages `Settings.effective_passage_backend` (the same by default; the int8 graph makes large builds faster:
    see config). A passage encoder of its own is loaded at the first passage, so a server that only answers never
    loads it."""

    def __init__(self, settings: Settings, threads: int | None = None) -> None:
        """`threads`: ONNX Runtime's threads (default: every core; a Ray worker that owns one core passes 1)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self._source = resolve_model(settings)
        self._settings = settings
        self._threads = threads
        self.name = settings.embed_model
        self.backend = settings.backend
        self.passage_backend = settings.effective_passage_backend
        self._lock = threading.Lock()  # neither torch modules nor one shared run are assumed re-entrant
        self._cache = QueryCache(settings.cache_bytes)
        self._query_encoder = _encoder(self._source, self.backend, settings, threads)
        self._passage_encoder: Encoder | None = self._query_encoder if self.passage_backend == self.backend else None
        self._dim = self._query_encoder.dim

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return self._dim

    @property
    def vectors_key(self) -> str:
        """What a passage vector depends on besides its text: model, backend (and graph format), dimension.
        Kept vectors (vectorcache) are reused only under the same key."""
        graph = f" graph {ONNX_GRAPH_FORMAT}" if self.passage_backend.startswith("onnx") else ""
        return f"{self.name}|{self.passage_backend}{graph}|dim {self.dim}"

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embeddings of indexed passages."""
        with self._lock:
            if self._passage_encoder is None:
                self._passage_encoder = _encoder(self._source, self.passage_backend, self._settings, self._threads)
            encoder = self._passage_encoder
            return encoder.encode([encoder.prompts["passage"] + t for t in texts], progress)

    def queries(self, texts: list[str]) -> np.ndarray:
        """Embeddings of questions (single questions are cached: one ask embeds its question once)."""
        if len(texts) != 1:
            return self._encode_queries(texts)
        vec = self._cache.get(texts[0])
        if vec is None:
            vec = self._encode_queries(texts)
            self._cache.put(texts[0], vec)
        return vec

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encoder = self._query_encoder
            return encoder.encode([encoder.prompts["query"] + t for t in texts], False)
