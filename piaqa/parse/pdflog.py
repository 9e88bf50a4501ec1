"""PDF-extracted text (003 千葉市): change-log rows and 委託事項 placement.

In text extracted from a PDF the 変更箇所 table has no tabs: a row is a date line, the item path
wrapped over several narrow lines, then 変更前 and 変更後 (as blank-separated blocks, or on one
line separated by an ASCII space — full-width spaces belong inside values), then 提出時期
(事前/事後) and an explanation. Page headers repeat; "前記継続" pages continue an earlier row and
are skipped; the last rows of 003 have no date at all. In the body, cells of the 委託 table are
interleaved, so which 委託事項 a value belongs to is decided from evidence: the change log's
current values, explicit 委託事項N lines and line proximity, and flagged uncertain when guessed.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from piaqa.parse.labels import norm_label
from piaqa.records import Document, Field, Section
from piaqa.text import clean_line, compact, nfkc

log = logging.getLogger(__name__)

_DATE = re.compile(r"^(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HEADER = ("変更日", "変更前の記載", "変更後の記載")
_CONT = "前記継続"
_PATH_START = re.compile(r"^「?[ⅠⅡⅢⅣⅤⅥ]")
_TOKEN = re.compile(r"(?:^| )(事後|事前)(?= |$)")
_ITEM = re.compile(r"(委託事項|提供先|移転先|システム)(\d{1,2})")
_ITEM_ONLY = re.compile(r"^(委託事項|提供先|移転先|システム)(\d{1,2})$")
_TITLE = re.compile(r"^委託事項\s*(\d{1,2})(?:\s|$)")
_EXPLAIN = re.compile(r"^[①②③]?(重要な変更|事後で足りる|その他の項目の変更)")
_TAIL = re.compile(r" +重要な変更に該当しない$")
_NEW_LINE = re.compile(r"^(?:[・･【＜<●〔\[［\u3000]|[①-⑳]|\d{1,2}[．.])")
_BLANK = {"", "(記載なし)", "記載なし", "-", "ー", "—", "―", "空白"}
_GAP = re.compile(r" +(?![^\[［（(〔「]*[\]］）)〕」])")  # a space not inside brackets


@dataclass(frozen=True)
class _Row:
    """One change-log row as line numbers: start (date or path), path lines, body lines, end."""

    start: int
    date: str | None
    path: tuple[int, ...]
    body: tuple[int, ...]
    end: int


def is_pdf_text(doc: Document) -> bool:
    """True when the document has essentially no tab-separated rows (text extracted from a PDF)."""
    filled = [x for x in doc.lines if x.strip()]
    return bool(filled) and sum("\t" in x for x in filled) < 0.01 * len(filled)


def _kind(raw: str) -> str:
    """What a change-log line is: blank, header, cont, date, path or text."""
    s = raw.strip()
    if not s:
        return "blank"
    c = compact(s)
    if all(h in c for h in _HEADER):
        return "header"
    if c.startswith(_CONT) or (_DATE.match(c) and c.endswith(_CONT)):
        return "cont"
    m = _DATE.match(c)
    if m and m.end() == len(c):
        return "date"
    return "path" if _PATH_START.match(s) else "text"


def _starts(doc: Document, section: Section) -> list[tuple[int, str | None, int]]:
    """(row start, date as written or None, first path line) for every row of the section."""
    kinds = {no: _kind(doc.lines[no - 1]) for no in range(section.line_start, section.line_end + 1)}
    out: list[tuple[int, str | None, int]] = []
    used: set[int] = set()
    for no in range(section.line_start + 1, section.line_end + 1):
        if kinds[no] == "date":
            p = next((n for n in range(no + 1, section.line_end + 1) if kinds[n] != "blank"), None)
            if p is not None and kinds[p] in ("path", "text"):
                out.append((no, doc.lines[no - 1].strip(), p))
                used.add(p)
        elif kinds[no] == "path" and no not in used and kinds.get(no - 1) in ("blank", "header"):
            out.append((no, None, no))
    return out


def _rows(doc: Document, section: Section) -> list[_Row]:
    """Rows of a PDF change log, each cut at the next row, page header or 前記継続 page."""
    starts = _starts(doc, section)
    rows = []
    for i, (start, date, first) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else section.line_end + 1
        cut = next((n for n in range(first, stop) if _kind(doc.lines[n - 1]) in ("header", "cont")), stop)
        lines = list(range(first, cut))
        blank = next((n for n in lines if not doc.lines[n - 1].strip()), cut)
        path = tuple(n for n in lines if n < blank)
        body = tuple(n for n in lines if n > blank)
        filled = [n for n in lines if doc.lines[n - 1].strip()]
        rows.append(_Row(start, date, path, body, filled[-1] if filled else start))
    return rows


def _item_label(path_text: str) -> tuple[str | None, str]:
    """(item such as 委託事項2, normalised last label) of a change-log item path."""
    c = nfkc(path_text)
    items = _ITEM.findall(re.sub(r"\s+", "", c))
    item = f"{items[-1][0]}{items[-1][1]}" if items else None
    parts = [p for p in re.split(r"[\u3000「」]+|(?=[①-⑳])|(?<=\D)(?=[0-9０-９]{1,2} ?[．.])", path_text)
             if p.strip()]
    last = compact(parts[-1]) if parts else compact(path_text)
    m = _ITEM_ONLY.match(nfkc(last))
    return item, (m.group(1) if m else norm_label(last))


def _split_parts(s: str) -> list[str]:
    """Split a line on ASCII spaces outside brackets: the PDF's column gaps."""
    return [p for p in _GAP.split(s) if p]


def _blocks(texts: list[str]) -> list[list[str]]:
    """Blank-separated blocks of raw lines, explanation-like blocks dropped."""
    blocks: list[list[str]] = [[]]
    for t in texts:
        if t.strip():
            blocks[-1].append(_TAIL.sub("", t.strip(" \t")))  # a full-width indent starts a line
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    return [b for b in blocks if not _EXPLAIN.match(compact("".join(b)))]


def _join(lines: list[str]) -> str:
    """Lines of one cell as clean text: wrapped lines glued, bulleted lines kept apart."""
    out = ""
    for raw in lines:
        s = clean_line(raw)
        out += ("\n" if out and s and _NEW_LINE.match(raw.lstrip(" ")) else "") + s
    value = out.strip()
    return "" if compact(value) in _BLANK else value


def _first_repeat(blocks: list[list[str]]) -> int | None:
    """Index of the block where 変更後 restarts 変更前: same first line, else one of its first lines."""
    head = compact(blocks[0][0])
    for k in range(1, len(blocks)):
        if compact(blocks[k][0]) == head:
            return k
    keys = [compact(x) for x in blocks[0][:3] if len(compact(x)) >= 8]
    for k in range(1, len(blocks)):
        if any(compact(x) in keys for x in blocks[k]):
            return k
    return None


def _split_blocks(blocks: list[list[str]]) -> tuple[list[str], list[str], bool]:
    """(old lines, new lines, uncertain) from value blocks with nothing on the 提出時期 line."""
    if not blocks:
        return [], [], True
    if compact(blocks[0][0]) in _BLANK:
        return [], blocks[0][1:] + [x for b in blocks[1:] for x in b], False
    if len(blocks) > 1 and compact(" ".join(blocks[-1])) in _BLANK:
        return [x for b in blocks[:-1] for x in b], [], False
    if len(blocks) == 2:
        return blocks[0], blocks[1], False
    if len(blocks) == 1:
        return [], blocks[0], True
    k = _first_repeat(blocks)
    old, new = blocks[:k or 1], blocks[k or 1:]
    return [x for b in old for x in b], [x for b in new for x in b], k is None


def _old_new(texts: list[str]) -> tuple[str, str, bool]:
    """(変更前, 変更後, uncertain) of a row body (the lines after the item path)."""
    tok = next(((i, m) for i, t in enumerate(texts) if (m := _TOKEN.search(t.strip()))), None)
    if tok is None:
        old, new, _ = _split_blocks(_blocks(texts))
        return _join(old), _join(new), True
    i, m = tok
    blocks, rest = _blocks(texts[:i]), _split_parts(texts[i].strip()[:m.start()].strip())
    if not rest:
        old, new, unsure = _split_blocks(blocks)
        return _join(old), _join(new), unsure
    if not blocks and len(rest) == 2:
        return _join([rest[0]]), _join([rest[1]]), False
    if blocks and len(rest) == 1:
        return _join([x for b in blocks for x in b]), _join(rest), False
    if not blocks and compact(rest[0]) in _BLANK:
        return "", _join([" ".join(rest[1:])]), False
    if not blocks and compact(rest[-1]) in _BLANK:
        return _join([" ".join(rest[:-1])]), "", False
    old = [x for b in blocks for x in b] + rest[:-1]
    return _join(old), _join(rest[-1:]), True


def history_fields_pdf(doc: Document, section: Section) -> list[Field]:
    """Change-log rows of a PDF-text 変更箇所 section as history Fields."""
    out = []
    rows = _rows(doc, section)
    for row in rows:
        texts = [doc.lines[n - 1] for n in row.body]
        if not any(t.strip() for t in texts):
            log.debug("%s: change-log row at line %d has no values", doc.meta.doc, row.start)
            continue
        raw_label = "".join(doc.lines[n - 1].strip() for n in row.path)
        item, label = _item_label(raw_label)
        old, new, unsure = _old_new(texts)
        out.append(Field(doc=doc.meta.doc, city=doc.meta.city, path=section.path, item=item,
                         label=label, raw_label=raw_label, value=new, options=(),
                         line_start=row.start, line_end=row.end, file_name=section.file_name,
                         history=True, changed_on=row.date, old_value=old, uncertain=unsure))
    log.info("%s: %d of %d change-log rows parsed (%d uncertain)", doc.meta.doc, len(out), len(rows),
             sum(f.uncertain for f in out))
    return out


# ---- which 委託事項 a current field of II 4. belongs to ----

_NOT_PER_ITEM = ("委託の有無", "委託事項")


def _is_itaku(f: Field) -> bool:
    """A current, per-item field of II 4. 特定個人情報ファイルの取扱いの委託."""
    return (not f.history and len(f.path) > 1 and f.path[-1].endswith("委託") and "概要" in f.path[0]
            and not f.label.startswith(_NOT_PER_ITEM))


def _key(value: str) -> str:
    """Comparable form of a value: NFKC, no whitespace, no choice brackets."""
    return re.sub(r"[\[\]［］]", "", compact(value))


def _same(a: str, b: str) -> bool:
    """Same value up to NFKC and spacing; a cut-off (prefix) or contained value counts too."""
    x, y = _key(a), _key(b)
    if not x or not y:
        return False
    short, long_ = sorted((x, y), key=len)
    return x == y or (len(short) >= 6 and long_.startswith(short)) or (len(short) >= 10 and short in long_)


def _date_key(date: str | None) -> tuple[int, int, int]:
    """令和/平成 date as (year, month, day); (0, 0, 0) when missing."""
    m = _DATE.match(compact(date or ""))
    if not m:
        return (0, 0, 0)
    era, year, month, day = m.groups()
    return ((2018 if era == "令和" else 1988) + (1 if year == "元" else int(year)), int(month), int(day))


def _latest(history: list[Field]) -> dict[tuple[str, str], str]:
    """(委託事項N, label) -> newest 変更後 value among the change-log rows whose split is certain."""
    best: dict[tuple[str, str], tuple[tuple[tuple[int, int, int], int], str]] = {}
    for h in history:
        if not (h.history and h.item and h.item.startswith("委託事項")) or h.uncertain:
            continue
        order = (_date_key(h.changed_on), h.line_start)
        if (h.item, h.label) not in best or best[(h.item, h.label)][0] < order:
            best[(h.item, h.label)] = (order, h.value)
    return {k: v for k, (_, v) in best.items()}


def _evidence(f: Field, latest: dict[tuple[str, str], str], items: list[str]) -> tuple[set[str], set[str]]:
    """(items whose newest logged value is this field's value, items whose logged value contradicts it)."""
    pos: set[str] = set()
    neg: set[str] = set()
    for item in items:
        logged = latest.get((item, f.label))
        if logged is None or not f.value:
            continue
        (pos if _same(f.value, logged) else neg).add(item)
    return pos, neg


def _titles(doc: Document | None) -> list[tuple[int, str]]:
    """(line, 委託事項N) of explicit 委託事項N lines in the body's 委託 sections."""
    if doc is None:
        return []
    out = []
    for s in doc.sections:
        if "概要" in s.path[0] and s.path[-1].endswith("委託"):
            for no in range(s.line_start, s.line_end + 1):
                if m := _TITLE.match(nfkc(clean_line(doc.lines[no - 1]))):
                    out.append((no, f"委託事項{int(m.group(1))}"))
    return out


def _by_evidence(fields: list[Field], todo: list[int], ev: dict[int, tuple[set[str], set[str]]],
                 items: list[str]) -> dict[int, str]:
    """Certain items: the one field a logged value matches, then the only item nothing rules out."""
    out: dict[int, str] = {}
    for label in {fields[i].label for i in todo}:
        idx = [i for i in todo if fields[i].label == label]
        for item in items:
            hits = [i for i in idx if item in ev[i][0]]
            if len(hits) == 1 and ev[hits[0]][0] == {item}:
                out[hits[0]] = item
        changed = len(idx) <= len(items)  # one such field per item: elimination is sound
        while changed:
            free = set(items) - {out[i] for i in idx if i in out}
            left = [(i, free - ev[i][1]) for i in idx if i not in out]
            forced = [(i, c) for i, c in left if len(c) == 1]
            changed = bool(forced)
            if forced:
                out[forced[0][0]] = next(iter(forced[0][1]))
    return out


def _candidates(f: Field, ev: tuple[set[str], set[str]], items: list[str], taken: set[tuple[str, str]],
                unique: bool) -> list[str]:
    """Items a field may still take: logged matches first, then anything not contradicted."""
    free = [it for it in items if not unique or (f.label, it) not in taken]
    return [it for it in free if it in ev[0]] or [it for it in free if it not in ev[1]] or free


def _by_proximity(fields: list[Field], todo: list[int], ev: dict[int, tuple[set[str], set[str]]],
                  items: list[str], anchors: list[tuple[int, str]], certain: dict[int, str]) -> dict[int, str]:
    """Guesses: repeatedly give the field nearest to an anchor that anchor's item."""
    counts = {fields[i].label: sum(fields[j].label == fields[i].label for j in todo) for i in todo}
    taken = {(fields[i].label, it) for i, it in certain.items()}
    rest, out = [i for i in todo if i not in certain], {}
    while rest:
        options = [(abs(line - fields[i].line_start), fields[i].line_start, i, it) for i in rest
                   for it in _candidates(fields[i], ev[i], items, taken, counts[fields[i].label] <= len(items))
                   for line, a in anchors if a == it]
        if not options:
            break
        _, _, i, it = min(options)
        out[i] = it
        taken.add((fields[i].label, it))
        rest.remove(i)
    return out


def place_items_pdf(fields: list[Field], history: list[Field], doc: Document | None = None) -> list[Field]:
    """Current fields, with the 委託事項 of each 委託 field decided from change-log and layout evidence."""
    current = [f for f in fields if not f.history]
    latest = _latest(history)
    titles = _titles(doc)
    explicit = [(f.line_start, f.item) for f in current if f.label == "委託事項" and f.item]
    items = sorted({k[0] for k in latest} | {t for _, t in titles + explicit},
                   key=lambda s: int(re.sub(r"\D", "", s)))
    todo = [i for i, f in enumerate(current) if _is_itaku(f)]
    if not todo or not items:
        return current
    ev = {i: _evidence(current[i], latest, items) for i in todo}
    certain = _by_evidence(current, todo, ev, items)
    anchors = [(current[i].line_start, it) for i, it in certain.items()] + titles + explicit
    guessed = _by_proximity(current, todo, ev, items, anchors, certain)
    out = list(current)
    for i in todo:
        item = certain.get(i) or guessed.get(i) or current[i].item
        out[i] = replace(current[i], item=item, uncertain=i not in certain)
    log.info("%s: %d 委託 fields placed from evidence, %d by proximity", current[todo[0]].doc,
             len(certain), len(guessed))
    return out
