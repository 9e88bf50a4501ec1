"""Form labels made comparable; shared by the field parser and the PDF change-log parser."""
from __future__ import annotations

import re

from piaqa.text import compact

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def norm_label(label: str) -> str:
    """Comparable label: circled numbers, ※, markup and spaces removed, NFKC."""
    s = re.sub(rf"[{CIRCLED}※\s]", "", label)
    s = re.sub(r"^\d{1,2}[\.．]", "", s)
    return compact(s).strip("・:：")
