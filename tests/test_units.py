"""Evidence units from the real corpus: spans, headings, labels; no unit crosses a section."""
from __future__ import annotations

import re

import pytest

from piaqa.parse.sections import CHANGELOG
from piaqa.parse.units import MAX_UNIT, corpus_units, document_units
from piaqa.text import compact

KURASHIKI, KORIYAMA, CHIBA = "000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt", "003_36f852d2897e428a.txt"
KOCHI = "002_8198ed8bac5210ca.txt"


@pytest.fixture(scope="module")
def units(docs):
    return corpus_units(list(docs.values()))


def test_ids_are_positions_and_spans_stay_inside_one_section(docs, units):
    assert [u.id for u in units] == list(range(len(units)))
    for u in units:
        doc = docs[u.doc]
        section = next(s for s in doc.sections if s.path == u.path and s.line_start <= u.line_start <= s.line_end)
        assert u.line_end <= section.line_end, u
        assert not section.path[0].endswith(CHANGELOG)
        assert 0 < len(u.text) <= MAX_UNIT


def test_unit_text_comes_from_its_own_lines(docs, units):
    for u in units[::7]:
        lines = compact(re.sub(r"<[^>]*>", "", docs[u.doc].span(u.line_start, u.line_end)))
        assert compact(u.text)[:15] in lines, u


def test_a_bullet_of_a_table_cell_is_one_unit_with_its_label_and_risk_heading(units):
    hit = [u for u in units if u.doc == KORIYAMA and u.line_start == 464]
    assert [x.text for x in hit] == ["①滞納管理システムの利用について、端末PCをユーザーID及びパスワードによる認証を行い、利用者を制限している。",
                                     "②端末PCについては、キーロックにより外部へ持ち出せないようにしている。"]
    u = hit[1]
    assert (u.line_start, u.line_end) == (464, 464)
    assert u.text == "②端末PCについては、キーロックにより外部へ持ち出せないようにしている。"
    assert u.label == "その他の措置の内容" and u.heading.startswith("リスク1")


def test_a_numbered_sub_heading_of_a_cell_heads_the_bullets_under_it(units):
    """高知市's physical measures (line 693): 「(1)サーバ」 and 「(2)記録媒体(バックアップ媒体等)」 each head their bullets; they
    are no units themselves, and the next sub-heading replaces the one before."""
    at = [u for u in units if u.doc == KOCHI and u.line_start == 693]
    server = next(u for u in at if u.text.startswith("・入退室管理されたサーバ室内"))
    backup = next(u for u in at if "遠隔地での分散保管" in u.text)
    assert server.heading.endswith(" サーバ") and backup.heading.endswith(" 記録媒体(バックアップ媒体等)")
    assert backup.heading.startswith("リスク1") and "記録媒体(バックアップ媒体等)" in backup.context
    assert not any(u.text.startswith(("(1)", "(2)")) for u in at)


def test_a_pdf_sentence_wrapped_over_lines_is_joined(docs):
    units = document_units(docs[CHIBA])
    hit = [u for u in units if "消磁、破砕、溶解" in u.text]
    assert [(u.line_start, u.line_end) for u in hit] == [(1857, 1859)]
    assert hit[0].text.startswith("・記憶装置又は記録媒体を廃棄する場合は") and hit[0].text.endswith("措置する。")


def test_choices_and_option_lists_are_not_units(units):
    assert not any("<選択肢>" in u.text or "＜選択肢＞" in u.text for u in units)
    assert not any(re.fullmatch(r"\[?\s*十分に行っている\s*\]?", u.text) for u in units)
    assert not any(re.fullmatch(r"[\[\]\s]*十分に行っている[\[\]\s]*", u.text) for u in units)  # 千葉市 2152: 「]…[」
    assert not any(re.match(r"\[[^\]]*\]\s*\d\)|\d\)\s*特に力を入れて", u.text) for u in units)


def test_checkbox_groups_and_parted_option_lists_are_not_units(units):
    """倉敷市's 入手元 / 入手方法 / 提供方法 rows (lines 78, 79, 104) are checkbox groups of option names, and 千葉市's
    PDF text leaves option lists parted from their <選択肢> marker (「2） 委託しない1） 委託する」, line 615): fields,
    not statements. Checkboxes that open statements (倉敷市's ⑤使用方法, line 83) leave units."""
    at = lambda doc, n: [u.text for u in units if u.doc == doc and u.line_start == n]  # noqa: E731
    assert at(KURASHIKI, 78) == [] and at(KURASHIKI, 79) == [] and at(KURASHIKI, 104) == []
    assert at(CHIBA, 615) == [] and at(CHIBA, 1306) == []
    assert at(KURASHIKI, 83)[0] == "個別に対応する国民年金事務に際して使用"
    assert not any(re.search(r"電子メール\s+専用線\s+庁内連携システム", u) for u in (x.text for x in units))


def test_titles_labels_and_bracket_remnants_are_not_units_and_an_unnumbered_risk_is_a_heading(units):
    """「## …の宣言」, 「5. 情報提供ネットワークシステムによる情報連携 ※」, 「※ 再委託しない ]」 and 「対象となる本人の数
    [10万人以上100万人未満]」 state nothing; 倉敷市's 重点項目 form names its one risk per part without a number
    (「リスク: 委託先における不正な使用等のリスク」, line 186): it heads the measures below it."""
    texts = [u.text for u in units]
    assert not any(t.startswith("#") or t.count("[") != t.count("]") for t in texts)
    assert not any(re.fullmatch(r"\d\.\s*情報提供ネットワークシステムによる情報連携.*", t) for t in texts)
    assert not any(t.startswith("対象となる本人の数 [") for t in texts)
    # a row label the layout put in a value cell, and a section title's lone 「[ ] 委託しない」 box, state nothing
    assert [u.text for u in units if u.doc == KURASHIKI and u.line_start in (185, 208)] == []
    rule = next(u for u in units if u.doc == KURASHIKI and u.text == "・必要に応じて委託先の視察・監査を行う")
    assert rule.heading == "リスク: 委託先における不正な使用等のリスク" and rule.label == "規定の内容"


def test_a_choice_cells_measures_after_its_option_list_are_units(units):
    """郡山市's ①自己点検, ②監査 and 教育・啓発 cells hold the rating, its <選択肢> list, then the measures
    (lines 863, 864, 866): the measures are prose, the rating and options are not."""
    at = {n: [u for u in units if u.doc == KORIYAMA and u.line_start == n] for n in (863, 864, 866)}
    assert at[863][0].text.startswith("年に1回以上、使用部署においてチェックリストによる自己点検を実施し")
    assert at[863][0].label == "①自己点検" and "郡山市における措置" in at[863][0].heading
    assert any("中長期監査計画及び年度監査計画" in u.text for u in at[864])
    assert [u.text for u in at[866]][:2] == ["①事務担当部署が使用部署に対し、必要な知識の習得に資するための研修を実施している。",
                                             "②情報セキュリティ担当部署が次の教育・啓発を行っている。"]
    assert not any("十分に行" in u.text or "選択肢" in u.text for n in at for u in at[n])


def test_unit_search_gives_a_sentence_the_document_repeats_once(assistant):
    """郡山市 states its provision-record rule once per file (three files): search returns it once, so the
    other places in the top results go to other evidence."""
    repeated = "特定個人情報の提供を行なう場合には担当職員を定めている"
    doc = KORIYAMA
    assert sum(u.doc == doc and u.text.startswith(repeated) for u in assistant.units.units) == 3
    hits = assistant.units.search("提供した情報等をシステム上で記録し", ["提供", "記録"], docs=[doc], k=10)
    assert len(hits) == 10 and len({(h.unit.doc, h.unit.text) for h in hits}) == 10
    assert sum(h.unit.text.startswith(repeated) for h in hits) == 1


def test_a_remark_that_continues_a_unit_is_read_with_it(assistant):
    """郡山市 L499: "…提供記録は7年分保存する…" is followed on the same line by "なお、契約期間満了までの保存とする。";
    the remark belongs to the unit before it, and a sentence that opens a new point does not."""
    units = assistant.units.units
    first = next(u for u in units if u.doc == KORIYAMA and u.line_start == 499
                 and u.text.startswith("特定個人情報の提供を行なう場合には"))
    assert [u.text for u in assistant.units.following(first)] == ["なお、契約期間満了までの保存とする。"]
    remark = assistant.units.following(first)[0]
    assert assistant.units.following(remark) == []
    assert all(not assistant.units.following(u) for u in units if u.doc == KORIYAMA and u.line_start == 1)


def test_a_prose_answer_may_quote_the_remark_and_cites_its_lines(assistant):
    from piaqa.answer.describe import describe
    from piaqa.search.unitsearch import UnitHit

    first = next(u for u in assistant.units.units if u.doc == KORIYAMA and u.line_start == 499
                 and u.text.startswith("特定個人情報の提供を行なう場合には"))
    question = "郡山市の提供の記録はいつまで保存しますか"
    weigh = lambda text: assistant.units.coverage(["保存", "契約", "満了"], text)  # noqa: E731
    query = assistant.understander.understand(question)
    alone = describe(query, UnitHit(first, 1.0, 0.9, 0.5), [], [], weigh, assistant.citation, 5)
    both = describe(query, UnitHit(first, 1.0, 0.9, 0.5), [], [], weigh, assistant.citation, 5,
                    assistant.units.following(first))
    assert "契約期間満了までの保存とする" not in alone.text and "契約期間満了までの保存とする" in both.text
    assert (both.citations[0].doc, both.citations[0].line_start, both.citations[0].line_end) == (KORIYAMA, 499, 499)
