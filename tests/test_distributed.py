"""`piaqa index --ray`: on a local Ray cluster (2 CPUs, loopback only) the distributed build writes the same
index as the single-process build of the same files — chunks, units, fields, BM25, vectors, answers."""
from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from piaqa.cli import main
from piaqa.config import Settings
from piaqa.parse.fields import extract_corpus_fields
from piaqa.parse.ingest import DUPLICATE, EMPTY, scan_corpus
from piaqa.search.embed import Embedder
from piaqa.search.index import build_index, load_index
from piaqa.search.tokenize import Tokenizer
from piaqa.search.vectorcache import DIGESTS

from tests.conftest import CORPUS

KURASHIKI, KANAZAWA = "000_2b92446a3e503446.txt", "004_57af33314b6a26f0.txt"
KANAZAWA_LINES = 200  # cover, part I and the start of part II: enough fields and units, seconds to embed
# differ between any two builds: when and how long, and the hashes of the float artefacts (the vectors may
# differ in the last bits: ONNX Runtime runs on one thread per Ray worker, on both cores in one process)
BUILD_ONLY = ("built_at", "build_seconds", "artefacts")
FLOAT_ARTEFACTS = ("dense.faiss", "units.faiss", "vectors.npy")
QUESTIONS = ("倉敷市の国民年金事務の委託先は？", "金沢市の評価実施機関名は？", "個人番号の利用目的は？",
             "倉敷市ではUSBメモリの使用をどう制限していますか？")


def _corpus(folder: Path) -> Path:
    """Two real assessments (one cut short), a duplicate, an empty file and an ignored .docx."""
    folder.mkdir()
    shutil.copy(CORPUS / KURASHIKI, folder / "a.txt")
    lines = (CORPUS / KANAZAWA).read_text(encoding="utf-8").split("\n")[:KANAZAWA_LINES]
    (folder / "b.txt").write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(CORPUS / KURASHIKI, folder / "c.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    return folder


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster of 2 CPUs for this module, started by piaqa's own code, shut down after."""
    from piaqa.search.distributed import ray_cluster

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("RAY_ADDRESS", raising=False)
        with ray_cluster(None, num_cpus=2) as running:
            yield running


@pytest.fixture(scope="module")
def builds(tmp_path_factory, settings, cluster):
    """The same corpus built in this process and on Ray, each into its own index folder."""
    from piaqa.search.distributed import build_on_ray

    root = tmp_path_factory.mktemp("distributed")
    corpus = _corpus(root / "corpus")
    local = Settings(corpus_dir=corpus, index_dir=root / "local", models_dir=settings.models_dir)
    on_ray = Settings(corpus_dir=corpus, index_dir=root / "ray", models_dir=settings.models_dir)
    build_index(local, Embedder(local), Tokenizer(), progress=False)
    handler, logger = _Records(), logging.getLogger("piaqa.search.distributed")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        build_on_ray(on_ray)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return local, on_ray, handler.messages


class _Records(logging.Handler):
    """The messages logged while the Ray build ran (what ran where)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_the_ray_cluster_is_local_and_has_two_workers(cluster):
    assert cluster.workers == 2 and cluster.address.startswith("127.0.0.1:")


def test_files_are_parsed_on_ray_into_the_same_corpus(builds, cluster):
    from piaqa.search.distributed import ray_scan

    local, _, _ = builds
    ray_load, here = ray_scan(local, cluster), scan_corpus(local.corpus_dir, local)
    assert ray_load == here
    assert [d.meta.doc for d in ray_load.docs] == ["a.txt", "b.txt"]
    assert [(s.file, s.kind) for s in ray_load.skipped] == [("c.txt", DUPLICATE), ("empty.txt", EMPTY)]
    assert ray_load.ignored == ("notes.docx",)
    fields = extract_corpus_fields(list(ray_load.docs))
    assert fields == extract_corpus_fields(list(here.docs)) and len(fields) > 100


def test_the_work_ran_on_ray(builds):
    _, on_ray, messages = builds
    distinct = len(json.loads((on_ray.index_dir / DIGESTS).read_text(encoding="utf-8"))["digests"])
    assert "parsed 4 corpus files on Ray" in " ".join(messages)
    # one job embedded every distinct text of the new index (there were no kept vectors), on both workers
    assert [m for m in messages if m.startswith("embedding ")] == [f"embedding {distinct} passages on 2 Ray workers"]
    # two of the seed documents' chunks and units: a few hundred distinct texts (288 since the tenth session's units)
    assert f"embedded {distinct} of {distinct} passages" in " ".join(messages) and distinct > 250


def test_the_ray_build_writes_the_same_index(builds):
    local, on_ray, _ = builds
    a, b = load_index(local), load_index(on_ray)
    assert a.chunks == b.chunks and a.units == b.units and len(a.chunks) > 50 and len(a.units) > 100
    assert {k: v for k, v in a.manifest.items() if k not in BUILD_ONLY} == \
        {k: v for k, v in b.manifest.items() if k not in BUILD_ONLY}
    exact = {k: v for k, v in a.manifest["artefacts"].items() if k not in FLOAT_ARTEFACTS}
    assert exact == {k: v for k, v in b.manifest["artefacts"].items() if k not in FLOAT_ARTEFACTS}
    assert "chunks.jsonl" in exact and any(k.startswith("units_bm25") for k in exact)
    for x, y in ((a.dense, b.dense), (a.unit_dense, b.unit_dense)):
        assert x.ntotal == y.ntotal
        assert np.allclose(x.reconstruct_n(0, x.ntotal), y.reconstruct_n(0, y.ntotal), atol=1e-5)
    kept = [json.loads((s.index_dir / DIGESTS).read_text(encoding="utf-8"))["digests"] for s in (local, on_ray)]
    assert sorted(kept[0]) == sorted(kept[1])


def test_the_two_indexes_give_the_same_answers(builds):
    from piaqa.qa import Assistant

    local, on_ray, _ = builds
    a, b = Assistant(local, progress=False), Assistant(on_ray, progress=False)
    for question in QUESTIONS:
        x, y = a.ask(question), b.ask(question)
        assert x.to_json() == y.to_json() and x.citations, question
        assert [h.chunk.id for h in a.search(question)] == [h.chunk.id for h in b.search(question)]
    assert any(c.doc == "a.txt" for c in a.ask(QUESTIONS[0]).citations)


def test_piaqa_index_ray_rebuilds_with_kept_vectors_and_reports(builds, tmp_path, capsys, caplog):
    _, on_ray, _ = builds
    index_dir = tmp_path / "index"
    shutil.copytree(on_ray.index_dir, index_dir)
    args = ["index", "--ray", "--corpus", str(on_ray.corpus_dir), "--index", str(index_dir)]
    with caplog.at_level(logging.INFO, logger="piaqa"):
        assert main([*args, "--rebuild"]) == 3  # 3: built, some files skipped
    out = capsys.readouterr().out
    assert "index ok: 2 documents" in out and "2 file(s) skipped, 1 ignored: c.txt, empty.txt, notes.docx" in out
    assert "embedded 0 new texts" in caplog.text  # every vector came from the copied index
    assert load_index(Settings(corpus_dir=on_ray.corpus_dir, index_dir=index_dir)).chunks == load_index(on_ray).chunks
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="piaqa"):
        assert main(args) == 3
    assert "index is up to date: nothing to run on Ray" in caplog.text and "empty.txt: empty file" in caplog.text


def test_piaqa_index_ray_without_ray_says_how_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what find_spec sees when ray is not installed
    corpus = _corpus(tmp_path / "corpus")
    code = main(["index", "--ray", "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert code == 2 and 'pip install -c constraints.txt ".[ray]"' in err and "make setup" in err
    assert not (tmp_path / "index").exists()


def test_an_unreachable_cluster_is_named_with_what_to_do(tmp_path, capsys, monkeypatch):
    from piaqa.search import distributed

    monkeypatch.setattr(distributed, "_ray", lambda local=False: _Unreachable())
    corpus = _corpus(tmp_path / "corpus")
    code = main(["index", "--ray", "127.0.0.1:1", "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot start or reach a Ray cluster at 127.0.0.1:1" in err and "ray start --head" in err


class _Unreachable:
    """A `ray` module whose cluster cannot be reached (as ray.init says for an address nobody listens on)."""

    @staticmethod
    def is_initialized() -> bool:
        return False

    @staticmethod
    def init(**_: object) -> None:
        raise ConnectionError("Could not find any running Ray instance")
