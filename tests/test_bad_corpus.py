"""Bad corpus files one at a time: each is skipped with one line saying what and why, the good ones are read."""
from __future__ import annotations

import codecs
import logging
import os
import shutil
from pathlib import Path

import pytest

from piaqa.config import Settings
from piaqa.parse import ingest
from piaqa.parse.decode import decode
from piaqa.parse.ingest import CorpusError, fingerprint, load_corpus, read_lines, scan_corpus

from tests.conftest import CORPUS

GOOD = "000_2b92446a3e503446.txt"  # 倉敷市 国民年金, the smallest real assessment (63 chunks)
PDF_TEXT = "003_36f852d2897e428a.txt"  # 千葉市: its text happens to be encodable in CP932 and EUC-JP as it is
NEWS = ("倉敷市は2日、マイナンバー制度の運用状況を公表した。\n"
        "市の担当者は「個人情報の保護に引き続き取り組む」と話している。\n")


def _corpus(root: Path, files: dict[str, bytes], good: tuple[str, ...] = (GOOD,)) -> Path:
    """A corpus folder with copies of real assessments plus the given files."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name in good:
        shutil.copy(CORPUS / name, corpus)
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return corpus


def _only_skip(corpus: Path, settings: Settings | None = None):  # type: ignore[no-untyped-def]
    """The one Skipped of a scan whose good file is GOOD."""
    load = scan_corpus(corpus, settings or Settings())
    assert [d.meta.doc for d in load.docs] == [GOOD]
    assert len(load.skipped) == 1
    return load.skipped[0]


# name, bytes, kind, the exact line shown for it
CASES = [
    ("empty.txt", b"", ingest.EMPTY,
     "empty.txt: empty file (0 bytes) — skipped; copy the assessment's text into it or remove it"),
    ("blank.txt", b"\n  \n\t\r\n", ingest.EMPTY,
     "blank.txt: empty file (only blank lines) — skipped; copy the assessment's text into it or remove it"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ingest.BINARY,
     "image.txt: binary data (NUL byte at offset 8), not text — skipped; save the assessment as a text file "
     "(UTF-8 .txt), or remove it"),
    ("controls.txt", bytes(range(1, 9)) * 20 + "評価書".encode() * 10, ingest.BINARY,
     "controls.txt: binary data (160 control bytes in 250), not text — skipped; save the assessment as a text "
     "file (UTF-8 .txt), or remove it"),
    ("mixed.txt", "評価書 ".encode() + b"\x81 x", ingest.ENCODING,
     "mixed.txt: not UTF-8, CP932/Shift_JIS or EUC-JP text (UTF-8: invalid byte 0x81 at offset 10; "
     "CP932/Shift_JIS: invalid byte 0x81 at offset 10) — skipped; re-save it as UTF-8"),
    ("news.txt", NEWS.encode(), ingest.NOT_ASSESSMENT,
     "news.txt: not a 特定個人情報保護評価書 (no cover naming 評価実施機関, 評価書名 and 種別) — skipped; "
     "remove it from the corpus folder"),
]


@pytest.mark.parametrize("name,data,kind,line", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_skipped_with_one_line(tmp_path, name, data, kind, line):
    skipped = _only_skip(_corpus(tmp_path, {name: data}))
    assert (skipped.file, skipped.kind, skipped.line) == (name, kind, line)


def test_cover_without_the_form_is_not_an_assessment(tmp_path):
    """A real cover (so the metadata parses) followed by a news article: no structure of the form."""
    cover = (CORPUS / GOOD).read_text(encoding="utf-8").split("\n")[:31]
    skipped = _only_skip(_corpus(tmp_path, {"cover.txt": ("\n".join(cover) + "\n" + NEWS).encode()}))
    assert skipped.kind == ingest.NOT_ASSESSMENT
    assert skipped.line == ("cover.txt: not a 特定個人情報保護評価書 (only 0 of the form's headings such as "
                            "'I 基本情報' found, at least 3 needed) — skipped; remove it from the corpus folder")


def test_bom_copy_is_a_duplicate_naming_the_kept_file(tmp_path):
    data = codecs.BOM_UTF8 + (CORPUS / GOOD).read_bytes()
    skipped = _only_skip(_corpus(tmp_path, {"900_copy.txt": data}))
    assert skipped.kind == ingest.DUPLICATE
    assert skipped.line == ("900_copy.txt: duplicate of 000_2b92446a3e503446.txt (倉敷市 国民年金に関する事務, same "
                            "text after normalisation) — skipped; remove one of the two copies")


def test_same_city_and_jimu_with_other_text_is_kept(tmp_path):
    """Not a duplicate: a revised assessment of the same 事務 differs in content."""
    lines = (CORPUS / GOOD).read_text(encoding="utf-8").split("\n")
    lines[5] += "（改訂）"
    load = scan_corpus(_corpus(tmp_path, {"900_revised.txt": "\n".join(lines).encode()}), Settings())
    assert [d.meta.doc for d in load.docs] == [GOOD, "900_revised.txt"] and not load.skipped


@pytest.mark.parametrize("codec", ["cp932", "euc_jis_2004", "utf-8-sig", "utf-16"])
def test_other_encodings_read_with_the_same_lines(tmp_path, codec):
    original = read_lines(CORPUS / PDF_TEXT)
    data = (CORPUS / PDF_TEXT).read_text(encoding="utf-8").encode(codec)
    load = scan_corpus(_corpus(tmp_path, {"900_copy.txt": data}, good=()), Settings())
    assert not load.skipped
    (doc,) = load.docs
    assert doc.lines == original  # line N is still line N: citations stay right
    assert (doc.meta.city, doc.meta.jimu) == ("千葉市", "国民年金に関する事務")
    ref = load_corpus(CORPUS)[3]
    assert [(s.path, s.line_start, s.line_end) for s in doc.sections] == \
        [(s.path, s.line_start, s.line_end) for s in ref.sections]


def test_cp932_file_with_unencodable_characters_replaced(tmp_path):
    """000 has a no-break space and dashes CP932 lacks; a Windows save turns them into '?'."""
    data = (CORPUS / GOOD).read_text(encoding="utf-8").encode("cp932", errors="replace")
    load = scan_corpus(_corpus(tmp_path, {"900_sjis.txt": data}, good=()), Settings())
    (doc,) = load.docs
    assert decode(data).encoding == "cp932"
    assert (doc.meta.city, len(doc.lines)) == ("倉敷市", len(read_lines(CORPUS / GOOD)))


def test_euc_jp_is_tried_before_cp932():
    """Short EUC-JP text is also valid CP932 (as half-width katakana): the order decides, not luck."""
    data = "倉敷市 住民票 あいうえお".encode("euc_jp")
    assert data.decode("cp932") == "ﾁﾒﾉﾟｻﾔ ｽｻﾌｱﾉｼ ､｢､､､ｦ､ｨ､ｪ"  # strict CP932 accepts it
    assert decode(data).text == "倉敷市 住民票 あいうえお" and decode(data).encoding == "euc_jp"
    assert decode("倉敷市①".encode("cp932")).encoding == "cp932"  # 0x81-0x9F lead bytes: not EUC-JP


def test_file_over_the_size_limit(tmp_path):
    corpus = _corpus(tmp_path, {}, good=(GOOD, "004_57af33314b6a26f0.txt"))
    skipped = _only_skip(corpus, Settings(max_file_bytes=70_000))
    assert skipped.kind == ingest.TOO_LARGE
    assert skipped.line == ("004_57af33314b6a26f0.txt: 84,823 bytes is over the limit of 70,000 bytes — skipped; "
                            "raise PIAQA_MAX_FILE_BYTES if it really is one assessment, otherwise remove it")


def test_file_over_the_chunk_limit(tmp_path):
    corpus = _corpus(tmp_path, {}, good=(GOOD, "004_57af33314b6a26f0.txt"))  # 63 and 80 chunks
    skipped = _only_skip(corpus, Settings(max_chunks_per_file=70))
    assert skipped.kind == ingest.TOO_MANY_CHUNKS
    assert skipped.line == ("004_57af33314b6a26f0.txt: 80 chunks is over the limit of 70 per file — skipped; "
                            "raise PIAQA_MAX_CHUNKS_PER_FILE if it really is one assessment, otherwise remove it")


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PIAQA_MAX_FILE_BYTES", "1234")
    monkeypatch.setenv("PIAQA_MAX_CHUNKS_PER_FILE", "56")
    s = Settings.from_env()
    assert (s.max_file_bytes, s.max_chunks_per_file) == (1234, 56)
    assert (Settings().max_file_bytes, Settings().max_chunks_per_file) == (10 * 1024 * 1024, 2000)
    with pytest.raises(ValueError, match="max_chunks_per_file must be >= 1 .*PIAQA_MAX_CHUNKS_PER_FILE"):
        Settings(max_chunks_per_file=0)


def test_unreadable_file_is_skipped_without_traceback(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, {"locked.txt": NEWS.encode()})
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # a dangling link
    (corpus / "folder.txt").symlink_to(tmp_path)  # a link to a folder
    real_open = open

    def deny(path, *args, **kwargs):  # root reads any file, so permission is refused here
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(ingest, "open", deny, raising=False)
    load = scan_corpus(corpus, Settings())
    assert [d.meta.doc for d in load.docs] == [GOOD]
    assert [s.line for s in load.skipped] == [
        "folder.txt: is not a regular file — skipped; replace it with the text file itself",
        "gone.txt: cannot be read (No such file or directory) — skipped; make it readable by this user "
        "(chmod a+r) or remove it",
        "locked.txt: cannot be read (Permission denied) — skipped; make it readable by this user (chmod a+r) "
        "or remove it"]
    assert load.fingerprint["locked.txt"] == load.fingerprint["gone.txt"] == ingest.UNREADABLE


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_permission_denied_for_real(tmp_path):
    corpus = _corpus(tmp_path, {"locked.txt": NEWS.encode()})
    (corpus / "locked.txt").chmod(0)
    assert _only_skip(corpus).problem == "cannot be read (Permission denied)"


def test_unsupported_types_are_listed_as_ignored(tmp_path):
    corpus = _corpus(tmp_path, {"b.xlsx": b"PK", "a.docx": b"PK", "notes.md": b"# x", ".DS_Store": b"\0"})
    load = scan_corpus(corpus, Settings())
    assert [d.meta.doc for d in load.docs] == [GOOD] and not load.skipped
    assert load.ignored == ("a.docx", "b.xlsx", "notes.md")
    assert load.ignored_line == ("ignored 3 file(s) of unsupported type: a.docx, b.xlsx, notes.md (only .txt/.pdf "
                                 "is read; save the assessment as PDF or its text as .txt)")


def test_load_corpus_logs_one_line_per_bad_file(tmp_path, caplog):
    corpus = _corpus(tmp_path, {"empty.txt": b"", "news.txt": NEWS.encode(), "x.docx": b"PK"})
    with caplog.at_level(logging.WARNING, logger="piaqa.parse.ingest"):
        docs = load_corpus(corpus)  # the call the Assistant makes
    assert [d.meta.doc for d in docs] == [GOOD]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [w.split(":")[0] for w in warnings] == ["empty.txt", "news.txt", "ignored 1 file(s) of unsupported type"]


def test_nothing_usable_says_so(tmp_path):
    corpus = _corpus(tmp_path, {"empty.txt": b"", "news.txt": NEWS.encode()}, good=())
    with pytest.raises(CorpusError, match=r"no usable assessment in .*: all 2 file\(s\) were skipped"):
        load_corpus(corpus)
    (corpus / "empty.txt").unlink()
    (corpus / "news.txt").rename(corpus / "news.docx")
    with pytest.raises(CorpusError, match=r"no \.txt or \.pdf files in .* \(only news\.docx\)"):
        load_corpus(corpus)


def test_fingerprint_matches_the_scan(tmp_path):
    """The index manifest's fingerprint (cheap, at every start) and the build's scan agree on every file."""
    corpus = _corpus(tmp_path, {"empty.txt": b"", "big.txt": b"x" * 5000, "a.pdf": b"%PDF", "b.docx": b"PK"})
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    settings = Settings(max_file_bytes=100_000)
    load = scan_corpus(corpus, settings)
    assert fingerprint(corpus, 100_000) == load.fingerprint
    assert set(load.fingerprint) == {GOOD, "empty.txt", "big.txt", "gone.txt", "a.pdf"}  # a .pdf is read too
    assert fingerprint(corpus, 4000)["big.txt"] == ingest.TOO_LARGE


def test_piaqa_index_skips_bad_files_exits_3_and_does_not_rebuild_next_time(tmp_path, assistant, monkeypatch,
                                                                           capsys, caplog):
    """One line per bad file, the good one indexed, exit 3; a second start agrees and reuses the index."""
    from piaqa.cli import main
    from piaqa.search.index import open_index

    corpus = _corpus(tmp_path, {"empty.txt": b"", "news.txt": NEWS.encode(), "scan.docx": b"PK"}, good=())
    lines = (CORPUS / GOOD).read_text(encoding="utf-8").split("\n")[:60]  # a short real assessment: fast to embed
    (corpus / "000_short.txt").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr("piaqa.search.embed.Embedder", lambda settings: assistant.embedder)  # real model, loaded once
    argv = ["index", "--corpus", str(corpus), "--index", str(tmp_path / "index")]
    with caplog.at_level(logging.WARNING):
        rc = main(argv)
    out = capsys.readouterr().out.splitlines()
    assert rc == 3
    assert out[0].startswith("index ok: 1 documents, 10 chunks, model e5-small-q4 (dim 384), built ")
    assert out[1] == "2 file(s) skipped, 1 ignored (reasons above): empty.txt, news.txt, scan.docx"
    warned = [r.getMessage() for r in caplog.records if r.name == "piaqa.parse.ingest"]
    assert warned == [
        "empty.txt: empty file (0 bytes) — skipped; copy the assessment's text into it or remove it",
        "news.txt: not a 特定個人情報保護評価書 (no cover naming 評価実施機関, 評価書名 and 種別) — skipped; "
        "remove it from the corpus folder",
        "ignored 1 file(s) of unsupported type: scan.docx (only .txt/.pdf is read; save the assessment as PDF or "
        "its text as .txt)"]
    manifest = (tmp_path / "index" / "manifest.json").read_text(encoding="utf-8")
    assert '"documents": [\n  "000_short.txt"\n ]' in manifest

    caplog.clear()  # a second start (CLI, then the Assistant's own call pattern) reuses the index
    with caplog.at_level(logging.INFO):
        assert main(argv) == 3
        settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", models_dir=assistant.settings.models_dir)
        docs = load_corpus(settings.corpus_dir)
        index = open_index(settings, assistant.embedder, assistant.tokenizer, progress=False)
    assert "rebuilding" not in caplog.text and "index built" not in caplog.text
    assert (tmp_path / "index" / "manifest.json").read_text(encoding="utf-8") == manifest
    assert [d.meta.doc for d in docs] == index.manifest["documents"] == ["000_short.txt"]
    assert {c.doc for c in index.chunks} == {"000_short.txt"}

    for name in ("empty.txt", "news.txt"):
        (corpus / name).unlink()
    assert main([*argv, "--no-rebuild"]) == 4  # the corpus changed: refused, with the reason
    assert "corpus changed since the index was built (2 file entries differ: empty.txt removed, news.txt removed)" \
        in capsys.readouterr().err
    for name in ("000_short.txt", "scan.docx"):
        (corpus / name).unlink()
    (corpus / "news.txt").write_text(NEWS, encoding="utf-8")
    assert main(argv) == 2  # nothing usable
    assert capsys.readouterr().err.startswith(f"piaqa: no usable assessment in {corpus}: all 1 file(s) were "
                                              "skipped (see the lines above); fix or replace them")
