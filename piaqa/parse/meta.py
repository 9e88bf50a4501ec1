"""Document metadata read from the cover of an assessment."""
from __future__ import annotations

import re

from piaqa.records import DocMeta
from piaqa.text import clean_line, compact, nfkc

_KINDS = ("全項目評価書", "重点項目評価書", "基礎項目評価書")
_CITY = re.compile(r"^(?:.{2,3}[都道府県])?(.{1,6}?[市町村区])長?$")
_DATE = re.compile(r"^(令和|平成|昭和)\s*(\d{1,2}|元)年\s*\d{1,2}月\s*\d{1,2}日$|^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?$")
_DECLARE = re.compile(r"^(.{1,6}?[市町村区])は、")


class MetadataError(ValueError):
    """The cover of a document lacks a field piaqa needs."""


def _cover(lines: tuple[str, ...], limit: int = 60) -> list[str]:
    """Cleaned, NFKC, non-blank lines of the cover (first `limit` lines)."""
    out = [nfkc(clean_line(x)) for x in lines[:limit]]
    return [x for x in out if x]


def _after(cover: list[str], label: str) -> str | None:
    """The line following a label line (value on the next line), or the rest of the label line."""
    for i, line in enumerate(cover):
        if compact(line) == compact(label) and i + 1 < len(cover):
            return cover[i + 1]
    return None


def _city(cover: list[str]) -> str | None:
    """評価実施機関名 as a city (倉敷市長 -> 倉敷市, 福島県郡山市長 -> 郡山市)."""
    candidates = [_after(cover, "評価実施機関名")] + cover
    for c in candidates:
        if c and (m := _CITY.match(compact(c))) and compact(c).endswith("長"):
            return m.group(1)
    for c in cover:
        if m := _DECLARE.match(c):
            return m.group(1)
    return None


def _number_and_title(cover: list[str]) -> tuple[str | None, str | None]:
    """評価書番号 and 評価書名, from a "番号<TAB>名" table or from label/value lines."""
    for i, line in enumerate(cover):
        if compact(line) == "評価書番号評価書名" and i + 1 < len(cover):
            num, _, title = cover[i + 1].partition(" ")
            return num.strip(), title.strip()
    num = _after(cover, "評価書番号")
    title = _after(cover, "評価書名")
    return (num if num and num.isdigit() else None), title


def parse_meta(doc: str, lines: tuple[str, ...]) -> DocMeta:
    """Metadata of one assessment; raises MetadataError naming what is missing."""
    cover = _cover(lines)
    city = _city(cover)
    number, title = _number_and_title(cover)
    kind = next((k for k in _KINDS if any(k in compact(x) for x in cover[:3])), None)
    if kind is None and title:
        kind = next((k for k in _KINDS if k in compact(title)), None)
    if not (city and title and kind):
        raise MetadataError(f"{doc}: cannot read city/評価書名/種別 from the cover "
                            f"(city={city!r}, title={title!r}, kind={kind!r}); is it a 特定個人情報保護評価書?")
    jimu = re.sub(r"\s+", "", title).replace(kind, "")
    jimu = jimu[len(city):] if jimu.startswith(city) else jimu
    published = _after(cover, "公表日")
    published = published if published and _DATE.match(compact(published)) else None
    return DocMeta(doc=doc, city=city, jimu=jimu, kind=kind, number=number, published=published)
