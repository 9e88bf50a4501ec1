"""Damaged index files are named and rebuilt (or refused with --no-rebuild); a killed build leaves the old index."""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from piaqa.cli import main
from piaqa.config import Settings
from piaqa.search.artefacts import DamagedIndexError, hash_artefacts
from piaqa.search.index import build_index, load_index, open_index

from tests.conftest import CORPUS, ROOT

TINY_LINES = 60  # cover + part I of 倉敷市's assessment: 10 chunks and 22 units, a few seconds to embed
KILL_WAIT_SECONDS = 300  # the child loads the model and embeds before it reaches the swap


def tiny_corpus(root: Path) -> Path:
    """A corpus of one real assessment cut to its first TINY_LINES lines."""
    corpus = root / "corpus"
    corpus.mkdir()
    lines = (CORPUS / "000_2b92446a3e503446.txt").read_text(encoding="utf-8").split("\n")[:TINY_LINES]
    (corpus / "000_tiny.txt").write_text("\n".join(lines), encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, settings, assistant) -> Settings:
    """A freshly built index over the tiny corpus; tests damage copies of it."""
    root = tmp_path_factory.mktemp("pristine")
    s = Settings(corpus_dir=tiny_corpus(root), index_dir=root / "index", models_dir=settings.models_dir)
    build_index(s, assistant.embedder, assistant.tokenizer, progress=False)
    return s


@pytest.fixture
def copy(pristine, tmp_path) -> Settings:
    """Settings whose index folder is a fresh copy of the pristine index (named "index" like the real one)."""
    shutil.copytree(pristine.index_dir, tmp_path / "index")
    return Settings(corpus_dir=pristine.corpus_dir, index_dir=tmp_path / "index", models_dir=pristine.models_dir)


def _manifest(index_dir: Path) -> dict:
    return json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _garbage_line(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = "garbage{"
    path.write_text("\n".join(lines), encoding="utf-8")


def _cut_manifest(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8")[:150], encoding="utf-8")


def _shift_lines(path: Path) -> None:
    """Every chunk's line numbers moved by one: still valid JSON, wrong citations."""
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r["line_start"] += 1
        r["line_end"] += 1
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


# damage, file it is done to, the message load_index gives
DAMAGE = [
    (_truncate, "dense.faiss", "index/dense.faiss: hash mismatch (changed since the build)"),
    (_garbage_line, "chunks.jsonl", "index/chunks.jsonl: hash mismatch (changed since the build)"),
    (_cut_manifest, "manifest.json", "index/manifest.json: not valid JSON, cut or damaged ({json_error} of 150 "
                                     "characters)"),
    (Path.unlink, "bm25/vocab.index.json", "index/bm25/vocab.index.json: missing"),
    (_shift_lines, "chunks.jsonl", "index/chunks.jsonl: hash mismatch (changed since the build)"),
]


@pytest.mark.parametrize("damage,target,message", DAMAGE, ids=[f"{d[0].__name__}-{d[1]}" for d in DAMAGE])
def test_damaged_artefact_is_named_and_rebuilt(copy, pristine, assistant, caplog, damage, target, message):
    damage(copy.index_dir / target)
    if "{json_error}" in message:  # where the cut falls depends on the manifest's layout: ask json itself
        try:
            json.loads((copy.index_dir / target).read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            message = message.format(json_error=f"{e.msg}: line {e.lineno} column {e.colno}")
    with pytest.raises(DamagedIndexError) as err:
        load_index(copy)
    assert str(err.value) == message
    with caplog.at_level(logging.WARNING, logger="piaqa.search.index"):
        rebuilt = open_index(copy, assistant.embedder, assistant.tokenizer, progress=False)
    assert f"cannot be used ({message}): rebuilding" in caplog.text
    want = _manifest(pristine.index_dir)["artefacts"]
    assert hash_artefacts(copy.index_dir) == rebuilt.manifest["artefacts"] == want  # rebuilt byte-identical
    assert load_index(copy).chunks == load_index(pristine).chunks


# without artefact hashes (an index built before them, like a hand-edited manifest) damage is still named
LEGACY = [
    (_truncate, "dense.faiss", "index/dense.faiss: cut or damaged FAISS index (read error in {dir}/dense.faiss: "
                               "955 != 15360 (Success))"),
    (_garbage_line, "chunks.jsonl", "index/chunks.jsonl line 3: not a Chunk record (JSONDecodeError: Expecting "
                                    "value: line 1 column 1 (char 0))"),
    (Path.unlink, "bm25/vocab.index.json", "index/bm25: cannot be loaded (FileNotFoundError: [Errno 2] No such file "
                                           "or directory: '{dir}/bm25/vocab.index.json')"),
]


@pytest.mark.parametrize("damage,target,message", LEGACY, ids=[f"{d[0].__name__}-{d[1]}" for d in LEGACY])
def test_damage_without_hashes_is_still_named(copy, damage, target, message, caplog):
    m = _manifest(copy.index_dir)
    del m["artefacts"]
    (copy.index_dir / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    damage(copy.index_dir / target)
    with caplog.at_level(logging.WARNING), pytest.raises(DamagedIndexError) as err:
        load_index(copy)
    assert str(err.value) == message.format(dir=copy.index_dir)
    assert "index/manifest.json has no artefact hashes" in caplog.text


def test_vector_count_must_match_the_records(copy):
    m = _manifest(copy.index_dir)
    m["n_chunks"] += 1  # the manifest itself is not hashed: its counts are checked against the files
    (copy.index_dir / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DamagedIndexError, match=r"^index/dense\.faiss: 10 vectors for 10 records in "
                                                r"index/chunks\.jsonl \(11 in index/manifest\.json\)$"):
        load_index(copy)


def test_manifest_hashes_every_artefact(pristine):
    m = _manifest(pristine.index_dir)
    assert m["format"] == 2
    assert set(m["artefacts"]) == {"chunks.jsonl", "units.jsonl", "dense.faiss", "units.faiss", "vectors.npy",
                                   "vectors.json", "documents.jsonl", "corpus.json", "fields.jsonl", "labels.json", "labels.npy", "unit_tokens.jsonl",
                                   *(f"bm25/{p.name}" for p in (pristine.index_dir / "bm25").iterdir()),
                                   *(f"units_bm25/{p.name}" for p in (pristine.index_dir / "units_bm25").iterdir())}
    assert "bm25/vocab.index.json" in m["artefacts"]
    assert m["documents"] == ["000_tiny.txt"] and m["skipped"] == {} and m["ignored"] == []
    assert m["limits"] == {"max_file_bytes": 10 * 1024 * 1024, "max_chunks_per_file": 2000}


def test_no_rebuild_refuses_with_the_command(copy, capsys):
    _truncate(copy.index_dir / "dense.faiss")
    before = hash_artefacts(copy.index_dir)
    rc = main(["index", "--no-rebuild", "--corpus", str(copy.corpus_dir), "--index", str(copy.index_dir)])
    err = capsys.readouterr().err
    assert rc == 4
    assert err.strip() == (f"piaqa: index at {copy.index_dir} cannot be used: index/dense.faiss: hash mismatch "
                           "(changed since the build). Not rebuilt (--no-rebuild); run `piaqa index --corpus "
                           f"{copy.corpus_dir} --index {copy.index_dir}` to rebuild it")
    assert hash_artefacts(copy.index_dir) == before  # nothing was touched


def test_no_rebuild_accepts_a_good_index(copy, capsys):
    rc = main(["index", "--no-rebuild", "--corpus", str(copy.corpus_dir), "--index", str(copy.index_dir)])
    assert rc == 0
    assert capsys.readouterr().out.startswith("index ok: 1 documents, 10 chunks, model e5-small-q4 (dim 384)")


def test_stale_tmp_folder_is_removed_by_the_next_build(copy, assistant, caplog):
    tmp = copy.index_dir.with_name("index.tmp")
    tmp.mkdir()
    (tmp / "chunks.jsonl").write_text("half a file", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="piaqa.search.index"):
        build_index(copy, assistant.embedder, assistant.tokenizer, progress=False)
    assert f"removing {tmp} left by an interrupted build" in caplog.text
    assert not tmp.exists()
    load_index(copy)


_CHILD = """
import os, sys, time
from pathlib import Path
from piaqa.config import Settings
from piaqa.search.embed import Embedder
from piaqa.search.index import build_index
from piaqa.search.tokenize import Tokenizer

real_replace = os.replace
def replace_then_wait(src, dst):  # hold the build between its two renames: the index folder is away
    real_replace(src, dst)
    if str(dst).endswith(".old"):
        print("swapping", flush=True)
        time.sleep(600)
os.replace = replace_then_wait
s = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), models_dir=Path(sys.argv[3]))
build_index(s, Embedder(s), Tokenizer(), progress=False)
"""


def test_kill_9_during_the_swap_leaves_the_old_index(copy, assistant):
    """A real build process killed with SIGKILL at its most fragile moment: the old index is loaded next."""
    before = load_index(copy)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_CHILD), str(copy.corpus_dir),
                              str(copy.index_dir), str(copy.models_dir)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        line = ""
        while time.monotonic() < deadline and child.poll() is None and "swapping" not in line:
            line = child.stdout.readline()
        assert "swapping" in line, "the build never reached the swap"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    old = copy.index_dir.with_name("index.old")
    assert child.returncode == -signal.SIGKILL
    assert not copy.index_dir.exists() and old.exists()  # killed between the renames
    after = load_index(copy)  # the old index is put back and verified
    assert after.chunks == before.chunks and after.manifest == before.manifest
    assert copy.index_dir.exists() and not old.exists()
