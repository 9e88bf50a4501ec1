"""Which file / item a question is about, and what remains of it as the asked attribute.

"委託事項3「データ入力…」の委託先は" asks for 委託先名 *of* 委託事項3: the qualifier must not be
mistaken for the target label, and it narrows the candidate fields to that item.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from piaqa.parse.labels import norm_label
from piaqa.records import Field
from piaqa.text import JAPANESE as JAPANESE_CHARS, compact, nfkc
from piaqa.understand.lexicon import japanese_groups

_EXPLICIT = re.compile(r"(委託事項|提供先|移転先|システム)\s*(\d{1,2})")
# the item named with its gloss in brackets right after it ("委託事項2 (outsourced item 2)"): the gloss restates
# the item and is no part of what is asked
_EXPLICIT_GLOSSED = re.compile(_EXPLICIT.pattern + r"(?:\s*[(（][^()（）]{1,40}[)）])?")
# an item by its ordinal: "3つ目の提供先", "2番目の委託事項", "第2の移転先", "the second recipient", "recipient no. 3"
KANJI_DIGITS = "一二三四五六七八九十"
EN_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMERAL = {w: i for words in (KANJI_DIGITS, EN_ORDINALS) for i, w in enumerate(words, 1)}
_HEADER_EN = {"outsourced task": "委託事項", "outsourced item": "委託事項", "outsourcing item": "委託事項",
              "entrusted task": "委託事項", "recipient": "提供先", "provision destination": "提供先",
              "transfer destination": "移転先", "transferee": "移転先", "system": "システム"}
# an outsourcing named by ordinal ("2番目の委託") is the form's 委託事項; so is "2番目の委託先", whose 委託先 stays
# in the question as what is asked (matched by lookahead: an empty header)
_HEADER_JA = {"委託": "委託事項", "": "委託事項"}
ORDINAL = re.compile(
    r"(?:第\s*)?(?P<ja>\d{1,2}|[一二三四五六七八九十])\s*(?:つ目|番目|件目)?の?\s*"
    r"(?P<hja>委託事項|委託(?![一-龥])|(?=委託先)|提供先|移転先|システム)"
    r"|第\s*(?P<ja2>\d{1,2}|[一二三四五六七八九十])\s*の?\s*(?P<hja2>委託事項|委託(?![一-龥])|(?=委託先)|提供先|移転先|システム)"
    r"|(?P<first>最初|一番目|いちばん最初)の\s*(?P<hja3>委託事項|委託(?![一-龥])|(?=委託先)|提供先|移転先|システム)"
    r"|\b(?P<en>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))\s+"
    r"(?P<hen>outsourc(?:ed|ing) (?:task|item)|entrusted task|recipient|provision destination|transfer destination"
    r"|transferee|system)s?\b"
    r"|\b(?P<hen2>outsourc(?:ed|ing) (?:task|item)|recipient|transfer destination)\s*(?:no\.?|number|#)\s*(?P<en2>\d{1,2})\b",
    re.I)
_QUOTE = re.compile(r"[「『\"“]([^」』\"”]{2,60})[」』\"”]"
                    r"|[(（]([^()（）a-zA-Z]*[\u4e00-\u9fff][^()（）a-zA-Z]{3,60})[)）]")  # (国民年金システムの保守・運用業務)
# a file by its number: "(1)のファイル", "(3)は", "file (3)", "ファイル(2)" ("III(1)" is a section, not a file)
_FILE_NUMBER = re.compile(r"(?<![A-Za-z])\(\s*(?P<n>\d{1,2})\s*\)(?=\s*(?:の|は|に|って|[一-龥ァ-ヶー]*ファイル|$|[?？]))"
                          r"|(?:\bfile|ファイル)\s*(?:no\.?\s*|#\s*)?\(?\s*(?P<m>\d{1,2})\b", re.I)
# … or by its ordinal: 「2つ目のファイル」「2番目のファイル」 "the second file" (the form's files are numbered in order)
_FILE_ORDINAL = re.compile(rf"(?P<ja>\d{{1,2}}|[{KANJI_DIGITS}])\s*(?:つ目|番目|個目)\s*の\s*(?:特定個人情報)?ファイル"
                           r"|\b(?P<en>" + "|".join(EN_ORDINALS) + r")\s+(?:personal information\s+)?file\b", re.I)


def numeral(word: str) -> int | None:
    """The number an ordinal's word counts: its digits (2つ目 -> 2), kanji numeral (三 -> 3) or English word
    (third -> 3); None for none of these."""
    if (m := re.match(r"\d+", word)) is not None:
        return int(m.group(0))
    return _NUMERAL.get(word.lower())
_HEADERS = {"委託事項", "提供先", "移転先"}
# domain phrases every question and item text shares: overlaps on them name no item
_GENERIC = re.compile(r"特定個人情報ファイル|特定個人情報|個人番号|情報提供ネットワークシステム|評価実施機関|について")
_ITEM_TEXT = {"委託事項", "委託内容", "提供先", "移転先", "システムの名称", "システムの機能", "再委託事項"}
_MIN_OVERLAP = 7  # characters a question must share with an item's text to name it without its number
# an English question names an item when the Japanese senses of 2 of its words are in the item's text (one word in
# common, 情報 or システム, is what items share), one of them found in at most half the document's items
ITEM_EN_MIN_WORDS = 2
ITEM_EN_COMMON = 0.5
ITEM_EN_GAP = 1  # … standing together: one word between them may have no sense in the item ("national" of 国民年金)


_FILE_SECTION = re.compile(r"^\(\s*\d{1,2}\s*\)\s*\S+ファイル$")  # a section of one file: 「(2) 本人確認情報ファイル」


def in_other_file(path: Sequence[str], files: Sequence[str]) -> bool:
    """Whether a section path lies in a file's section (II or III of a form with several files) other than the
    named files; a path in no file's section (I, IV, V) is in none."""
    sections = [p for p in path if _FILE_SECTION.match(nfkc(p).strip())]
    tags = {file_tag(f) for f in files}
    return bool(sections) and not any(file_tag(p) in tags for p in sections)


def _file_names(fields: Sequence[Field]) -> list[str]:
    """The documents' file names, once each, as their overview sections (II 概要) name them."""
    return list(dict.fromkeys(f.file_name for f in fields if f.file_name and "概要" in f.path[0]))


@dataclass(frozen=True)
class Qualifier:
    """Items and files the question names, and the question without those spans."""

    items: tuple[str, ...]
    files: tuple[str, ...]
    rest: str
    explicit: bool = False  # the item was named by its number (委託事項2), not recognised from its text


def file_tag(name: str) -> str:
    """"(2)本人確認情報ファイル" -> "本人確認情報" (how questions name a file)."""
    return compact(re.sub(r"ファイル$", "", re.sub(r"^\(\d+\)\s*", "", nfkc(name))))


ROW_NAMES = 4096  # distinct raw labels cached (the corpus has 753)
_row_name = functools.lru_cache(maxsize=ROW_NAMES)(norm_label)  # the corpus' raw labels, normalised once


def qualify(question: str, fields: Sequence[Field], labels: Sequence[str] = ()) -> Qualifier:
    """Qualifiers of a question about the documents these fields come from (labels: known form labels)."""
    q = nfkc(question)
    items = [f"{m.group(1)}{m.group(2)}" for m in _EXPLICIT.finditer(q)]
    rest = _EXPLICIT_GLOSSED.sub(" ", q)
    items += _ordinal_items(rest)
    rest = ORDINAL.sub(" ", rest)
    explicit = bool(items)
    known = {compact(x) for x in labels}
    if any(compact(m.group(1) or m.group(2)) not in known for m in _QUOTE.finditer(rest)):
        # a quoted label names a row, not an item or a value: an answer label, or a row as the form prints it
        # (「その必要性」 under 対象となる本人の範囲)
        known |= {_row_name(f.raw_label) for f in fields}
    quotes = [m.group(1) or m.group(2) for m in _QUOTE.finditer(rest)
              if compact(m.group(1) or m.group(2)) not in known]
    # 「…」 quotes name items or values; parenthesised glosses stay: "外部のチェック（第三者点検）"
    rest = _QUOTE.sub(lambda m: m.group(0) if m.group(2) or compact(m.group(1)) in known else " ", rest)
    files = []
    for name in _file_names(fields):
        tag = file_tag(name)
        if len(tag) >= 5 and tag in compact(q):
            files.append(name)
            rest = re.sub(re.escape(tag) + "(ファイル)?", " ", rest)
    if not files:
        files += _files_named_in_english(q, fields)
    numbered = _files_by_number(q, fields)
    explicit = explicit or bool(numbered)
    files += [f for f in numbered if f not in files]
    if not items:
        items = _items_by_header_value(compact(q), fields)
    if not items:
        items, span = _items_by_text(_GENERIC.sub("|", compact(q)), quotes, fields)
        if span:  # cut out, the spaces around kept: an English question stays words ("What does Kurashiki's …")
            rest = re.sub(r"\s*".join(re.escape(ch) for ch in span), " ", rest, count=1)
    if not items and not files and not JAPANESE_CHARS.search(q):  # (a file named: its number scopes the rows)
        items = _items_named_in_english(q, fields)
    if items or quotes:  # "委託事項「…」の委託先": the header word qualifies, it is not the target
        rest = re.sub(r"(?<!再)(委託事項|提供先|移転先)(?=\s|$|の|は|で|、)", " ", rest)
    return Qualifier(tuple(dict.fromkeys(items)), tuple(files), rest, explicit)


# an English file name: the words before "file" back to a determiner, preposition or possessive ("Kochi's identity
# confirmation information file", "the contract for the late-stage elderly medical insurance premium file")
_FILE_WORD = re.compile(r"\bfiles?\b", re.I)
_NAME_START = {"the", "its", "their", "his", "her", "our", "your", "a", "an", "of", "for", "in", "on", "to", "that",
               "this", "these", "those", "with", "from", "about", "each", "every", "any", "and", "or"}
FILE_EN_MAX_WORDS = 6  # the longest file name in the corpus, in English, has 6 words (late-stage … premium)
# a file's name is a compound of 2-6 nouns (本人確認情報, 後期高齢者医療保険料徴収システムデータベース): an English name
# names it when at least 2 of its words, and 2 in 3 of them, have a Japanese sense inside the name (a word may
# have no sense in the lexicon, or another one: identity -> 身分 in 本人確認情報); one word in common (情報, 管理)
# is what every file shares
FILE_EN_MIN_WORDS = 2
FILE_EN_SHARE = 2 / 3


def _files_named_in_english(q: str, fields: Sequence[Field]) -> list[str]:
    """The one file an English noun phrase before "file" names through the lexicon, or none (ties: none)."""
    names = _file_names(fields)
    for m in _FILE_WORD.finditer(q):
        groups = [g for g in japanese_groups(_name_before(q[:m.start()])) if g]
        if len(groups) < FILE_EN_MIN_WORDS:
            continue
        found = {name: sum(any(sense in file_tag(name) for sense in g) for g in groups) for name in names}
        fits = [n for n, k in found.items() if k >= FILE_EN_MIN_WORDS and k >= FILE_EN_SHARE * len(groups)]
        best = max((found[n] for n in fits), default=0)
        if len([n for n in fits if found[n] == best]) == 1:
            return [n for n in fits if found[n] == best]
    return []


def _name_before(text: str) -> str:
    """The words that end `text`, back to (not including) a determiner, preposition or possessive."""
    words: list[str] = []
    for word in reversed(re.findall(r"[A-Za-z][A-Za-z'\-]*", text)[-FILE_EN_MAX_WORDS - 1:]):
        if word.lower() in _NAME_START or word.endswith("'s") or len(words) == FILE_EN_MAX_WORDS:
            break
        words.insert(0, word)
    return " ".join(words).replace("-", " ")


def _ordinal_items(q: str) -> list[str]:
    """Items named by an ordinal ("3つ目の提供先" -> 提供先3, "the second outsourced task" -> 委託事項2)."""
    out = []
    for m in ORDINAL.finditer(q):
        num = m.group("ja") or m.group("ja2") or m.group("en") or m.group("en2") or ("1" if m.group("first") else None)
        header = next((h for h in (m.group(g) for g in ("hja", "hja2", "hja3", "hen", "hen2")) if h is not None), None)
        if m.group("ja") and not re.search(r"つ目|番目|件目", m.group(0)) and not m.group(0).startswith("第"):
            continue  # "2の提供先" / "3提供先" is no ordinal ("5市の提供先" even less)
        n = numeral(num)
        if header is not None and n:
            key = header.lower().replace("outsourcing", "outsourced")
            out.append(f"{_HEADER_EN.get(key, _HEADER_JA.get(header, header))}{n}")
    return out


def _files_by_number(q: str, fields: Sequence[Field]) -> list[str]:
    """Files named by their number ("(1)のファイル", "file (3)", "ファイル(2)") or ordinal (「2つ目のファイル」, "the
    second file"): the form numbers its files (1), (2) … in their names, "(2)本人確認情報ファイル"."""
    wanted = {m.group("n") or m.group("m") for m in _FILE_NUMBER.finditer(q)}
    wanted |= {str(numeral(m.group("ja") or m.group("en"))) for m in _FILE_ORDINAL.finditer(q)}
    if not wanted:
        return []
    names = dict.fromkeys(f.file_name for f in fields if f.file_name)
    return [name for name in names if (m := re.match(r"^\((\d{1,2})\)", nfkc(name))) and m.group(1) in wanted]


def _items_by_header_value(qc: str, fields: Sequence[Field]) -> list[str]:
    """Items whose short title (提供先 / 移転先 name such as "市民課") the question names, after its kind if given."""
    found = []
    for f in fields:
        if f.item and not f.history and f.label in ("提供先", "移転先") and len(compact(f.value)) >= 3:
            v = compact(f.value)
            if v in qc and (f.label in qc or not any(h in qc for h in ("提供先", "移転先"))):
                found.append((len(v), f.item))
    if not found:  # 「国保課」 for 保健福祉局健康福祉部国民健康保険課: a section named by its abbreviation
        words = set(_KANJI_RUN.findall(qc))
        found = [(0, f.item) for f in fields if f.item and not f.history and f.label in ("提供先", "移転先")
                 and any(abbreviates(w, part) for part in SECTION_PART.findall(compact(f.value)) for w in words)]
    if not found:
        return []
    top = max(n for n, _ in found)
    best = list(dict.fromkeys(i for n, i in found if n == top))
    return best if len(best) == 1 else []


_KANJI_RUN = re.compile(r"[一-龥]{3,}")
# a body's parts as the form writes them, 局, 部 and 課 each closing one (保健福祉局|健康福祉部|国民健康保険課)
SECTION_PART = re.compile(r"[^局部課室]+?(?:局|部|課|室)")


def last_section(name: str) -> str:
    """The last section of a body's name, its most specific (国民健康保険課 of 保健福祉局健康福祉部国民健康保険課), when it is
    at least three characters long and the name has more than one; else no text ("")."""
    parts = SECTION_PART.findall(compact(name))
    return parts[-1] if len(parts) > 1 and len(parts[-1]) >= 3 else ""


def abbreviates(short: str, full: str) -> bool:
    """Whether a word is the usual shortening of a longer name: its first and last characters, and the rest in
    order (国保課 of 国民健康保険課, 住宅課 of 住宅政策課); never the name itself."""
    if not 3 <= len(short) < len(full) or short[0] != full[0] or short[-1] != full[-1]:
        return False
    rest = iter(full[1:-1])
    return all(ch in rest for ch in short[1:-1])


def _item_texts(fields: Sequence[Field]) -> dict[str, str]:
    """Each item's title and content, compacted (「|」 between rows)."""
    texts: dict[str, str] = {}
    for f in fields:
        if f.item and not f.history and f.label in _ITEM_TEXT:
            texts[f.item] = texts.get(f.item, "") + "|" + compact(f.value)
    return texts


def _items_named_in_english(q: str, fields: Sequence[Field]) -> list[str]:
    """The one item (委託事項, 提供先, 移転先) an English question names by what it is about ("the national pension
    system maintenance"):
    the item whose title and content hold a Japanese sense of the most of the question's words, counting only
    words that single items out (a sense found in over ITEM_EN_COMMON of the items, システム or 情報, names none
    by itself), at least ITEM_EN_MIN_WORDS words of one phrase (see `_phrase`), one of them singling out; ties
    name none."""
    # outsourced tasks, recipients and destinations: a system's functions (システムN) are long prose that shares
    # words with any question about the data
    texts = {i: t for i, t in _item_texts(fields).items() if re.sub(r"\d+$", "", i) in _HEADERS}
    if len(texts) < 2:
        return []
    groups = [tuple(compact(sense) for sense in g) for g in japanese_groups(q) if g]
    in_item = {item: [any(sense in text for sense in g) for g in groups] for item, text in texts.items()}
    shared = [sum(found[i] for found in in_item.values()) for i in range(len(groups))]  # items holding each word
    found: dict[str, tuple[int, int]] = {}
    for item in texts:
        hits = _phrase(in_item[item])
        rare = [i for i in hits if shared[i] <= ITEM_EN_COMMON * len(texts)]
        if len(hits) >= ITEM_EN_MIN_WORDS and rare:
            found[item] = (len(rare), len(hits))
    if not found:
        return []
    best = max(found.values())
    named = [i for i, v in found.items() if v == best]
    return named if len(named) == 1 else []


def _phrase(found: list[bool]) -> list[int]:
    """The positions of the longest run of found words with at most ITEM_EN_GAP words not found between two found
    ones: the words of one noun phrase ("the national pension system maintenance" — 国民年金 is no sense of
    "national"), not words scattered over the question ("the server racks holding … data")."""
    best: list[int] = []
    run: list[int] = []
    for i, hit in enumerate(found):
        if not hit:
            continue
        if run and i - run[-1] - 1 > ITEM_EN_GAP:
            run = []
        run.append(i)
        if len(run) > len(best):
            best = list(run)
    return best


def _items_by_text(qc: str, quotes: list[str], fields: Sequence[Field]) -> tuple[list[str], str]:
    """Items whose title or content the question quotes or repeats at length, and the repeated span."""
    texts = _item_texts(fields)
    best, best_len, span = [], 0, ""
    for item, text in texts.items():
        if any(compact(x) and (compact(x) in text or text.strip("|") in compact(x)) for x in quotes):
            return [item], ""
        m = SequenceMatcher(None, qc, text, autojunk=False).find_longest_match(0, len(qc), 0, len(text))
        if m.size >= _MIN_OVERLAP and m.size > best_len:
            best, best_len, span = [item], m.size, qc[m.a:m.a + m.size]
        elif m.size >= _MIN_OVERLAP and m.size == best_len:
            best.append(item)
    return (best, span) if len(best) == 1 else ([], "")
