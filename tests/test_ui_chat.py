"""The chat (issue 9 items 1, 2, 4): citations in place, the across-cities table and its downloads, state that never
lies. The real Assistant on the real corpus; handlers called directly, then the real page in headless Chromium."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from piaqa.text import clean_line
from piaqa.ui import cite
from piaqa.ui import table as T

from tests.conftest import ROOT, launch_app, make_ui, needs_chromium, open_page

KURASHIKI, KORIYAMA = "000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt"
CONTRACTOR = "倉敷市の国民年金事務の委託先は？"
CLOUD = "ガバメントクラウドにおける措置を記載している市はどこですか。"
REDELEGATE = "which cities re-delegate (再委託) system maintenance?"
SESSION = SimpleNamespace(session_hash="chat1")


@pytest.fixture(scope="module")
def ui(assistant, tmp_path_factory):
    return make_ui(assistant, tmp_path_factory.mktemp("chat"))


def _csv(path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


# ------------------------------------------------------------------------------------ citations in place

def test_markers_link_to_their_citation_with_a_preview(assistant):
    ans = assistant.ask(CONTRACTOR)
    html = cite.chat_html(ans, 3)
    c = ans.citations[0]
    assert (c.doc, c.line_start, c.line_end) == (KURASHIKI, 91, 91)
    title = ("倉敷市 · 国民年金に関する事務&#10;II 特定個人情報ファイルの概要 &gt; 4. 特定個人情報ファイルの取扱いの委託"
             "&#10;L91–91&#10;③委託先名 富士通Japan株式会社岡山支社")
    assert f'<a class="piaqa-cite" href="#piaqa-cite-3-1" title="{title}">[1]</a>' in html
    assert "富士通Japan株式会社岡山支社 <a" in html and KURASHIKI not in html
    assert cite.parse_ref("#piaqa-cite-3-1") == (3, 1) and cite.parse_ref("x") is None
    assert cite.citation_at([ans], "#piaqa-cite-0-1") == c
    assert cite.citation_at([ans], "#piaqa-cite-1-1") is None and cite.citation_at([ans], "#piaqa-cite-0-9") is None


def test_sources_list_the_cited_passages_first_and_clean(assistant):
    ans = assistant.ask(CONTRACTOR)
    assert cite.cited(ans) == [1] and len(ans.citations) == 5
    html = cite.sources_html(ans, 0, assistant.docs)
    shown, more = html.split('<details class="piaqa-more">')
    assert 'id="src-1"' in shown and 'id="src-2"' not in shown  # only the cited passage in view
    assert more.startswith("<summary>ほかの関連箇所 / more passages (4)</summary>")
    assert all(f'id="src-{i}"' in more for i in range(2, 6))
    # clean: checkboxes as ☑/☐ with the option text, no tags; the original lines one click away
    assert "⑥移転方法 ☑ 庁内連携システム" in more and "委託の有無 ※ ☐ 委託する ]" in more
    clean_part = more.split('<details class="piaqa-orig">')[0]
    assert "&lt;input" not in clean_part and "type=" not in clean_part
    assert "&lt;input checked=&quot;&quot; type=&quot;checkbox&quot;/&gt; 庁内連携システム" in more  # the original
    assert "000_2b92446a3e503446" not in html and "倉敷市 · 国民年金に関する事務" in html


def test_entities_are_decoded_and_tags_dropped(assistant):
    line = assistant.docs[KURASHIKI].lines[123]
    assert "<small>&lt;本市における措置&gt;</small>" in line
    assert clean_line(line).startswith("保管場所 ※ <本市における措置> セキュリティカードによる入退室管理")


def test_viewer_shows_the_section_at_the_cited_lines(ui):
    _, _, shown, *_ = ui.chat.ask(CONTRACTOR, [], [], [], [], False, [], request=SESSION)
    html = ui.chat.open("#piaqa-cite-0-1", shown)
    assert "— L86–95 (引用 / cited L91–91)" in html
    assert '<span class="hl"><span class="no">   91 </span>③委託先名 富士通Japan株式会社岡山支社</span>' in html
    assert html.count('class="hl"') == 2  # the cited line, clean and in the original lines
    assert "この出典はこの会話にありません" in ui.chat.open("#piaqa-cite-4-1", shown)


# ------------------------------------------------------------------------------------- across-cities table

def test_table_has_decisions_full_evidence_and_sources(ui, assistant):
    chat, _, shown, _, _, _, html, csv_file, xlsx_file = ui.chat.ask(CLOUD, [], [], [], [], False, [],
                                                                   request=SESSION)
    ans = shown[0].answer
    cut = next(r for r in ans.rows if r.city == "倉敷市")
    assert cut.value.endswith("…")  # the answer's glance ...
    full = clean_line(assistant.docs[KURASHIKI].lines[123])  # ... the table's full evidence (line 124)
    rows = _csv(csv_file["value"])
    assert rows[0] == ["city", "jimu", "decision", "evidence", "section", "doc", "line_start", "line_end", "page"]
    by_city = {r[0]: r for r in rows[1:]}
    assert by_city["倉敷市"] == ["倉敷市", "国民年金に関する事務", "○", full,
                                "II 特定個人情報ファイルの概要 > 6. 特定個人情報の保管・消去", KURASHIKI, "124", "124", ""]
    assert by_city["郡山市"] == ["郡山市", "地方税等の徴収及び滞納整理事務", "記載なし", "", "", KORIYAMA, "", "", ""]
    assert sorted(r[2] for r in rows[1:]) == ["○", "○", "○", "○", "記載なし"]
    assert f"<td>{cite.esc(full)}</td>" in html and "…</td>" not in html
    assert '<a class="piaqa-cite" href="#piaqa-cite-0-1"' in html
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_file["value"]).active
    got = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert got == rows
    assert sheet["G2"].value == 124 and Path(xlsx_file["value"]).name.startswith("piaqa-table-")


def test_filtered_out_cities_are_listed(ui):
    *_, html, _, _ = ui.chat.ask(REDELEGATE, [], [], ["倉敷市", "高知市"], [], False, [], request=SESSION)
    assert html.count("<tr class=") == 2 and '<td>倉敷市</td><td>国民年金に関する事務</td><td class="dec">×</td>' in html
    assert html.endswith("not checked (filters): 郡山市、千葉市、金沢市</p>")


def test_excel_keeps_text_as_text(tmp_path):
    from openpyxl import load_workbook

    row = T.CityRow("x市", "y", "○", "=HYPERLINK(\"http://e\")\x07", "", "d.txt", 1, 2, None, 1)
    out = tmp_path / "t.xlsx"
    out.write_bytes(T.rows_xlsx([row]))
    cell = load_workbook(out).active["D2"]
    assert cell.value == "=HYPERLINK(\"http://e\") " and cell.data_type == "s"


# ---------------------------------------------------------------------------------- state that never lies

def test_copy_text_is_plain_with_the_citations_written_out(assistant):
    from piaqa.ui.conversation import Shown, turn_plain

    ans = assistant.ask(CONTRACTOR)
    text = turn_plain(Shown(CONTRACTOR, ans))
    assert text.startswith(f"Q: {CONTRACTOR}\nA: ") and "富士通Japan株式会社岡山支社" in text.splitlines()[1]
    first = next(line for line in text.splitlines() if line.startswith("[1] "))
    assert first.startswith("[1] 倉敷市 · 国民年金に関する事務 · ") and f"{KURASHIKI} L91–91: " in first
    assert "富士通Japan株式会社岡山支社" in first and "<a" not in text and "href" not in text
    assert "<input" not in text and "☐" in text  # the 委託 rows' checkbox markup, read as the reader sees it
    rows = turn_plain(Shown(CLOUD, assistant.ask(CLOUD)))
    assert any(line.startswith(("  ○ ", "  × ")) for line in rows.splitlines())  # one line per city


def test_empty_question_changes_nothing(ui):
    out = ui.chat.ask("  \n ", [{"role": "user", "content": "q"}], [], [], [], False, [], request=SESSION)
    assert len(out) == 9 and all(o == gr.skip() for o in out)


def test_reset_clears_everything(ui):
    chat, turns, shown, sources, section, table, csv_file, xlsx_file, note, rated, download = ui.chat.reset()
    assert (chat, turns, shown, sources, section, table, note, rated) == ([], [], [], cite.NO_SOURCES, "", "", "", {})
    assert all(u == {"__type__": "update", "value": None, "visible": False} for u in (csv_file, xlsx_file, download))


def test_filter_chips(ui):
    upd = ui.chat.chips(["倉敷市"], ["児童手当に関する事務"], True)
    assert upd["choices"] == [("市: 倉敷市", "倉敷市"), ("事務: 児童手当に関する事務", "児童手当に関する事務"),
                              ("変更箇所を含む / with change log", "log")]
    assert upd["value"] == ["倉敷市", "児童手当に関する事務", "log"] and upd["visible"]
    assert ui.chat.unchip(["倉敷市", "log"], ["倉敷市"], ["児童手当に関する事務"]) == (["倉敷市"], [], True)
    assert ui.chat.chips([], [], False)["visible"] is False


# ------------------------------------------------------------------------------------------ in the browser

@pytest.mark.browser
@needs_chromium
def test_browser_citations_table_and_resets(assistant, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    demo = launch_app(assistant, tmp_path / "exports")
    art = ROOT / "artifacts"
    art.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            page = open_page(p, demo.local_url, locale=None, accept_downloads=True)
            box = page.locator("#piaqa-question textarea")
            chat, sources, section = (page.locator(s) for s in ("#piaqa-chat", "#piaqa-sources", "#piaqa-section"))
            box.fill(CONTRACTOR)
            box.press("Enter")
            marker = chat.locator("a.piaqa-cite", has_text="[1]").first
            marker.wait_for(timeout=30_000)
            # the sources panel: the cited passage in view, four more folded away
            assert sources.locator(".piaqa-src:visible").count() == 1
            assert sources.locator("details.piaqa-more > summary").inner_text() == "ほかの関連箇所 / more passages (4)"
            # an empty Enter does nothing: the next event (opening [1]) finds the answer and sources as they were
            box.fill("")
            box.press("Enter")
            marker.click()
            section.get_by_text("(引用 / cited L91–91)").wait_for(timeout=15_000)
            assert section.locator(".piaqa-lines .hl").first.inner_text().split() == [
                "91", "③委託先名", "富士通Japan株式会社岡山支社"]
            assert chat.get_by_text(CONTRACTOR, exact=True).count() == 1  # still the one question, no empty turn
            assert "富士通Japan株式会社岡山支社" in chat.inner_text() and "L91–91" in sources.inner_text()
            copy_text = page.locator("#piaqa-copy textarea").input_value()  # what its copy button copies
            assert copy_text.startswith(f"Q: {CONTRACTOR}") and f"{KURASHIKI} L91–91: " in copy_text
            page.screenshot(path=str(art / "ui-citation.png"), full_page=True)

            box.fill(CLOUD)
            box.press("Enter")
            table = page.locator("#piaqa-table table.piaqa-rows")
            table.wait_for(timeout=30_000)
            cells = [[c.strip() for c in r.split("\t")] for r in table.locator("tbody tr").all_inner_texts()]
            full = clean_line(assistant.docs[KURASHIKI].lines[123])
            assert ["倉敷市", "国民年金に関する事務", "○", full, "[1] L124–124"] in cells
            assert ["郡山市", "地方税等の徴収及び滞納整理事務", "記載なし", "", ""] in cells
            with page.expect_download(timeout=15_000) as got:
                page.locator("#piaqa-table-csv").click()
            rows = _csv(got.value.path())
            assert [r for r in rows if r[0] == "倉敷市"][0][3:9] == [
                full, "II 特定個人情報ファイルの概要 > 6. 特定個人情報の保管・消去", KURASHIKI, "124", "124", ""]
            with page.expect_download(timeout=15_000) as got:
                page.locator("#piaqa-table-xlsx").click()
            assert got.value.suggested_filename.endswith(".xlsx")
            got.value.save_as(tmp_path / got.value.suggested_filename)  # openpyxl goes by the file's extension
            sheet = load_workbook(tmp_path / got.value.suggested_filename).active
            assert [str(v or "") for v in next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))] == rows[1]
            table.locator("a.piaqa-cite").first.click()  # the table's source link opens the viewer
            section.get_by_text("(引用 / cited L124–124)").wait_for(timeout=15_000)
            page.screenshot(path=str(art / "ui-table.png"), full_page=True)

            # a filter shows as a chip by the box, and unticking the chip removes the filter
            page.locator("#piaqa-filters").get_by_role("button").first.click()  # open the accordion
            page.locator("#piaqa-cities").get_by_text("金沢市").click()
            chips = page.locator("#piaqa-chips")
            chips.get_by_text("市: 金沢市").wait_for(timeout=15_000)
            chips.get_by_text("市: 金沢市").click()
            chips.wait_for(state="hidden", timeout=15_000)
            assert not page.locator("#piaqa-cities").get_by_label("金沢市").is_checked()

            # new conversation: chat, sources, table, downloads and viewer all reset
            page.locator("#piaqa-new").click()
            table.wait_for(state="detached", timeout=15_000)
            _assert_fresh(page)
            box.fill(REDELEGATE)
            box.press("Enter")
            table.wait_for(timeout=30_000)
            chat.get_by_role("button", name="会話をクリア").first.click()  # the chat's own clear button (gradio's label, in Japanese)
            table.wait_for(state="detached", timeout=15_000)
            _assert_fresh(page)
            page.context.browser.close()
    finally:
        demo.close()


def _assert_fresh(page) -> None:
    assert "出典はまだありません" in page.locator("#piaqa-sources").inner_text()
    assert page.locator("#piaqa-section").inner_text().strip() == ""
    assert page.locator("#piaqa-table-csv").count() == 0 or not page.locator("#piaqa-table-csv").is_visible()
    assert page.locator("#piaqa-table-xlsx").count() == 0 or not page.locator("#piaqa-table-xlsx").is_visible()
    assert "富士通" not in page.locator("#piaqa-chat").inner_text()


# ------------------------------------------------------------------------------------------ start screen

def test_coverage_lists_every_document(ui):
    from piaqa.ui.welcome import EXAMPLES, example_label

    html = ui.chat.coverage()
    for row in ("<tr><td>倉敷市</td><td>国民年金に関する事務</td><td>重点項目評価書</td><td>令和5年3月31日</td><td>1</td></tr>",
                "<tr><td>郡山市</td><td>地方税等の徴収及び滞納整理事務</td><td>全項目評価書</td><td>令和3年12月28日</td><td>3</td></tr>",
                "<tr><td>高知市</td><td>住民票に関する事務</td><td>全項目評価書</td><td>記載なし</td><td>4</td></tr>",
                "<tr><td>千葉市</td><td>国民年金に関する事務</td><td>全項目評価書</td><td>記載なし</td><td>1</td></tr>",
                "<tr><td>金沢市</td><td>児童手当に関する事務</td><td>重点項目評価書</td><td>令和7年1月14日</td><td>1</td></tr>"):
        assert row in html
    assert [example_label(e) for e in EXAMPLES if e.follow_up] == ["↪ 千葉市は？", "↪ What do they re-delegate?",
                                                                    "↪ Which other cities do that too?"]


def test_the_follow_up_example_after_a_which_cities_answer_gets_a_table_of_each_citys_answer(ui):
    """↪ "What do they re-delegate?" after the which-cities example: a row per matched city, cited on its own
    line, in the table and its CSV."""
    chat, turns, shown, *_ = ui.chat.example(REDELEGATE)([], [], [], [], False, [], request=SESSION)
    out = ui.chat.example("What do they re-delegate?")(chat, turns, [], [], False, shown, request=SESSION)
    shown, table_html, csv_file = out[2], out[6], out[7]
    assert shown[-1].answer.kind == "each-city" and set(shown[-1].answer.cities) == {"郡山市", "高知市", "千葉市",
                                                                                       "金沢市"}
    assert "既存住民基本台帳システムの運用支援及び改修業務" in table_html and "L190–190" in table_html
    rows = _csv(csv_file["value"])
    kochi = [r for r in rows if r[0] == "高知市"][0]
    assert kochi[5:8] == ["002_8198ed8bac5210ca.txt", "190", "190"]


def test_the_follow_up_example_after_a_prose_answer_names_the_other_cities_that_state_it(ui):
    """↪ "Which other cities do that too?" after 郡山市's paper burning (line 197): 高知市 burns too (line 325), and the
    table shows every city's closest sentence with its decision, 千葉市's dissolving (line 1040) included."""
    chat, turns, shown, *_ = ui.chat.example("How does Koriyama dispose of paper records?")(
        [], [], [], [], False, [], request=SESSION)
    out = ui.chat.example("Which other cities do that too?")(chat, turns, [], [], False, shown, request=SESSION)
    shown, table_html, csv_file = out[2], out[6], out[7]
    assert shown[-1].answer.kind == "aggregate-alike" and shown[-1].answer.cities == ("高知市",)
    assert "溶解処理" in table_html and "L325–325" in table_html
    rows = _csv(csv_file["value"])
    kochi = [r for r in rows if r[0] == "高知市"][0]
    assert kochi[5:8] == ["002_8198ed8bac5210ca.txt", "325", "325"]


def test_example_handler_asks_its_question(ui):
    chat, _, shown, *_ = ui.chat.example(CONTRACTOR)([], [], [], [], False, [], request=SESSION)
    assert shown[0].question == CONTRACTOR and "富士通Japan株式会社岡山支社" in chat[-1]["content"]


@pytest.mark.browser
@needs_chromium
def test_browser_start_screen_examples_and_language(assistant, tmp_path):
    from playwright.sync_api import sync_playwright

    demo = launch_app(assistant, tmp_path / "exports")
    try:
        with sync_playwright() as p:
            page = open_page(p, demo.local_url, locale="en-US")  # an English browser
            welcome = page.locator("#piaqa-welcome")
            assert "郡山市\t地方税等の徴収及び滞納整理事務\t全項目評価書\t令和3年12月28日\t3" in welcome.inner_text()
            assert page.locator("#piaqa-ask").inner_text() == "質問する"  # Japanese labels all the same
            (ROOT / "artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "artifacts" / "ui-welcome.png"), full_page=True)
            page.locator("button.piaqa-example", has_text=CONTRACTOR).click()  # an example submits on click
            chat = page.locator("#piaqa-chat")
            chat.get_by_text("富士通Japan株式会社岡山支社").first.wait_for(timeout=30_000)
            page.locator("button.piaqa-example", has_text="↪ 千葉市は？").click()  # the follow-up example
            chat.locator("a.piaqa-cite", has_text="千葉市").first.wait_for(timeout=30_000)
            assert chat.get_by_text("千葉市は？").count() >= 1
            # the language switch: gradio's settings (footer) → English
            page.locator("footer").get_by_text("設定").first.click()
            page.get_by_label("言語").or_(page.get_by_label("Language")).first.click()
            page.get_by_role("option", name="English").click()
            page.locator("#piaqa-ask").get_by_text("Ask", exact=True).wait_for(timeout=15_000)
            assert page.locator("#piaqa-question").get_by_text("Question", exact=True).count() == 1
            page.reload()  # the choice is remembered in this browser
            page.locator("#piaqa-ask").get_by_text("Ask", exact=True).wait_for(timeout=30_000)
            page.goto(demo.local_url + "?lang=ja")  # and a link can name the language
            page.locator("#piaqa-ask").get_by_text("質問する", exact=True).wait_for(timeout=30_000)
            page.context.browser.close()
    finally:
        demo.close()
