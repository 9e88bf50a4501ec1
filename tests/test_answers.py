"""Question understanding and form-aware answers through the real Assistant."""
from __future__ import annotations

import pytest

from piaqa.understand.answertype import expected_type, states_asked
from piaqa.understand.glossary import expand

K = "000_2b92446a3e503446.txt"


@pytest.mark.parametrize("question,cities", [
    ("倉敷市の国民年金事務の委託先は？", ("倉敷市",)),
    ("Who is the contractor for Kurashiki's national pension system?", ("倉敷市",)),
    ("福島県郡山市長の評価書", ("郡山市",)),
    ("What does Kōchi City store?", ("高知市",)),
    ("千葉と金沢を比べて", ("千葉市", "金沢市")),
])
def test_city_names_japanese_and_romanised(assistant, question, cities):
    assert assistant.understander.understand(question).cities == cities


@pytest.mark.parametrize("question,aggregate,history", [
    ("どの市がガバメントクラウドを使っていますか", True, False),
    ("which cities re-delegate (再委託) system maintenance?", True, False),
    ("システム保守を再委託している市は？", True, False),
    ("倉敷市の以前の委託先は？", False, True),
    ("倉敷市の委託先は？", False, False),
    # "before" as an adverb asks the past; as a conjunction opening a clause or a gerund it only says when
    ("Who was Kurashiki's contractor before?", False, True),
    ("What did Kurashiki's assessment say before the 2023 revision?", False, True),
    ("What must Koriyama's contractor staff do before they handle the data?", False, False),
    ("What does Koriyama check before handing data to the contractor?", False, False),
])
def test_intent(assistant, question, aggregate, history):
    q = assistant.understander.understand(question)
    assert (q.aggregate, q.history) == (aggregate, history)


def test_lookup_states_the_value_and_cites_its_line(assistant):
    ans = assistant.ask("倉敷市の国民年金事務の委託先は？")
    assert ans.answerable and ans.cities == ("倉敷市",)
    assert "富士通Japan株式会社岡山支社" in ans.text
    first = ans.citations[0]
    assert (first.doc, first.line_start, first.line_end) == (K, 91, 91)
    assert "③委託先名\t富士通Japan株式会社岡山支社" in first.text


def test_english_lookup(assistant):
    ans = assistant.ask("Who is the contractor for Kanazawa's child allowance system?")
    assert "富士通Japan株式会社" in ans.text and ans.citations[0].line_start == 137


@pytest.mark.parametrize("question", ["How long does Kochi keep its resident register file?",
                                      "How long is Kochi City's resident register file retained?"])
def test_how_long_kept_is_the_retention_item_in_either_voice(assistant, question):
    from piaqa.understand.glossary import expand

    assert "保管期間" in expand(question)
    ans = assistant.ask(question)
    assert ans.kind == "field" and ans.field.label == "保管期間" and "20年以上" in ans.text


def test_several_items_are_all_listed(assistant):
    ans = assistant.ask("千葉市の国民年金事務の委託先は？")
    for name in ("富士通Japan株式会社", "NECフィールディング株式会社", "株式会社パソナ"):
        assert name in ans.text
    assert len(ans.text) < 160


@pytest.mark.parametrize("question", ["which cities re-delegate (再委託) system maintenance?",
                                      "システム保守を再委託している市はどこですか？"])
def test_which_cities_redelegate_maintenance(assistant, question):
    ans = assistant.ask(question)
    assert set(ans.cities) == {"郡山市", "高知市", "千葉市", "金沢市"}
    by_city = {r.city: r for r in ans.rows}
    assert not by_city["倉敷市"].satisfied and "再委託しない" in by_city["倉敷市"].value
    for city in ans.cities:  # one citation per city, pointing at its evidence
        row = by_city[city]
        assert row.citation is not None and ans.citations[row.citation].city == city


def test_meta_aggregate(assistant):
    ans = assistant.ask("which assessments are 重点項目評価書?")
    assert set(ans.cities) == {"倉敷市", "金沢市"}


def test_history_question_uses_change_log(assistant):
    ans = assistant.ask("倉敷市の以前の委託先は？")
    assert "富士通株式会社" in ans.text and "令和4年5月31日" in ans.text
    assert any(c.line_start == 338 for c in ans.citations)


def test_current_question_never_returns_old_value(assistant):
    ans = assistant.ask("倉敷市の委託先名は？")
    assert "富士通株式会社 " not in ans.text and "富士通Japan株式会社岡山支社" in ans.text


@pytest.mark.parametrize("question", ["横浜市の国民年金事務の委託先は？", "金沢市の国民年金に関する事務の担当部署はどこですか。",
                                      "高知市の評価書の公表日は？", "What is the annual budget of Chiba's pension affairs?"])
def test_abstains(assistant, question):
    ans = assistant.ask(question)
    assert not ans.answerable, ans.text


def test_follow_ups(assistant):
    first = assistant.ask("倉敷市の国民年金事務の委託先は？")
    second = assistant.ask("千葉市は？", history=[("倉敷市の国民年金事務の委託先は？", first)])
    assert second.cities == ("千葉市",) and "株式会社パソナ" in second.text
    agg_q = "which cities re-delegate (再委託) system maintenance?"
    agg = assistant.ask(agg_q)
    row = assistant.ask("倉敷市は？", history=[(agg_q, agg)])
    assert row.rows and not row.rows[0].satisfied and row.cities == ()
    third = assistant.ask("その再委託の有無は？", history=[("千葉市は？", second)])
    assert third.cities == ("千葉市",) and "再委託" in third.text


def test_empty_question(assistant):
    assert not assistant.ask("   ").answerable


# ---------------------------------------------------------------- qualifiers, sections, abstention
def test_item_named_by_number_and_title(assistant):
    ans = assistant.ask("千葉市の国民年金事務で、委託事項3「データ入力及び被保険者の資格に係る業務」の委託先はどこですか。")
    assert "株式会社パソナ" in ans.text and "NEC" not in ans.text
    ans = assistant.ask("金沢市の児童手当事務で、福祉保健総合システム運用管理・保守管理・改修業務委託の再委託事項は何ですか。")
    assert "福祉保健総合システムの品質管理、問題点管理、QA対応" in ans.text
    assert ans.citations[0].line_start == 140


def test_a_body_asked_with_doko_is_answered_by_the_row_that_names_it(assistant):
    # 「業者って、どこ？」 asks which company: the row naming it (委託先名, line 243), not the prose that mentions the work
    ans = assistant.ask("郡山市の後期高齢者医療保険料のデータベースの運用管理をやってる業者って、どこ？")
    assert ans.kind == "field" and "株式会社福島情報処理センター" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 243)


@pytest.mark.parametrize("question", ["高知市の個人情報ファイル簿はどこで閲覧できる？",
                                      "Where can people see Kochi's register of personal information files?"])
def test_where_after_a_choice_is_the_place_in_the_row_below(assistant, question):
    # 個人情報ファイル簿の公表 [行っている] (line 980) states a choice; where asks for 公表場所, the row below it
    ans = assistant.ask(question)
    assert "広聴広報課" in ans.text and "行っている" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 982)


def test_file_named_in_question(assistant):
    ans = assistant.ask("郡山市の収納管理システムファイルの保管期間はどの区分ですか。")
    assert "定められていない" in ans.text and ans.citations[0].line_start == 346


@pytest.mark.parametrize("question", ["郡山市で開示請求すると費用はかかる？",
                                      "If I ask Koriyama for disclosure of my records, does it cost anything?"])
def test_the_clause_that_sets_the_scene_is_not_what_is_asked(assistant, question):
    """「開示請求すると」 only sets the scene: the fee is asked (③手数料等, line 850), not where to ask (①請求先)."""
    ans = assistant.ask(question)
    first = ans.citations[0]
    assert ans.kind == "field" and "無料" in ans.text
    assert (first.doc, first.line_start) == ("001_fd6f090b79f37056.txt", 850)


def test_the_glossary_names_the_measures_by_their_english_words(assistant):
    """"access rights" is the form's アクセス権限 (III-3): the row that says who grants them (line 480)."""
    ans = assistant.ask("Who decides on access rights in Kochi?")
    assert "中央窓口センター長" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 480)


@pytest.mark.parametrize("question,terms", [
    ("Where can residents inspect the personal information file register?", {"個人情報ファイル簿の公表", "公表場所"}),
    ("Does the city keep backups?", {"バックアップ"}),
    ("入退室の管理はどうしている？", {"物理的対策"}),
    ("What is done to prevent a recurrence?", {"再発防止策の内容"}),
    ("Where does the city get the information from?", {"入手元"}),
    ("Do they pass the work on to another company?", {"再委託の有無"}),
    ("How long do they hang on to the data?", {"保管期間"}),
    ("What does the city use the file for?", {"使用目的"}),
    ("委託契約書ではどう決めている？", {"委託契約書中の特定個人情報ファイルの取扱いに関する規定"}),
    ("How often do they gather information on computer viruses?", {"技術的対策"}),
    ("How do they catch outdated records?", {"特定個人情報の正確性確保の措置の内容"}),
    ("Under Kanazawa's outsourcing contract, how often must the contractor report?",
     {"委託契約書中の特定個人情報ファイルの取扱いに関する規定"}),
    # a recipient asked in everyday words: who the data is sent, given or passed to
    ("Who does Kurashiki send its pension data to?", {"提供先", "移転先"}),
    ("Which section gets Kanazawa's child allowance data?", {"提供先", "移転先"}),
    ("金沢市は児童手当のデータをどこに送ってるの？", {"提供先", "移転先"}),
    # the record of a provision, in a relative clause with とき / 際
    ("庁内でデータを渡したときの記録はいつまで残すの？", {"特定個人情報の提供・移転の記録"}),
    # a record of what someone did, of their activity or handling: the records of use and of handling
    ("How long are the records of what the contractor did kept?", {"特定個人情報ファイルの取扱いの記録"}),
    ("Does Chiba keep contractor activity logs?", {"特定個人情報ファイルの取扱いの記録", "特定個人情報の使用の記録"}),
    ("委託先が扱った記録は何年残すの？", {"特定個人情報ファイルの取扱いの記録"}),
    # the contractor's staff counted, "the" or another determiner before the contractor
    ("How many people at that contractor handle the data?", {"委託先における取扱者数"}),
    ("How many staff working for the vendor touch the files?", {"委託先における取扱者数"}),
    # how a subcontract is approved, asked with its verb or noun before or after 再委託
    ("市は再委託をどうやって認めてるの？", {"再委託の許諾方法"}),
    ("How does the city sign off on subcontracting?", {"再委託の許諾方法"}),
    ("What approval is needed to re-delegate the work?", {"再委託の許諾方法"}),
])
def test_glossary_entries_for_the_forms_other_items(question, terms):
    from piaqa.understand.glossary import expand

    assert terms <= set(expand(question))


@pytest.mark.parametrize("question", ["Who sends the data to Kurashiki?", "保守はどこに出してるの？"])
def test_a_sender_or_a_contractor_is_no_recipient(question):
    """The one who sends (the subject asked) is an 入手元, and 「どこに出してる」 asks where work is outsourced."""
    from piaqa.understand.glossary import expand

    assert "提供先" not in expand(question)


@pytest.mark.parametrize("question", ["How long are contractor activity records kept?",
                                      "How long do contractors keep their records?"])
def test_a_contractor_is_no_contract(question):
    """"how long … contract" asks the contract period (not recorded); "how long … contractor" does not."""
    from piaqa.understand.glossary import not_in_form

    assert not_in_form(question) is None
    assert not_in_form("How long is the contract with the vendor?") == "契約期間"


def test_the_contractors_staff_counted_not_those_the_file_covers(assistant):
    """倉敷市's pension contractor has fewer than 10 people handling the data (委託先における取扱者数, line 90); the
    file's 対象人数 (10万人以上30万人未満) counts the people it covers."""
    ans = assistant.ask("Kurashiki has a contractor run its pension system. How many people at that contractor work "
                        "with the personal data?")
    assert ans.answerable and "10人未満" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("000_2b92446a3e503446.txt", 90)


@pytest.mark.parametrize("question, contractor", [
    ("How can residents find out who the contractor is?", True), ("委託先の名前はどうやって確かめられる？", True),
    ("頼んでる会社がどこなのか、市民はどうやって確かめられるの？", True),
    ("窓口で受け付けた届書の内容が正しいか、どうやって確かめていますか？", False)])
def test_checking_is_the_contractors_name_only_when_the_contractor_is_asked(question, contractor):
    from piaqa.understand.glossary import expand

    assert ("委託先名の確認方法" in expand(question)) is contractor


def test_how_a_forms_content_is_checked_is_no_contractor_check(assistant):
    """千葉市 checks what it receives at the counter by asking and matching attachments (正確性確保, line 1214); how
    residents can learn the contractor's name (委託先名の確認方法) was answered."""
    ans = assistant.ask("千葉市の年金窓口で受け付けた届書の内容が正しいか、どうやって確かめていますか？")
    assert "窓口での聞き取りや添付書類との照合" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1214)


def test_whether_a_contractor_subcontracts_is_not_how_it_is_approved():
    from piaqa.understand.glossary import expand

    assert "再委託の許諾方法" not in expand("Does the contractor subcontract any of the work?")
    assert "再委託の許諾方法" not in expand("再委託していますか？")


@pytest.mark.parametrize("question", ["郡山市の滞納管理システムの委託で、市は再委託をどうやって認めてるの？",
                                      "How does Koriyama sign off on subcontracting for its tax system work?"])
def test_how_a_subcontract_is_approved(assistant, question):
    """郡山市 approves a subcontract in writing (再委託の許諾方法, line 148: 書面により承諾); the row was unreachable by
    these words and the 再委託事項 was answered."""
    ans = assistant.ask(question)
    assert ans.answerable and "書面により承諾" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 148)


def test_the_records_of_what_the_contractor_did_are_the_handling_records(assistant):
    """高知市 keeps the 本人確認情報ファイル's handling records (user, time, reason) for 10 years (line 652); the file's
    own 保管期間 (20年以上) is not what is asked."""
    for question in ("How long does Kochi keep the records of what its contractor did with the data in the "
                     "本人確認情報ファイル?", "高知市の本人確認情報ファイルで、委託先が扱った記録は何年残すの？"):
        ans = assistant.ask(question)
        assert ans.answerable and "10年間" in ans.text, ans.text
        assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 652)


def test_the_record_of_data_handed_over_is_not_the_files_blank_period(assistant):
    """郡山市 keeps the record of what it hands to other sections until its contract period ends (line 499); the
    滞納管理システムファイル's own 保管期間 is blank, and that blank is not the answer (it was, before the glossary read
    「渡した際の記録」 as 特定個人情報の提供・移転の記録)."""
    ans = assistant.ask("郡山市の滞納管理システムで、ほかの課にデータを渡した際の記録はいつまで保存するの？")
    assert ans.answerable and "契約期間満了まで" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 499)


def test_a_recipient_asked_in_everyday_words_is_answered_by_the_recipient_row(assistant):
    """倉敷市 provides its pension data to 日本年金機構 (提供先, line 98)."""
    ans = assistant.ask("Who does Kurashiki send its pension data to?")
    assert ans.answerable and "日本年金機構" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("000_2b92446a3e503446.txt", 98)


def test_the_business_named_in_the_question_says_which_assessment_not_what_is_asked(assistant):
    """"resident register system" names 高知市's 住民票 assessment; its words are not held against the 委託先名 row
    (line 187), which does not repeat them."""
    ans = assistant.ask("Who does Kochi outsource its resident register system to?")
    assert ans.kind == "field" and "富士通Japan株式会社 四国公共ビジネス部" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 187)


def test_a_name_asked_is_stated_by_the_row_that_names_it(assistant):
    """"who do they hand … to?" asks for a body: the 委託先名 row names it (line 187), the sentence about why the
    maintenance is outsourced does not."""
    ans = assistant.ask("Kochi — who do they hand the system maintenance to?")
    assert ans.kind == "field" and "富士通Japan株式会社 四国公共ビジネス部" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 187)


def test_yes_no_question_reads_the_existence_field(assistant):
    ans = assistant.ask("倉敷市の国民年金システムの保守・運用業務は、再委託されていますか。")
    assert ans.answerable and "再委託しない" in ans.text and ans.citations[0].line_start == 92


def test_section_spelled_out_with_quoted_value(assistant):
    ans = assistant.ask("情報提供ネットワークシステムによる情報連携を「実施する」としている市はどこですか。")
    assert set(ans.cities) == {"郡山市", "高知市", "金沢市"}


@pytest.mark.parametrize("question", ["郡山市が郡山市税総合システム運用及び印刷等業務を委託した契約金額はいくらですか。",
                                      "How much salary do the contractor staff of Kurashiki City receive?",
                                      "金沢市は児童手当システムの保守をいくらで委託してるの？"])
def test_attributes_the_form_does_not_record(assistant, question):
    assert not assistant.ask(question).answerable


@pytest.mark.parametrize("question,named", [
    ("郡山市の後期高齢者医療保険料徴収システムデータベースファイルで、2番目の委託事項の委託先はどこですか。",
     "(2)後期高齢者医療保険料徴収システムデータベースファイルの委託事項2"),  # that file has one outsourced task
    ("倉敷市の委託事項7の委託先は？", "委託事項7"),
])
def test_an_item_the_document_lacks_is_not_stated_never_a_neighbours_value(assistant, question, named):
    ans = assistant.ask(question)
    assert not ans.answerable and f"「{named}」の記載がありません" in ans.text and "富士通" not in ans.text


def test_an_item_it_has_is_still_answered(assistant):
    ans = assistant.ask("郡山市の滞納管理システムファイルの2番目の委託事項の委託先は？")
    assert ans.answerable and "富士通Japan株式会社" in ans.text


def test_blank_item_field_is_not_stated(assistant):
    ans = assistant.ask("金沢市の児童手当事務で、移転先2への移転の時期・頻度は？")
    assert not ans.answerable and "記載がありません" in ans.text


def test_a_blank_row_of_another_kind_is_weighed_against_the_prose(assistant):
    """A row left blank answers "not stated" only when it is the row of what is asked: 郡山市's blank 移転する情報 (line
    338) does not say how old disks are wiped; its ③消去方法 sentence does (line 197). A blank row of the kind asked
    (保管期間 for "how long", line 195) still is the form's own "not stated"."""
    wiped = assistant.ask("郡山市で、機器を更新するときディスクの情報はどう処理する？")
    assert wiped.answerable and wiped.kind == "describe" and "物理的破壊もしくは、専用ソフトを利用して完全に消去" in wiped.text
    assert (wiped.citations[0].doc, wiped.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 197)
    kept = assistant.ask("郡山市の滞納管理システムファイルの保管期間は？")
    assert not kept.answerable and kept.kind == "blank" and "保管期間" in kept.text
    assert (kept.citations[0].doc, kept.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 195)


# the query adapter's ranking (thirty-third session) moved both: Chiba's answer quotes the access-log sentence (「認証
# ログの管理」, "log in" read as logs), Kochi's the 申請管理システム's ID-and-password sentence instead of the resident
# register system's; kept as the right answers, strict: they fail loudly once answered right again
_ADAPTER_MOVED = pytest.mark.xfail(strict=True,
                                   reason="query adapter ranks another sentence first (README Known limits)")


@pytest.mark.parametrize("question,doc,line,value", [
    # ユーザ認証の管理: 行っている says that users are authenticated, not how
    pytest.param("How do staff log in to Chiba's pension system?", "003_36f852d2897e428a.txt", 1223, "生体認証",
                 marks=_ADAPTER_MOVED),
    # 具体的な管理方法: 操作者認証を行う。 (9 characters, a predicate alone) says no more
    pytest.param("How does Kochi manage user authentication for the resident register system?",
                 "002_8198ed8bac5210ca.txt", 478, "IDとパスワードによるユーザ認証", marks=_ADAPTER_MOVED),
])
def test_a_choice_saying_only_that_it_is_done_does_not_say_how(assistant, question, doc, line, value):
    ans = assistant.ask(question)
    assert ans.kind == "describe" and value in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (doc, line)


def test_a_choice_saying_only_that_it_is_done_does_not_say_what(assistant):
    """Nor what is done: "what does Chiba use …" is answered by the sentence naming ＩＤ・パスワード及び生体認証 (line
    1223), not by ユーザ認証の管理: 行っている (this failed before the rule covered questions other than "how")."""
    ans = assistant.ask("What does Chiba use to authenticate staff signing in to the pension system?")
    assert ans.kind == "describe" and "生体認証" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1223)


@pytest.mark.parametrize("question,label,value", [
    # the question writes the row's label: the choice is its value
    ("郡山市の滞納管理システムファイルの1つ目の委託の再委託の有無は？", "再委託の有無", "再委託する"),
    # a choice saying it is not done answers a "what" question too: nothing is done
    ("高知市の本人確認情報ファイルのユーザ認証の管理は？", "ユーザ認証の管理", "行っていない"),
])
def test_a_done_choice_answers_its_own_row(assistant, question, label, value):
    ans = assistant.ask(question)
    assert ans.kind == "field" and ans.field is not None and ans.field.label == label and value in ans.text, ans.text


def test_how_many_days_kept_is_a_duration(assistant):
    """「何日保存」 counts days, it names no day: 千葉市's daily copies are kept 1週間 (line 1865); read as a date, the
    question was answered by 実施日 令和2年12月15日."""
    ans = assistant.ask("千葉市は日次の退避データを何日保存してる？")
    assert ans.answerable and "1週間" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("003_36f852d2897e428a.txt", 1865)


def test_a_parenthesised_list_is_quoted_whole(assistant):
    """高知市 gets virus information daily and other security information half-yearly, in one parenthesis (line 695, in
    the identity-confirmation file's (2)本人確認情報ファイル section; line 817 is the same sentence in (3)送付先情報ファイル's,
    quoted before the unit order read how well a section matches the question): the quote keeps the parenthesis whole,
    so the daily one asked is in it (cut at its 、 the quote was the half-yearly clause)."""
    ans = assistant.ask("How often does Kochi collect computer virus information for its identity confirmation file's "
                        "system?")
    assert ans.kind == "describe" and "コンピュータウイルス関連情報は毎日" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 695)


def test_a_blank_row_of_the_kind_asked_about_another_item_is_weighed_too(assistant):
    """A blank 提供方法 (郡山市's (3)収納管理システムファイル, a "how" row) is the form's "not stated" for how that file is
    provided, but not for how staff training is delivered: the question names 従業者に対する教育・啓発, an item the row
    neither is nor sits under, so the row is weighed against the prose (the fitted choice then decides)."""
    own = assistant.ask("郡山市は(3)収納管理システムファイルをどのような方法で提供していますか？")
    assert own.kind == "blank" and own.field is not None and own.field.label == "提供方法"
    assert not assistant._blank_of_other_kind(assistant.understood(own.question, [], list(assistant.docs)), own)
    training = assistant.understood("How is staff security training delivered in Koriyama?", [], list(assistant.docs))
    assert assistant._blank_of_other_kind(training, own)


def test_a_blank_row_of_another_item_never_answers_a_follow_up(assistant):
    """Asked after a turn on 郡山市's office PCs, "How is staff security training delivered there?" reads 提供方法 as
    its best label (delivered), and that row is blank; but the question names 従業者に対する教育・啓発: the blank is
    another item's, not this one's "not stated" (it was the answer before); the training sentence at line 866 is."""
    first = "In Koriyama's tax delinquency work, what stops someone from carrying off an office PC?"
    history = [(first, assistant.ask(first))]
    ans = assistant.ask("How is staff security training delivered there?", history=history)
    assert ans.answerable and ans.kind == "describe" and "e-ラーニング" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 866)


@pytest.mark.parametrize("question,value", [
    # the file named (滞納管理システムファイル, read through the lexicon): its own ②対象となる本人の数 (line 108); before
    # English file names were read this took the business's ③対象人数 (30万人以上, line 44)
    ("How many people's data does Koriyama's delinquency management file cover?", "10万人以上100万人未満"),
    ("Who is the head of the department in charge of Kochi's resident registry affairs?", "中央窓口センター所長"),
    ("Is Kurashiki's national pension data linked through the information provision network system?", "実施しない"),
    ("Where is Kochi's resident registry data stored?", "カメラ監視付きの入退室管理"),
])
def test_english_phrasings(assistant, question, value):
    ans = assistant.ask(question)
    assert ans.answerable and value in ans.text, ans.text


def test_a_blank_cover_date_in_pdf_text_is_not_stated(assistant):
    """千葉市's cover has 公表日 with no date (line 4, PDF text): not a passage about some other date."""
    ans = assistant.ask("千葉市の評価書の公表日はいつですか。")
    assert not ans.answerable and ans.kind == "blank" and "公表日" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("003_36f852d2897e428a.txt", 4)


@pytest.mark.parametrize("question", ["When did Kurashiki carry out its third-party inspection?",
                                      "倉敷市の第三者点検はいつ実施されましたか。"])
def test_a_section_named_without_its_form_note_finds_its_blank_row(assistant, question):
    """V-3 "第三者点検【任意】": 【任意】 is the form's note, not part of the name; its ①実施日 is "—" (line 275)."""
    ans = assistant.ask(question)
    assert not ans.answerable and ans.kind == "blank"
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("000_2b92446a3e503446.txt", 275)


def test_aggregate_dates_negation_and_named_values(assistant):
    assert set(assistant.ask("評価書の公表日が令和5年以降である市はどこですか。").cities) == {"倉敷市", "金沢市"}
    assert set(assistant.ask("保有開始日が令和に入ってからとされているファイルがある市は？").cities) == {"高知市"}
    ans = assistant.ask("Which cities do NOT carry out information linkage through the Information Provision "
                        "Network System (情報提供ネットワークシステムによる情報連携)?")
    assert "倉敷市" in ans.cities and "郡山市" not in ans.cities
    ans = assistant.ask("特定個人情報の入手元として地方公共団体情報システム機構を挙げている市はどこですか。")
    assert set(ans.cities) == {"郡山市", "高知市"}


def test_a_name_in_letters_and_kanji_is_a_value_and_x_igai_names_x(assistant):
    """富士通Japan is part of every 委託先名 of 倉敷市, 高知市 and 金沢市; 郡山市 and 千葉市 also name other companies."""
    ans = assistant.ask("富士通Japan以外の委託先がある市は？")
    assert set(ans.cities) == {"郡山市", "千葉市"}, ans.text
    assert set(assistant.ask("委託先が富士通Japanの市は？").cities) == {"倉敷市", "郡山市", "高知市", "千葉市", "金沢市"}


@pytest.mark.parametrize("question", ["市民課に特定個人情報を移転している市はどこ？",
                                      "住民票への記載のために特定個人情報を市民課へ移転している市はどこですか。",
                                      "Which cities transfer My Number data to their citizens section (市民課)?"])
def test_a_destination_named_with_its_flows_verb_is_that_rows_value(assistant, question):
    """「市民課に移転している」: the 移転先 row states 市民課 (倉敷市 line 106, 金沢市), not the prose nor 移転する情報."""
    ans = assistant.ask(question)
    assert ans.kind == "aggregate" and set(ans.cities) == {"倉敷市", "金沢市"}, ans.text
    assert "移転先" in ans.text and {r.city: r.satisfied for r in ans.rows}["郡山市"] is False


@pytest.mark.parametrize("question", ["ここ3年で個人情報の重大事故が起きて「いない」市はどこ？",
                                      "過去3年以内に重大事故が発生していない市は？"])
def test_a_negated_which_cities_question_stressed_or_colloquial(assistant, question):
    """The quotes stress the negation (were read as part of the words: 「いない」 matched 千葉市's 十分に行っていない); 「…して
    いない市は？」 asks which cities; 過去 before a period is the form's item, not the change log."""
    query = assistant.understander.understand(question)
    assert query.aggregate and not query.history
    ans = assistant.ask(question)
    assert set(ans.cities) == {"倉敷市", "郡山市", "高知市", "金沢市"}
    assert {r.city: r.satisfied for r in ans.rows}["千葉市"] is False  # its row is shown, excluded


@pytest.mark.parametrize("question", ["Which cities dispose of paper by incineration rather than by dissolving it?",
                                      "紙を溶解ではなく焼却している市は？"])
def test_a_contrast_in_a_which_cities_question(assistant, question):
    """"A rather than B" asks A (B's words no longer pull in 千葉市, whose paper is dissolved: 溶解処理); 「Aではなく
    B」 asks B and not A. 郡山市 and 高知市 burn theirs (焼却処理)."""
    ans = assistant.ask(question)
    assert ans.kind == "aggregate" and set(ans.cities) == {"郡山市", "高知市"}, ans.text
    assert {r.city: r.satisfied for r in ans.rows}["千葉市"] is False


@pytest.mark.parametrize("question, places", [
    ("Which cities outsource to a branch of Fujitsu Japan?", ()),  # a run of capitalised words: a company
    ("Which cities use the services of Hitachi Systems?", ()),
    ("Who is the contractor of Yokohama City?", ("Yokohama",)),
    ("How does Sendai train its staff?", ("Sendai",)),
    ("Does the assessment of Osaka Prefecture name a contractor?", ("Osaka",)),
])
def test_an_english_place_is_one_capitalised_word_a_company_is_several(assistant, question, places):
    assert assistant.understander.understand(question).unknown_places == places


@pytest.mark.parametrize("question, places", [
    ("Who's the contractor for Kochi's resident register work?", ()),  # a question word before 's
    ("That's Chiba's pension file, right? Who's in charge of it?", ()),
    ("Whose records are kept by Sapporo's office?", ("Sapporo",)),  # a place still found beside them
])
def test_a_question_word_or_pronoun_is_never_a_place(assistant, question, places):
    assert assistant.understander.understand(question).unknown_places == places


def test_a_follow_up_opening_with_whos_names_the_contractor(assistant):
    """"Who's the contractor on that one?" after a question about 郡山市's second outsourcing item: 郡山市's
    contractor (item 2: 富士通Japan株式会社, line 161), not "Who is not in the corpus"."""
    first = "What is covered by Koriyama's second outsourcing item for the delinquency management file?"
    history = [(first, assistant.ask(first))]
    ans = assistant.ask("Who's the contractor on that one?", history=history)
    assert ans.answerable and ans.kind == "field", ans.text
    assert ans.citations[0].doc == "001_fd6f090b79f37056.txt" and ans.citations[0].line_start == 161, ans.citations[0]
    assert "富士通Japan株式会社" in ans.text


def test_how_a_chosen_measure_is_done_is_read_from_its_detail_row(assistant):
    """"ユーザ認証の管理 [行っている]" says that, not how: a how-question is answered from the detail row below."""
    ans = assistant.ask("高知市の本人確認情報ファイルで、ユーザ認証は具体的にどのように管理していますか。")
    assert "生体認証による操作者認証" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 628)


@pytest.mark.parametrize("question, english", [
    ("倉敷市の評価書は全項目評価書ですか", False), ("倉敷市の評価書の種類は？", False),
    ("What type of assessment did Kurashiki do?", True), ("Is Kurashiki's assessment a full assessment?", True)])
def test_the_kind_of_assessment_is_read_from_the_cover(assistant, question, english):
    # before, the first two were answered with the 評価書番号 (11) and the English ones with unrelated passages
    ans = assistant.ask(question)
    assert ans.kind == "meta" and "重点項目評価書" in ans.text and ("key-items assessment" in ans.text) is english
    assert [(c.doc, c.line_start) for c in ans.citations] == [("000_2b92446a3e503446.txt", 3)]  # the cover title


def test_a_kind_that_only_qualifies_the_target_is_not_asked(assistant):
    ans = assistant.ask("倉敷市の重点項目評価書の委託先は？")
    assert ans.kind == "field" and "富士通Japan株式会社岡山支社" in ans.text


def test_a_passage_answer_never_quotes_a_line_of_no_words(assistant):
    """The fallback quotes the passages' best line; a blank cell's dash (「—」, 倉敷市 line 194) says nothing, so a
    passage of only such lines is no answer (was: "Closest passage …: — [1]")."""
    from piaqa.records import Hit
    dash = next(c for c in assistant.index.chunks if (c.doc, c.line_start, c.line_end) == (K, 194, 194))
    words = next(c for c in assistant.index.chunks if c.doc == K and c.line_start > 194 and not c.history)
    query = assistant.understood("倉敷市のその他の措置は？", [], list(assistant.docs))
    assert assistant._best_line(query, [Hit(dash, 1.0)])[0] == ""
    line, rank = assistant._best_line(query, [Hit(dash, 1.0), Hit(words, 0.5)])
    assert line.strip("—-－ ") and rank == 2


@pytest.mark.parametrize("question,value,line", [
    ("倉敷市の国民年金システムの保守は誰がしている？", "富士通Japan株式会社岡山支社", 91),
    ("Who maintains Kurashiki's national pension system for them?", "富士通Japan株式会社岡山支社", 91),
])
def test_a_who_of_an_item_named_by_its_title_is_its_contractor(assistant, question, value, line):
    """The item named by what it is (国民年金システムの保守・運用業務 = 委託事項1) and a who asked: the item's row of
    that kind (③委託先名, line 91), not the item's title again (line 88) nor a sentence about 運用保守."""
    ans = assistant.ask(question)
    assert ans.kind == "field" and value in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (K, line)


def test_a_field_of_an_item_covers_the_question_through_the_item_title(assistant):
    """金沢市's 委託先名 row says only 富士通Japan株式会社; its item's title (福祉保健総合システム運用管理…) holds the
    question's words, so the field answers rather than a sentence that repeats them."""
    ans = assistant.ask("金沢市の福祉保健総合システムの運用管理は誰がやってる？")
    assert ans.kind == "field" and "富士通Japan株式会社" in ans.text
    assert ans.citations[0].doc == "004_57af33314b6a26f0.txt" and ans.citations[0].line_start == 137


@pytest.mark.parametrize("question,doc,line", [
    ("金沢市はバックアップを何日ごとに取っていますか", "004_57af33314b6a26f0.txt", 321),
    ("How many years does Koriyama keep its operation logs?", "001_fd6f090b79f37056.txt", 476),
])
def test_a_number_the_text_does_not_state_is_not_stated(assistant, question, doc, line):
    """A number asked with its counter and a text that states none (「定期的にバックアップを行う」, 「記録を残している」):
    "not stated", quoting what the assessment does say and citing it (not an answer, not 'no such item')."""
    ans = assistant.ask(question)
    assert not ans.answerable and ans.kind == "blank"
    assert ("記載がありません" in ans.text) if question[0] == "金" else ("does not state that number" in ans.text)
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (doc, line)


@pytest.mark.parametrize("question", ["金沢市の児童手当システムの再委託先って、なんていう会社？",
                                      "What is the name of the company Kanazawa re-delegates its child allowance "
                                      "system work to?"])
def test_a_company_the_form_does_not_name_is_not_stated(assistant, question):
    """The form records what is re-delegated (再委託事項), not to whom: a company asked, none named, "not stated"
    citing the row it does fill (金沢市 再委託事項, line 140)."""
    ans = assistant.ask(question)
    assert not ans.answerable and ans.kind == "blank", ans.text
    assert ("会社名の記載がありません" in ans.text) if question[0] == "金" else ("does not state which company" in ans.text)
    assert ans.citations[0].doc == "004_57af33314b6a26f0.txt"


def test_where_a_task_is_entrusted_is_the_body_it_is_entrusted_to(assistant):
    """「どこに委託してる？」 asks the contractor of the task the question names (高知市 委託事項2, its 委託先名 line 187)."""
    ans = assistant.ask("高知市の既存住基システムの運用支援と改修、どこに委託してる？")
    assert ans.kind == "field" and "富士通Japan株式会社 四国公共ビジネス部" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 187)


def test_a_company_the_form_names_is_answered(assistant):
    ans = assistant.ask("Which company maintains Kurashiki's pension system?")
    assert ans.answerable and ans.kind == "field" and "富士通Japan株式会社岡山支社" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("000_2b92446a3e503446.txt", 91)


@pytest.mark.parametrize("question,value", [
    ("How many years does Kochi keep its operation logs?", "5年間"),
    ("高知市の本人確認情報ファイルの消去手順では、何年の期間を経過した情報を消去しますか。", "150年"),
])
def test_a_number_the_text_states_is_answered(assistant, question, value):
    ans = assistant.ask(question)
    assert ans.answerable and value in ans.text


@pytest.mark.parametrize("question", [
    "金沢市の児童手当事務の委託契約書では、委託先に個人情報の取扱い状況のチェックと報告をどんな間隔で求めている？",
    "Under Kanazawa's outsourcing contract, how often does the contractor have to check and report on its handling "
    "of the personal information?",
])
def test_a_frequency_the_contract_sets_is_not_a_provisions_frequency(assistant, question):
    """The contract (III-4's 規定, line 287) names the item asked: its 「契約期間内に一度以上」, not the 時期・頻度 of a
    provision (提供先1 / 移転先1)."""
    ans = assistant.ask(question)
    assert "契約期間内に一度以上" in ans.text and "毎日" not in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 287)


def test_a_glossary_stem_matches_only_at_a_word_start():
    """"eras(e)" names 消去方法; "cameras" does not."""
    from piaqa.understand.glossary import expand
    assert "消去方法" not in expand("Is the server room watched by cameras?")
    assert "消去方法" in expand("How do they erase the disks?")


def test_a_how_often_is_answered_by_a_frequency_not_by_periodically(assistant):
    """(dev17 d17c01-1) 「パスワードは6か月ごとに変更しなければ…」 (line 482) states how often; 「(2)失効管理 定期的又は異動
    …」 (line 480), which was quoted before, only says that it recurs."""
    ans = assistant.ask("For Kochi's resident register system, how often do users have to change their passwords?")
    assert "6か月ごと" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 482)


def test_before_a_clause_asks_the_current_text_and_before_alone_the_change_log(assistant):
    """'before they handle the data' says when a measure applies: the current text answers, no 変更箇所 row;
    'before?' asks the past value: the change log answers (倉敷市's contractor was 富士通株式会社)."""
    now = assistant.ask("What must Koriyama's contractor staff do before they handle the data?")
    assert now.kind != "history" and now.citations and not any("変更箇所" in c.path for c in now.citations)
    then = assistant.ask("Who was Kurashiki's contractor before?")
    assert then.kind == "history" and "富士通株式会社" in then.text and "変更箇所" in then.citations[0].path


def test_rows_stating_the_same_words_are_stated_once_and_cited_each(assistant):
    """郡山市 writes its paper-burning rule into each file's 消去方法 (lines 197, 256, 348): stated once, [1][2][3]."""
    answer = assistant.ask("郡山市は紙の記録をどうやって廃棄していますか？")
    assert answer.kind == "field" and answer.field is not None and answer.field.label == "消去方法"
    assert answer.text.count("焼却処理") == 1 and "[1][2][3]" in answer.text
    assert [(c.doc, c.line_start) for c in answer.citations[:3]] == [
        ("001_fd6f090b79f37056.txt", 197), ("001_fd6f090b79f37056.txt", 256), ("001_fd6f090b79f37056.txt", 348)]


def test_whether_records_are_kept_is_no_question_of_how_long(assistant):
    """「記録を残してる？」 asks whether a record is kept: 千葉市 records the disposal of magnetic disks (line 2035), where
    read as a duration asked the answer was the sentence keeping copies for 1週間 (line 1866)."""
    ans = assistant.ask("千葉市は磁気ディスクを廃棄したとき、記録を残してる？")
    assert ans.answerable and "その記録を残す" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("003_36f852d2897e428a.txt", 2035)


def test_the_maker_of_a_thing_asked_is_a_company_the_assessment_does_not_name(assistant):
    """"the maker of the antivirus software": a company asked, and 高知市's assessment names none (it says the software is
    used, line 695) — said so, quoting what it does say, where the sentence was quoted as the answer before."""
    ans = assistant.ask("Who is the maker of the antivirus software Kochi uses?")
    assert not ans.answerable and "does not state which company" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 695)


def test_a_choice_is_stated_with_what_its_detail_row_says_of_the_question(assistant):
    """A choice answers whether (「記録を残している」); the row below it says what is done (具体的な方法). Its statement
    covering the question is quoted beside the choice and cited second: 郡山市 records the operation history (line
    611), where the answer was the choice alone."""
    ans = assistant.ask("郡山市は特定個人情報の使用の記録を残していますか")
    assert ans.kind == "field" and "記録を残している [1]" in ans.text, ans.text
    assert "（具体的な方法: 「①操作履歴(アクセスログ・操作ログ)を記録する。」 [2]）" in ans.text, ans.text
    assert [(c.doc, c.line_start) for c in ans.citations[:2]] == [
        ("001_fd6f090b79f37056.txt", 610), ("001_fd6f090b79f37056.txt", 611)]


def test_a_choice_without_a_detail_row_is_stated_alone(assistant):
    """再委託の有無 has no detail row below it: the choice alone, as before."""
    ans = assistant.ask("金沢市は再委託していますか")
    assert ans.text == "金沢市の再委託の有無は 再委託する [1] です。", ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 138)


def test_until_when_is_answered_by_the_event_that_ends_it(assistant):
    """「いつまで」 asks where a period ends, a length or the event ending it: 郡山市's maintenance accounts lapse when
    the work ends (line 472), which was "not stated" as no length of time."""
    ans = assistant.ask("郡山市の団体内統合宛名システムの保守業者のアカウントはいつまで使えるの？")
    assert ans.answerable and "作業終了後失効させる" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 472)


@pytest.mark.parametrize("question, text, stated", [
    ("いつまで残るの？", "データ連携後に速やかに完全消去する。", True),
    ("いつまで残るの？", "記録は、5年間保存する。", True),
    ("何年残るの？", "データ連携後に速やかに完全消去する。", False),  # a length asked: an event is none
    ("いつまで残るの？", "定期的にバックアップを行う。", False),
])
def test_an_ending_event_states_an_until_when(question, text, stated):
    assert states_asked(expected_type(question), question, text) is stated


@pytest.mark.parametrize("question, term", [
    ("How many Kanazawa employees use the child allowance file?", "使用者数"),
    ("How many Kurashiki staff use the pension file?", "使用者数"),
    ("Who is the Chiba contractor for the data entry?", "委託先名"),
])
def test_a_name_inside_an_english_phrase_does_not_hide_its_wording(question, term):
    """The glossary reads "how many staff"; a city named inside the phrase ("how many Kanazawa employees") scopes the
    question and is left out of the wording, where it hid the phrase."""
    assert term in expand(question)


def test_a_name_after_how_many_is_no_unknown_attribute(assistant):
    """"How many Kanazawa employees …" asks 金沢市's 使用者数 (line 127), where 'Kanazawa' was read as an attribute the
    form never records."""
    ans = assistant.ask("How many Kanazawa employees use the child allowance file?")
    assert ans.kind == "field" and "使用者数: 10人以上50人未満" in ans.text, ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 127)


@pytest.mark.parametrize("question", ["倉敷市の国民年金関係情報ファイルについて、対象となる本人の範囲の「その必要性」はどう書かれていますか。",
                                      "倉敷市の対象となる本人の範囲のその必要性は？"])
def test_a_row_named_as_the_form_prints_it_under_its_parent_is_that_row(assistant, question):
    """「対象となる本人の範囲の『その必要性』」 is the row printed 「その必要性」 under 対象となる本人の範囲 (line 69), not the
    parent row above it (line 68, which answered before)."""
    ans = assistant.ask(question)
    assert ans.kind == "field" and ans.field.label == "対象となる本人の範囲の必要性"
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (K, 69) and "裁定請求に必要となるため" in ans.text


@pytest.mark.parametrize("question, label, line, value", [
    ("郡山市が滞納管理システムファイルの情報を渡している相手は？", "提供先", 171, "個人番号を利用できる官公署"),
    ("金沢市の児童手当で、システムの保守を委託している先は？", "委託先名", 137, "富士通Japan株式会社"),
    ("Which departments work with Koriyama's delinquency management file?", "使用部署", 126, "収納課"),
])
def test_everyday_words_for_the_recipient_contractor_and_users(assistant, question, label, line, value):
    """「渡している相手」 is the 提供先, 「委託している先」 the 委託先名, "which departments work with the file" its 使用部署
    (were: the file's name, a prose sentence, an appendix line)."""
    a = assistant.ask(question)
    assert a.kind == "field" and a.field.label == label
    assert a.citations[0].line_start == line and value in a.text


@pytest.mark.parametrize("question, sending", [
    ("データはどうやってそこに渡してるの？", True),
    ("どうやってデータを送ってるの？", True),
    ("How does the data get to them?", True),
    ("How often does it get sent?", False),  # a frequency
    ("書類はどうやって返送してもらってるの？", False),  # 返送 is a return by post, no sending method
])
def test_everyday_words_for_how_data_is_sent(question, sending):
    assert ("提供方法" in expand(question)) is sending


@pytest.mark.parametrize("question, label, item, line, value", [
    ("高知市は住民基本台帳ファイルの情報を教育委員会に渡してるけど、何の事務のため？", "提供先における用途", "提供先2", 204,
     "就学援助に関する事務"),
    ("金沢市が児童手当の情報を市民課に送るタイミングは？", "時期・頻度", "移転先1", 184, "毎日"),
    ("When does Kanazawa hand its child allowance data to the citizens division?", "時期・頻度", "移転先1", 184, "毎日"),
])
def test_what_data_sent_is_for_and_when_it_is_sent(assistant, question, label, item, line, value):
    """「…に渡してるけど、何の事務のため？」 asks the 用途 of the item it names, 「送るタイミング」 and "When does … hand …"
    its 時期・頻度 (were: 提供する情報 and the Board of Education (教育委員会) read as staff training; prose)."""
    a = assistant.ask(question)
    assert a.kind == "field" and (a.field.label, a.field.item) == (label, item)
    assert a.citations[0].line_start == line and value in a.text


@pytest.mark.parametrize("question, term, evoked", [
    ("研修のタイミングは？", "時期・頻度", False),  # the timing of something else than sending
    ("What does the Board of Education get?", "従業者に対する教育・啓発", False),  # a body, not training
    ("教育委員会に何を渡してる？", "従業者に対する教育・啓発", False),
    ("地方税の情報まで持ってるのは何のため？", "用途", False),  # a reason for holding it, not what a recipient uses it for
    ("Which department handles Koriyama's tax collection work?", "使用部署", False),  # in charge of the work
    ("Which departments work with Koriyama's delinquency file?", "使用部署", True),  # using the file
])
def test_timing_education_and_purpose_words_are_read_in_their_context(question, term, evoked):
    assert (term in expand(question)) is evoked
