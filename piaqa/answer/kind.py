"""Which kind of assessment a document is — its 評価書種別 (全項目 / 重点項目 / 基礎項目評価書), read from the cover
by parse/meta — stated and cited on the cover line that names it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from piaqa.records import Answer, Citation, Document
from piaqa.text import compact

KIND_EN = {"全項目評価書": "full assessment", "重点項目評価書": "key-items assessment",
           "基礎項目評価書": "basic-items assessment"}
COVER_LINES = 60  # parse/meta reads the cover's first 60 lines: the kind is named there (or in the title)

CiteFn = Callable[[str, int, int, str], Citation]


def _cover_line(doc: Document) -> int:
    """The first cover line (1-based) that names the document's kind; 1 when none does (the title names it)."""
    kind = compact(doc.meta.kind)
    return next((i for i, x in enumerate(doc.lines[:COVER_LINES], 1) if kind in compact(x)), 1)


def kind_answer(question: str, lang: str, docs: Sequence[Document], cite: CiteFn) -> Answer:
    """Each document's kind of assessment, with the cover line that says so."""
    parts, cits = [], []
    for i, d in enumerate(docs, 1):
        line = _cover_line(d)
        cits.append(cite(d.meta.doc, line, line, "表紙"))
        m = d.meta
        parts.append(f"{m.city}'s assessment of {m.jimu} is a {KIND_EN.get(m.kind, m.kind)} ({m.kind}) [{i}]"
                     if lang == "en" else f"{m.city}の{m.jimu}の評価書は{m.kind}です [{i}]")
    text = "; ".join(parts) + ("." if lang == "en" else "。")
    return Answer(question, text, tuple(cits), cities=tuple(dict.fromkeys(d.meta.city for d in docs)), kind="meta")
