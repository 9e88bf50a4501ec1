"""PDF-text change log and 委託事項 placement on the real 003 (千葉市 国民年金) document."""
from __future__ import annotations

from dataclasses import replace

import pytest

from piaqa.parse.fields import extract_fields
from piaqa.parse.pdflog import history_fields_pdf, is_pdf_text, place_items_pdf
from piaqa.records import Field

DOC = "003_36f852d2897e428a.txt"


@pytest.fixture(scope="module")
def doc(docs):
    return docs[DOC]


@pytest.fixture(scope="module")
def history(doc):
    section = next(s for s in doc.sections if s.path[0].endswith("変更箇所"))
    assert (section.line_start, doc.lines[section.line_start - 1]) == (2291, "（別添３）変更箇所")
    return history_fields_pdf(doc, section)


@pytest.fixture(scope="module")
def placed(doc, history):
    current = [f for f in extract_fields(doc) if not f.history]
    return place_items_pdf(current, history, doc=doc)


def _row(history: list[Field], line: int) -> Field:
    rows = [h for h in history if h.line_start == line]
    assert len(rows) == 1, f"no change-log row starting at line {line}"
    return rows[0]


def _field(fields: list[Field], line: int, label: str) -> Field:
    found = [f for f in fields if f.line_start == line and f.label == label]
    assert len(found) == 1, f"no field {label} at line {line}"
    return found[0]


def test_only_003_is_pdf_text(docs):
    assert {name for name, d in docs.items() if is_pdf_text(d)} == {DOC}


def test_change_log_rows_are_parsed(history):
    # 103 dated rows + 10 undated ones (the last pages); the row at 4670 has no values of its own
    assert len(history) == 112
    assert all(h.history and h.doc == DOC and h.city == "千葉市" for h in history)
    assert all(h.path == ("(別添3) 変更箇所",) for h in history)
    assert sum(h.uncertain for h in history) == 6
    assert sum(h.changed_on is None for h in history) == 9


# (first line, last line, date, item, label, 変更前, 変更後) — checked against the text below
ITAKU_ROWS = [
    (2828, 2838, "令和2年12月18日", "委託事項2", "委託先名", "日本電子計算株式会社",
     "NECフィールディング株式会社 千葉支社"),
    (2937, 2944, "令和2年12月18日", "委託事項3", "委託先名", "", "株式会社パソナ"),
    (4098, 4108, "令和3年10月26日", "委託事項1", "委託先名", "富士通株式会社", "富士通Japan株式会社"),
    (3019, 3026, "令和2年12月18日", "委託事項3", "再委託の有無", "", "再委託しない"),
    (2857, 2868, "令和2年12月18日", "委託事項3", "委託内容", "",
     "国民年金システムへのデータ入力及び被保険者の資格に係る業務"),
    (2844, 2855, "令和2年12月18日", "委託事項3", "委託事項", "",
     "データ入力及び被保険者の資格に係る業務（事務センター）"),
    (2810, 2826, "令和2年12月18日", "委託事項2", "委託先名の確認方法",
     "委託先が決定した際に、入札結果を市ホームページにて公表している。",
     "委託先が決定した際には、入札結果を市ホームページにて公表している。"),
    (2946, 2954, "令和2年12月18日", "委託事項3", "委託先における取扱者数", "", "10人以上50人未満"),
    (2728, 2741, "令和2年12月18日", None, "委託の有無", "[委託する]（ ２）件", "[委託する]（ ３）件"),
]


@pytest.mark.parametrize("start,end,date,item,label,old,new", ITAKU_ROWS)
def test_itaku_change_log_rows(doc, history, start, end, date, item, label, old, new):
    row = _row(history, start)
    assert doc.lines[start - 1] == date
    assert (row.line_end, row.changed_on, row.item, row.label) == (end, date, item, label)
    assert (row.old_value, row.value, row.uncertain) == (old, new, False)


def test_old_and_new_on_one_line_are_split_at_the_column_gap(doc, history):
    assert doc.lines[2834] == "日本電子計算株式会社 NECフィールディング株式会社　千葉支社 事後"
    assert doc.lines[4104] == "富士通株式会社 富士通Japan株式会社 事後"
    row = _row(history, 2828)
    assert row.raw_label == "Ⅱ．特定個人情報ファイルの概要　４．特定個人情報ファイルの取扱いの委託　委託事項２　⑥委託先名"
    choice = _row(history, 2520)  # brackets with spaces inside stay in one value
    assert (choice.old_value, choice.value) == ("[ ○ ]移転を行っている （ 1 ）件", "[ ]移転を行っている （ ）件")


def test_multi_block_values_split_where_the_new_text_restarts(history):
    row = _row(history, 4356)  # old and new both start with 本市では…; only the new mentions 基礎年金番号通知書
    assert row.line_end == 4421 and row.label == "事務の内容" and not row.uncertain
    assert "基礎年金番号通知書再交付申請" in row.value and "基礎年金番号通知書" not in row.old_value
    assert row.old_value.startswith("本市では") and row.value.startswith("本市では")
    row = _row(history, 3087)
    assert "アクセス権限を更新し、当該IDを失効させる" in row.old_value
    assert "その都度、当該IDを失効させるため" in row.value


def test_undated_rows_and_unreadable_rows(history):
    row = _row(history, 4891)  # ガバメントクラウド rows carry no date in the text
    assert (row.changed_on, row.item, row.label, row.line_end) == (None, "システム2", "システムの機能", 4951)
    assert row.value.startswith("●標準化前の現行システムに関する内容")
    assert row.old_value.startswith("１．統合データベース管理機能")
    # rows whose single value block cannot be told old from new are flagged, not guessed silently
    assert [h.line_start for h in history if h.uncertain] == [2588, 2608, 3420, 4724, 4738, 4871]
    assert 4670 not in {h.line_start for h in history}


# (line, label, item, value, uncertain) of the current 委託 fields of 003 after placement
PLACED = [
    (684, "委託先名の確認方法", "委託事項1", "委託先が決定した際に、入札結果を市ホームページにて公表している。", False),
    (686, "委託先名", "委託事項1", "富士通Japan株式会社", False),
    (688, "再委託の有無", "委託事項1", "再委託する", True),
    (727, "委託内容", "委託事項1", "住民記録システム（国民年金システムを含む）の開発・保守・運用に関すること", True),
    (856, "委託先名の確認方法", "委託事項2", "委託先が決定した際には、入札結果を市ホームページにて公表している。", False),
    (868, "委託先名", "委託事項2", "NECフィールディング株式会社 千葉支社", False),
    (874, "再委託の有無", "委託事項2", "再委託しない", True),
    (898, "委託先における取扱者数", "委託事項2", "10人未満", True),
    (819, "委託先名", "委託事項3", "株式会社パソナ", False),
    (809, "再委託の有無", "委託事項3", "再委託しない", True),
    (825, "委託先における取扱者数", "委託事項3", "10人以上50人未満", True),
    (852, "委託内容", "委託事項3", "国民年金システムへのデータ入力及び被保険者の資格に係る業務", False),
]


@pytest.mark.parametrize("line,label,item,value,uncertain", PLACED)
def test_itaku_items_placed(placed, line, label, item, value, uncertain):
    f = _field(placed, line, label)
    assert (f.item, f.value, f.uncertain) == (item, value, uncertain)


def test_placement_changes_items_only(doc, history, placed):
    before = [f for f in extract_fields(doc) if not f.history]
    assert [replace(f, item=None, uncertain=False) for f in placed] == \
        [replace(f, item=None, uncertain=False) for f in before]
    outside = [(a, b) for a, b in zip(before, placed) if not a.path[-1].endswith("委託")]
    assert all(a == b for a, b in outside)
    assert not any(f.history for f in place_items_pdf(before + history, history, doc=doc))


def _made(doc, line: int, label: str, value: str) -> Field:
    """A current 委託 field as a better extractor would produce it (label line, value from the text)."""
    assert value[:12] in doc.lines[line - 1] + doc.lines[line]
    return Field(doc=DOC, city="千葉市", path=("II 特定個人情報ファイルの概要", "4. 特定個人情報ファイルの取扱いの委託"),
                 item=None, label=label, raw_label=label, value=value, options=(), line_start=line, line_end=line + 1)


def test_placement_with_values_below_their_labels(doc, history):
    fields = [
        _made(doc, 671, "委託内容", "・システムの稼働に必要なサーバ及びデータセンター機能の提供"),
        _made(doc, 675, "再委託の許諾方法", "再委託の必要がある場合は、委託先業者は再委託先のセキュリティ管理体制を確認した上で、事前に"),
        _made(doc, 727, "委託内容", "住民記録システム（国民年金システムを含む）の開発・保守・運用に関すること"),
        _made(doc, 815, "委託先名の確認方法", "千葉市情報公開条例に基づく開示請求を行うことで確認できる。"),
        _made(doc, 863, "その妥当性", "法令等により職員に限定される事務以外の事務のうち、システム入力及び被保険者の資格に係る業務"),
    ]
    got = [(f.line_start, f.item, f.uncertain) for f in place_items_pdf(fields, history, doc=doc)]
    assert got == [(671, "委託事項2", True), (675, "委託事項1", False), (727, "委託事項1", True),
                   (815, "委託事項3", False), (863, "委託事項3", False)]
