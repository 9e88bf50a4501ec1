"""Which-cities prose judgements weigh the words that tell the documents apart (UnitSearcher.distinct_coverage)."""
from __future__ import annotations

import pytest

KURASHIKI, KORIYAMA = "000_2b92446a3e503446.txt", "001_fd6f090b79f37056.txt"
KOCHI, KANAZAWA = "002_8198ed8bac5210ca.txt", "004_57af33314b6a26f0.txt"
WORDS = "記録 ファイアウォール"  # every document records something; two name a firewall


def _unit(assistant, doc: str, holds: str, lacks: str):
    return next(u for u in assistant.units.units if u.doc == doc and holds in u.text and lacks not in u.text
                and lacks not in u.context)


def test_a_word_every_document_uses_weighs_less_than_one_few_use(assistant):
    units = assistant.units
    tokens = units.content_tokens(WORDS)  # as Sudachi normalises them (ファイアーウォール)
    firewall = _unit(assistant, KURASHIKI, "ファイアウォール", "記録")
    logs = _unit(assistant, KOCHI, "記録は、5年間", "ファイアウォール")
    docs = list(assistant.docs)
    distinct = units.distinct_coverage(tokens, [firewall, logs], docs)
    plain = {u.id: units.coverage(tokens, u.text, u.context) for u in (firewall, logs)}
    assert plain[firewall.id] > 0 and plain[logs.id] > 0
    assert distinct[firewall.id] > plain[firewall.id] and distinct[logs.id] < plain[logs.id]
    assert distinct[firewall.id] > distinct[logs.id]


def test_within_one_document_no_word_tells_documents_apart(assistant):
    units = assistant.units
    tokens = units.content_tokens(WORDS)
    logs = _unit(assistant, KOCHI, "記録は、5年間", "ファイアウォール")
    plain = units.coverage(tokens, logs.text, logs.context)
    assert plain > 0
    assert units.distinct_coverage(tokens, [logs], [KOCHI])[logs.id] == pytest.approx(plain)


def test_an_english_condition_is_judged_by_its_distinctive_words(assistant):
    """"7 years" and the logs: 郡山市 keeps its provision records 7 years (line 664, and in the same words for its other
    file at line 528), 金沢市 its access records on media 7 years (line 275). Judged by plain coverage the best city
    covered too little of the many common words and none was named."""
    ans = assistant.ask("Which cities retain their access logs or the records of data given to others for 7 years?")
    assert set(ans.cities) == {"郡山市", "金沢市"}, ans.text
    cited = {r.city: ans.citations[r.citation] for r in ans.rows if r.citation is not None}
    assert cited["郡山市"].doc == KORIYAMA and cited["郡山市"].line_start in (528, 664)
    assert "提供記録は7年分保管する" in assistant.docs[KORIYAMA].lines[cited["郡山市"].line_start - 1]
    assert (cited["金沢市"].doc, cited["金沢市"].line_start) == (KANAZAWA, 275)
