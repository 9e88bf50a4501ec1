"""Index on disk: round trip, manifest checks, rebuild on mismatch, atomic swap (real model)."""
from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pytest

from piaqa.config import Settings
from piaqa.search.index import StaleIndexError, load_index, open_index

from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def small(tmp_path_factory, settings):
    """A one-document corpus and its own index folder."""
    root = tmp_path_factory.mktemp("small")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "000_2b92446a3e503446.txt", corpus)
    return Settings(corpus_dir=corpus, index_dir=root / "index", models_dir=settings.models_dir)


@pytest.fixture(scope="module")
def built(small, assistant):
    return open_index(small, assistant.embedder, assistant.tokenizer, progress=False)


def test_round_trip(small, built):
    loaded = load_index(small)
    assert loaded.chunks == built.chunks
    assert loaded.dense.ntotal == len(built.chunks) == loaded.manifest["n_chunks"]
    assert loaded.manifest["dim"] == 384
    assert set(loaded.manifest["corpus"]) == {"000_2b92446a3e503446.txt"}
    assert {c.doc for c in loaded.chunks} == {"000_2b92446a3e503446.txt"}


def test_changed_corpus_is_detected_and_rebuilt(small, built, assistant, caplog):
    extra = small.corpus_dir / "004_57af33314b6a26f0.txt"
    head = (CORPUS / extra.name).read_text(encoding="utf-8").split("\n")[:50]  # cover and part I: quick to embed
    extra.write_text("\n".join(head), encoding="utf-8")
    try:
        with pytest.raises(StaleIndexError,
                           match=r"corpus changed .*\(1 file entries differ: 004_57af33314b6a26f0\.txt added\)"):
            load_index(small)
        with caplog.at_level("WARNING"):
            rebuilt = open_index(small, assistant.embedder, assistant.tokenizer, progress=False)
        assert "rebuilding" in caplog.text
        assert {c.doc for c in rebuilt.chunks} == {"000_2b92446a3e503446.txt", extra.name}
    finally:
        extra.unlink()
    open_index(small, assistant.embedder, assistant.tokenizer, progress=False)  # back to one document


def test_changed_settings_are_detected(small, built):
    other = Settings(corpus_dir=small.corpus_dir, index_dir=small.index_dir, models_dir=small.models_dir,
                     chunk_target=300, chunk_max=600)
    with pytest.raises(StaleIndexError, match="settings"):
        load_index(other)


def test_interrupted_swap_keeps_previous_index(small, built):
    old = small.index_dir.with_name(small.index_dir.name + ".old")
    small.index_dir.rename(old)  # as if the build died between the two renames
    loaded = load_index(small)
    assert loaded.dense.ntotal == len(loaded.chunks) > 0
    assert small.index_dir.exists() and not old.exists()


def test_manifest_pins_model_and_hashes(small, built):
    m = json.loads((small.index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["params"]["embed_model"] == small.embed_model
    assert len(m["corpus"]["000_2b92446a3e503446.txt"]) == 64
    assert m["dense_index"] == {"chunks": {"kind": "flat", "dim": 384}, "units": {"kind": "flat", "dim": 384}}
    assert m["artefacts"]["chunks.jsonl"] == hashlib.sha256((small.index_dir / "chunks.jsonl").read_bytes()).hexdigest()


def test_change_log_is_searched_lexically_only(assistant):
    """Change-log chunks get a zero row in the dense index (they are not embedded), every other chunk a unit
    vector; a question about the change log still finds its rows, ranked by their words."""
    index = assistant.index
    vecs = index.dense.reconstruct_n(0, index.dense.ntotal)
    norms = np.linalg.norm(vecs, axis=1)
    history = np.array([c.history for c in index.chunks])
    assert history.sum() > 100 and (~history).sum() > 400
    assert np.all(norms[history] == 0)
    assert np.allclose(norms[~history], 1.0, atol=1e-3)
    hits = assistant.retriever.search("倉敷市 再委託の許諾方法 再委託承認願 変更前の記載", k=3,
                                      docs=["000_2b92446a3e503446.txt"], history=True)
    first = hits[0].chunk
    assert first.history and first.line_start <= 340 <= first.line_end
    # without the change log, no change-log chunk comes back
    assert not any(h.chunk.history for h in assistant.retriever.search(
        "倉敷市 再委託の許諾方法 再委託承認願 変更前の記載", k=5, docs=["000_2b92446a3e503446.txt"], history=False))
