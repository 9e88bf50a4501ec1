"""The Researcher tab (issue 9 item 6): passages first and in full, a row opens its section, downloads with full
text and provenance named by what and when; the fields table filtered by label across all cities. Real Assistant
and corpus; handlers called directly, then the page in headless Chromium."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from piaqa.ui.research import FIELD_HEADERS

from tests.conftest import ROOT, launch_app, make_ui, needs_chromium, open_page

KOCHI = "002_8198ed8bac5210ca.txt"
SESSION = SimpleNamespace(session_hash="res1")
CONTRACTORS = {  # 委託先名 of every city, current values, with the line that states each
    ("倉敷市", "000_2b92446a3e503446.txt", "91", "富士通Japan株式会社岡山支社"),
    ("郡山市", "001_fd6f090b79f37056.txt", "145", "富士通Japan株式会社 福島支社"),
    ("郡山市", "001_fd6f090b79f37056.txt", "161", "富士通Japan株式会社"),
    ("郡山市", "001_fd6f090b79f37056.txt", "243", "株式会社福島情報処理センター"),
    ("郡山市", "001_fd6f090b79f37056.txt", "302", "富士通Japan株式会社 福島支社"),
    ("郡山市", "001_fd6f090b79f37056.txt", "317", "富士通Japan株式会社"),
    ("高知市", KOCHI, "187", "富士通Japan株式会社 四国公共ビジネス部"),
    ("千葉市", "003_36f852d2897e428a.txt", "686", "富士通Japan株式会社"),
    ("千葉市", "003_36f852d2897e428a.txt", "819", "株式会社パソナ"),
    ("千葉市", "003_36f852d2897e428a.txt", "868", "NECフィールディング株式会社 千葉支社"),
    ("金沢市", "004_57af33314b6a26f0.txt", "137", "富士通Japan株式会社"),
}


@pytest.fixture(scope="module")
def ui(assistant, tmp_path_factory):
    return make_ui(assistant, tmp_path_factory.mktemp("research"))


def _csv(path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def test_passages_in_full_with_provenance_and_named_downloads(ui, assistant):
    rows, found, csv_path, jsonl_path, viewer = ui.research.search("再委託事項", 3, ["高知市"], request=SESSION)
    first = found[0]
    assert (first.doc, first.city, first.jimu, first.line_start, first.line_end) == (
        KOCHI, "高知市", "住民票に関する事務", 186, 190)
    assert first.section == "II 特定個人情報ファイルの概要 > (1) 住民基本台帳ファイル > 4. 特定個人情報ファイルの取扱いの委託"
    assert first.text == assistant.docs[KOCHI].span(186, 190)  # in full, verbatim
    assert rows[0] == [first.clean_text, "高知市", "住民票に関する事務", first.section, "L186–190", f"{first.score:.4f}"]
    assert "⑦再委託の有無 ※ [ 再委託する ]" in rows[0][0] and viewer == ""
    for path, suffix in ((csv_path, ".csv"), (jsonl_path, ".jsonl")):
        assert re.fullmatch(r"piaqa-search-再委託事項-\d{8}-\d{6}" + re.escape(suffix), Path(path).name)
    table = _csv(csv_path)
    assert table[0] == ["rank", "score", "doc", "city", "jimu", "section", "line_start", "line_end", "text",
                        "clean_text", "page"]
    assert table[1][2:9] == [KOCHI, "高知市", "住民票に関する事務", first.section, "186", "190", first.text]
    records = [json.loads(x) for x in Path(jsonl_path).read_text(encoding="utf-8").splitlines()]
    assert [(r["doc"], r["line_start"], r["line_end"]) for r in records] == [
        (p.doc, p.line_start, p.line_end) for p in found] and records[0]["text"] == first.text
    # a second search of the same words in the same second gets its own file
    again = ui.research.search("再委託事項", 3, ["高知市"], request=SESSION)[2]
    assert again != csv_path and Path(csv_path).exists()


def test_a_row_opens_its_section(ui):
    _, found, *_ = ui.research.search("再委託事項", 3, ["高知市"], request=SESSION)
    html = ui.research.open(found, SimpleNamespace(index=[0, 2]))
    assert "高知市 · 住民票に関する事務 · 全項目評価書" in html and "(引用 / cited L186–190)" in html
    assert ui.research.open(found, SimpleNamespace(index=[9, 0])) == ""


def test_fields_filtered_by_label_across_all_cities(ui):
    shown, csv_path, jsonl_path = ui.research.fields("(all)", "委託先名", False, request=SESSION)
    rows = _csv(csv_path)[1:]  # the download: every column, the corpus file included
    assert _csv(csv_path)[0] == FIELD_HEADERS
    assert {(r[0], r[7], r[8], r[5]) for r in rows} == CONTRACTORS and len(rows) == len(CONTRACTORS)
    assert all(r[4] == "委託先名" and r[8] == r[9] and r[10] == "" for r in rows)
    assert shown == [r[:7] + r[8:] for r in rows]  # the page: the same rows without the file name
    first = json.loads(Path(jsonl_path).read_text(encoding="utf-8").splitlines()[0])
    assert (first["city"], first["jimu"], first["value"], first["line_start"]) == (
        "倉敷市", "国民年金に関する事務", "富士通Japan株式会社岡山支社", 91)
    assert ui.research.labels[:1] and "委託先名" in ui.research.labels
    typed = ui.research.fields("(all)", "委託先", False, request=SESSION)[0]  # typed: every label holding it
    assert {r[4] for r in typed} >= {"委託先名", "委託先名の確認方法"} and len(typed) > len(rows)
    all_rows = ui.research.fields("(all)", "(all)", False, request=SESSION)[0]
    assert len(all_rows) > len(rows) and {r[0] for r in all_rows} == {"倉敷市", "郡山市", "高知市", "千葉市", "金沢市"}


@pytest.mark.browser
@needs_chromium
def test_browser_researcher_row_opens_section(assistant, tmp_path):
    from playwright.sync_api import sync_playwright

    demo = launch_app(assistant, tmp_path / "exports")
    try:
        with sync_playwright() as p:
            page = open_page(p, demo.local_url)
            page.get_by_role("tab", name="検索（研究者向け）").click()
            box = page.locator("#piaqa-search textarea")
            box.fill("再委託事項")
            page.locator("#piaqa-search-cities").get_by_text("高知市").click()
            page.locator("#piaqa-search-go").click()
            hits = page.locator("#piaqa-hits")
            cell = hits.get_by_text("L186–190").filter(visible=True).first  # 高知市's best passage
            cell.wait_for(timeout=30_000)
            cell.click()
            viewer = page.locator("#piaqa-hit-section")
            viewer.get_by_text("(引用 / cited L186–190)").wait_for(timeout=15_000)
            (ROOT / "artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "artifacts" / "ui-researcher.png"), full_page=True)
            page.context.browser.close()
    finally:
        demo.close()
