"""UI downloads are per session and per request; UI handlers never show a traceback."""
from __future__ import annotations

import csv
import io
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from piaqa.safeask import INTERNAL_ERROR
from piaqa.ui.exports import SessionExports, export_name, session_key
from piaqa.ui.render import esc
from piaqa.ui.table import HEADERS

from tests.conftest import launch_app
from tests.test_ui import _text

# twenty across-cities questions: each answer is a table (one row per city) with its own values
AGGREGATES = [
    "国民・住民等からの意見の聴取（パブリックコメント）を実施した市はどこですか。",
    "「サービス検索・電子申請機能」を評価対象事務で使用するシステムとして記載している市はどこですか。",
    "特定個人情報の開示請求の手数料について「無料」が選択されている市はどこですか。",
    "特定個人情報の入手元として「日本年金機構」を挙げている市はどこですか。",
    "特定個人情報ファイルの使用者数が「100人以上500人未満」とされているファイルがある市はどこですか。",
    "住民票の写し等のコンビニ交付用の特定個人情報ファイルを扱っている市はどこですか。",
    "特定個人情報ファイルを2つ以上扱っている評価書はどの市のものですか。",
    "特定個人情報ファイルの保有開始日が平成27年中であるファイルがある市はどこですか。",
    "特定個人情報ファイルの取扱いの委託で「再委託する」としている委託事項がある市はどこですか。",
    "リスク対策で「リスクへの対策は十分か」に「課題が残されている」を選んでいる項目がある市はどこですか。",
    "情報提供ネットワークシステムによる情報連携を「実施する」としている市はどこですか。",
    "評価対象事務の対象人数として「10万人以上30万人未満」を選択している市はどこですか。",
    "記録される項目が「50項目以上100項目未満」とされている特定個人情報ファイルがある市はどこですか。",
    "評価書について第三者点検を実施した市はどこですか。",
    "死者の個人番号を「保管している」とされている特定個人情報ファイルがある市はどこですか。",
    "ガバメントクラウドにおける措置を記載している市はどこですか。",
    "記録される項目の区分が「100項目以上」とされている特定個人情報ファイルを持つ市はどこですか。",
    "特定個人情報ファイルの使用者数が「10人未満」とされているファイルがある市はどこですか。",
    "特定個人情報ファイルの保管期間として「定められていない」が選択されているファイルがある市はどこですか。",
    "重点項目評価書として作成されている評価書はどの市のものですか。",
]


def _csv_rows(path: str | Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def expected_tables(assistant):
    """Each question's table as the downloads hold it, computed directly (the reference for the downloads)."""
    from piaqa.ui import table as T

    doc_of = {(d.meta.city, d.meta.jimu): d.meta.doc for d in assistant.docs.values()}
    tables = {q: [T.row_cells(r) for r in T.city_rows(assistant.ask(q), doc_of)] for q in AGGREGATES}
    assert all(len(t) == 5 for t in tables.values())
    assert len({json.dumps(t, ensure_ascii=False) for t in tables.values()}) == len(AGGREGATES)  # all differ
    return tables


# ------------------------------------------------------------------------------------- SessionExports


def test_session_folders_and_names(tmp_path):
    ex = SessionExports(tmp_path)
    a = ex.write("sessA", "search", "倉敷市 委託先/../x", ".csv", "a")
    a2 = ex.write("sessA", "search", "倉敷市 委託先/../x", ".csv", "a2")
    b = ex.write("sessB", "search", "倉敷市 委託先/../x", ".csv", "b")
    assert len({a, a2, b}) == 3 and Path(a).parent == Path(a2).parent != Path(b).parent
    assert Path(a).name.startswith("piaqa-search-倉敷市_委託先_x-") and Path(a).suffix == ".csv"
    assert [Path(p).read_text(encoding="utf-8") for p in (a, a2, b)] == ["a", "a2", "b"]
    assert not [p for p in Path(a).parent.iterdir() if p.name.endswith(".tmp")]  # nothing half-written left
    # a session id is client input: it never becomes a path of its own
    for evil in ("../../etc", "a/b", "x" * 100, "..", ""):
        key = session_key(evil)
        assert "/" not in key and ".." not in key and len(key) <= 70
        assert ex.folder(evil).parent == tmp_path
    assert session_key(None) != session_key(None)  # no session: a fresh folder each time
    assert export_name("rows", "???", ".csv").startswith("piaqa-rows-all-")
    ex.drop("sessA")
    assert not Path(a).exists() and Path(b).exists()
    ex.close()
    assert not Path(b).exists() and tmp_path.exists()


def test_idle_session_folders_are_swept(tmp_path):
    ex = SessionExports(tmp_path, ttl_seconds=60)
    old = Path(ex.write("old", "search", "q", ".csv", "x"))
    past = time.time() - 120
    os.utime(old, (past, past))
    os.utime(old.parent, (past, past))
    fresh = Path(ex.write("new", "search", "q", ".csv", "y"))  # a new session sweeps idle ones
    assert not old.exists() and fresh.exists()


# ------------------------------------------------------------------------------- handlers, called directly


def test_handlers_give_each_session_its_own_files(assistant, tmp_path, expected_tables):
    from piaqa.ui.app import UI

    ui = UI(assistant, tmp_path)

    def one(i: int) -> tuple[str, str]:
        q = AGGREGATES[i]
        out = ui.chat.ask(q, [], [], [], [], False, request=SimpleNamespace(session_hash=f"sess{i:02d}"))
        return q, out[-2]["value"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(len(AGGREGATES))))
    paths = [p for _, p in results]
    assert len(set(paths)) == len(AGGREGATES)
    for i, (q, path) in enumerate(results):
        assert Path(path).parent == tmp_path / f"s-sess{i:02d}"
        assert _csv_rows(path) == [HEADERS, *expected_tables[q]]
    ui.end_session(SimpleNamespace(session_hash="sess03"))  # the tab closed
    assert not (tmp_path / "s-sess03").exists() and Path(paths[4]).exists()


def test_chat_internal_error_is_a_message_not_a_traceback(assistant, tmp_path, monkeypatch, caplog):
    from piaqa.ui.app import UI

    def boom(question, **kw):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(assistant, "ask", boom)
    chat, turns, shown, *_ = UI(assistant, tmp_path).chat.ask("倉敷市の委託先は？", [], [], [], [], False)
    assert INTERNAL_ERROR in _text(chat[-1]) and "index on fire" not in _text(chat[-1])
    assert turns == [] and not shown[0].answer.answerable and "index on fire" in caplog.text


def test_ui_batch_writes_error_rows(assistant, tmp_path, monkeypatch):
    from piaqa.ui.app import UI

    real = assistant.ask

    def ask(question, **kw):
        if question.startswith("金沢市"):
            raise ValueError("bad")
        return real(question, **kw)

    monkeypatch.setattr(assistant, "ask", ask)
    qfile = tmp_path / "qs.txt"
    qfile.write_text("倉敷市の国民年金事務の委託先は？\n金沢市の児童手当事務の委託先は？\n？\n", encoding="utf-8")
    ui = UI(assistant, tmp_path / "exports")
    *_, (table, out, csv_out, status, _) = ui.batch.run(str(qfile), request=SimpleNamespace(session_hash="b1"))
    rows = [json.loads(x) for x in Path(out).read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q0001", "q0002", "q0003"]
    assert rows[0] == real("倉敷市の国民年金事務の委託先は？").to_json("q0001")
    assert rows[1]["error"] == "ValueError: bad" and not rows[1]["answerable"] and rows[1]["answer"] == ""
    assert not rows[2]["answerable"] and "error" not in rows[2]
    assert "Answered 3 questions" in status and "1 failed" in status and "q0002" in status
    assert Path(out).parent == tmp_path / "exports" / "s-b1" and Path(out).name.startswith("piaqa-answers-qs-")
    assert [r[0] for r in table] == ["q0001", "q0002", "q0003"] and table[1][6] == "ValueError: bad"
    # the answers as JSONL and CSV, no .partial left
    assert sorted(p.name for p in Path(out).parent.iterdir()) == sorted([Path(out).name, Path(csv_out).name])


# ---------------------------------------------------------------------------------- through gradio_client


@pytest.fixture(scope="module")
def app(assistant, tmp_path_factory):
    export = tmp_path_factory.mktemp("session-exports")
    demo = launch_app(assistant, export)
    yield demo.local_url, export
    demo.close()


def test_twenty_sessions_get_their_own_csv(app, expected_tables):
    from gradio_client import Client

    url, export = app

    def one(question: str) -> tuple[str, dict, dict]:
        client = Client(url, verbose=False)
        *_, table, csv_file, _ = client.predict(question, [], [], [], False, api_name="/chat")
        return client.session_hash, table, csv_file

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = dict(zip(AGGREGATES, pool.map(one, AGGREGATES)))
    assert len({s for s, _, _ in results.values()}) == 20  # twenty distinct sessions
    names = set()
    for question, (session, table, csv_file) in results.items():
        rows = _csv_rows(csv_file["value"])
        assert rows[1:] == expected_tables[question], question
        assert all(f"<td>{esc(r[3])}</td>" in table for r in rows[1:])  # the page shows the full evidence too
        names.add(Path(csv_file["value"]).name)
        own = list((export / f"s-{session}").glob("piaqa-table-*.csv"))
        assert len(own) == 1 and _csv_rows(own[0])[1:] == expected_tables[question]
    assert len(names) == 20


def test_client_odd_input_and_internal_error(app, assistant, monkeypatch):
    from gradio_client import Client

    client = Client(app[0], verbose=False)
    for q in ("？", "🤖", "<>"):
        chat, *_ = client.predict(q, [], [], [], False, api_name="/chat")
        assert "⚠️" in _text(chat[-1])
    rows, *_ = client.predict("？", 5, [], api_name="/passages")
    assert isinstance(rows["data"], list)

    def boom(question, **kw):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(assistant, "ask", boom)
    chat, *_ = client.predict("倉敷市の委託先は？", [], [], [], False, api_name="/chat")
    assert INTERNAL_ERROR in _text(chat[-1]) and "fire" not in _text(chat[-1])


def test_closing_the_page_deletes_the_session_files(app):
    import httpx
    from gradio_client import Client

    url, export = app
    client = Client(url, verbose=False)
    *_, csv_file, _ = client.predict(AGGREGATES[0], [], [], [], False, api_name="/chat")
    folder = export / f"s-{client.session_hash}"
    assert [p.name for p in folder.iterdir()] and csv_file["value"]
    # a browser tab holds this heartbeat open; dropping it is what closing the tab does
    with httpx.stream("GET", f"{url}gradio_api/heartbeat/{client.session_hash}", timeout=10) as r:
        next(r.iter_lines())
    deadline = time.time() + 20
    while folder.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert not folder.exists()
