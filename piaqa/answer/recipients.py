"""Whether an assessment states that its data goes to a body the question names (Query.recipients).

A question asking about data passed to a body the assessment never names as a recipient, destination or contractor
(「保育幼稚園課へ移転する際の根拠」 when 保育幼稚園課 is only a source; a destination the change log deleted) is not
answered by another recipient's row: the form does not state it. A body that may be one of a category a row names
(都道府県知事等, 官公署, the 照会者 of an appendix) is not known to be absent, and is left to the lookup."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from piaqa.records import Field
from piaqa.text import compact
from piaqa.understand.qualify import SECTION_PART, abbreviates, last_section

# the rows naming a body the data goes to: outside bodies (提供先), the city's own sections (移転先), contractors
DESTINATION_LABELS = frozenset({"提供先", "移転先", "委託先名", "再委託先名", "再委託先"})
_INTERNAL = re.compile(r"(?:課|室|局|部)$")  # a section of the city itself: its data is moved (移転), not provided
# a row naming a category of bodies rather than one: any body of it may be meant
_CATEGORY = re.compile(r"等|別紙|照会者|官公署|機関|団体|その他|各")
_LIST = re.compile(r"及び|並びに|、|,|・|/")


@dataclass(frozen=True)
class AbsentRecipient:
    """A body named as receiving data that the document states nothing goes to, and the rows saying where it goes."""

    body: str
    stated: tuple[Field, ...]


def names_body(body: str, value: str) -> bool:
    """Whether a row's value names the body: spelled inside it or it inside the body (金沢市市民課 / 市民課), its last
    section or the usual shortening of it (国保課), or a listed body the name ends with (機構 of 都道府県及び機構)."""
    b, v = compact(body), compact(value)
    if not v:
        return False
    if b in v or v in b:
        return True
    last = last_section(b) or b
    if len(last) >= 3 and (last in v or any(abbreviates(last, p) for p in SECTION_PART.findall(v))):
        return True
    return any(len(x) >= 2 and b.endswith(x) for x in _LIST.split(v))


def absent_recipient(bodies: Sequence[str], fields: Sequence[Field]) -> AbsentRecipient | None:
    """The first body none of the document's current destination rows names, when none of the rows of its kind
    (移転先 for a section of the city, 提供先 for any other body) is a category that could hold it."""
    rows = tuple(f for f in fields if f.label in DESTINATION_LABELS and not f.history and f.value.strip())
    for body in bodies:
        if any(names_body(body, f.value) for f in rows):
            continue
        kind = "移転先" if _INTERNAL.search(body) else "提供先"
        if any(f.label == kind and _CATEGORY.search(f.value) for f in rows):
            continue
        return AbsentRecipient(body, rows)
    return None
