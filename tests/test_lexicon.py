"""English questions in a Japanese corpus: the lexicon, the question's language, spelling variants."""
from __future__ import annotations

import re

import pytest

from piaqa.understand.glossary import expand, lexical_terms, prose_terms, word_groups
from piaqa.understand.lexicon import LEXICON, inflections, japanese_groups, japanese_terms, parse_lexicon
from piaqa.understand.query import language

CHIBA, KOCHI, KANAZAWA = "003_36f852d2897e428a.txt", "002_8198ed8bac5210ca.txt", "004_57af33314b6a26f0.txt"
KURASHIKI, KORIYAMA = "000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt"
EXTENSION = "# Corpus tokens of document frequency 1-3"  # the comment opening the lexicon's second part


def test_the_shipped_lexicon_parses_without_a_bad_line(caplog):
    lines = LEXICON.read_text(encoding="utf-8").splitlines()
    lex = parse_lexicon(lines)
    assert not caplog.records
    assert len([x for x in lines if x and not x.startswith("#")]) >= 600 and len(lex.entries) > 5000


@pytest.mark.parametrize("word, forms", [
    ("encryption", {"encrypt", "encrypted", "encrypts", "encrypting"}),
    ("store", {"stored", "stores", "storing", "storage"}),
    ("copy", {"copies", "copied"}),
    ("train", {"trained", "training", "trains"}),
    ("keep", {"kept", "keeps", "keeping"}),  # irregular verbs: their past forms
    ("send", {"sent"}),
    ("take", {"took", "taken"}),
    ("log", {"logged", "logging"}),  # a final consonant after a short vowel doubles
    ("shred", {"shredded", "shredding"}),
    ("transfer", {"transferred"}),
    ("automatic", {"automatically"}),  # an adjective's adverb
    ("regular", {"regularly"}),
])
def test_inflections_reach_the_forms_a_question_uses(word, forms):
    assert forms <= inflections(word)


def test_english_words_map_to_the_corpus_tokens():
    assert {"暗号"} <= set(japanese_terms("Which cities encrypt the data they send?"))
    assert {"研修", "職員"} <= set(japanese_terms("How does Koriyama train its staff?"))
    # a listed base form keeps its own senses: "information" is 情報, not 周知 (of "inform")
    assert japanese_terms("information") == ["情報"]
    # the frame words of a question are not content: "city", "assessment", "state that"
    assert japanese_terms("Which city's assessment states that") == []
    assert japanese_terms("倉敷市の委託先は？") == []


def test_each_english_word_is_one_group_of_senses():
    groups = japanese_groups("how are access logs kept")
    assert any("ログ" in g and "記録" in g for g in groups)  # one word, several senses: one group


def test_a_phrasal_verb_inflects_on_its_verb():
    lex = parse_lexicon(["ログアウト\tlog out", "記録\trecord; log"])
    assert lex.groups("once they have logged out") == [("ログアウト",)]
    assert lex.groups("staff logging out") == [("ログアウト",)]
    assert lex.groups("are logs kept") == [("記録",)]


def test_an_english_which_cities_condition_is_not_a_label_it_merely_evokes(assistant):
    """"contractors report … every quarter": the question's English words weigh against the label 委託先名 its
    "contractors" evoked, and the prose decides — 高知市's 四半期に一度 (line 510); before, all five cities' contractor
    names matched."""
    ans = assistant.ask("Which cities have their contractors report on data handling every quarter?")
    assert ans.cities == ("高知市",), ans.text
    row = next(r for r in ans.rows if r.city == "高知市")
    assert (ans.citations[row.citation].doc, ans.citations[row.citation].line_start) == (KOCHI, 510)


def test_keep_reads_as_hozon_too():
    assert any("保存" in g for g in japanese_groups("How long do they keep the logs?"))


def test_the_shipped_lexicon_reads_past_forms():
    assert any("保管" in g for g in japanese_groups("Where are the servers kept?"))
    assert any("送付" in g or "送信" in g for g in japanese_groups("the data they were sent"))
    assert ("ログオン",) in japanese_groups("people who stay logged on")


def test_a_phrase_is_read_whole_and_its_words_add_no_senses():
    lex = parse_lexicon(["ログイン\tlog in", "記録\trecord; log", "職員\tstaff"])
    assert lex.groups("When staff log in, what is checked?") == [("職員",), ("ログイン",)]
    assert lex.groups("Are the logs of staff kept?") == [("記録",), ("職員",)]


def test_the_phrases_read_are_spanned_where_the_text_writes_them():
    lex = parse_lexicon(["担当\tin charge", "料\tcharge", "日時\tdate and time"])
    text = "Who is In Charge of the date and time?"
    assert [text[a:b] for a, b in lex.phrases(text)] == ["In Charge", "date and time"]


@pytest.mark.parametrize("question, evokes, form_term", [
    ("Who is in charge of the audit at Kochi?", False, "手数料等"),  # 担当, not a fee
    ("Is there a charge for disclosure at Kochi?", True, "手数料等"),
    ("Does Chiba record the date and time of each search?", False, "日"),  # 日時, not the form's dates
    ("What date did Chiba start using the file?", True, "日"),
])
def test_a_glossary_word_inside_a_phrase_the_lexicon_reads_has_the_phrases_sense(question, evokes, form_term):
    assert (form_term in expand(question)) is evokes


@pytest.mark.parametrize("text, lang", [
    ("倉敷市の委託先は？", "ja"),
    ("LGWANの接続は？", "ja"),
    ("千葉市は？", "ja"),
    ("which cities re-delegate (再委託) system maintenance?", "ja"),  # glossed: read through its glosses
    ("How does Koriyama train its staff?", "en"),
    ("And Chiba?", "en"),
])
def test_a_question_with_any_japanese_is_read_as_japanese(text, lang):
    assert language(text) == lang


def test_prose_terms_leave_out_label_words_the_question_already_spells():
    assert "委託先名" in lexical_terms("委託先から誓約書を徴収する")  # BM25 and labels still get them
    assert not {"委託先名", "再委託の有無", "再委託事項"} & set(prose_terms("委託先や再委託先から誓約書を徴収する"))
    assert "委託" in prose_terms("システムの面倒を見ている会社")  # everyday wording still brings the form's word


def test_coverage_matches_either_spelling_of_a_word(assistant):
    units = assistant.units
    tokens = units.content_tokens("物理的対策として、出入口の場所を限定する")
    assert "出入り口|出入口" in tokens  # Sudachi's normalised form, with the question's own spelling
    assert units.coverage(tokens, "物理的対策: 入退室管理を徹底するため出入口の場所を限定する。") == pytest.approx(1.0)
    wire = units.content_tokens("セキュリティワイヤ")
    assert units.coverage(wire, "業務時間内のセキュリティワイヤー等による固定") == pytest.approx(1.0)


def test_an_english_question_is_answered_from_the_prose_it_asks_about(assistant):
    # before the lexicon: a sentence about fire extinguishers next to the server room
    ans = assistant.ask("Does Kanazawa encrypt the data it sends for the child allowance work?")
    assert "暗号化" in ans.text
    first = ans.citations[0]
    # L321: data sent between the e-application service and the city goes encrypted over LGWAN; L293: data
    # written out to external media is encrypted. Both state how Kanazawa encrypts what leaves it.
    assert first.doc == KANAZAWA and (first.line_start, first.line_end) in {(293, 293), (321, 321)}


def test_a_staff_transfer_is_a_personnel_move_too(assistant):
    """'transfer' of a staff member is 異動 (the form's word for a personnel move, beside 移転 of data): the ID is
    revoked (高知市 line 480), not a sentence about transferring data between systems."""
    ans = assistant.ask("In Kochi's resident register system, what happens to a staff member's ID when they transfer "
                        "or retire?")
    assert "失効" in ans.text and (ans.citations[0].doc, ans.citations[0].line_start) == (KOCHI, 480), ans.text


def test_a_phrasal_verb_in_the_past_reads_as_its_verb(assistant):
    """"logged out … or left" is ログアウト / 残す: 千葉市 revokes the leaver's user ID (line 1325); before the verb's
    past forms were read, a sentence on the cloud's monitoring of account activity (line 1994)."""
    ans = assistant.ask("What happens to an account once a Chiba employee has logged out for good or left?")
    assert "失効" in ans.text and (ans.citations[0].doc, ans.citations[0].line_start) == (CHIBA, 1325), ans.text


def test_an_english_which_cities_question_over_prose(assistant):
    # before the lexicon: "0 of 5 cities match"
    ans = assistant.ask("Which cities fix their terminals with security wires?")
    assert set(ans.cities) == {"高知市", "千葉市"}
    cited = {(c.doc, c.line_start) for c in ans.citations}
    assert {(KOCHI, 570), (CHIBA, 1849)} <= cited  # 570: セキュリティワイヤー等による固定 ("wires" is ワイヤ)


def test_the_lexicons_second_part_keeps_every_sense_of_the_first():
    """The second part (rarer corpus tokens) adds English words the first did not read; a word the first part
    reads, alone or as a phrase made only of such words, reads as before ("resident register" is 住民 + 台帳). A form
    the first part only generates may be listed below with a sense of its own, and a listed form wins ("running" of
    an organisation is 運営, "formatting" a disk フォーマット, not the 運用 of "run" or the 様式 of "format")."""
    lines = LEXICON.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith(EXTENSION))
    first, full = parse_lexicon(lines[:cut]), parse_lexicon(lines)
    first_listed, second_listed = _listed(lines[:cut]), _listed(lines[cut:])
    assert len(full.entries) > len(first.entries) + 1000
    assert not first_listed & second_listed
    assert all(set(full.entries[k]) >= set(v) for k, v in first.entries.items() if k not in second_listed)
    assert full.groups("running") == [("運営",)] and first.groups("running") == [("運用", "稼働", "動作")]
    assert full.groups("resident register") == first.groups("resident register") == [("住民", "市民"), ("台帳", "登録")]
    assert first.groups("power outage") != full.groups("power outage") == [("停電",)]


def _listed(lines: list[str]) -> set[str]:
    """The English words and phrases lexicon lines list (their base forms)."""
    return {" ".join(re.findall(r"[a-z]+(?:-[a-z]+)*", phrase.lower()))
            for line in lines if "\t" in line and not line.startswith("#")
            for phrase in line.split("\t", 1)[1].split(";")} - {""}


def test_an_english_word_only_the_rarer_tokens_know(assistant):
    """"power outage" is 停電 (three documents): before the lexicon's second part, 0 of 5 cities matched."""
    ans = assistant.ask("Which cities keep their servers running through a power outage?")
    assert set(ans.cities) == {"倉敷市", "千葉市", "金沢市"}, ans.text
    cited = {(c.doc, c.line_start) for c in ans.citations}
    assert {(KURASHIKI, 242), (CHIBA, 1844), (KANAZAWA, 321)} <= cited


def test_victims_read_as_higai(assistant):
    """"victims" is 被害 (者): the DV victims' automatic-answer block (金沢市 line 309), not a sentence on data export."""
    ans = assistant.ask("Does Kanazawa stop data on abuse victims from being sent out automatically?")
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KANAZAWA, 309) and "自動応答" in ans.text, ans.text


@pytest.mark.parametrize("word", ["over", "under", "across", "up", "out", "off", "into", "about"])
def test_a_preposition_reads_no_sense(word):
    """A preposition is a function word: "sent over" is no 超過 (once derived from "overage"), "under the contract"
    no 未満, "across" no 横断."""
    assert japanese_groups(word) == []
    assert japanese_groups(f"How is it sent {word} to them?") == japanese_groups("How is it sent to them?")


@pytest.mark.parametrize("question,doc,line", [
    ("Why does Kurashiki need its national pension file?", KURASHIKI, 69),
    ("Why is it necessary for Koriyama to hold its tax delinquency file?", KORIYAMA, 208),
])
def test_need_reads_as_the_form_s_necessity(assistant, question, doc, line):
    """"need" and "necessary" are 必要, the form's その必要性 (why a file is held): without it the question's only
    words were the file and the business, and a heading (③他のシステムとの接続) answered."""
    ans = assistant.ask(question)
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (doc, line) and "必要" in ans.text, ans.text


@pytest.mark.parametrize("text, takes_out", [
    ("carry out information linkage", False),  # "carry out" + an object: perform
    ("carry out audits every year", False),
    ("Can staff carry them out?", True),  # the object between: take out
    ("carry data out of the building", True),
    ("take data out", True),
])
def test_carry_out_performs_unless_something_is_carried_out(text, takes_out):
    """"carry out X" is done (実施), "carry X out (of …)" is taken out (持ち出し): the lexicon and the everyday glossary
    read "carry out" as taking out, so "carry out information linkage" weighed 持ち出し twice."""
    groups = word_groups(text)
    assert any("持ち出し" in g for g in groups) is takes_out
    if text.startswith("carry out"):
        assert any("実施" in g for g in groups)
