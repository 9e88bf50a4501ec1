"""A requirement added to a which-cities condition is judged on what it adds (WhichCities.answer): the words an
earlier requirement holds are asked already of every city that meets it."""
from __future__ import annotations


def test_a_narrower_requirement_is_judged_on_its_own_words(assistant):
    """郡山市 and 高知市 both burn their paper (lines 348, 589); only 郡山市 says where — at the incinerator the city
    runs (line 565). 「焼却」 in the narrower requirement says nothing of whose incinerator: 高知市 meets the first
    requirement only."""
    question = ("Among the cities that incinerate paper records, which one says the burning takes place at an "
                "incineration facility set up by the city itself?")
    answer = assistant.ask(question)
    assert answer.kind == "aggregate" and answer.cities == ("郡山市",)
    rows = {r.city: r for r in answer.rows}
    assert rows["郡山市"].satisfied and not rows["高知市"].satisfied
    assert rows["高知市"].value.startswith("○") and " / ×" in rows["高知市"].value
    kochi = answer.citations[rows["高知市"].citation]
    assert (kochi.doc, kochi.line_start) == ("002_8198ed8bac5210ca.txt", 589)
    plain = assistant.ask("Which cities incinerate paper records?")
    assert plain.cities == ("郡山市", "高知市")  # the first requirement alone: both
