"""The default embedder runs the model's fused fp32 ONNX graph: torch's embeddings (cosine >= 0.9999 on the
corpus' own chunks, evidence units and questions); the int8 graph, whose activations are scaled per token,
stays within cosine 0.999 and can embed the passages while fp32 embeds the questions; rows keep their order, a text's vector does not
depend on its neighbours (nor on whether texts run side by side), and the torch path stays selectable."""
from __future__ import annotations

import dataclasses
import json
import random

import numpy as np
import pytest

from piaqa.config import DEFAULT_MODEL, Settings, SettingsError

# fp32: the same model. int8: the per-token graph measured >= 0.9995 to fp32 on 210 corpus passages (2026-12-04);
# ONNX Runtime's per-run dynamic quantisation, which it replaced, gave 0.994 and would fail this floor; on a CPU
# without AVX-512 VNNI its 8-bit weights saturated (this sample's min 0.9971), its 7-bit ones do not (2026-12-06)
MIN_COSINE = {"onnx": 0.9999, "onnx-int8": 0.999}
SAMPLE = 24  # chunks and as many evidence units, drawn with a fixed seed


@pytest.fixture(scope="module")
def embedders(settings):
    from piaqa.search.embed import Embedder

    return {b: Embedder(dataclasses.replace(settings, embed_backend=b, passage_backend=b))
            for b in ("onnx", "onnx-int8", "torch")}


def _sample(index_dir) -> list[str]:
    """Chunks and evidence units of the real index (the texts the build embeds)."""
    rng = random.Random(0)
    texts = {name: [json.loads(line)["text"] for line in (index_dir / name).read_text(encoding="utf-8").splitlines()]
             for name in ("chunks.jsonl", "units.jsonl")}
    return rng.sample(texts["chunks.jsonl"], SAMPLE) + rng.sample(texts["units.jsonl"], SAMPLE)


@pytest.mark.parametrize("backend", sorted(MIN_COSINE))
def test_onnx_matches_torch_on_corpus_passages_and_questions(embedders, assistant, backend):
    onnx, torch = embedders[backend], embedders["torch"]
    assert (onnx.backend, onnx.passage_backend, torch.backend, onnx.dim, torch.dim) == (backend, backend, "torch",
                                                                                        384, 384)
    passages = _sample(assistant.settings.index_dir)
    cos = (onnx.passages(passages) * torch.passages(passages)).sum(axis=1)
    worst = MIN_COSINE[backend]
    assert cos.min() >= worst, f"lowest cosine {cos.min():.4f} at {passages[int(cos.argmin())][:60]!r}"
    questions = ["倉敷市の国民年金事務の委託先は？", "which cities re-delegate system maintenance?", "研修"]
    q = (onnx.queries(questions) * torch.queries(questions)).sum(axis=1)
    assert q.min() >= worst
    norms = np.linalg.norm(onnx.passages(passages[:3]), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_rows_keep_the_order_of_the_texts(embedders):
    onnx = embedders["onnx"]
    texts = ["短い", "委託先における取扱者数は10人以上50人未満である。" * 20, "保管期間"]
    forward, backward = onnx.passages(texts), onnx.passages(texts[::-1])
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert onnx.passages([]).shape == (0, 384)


@pytest.mark.parametrize("backend", sorted(MIN_COSINE))
def test_a_texts_vector_does_not_depend_on_the_texts_beside_it(embedders, backend):
    onnx = embedders[backend]
    text = "特定個人情報ファイルは、保管期間経過後に速やかに消去する。"
    alone = onnx.passages([text])[0]
    among = onnx.passages(["短い", text, "委託先における取扱者数は10人以上50人未満である。" * 20])[1]
    assert np.array_equal(alone, among)


@pytest.mark.parametrize("backend", sorted(MIN_COSINE))
def test_texts_run_side_by_side_get_the_vectors_they_get_alone(embedders, assistant, backend):
    from piaqa.search.onnx_embed import PARALLEL_MIN

    onnx = embedders[backend]
    texts = _sample(assistant.settings.index_dir)
    assert len(texts) >= PARALLEL_MIN  # the build's path: texts run side by side, one thread each
    together = onnx.passages(texts)
    alone = np.stack([onnx.passages([t])[0] for t in texts])  # one text: the session with every thread
    assert np.array_equal(together, alone)


def test_backend_setting(settings):
    with pytest.raises(SettingsError, match="PIAQA_EMBED_BACKEND"):
        Settings(embed_backend="tensorflow")
    with pytest.raises(SettingsError, match="PIAQA_PASSAGE_BACKEND"):
        Settings(passage_backend="int4")
    default = Settings()
    assert (default.backend, default.effective_passage_backend) == ("onnx", "onnx")
    assert Settings(embed_backend="torch").backend == "torch"
    params = Settings(embed_backend="onnx-int8", passage_backend="onnx").index_params()
    assert (params["embed_backend"], params["passage_backend"]) == ("onnx-int8", "onnx")
    other = Settings(embed_model="/some/local/model")
    assert (other.backend, other.effective_passage_backend) == ("torch", "torch")
    assert (other.index_params()["embed_backend"], other.index_params()["passage_backend"]) == ("torch", "torch")
    assert settings.embed_model == DEFAULT_MODEL or settings.backend == "torch"


def test_int8_passages_with_fp32_questions(settings, embedders):
    from piaqa.search.embed import Embedder

    mixed = Embedder(dataclasses.replace(settings, embed_backend="onnx", passage_backend="onnx-int8"))
    question, passage = ["倉敷市の国民年金事務の委託先は？"], ["特定個人情報ファイルは、保管期間経過後に速やかに消去する。"]
    assert np.array_equal(mixed.queries(question), embedders["onnx"].queries(question))
    assert np.array_equal(mixed.passages(passage), embedders["onnx-int8"].passages(passage))
    assert not np.array_equal(mixed.passages(passage), embedders["onnx"].passages(passage))
    assert mixed.vectors_key == embedders["onnx-int8"].vectors_key != embedders["onnx"].vectors_key


def test_the_int8_graph_multiplies_integers_with_per_token_scales(settings):
    import onnx

    from piaqa.search.onnx_build import onnx_path

    graph = onnx.load(str(onnx_path(settings.models_dir / DEFAULT_MODEL, "onnx-int8")), load_external_data=False)
    ops = [node.op_type for node in graph.graph.node]
    layers = 12  # e5-small: per layer, the attention's input and output projections and two feed-forward ones
    assert ops.count("MatMulInteger") == 4 * layers and ops.count("MultiHeadAttention") == layers
    assert "MatMul" not in ops and "Attention" not in ops and "DynamicQuantizeMatMul" not in ops
    # one scale per token row: the activations' ranges are reduced over the last axis only
    reductions = [n for n in graph.graph.node if n.op_type in ("ReduceMin", "ReduceMax")]
    assert len(reductions) == 2 * 4 * layers
    assert all([a.ints for a in n.attribute if a.name == "axes"] == [[-1]] for n in reductions)


def test_a_missing_or_older_graph_is_not_complete(tmp_path, settings):
    from piaqa.config import ONNX_GRAPH_FORMAT
    from piaqa.search.onnx_build import GRAPHS, MARKER_FILENAME, ONNX_DIRNAME, is_complete

    assert not is_complete(tmp_path)
    folder = tmp_path / ONNX_DIRNAME
    folder.mkdir()
    (folder / GRAPHS["onnx-int8"]).write_bytes(b"")
    (folder / MARKER_FILENAME).write_text(json.dumps({"format": ONNX_GRAPH_FORMAT}), encoding="utf-8")
    assert not is_complete(tmp_path)  # one graph missing
    (folder / GRAPHS["onnx"]).write_bytes(b"")
    (folder / MARKER_FILENAME).write_text(json.dumps({"format": ONNX_GRAPH_FORMAT - 1}), encoding="utf-8")
    assert not is_complete(tmp_path)
    (folder / MARKER_FILENAME).write_text(json.dumps({"format": ONNX_GRAPH_FORMAT}), encoding="utf-8")
    assert is_complete(tmp_path)
    assert is_complete(settings.models_dir / DEFAULT_MODEL)  # built by `make prepare` with the default backend
