"""The int8 graph: the fused fp32 graph's projections as integer matrix products, activations scaled per token.

ONNX Runtime's dynamic quantisation (`quantize_dynamic`) gives the activations of a whole run one scale, so a
few large values of one token (the GELU outputs feeding each layer's second feed-forward matrix are the worst)
coarsen every other token: corpus passages came out at cosine 0.994-0.997 to the fp32 graph, and near ties in
retrieval fell the other way. Here each token row gets its own scale and zero point (asymmetric uint8) and
each weight column its own scale (symmetric, 7-bit codes in int8); the product runs as `MatMulInteger` and is
corrected for the zero points with the weight columns' sums, so only rounding is lost: cosine >= 0.9995 to the fp32
graph on 210 corpus passages with 8-bit weights on the machine of 2026-12-04 (min 0.99896, mean 0.99927 with the 7-bit
weights below on an AVX2-only one, 2026-12-06), and the build's embedding ~1.7x faster on 2 cores (bench notes in the
README). The fused attention's input projection (query, key and value in one matrix) is quantised the same
way and followed by ONNX Runtime's `MultiHeadAttention` with the projection's bias; like the fused
`Attention` it replaces (whose mask input the BERT fusion leaves a dummy), it applies no padding mask: a text
runs alone (onnx_embed), so there is no padding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

UINT8_LEVELS = 255  # activation codes 0..255
# weight codes -63..63 (symmetric: no zero point to correct on the weight side). 7 bits, not 8: on a CPU without
# AVX-512 VNNI, ONNX Runtime's MatMulInteger adds pairs of uint8 x int8 products in int16, which saturates above
# 32,767 (255 x 127 x 2 = 64,770); 255 x 63 x 2 = 32,130 cannot. With 127, an AMD EPYC with AVX2 only gave cosine
# 0.9971 to the fp32 graph on corpus passages (2026-12-06); with 63, min 0.99896 and mean 0.99927 on 210 of them.
INT8_MAX = 63
TINY_SCALE = 1e-12  # a token row of zeros still divides safely (its codes are all zero point)


@dataclass
class _Graph:
    """The nodes and constants being written (one rewrite)."""

    nodes: list = field(default_factory=list)
    constants: list = field(default_factory=list)

    def const(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], output: str, **attrs: object) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(kind, inputs, [output], name=output, **attrs))
        return output


@dataclass(frozen=True)
class Int8Columns:
    """A [K, N] weight matrix as int8 codes with one scale per column: weights ~ codes * scales."""

    codes: np.ndarray
    scales: np.ndarray

    @classmethod
    def of(cls, weights: np.ndarray) -> "Int8Columns":
        scales = np.abs(weights).max(axis=0) / INT8_MAX
        scales[scales == 0] = 1.0
        codes = np.clip(np.rint(weights / scales), -INT8_MAX, INT8_MAX).astype(np.int8)
        return cls(codes, scales.astype(np.float32))


def _per_token_product(g: _Graph, x: str, weights: np.ndarray, prefix: str, output: str) -> str:
    """Nodes computing `output` = x @ weights with x quantised per token row and the weights per column."""
    from onnx import TensorProto

    matrix = Int8Columns.of(weights)
    w = g.const(prefix + "_w", matrix.codes)
    w_scale = g.const(prefix + "_w_scale", matrix.scales)
    col_sums = g.const(prefix + "_w_colsum", matrix.codes.astype(np.float32).sum(axis=0))
    low = g.op("Min", [g.op("ReduceMin", [x], prefix + "_rowmin", axes=[-1], keepdims=1), "i8_zero"], prefix + "_lo")
    high = g.op("Max", [g.op("ReduceMax", [x], prefix + "_rowmax", axes=[-1], keepdims=1), "i8_zero"], prefix + "_hi")
    spread = g.op("Div", [g.op("Sub", [high, low], prefix + "_range"), "i8_levels"], prefix + "_scale0")
    scale = g.op("Max", [spread, "i8_tiny"], prefix + "_scale")
    zero = g.op("Round", [g.op("Div", [g.op("Neg", [low], prefix + "_neglo"), scale], prefix + "_zero0")],
                prefix + "_zero")
    shifted = g.op("Add", [g.op("Round", [g.op("Div", [x, scale], prefix + "_xs")], prefix + "_xr"), zero],
                   prefix + "_xz")
    codes_x = g.op("Cast", [g.op("Clip", [shifted, "i8_zero", "i8_levels"], prefix + "_xc")], prefix + "_xq",
                   to=TensorProto.UINT8)
    product = g.op("Cast", [g.op("MatMulInteger", [codes_x, w], prefix + "_acc")], prefix + "_accf",
                   to=TensorProto.FLOAT)
    centred = g.op("Sub", [product, g.op("Mul", [zero, col_sums], prefix + "_zsum")], prefix + "_centred")
    return g.op("Mul", [g.op("Mul", [centred, scale], prefix + "_rows"), w_scale], output)


def quantise_per_token(src: Path, out: Path) -> None:
    """Write `src` (the fused fp32 graph) with every projection as a per-token int8 product to `out`."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(src))
    weights = {t.name: t for t in model.graph.initializer}
    g = _Graph()
    g.const("i8_zero", np.float32(0))
    g.const("i8_levels", np.float32(UINT8_LEVELS))
    g.const("i8_tiny", np.float32(TINY_SCALE))
    replaced: set[str] = set()
    for node in model.graph.node:
        is_attention = node.op_type == "Attention"
        if not is_attention and not (node.op_type == "MatMul" and node.input[1] in weights):
            g.nodes.append(node)
            continue
        matrix = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)
        replaced.add(node.input[1])
        prefix = node.name + "_i8"
        product = _per_token_product(g, node.input[0], matrix, prefix, prefix + "_qkv" if is_attention else node.output[0])
        if not is_attention:
            continue
        width = matrix.shape[1] // 3  # query, key and value, side by side
        split = g.const(node.name + "_i8_split", np.array([width] * 3, dtype=np.int64))
        parts = [node.name + "_i8_" + part for part in ("q", "k", "v")]
        g.nodes.append(helper.make_node("Split", [product, split], parts, name=node.name + "_i8_split_node", axis=-1))
        heads = next(a.i for a in node.attribute if a.name == "num_heads")
        g.nodes.append(helper.make_node("MultiHeadAttention", [*parts, node.input[2]], [node.output[0]],
                                        name=node.name + "_i8_mha", domain="com.microsoft", num_heads=heads))
    del model.graph.node[:]
    model.graph.node.extend(g.nodes)
    kept = [t for t in model.graph.initializer if t.name not in replaced]
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept + g.constants)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
