"""Field extraction on the real documents: 委託 rows, choice values, history rows."""
from __future__ import annotations

import re

import pytest

from piaqa.parse.choice import read_value
from piaqa.parse.fields import extract_corpus_fields, extract_fields, norm_label
from piaqa.text import clean_line, unnumbered


@pytest.fixture(scope="module")
def fields(docs):
    return {name: extract_fields(d) for name, d in docs.items()}


def rows(fields, doc, label, item=None, history=False):
    return [(f.line_start, f.value) for f in fields[doc] if f.label == label and f.history == history
            and (item is None or f.item == item) and "概要" in f.path[0]]


def test_a_section_title_loses_its_number_only():
    assert unnumbered("4. 個人番号の利用") == "個人番号の利用"
    assert unnumbered("12.再委託") == "再委託"
    assert unnumbered("(1) 滞納管理システムファイル") == "(1) 滞納管理システムファイル"  # a file's number is its name's
    assert unnumbered("特定個人情報の提供 4.") == "特定個人情報の提供 4."


def test_label_normalisation_unifies_forms():
    assert norm_label("⑦再委託の有無 ※") == norm_label("④再委託の有無") == "再委託の有無"


@pytest.mark.parametrize("doc,item,lines", [
    ("000_2b92446a3e503446.txt", "委託事項1", {"委託先名": (91, "富士通Japan株式会社岡山支社"),
                                               "再委託の有無": (92, "再委託しない"), "再委託事項": (94, "")}),
    ("004_57af33314b6a26f0.txt", "委託事項1", {"委託先名": (137, "富士通Japan株式会社"),
                                               "再委託の有無": (138, "再委託する"),
                                               "再委託事項": (140, "福祉保健総合システムの品質管理、問題点管理、QA対応")}),
    ("002_8198ed8bac5210ca.txt", "委託事項2", {"委託先名": (187, "富士通Japan株式会社 四国公共ビジネス部"),
                                               "再委託の有無": (188, "再委託する"),
                                               "再委託事項": (190, "既存住民基本台帳システムの運用支援及び改修業務")}),
])
def test_itaku_rows(fields, doc, item, lines):
    for label, (line, value) in lines.items():
        assert (line, value) in rows(fields, doc, label, item), (label, rows(fields, doc, label))


def test_koriyama_items_per_file(fields):
    got = [(f.file_name, f.item, f.value) for f in fields["001_fd6f090b79f37056.txt"]
           if f.label == "委託先名" and "概要" in f.path[0]]
    assert ("(1) 滞納管理システムファイル", "委託事項1", "富士通Japan株式会社 福島支社") in got
    assert ("(1) 滞納管理システムファイル", "委託事項2", "富士通Japan株式会社") in got


def test_chiba_pdf_items_placed_by_change_log(fields):
    got = {(f.item, f.value) for f in fields["003_36f852d2897e428a.txt"]
           if f.label == "委託先名" and not f.history and "概要" in f.path[0]}
    assert got == {("委託事項1", "富士通Japan株式会社"), ("委託事項2", "NECフィールディング株式会社 千葉支社"),
                   ("委託事項3", "株式会社パソナ")}


def test_a_pdf_row_whose_text_opens_with_a_heading_has_no_heading_for_a_value(docs):
    """千葉市's 消去方法 and 保管場所 rows begin with 「【千葉市（国民年金システム、…）における措置】」 (PDF text): that
    heading is where the row's text starts, not its value; the corpus' fields hold no such value."""
    fields = extract_corpus_fields(list(docs.values()))
    chiba = [f for f in fields if f.doc == "003_36f852d2897e428a.txt" and not f.history]
    assert not [f for f in chiba if re.fullmatch(r"【[^【】]*】", f.value.strip())]
    assert {f.label for f in chiba} >= {"委託先名", "保管期間"}  # the other rows stay


@pytest.mark.parametrize("raw,value,n_options", [
    ('<input type="checkbox"/> 委託する ]           <選択肢> 1) 委託する 2) 委託しない ( 1 ) 件', "委託する", 2),
    ("[ 10万人以上30万人未満 ] <選択肢> 1) 1,000人未満 2) 1,000人以上1万人未満", "10万人以上30万人未満", 2),
    ("[再委託する] <選択肢> 1) 再委託する 2) 再委託しない", "再委託する", 2),
    ("[ 30万人以上", "30万人以上", 0),  # PDF text loses the closing bracket
    ("[<input checked=\"checkbox\"/>] 専用線 [] 電子メール [○] 電子記録媒体", "専用線、電子記録媒体", 0),
    # boxes without brackets: the ticked ones only, once each though the cell repeats them
    ('<input checked="" type="checkbox"/> 提供を行っている ( 2 ) 件 <input checked="" type="checkbox"/> 移転を行っている '
     '( 2 ) 件 <input type="checkbox"/> 行っていない', "提供を行っている ( 2 ) 件、移転を行っている ( 2 ) 件", 0),
    ('<input type="checkbox"/> 庁内連携 <input checked="" type="checkbox"/> 宛名システム等 <input type="checkbox"/> 庁内連携 '
     '<input checked="" type="checkbox"/> 宛名システム等', "宛名システム等", 0),
    ("[] 情報提供ネットワークシステム [] 専用線 [] 紙 [] その他 ()", "", 0),  # empty brackets, no mark: none selected
    # one option's words between unticked boxes before the option list: the cell shows its selection (金沢市's
    # 従業者に対する教育・啓発, line 329; before, read as blank)
    ('<input type="checkbox"/> 十分に行っている <input type="checkbox"/> <small><選択肢></small> 1) 特に力を入れて行っている '
     '2) 十分に行っている 3) 十分に行っていない', "十分に行っている", 3),
    # … not words that are no option
    ('<input type="checkbox"/> 年1回 <input type="checkbox"/> <選択肢> 1) 行っている 2) 行っていない', "", 2),
])
def test_choice_values(raw, value, n_options):
    cv = read_value(clean_line(raw))
    assert cv.value == value and len(cv.options) == n_options and cv.choice


def test_unticked_inputs_keep_their_options():
    """An unticked <input> may have lost its tick in conversion (the form's options then all stand), unlike the
    empty brackets of a form that ticked nothing."""
    assert read_value(clean_line('[ <input type="radio"/> ] 自己点検 [ <input type="radio"/> ] 内部監査')).value == \
        "自己点検 内部監査"


def test_selection_is_not_the_option_list(fields):
    (line, value), = rows(fields, "000_2b92446a3e503446.txt", "使用者数")
    assert (line, value) == (82, "50人以上100人未満")
    # 高知市 ticks 提供 and 移転 and leaves 行っていない unticked (boxes without brackets)
    assert rows(fields, "002_8198ed8bac5210ca.txt", "提供・移転の有無")[0] == (
        193, "提供を行っている ( 2 ) 件、移転を行っている ( 2 ) 件")
    # the option table printed under 高知市's 使用者数 (「1) 10人未満 | 2) 10人以上50人未満」) is not a row of its own
    kochi = [f for f in fields["002_8198ed8bac5210ca.txt"] if 285 <= f.line_start <= 295]
    assert [(f.line_start, f.label) for f in kochi if 289 <= f.line_start <= 293] == [(289, "使用者数")]


def test_change_log_rows_are_history(fields):
    hist = [f for f in fields["000_2b92446a3e503446.txt"] if f.history and "委託先名" in f.label]
    assert [(f.line_start, f.changed_on, f.old_value, f.value) for f in hist] == [
        (338, "令和4年5月31日", "富士通株式会社", "富士通Japan株式会社岡山支社")]
    current = rows(fields, "000_2b92446a3e503446.txt", "委託先名")
    assert all("富士通株式会社" != v for _, v in current)


def test_blank_publication_date_is_blank(fields):
    pub = {f.doc: f.value for name in fields for f in fields[name] if f.label == "公表日"}
    assert pub["002_8198ed8bac5210ca.txt"] == "" and pub["000_2b92446a3e503446.txt"] == "令和5年3月31日"


def test_field_index_lookups_equal_a_full_scan(assistant):
    """The per-label and per-document indexes (a which-cities answer asks them once per city) give exactly
    the rows a scan of every field gives, in corpus order."""
    fi = assistant.fields
    docs = sorted(assistant.docs)
    for label in sorted({f.label for f in fi.fields}):
        for history in (False, True):
            assert fi.of(label, history=history) == [f for f in fi.fields if f.label == label
                                                     and f.history == history]
            assert fi.of(label, docs[1:3], history) == [f for f in fi.fields if f.label == label
                                                        and f.history == history and f.doc in docs[1:3]]
            for doc in docs:  # one city: its own index
                assert fi.of(label, [doc], history) == [f for f in fi.fields if f.label == label
                                                        and f.history == history and f.doc == doc]
        want = {v: None for f in fi.fields if f.label == label and not f.history
                for v in (f.value, *f.options) if v and len(v) <= 40}
        assert fi.values_of(label) == list(want)
    for doc in docs:
        assert fi.current(doc) == [f for f in fi.fields if f.doc == doc and not f.history]
        assert fi.file_names(doc) == {f.file_name for f in fi.fields if f.doc == doc and f.file_name
                                      and "概要" in f.path[0]}
    assert fi.file_names("001_fd6f090b79f37056.txt") and not fi.current("nonexistent.txt")


def test_a_row_pointing_at_the_row_above_is_named_by_it(fields):
    """「その妥当性」 under 「②保管期間」 is 保管期間の妥当性; 「その必要性」 under 「対象となる本人の範囲」 is that range's."""
    koriyama = "001_fd6f090b79f37056.txt"
    assert rows(fields, koriyama, "保管期間の妥当性")[:1] == [
        (196, "徴収事務等の情報は、完結に長時間を要する場合が多いため、特定個人情報の再利用を考慮し保存する。")]
    assert not rows(fields, koriyama, "その妥当性")  # every one of 郡山市's sits right under its row
    labels = {f.label for d in fields.values() for f in d if not f.history}
    assert {"主な記録項目の妥当性", "対象となる本人の範囲の必要性", "対象となる本人の範囲の妥当性"} <= labels
    # 「その他…」 means "other": never renamed
    assert "その他の措置の内容" in labels and not any(x.endswith("のその他の措置の内容") for x in labels)


def test_a_row_named_by_the_row_above_is_not_missing_where_the_form_prints_its_own_name(assistant):
    """千葉市's PDF text prints 「その妥当性」 where no field was read: the form has the row, so the question is not
    told the row is missing (lookup._mentions reads the printed name too)."""
    a = assistant.ask("千葉市の国民年金事務情報ファイルの保管期間の妥当性は？")
    assert a.answerable and "記載がありません" not in a.text
    assert a.citations[0].doc == "003_36f852d2897e428a.txt"


def test_a_file_is_named_one_way_in_every_part(fields):
    """高知市 writes "(2) 本人確認情報ファイル" in one part and "(2)本人確認情報ファイル" in another: one file, spelled as
    the document first spells it, so a question naming it finds both parts' rows (its risk ratings were not narrowed
    to the file before)."""
    names = {f.file_name for f in fields["002_8198ed8bac5210ca.txt"] if f.file_name}
    assert names == {"(1) 住民基本台帳ファイル", "(2)本人確認情報ファイル", "(3)送付先情報ファイル", "(4)コンビニ交付用ファイル"}


def test_a_file_named_narrows_the_rows_of_every_part(assistant):
    ans = assistant.ask("高知市の本人確認情報ファイルで、不正に複製されるリスクへの対策は十分か？")
    rows = ans.fields or ((ans.field,) if ans.field else ())
    assert ans.kind == "field" and rows and all(f.file_name == "(2)本人確認情報ファイル" for f in rows)
    # the row under the risk it names (リスク4, line 642) alone; before, file (1)'s line 490 answered 十分である, and then
    # all of the file's risks' rows of 3. 特定個人情報の使用 were kept
    assert [f.line_start for f in rows] == [642] and "課題が残されている" in ans.text
    # a file's number is no part of what tells its rows apart by meaning: "(2)" moved cosines as much as names do
    assert assistant.fields.context_text(rows[0]).startswith("本人確認情報ファイル")


def test_a_row_knows_the_risk_it_rates(assistant):
    """Each 「リスクへの対策は十分か」 rates the risk stated just before it: its heading, from the evidence units."""
    by_line = {(f.doc, f.line_start): f for f in assistant.fields.fields}
    kochi = by_line[("002_8198ed8bac5210ca.txt", 642)]
    assert assistant.fields.risk_of(kochi).startswith("リスク4: 特定個人情報ファイルが不正に複製されるリスク")
    koriyama = by_line[("001_fd6f090b79f37056.txt", 729)]
    assert assistant.fields.risk_of(koriyama).startswith("リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク")
    # a row of part II sits under no risk
    assert assistant.fields.risk_of(by_line[("002_8198ed8bac5210ca.txt", 235)]) == ""
