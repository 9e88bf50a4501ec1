"""Embeddings from an ONNX graph (see onnx_build): HF tokenizer + ONNX Runtime, one text per run."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from tqdm import tqdm

from piaqa.search.onnx_build import INPUTS, ensure_onnx

MAX_TOKENS = 512  # the model's positions; longer texts are truncated, as sentence-transformers does
# Each text runs alone. Dynamic int8 quantisation scales activations per run, so a text batched with others
# gets a slightly different vector (cosine ~0.995) depending on them; alone, its vector depends on the text
# only, which keeps vectors reusable across builds (vectorcache) and a build reproducible. It costs little
# on 2 cores: 60 corpus chunks took 4.7 s alone against 6.3 s in fours (padding costs as much as text), and
# 400 evidence units 3.7 s against 2.9 s in 512-token batches (int8; the fp32 graph runs the same way).


class OnnxEncoder:
    """L2-normalised float32 embeddings of texts (prompts already prepended) from a backend's graph."""

    def __init__(self, model_dir: Path, backend: str = "onnx", threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(ensure_onnx(model_dir, backend)), options,
                                             providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self.dim = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """One row per text, in the given order (a progress bar over the texts when asked)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)] if texts else []
        bar = tqdm(total=len(texts), desc="Embedding", unit="text", disable=not progress)
        for row, i in enumerate(ids):
            tokens = np.asarray([i], dtype=np.int64)
            out[row] = self._session.run(None, dict(zip(INPUTS, (tokens, np.ones_like(tokens)))))[0][0]
            bar.update(1)
        bar.close()
        return out
