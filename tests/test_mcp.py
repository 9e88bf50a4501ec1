"""Agent access (issue 9, item 8): the real app started as `python app.py` on a free loopback port, driven by
the official MCP Python SDK client over streamable HTTP; citations checked line by line against the corpus."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, ROOT

TOOLS = {"ask", "search", "get_section", "list_documents"}
KURASHIKI = "000_2b92446a3e503446.txt"
STARTUP_DEADLINE = 300  # seconds: model, index and field extraction load in ~40 s on two busy cores


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _corpus_lines(doc: str) -> list[str]:
    """A corpus file's lines as citations count them (split on \\n)."""
    return (CORPUS / doc).read_text(encoding="utf-8").split("\n")


def _check_citation(c: dict[str, Any]) -> None:
    """A citation's text is exactly its lines of the corpus file."""
    lines = _corpus_lines(c["doc"])
    assert 1 <= c["line_start"] <= c["line_end"] <= len(lines), c
    assert c["text"] == "\n".join(lines[c["line_start"] - 1:c["line_end"]]), c


@pytest.fixture(scope="module")
def mcp_url(tmp_path_factory):
    """`python app.py` on a free loopback port (started once for the module, ended by its pid)."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("app") / "app.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "PIAQA_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(proc, port, log_path)
        yield f"http://127.0.0.1:{port}/gradio_api/mcp/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_serving(proc: subprocess.Popen, port: int, log_path: Path) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_DEADLINE
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"app.py exited with {proc.returncode}:\n{log_path.read_text(encoding='utf-8')[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"app.py did not serve within {STARTUP_DEADLINE} s:\n{log_path.read_text(encoding='utf-8')[-3000:]}")


def _run(url: str, work: Any) -> Any:
    """Run `work(session)` in a fresh MCP client session (streamable HTTP)."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main() -> Any:
        async with streamable_http_client(url) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await work(session)

    return asyncio.run(main())


def _call(url: str, tool: str, args: dict[str, Any]) -> Any:
    return _run(url, lambda s: s.call_tool(tool, args))


def _json(url: str, tool: str, args: dict[str, Any]) -> Any:
    res = _call(url, tool, args)
    assert not res.isError and len(res.content) == 1, res
    return json.loads(res.content[0].text)


def _error(url: str, tool: str, args: dict[str, Any]) -> str:
    res = _call(url, tool, args)
    assert res.isError and len(res.content) == 1, res
    text = res.content[0].text
    assert "Traceback" not in text
    return text


def test_exactly_the_four_documented_tools(mcp_url):
    tools = {t.name: t for t in _run(mcp_url, lambda s: s.list_tools()).tools}
    assert set(tools) == TOOLS  # the page's own events (chat, section, passages, fields, batch) are not tools
    required = {name: t.inputSchema.get("required", []) for name, t in tools.items()}
    assert required == {"ask": ["question"], "search": ["query"], "get_section": ["doc", "line"], "list_documents": []}
    assert set(tools["ask"].inputSchema["properties"]) == {"question", "cities"}
    assert set(tools["search"].inputSchema["properties"]) == {"query", "k", "cities"}
    assert tools["get_section"].inputSchema["properties"]["line"]["type"] == "integer"
    for t in tools.values():
        assert "Returns: JSON text" in t.description
    from piaqa.catalog import MAX_SECTION_LINES, SECTION_WINDOW
    from piaqa.ui.mcp_tools import MAX_K

    assert f"over {MAX_SECTION_LINES} lines comes as the {SECTION_WINDOW} lines" in tools["get_section"].description
    assert f"1 to {MAX_K}" in tools["search"].inputSchema["properties"]["k"]["description"]
    assert "only these cities' assessments" in tools["ask"].inputSchema["properties"]["cities"]["description"]


def test_http_api_documents_only_the_tools(mcp_url):
    import httpx

    info = httpx.get(mcp_url.replace("/mcp/", "/info"), timeout=30).json()
    assert set(info["named_endpoints"]) == {f"/{t}" for t in TOOLS} and not info["unnamed_endpoints"]


def test_list_documents(mcp_url):
    docs = _json(mcp_url, "list_documents", {})["documents"]
    assert [(d["doc"], d["city"], d["jimu"], d["kind"]) for d in docs] == [
        ("000_2b92446a3e503446.txt", "倉敷市", "国民年金に関する事務", "重点項目評価書"),
        ("001_fd6f090b79f37056.txt", "郡山市", "地方税等の徴収及び滞納整理事務", "全項目評価書"),
        ("002_8198ed8bac5210ca.txt", "高知市", "住民票に関する事務", "全項目評価書"),
        ("003_36f852d2897e428a.txt", "千葉市", "国民年金に関する事務", "全項目評価書"),
        ("004_57af33314b6a26f0.txt", "金沢市", "児童手当に関する事務", "重点項目評価書")]
    assert [d["lines"] for d in docs] == [len(_corpus_lines(d["doc"])) for d in docs] == [366, 1191, 1063, 5499, 446]
    assert (docs[0]["number"], docs[0]["published"], docs[2]["published"]) == ("11", "令和5年3月31日", None)


def test_ask_cites_the_exact_line(mcp_url):
    ans = _json(mcp_url, "ask", {"question": "倉敷市の国民年金事務の委託先は？"})
    assert ans["answerable"] and "富士通Japan株式会社岡山支社" in ans["answer"] and ans["cities"] == ["倉敷市"]
    first = ans["citations"][0]
    assert (first["doc"], first["city"], first["jimu"], first["line_start"], first["line_end"]) == \
        (KURASHIKI, "倉敷市", "国民年金に関する事務", 91, 91)
    assert first["section"] == "II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託"
    assert first["text"] == "③委託先名\t富士通Japan株式会社岡山支社\t" == _corpus_lines(KURASHIKI)[90]
    for c in ans["citations"]:
        _check_citation(c)


def test_ask_within_cities_and_across_cities(mcp_url):
    ans = _json(mcp_url, "ask", {"question": "委託先は？", "cities": ["Kanazawa"]})
    assert "富士通Japan株式会社" in ans["answer"] and ans["cities"] == ["金沢市"]
    assert {c["doc"] for c in ans["citations"]} == {"004_57af33314b6a26f0.txt"}
    for c in ans["citations"]:
        _check_citation(c)
    agg = _json(mcp_url, "ask", {"question": "which cities re-delegate (再委託) system maintenance?"})
    assert {r["city"] for r in agg["rows"] if r["satisfied"]} == {"郡山市", "高知市", "千葉市", "金沢市"}
    assert [r["city"] for r in agg["rows"] if not r["satisfied"]] == ["倉敷市"]
    for r in agg["rows"]:
        if r["citation"] is not None:
            cited = agg["citations"][r["citation"]]
            assert cited["city"] == r["city"]
            _check_citation(cited)


def test_search_within_a_city(mcp_url):
    res = _json(mcp_url, "search", {"query": "再委託事項", "k": 5, "cities": ["高知市"]})
    assert res["query"] == "再委託事項" and [r["rank"] for r in res["results"]] == [1, 2, 3, 4, 5]
    assert {(r["doc"], r["city"]) for r in res["results"]} == {("002_8198ed8bac5210ca.txt", "高知市")}
    assert all(a["score"] >= b["score"] for a, b in zip(res["results"], res["results"][1:]))
    assert any("⑨再委託事項" in r["text"] for r in res["results"])
    for r in res["results"]:
        _check_citation(r)
    assert len(_json(mcp_url, "search", {"query": "保管期間"})["results"]) == 5  # k defaults to PIAQA_TOP_K


def test_get_section(mcp_url):
    sec = _json(mcp_url, "get_section", {"doc": KURASHIKI, "line": 91})
    c = sec["citation"]
    assert sec["line"] == 91 and (c["line_start"], c["line_end"]) == (86, 95)
    assert c["section"] == "II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託"
    assert c["text"].split("\n")[0] == "4. 特定個人情報ファイルの取扱いの委託\t\t"
    _check_citation(c)
    # 千葉市's change log runs 3,209 lines (2291-5499): a window of 60 lines either side
    long = _json(mcp_url, "get_section", {"doc": "003_36f852d2897e428a", "line": 3000})["citation"]
    assert (long["section"], long["line_start"], long["line_end"]) == ("(別添3) 変更箇所", 2940, 3060)
    _check_citation(long)


@pytest.mark.parametrize("tool,args,message", [
    ("ask", {"question": "委託先は？", "cities": ["横浜市"]},
     "unknown city '横浜市'; the corpus covers 倉敷市、郡山市、高知市、千葉市、金沢市 (Japanese or romanised names, "
     "e.g. 倉敷市, 倉敷 or Kurashiki)"),
    ("ask", {"question": "  "}, "question must be a non-empty text, e.g. 倉敷市の国民年金事務の委託先は？"),
    ("search", {"query": "再委託", "k": 31}, "k must be a whole number from 1 to 30 (got 31)"),
    ("search", {"query": "再委託", "cities": ["Osaka"]}, "unknown city 'Osaka'; the corpus covers"),
    ("search", {"query": "再委託", "cities": "Osaka"}, "Input validation error: 'Osaka' is not valid"),  # the schema
    ("get_section", {"doc": KURASHIKI, "line": 367}, "line must be a whole number from 1 to 366 (got 367)"),
    ("get_section", {"doc": KURASHIKI, "line": 0}, "line must be a whole number from 1 to 366 (got 0)"),
    ("get_section", {"doc": "../etc/passwd", "line": 1},
     "unknown document '../etc/passwd'; use one of the corpus file names: 000_2b92446a3e503446.txt (倉敷市 "
     "国民年金に関する事務), 001_fd6f090b79f37056.txt"),
])
def test_bad_input_is_a_clear_error(mcp_url, tool, args, message):
    assert _error(mcp_url, tool, args).startswith(message)


def test_no_mcp_server_behind_a_login(tmp_path):
    from piaqa.config import Settings
    from piaqa.ui.app import launch_options

    assert launch_options(Settings(), tmp_path, [])["mcp_server"] is True
    # gradio mounts the MCP routes outside its login check: with a login there is no MCP server
    assert launch_options(Settings(auth="alice:s3cret"), tmp_path, [("alice", "s3cret")])["mcp_server"] is False


def test_an_internal_failure_is_one_line_and_logged(assistant, monkeypatch, caplog):
    import gradio as gr

    from piaqa.safeask import INTERNAL_ERROR
    from piaqa.ui.mcp_tools import AgentTools

    def boom(*args, **kwargs):
        raise RuntimeError("index on fire")

    monkeypatch.setattr(assistant, "ask", boom)
    monkeypatch.setattr(assistant, "search", boom)
    tools = AgentTools(assistant)
    for call in (lambda: tools.ask("倉敷市の委託先は？"), lambda: tools.search("再委託", 3)):
        with pytest.raises(gr.Error) as err:
            call()
        assert err.value.message == INTERNAL_ERROR
    errors = [r for r in caplog.records if r.levelname == "ERROR"]  # each logged once, with its traceback
    assert [r.name for r in errors] == ["piaqa.safeask", "piaqa.ui.mcp_tools"]
    assert [str(r.exc_info[1]) for r in errors] == ["index on fire", "index on fire"]
