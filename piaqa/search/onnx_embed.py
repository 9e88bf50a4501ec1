"""Embeddings from an ONNX graph (see onnx_build): HF tokenizer + ONNX Runtime, one text per run."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from tqdm import tqdm

from piaqa.search.model_build import PROMPTS
from piaqa.search.onnx_build import INPUTS, ensure_onnx

MAX_TOKENS = 512  # the model's positions; longer texts are truncated, as sentence-transformers does
# Each text runs alone. Dynamic int8 quantisation scales activations per run, so a text batched with others
# gets a slightly different vector (cosine ~0.995) depending on them; alone, its vector depends on the text
# only, which keeps vectors reusable across builds (vectorcache) and a build reproducible. It costs little
# on 2 cores: 60 corpus chunks took 4.7 s alone against 6.3 s in fours (padding costs as much as text), and
# 400 evidence units 3.7 s against 2.9 s in 512-token batches (int8; the fp32 graph runs the same way).
# Many texts run side by side instead, one thread each: 120 corpus chunks and 300 evidence units took 9.7 s one
# at a time on two threads, 8.4 s two at a time on one thread each (fp32, 2 cores, 2026-12-03), and every vector
# was bit-identical (a run's arithmetic does not depend on its thread count here; tests/test_onnx_embed.py).
PARALLEL_MIN = 32  # texts: fewer do not repay the one-thread session made for them (~1 s to create)


class OnnxEncoder:
    """L2-normalised float32 embeddings of texts (prompts already prepended) from a backend's graph."""

    def __init__(self, model_dir: Path, backend: str = "onnx", threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        self._graph = str(ensure_onnx(model_dir, backend))
        self._threads = threads or os.cpu_count() or 1
        self._session = self._new_session(self._threads)
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        self.prompts = dict(PROMPTS)  # the graphs are the default model's, whose prompts these are

    def _new_session(self, threads: int):  # type: ignore[no-untyped-def] - onnxruntime is imported lazily
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        return ort.InferenceSession(self._graph, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """One row per text, in the given order (a progress bar over the texts when asked). Each text runs
        alone; from PARALLEL_MIN texts on, as many run side by side as there are threads, one thread each."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)] if texts else []
        bar = tqdm(total=len(texts), desc="Embedding", unit="text", disable=not progress)
        side_by_side = self._threads > 1 and len(ids) >= PARALLEL_MIN
        session = self._new_session(1) if side_by_side else self._session  # dropped after this call

        def run(row: int) -> None:
            tokens = np.asarray([ids[row]], dtype=np.int64)
            out[row] = session.run(None, dict(zip(INPUTS, (tokens, np.ones_like(tokens)))))[0][0]
            bar.update(1)

        if side_by_side:
            with ThreadPoolExecutor(self._threads, thread_name_prefix="embed") as pool:
                list(pool.map(run, range(len(ids))))  # list(): a run's exception is raised here
        else:
            for row in range(len(ids)):
                run(row)
        bar.close()
        return out
