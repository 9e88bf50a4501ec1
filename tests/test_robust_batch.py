"""A question never crashes: odd input, failing questions in batches, interrupted and resumed runs."""
from __future__ import annotations

import json

import numpy as np
import pytest

from piaqa import cli
from piaqa.safeask import INTERNAL_ERROR, NO_WORDS, safe_ask
from piaqa.safetext import clean_question, has_words, json_line

ODD = ["？", "!!!", "🤖", "<>", "\ud800", "\udc00\ud800？", "\x00\x1b[31m", "\ufeff\u200b"]


def test_clean_question():
    assert clean_question("  倉敷市の\t委託先は？\n") == "倉敷市の 委託先は？"
    assert clean_question("\ud800倉敷市") == "倉敷市" == clean_question("倉敷\ufffd市")
    assert clean_question("\ud83e\udd16") == "🤖"  # a surrogate pair is joined, not replaced
    assert clean_question("\ufeff倉敷\u200b市\x00") == "倉敷市"
    assert clean_question(None) == "" and clean_question("\x00\x07 ") == ""
    assert not has_words("？！🤖<> \ufffd") and has_words("k") and has_words("一")
    assert json_line({"q": "\ud800"}).encode("utf-8") == '{"q": "\ufffd"}\n'.encode("utf-8")


def test_tokenizer_and_bm25_take_any_text(assistant, tokenizer):
    assert tokenizer("\ud800倉敷市") == tokenizer("\ufffd倉敷市")
    for q in ODD:
        scores = assistant.retriever.lexical(q)
        assert scores.shape == (len(assistant.index.chunks),) and scores.dtype == np.float32
    assert not assistant.retriever.lexical("？").any()
    assert assistant.retriever.lexical("委託先").max() > 0


@pytest.mark.parametrize("question", ["？", "!!!", "🤖", "<>"])
def test_symbol_questions_do_not_crash(assistant, question):
    ans = assistant.ask(question)  # the core answers (no exception) ...
    assert ans.text
    shell = safe_ask(assistant.ask, question)  # ... and the shells decline a question without words
    assert (shell.answerable, shell.text, shell.citations) == (False, NO_WORDS, ())


@pytest.mark.parametrize("question", ["\ud800", "\udc00\ud800？", "\x00\x1b", "\ufeff\u200b"])
def test_broken_text_questions_are_declined(assistant, question):
    ans = safe_ask(assistant.ask, question)
    assert not ans.answerable and ans.kind == "abstain"
    json_line(ans.to_json("x")).encode("utf-8")  # writable as UTF-8


def test_broken_text_around_a_real_question_is_ignored(assistant):
    question = "倉敷市の国民年金事務の委託先は？"
    want = assistant.ask(question).to_json("x")
    assert want["answerable"] and want["citations"]
    for noisy in (question + "\ud800", "\ufeff" + question + "\x00", "\udfff倉敷市の国民年金事務の\u200b委託先は？"):
        assert safe_ask(assistant.ask, noisy).to_json("x") == want


@pytest.mark.parametrize("query", ["", "？", "🤖", "\ud800"])
def test_search_never_raises(assistant, query):
    hits = assistant.search(clean_question(query), k=3)
    assert isinstance(hits, list) and len(hits) <= 3


def test_internal_error_is_a_short_answer(assistant, monkeypatch, caplog):
    def boom(question, **kw):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(assistant, "ask", boom)
    ans = safe_ask(assistant.ask, "倉敷市の委託先は？")
    assert (ans.answerable, ans.kind, ans.text) == (False, "error", INTERNAL_ERROR)
    assert "index on fire" in caplog.text and "Traceback" in caplog.text  # logged in full


# ---------------------------------------------------------------------------------------------- batch


QUESTIONS = [("a1", "倉敷市の国民年金事務の委託先は？"), ("a2", "金沢市の児童手当事務の委託先は？"),
             ("a3", "高知市の住民基本台帳ファイルの保管期間は？"), ("a4", "郡山市の開示請求の手数料は？"),
             ("a5", "横浜市の委託先は？")]


def _qfile(tmp_path, rows=QUESTIONS):
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps({"id": i, "question": q}, ensure_ascii=False) + "\n" for i, q in rows),
                    encoding="utf-8")
    return path


def _answers(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def asked(assistant, monkeypatch):
    """The CLI on the shared assistant; returns the list of questions asked (to check resume)."""
    calls: list[str] = []
    real = assistant.ask

    def ask(question, **kw):
        calls.append(question)
        return real(question, **kw)

    monkeypatch.setattr(assistant, "ask", ask)
    monkeypatch.setattr(cli, "_assistant", lambda args, rebuild=False: assistant)
    return calls


def _fail_on(assistant, monkeypatch, bad: set[str], exc: type[BaseException] = RuntimeError):
    wrapped = assistant.ask

    def ask(question, **kw):
        if question in bad:
            raise exc(f"cannot answer {question}")
        return wrapped(question, **kw)

    monkeypatch.setattr(assistant, "ask", ask)


def test_batch_failing_question_gets_an_error_row(tmp_path, assistant, asked, monkeypatch, capsys, caplog):
    _fail_on(assistant, monkeypatch, {QUESTIONS[2][1]})
    out = tmp_path / "answers.jsonl"
    assert cli.main(["batch", str(_qfile(tmp_path)), "--out", str(out)]) == 0
    rows = _answers(out)
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4", "a5"]
    bad = rows[2]
    assert bad == {"id": "a3", "question": QUESTIONS[2][1], "answer": "", "answerable": False, "cities": [],
                   "citations": [], "error": f"RuntimeError: cannot answer {QUESTIONS[2][1]}"}
    for row, (qid, question) in zip(rows, QUESTIONS):  # the others exactly as asked one by one
        if qid != "a3":
            assert row == assistant.ask(question).to_json(qid)
    assert rows[0]["answerable"] and not rows[4]["answerable"]
    err = capsys.readouterr().err
    assert "1 of 5 questions failed" in err and err.strip().endswith(": a3")
    assert "Traceback" in caplog.text and "question a3 failed" in caplog.text
    assert not (tmp_path / "answers.jsonl.partial").exists()


def test_batch_all_failing_exits_1(tmp_path, assistant, asked, monkeypatch, capsys):
    _fail_on(assistant, monkeypatch, {q for _, q in QUESTIONS})
    out = tmp_path / "answers.jsonl"
    assert cli.main(["batch", str(_qfile(tmp_path)), "--out", str(out)]) == 1
    assert [r["id"] for r in _answers(out) if "error" in r] == ["a1", "a2", "a3", "a4", "a5"]
    assert "5 of 5 questions failed" in capsys.readouterr().err


def test_interrupted_batch_resumes_with_the_missing_ids(tmp_path, assistant, asked, monkeypatch, capsys):
    out = tmp_path / "answers.jsonl"
    out.write_text("answers of an older run\n", encoding="utf-8")
    partial = tmp_path / "answers.jsonl.partial"
    qfile = _qfile(tmp_path)
    with monkeypatch.context() as m:
        _fail_on(assistant, m, {QUESTIONS[3][1]}, KeyboardInterrupt)
        assert cli.main(["batch", str(qfile), "--out", str(out)]) == 130
    assert "--resume" in capsys.readouterr().err
    assert [r["id"] for r in _answers(partial)] == ["a1", "a2", "a3"]  # flushed line by line
    assert out.read_text(encoding="utf-8") == "answers of an older run\n"  # untouched until complete
    with partial.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "a4", "question": "cut sho')  # a line cut short by the interruption
    asked.clear()
    assert cli.main(["batch", str(qfile), "--out", str(out), "--resume"]) == 0
    assert asked == [QUESTIONS[3][1], QUESTIONS[4][1]]
    rows = _answers(out)
    assert rows == [assistant.ask(q).to_json(i) for i, q in QUESTIONS] and not partial.exists()


def test_resume_retries_error_rows_and_keeps_question_order(tmp_path, assistant, asked, monkeypatch):
    out, qfile = tmp_path / "answers.jsonl", _qfile(tmp_path)
    with monkeypatch.context() as m:
        _fail_on(assistant, m, {QUESTIONS[0][1], QUESTIONS[2][1]})
        assert cli.main(["batch", str(qfile), "--out", str(out)]) == 0
    assert [r["id"] for r in _answers(out) if "error" in r] == ["a1", "a3"]
    asked.clear()
    assert cli.main(["batch", str(qfile), "--out", str(out), "--resume"]) == 0
    assert asked == [QUESTIONS[0][1], QUESTIONS[2][1]]
    assert _answers(out) == [assistant.ask(q).to_json(i) for i, q in QUESTIONS]


def test_batch_with_broken_text_writes_utf8(tmp_path, assistant, asked):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text('{"id": "s1", "question": "\\ud800"}\n{"id": "s2", "question": "\\u0000？"}\n'
                     '{"id": "s3", "question": "倉敷市の国民年金事務の委託先は？\\udfff"}\n', encoding="utf-8")
    out = tmp_path / "answers.jsonl"
    assert cli.main(["batch", str(qfile), "--out", str(out)]) == 0
    rows = _answers(out)  # strict UTF-8 read
    assert [r["answerable"] for r in rows] == [False, False, True] and not any("error" in r for r in rows)
    assert rows[0]["question"] == "" and rows[2] == assistant.ask("倉敷市の国民年金事務の委託先は？").to_json("s3")


def test_cli_ask_internal_error_is_one_line(assistant, asked, monkeypatch, capsys):
    _fail_on(assistant, monkeypatch, {"倉敷市の委託先は？"})
    assert cli.main(["ask", "倉敷市の委託先は？"]) == 1
    out = capsys.readouterr().out
    assert INTERNAL_ERROR in out and "Traceback" not in out and "cannot answer" not in out
