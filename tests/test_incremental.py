"""A rebuild embeds only new text (vectors are kept with the index, keyed by text) and equals a full build;
`piaqa add` copies assessments in and updates the index."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

from piaqa.cli import main
from piaqa.config import Settings
from piaqa.search.index import build_index, load_index
from piaqa.search.vectorcache import DIGESTS, digest

from tests.conftest import CORPUS

TINY_LINES = 60  # each document cut to its cover and part I: ~10 chunks and ~20 units, seconds to embed
KURASHIKI, KANAZAWA = "000_2b92446a3e503446.txt", "004_57af33314b6a26f0.txt"


def _cut(src: str, dest: Path) -> Path:
    lines = (CORPUS / src).read_text(encoding="utf-8").split("\n")[:TINY_LINES]
    dest.write_text("\n".join(lines), encoding="utf-8")
    return dest


class CountingEmbedder:
    """The real embedder, recording which passages (and which field labels) it is asked to embed."""

    def __init__(self, real) -> None:  # type: ignore[no-untyped-def]
        self.real, self.texts, self.labels = real, [], []
        self.name, self.dim, self.vectors_key = real.name, real.dim, real.vectors_key

    def passages(self, texts, progress=False):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return self.real.passages(texts, progress=progress)

    def queries(self, texts):  # type: ignore[no-untyped-def]
        self.labels += list(texts)
        return self.real.queries(texts)


def _vectors(index) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.vstack([faiss.rev_swig_ptr(index.dense.get_xb(), index.dense.ntotal * index.dense.d)
                      .reshape(index.dense.ntotal, index.dense.d),
                      faiss.rev_swig_ptr(index.unit_dense.get_xb(), index.unit_dense.ntotal * index.unit_dense.d)
                      .reshape(index.unit_dense.ntotal, index.unit_dense.d)])


@pytest.fixture(scope="module")
def builds(tmp_path_factory, settings, assistant):  # type: ignore[no-untyped-def]
    """A full build of two documents, and an incremental one: the first document, then the second added."""
    root = tmp_path_factory.mktemp("incremental")
    spare = _cut(KANAZAWA, root / "kanazawa.txt")
    full = Settings(corpus_dir=root / "full", index_dir=root / "full-index", models_dir=settings.models_dir)
    full.corpus_dir.mkdir()
    _cut(KURASHIKI, full.corpus_dir / "a.txt")
    shutil.copy(spare, full.corpus_dir / "b.txt")
    build_index(full, assistant.embedder, assistant.tokenizer, progress=False)
    inc = Settings(corpus_dir=root / "inc", index_dir=root / "inc-index", models_dir=settings.models_dir)
    inc.corpus_dir.mkdir()
    _cut(KURASHIKI, inc.corpus_dir / "a.txt")
    first = CountingEmbedder(assistant.embedder)
    build_index(inc, first, assistant.tokenizer, progress=False)
    shutil.copy(spare, inc.corpus_dir / "b.txt")
    second = CountingEmbedder(assistant.embedder)
    build_index(inc, second, assistant.tokenizer, progress=False)
    return full, inc, first, second


def test_an_added_document_is_the_only_text_embedded(builds):
    _, inc, first, second = builds
    assert second.texts and not set(second.texts) & set(first.texts)
    assert first.labels and not set(second.labels) & set(first.labels)  # only labels b.txt brought are embedded
    assert all(c.doc == "b.txt" for c in load_index(inc).chunks if c.text in second.texts)


def test_the_incremental_index_equals_a_full_build(builds, assistant):
    full, inc, _, _ = builds
    a, b = load_index(full), load_index(inc)
    assert a.chunks == b.chunks and a.units == b.units and len(a.chunks) > 10
    x, y = a.derived, b.derived  # what start-up loads: parsed documents, fields, label vectors, unit tokens
    assert x.corpus == y.corpus and x.fields == y.fields and x.unit_tokens == y.unit_tokens
    assert x.labels.labels == y.labels.labels and np.allclose(x.labels.vectors, y.labels.vectors, atol=1e-5)
    assert np.allclose(_vectors(a), _vectors(b), atol=1e-5)
    for question in ("金沢市の児童手当の委託先は？", "倉敷市の評価実施機関名", "個人番号の利用目的"):
        q = assistant.embedder.queries([question])
        for x, y in ((a.dense, b.dense), (a.unit_dense, b.unit_dense)):
            assert list(x.search(q, 5)[1][0]) == list(y.search(q, 5)[1][0])


def test_a_removed_documents_vectors_go_and_nothing_is_embedded(builds, assistant):
    _, inc, _, _ = builds
    (inc.corpus_dir / "b.txt").unlink()
    counting = CountingEmbedder(assistant.embedder)
    index = build_index(inc, counting, assistant.tokenizer, progress=False)
    assert counting.texts == [] == counting.labels and {c.doc for c in index.chunks} == {"a.txt"}
    kept = json.loads((inc.index_dir / DIGESTS).read_text(encoding="utf-8"))["digests"]
    assert set(kept) == {digest(c.text) for c in index.chunks} | {digest(t) for t in _unit_texts(index)}


def _unit_texts(index) -> list[str]:  # type: ignore[no-untyped-def]
    from piaqa.search.index import unit_text

    title = next(c.text for c in index.chunks).split("]")[0].lstrip("[")  # "[倉敷市 … 重点項目評価書] …"
    return [unit_text(u, title) for u in index.units]


def test_piaqa_add_copies_and_indexes(tmp_path, capsys, builds):
    full, _, _, _ = builds
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    _cut(KURASHIKI, corpus / "a.txt")
    new = _cut(KANAZAWA, tmp_path / "kanazawa.txt")
    args = ["--corpus", str(corpus), "--index", str(index)]
    assert main(["index", *args]) == 0
    assert main(["add", str(new), *args]) == 0
    out = capsys.readouterr().out
    assert "kanazawa.txt: added" in out and "index ok: 2 documents" in out
    assert (corpus / "kanazawa.txt").read_bytes() == new.read_bytes()
    assert load_index(Settings(corpus_dir=corpus, index_dir=index)).chunks[-1].doc == "kanazawa.txt"


@pytest.mark.parametrize("name,content,message", [
    ("missing.txt", None, "no such file"),
    ("notes.docx", "x", "not a .txt/.pdf file"),
    ("a.txt", "other text", "already exists with other content"),
])
def test_piaqa_add_refuses_bad_files_and_copies_nothing(tmp_path, capsys, name, content, message):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _cut(KURASHIKI, corpus / "a.txt")
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    assert main(["add", str(bad), "--corpus", str(corpus), "--index", str(tmp_path / "index")]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"] and not (tmp_path / "index").exists()
