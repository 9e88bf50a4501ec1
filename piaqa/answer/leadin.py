"""A sentence that announces a list (「…次の教育・啓発を行っている。」「以下の事項を入札参加資格としている。」) states
nothing itself: what it announces is in the items after it. A lookup whose best unit is such a sentence answers
from the best of its items."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from piaqa.records import Unit
from piaqa.search.unitsearch import UnitHit

# the words that announce what follows: 次の / 以下の / 下記の (and …のとおり); 以下 after a number or a counter is a
# comparison (「10人以下の」), and 以下「…」という is a definition, so both are left out
_ANNOUNCES = re.compile(r"(次|下記|(?<![0-9０-９〇一二三四五六七八九十百千万億人件年月日歳名回個台%％])以下)(の|のとおり)")
# a sentence that opens on what follows: 以下/下記 always point ahead (次 opening a sentence may mean "next")
_OPENS = re.compile(r"(以下|下記)の")
# the item markers a list is written with; a numbered point (①, (2), 3、) begins the next point when the announcing
# sentence is itself one
_MARKER = re.compile(r"^\s*([・●○◆■□※\-－]|[\u2460-\u2473]|\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[、.)）])")
_POINT = re.compile(r"^\s*([\u2460-\u2473]|\(\d{1,2}\)|（\d{1,2}）|\d{1,2}[、.)）])")


def announces_list(text: str) -> bool:
    """Whether a sentence announces a list after it: 「次の/以下の/下記の …」 sits in its last clause (「…、以下の事項
    を入札参加資格としている。」) or 「以下の/下記の」 opens it (「以下のことから、…リスクは存在しない。」), and the sentence
    ends there (。, a colon, …のとおり). 「次の担当者が確認し、記録を残す。」 names 次の ("next") in a clause that does not
    end the sentence: it announces nothing."""
    text = _MARKER.sub("", text.strip())
    last = re.split(r"[、，,]", text)[-1]
    return bool(_ANNOUNCES.search(last) or _OPENS.match(text)) and text.endswith(("。", "：", ":", "とおり"))


def list_items(lead: Unit, units: Sequence[Unit]) -> list[Unit]:
    """The items after an announcing unit: the next units of the same row (however many: 倉敷市's 事務の内容 lists 12
    duties), up to the next point of the lead's own numbering (「②…次の…」 stops at 「③…」) or the next announcing
    sentence."""
    own_point = _POINT.match(lead.text)
    out: list[Unit] = []
    for nxt in units[lead.id + 1:]:
        if (nxt.doc, nxt.path, nxt.label) != (lead.doc, lead.path, lead.label) or announces_list(nxt.text) \
                or (own_point and _POINT.match(nxt.text)):
            break
        out.append(nxt)
    return out


def answering_item(best: UnitHit, candidates: Sequence[UnitHit], units: Sequence[Unit],
                   weight: Callable[[str], float]) -> UnitHit | None:
    """The item that answers for an announcing best unit: the first of its items among the candidates, else the
    item that covers most of the question; None when the best unit announces nothing or has no items."""
    if not announces_list(best.unit.text):
        return None
    items = list_items(best.unit, units)
    if not items:
        return None
    ids = {u.id for u in items}
    for c in candidates:
        if c.unit.id in ids:
            return c
    top = max(items, key=lambda u: weight(u.text))
    return UnitHit(top, best.rank_score, best.dense, weight(top.text))
