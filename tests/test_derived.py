"""What the index keeps for start-up (documents, fields, label vectors, unit tokens) equals what start-up computed
before."""
from __future__ import annotations

import logging

import numpy as np
import pytest

from piaqa.parse.fields import extract_corpus_fields
from piaqa.parse.ingest import fingerprint, scan_corpus
from piaqa.search.derived import FILES
from piaqa.search.fieldsearch import FieldIndex, LabelVectors, answer_labels
from piaqa.search.index import build_index, load_index, open_index

from tests.test_index_integrity import tiny_corpus

LABEL_ATOL = 1e-6  # the same graph on the same text: only float summation order could differ


@pytest.fixture(scope="module")
def loaded(settings, assistant):
    """The real index as start-up loads it (the assistant fixture has made sure it is built)."""
    return load_index(settings)


def test_loaded_documents_equal_the_parse(loaded, docs, settings):
    corpus = loaded.derived.corpus
    assert corpus.docs == tuple(docs.values())  # meta, every line, sections, layout; in scan order
    assert (corpus.skipped, corpus.ignored) == ((), ())
    assert corpus.fingerprint == fingerprint(settings.corpus_dir, settings.max_file_bytes)


def test_loaded_problem_files_are_reported_once(tmp_path, settings, assistant, caplog):
    from piaqa.config import Settings

    corpus = tiny_corpus(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.docx").write_bytes(b"PK")
    s = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", models_dir=settings.models_dir)
    build_index(s, assistant.embedder, assistant.tokenizer, progress=False)
    scanned = scan_corpus(corpus, s)
    caplog.clear()  # the build named them from its scan; the start names them from the record
    with caplog.at_level(logging.INFO):
        index = open_index(s, assistant.embedder, assistant.tokenizer, progress=False)
    assert "rebuilding" not in caplog.text and "index built" not in caplog.text
    assert index.derived.corpus == scanned  # documents, skipped (with kind and fix), ignored, fingerprint
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [
        "empty.txt: empty file (0 bytes) — skipped; copy the assessment's text into it or remove it",
        "ignored 1 file(s) of unsupported type: notes.docx (only .txt/.pdf is read; save the assessment as PDF or "
        "its text as .txt)"]


def test_loaded_fields_equal_extraction(loaded, docs):
    assert loaded.derived.fields == tuple(extract_corpus_fields(list(docs.values())))
    assert {f.doc for f in loaded.derived.fields} == set(docs)  # every document's rows, not an empty tuple


def test_loaded_unit_tokens_equal_tokenisation(loaded, tokenizer):
    toks = loaded.derived.unit_tokens
    assert len(toks.text) == len(toks.context) == len(loaded.units) == loaded.manifest["n_units"]
    assert toks.text == tuple(tuple(tokenizer(u.text)) for u in loaded.units)
    assert toks.context == tuple(tuple(tokenizer(u.context)) for u in loaded.units)


def test_loaded_label_vectors_equal_embedding(loaded, assistant):
    labels = loaded.derived.labels
    assert labels.labels == answer_labels(loaded.derived.fields)
    assert "再委託の有無" in labels.labels and "委託先名" in labels.labels
    assert labels.vectors.dtype == np.float32 and labels.vectors.shape == (len(labels.labels), assistant.embedder.dim)
    np.testing.assert_allclose(labels.vectors, assistant.embedder.queries(list(labels.labels)), atol=LABEL_ATOL)


def test_assistant_serves_the_loaded_derivations(loaded, assistant):
    assert tuple(assistant.fields.fields) == loaded.derived.fields
    assert assistant.fields.labels == list(loaded.derived.labels.labels)
    scores = assistant.fields.score_labels("倉敷市の再委託の有無は？", [])
    assert scores[0].label == "再委託の有無"


def test_label_vectors_of_other_labels_are_refused(loaded, assistant):
    wrong = LabelVectors(loaded.derived.labels.labels[1:], loaded.derived.labels.vectors[1:])
    with pytest.raises(ValueError, match=r"rebuild the index \(piaqa index --rebuild\)$"):
        FieldIndex(loaded.derived.fields, assistant.tokenizer, assistant.embedder, (), wrong)


def test_rebuild_reuses_label_vectors(tmp_path, settings, assistant, caplog):
    from piaqa.config import Settings

    s = Settings(corpus_dir=tiny_corpus(tmp_path), index_dir=tmp_path / "index", models_dir=settings.models_dir)
    first = build_index(s, assistant.embedder, assistant.tokenizer, progress=False)
    n = len(first.derived.labels.labels)
    assert all(name in first.manifest["artefacts"] for name in FILES)
    with caplog.at_level(logging.INFO, logger="piaqa.search.derived"):
        second = build_index(s, assistant.embedder, assistant.tokenizer, progress=False)
    assert f"embedded 0 new labels; {n} of {n} from the previous build" in caplog.text
    assert {k: second.manifest["artefacts"][k] for k in FILES} == {k: first.manifest["artefacts"][k] for k in FILES}
    again = load_index(s).derived
    assert again.fields == first.derived.fields and again.unit_tokens == first.derived.unit_tokens
    np.testing.assert_array_equal(again.labels.vectors, first.derived.labels.vectors)
