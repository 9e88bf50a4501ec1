"""Bodies a question names as where data goes: 「保育幼稚園課へ移転する際の根拠」, "provides it to the Election
Commission (選挙管理委員会)". Read once into Query.recipients; the answer layer checks them against the bodies an
assessment states its data goes to (answer/recipients.py)."""
from __future__ import annotations

import re

from piaqa.text import nfkc

# the closing word of a body's name as the form writes bodies (a closed class: 国民健康保険課, 高知市教育委員会,
# 日本年金機構, 福島県後期高齢者医療広域連合, 福島情報処理センター, 都道府県知事)
BODY_END = r"(?:課|室|局|部|委員会|機構|センター|連合|事務所|税務署|知事|庁)"
_BODY = r"(?P<body>[一-龥ァ-ヶー]{2,24}?" + BODY_END + r")"  # 外部 (outside) is no body: two characters before the end
# a body named by its role, not its name (「国保の担当課」「関係部署」): nothing to check it against
_GENERIC = re.compile(r"^(?:担当|所管|関係|関連|主管|他|別|各|当該|同|庁内|外部|内部)")
# a verb of passing data on (移転, 提供, 渡す, 送る, 回す, 出す, 連携, 通知): the body before it, with に/へ, is where
# the data goes; not a source (から) nor the body doing the work (が, は)
# … within a clause: up to 24 characters between (「保育幼稚園課にはどういう根拠で児童手当のデータを渡してる」)
_PASS_JA = r"(?:移転|提供|渡|送|回|(?<!提)出|連携|通知)"  # not 提出: an assessment is submitted (to 個人情報保護委員会)
_TO_JA = re.compile(_BODY + r"(?:に対して|に対し|あて|に|へ)(?:は|も)?[^。？?、,]{0,24}?" + _PASS_JA)
# English: a verb of passing, then "to" a body glossed in Japanese ("moves it to the childcare division (保育幼稚園課)")
_PASS_EN = r"\b(?:provid|send|sent|pass|mov|transfer|giv|gave|shar|hand|forward|disclos|suppl)\w*\b"
_TO_EN = re.compile(_PASS_EN + r"[^?.]{0,80}?\bto\b[^?.()（）]{0,60}?[(（]\s*" + _BODY + r"\s*[)）]", re.I)


def named_recipients(question: str) -> tuple[str, ...]:
    """The bodies the question names as receiving data, in order, each once."""
    q = nfkc(question)
    found = [m.group("body") for m in _TO_JA.finditer(q)] + [m.group("body") for m in _TO_EN.finditer(q)]
    return tuple(dict.fromkeys(b for b in found if not _GENERIC.match(b)))
