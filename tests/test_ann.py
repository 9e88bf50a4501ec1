"""Index choice by size: flat below the threshold (the real corpus), IVF above it with recall@10 >= 0.95 (real FAISS)."""
from __future__ import annotations

import math
import shutil
from dataclasses import replace

import faiss
import numpy as np
import pytest

from piaqa.config import Settings
from piaqa.search.ann import (APPROX_DEPTH, FLAT, IVF, IndexPlan, build_faiss, check_plans, choose_index,
                              dense_scores, plans_of, read_faiss, recall_at_k)
from piaqa.search.index import StaleIndexError, build_index, load_index

from tests.conftest import CORPUS

DIM = 64


def clustered(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around 200 centres: structure like passages of one form, unlike uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(200, DIM))
    x = centres[rng.integers(0, 200, n)] + rng.normal(scale=0.6, size=(n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return clustered(40_000)


@pytest.fixture(scope="module")
def queries() -> np.ndarray:
    return clustered(200, seed=1)


def test_real_corpus_sizes_stay_flat():
    settings = Settings()
    assert choose_index(752, 384, settings) == IndexPlan(FLAT, 752, 384)
    assert choose_index(2_069, 384, settings) == IndexPlan(FLAT, 2_069, 384)
    assert choose_index(settings.ann_threshold, 384, settings).kind == FLAT
    assert choose_index(settings.ann_threshold + 1, 384, settings).kind == IVF


def test_plan_above_threshold_is_ivf_with_named_parameters():
    plan = choose_index(40_000, DIM, Settings(ann_threshold=10_000, ivf_nprobe=32))
    assert plan == IndexPlan(IVF, 40_000, DIM, nlist=800, nprobe=32)  # 4 * sqrt(40,000)
    assert plan.manifest() == {"kind": IVF, "dim": DIM, "nlist": 800, "nprobe": 32}


def test_ivf_recall_at_10_meets_target(vectors, queries):
    exact = build_faiss(vectors, IndexPlan(FLAT, len(vectors), DIM)).search(queries, 10)[1]
    plan = choose_index(len(vectors), DIM, Settings(ann_threshold=10_000))
    ivf = build_faiss(vectors, plan)
    assert isinstance(ivf, faiss.IndexIVFFlat) and ivf.nprobe == plan.nprobe
    assert recall_at_k(exact, ivf.search(queries, 10)[1]) >= 0.95
    ivf.nprobe = 1  # the measure can fail: one list of 800 misses most neighbours
    assert recall_at_k(exact, ivf.search(queries, 10)[1]) < 0.95


def test_ivf_is_memory_mapped_and_scores_a_subset_exactly(vectors, queries, tmp_path):
    plan = choose_index(len(vectors), DIM, Settings(ann_threshold=10_000))
    faiss.write_index(build_faiss(vectors, plan), str(tmp_path / "ivf.faiss"))
    loaded = read_faiss(tmp_path / "ivf.faiss", plan)
    assert loaded.nprobe == plan.nprobe and loaded.ntotal == len(vectors)
    assert type(loaded.invlists).__name__ != "ArrayInvertedLists"  # the lists stay in the mapped file
    allowed = np.arange(100, 350)
    scores = dense_scores(loaded, queries[:1], -1.0, allowed)
    np.testing.assert_allclose(scores[allowed], vectors[allowed] @ queries[0], rtol=1e-5, atol=1e-6)
    assert (np.delete(scores, allowed) == -1.0).all()
    nearest = dense_scores(loaded, queries[:1], -np.inf)
    assert np.isfinite(nearest).sum() == APPROX_DEPTH


def test_flat_scores_are_every_inner_product(vectors, queries):
    flat = build_faiss(vectors[:500], IndexPlan(FLAT, 500, DIM))
    scores = dense_scores(flat, queries[:1], -np.inf, np.arange(10))  # a flat index ignores the subset
    np.testing.assert_allclose(scores, vectors[:500] @ queries[0], rtol=1e-5, atol=1e-6)


def test_build_rejects_a_plan_for_other_vectors(vectors):
    with pytest.raises(ValueError, match="choose_index"):
        build_faiss(vectors[:10], IndexPlan(FLAT, 20, DIM))


def test_manifest_without_plans_reads_as_flat_and_a_changed_threshold_is_stale():
    legacy = {"dim": 384, "n_chunks": 752, "n_units": 2069}
    assert plans_of(legacy) == {"chunks": IndexPlan(FLAT, 752, 384), "units": IndexPlan(FLAT, 2069, 384)}
    check_plans(legacy, Settings())
    with pytest.raises(StaleIndexError, match="rebuild.*piaqa index --rebuild|PIAQA_ANN_THRESHOLD=1000"):
        check_plans(legacy, Settings(ann_threshold=1000))


def test_real_index_is_flat(assistant):
    manifest = assistant.index.manifest
    assert {role: p.kind for role, p in plans_of(manifest).items()} == {"chunks": FLAT, "units": FLAT}
    assert type(assistant.index.dense) is faiss.IndexFlatIP and type(assistant.index.unit_dense) is faiss.IndexFlatIP


@pytest.fixture(scope="module")
def ivf_index(tmp_path_factory, settings, assistant):
    """A one-document index built with a threshold below its size; kept vectors copied, so nothing is embedded."""
    root = tmp_path_factory.mktemp("ivf")
    (root / "corpus").mkdir()
    shutil.copy(CORPUS / "000_2b92446a3e503446.txt", root / "corpus")
    shutil.copytree(settings.index_dir, root / "index")
    small = replace(settings, corpus_dir=root / "corpus", index_dir=root / "index", ann_threshold=50)
    return small, build_index(small, assistant.embedder, assistant.tokenizer, progress=False)


def test_small_threshold_builds_ivf_records_it_and_loads_it(ivf_index, assistant):
    small, built = ivf_index
    n_units = built.manifest["n_units"]
    nlist = round(4 * math.sqrt(n_units))
    assert built.manifest["dense_index"]["units"] == {"kind": IVF, "dim": 384, "nlist": nlist,
                                                      "nprobe": min(small.ivf_nprobe, nlist)}
    loaded = load_index(small)
    assert isinstance(loaded.dense, faiss.IndexIVFFlat) and isinstance(loaded.unit_dense, faiss.IndexIVFFlat)
    with pytest.raises(StaleIndexError, match="rebuild"):
        load_index(replace(small, ann_threshold=Settings().ann_threshold))
