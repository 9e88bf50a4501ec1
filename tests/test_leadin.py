"""A sentence announcing a list answers from its items: the grammar, the items of real rows, and a real lookup."""
from __future__ import annotations

import pytest

from piaqa.answer.leadin import announces_list, list_items

KURASHIKI, KORIYAMA, CHIBA = "000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt", "003_36f852d2897e428a.txt"


@pytest.mark.parametrize("text, announces", [
    ("②情報セキュリティ担当部署が次の教育・啓発を行っている。", True),
    ("選定時においては、以下の事項を入札参加資格としている。", True),
    ("リスクへの対策は、以下のとおり：", True),
    ("以下のことから、送付先情報ファイルにおいて古い情報のまま保管され続けるリスクは存在しない。", True),
    ("委託先の管理は下記のとおり", True),
    # a comparison (以下 after a number) and a definition (以下「…」という) announce nothing
    ("対象者は10人以下の事業所とする。", False),
    ("番号法(以下「番号法」という。)に基づき提供する。", False),
    # 次の in a clause the sentence goes on after is no announcement
    ("次の担当者が確認し、記録を残す。", False),
    ("・e-ラーニングによる情報セキュリティ研修の実施", False),
])
def test_announcing_sentences(text, announces):
    assert announces_list(text) is announces


def _unit(assistant, doc, words):
    return next(u for u in assistant.units.units if u.doc == doc and words in u.text)


def test_items_stop_at_the_next_point_of_the_lead(assistant):
    units = assistant.units.units
    lead = _unit(assistant, KORIYAMA, "情報セキュリティ担当部署が次の教育・啓発を行っている")
    items = list_items(lead, units)
    # the three bullets; the row goes on with 「①中間サーバー・プラットフォームの…」, a point of the lead's numbering
    assert [u.text for u in items] == ["・定期及び随時に情報セキュリティ対策の啓発通知を各課へ回覧",
                                       "・個人情報保護・情報セキュリティハンドブックによる自己啓発",
                                       "・e-ラーニングによる情報セキュリティ研修の実施"]
    assert units[items[-1].id + 1].text.startswith("①")


def test_items_of_a_long_row_reach_its_last_point(assistant):
    lead = _unit(assistant, KURASHIKI, "との協力連携事務で取り扱う")
    items = list_items(lead, assistant.units.units)
    assert items[-1].text.startswith("2、協力連携事務")
    assert all((u.doc, u.path, u.label) == (lead.doc, lead.path, lead.label) for u in items)


def test_a_lookup_answers_from_the_announced_items(assistant):
    a = assistant.ask("倉敷市って、国民年金で年金機構と協力してやってる仕事には何があるの？")
    assert a.kind == "describe" and "保険料の納付案内、口座振替、前納の促進事務" in a.text
    assert a.citations[0].doc == KURASHIKI
    lead = _unit(assistant, KURASHIKI, "との協力連携事務で取り扱う")
    item = list_items(lead, assistant.units.units)[-1]
    assert (a.citations[0].line_start, a.citations[0].line_end) == (item.line_start, item.line_end)
