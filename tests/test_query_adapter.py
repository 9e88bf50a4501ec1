"""The query adapter (piaqa/search/adapter.py): a linear map of question vectors fitted on the dev sets that ranks
the evidence units densely, while the cosines later stages weigh stay the model's own."""
from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from piaqa.config import DEFAULT_MODEL
from piaqa.search.adapter import (ADAPTER_FILE, NO_ADAPTER, AdapterError, QueryAdapter, load_adapter,
                                  provenance_path)

KURASHIKI = "000_2b92446a3e503446.txt"


def test_apply_maps_and_normalises_each_row():
    w = np.diag([2.0, 1.0, 1.0]).astype(np.float32)
    out = QueryAdapter(w, "m").apply(np.array([[1.0, 0.0, 0.0], [0.0, 3.0, 4.0]], dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[1.0, 0.0, 0.0], [0.0, 0.6, 0.8]], atol=1e-6)


def test_none_switches_it_off_and_another_model_does_not_use_it(caplog):
    assert load_adapter(NO_ADAPTER, DEFAULT_MODEL, 384) is None
    with caplog.at_level(logging.WARNING, logger="piaqa.search.adapter"):
        assert load_adapter("default", "intfloat/multilingual-e5-base", 768) is None
    assert "fitted for e5-small-q4" in caplog.text


def test_an_unreadable_file_says_how_to_go_on(tmp_path):
    path = tmp_path / "w.npy"
    np.save(path, np.eye(3, dtype=np.float16))  # no provenance JSON beside it
    with pytest.raises(AdapterError, match="PIAQA_QUERY_ADAPTER=none"):
        load_adapter(str(path), "m", 3)
    provenance_path(path).write_text(json.dumps({"embed_model": "m"}), encoding="utf-8")
    adapter = load_adapter(str(path), "m", 3)
    assert adapter is not None and adapter.matrix.dtype == np.float32


def test_the_shipped_matrix_is_fitted_on_dev_sets_only_for_the_default_model():
    meta = json.loads(provenance_path(ADAPTER_FILE).read_text(encoding="utf-8"))
    assert meta["embed_model"] == DEFAULT_MODEL and meta["dim"] == 384
    assert meta["fitted_on"] and all(name.startswith("dev") for name in meta["fitted_on"])
    assert np.load(ADAPTER_FILE).shape == (384, 384)
    assert meta["report"]["dev_cross_validated"]["first"] > meta["report"]["dev_raw"]["first"]


def test_the_assistant_ranks_with_it_and_keeps_the_model_s_cosines(assistant):
    from piaqa.search.unitsearch import UnitSearcher

    assert assistant.units.adapter is not None
    plain = UnitSearcher(assistant.index, assistant.embedder, assistant.tokenizer)
    text = "倉敷市の年金で、ルールを破った職員はどうなるの？"
    tokens = assistant.units.content_tokens(text)
    adapted = {h.unit.id: h.dense for h in assistant.units.search(text, tokens, docs=[KURASHIKI], k=40)}
    raw = {h.unit.id: h.dense for h in plain.search(text, tokens, docs=[KURASHIKI], k=40)}
    shared = adapted.keys() & raw.keys()
    assert shared and all(adapted[i] == raw[i] for i in shared)  # the cosines are the model's own
    assert list(adapted) != list(raw)  # the ranking is not


def test_what_happens_to_a_rule_breaker_is_the_disciplinary_sentence(assistant):
    # without the adapter: a sentence of the rules' row about providing data to 日本年金機構 (line 198)
    ans = assistant.ask("倉敷市の年金で、ルールを破った職員はどうなるの？")
    assert ans.answerable and "懲戒の対象" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KURASHIKI, 250)


def test_how_the_cloud_is_protected_from_attacks_is_the_threat_measures_sentence(assistant):
    # without the adapter: who is responsible for the data in the government cloud (line 252)
    ans = assistant.ask("How does Kurashiki protect its pension data in the government cloud from outside attacks?")
    assert ans.answerable and "DDos対策" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KURASHIKI, 242)
