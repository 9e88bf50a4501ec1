"""Property-based tests: any text parses into well-formed documents; any string gets an Answer.

Texts are built like the form (real corpus lines, part / item headings, circled rows, tabs,
checkbox markup, <選択肢> lists, entities, blank lines) mixed with arbitrary Unicode, lone
surrogates included. Runs are derandomised and keep no example database, so CI sees the same
examples every time and nothing is written into the repository.
"""
from __future__ import annotations

import tempfile
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from piaqa.config import Settings
from piaqa.parse.fields import extract_corpus_fields
from piaqa.parse.ingest import parse_document, read_lines
from piaqa.parse.meta import MetadataError, parse_meta
from piaqa.parse.pdflog import is_pdf_text
from piaqa.parse.sections import split_sections
from piaqa.parse.units import corpus_units
from piaqa.records import Answer, Document, Hit, Section
from piaqa.search.chunk import chunk_documents

from tests.conftest import CORPUS

# measured on two cores: a parser example takes ~5-25 ms, an ask or search example ~0-80 ms (most odd
# strings are declined early); these counts keep the file near half a minute after the model loads
PARSE_EXAMPLES = 150
ASK_EXAMPLES = 150
SEARCH_EXAMPLES = 100
CHUNK_TARGET, CHUNK_MAX = Settings().chunk_target, Settings().chunk_max  # as the index chunks documents
COVER_EXTRA = 40  # a cover may run on into the table of contents (headings the parser must skip)
# parse_meta reads the cover from the first 60 lines: a body starts after them, else a generated
# "評価書番号<TAB>評価書名" row could rightly change (or void) the metadata the test relies on
COVER_WINDOW = 60

# Hypothesis caches (Unicode tables, constants) go to a temporary folder removed at exit, not ./.hypothesis
_HOME = tempfile.TemporaryDirectory(prefix="piaqa-hypothesis-")
set_hypothesis_home_dir(_HOME.name)
COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@lru_cache(maxsize=None)
def _corpus() -> dict[str, tuple[str, ...]]:
    return {p.name: read_lines(p) for p in sorted(CORPUS.glob("*.txt"))}


@lru_cache(maxsize=None)
def _cover_len(name: str) -> int:
    """The fewest first lines of a real document from which its metadata reads the same."""
    lines = _corpus()[name]
    want = parse_meta(name, lines)
    for n in range(1, len(lines) + 1):
        try:
            if parse_meta(name, lines[:n]) == want:
                return n
        except MetadataError:
            continue
    raise AssertionError(f"{name}: no cover prefix")


def _cover(name: str, n: int) -> tuple[str, ...]:
    """The first n lines of a real document, blank lines after them up to COVER_WINDOW."""
    head = _corpus()[name][:n]
    return head + ("",) * (COVER_WINDOW - len(head))


def _real_lines() -> list[str]:
    return sorted({x for lines in _corpus().values() for x in lines})


HEADINGS = [
    "I 基本情報", "Ⅱ 特定個人情報ファイルの概要", "III リスク対策", "Ⅲ　リスク対策", "IV その他のリスク対策",
    "V 開示請求、問合せ", "VI 評価実施手続", "(別添1) 事務の内容", "(別添2) 特定個人情報ファイル記録項目",
    "(別添3) 変更箇所", "変更箇所", "項目一覧", "1. 特定個人情報ファイル名", "１．特定個人情報ファイル名",
    "2. 基本情報", "3. 特定個人情報の入手・使用", "4. 特定個人情報ファイルの取扱いの委託",
    "4. 特定個人情報ファイルの取扱いの委託 [ ] 委託しない", "5. 特定個人情報の提供・移転(委託に伴うものを除く。)",
    "6. 特定個人情報の保管・消去", "7. 備考", "8. 監査", "9. 従業者に対する教育・啓発", "(1) 住民基本台帳ファイル",
    "（１）滞納管理システムファイル", "(2) 収納管理システムファイル", "## 公表日", "# 特定個人情報保護評価書",
    "評価書番号\t評価書名", "11\t国民年金に関する事務 重点項目評価書", "委託事項1", "委託事項2\t電算処理",
    "委託事項6～10", "移転先3", "システム2", "リスク1: 目的外の入手が行われるリスク",
]
ROWS = [
    "①委託内容\t住民票の発行", "\t⑥委託先名\t富士通Japan株式会社", " ⑥委託先名 富士通Japan株式会社",
    "再委託\t⑦再委託の有無 ※\t[ 再委託する ] ＜選択肢＞ 1) 再委託する 2) 再委託しない",
    "②保管期間\tその妥当性\t法令に基づく", "②保管期間", "期間\t[ 20年以上 ]", "保管場所 ※",
    '[ <input checked="" type="radio"/> ] 提供を行っている &lt;選択肢&gt; <input type="checkbox"/> 紙',
    "[ ○ ] 専用線 [ ] 電子メール [○] 電子記録媒体", "[ 30万人以上", "[ 十分である ]",
    "<選択肢> 1) 委託する 2) 委託しない ( 1 ) 件", "＜選択肢＞", "＜本市における措置＞", "【措置】",
    "令和5年3月31日\tⅡ-4 委託事項1\t旧\t新\t事前\t重要な変更", "令和 5 年 3 月 31 日", "前記継続",
    "変更日\t項目\t変更前の記載\t変更後の記載\t提出時期\t提出時期に係る説明",
    "・職員は研修を受ける。", "※ 注記", "&amp; &lt;&gt; &#12354; &nbsp;", "<br/>", "<td>表</td>", "**強調**",
    "\t", "\t\t", " ", "　", "", "", "",
]


def _line() -> st.SearchStrategy[str]:
    weird = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)  # lone surrogates too
    cell = st.one_of(st.sampled_from(HEADINGS + ROWS), st.text(max_size=20))
    tabbed = st.lists(cell, min_size=2, max_size=4).map("\t".join)
    return st.one_of(st.sampled_from(_real_lines()), st.sampled_from(HEADINGS), st.sampled_from(ROWS),
                     tabbed, weird, st.builds(lambda a, b: a + b, st.sampled_from(HEADINGS + ROWS), weird))


@lru_cache(maxsize=None)
def _pdf_names() -> list[str]:
    """Documents extracted from a PDF (no tab rows): their bodies go through the PDF-text parsers."""
    return [n for n, lines in _corpus().items() if is_pdf_text(parse_document(n, lines))]


@st.composite
def documents(draw, cover: bool) -> tuple[str, tuple[str, ...]]:
    """(file name, lines): a form-shaped body, after a real document's cover when `cover`; half of
    them without tabs after a PDF-text cover, so the PDF-text parsers see them too."""
    pdf = draw(st.booleans())
    name = draw(st.sampled_from(_pdf_names() if pdf else sorted(_corpus())))
    body = draw(st.lists(_line(), max_size=60))
    if pdf:
        body = [x.replace("\t", " ") for x in body]
    head: tuple[str, ...] = ()
    if cover:
        n = _cover_len(name)
        head = _cover(name, draw(st.integers(n, n + COVER_EXTRA)))
    text = "\n".join([*head, *body])  # a file's text: split on \n as read_lines does
    return name, tuple(text.split("\n"))


def check_sections(sections: tuple[Section, ...], name: str, n: int) -> None:
    """Sections cover lines 1..n once, in order, each a non-empty span with a path."""
    assert all(s.doc == name and 1 <= s.line_start <= s.line_end <= n and s.path for s in sections)
    covered = [no for s in sections for no in range(s.line_start, s.line_end + 1)]
    assert covered == list(range(1, n + 1))


def check_document(doc: Document, name: str, lines: tuple[str, ...]) -> None:
    """Valid sections; fields, units and chunks cite lines of the document, units and chunks inside
    one section."""
    n = len(lines)
    assert doc.lines == lines and doc.meta.doc == name
    check_sections(doc.sections, name, n)
    for f in extract_corpus_fields([doc]):
        assert f.doc == name and 1 <= f.line_start <= f.line_end <= n, f
    for u in corpus_units([doc]):
        assert u.doc == name and 1 <= u.line_start <= u.line_end <= n and u.text, u
        assert any(s.path == u.path and s.line_start <= u.line_start <= u.line_end <= s.line_end
                   for s in doc.sections), u
    chunks = chunk_documents([doc], CHUNK_TARGET, CHUNK_MAX)
    assert [c.id for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.doc == name and len(c.text) <= CHUNK_MAX, c
        assert any(s.path == c.path and s.line_start <= c.line_start <= c.line_end <= s.line_end
                   for s in doc.sections), c


@settings(max_examples=PARSE_EXAMPLES, **COMMON)
@given(documents(cover=True))
def test_any_body_after_a_cover_parses_into_valid_spans(named):
    name, lines = named
    check_document(parse_document(name, lines), name, lines)


@settings(max_examples=PARSE_EXAMPLES, **COMMON)
@given(documents(cover=False))
def test_any_text_parses_or_is_refused_as_not_an_assessment(named):
    """Without a cover the text may not be an assessment: MetadataError is the one allowed refusal."""
    name, lines = named
    check_sections(split_sections(name, lines), name, len(lines))  # sections need no cover
    try:
        doc = parse_document(name, lines)
    except MetadataError:
        return
    check_document(doc, name, lines)


@settings(max_examples=PARSE_EXAMPLES, **COMMON)
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=300))
def test_arbitrary_unicode_after_a_cover_parses(text):
    name = sorted(_corpus())[0]
    head = _cover(name, _cover_len(name))
    lines = tuple("\n".join([*head, text]).split("\n"))
    check_document(parse_document(name, lines), name, lines)


def test_cover_prefixes_are_real_covers():
    """The strategy's premise: each document's cover alone yields its metadata (else the body tests
    would only ever exercise MetadataError)."""
    for name, lines in _corpus().items():
        n = _cover_len(name)
        assert 1 < n <= COVER_WINDOW < len(lines) and parse_meta(name, lines[:n]) == parse_meta(name, lines)
    assert _pdf_names() == ["003_36f852d2897e428a.txt"]  # the PDF-text strategy has a cover to use


# ------------------------------------------------------------------------------------------- ask


QUESTION_PARTS = [
    "倉敷市", "郡山市", "高知市", "千葉市", "金沢市", "横浜市", "Kurashiki", "Koriyama", "Kochi", "Chiba", "Kanazawa",
    "の", "は？", "委託先", "再委託の有無", "保管期間", "どの市", "変更前", "以前の", "国民年金", "児童手当", "事務",
    "What is the", "of", "which cities", "委託事項2", "(2)", "ファイル", "？", "。", "!!!", "🤖", "<>", "\ud800",
    "\x00", "\ufeff", " ", "\t", "\n", "ー",
]


@lru_cache(maxsize=None)
def _labels() -> list[str]:
    """Every field label of the corpus: questions built from them reach the form lookups."""
    docs = [parse_document(n, lines) for n, lines in _corpus().items()]
    return sorted({f.label for f in extract_corpus_fields(docs)})


def questions() -> st.SearchStrategy[str]:
    part = st.one_of(st.sampled_from(QUESTION_PARTS), st.sampled_from(_labels()), st.text(max_size=6))
    return st.one_of(st.lists(part, max_size=8).map("".join),
                     st.text(st.characters(codec=None, exclude_categories=()), max_size=60))


def check_citations(assistant, ans: Answer) -> None:
    """Every citation quotes real lines of a real document."""
    for c in ans.citations:
        doc = assistant.docs[c.doc]
        assert 1 <= c.line_start <= c.line_end <= len(doc.lines) and c.text == doc.span(c.line_start, c.line_end), c


@settings(max_examples=ASK_EXAMPLES, **COMMON)
@given(questions())
def test_any_string_gets_an_answer(assistant, question):
    ans = assistant.ask(question)
    assert isinstance(ans, Answer) and isinstance(ans.text, str) and ans.text
    check_citations(assistant, ans)


@settings(max_examples=SEARCH_EXAMPLES, **COMMON)
@given(questions(), st.integers(1, 8))
def test_any_string_searches(assistant, question, k):
    hits = assistant.search(question, k=k)
    assert isinstance(hits, list) and len(hits) <= k and all(isinstance(h, Hit) for h in hits)


@pytest.mark.parametrize("question", ["", " ", "\ud800", "？", "\x00\ufeff"])
def test_strings_without_words_are_declined(assistant, question):
    ans = assistant.ask(question)
    assert (ans.answerable, ans.kind, ans.citations) == (False, "abstain", ())
    assert isinstance(assistant.search(question), list)


@pytest.mark.parametrize("question", ["の", "市", "事務", "は？", "1", "a"])
def test_one_word_questions(assistant, question):
    ans = assistant.ask(question)
    assert isinstance(ans, Answer) and ans.text
    check_citations(assistant, ans)
    assert isinstance(assistant.search(question), list)
