"""Command line and question files: formats, clear errors, nothing lost on bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from piaqa.questions import QuestionFileError, parse_questions

from tests.conftest import ROOT


def test_question_file_formats():
    assert [q.question for q in parse_questions("question,id\n倉敷市の委託先は？,a1\n,a2\n", "q.csv")] == \
        ["倉敷市の委託先は？"]
    assert parse_questions("# comment\n倉敷市の委託先は？\n\n千葉市は？\n", "q.txt")[1].id == "q0004"
    jl = parse_questions('{"id": "x", "question": "倉敷市の委託先は？"}\n', "q.jsonl")
    assert (jl[0].id, jl[0].question) == ("x", "倉敷市の委託先は？")


@pytest.mark.parametrize("text,name,message", [
    ('{"id": "x", "question": "ok"}\n{bad json\n', "q.jsonl", "q.jsonl:2: invalid JSON"),
    ('{"id": "x"}\n', "q.jsonl", 'needs a "question" field'),
    ("text\nhello\n", "q.csv", "needs a 'question' column"),
    ('{"id": "x", "question": "a"}\n{"id": "x", "question": "b"}\n', "q.jsonl", "duplicate ids"),
    ("\n\n", "q.txt", "no questions"),
])
def test_bad_question_files_say_what_is_wrong(text, name, message):
    with pytest.raises(QuestionFileError, match=message):
        parse_questions(text, name)


def _piaqa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "piaqa", *args], cwd=ROOT, capture_output=True, text=True)


def test_batch_bad_file_exits_2_and_keeps_existing_answers(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "1", "question": "ok"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "answers.jsonl"
    out.write_text("previous answers\n", encoding="utf-8")
    res = _piaqa("batch", str(bad), "--out", str(out))
    assert res.returncode == 2 and "q.jsonl:2: invalid JSON" in res.stderr
    assert out.read_text(encoding="utf-8") == "previous answers\n"


def test_ask_json_and_fields_csv():
    res = _piaqa("ask", "倉敷市の国民年金事務の委託先は？", "--json")
    assert res.returncode == 0, res.stderr
    ans = json.loads(res.stdout)
    assert ans["answerable"] and "富士通Japan株式会社岡山支社" in ans["answer"]
    assert ans["citations"][0]["line_start"] == 91
    res = _piaqa("fields", "--city", "Kurashiki", "--label", "委託先名", "--csv")
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("doc,city,section") and len(lines) == 2 and "富士通Japan株式会社岡山支社" in lines[1]
    assert _piaqa("fields", "--city", "Nagoya").returncode == 2


def test_ask_symbols_only_is_declined_not_a_crash():
    res = _piaqa("ask", "？！🤖", "--json")
    assert res.returncode == 0, res.stderr
    ans = json.loads(res.stdout)
    assert not ans["answerable"] and ans["citations"] == [] and "Traceback" not in res.stderr


def test_batch_help_documents_resume_and_exit_codes():
    res = _piaqa("batch", "--help")
    assert "--resume" in res.stdout and ".partial" in res.stdout
