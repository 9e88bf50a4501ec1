"""Everyday English words reach the corpus' formal words (lexicon.everyday_terms, en_everyday.tsv): the lexicon is
well formed, en_ja.tsv's own words keep their reading, verb-led phrases inflect on their verb, and the evidence
units' BM25 and word coverage read the result while the passages and the which-cities judge do not."""
from __future__ import annotations

import pytest

from piaqa.search.tokenize import Tokenizer
from piaqa.understand.glossary import lexical_terms, unit_lexical_terms, unit_word_groups, word_groups
from piaqa.understand.lexicon import _MAX_PHRASE as MAX_WORDS  # the longest phrase the lexicon reads
from piaqa.understand.lexicon import EVERYDAY, LEXICON, everyday_groups, everyday_lexicon, everyday_terms, \
    parse_lexicon

KURASHIKI = "000_2b92446a3e503446.txt"


@pytest.fixture(scope="module")
def tokenize() -> Tokenizer:
    return Tokenizer()


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_the_lexicon_is_well_formed_and_its_tokens_are_en_ja_tokens():
    tokens = {row[0] for row in _rows(LEXICON.read_text(encoding="utf-8"))}
    rows = _rows(EVERYDAY.read_text(encoding="utf-8"))
    assert len(rows) >= 300
    for row in rows:
        assert len(row) == 2 and row[0] in tokens, row
        for phrase in row[1].split(";"):
            assert 1 <= len(phrase.split()) <= MAX_WORDS and phrase.strip() == phrase.strip().lower(), row


def test_en_ja_words_keep_their_reading_and_verb_led_phrases_inflect():
    formal = parse_lexicon(["ログイン\tlog in", "記録\trecord; log", "廃棄\tdispose"])
    everyday = parse_lexicon(["廃棄\tget rid of; throw away; log", "離席\tleave the desk"], "test.tsv", verb_led=True)
    lex = everyday_lexicon(formal, everyday)
    assert lex.japanese("How did they get rid of the disks?") == ["廃棄"]
    assert lex.japanese("Has it got rid of them, or thrown away the paper?") == ["廃棄"]
    assert lex.japanese("when a clerk left the desk") == ["離席"]
    assert lex.japanese("Do they log in and keep a log?") == []  # en_ja's words (log: 記録) read as en_ja says
    assert lex.japanese("Do they dispose of it?") == []
    # a phrase that asks is the answer type's, not a word of the topic
    asking = everyday_lexicon(formal, parse_lexicon(["頻度\thow often; interval", "目的\twhy"], verb_led=True))
    assert asking.japanese("How often, and why? At what interval?") == ["頻度"]
    # without verb_led only a phrase ending on a particle inflects on its first word
    plain = everyday_lexicon(formal, parse_lexicon(["廃棄\tget rid of"]))
    assert plain.japanese("They got rid of it") == [] and plain.japanese("They get rid of it") == ["廃棄"]


def test_the_units_read_everyday_english_and_the_passages_and_which_cities_judge_do_not(tokenize):
    question = "How does Kurashiki get rid of old paper forms?"
    assert "廃棄" in everyday_terms(question) and any("廃棄" in g for g in everyday_groups(question))
    assert "廃棄" in unit_lexical_terms(question, tokenize)
    assert "廃棄" not in lexical_terms(question)  # the passages the form's fields are read from
    assert any("廃棄" in g for g in unit_word_groups(question))  # a lookup's word coverage
    assert not any("廃棄" in g for g in word_groups(question))  # the which-cities judge's
    assert everyday_terms("倉敷市は古い書類をどう捨てるの？") == []  # Japanese is everyday.py's


def test_an_everyday_english_question_reaches_the_sentence_that_states_it(assistant):
    """Going against the rules is the form's 違反: 倉敷市 says the one who does may face discipline (懲戒)."""
    r = assistant.ask("What happens to a Kurashiki pension employee who goes against the rules?")
    assert "懲戒の対象" in r.text
    assert (r.citations[0].doc, r.citations[0].line_start) == (KURASHIKI, 250)
