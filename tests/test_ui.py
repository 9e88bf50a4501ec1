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
    chat, _, sources, _, _, _, _ = client.predict("倉敷市の国民年金事務の委託先は？", [], [], [], False,
                                                    api_name="/chat")
    assert "富士通Japan株式会社岡山支社" in _text(chat[-1])
    assert 'href="#piaqa-cite-0-1"' in _text(chat[-1])  # the marker opens citation 1 of turn 0
    assert "倉敷市 · 国民年金に関する事務" in sources and "L91–91" in sources
    assert "000_2b92446a3e503446" not in sources  # documents are named by city and 事務
    section = client.predict("#piaqa-cite-0-1", api_name="/section")
    assert "(引用 / cited L91–91)" in section and "③委託先名 富士通Japan株式会社岡山支社" in section


def test_client_across_cities_table_and_follow_up(client):
    chat, _, _, _, table, csv_file, xlsx_file = client.predict(
        "which cities re-delegate (再委託) system maintenance?", [], [], [], False, api_name="/chat")
    assert '<td>倉敷市</td><td>国民年金に関する事務</td><td class="dec">×</td><td>再委託しない</td>' in table
    assert table.count('<td class="dec">○</td>') == 4
    rows = Path(csv_file["value"]).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "city,jimu,decision,evidence,section,doc,line_start,line_end,page"
    assert Path(xlsx_file["value"]).suffix == ".xlsx"
    chat, *_ = client.predict("倉敷市は？", chat, [], [], False, api_name="/chat")
    assert "倉敷市" in _text(chat[-1]) and "該当しません" in _text(chat[-1])


def test_client_filters_and_researcher(client):
    chat, *_ = client.predict("委託先は？", [], ["金沢市"], [], False, api_name="/chat")
    assert "富士通Japan株式会社" in _text(chat[-1]) and "金沢市" in _text(chat[-1])
    rows, csv_path, jsonl_path, _ = client.predict("再委託事項", 5, ["高知市"], api_name="/passages")
    assert len(rows["data"]) == 5 and all(r[1] == "高知市" for r in rows["data"])
    rows, *_ = client.predict("倉敷市", "委託先名", False, api_name="/fields")
    assert [r[5] for r in rows["data"]] == ["富士通Japan株式会社岡山支社"]


def test_client_batch(client, tmp_path):
    from gradio_client import handle_file

    qfile = tmp_path / "q.txt"
    qfile.write_text("倉敷市の国民年金事務の委託先は？\n横浜市の委託先は？\n", encoding="utf-8")
    table, out, csv_out, status = client.predict(handle_file(str(qfile)), api_name="/batch")
    import json

    answers = [json.loads(x) for x in Path(out).read_text(encoding="utf-8").splitlines()]
    assert [a["id"] for a in answers] == ["q0001", "q0002"]
    assert answers[0]["answerable"] and not answers[1]["answerable"]
    assert "2 questions" in status and [r[0] for r in table["data"]] == ["q0001", "q0002"]
    assert Path(csv_out).read_text(encoding="utf-8-sig").startswith("id,question,answer,answerable,cities,citations")


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
        marker = page.locator("#piaqa-chat a.piaqa-cite", has_text="[1]").first
        assert marker.get_attribute("title").startswith("倉敷市 · 国民年金に関する事務\nII 特定個人情報ファイルの概要")
        marker.click()
        section = page.locator("#piaqa-section")
        section.get_by_text("(引用 / cited L91–91)").wait_for(timeout=15_000)
        assert "86 4. 特定個人情報ファイルの取扱いの委託" in section.inner_text()
        assert section.locator(".hl").first.inner_text().split() == ["91", "③委託先名", "富士通Japan株式会社岡山支社"]
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
