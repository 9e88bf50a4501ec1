"""Web UI: gradio_client against the real app on a free loopback port, and a real headless browser."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, launch_app

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def app_url(assistant, tmp_path_factory):
    demo = launch_app(assistant, tmp_path_factory.mktemp("exports"))
    yield demo.local_url
    demo.close()


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def _text(message) -> str:
    content = message["content"]
    return content if isinstance(content, str) else " ".join(c.get("text", "") for c in content)


def test_client_question_has_answer_and_citations(client):
    chat, _, sources, pick, _, _, _ = client.predict("倉敷市の国民年金事務の委託先は？", [], [], [], False,
                                                       api_name="/chat")
    assert "富士通Japan株式会社岡山支社" in _text(chat[-1])
    assert "000_2b92446a3e503446.txt L91–91" in sources
    assert pick["choices"][0][0] == "[1] 倉敷市 L91-91"


def test_client_across_cities_table_and_follow_up(client):
    chat, _, _, _, _, table, csv_file = client.predict(
        "which cities re-delegate (再委託) system maintenance?", [], [], [], False, api_name="/chat")
    table = table.get("value", table)  # an update (the table is shown only for across-cities answers)
    assert table["headers"] == ["city", "事務", "value", "source"]
    satisfied = {row[0][2:] for row in table["data"] if row[0].startswith("○")}
    assert satisfied == {"郡山市", "高知市", "千葉市", "金沢市"}
    assert Path(csv_file["value"]).read_text(encoding="utf-8-sig").startswith("city,事務,value,source")
    chat, *_ = client.predict("倉敷市は？", chat, [], [], False, api_name="/chat")
    assert "倉敷市" in _text(chat[-1]) and "該当しません" in _text(chat[-1])


def test_client_filters_and_researcher(client):
    chat, *_ = client.predict("委託先は？", [], ["金沢市"], [], False, api_name="/chat")
    assert "富士通Japan株式会社" in _text(chat[-1]) and "金沢市" in _text(chat[-1])
    rows, csv_path, jsonl_path = client.predict("再委託事項", 5, ["高知市"], api_name="/passages")
    assert len(rows["data"]) == 5 and all(r[1] == "高知市" for r in rows["data"])
    rows, *_ = client.predict("倉敷市", "委託先名", False, api_name="/fields")
    assert [r[4] for r in rows["data"]] == ["富士通Japan株式会社岡山支社"]


def test_client_batch(client, tmp_path):
    from gradio_client import handle_file

    qfile = tmp_path / "q.txt"
    qfile.write_text("倉敷市の国民年金事務の委託先は？\n横浜市の委託先は？\n", encoding="utf-8")
    out, status = client.predict(handle_file(str(qfile)), api_name="/batch")
    import json

    answers = [json.loads(x) for x in Path(out).read_text(encoding="utf-8").splitlines()]
    assert [a["id"] for a in answers] == ["q0001", "q0002"]
    assert answers[0]["answerable"] and not answers[1]["answerable"]
    assert "2 questions" in status


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make browser-deps)")
def test_browser_chat_sources_section_and_escaping(app_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url, wait_until="domcontentloaded")
        page.locator("#piaqa-question textarea").wait_for(timeout=30_000)
        box = page.locator("#piaqa-question textarea")
        box.fill("倉敷市の国民年金事務の委託先は？")
        box.press("Enter")
        sources = page.locator("#piaqa-sources")
        sources.get_by_text("L91–91").first.wait_for(timeout=30_000)
        assert "倉敷市" in sources.inner_text() and "富士通Japan株式会社岡山支社" in sources.inner_text()
        page.locator("#piaqa-pick").get_by_text("[1] 倉敷市 L91-91").click()
        section = page.locator("#piaqa-section")
        section.get_by_text("③委託先名").first.wait_for(timeout=15_000)
        assert "86" in section.inner_text() and "II 特定個人情報ファイルの概要" in section.inner_text()
        page.screenshot(path=str(ARTIFACTS / "ui-chat.png"), full_page=True)

        box.fill("<script>window.__pwned = 1</script><b>x</b> 倉敷市の委託先は？")
        box.press("Enter")
        chat = page.locator("#piaqa-chat")
        chat.get_by_text("<script>window.__pwned = 1</script>", exact=False).first.wait_for(timeout=30_000)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert chat.locator("b", has_text="x").count() == 0
        page.screenshot(path=str(ARTIFACTS / "ui-escaping.png"), full_page=True)
        browser.close()


def test_concurrent_users_get_their_own_answers(app_url):
    from concurrent.futures import ThreadPoolExecutor

    from gradio_client import Client

    asks = {"倉敷市の国民年金事務の委託先は？": "富士通Japan株式会社岡山支社",
            "金沢市の児童手当事務の委託先は？": "富士通Japan株式会社",
            "高知市の住民基本台帳ファイルの保管期間は？": "20年以上",
            "郡山市の開示請求の手数料は？": "無料"}

    def one(question: str) -> str:
        chat, *_ = Client(app_url, verbose=False).predict(question, [], [], [], False, api_name="/chat")
        return _text(chat[-1])

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = dict(zip(asks, pool.map(one, asks)))
    for question, value in asks.items():
        assert value in answers[question], (question, answers[question])
