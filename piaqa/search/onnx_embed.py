"""Embeddings from the int8 ONNX graph (see onnx_build): HF tokenizer + ONNX Runtime, batched by length."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from tqdm import tqdm

from piaqa.search.onnx_build import INPUTS, ensure_onnx

PAD_ID = 1  # the model's <pad> (config.json pad_token_id); masked out of the pooling
MAX_TOKENS = 512  # the model's positions; longer texts are truncated, as sentence-transformers does
# tokens one batch may hold (its longest text x its size): a 512-token chunk runs alone, ~14 evidence units
# run together. Padding costs as much as text, and on 2 cores one long chunk per run was the fastest
# (60 corpus chunks: 4.7 s alone, 6.3 s in fours, 8.1 s in sixteens)
BATCH_TOKENS = 512


class OnnxEncoder:
    """L2-normalised float32 embeddings of texts (prompts already prepended) from the int8 graph."""

    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(ensure_onnx(model_dir)), options,
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
        for batch in _batches([len(i) for i in ids]):
            width = max(len(ids[i]) for i in batch)
            tokens = np.full((len(batch), width), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                tokens[row, :len(ids[i])] = ids[i]
                mask[row, :len(ids[i])] = 1
            out[batch] = self._session.run(None, dict(zip(INPUTS, (tokens, mask))))[0]
            bar.update(len(batch))
        bar.close()
        return out


def _batches(lengths: list[int]) -> list[list[int]]:
    """Indices grouped by length (shortest first) so that no batch holds more than BATCH_TOKENS of text
    and padding; a text longer than that runs alone."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and lengths[i] * (len(current) + 1) > BATCH_TOKENS:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
