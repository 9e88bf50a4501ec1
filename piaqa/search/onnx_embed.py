"""Embeddings from an ONNX graph (see onnx_build): HF tokenizer + ONNX Runtime, one text per run."""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from piaqa.search.onnx_build import INPUTS, ensure_onnx

MAX_TOKENS = 512  # the model's positions; longer texts are truncated, as sentence-transformers does
# Each text runs alone. Dynamic int8 quantisation scales activations per run, so a text batched with others
# gets a slightly different vector (cosine ~0.995) depending on them; alone, its vector depends on the text
# only, which keeps vectors reusable across builds (vectorcache) and a build reproducible. It costs little
# on 2 cores: 60 corpus chunks took 4.7 s alone against 6.3 s in fours (padding costs as much as text), and
# 400 evidence units 3.7 s against 2.9 s in 512-token batches (int8; the fp32 graph runs the same way).


def _session(graph: Path, threads: int) -> Any:  # onnxruntime.InferenceSession (imported lazily)
    """An ONNX Runtime session of a graph on the CPU."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """L2-normalised float32 embeddings of texts (prompts already prepended) from a backend's graph.

    The session is created on a background thread: ONNX Runtime releases the GIL while it reads the
    470 MB graph (~1 s), so the caller goes on (the tokenizer's JSON, the index) meanwhile; the first use,
    or `wait()`, joins it and raises what creating it raised."""

    def __init__(self, model_dir: Path, backend: str = "onnx", threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        graph = ensure_onnx(model_dir, backend)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="onnx-session")
        self._pending: Future[Any] = pool.submit(_session, graph, threads or os.cpu_count() or 1)
        pool.shutdown(wait=False)  # the thread ends once the session is made
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()

    def wait(self) -> Any:
        """The session, once created (re-raises the error that creating it raised)."""
        return self._pending.result()

    @property
    def dim(self) -> int:
        """Embedding dimension (from the graph's output)."""
        return int(self.wait().get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """One row per text, in the given order (a progress bar over the texts when asked)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        session = self.wait()
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)] if texts else []
        bar = tqdm(total=len(texts), desc="Embedding", unit="text", disable=not progress)
        for row, i in enumerate(ids):
            tokens = np.asarray([i], dtype=np.int64)
            out[row] = session.run(None, dict(zip(INPUTS, (tokens, np.ones_like(tokens)))))[0][0]
            bar.update(1)
        bar.close()
        return out
