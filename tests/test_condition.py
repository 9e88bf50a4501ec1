"""The which-cities condition grammar: AND over atoms, negation, in Japanese and English."""
from __future__ import annotations

import pytest

from piaqa.answer.aggregate import glossed_terms
from piaqa.understand.condition import Atom, combine, grammar_of, parse_condition


@pytest.mark.parametrize("question, atoms", [
    ("暗号化について記載している市はどこ？", [("暗号化について記載している", False)]),
    ("媒体を物理的に破壊して廃棄している自治体は？", [("媒体を物理的に破壊して廃棄している", False)]),
    # a request ends the frame as a question does
    ("年に1回以上の自己点検を実施すると記載している市を挙げてください。", [("年に1回以上の自己点検を実施すると記載している", False)]),
    ("再委託している市を教えてください", [("再委託している", False)]),
    ("再委託をしていて、かつ暗号化について記載している市はどこですか",
     [("再委託をし", False), ("暗号化について記載している", False)]),
    ("再委託している市のうち、全項目評価書はどれ？", [("再委託している", False), ("全項目評価書", False)]),
    ("暗号化しているもののうち、重点項目評価書はどれ？", [("暗号化しているもの", False), ("重点項目評価書", False)]),
    # のうち after another noun picks among its kinds: one requirement
    ("入手元のうち「評価実施機関内の他部署」として市民税課を挙げている市はどこですか",
     [("入手元のうち「評価実施機関内の他部署」として市民税課を挙げている", False)]),
    ("ログを定期的に確認していない市はどこ？", [("ログを定期的に確認して", True)]),
    ("監査を実施していない自治体を教えて", [("監査を実施して", True)]),
    ("受付票を使うとは書かれておらず、対応の記録を残すとだけ書いている市はどこですか。",
     [("受付票を使うとは書かれ", True), ("対応の記録を残すとだけ書いている", False)]),
])
def test_japanese_connectives_and_negation(question, atoms):
    assert [(a.text, a.negated) for a in parse_condition(question, "ja").atoms] == atoms


@pytest.mark.parametrize("question, atoms", [
    ("Which cities do NOT conduct a third-party review?", [("conduct a third-party review", True)]),
    ("Which cities re-delegate system maintenance and do not mention encryption?",
     [("re-delegate system maintenance", False), ("mention encryption", True)]),
    ("Among the cities that outsource work, which ones use the government cloud?",
     [("outsource work", False), ("use the government cloud", False)]),
    ("Which cities' assessments state that terminals are secured with a wire?",
     [("state that terminals are secured with a wire", False)]),
])
def test_english_connectives_and_negation(question, atoms):
    assert [(a.text, a.negated) for a in parse_condition(question, "en").atoms] == atoms


def test_a_simple_condition_is_not_compound():
    cond = parse_condition("再委託している市はどこ？", "ja")
    assert not cond.compound and cond.atoms == (Atom("再委託している"),)
    assert parse_condition("再委託していない市はどこ？", "ja").compound


def test_combine_narrows_the_previous_condition():
    ja = combine("再委託している市はどこ？", "全項目評価書はどれ？", "ja")
    assert [a.text for a in parse_condition(ja, "ja").atoms] == ["再委託している", "全項目評価書"]
    ja = combine("「再委託する」となっている委託事項がある市はどこですか？", "全項目評価書はどれ？", "ja")
    assert [a.text for a in parse_condition(ja, "ja").atoms] == ["「再委託する」となっている委託事項がある", "全項目評価書"]
    en = combine("Which cities re-delegate maintenance?", "are full assessments?", "en")
    assert [a.text for a in parse_condition(en, "en").atoms] == ["re-delegate maintenance", "are full assessments"]


@pytest.mark.parametrize("question, atoms", [
    # "A ことと、B ことの両方": two requirements
    ("出入口の場所を限定することと、端末にワイヤを取り付けることの両方を記載している市はどこですか。",
     [("出入口の場所を限定する", False), ("端末にワイヤを取り付ける記載している", False)]),
    # "X と Y のいずれも V": V governs both nouns
    ("監査と研修のいずれも実施している市は？", [("監査実施している", False), ("研修実施している", False)]),
    # "X と Y をどちらも V ない": neither
    ("監査と研修をどちらも実施していない市は？", [("監査実施して", True), ("研修実施して", True)]),
    # a noun list without a both-marker is one requirement
    ("委託先と再委託先の従業者に誓約書を提出させている市はどこ？", [("委託先と再委託先の従業者に誓約書を提出させている", False)]),
])
def test_japanese_both_joins_two_requirements(question, atoms):
    assert [(a.text, a.negated) for a in parse_condition(question, "ja").atoms] == atoms


def test_english_both_and_gives_each_part_the_verb():
    cond = parse_condition("Which cities state both that entrances are limited and that terminals are wired?", "en")
    assert [a.text for a in cond.atoms] == ["state that entrances are limited", "state that terminals are wired"]


@pytest.mark.parametrize("question, atoms", [
    ("Which cities both film who goes in and out of the server room and wipe old disks?",
     ["film who goes in and out of the server room", "wipe old disks"]),
    ("Which cities both log idle staff on and off automatically and encrypt USB sticks?",
     ["log idle staff on and off automatically", "encrypt USB sticks"]),
])
def test_english_both_is_not_split_inside_a_pair_of_particles(question, atoms):
    """"in and out", "on and off" are one phrase: "both … and" joins at the next "and"."""
    assert [a.text for a in parse_condition(question, "en").atoms] == atoms


@pytest.mark.parametrize("question, atoms", [
    # なおかつ is one connective (not なお + かつ)
    ("暗号化していて、なおかつ監視カメラを設置している市はどこ？",
     [Atom("暗号化し"), Atom("監視カメラを設置している")]),
    # "of the cities that A, which ones B" is "among"
    ("Of the cities that held a public comment period, which ones accepted comments by fax?",
     [Atom("held a public comment period"), Atom("accepted comments by fax")]),
    # "have no X" and "none" negate
    ("Which cities have no subcontracted task?", [Atom("have subcontracted task", True)]),
])
def test_more_connectives_and_negations(question, atoms):
    lang = "en" if question.isascii() else "ja"
    assert list(parse_condition(question, lang).atoms) == atoms


@pytest.mark.parametrize("question, atoms", [
    # what "rather than" / "as opposed to" / ", not" contrasts says which A is meant: A alone is required
    ("Which cities burn paper rather than dissolving it?", [Atom("burn paper")]),
    ("Which cities rate a measure as having issues, as opposed to sufficient?",
     [Atom("rate a measure as having issues")]),
    ("Which cities use the government cloud, not their own servers?", [Atom("use the government cloud")]),
    # the contrast may lead, and ends at the next comma
    ("Instead of dissolving paper, which cities burn it?", [Atom("burn it")]),
    ("Which cities re-delegate maintenance, not development, and do not mention encryption?",
     [Atom("re-delegate maintenance"), Atom("mention encryption", True)]),
])
def test_an_english_contrast_names_the_requirement_only(question, atoms):
    assert list(parse_condition(question, "en").atoms) == atoms


@pytest.mark.parametrize("question, atoms", [
    # 「AではなくB」 between two nouns: what precedes A and follows B governs both, and A is negated
    ("紙を溶解ではなく焼却している市は？", [Atom("紙を溶解している", True), Atom("紙を焼却している")]),
    ("紙でなく、電子メールで提供している市はどこ？", [Atom("紙で提供している", True), Atom("電子メールで提供している")]),
    # 「…せずに」「…ずに」 negate the clause before them, with or without a comma
    ("ログを確認せずに廃棄している市は？", [Atom("ログを確認", True), Atom("廃棄している")]),
    ("書類を溶かさずに、燃やしている市は？", [Atom("書類を溶かさ", True), Atom("燃やしている")]),
    # a clause before ではなく、 is the connective's, as before
    ("暗号化しているのではなく、パスワードを設定している市は？", [Atom("暗号化しているの", True), Atom("パスワードを設定している")]),
])
def test_a_japanese_contrast_negates_what_it_sets_aside(question, atoms):
    assert list(parse_condition(question, "ja").atoms) == atoms


def test_an_english_question_with_a_japanese_gloss_uses_the_english_grammar():
    # language() reads it as Japanese (for the gloss); the connectives are English all the same
    cond = parse_condition("Which cities both use Fujitsu Japan (富士通Japan) as a contractor and accept requests "
                           "by post?", "ja")
    assert [a.text for a in cond.atoms] == ["use Fujitsu Japan (富士通Japan) as a contractor",
                                            "accept requests by post"]
    # a gloss that names the form's negative choice already says "not": the atom is not negated again
    cond = parse_condition("Which cities do NOT carry out information linkage (情報連携: 実施しない)?", "ja")
    assert [a.negated for a in cond.atoms] == [False]
    # a mostly Japanese question keeps the Japanese grammar
    assert parse_condition("ISMAPに触れていない市はどこ？", "ja").atoms == (Atom("ISMAPに", True),)


def test_grammar_is_read_from_function_words_and_hiragana_not_from_names():
    # a long Japanese file name and no hiragana: the English words carry the grammar
    assert grammar_of("And for its 後期高齢者医療保険料徴収システムデータベースファイル?", "ja") == "en"
    # hiragana is Japanese grammar; names in Latin letters (ISMS, ID) do not make a question English
    assert grammar_of("倉敷市のISMS認証は？", "ja") == "ja" and grammar_of("倉敷市 ISMS 認証", "ja") == "ja"
    assert grammar_of("Which cities use 富士通Japan?", "ja") == "en"


def test_combine_in_english_when_the_turns_are_english_with_glosses():
    c = combine("Which cities' reports are full assessments (全項目評価書)?",
                "Which of those select a retention period of 20 years or more (20年以上)?", "ja")
    assert c == ("Among the cities that are full assessments (全項目評価書), which select a retention period of "
                 "20 years or more (20年以上)?")
    assert [a.text for a in parse_condition(c, "ja").atoms] == [
        "are full assessments (全項目評価書)", "select a retention period of 20 years or more (20年以上)"]


def test_an_among_question_is_a_which_cities_question(assistant):
    ans = assistant.ask("Among the cities that are full assessments (全項目評価書), which select a retention period "
                        "of 20 years or more (20年以上) for a file?")
    assert ans.kind == "aggregate" and set(ans.cities) == {"高知市"}
    assert {r.city for r in ans.rows} == {"倉敷市", "郡山市", "高知市", "千葉市", "金沢市"}


@pytest.mark.parametrize("question, n, op, files", [
    ("移転先を2つ以上挙げている市", 2, ">=", False), ("委託事項が3件未満の市", 3, "<", False),
    ("複数のファイルを評価している市", 2, ">=", True), ("Which cities list at least two recipients?", 2, ">=", False),
    ("Which cities have more than 2 files?", 2, ">", True), ("three or more outsourced tasks", 3, ">=", False),
])
def test_count_comparisons(question, n, op, files):
    from piaqa.answer.aggregate import CountCondition, count_condition

    assert count_condition(question) == CountCondition(n, op, files)


@pytest.mark.parametrize("question", ["保管期間が5年以上の市", "retention of at least 20 years",
                                      "more than 10 people", "令和5年以降に評価した市"])
def test_values_compared_are_not_counts(question):
    from piaqa.answer.aggregate import count_condition

    assert count_condition(question) is None


def test_a_count_of_rows_per_file(assistant):
    ans = assistant.ask("特定個人情報の移転先として、庁内の部署を2つ以上挙げている市はどこ？")
    assert set(ans.cities) == {"倉敷市", "金沢市"}
    rows = {r.city: r.value for r in ans.rows}
    assert rows["金沢市"] == "2件: 市民課 / 生活支援課" and rows["郡山市"].startswith("1件")
    assert rows["高知市"] == "記載なし"  # nothing stated is no count


@pytest.mark.parametrize("question, expected", [
    ("特定個人情報ファイルを2つ以上扱っている市", (2, ">=", True)),  # the files are what is counted
    ("記録される項目が「50項目以上100項目未満」のファイルがある市", None),  # a quoted value, not a count
    ("Which cities have at least one outsourced task for which the staff count is 10 or more?", None),  # existence
])
def test_what_a_count_counts(question, expected):
    from piaqa.answer.aggregate import CountCondition, count_condition

    assert count_condition(question) == (CountCondition(*expected) if expected else None)


@pytest.mark.parametrize("question, files", [
    ("Which cities have more than one specific personal information file?", True),
    ("Which cities have two or more specific personal information files (特定個人情報ファイル)?", True),
    ("複数の特定個人情報ファイルを持つ市", True), ("複数の委託先がある市", False),
    ("Which cities list at least two recipients for a file?", False),
])
def test_the_counted_noun_is_the_phrase_after_the_count(question, files):
    from piaqa.answer.aggregate import count_condition

    assert count_condition(question).files == files


def test_a_question_among_cities_is_a_which_cities_question_in_japanese_too(assistant):
    q = assistant.understander.understand("監視カメラについて書いている市のうち、全項目評価書なのはどこ？")
    assert q.aggregate
    ans = assistant.ask("監視カメラについて書いている市のうち、全項目評価書なのはどこ？")
    assert ans.kind == "aggregate" and len(ans.rows) == 5


def test_a_quoted_paraphrase_is_judged_by_the_prose_a_quoted_form_value_by_the_fields(assistant):
    # no field of the corpus holds 「事故や漏えいが起きたら報告させる」: it paraphrases a contract clause; before,
    # it was a value the 重大事故 row (発生なし / 発生あり) had to hold, and no city could match
    paraphrase = "委託契約に「事故や漏えいが起きたら報告させる」決まりを入れている市はどこ？"
    fc = assistant.aggregator.field_condition(assistant.understander.understand(paraphrase))
    assert fc.values == ()
    ans = assistant.ask(paraphrase)
    assert len(ans.rows) == 5 and not any("発生" in r.value for r in ans.rows)
    form_value = "「再委託しない」となっている市はどこ？"
    assert assistant.aggregator.field_condition(assistant.understander.understand(form_value)).values == ("再委託しない",)


def test_a_gloss_is_the_japanese_part_of_its_parentheses(assistant):
    # "(富士通Japan, including its branches)": the remark beside the gloss is not part of the name; before, the
    # whole parenthesis was the topic every 委託先名 had to hold, and no city did
    assert glossed_terms("cities that use (富士通Japan, including its branches) as a contractor") == ["富士通Japan"]
    assert glossed_terms("which cities re-delegate (再委託) work?") == ["再委託"]
    atom = "use Fujitsu Japan (富士通Japan, including its branches) as a current contractor"
    ans = assistant.ask(f"Which cities {atom}?")
    assert [r.city for r in ans.rows if r.satisfied] == ["倉敷市", "郡山市", "高知市", "千葉市", "金沢市"]
    assert all("富士通Japan" in r.value for r in ans.rows)


def test_a_colloquial_which_cities_question_with_tte(assistant):
    # 「…市ってどこ？」: って is the topic particle は of everyday speech
    q = assistant.understander.understand("再委託してる市ってどこ？")
    assert q.aggregate and [a.text for a in q.condition.atoms] == ["再委託してる"]
    ans = assistant.ask("再委託してる市ってどこ？")
    assert ans.kind == "aggregate" and ans.cities == ("郡山市", "高知市", "千葉市", "金沢市")


@pytest.mark.parametrize("question, lang, atoms, groups", [
    # a bare noun before the connective takes what follows the last alternative's noun
    ("紙または電子メールで提供している市はどこ？", "ja", ["紙で提供している", "電子メールで提供している"], (0, 0)),
    # 「AかBのどちらか」「AとBのいずれか」: the marker makes か / と a disjunction; what follows governs both
    ("生体認証か監視カメラのどちらかを記載している市は？", "ja", ["生体認証を記載している", "監視カメラを記載している"], (0, 0)),
    ("暗号化と生体認証のいずれかについて書いている市", "ja", ["暗号化について書いている", "生体認証について書いている"], (0, 0)),
    # AND of an OR-group: a clause before the alternatives, a conjunction before them
    ("全項目評価書で、暗号化または生体認証について記載している市", "ja",
     ["全項目評価書で", "暗号化について記載している", "生体認証について記載している"], (0, 1, 1)),
    ("再委託しており、紙もしくは電子メールで移転している市はどこ？", "ja",
     ["再委託し", "紙で移転している", "電子メールで移転している"], (0, 1, 1)),
    ("Which cities provide data by paper or e-mail?", "en",
     ["provide data by paper", "provide data by e-mail"], (0, 0)),
    ("Which cities either re-delegate work or charge a fee?", "en", ["re-delegate work", "charge a fee"], (0, 0)),
    # a clause before the alternatives' comma governs both; a scope (…で、) is a requirement of its own (above)
    ("紙の帳票を、焼却または溶解で処分している市", "ja", ["紙の帳票を、焼却で処分している", "紙の帳票を、溶解で処分している"], (0, 0)),
    # without "either", a longer later part joins nouns inside one clause: one requirement as written
    ("Which cities list a branch or regional office among the departments that use the file?", "en",
     ["list a branch or regional office among the departments that use the file"], ()),
    ("Which cities say their staff receive privacy or security training once a year?", "en",
     ["say their staff receive privacy or security training once a year"], ()),
    ("Which cities provide data by paper or by e-mail?", "en",
     ["provide data by paper", "provide data by e-mail"], (0, 0)),
    # "20 years or more" compares a number: no alternatives
    ("Which cities keep the file for 20 years or more?", "en", ["keep the file for 20 years or more"], ()),
    ("監視カメラと生体認証の両方を記載している市", "ja", ["監視カメラ記載している", "生体認証記載している"], ()),
])
def test_alternatives_are_or_groups(question, lang, atoms, groups):
    cond = parse_condition(question, lang)
    assert [a.text for a in cond.atoms] == atoms and cond.groups == groups


def test_a_condition_holds_when_every_group_has_a_met_alternative():
    cond = parse_condition("Which cities use paper or e-mail but do not re-delegate?", "en")
    assert [(a.text, a.negated) for a in cond.atoms] == [("use paper", False), ("use e-mail", False),
                                                        ("re-delegate", True)]
    assert cond.holds([False, True, False]) and cond.holds([True, False, False])
    assert not cond.holds([True, True, True]) and not cond.holds([False, False, False])
    plain = parse_condition("再委託しており、暗号化している市", "ja")  # no groups: every atom required
    assert plain.groups == () and plain.holds([True, True]) and not plain.holds([True, False])


def test_an_or_question_unites_the_cities_of_its_alternatives(assistant):
    # 再委託する: 郡山市, 高知市, 千葉市, 金沢市; 重点項目評価書: 倉敷市, 金沢市 — each alternative brings a city the other lacks
    for q in ("Which cities either re-delegate (再委託) or have a priority-item (重点項目) assessment?",
              "重点項目評価書または再委託している市はどこ？"):
        ans = assistant.ask(q)
        assert ans.cities == ("倉敷市", "郡山市", "高知市", "千葉市", "金沢市"), q
        kurashiki = next(r for r in ans.rows if r.city == "倉敷市")
        assert "再委託しない" in kurashiki.value and "重点項目評価書" in kurashiki.value
    both = assistant.ask("重点項目評価書で、かつ再委託している市はどこ？")  # the same atoms joined by AND
    assert both.cities == ("金沢市",)


@pytest.mark.parametrize("question,aggregate", [
    ("What cities re-delegate system maintenance?", True),
    ("So which of the five cities write down a once-a-year training schedule?", True),
    ("Are there any cities that burn their paper records?", True),
    ("What does Kochi do with the cities' data?", False), ("Who is Chiba's contractor?", False),
    # the existential: which cities, if any
    ("Is there any city that rates one of its risk measures as still having issues?", True),
    ("Does any city re-delegate system maintenance?", True), ("Does Kochi have any city data?", False),
])
def test_english_which_cities_is_read_from_the_plural(assistant, question, aggregate):
    """"what cities", "which of the five cities", "any cities that …", "is there any city that …": which cities."""
    assert assistant.understander.understand(question).aggregate == aggregate


def test_an_existential_frame_is_no_part_of_the_condition(assistant):
    ans = assistant.ask("Are there any cities that burn their paper records?")
    assert set(ans.cities) == {"郡山市", "高知市"} and "any cities" not in ans.text, ans.text
    ans = assistant.ask("Does any city re-delegate system maintenance?")
    assert set(ans.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}, ans.text


def test_which_of_the_five_cities_is_answered_across_cities(assistant):
    ans = assistant.ask("So which of the five cities re-delegate system maintenance (再委託)?")
    assert ans.kind == "aggregate" and len(ans.rows) == 5


@pytest.mark.parametrize("question, lang, atoms", [
    ("では、実施している市はどこですか。", "ja", [("実施している", False)]),
    ("じゃあ暗号化している市は？", "ja", [("暗号化している", False)]),
    ("逆に、ログを残していない市は？", "ja", [("ログを残して", True)]),
    # a verb opening with で or なら is no connective
    ("できる限り暗号化している市は？", "ja", [("できる限り暗号化している", False)]),
    ("And which cities re-delegate work?", "en", [("re-delegate work", False)]),
])
def test_an_opening_connective_requires_nothing(question, lang, atoms):
    """「では、」「じゃあ」「逆に」 "And" join a turn to the last one: no part of what a city must meet (「では、実施して
    いる」 was judged as said of every city)."""
    assert [(a.text, a.negated) for a in parse_condition(question, lang).atoms] == atoms
