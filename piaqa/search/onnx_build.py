"""The default embedding model as ONNX graphs: exported, fused (fp32) and quantised (int8) offline, once.

The sentence-transformers folder built by `model_build` (BertModel + mean pooling + L2 norm) is exported
through torch with eager attention (the attention pattern ONNX Runtime's BERT optimiser fuses), pooling
and normalisation included, so the graph maps token ids straight to the embedding. Then:

* fusion (`onnxruntime.transformers.optimizer`, model type bert): 12 Attention, 24 SkipLayerNorm, 12 BiasGelu;
  this fused fp32 graph gives the torch model's vectors (cosine 1.0000). One text per run it embedded 60
  corpus chunks in 7.0 s against torch's 9.2-11.5 s, but a full build took 131-163 s against 155-176 s: it
  embeds the questions by default (start-up without torch, query latency);
* int8 (`onnx_int8`): every projection as an integer product, activations scaled per token and weights per
  column: cosine >= 0.9995 to the fp32 graph on corpus passages, ~1.7x faster. ONNX Runtime's own dynamic
  quantisation (one activation scale per run) had been ~2.5x faster but left passages at cosine 0.994-0.997,
  and near ties in retrieval fell the other way often enough to lose held-out questions. Passages embedded
  with this graph and questions with the fp32 one (`PIAQA_PASSAGE_BACKEND=onnx-int8`) score like fp32 on
  the held-out sets; see config for why it is not the default.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from piaqa.config import ONNX_GRAPH_FORMAT
from piaqa.search.onnx_int8 import quantise_per_token

log = logging.getLogger(__name__)

ONNX_DIRNAME = "onnx"
GRAPHS = {"onnx": "model_fp32.onnx", "onnx-int8": "model_int8.onnx"}  # backend -> graph file
MARKER_FILENAME = "piaqa_onnx.json"
OPSET = 17  # the opset ONNX Runtime's BERT fusion patterns are written for
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "embedding"


def onnx_path(model_dir: Path, backend: str = "onnx") -> Path:
    """Where a backend's graph of a model folder lives."""
    return Path(model_dir) / ONNX_DIRNAME / GRAPHS[backend]


def is_complete(model_dir: Path) -> bool:
    """Whether the model folder holds both finished graphs of the current format."""
    folder = Path(model_dir) / ONNX_DIRNAME
    try:
        marker = json.loads((folder / MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (all((folder / name).is_file() for name in GRAPHS.values()) and isinstance(marker, dict)
            and marker.get("format") == ONNX_GRAPH_FORMAT)


def ensure_onnx(model_dir: Path, backend: str = "onnx") -> Path:
    """A backend's graph of the model folder, both built first when missing (about 45 s on 2 cores)."""
    model_dir = Path(model_dir)
    if not is_complete(model_dir):
        build_onnx(model_dir)
    return onnx_path(model_dir, backend)


def build_onnx(model_dir: Path) -> Path:
    """Export, fuse and quantise the model folder's graph into `model_dir/onnx/`; return the fp32 graph's path."""
    start = time.monotonic()
    log.info("building the ONNX graphs of %s (once, ~45 s)", model_dir)
    tmp = Path(tempfile.mkdtemp(prefix=".onnx.tmp-", dir=model_dir))
    try:
        _export(model_dir, tmp / "model.onnx")
        _fuse(tmp / "model.onnx", tmp / GRAPHS["onnx"], model_dir)
        quantise_per_token(tmp / GRAPHS["onnx"], tmp / GRAPHS["onnx-int8"])
        (tmp / "model.onnx").unlink()
        marker = {"format": ONNX_GRAPH_FORMAT, "opset": OPSET, "graphs": GRAPHS,
                  "int8": "activations per token (uint8), weights per column (7-bit codes in int8)",
                  "seconds": round(time.monotonic() - start, 1)}
        (tmp / MARKER_FILENAME).write_text(json.dumps(marker, indent=1), encoding="utf-8")
        for path in (tmp, *tmp.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        dest = model_dir / ONNX_DIRNAME
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("built %s in %.1f s", dest, time.monotonic() - start)
    return onnx_path(model_dir)


def _export(model_dir: Path, out: Path) -> None:
    """Token ids -> mean-pooled, L2-normalised embedding, as one ONNX graph."""
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", add_pooling_layer=False).eval()

    class _Pooled(torch.nn.Module):
        """BertModel + mean pooling over the attention mask + L2 norm (the sentence-transformers stack)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    example = torch.ones(2, 16, dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    with torch.no_grad():
        torch.onnx.export(_Pooled().eval(), (example, example), str(out), input_names=list(INPUTS),
                          output_names=[OUTPUT], dynamic_axes={**axes, OUTPUT: {0: "batch"}},
                          opset_version=OPSET, dynamo=False)


def _fuse(src: Path, out: Path, model_dir: Path) -> None:
    """ONNX Runtime's BERT fusions (attention, skip layer norm, bias gelu)."""
    from onnxruntime.transformers import optimizer

    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    fused = optimizer.optimize_model(str(src), model_type="bert", num_heads=config["num_attention_heads"],
                                     hidden_size=config["hidden_size"], opt_level=1)
    fused.save_model_to_file(str(out))
