"""Ingestion of the five real documents: metadata, sections, line spans, chunks."""
from __future__ import annotations

import pytest

from piaqa.search.chunk import chunk_documents
from piaqa.text import clean_line

META = {
    "000_2b92446a3e503446.txt": ("倉敷市", "国民年金に関する事務", "重点項目評価書", "11", "令和5年3月31日"),
    "001_fd6f090b79f37056.txt": ("郡山市", "地方税等の徴収及び滞納整理事務", "全項目評価書", "9", "令和3年12月28日"),
    "002_8198ed8bac5210ca.txt": ("高知市", "住民票に関する事務", "全項目評価書", "1", None),
    "003_36f852d2897e428a.txt": ("千葉市", "国民年金に関する事務", "全項目評価書", "27", None),
    "004_57af33314b6a26f0.txt": ("金沢市", "児童手当に関する事務", "重点項目評価書", "16", "令和7年1月14日"),
}


@pytest.mark.parametrize("doc", sorted(META))
def test_metadata(docs, doc):
    m = docs[doc].meta
    assert (m.city, m.jimu, m.kind, m.number, m.published) == META[doc]


# (doc, first line of the II-4 委託 section, last line, file name in the path or None)
ITAKU = [
    ("000_2b92446a3e503446.txt", 86, 95, None),
    ("001_fd6f090b79f37056.txt", 134, 168, "(1) 滞納管理システムファイル"),
    ("002_8198ed8bac5210ca.txt", 178, 191, "(1) 住民基本台帳ファイル"),
    ("003_36f852d2897e428a.txt", 750, 1028, None),
    ("004_57af33314b6a26f0.txt", 132, 145, None),
]


@pytest.mark.parametrize("doc,start,end,file_name", ITAKU)
def test_itaku_section_span(docs, doc, start, end, file_name):
    secs = [s for s in docs[doc].sections if s.path[0].startswith("II ")
            and s.path[-1] == "4. 特定個人情報ファイルの取扱いの委託"]
    assert secs, "no II-4 section"
    first = [s for s in secs if s.line_start == start]
    assert first and first[0].line_end == end
    if file_name:
        assert first[0].path[1] == file_name


def test_sections_cover_every_line_once(docs):
    for d in docs.values():
        covered = [n for s in d.sections for n in range(s.line_start, s.line_end + 1)]
        assert covered == list(range(1, len(d.lines) + 1)), d.meta.doc


def test_multi_file_documents_keep_files_apart(docs):
    d = docs["001_fd6f090b79f37056.txt"]
    files = {s.path[1] for s in d.sections if s.path[0].startswith("II ") and len(s.path) == 3}
    assert files == {"(1) 滞納管理システムファイル", "(2)後期高齢者医療保険料徴収システムデータベースファイル",
                     "(3) 収納管理システムファイル"}


def test_pdf_headings_with_fullwidth_numerals(docs):
    d = docs["003_36f852d2897e428a.txt"]
    paths = {s.path_str: s.line_start for s in d.sections}
    assert paths["V 開示請求、問合せ > 1. 特定個人情報の開示・訂正・利用停止請求"] == 2173
    assert paths["(別添3) 変更箇所"] == 2291


def test_missing_part_heading_is_implied(docs):
    """倉敷市's risk part has no "III" heading; its items must still land in III."""
    d = docs["000_2b92446a3e503446.txt"]
    sec = next(s for s in d.sections if s.line_start == 185)
    assert sec.path[0].startswith("III") and sec.path[-1] == "4. 特定個人情報ファイルの取扱いの委託"


def test_chunks_never_cross_sections_and_stay_short(docs):
    all_docs = list(docs.values())
    chunks = chunk_documents(all_docs, 500, 900)
    sections = [s for d in all_docs for s in d.sections]
    for c in chunks:
        assert any(s.doc == c.doc and s.path == c.path and s.line_start <= c.line_start <= c.line_end <= s.line_end
                   for s in sections), c
        assert len(c.text) <= 900
        assert c.text.startswith("[")
    assert [c.id for c in chunks] == list(range(len(chunks)))
    assert any(c.history for c in chunks) and not all(c.history for c in chunks)


def test_chunk_header_names_city_jimu_kind(docs):
    chunks = chunk_documents([docs["000_2b92446a3e503446.txt"]], 500, 900)
    c = next(c for c in chunks if c.line_start <= 90 <= c.line_end)
    assert c.text.startswith("[倉敷市 国民年金に関する事務 重点項目評価書] II 特定個人情報ファイルの概要 > 4.")
    assert "富士通Japan株式会社岡山支社" in c.text


def test_cleaning_renders_checkboxes_and_entities():
    line = '[ <input checked="" type="radio"/> ] 提供を行っている &lt;選択肢&gt; <input type="checkbox"/> 紙'
    assert clean_line(line) == "[ ☑ ] 提供を行っている <選択肢> ☐ 紙"
