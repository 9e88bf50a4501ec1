"""A linear map of question embeddings, fitted so that a question lands nearer the sentence that answers it.

The e5 model places an everyday or English question far from the form's Japanese sentence that answers it
("Who signs off on new user accounts?" and 「…中央窓口センター長の承認を得る。」). `bench/fit_adapter.py` fits one
matrix W on the dev sets' questions and their gold evidence units: a question's vector q becomes qW (normalised),
the units' vectors stay as indexed. A lookup's unit search fuses the units' ranking by the mapped vector beside the
model's own (UnitSearcher.search); the cosines the later stages weigh (unit order, field-vs-prose choice, "is it
stated") stay the model's own, as they were fitted on them. The matrix belongs to one model: for any other (or
another dimension) it is not used.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from piaqa.config import SettingsError

log = logging.getLogger(__name__)

ADAPTER_FILE = Path(__file__).with_name("query_adapter.npy")  # the shipped matrix (float16, dim x dim)
DEFAULT_ADAPTER = "default"  # Settings.query_adapter: the shipped matrix
NO_ADAPTER = "none"  # Settings.query_adapter: the model's own question vectors


class AdapterError(SettingsError):
    """A query adapter file (PIAQA_QUERY_ADAPTER) that cannot be used."""


@dataclass(frozen=True, eq=False)
class QueryAdapter:
    """W of `qW` and the model it was fitted for."""

    matrix: np.ndarray = field(repr=False)  # (dim, dim) float32
    model: str

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Each row mapped by W and L2-normalised (float32, as the index's vectors)."""
        mapped = np.asarray(vectors, dtype=np.float32) @ self.matrix
        norms = np.linalg.norm(mapped, axis=1, keepdims=True)
        return (mapped / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def provenance_path(path: Path) -> Path:
    """The JSON beside a matrix file that says what it was fitted on and for which model."""
    return path.with_suffix(".json")


def load_adapter(setting: str, model: str, dim: int) -> QueryAdapter | None:
    """The adapter `Settings.query_adapter` names for an embedding model of `dim` dimensions: the shipped one
    ("default"), none ("none") or a .npy file with its provenance JSON beside it. None when switched off or
    fitted for another model (logged: the questions then use the model's own vectors)."""
    if setting == NO_ADAPTER:
        return None
    path = ADAPTER_FILE if setting == DEFAULT_ADAPTER else Path(setting).expanduser()
    meta_path = provenance_path(path)
    try:
        matrix = np.load(path).astype(np.float32)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise AdapterError(f"query adapter {path}: cannot read it or {meta_path.name} beside it ({e}); refit it "
                           "with bench/fit_adapter.py or set PIAQA_QUERY_ADAPTER=none") from None
    fitted_for = str(meta.get("embed_model", ""))
    if matrix.shape != (dim, dim) or fitted_for != model:
        log.warning("query adapter %s was fitted for %s (%s), not %s (dim %d): questions use the model's own "
                    "vectors", path, fitted_for or "an unknown model", "x".join(map(str, matrix.shape)), model, dim)
        return None
    return QueryAdapter(matrix, fitted_for)
