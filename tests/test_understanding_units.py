"""Pure pieces of question understanding: answer types, qualifiers, glossary, never-recorded facts."""
from __future__ import annotations

import re

import pytest

from piaqa.understand.answertype import expected_type, label_fits, matches, span
from piaqa.understand.glossary import expand, expand_weighted, not_in_form
from piaqa.parse.fields import extract_corpus_fields
from piaqa.search.fieldsearch import printed_label
from piaqa.understand.qualify import abbreviates, qualify


@pytest.mark.parametrize("question,kind", [
    ("保有開始日はいつですか", "date"), ("How long are the logs kept?", "duration"),
    ("何年分残してるの？", "duration"), ("問合せの電話番号は？", "phone"), ("how often is it sent?", "frequency"),
    ("Which body carried out the review?", "org"), ("委託先の取扱者は何人？", "people"), ("委託先名は？", None),
    ("When did Kochi publish its assessment?", "date"), ("The public comment was held when?", "date"),
    ("When Kanazawa receives an inquiry, what does it do first?", None),  # "when" as a conjunction
    ("Why do they need to keep it that long?", "reason"), ("なぜそんなに長く保管するの？", "reason"),
    ("保管期間をそう定めている理由は？", "reason"), ("どうしているの？", None),  # どうしている asks how, not why
    ("運用を任せてる業者はどこ？", "org"), ("担当の課って、どこ？", "org"),  # a body's noun, then どこ: which body
    ("データはどこに保管してる？", "place"),  # どこ without a body's noun asks a place
    ("運用支援と改修、どこに委託してる？", "org"), ("保守はどこに頼んでるの？", "org"),  # entrusted to a body
    ("電話一本で頼める？", None), ("Can I ask by phone?", None),  # the phone as a means: no number asked
    ("What number should I call?", "phone"),
    # a counter asked: times (何度, how many times) or every how many days are a frequency; weeks, days a duration
    ("何日おきにバックアップを取ってるの？", "frequency"), ("研修は年に何度？", "frequency"),
    ("How many times a year is the training held?", "frequency"), ("How many days are the backups kept?", "duration"),
    ("何週間保存するの？", "duration"),
    # 何日 counts days kept, or names a day: 「何日に」「何月何日」「何日付」
    ("日次の退避データは何日保存してる？", "duration"), ("何日分のログを残すの？", "duration"),
    ("点検は何日に実施した？", "date"), ("公表は何月何日？", "date"), ("何日付で改定した？", "date"),
    # how much of a verb of keeping asks how long; how many people keep it asks no period
    ("退避データはデータセンターにどれくらい置いておくの？", "duration"), ("どのくらい保管してる？", "duration"),
    ("どれくらいの人が保管してる？", None), ("ログはどれぐらい残してるの？", "duration"), ("いつまで残してる？", "duration"),
    # a verb of keeping alone asks whether (or what) is kept, not how long
    ("千葉市は操作ログを残してる？", None), ("郡山市はどんな記録を残してるの？", None),
    # a basis asked is a reason; the legal basis named as an item is no question of why
    ("保存期間は何を根拠に決めていますか", "reason"), ("On what grounds does Chiba keep the file so long?", "reason"),
    ("法令上の根拠は？", None),
    # "call" inside a word is no phone: physi-call-y, specifi-call-y
    ("How is Kochi's server physically secured?", None), ("How, specifically, are the logs checked?", None),
    # a period that has run out sets the scene: how the papers are disposed of after it is asked, not the period
    ("保存期間を過ぎた申請書はどのように廃棄されますか", None), ("保管期間が経過したデータは何日以内に消去する？", "duration"),
    ("保存期間は？", "duration"),
    # 〜なければならない / いけない is an obligation, not a conditional clause before the one asked
    ("パスワードはどのくらいの間隔で変更しなければなりませんか", "frequency"),
    ("研修はどのくらいの頻度で受けなければいけませんか", "frequency"), ("問い合わせがあれば、誰が対応する？", "org"),
])
def test_expected_type(question, kind):
    assert expected_type(question) == kind


def test_type_matching_and_spans():
    assert matches("duration", "アクセスログは7年間分媒体で管理") and not matches("duration", "富士通Japan株式会社")
    # kept for good is a duration too (千葉市: 年金記録は恒久的に保管)
    assert matches("duration", "厚生労働省（日本年金機構）は恒久的に保管することとしており") and matches("duration", "永年保存")
    assert matches("org", "郡山市個人情報保護審議会による第三者点検") and matches("date", "令和3年12月28日")
    # a post or a section by its head noun, as the one who acts; not as the place where something is done
    assert matches("org", "・情報システム責任者がログ記録を取得し定期的に確認を行う。")
    assert matches("org", "事前に責任者の承認を得たうえで複製する。") and matches("org", "情報システム課が見直す")
    assert not matches("org", "年に1回以上、使用部署においてチェックリストによる自己点検を実施し")
    assert not matches("org", "課題が残されている") and not matches("org", "部分的に")
    long = "・アクセスログは1年間ハードディスクに保存し、それ以前のアクセス記録については、7年間分媒体による管理を行う。"
    assert "1年間" in span("duration", long)
    # a span opens and closes at clause edges: no word cut in two (高知市's virus measures, 金沢市's contract rule)
    virus = ("・ウイルス対策ソフトを導入し、パターンファイルの更新、リアルタイムでの監視、週1回の全ファイルチェックを実施する。"
             "また、不正プログラムに対応するため、パターンファイルは定期的に更新する。")
    assert span("frequency", virus) == "…リアルタイムでの監視、週1回の全ファイルチェックを実施する。"
    rule = ("・秘密保持義務 ・事業所内からの特定個人情報の持ち出しの禁止 ・再委託における条件を定めて行わせる "
            "・個人情報の取扱い状況について契約期間内に一度以上チェックを行い報告する ・漏えい事案等が発生した場合の委託先の責任")
    assert span("frequency", rule) == "…個人情報の取扱い状況について契約期間内に一度以上チェックを行い報告する…"
    # no clause edge in reach: cut at the reach, marked
    assert span("frequency", "あ" * 40 + "毎日" + "い" * 40) == "…" + "あ" * 24 + "毎日" + "い" * 30 + "…"
    assert label_fits("frequency", "時期・頻度") and not label_fits("frequency", "移転する情報")
    # a number of times in kanji, and a period with ごと, state a frequency (金沢市 「契約期間内に一度以上」)
    assert matches("frequency", "契約期間内に一度以上報告させる") and matches("frequency", "6か月ごとに変更する")
    assert matches("frequency", "四半期に一度チェックを行う") and not matches("frequency", "2回目の申請")
    assert not matches("frequency", "職員ごとにシステムの権限を設定する")  # ごと after a person: no period
    # "periodically" says that something recurs, not how often (a "how often" is not answered by it)
    assert not matches("frequency", "・定期的にバックアップを行う。")
    # people counted with 名 too (高知市's audit 「個人情報保護評価担当者(数名)」)
    assert matches("people", "個人情報保護評価担当者(数名)") and matches("people", "登録者373名にメール")
    assert not matches("people", "委託先名") and not matches("people", "氏名")
    # weeks, and a keeping until a period ends, state a duration (千葉市 「1週間保存」, 郡山市 「契約期間満了までの保存」)
    assert matches("duration", "データセンターにて1週間保存している") and matches("duration", "なお、契約期間満了までの保存とする。")
    # around the clock is no period (倉敷市 and 金沢市: DDoS対策を24時間365日講じる), nor is the tail of a longer number
    assert not matches("duration", "脅威検出やDDoS対策を24時間365日講じている") and not matches("duration", "24時間 365日")
    assert span("duration", "・記録は、5年間保存する。24時間365日監視する。") == "・記録は、5年間保存する。"
    # a why asks a purpose too (移転先における用途, 使用目的); a basis in law is asked by naming it, as any row is
    assert label_fits("reason", "移転先における用途") and label_fits("reason", "使用目的")
    assert not label_fits("reason", "法令上の根拠")
    assert not label_fits("method", "①方法") and not label_fits("", "保管期間")  # a kind no label names: no fit
    assert label_fits("reason", "その妥当性") and matches("reason", "過去に遡った記録照会が想定できるため、長期間保管する必要がある。")
    # a ため clause gives a reason mid-sentence too (郡山市 347); ため inside a word does not (「ためる」 is no reason)
    assert matches("reason", "徴収事務等の情報は、完結に長時間を要する場合が多いため、特定個人情報の再利用を考慮し保存する。")
    assert not matches("reason", "データをためる。")


def test_glossary_weights_prefer_longer_wording():
    w = expand_weighted("評価実施機関内のどの部署から特定個人情報を入手していますか")
    assert w["入手元"] > w["部署"]
    assert "委託先名" in expand("Which company runs the system under contract?")
    assert "使用者数" in expand("How many people use that file?")  # the people who use it: its users
    assert "使用者数" not in expand("How many people are in the file?")  # the people it is about
    assert expand("今日はいい天気") == []
    # the record of a provision, and a contractor passing data on, are items of their own
    assert "特定個人情報の提供・移転の記録" in expand("How long are the records of provision kept?")
    assert "特定個人情報の使用の記録" in expand("How long are Kochi's usage records kept?")  # 使用の記録, word for word
    assert "特定個人情報の提供・移転の記録" in expand("提供した記録はいつまで残す？")
    rule = "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法"
    assert rule in expand("業者が預かったデータをほかに渡したら？") and rule in expand("Can the contractor share it with others?")


@pytest.mark.parametrize("question,what", [
    ("担当者の氏名を教えてください", "担当者の氏名"), ("What is the annual budget?", "金額・予算"),
    ("What server hardware model does Chiba use?", "機器の型番"), ("開示請求の手数料はいくら？", None),
    ("特定個人情報ファイルの名前は？", None), ("今の業者とは何年間の契約？", "契約期間"),
    ("How long is the contract with the vendor?", "契約期間"), ("保管期間は何年？", None),
    ("委託先が契約に違反したら違約金はいくら？", "金額・予算"), ("How much does it cost to run the system?", "金額・予算"),
    ("How much is the maintenance contract worth?", "金額・予算"), ("保守契約の契約額は？", "金額・予算"),
    ("その会社と結んだ契約の金額は？", "金額・予算"), ("And what is that contract worth per year?", "金額・予算"),
    ("Is it worth asking the contractor?", None),  # worth as a judgement asks no amount
    # いくら asks an amount whatever the verb (「いくらで契約」), but いくらか is "somewhat"
    ("保守の委託って年間いくらで頼んでるの？", "金額・予算"), ("いくらか記録は残っている？", None),
    ("Does it cost anything to get copies of my disclosed records?", None),
    # a clause that only sets the scene is not what is asked: the documents, not the contract's end
    ("What happens to the documents they were given once the contract ends?", None),
    ("When does the contract end?", "契約期間"),
    ("If I ask Chiba to disclose my records, does it cost anything?", None),  # disclosure, wherever it is said
])
def test_not_in_form(question, what):
    assert not_in_form(question) == what


@pytest.fixture(scope="module")
def corpus_fields(docs):
    return extract_corpus_fields(list(docs.values()))


def _doc_fields(corpus_fields, doc):
    return [f for f in corpus_fields if f.doc == doc]


def test_qualifier_by_number_quote_title_and_file(corpus_fields):
    chiba = _doc_fields(corpus_fields, "003_36f852d2897e428a.txt")
    q = qualify("委託事項3「データ入力」の委託先は？", chiba)
    assert q.items == ("委託事項3",) and q.explicit and "委託事項" not in q.rest
    kanazawa = _doc_fields(corpus_fields, "004_57af33314b6a26f0.txt")
    assert qualify("生活支援課への移転の頻度は？", kanazawa).items == ("移転先2",)
    assert qualify("移転先「市民課」へ移転する情報は？", kanazawa).items == ("移転先1",)
    koriyama = _doc_fields(corpus_fields, "001_fd6f090b79f37056.txt")
    assert qualify("収納管理システムファイルの保管期間は？", koriyama).files == ("(3) 収納管理システムファイル",)
    q = qualify("特定個人情報の開示・訂正・利用停止請求の請求先はどこですか。", kanazawa)
    assert q.items == () and q.files == ()  # domain boilerplate names no item


def test_a_row_quoted_as_the_form_prints_it_stays_in_the_question(corpus_fields):
    """「その必要性」 is a row of the form (printed under 対象となる本人の範囲), not an item or a value the quote names: it
    stays in the words the labels are matched on (was: left out, so the parent row answered)."""
    kurashiki = _doc_fields(corpus_fields, "000_2b92446a3e503446.txt")
    q = qualify("対象となる本人の範囲の「その必要性」は？", kurashiki)
    assert "その必要性" in q.rest and q.items == ()
    assert "データ入力" not in qualify("委託事項「データ入力」の委託先は？", kurashiki).rest


def test_a_composed_label_is_also_spelled_as_the_form_prints_it():
    """A row printed as 「その必要性」 under its parent is labelled 対象となる本人の範囲の必要性; a question spelling the
    parent and the printed name spells that label."""
    assert printed_label("対象となる本人の範囲の必要性", "その必要性") == "対象となる本人の範囲のその必要性"
    assert printed_label("保管期間の妥当性", "その妥当性") == "保管期間のその妥当性"
    assert printed_label("その他の措置の内容", "その他の措置の内容") is None  # printed as it is
    assert printed_label("対象となる本人の範囲", "③対象となる本人の範囲 ※") is None


def test_a_gloss_after_a_numbered_item_restates_it(corpus_fields):
    """"委託事項2 (outsourced item 2)": the bracketed gloss names the item again; 'outsourced' is not a target."""
    koriyama = _doc_fields(corpus_fields, "001_fd6f090b79f37056.txt")
    q = qualify("What is 委託事項2 (outsourced item 2) for the 滞納管理システムファイル?", koriyama)
    assert q.items == ("委託事項2",) and "outsourced" not in q.rest and "item" not in q.rest
    q = qualify("Who is the contractor of 委託事項2 (outsourced item 2)?", koriyama)
    assert "contractor" in q.rest


@pytest.mark.parametrize("question,files", [
    ("(1)のファイルは？", ("(1) 滞納管理システムファイル",)),
    ("郡山市の(2)のファイルの委託先は？", ("(2)後期高齢者医療保険料徴収システムデータベースファイル",)),
    ("What is the retention period of file (3)?", ("(3) 収納管理システムファイル",)),
    ("ファイル(1)について", ("(1) 滞納管理システムファイル",)),
    ("III(1)のリスク対策は？", ()),  # a section number, not a file
    ("(4)のファイルは？", ()),  # Koriyama has three files
])
def test_a_file_named_by_its_number(corpus_fields, question, files):
    koriyama = _doc_fields(corpus_fields, "001_fd6f090b79f37056.txt")
    q = qualify(question, koriyama)
    assert tuple(sorted(set(f.replace(" ", "") for f in q.files))) == tuple(f.replace(" ", "") for f in files)
    assert q.explicit == bool(files)


@pytest.mark.parametrize("doc,question,files", [
    ("001", "What does the contract for the late-stage elderly medical insurance premium file say about the data?",
     ("(2)後期高齢者医療保険料徴収システムデータベースファイル",)),
    ("001", "How does Koriyama protect its collection management file?", ("(3)収納管理システムファイル",)),
    ("001", "How does Koriyama protect its delinquency management system file?", ("(1)滞納管理システムファイル",)),
    ("002", "Under Kochi's outsourcing contracts for the resident register file, how often is it checked?",
     ("(1)住民基本台帳ファイル",)),
    ("002", "For Kochi's convenience-store issuance file, who can use it?", ("(4)コンビニ交付用ファイル",)),
    ("002", "Which staff use Kochi's specific personal information file?", ()),  # every file is one: names none
    ("002", "Who approves access to that file?", ()),
    ("001", "How is the management file protected?", ()),  # one word in common (管理): two files share it
])
def test_a_file_named_in_english_through_the_lexicon(corpus_fields, doc, question, files):
    fields = [f for f in corpus_fields if f.doc.startswith(doc)]
    assert tuple(f.replace(" ", "") for f in qualify(question, fields).files) == files


def test_pdf_fields_recovered_from_broken_labels(corpus_fields):
    chiba = {f.label: f for f in _doc_fields(corpus_fields, "003_36f852d2897e428a.txt") if not f.history}
    accident = chiba["過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか"]
    assert accident.value == "発生あり" and accident.uncertain and accident.line_start == 1946
    assert not any(label.startswith("過去3年以内に、評価実施") and label != accident.label for label in chiba)


@pytest.mark.parametrize("question,items", [
    ("3つ目の提供先はどこ？", ("提供先3",)), ("2番目の委託事項の委託先は？", ("委託事項2",)),
    ("第2の移転先への頻度は？", ("移転先2",)), ("Who handles the second outsourced task?", ("委託事項2",)),
    ("What is recipient no. 3 used for?", ("提供先3",)), ("5市の提供先は？", ()), ("two recipients", ()),
    ("2つ目の委託は再委託してる？", ("委託事項2",)), ("2つ目の委託先は？", ("委託事項2",)),
    ("最初の提供先はどこ？", ("提供先1",)), ("最初の委託先は？", ("委託事項1",)),
])
def test_an_item_named_by_its_ordinal(corpus_fields, question, items):
    q = qualify(question, _doc_fields(corpus_fields, "004_57af33314b6a26f0.txt"))
    assert q.items == items and q.explicit == bool(items)


@pytest.mark.parametrize("question, docs, unknown", [
    ("千葉市の介護保険事務の委託先は？", (), "介護保険"),  # a 事務 the city has no assessment of
    ("高知市の国民年金事務の使用者数は？", (), "国民年金"),
    ("千葉市の区政事務センターの委託が終わったら、資料はどうなるの？", ("003_36f852d2897e428a.txt",), None),  # an office
    ("倉敷市と年金事務所との連携は？", ("000_2b92446a3e503446.txt",), None),
])
def test_a_named_business_is_not_the_name_of_an_office(assistant, question, docs, unknown):
    """事務 names the business asked about, unless it is inside the name of the office that does it (事務所,
    事務センター, 事務局): that is a place the assessment mentions, not another assessment."""
    query = assistant.understander.understand(question)
    assert (query.docs, query.unknown_jimu) == (docs, unknown)


@pytest.mark.parametrize("question, places", [
    ("Does Chiba City give data to the Ministry of Justice?", ()),  # a body named for what it does
    ("Does Kochi share records with the Bureau of Health?", ()),
    ("Which company does Fukuoka City contract for its pension work?", ("Fukuoka",)),
    ("What about the data held in Osaka?", ("Osaka",)),
    ("Which cities cite the My Number Act's appended table?", ()),  # the end of a longer name
    ("What is the Japan Pension Service's role in Kurashiki?", ()),
    ("Does Sapporo's assessment list a contractor?", ("Sapporo",)),  # a capital that begins the sentence
])
def test_a_body_of_something_is_not_a_place(assistant, question, places):
    assert assistant.understander.understand(question).unknown_places == places


@pytest.mark.parametrize("question, attribute", [
    ("郡山市で委託先が情報を漏らした場合は？", None),  # 場合 heads a clause (an adverbial noun): a case, not an item
    ("高知市の以前は？", None),
    ("千葉市の年間予算は？", "年間予算"),  # an attribute the form never records
])
def test_an_adverbial_noun_is_not_an_unknown_attribute(assistant, question, attribute):
    assert assistant.answerer.unknown_attribute(assistant.understander.understand(question)) == attribute


def test_a_kind_of_value_asked_of_a_thing_is_no_unknown_attribute(assistant):
    """「…スキャンはどのくらいの間隔で…」 asks how often the scan is done (高知市 says 週1回の全ファイルチェック, line
    573), not for an item called スキャン, which the assessment never writes; a budget asked is still no item."""
    question = "高知市の住基ファイルで、ウイルスのスキャンはどのくらいの間隔でやってる？"
    assert assistant.answerer.unknown_attribute(assistant.understander.understand(question)) is None
    ans = assistant.ask(question)
    assert ans.answerable and "週1回の全ファイルチェック" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("002_8198ed8bac5210ca.txt", 573)
    budget = assistant.ask("What is the annual budget of Kanazawa's child allowance system?")
    assert not budget.answerable and budget.kind == "abstain" and "annual budget" in budget.text


def test_a_business_in_a_bodys_or_systems_english_name_is_not_another_assessment(assistant):
    query = assistant.understander.understand(
        "For Kurashiki City's transfer of pension data to its National Health Insurance Division, which band is selected?")
    assert (query.docs, query.unknown_jimu) == (("000_2b92446a3e503446.txt",), None)
    query = assistant.understander.understand("Who is Kurashiki City's contractor for its health insurance work?")
    assert (query.docs, query.unknown_jimu) == ((), "健康保険")
    # a business in a system's name: 千葉市's pension assessment names its 住民記録システム; the business alone is another
    query = assistant.understander.understand(
        "What certifications does Chiba require when picking the vendor for its resident records system?")
    assert (query.docs, query.unknown_jimu) == (("003_36f852d2897e428a.txt",), None)
    query = assistant.understander.understand("Who is Chiba's contractor for the resident register work?")
    assert (query.docs, query.unknown_jimu) == ((), "住民")


def test_a_name_the_assessment_writes_is_not_an_unknown_attribute(assistant):
    question = "郡山市の滞納整理のマイナンバーの扱いを電話で聞きたいんだけど、税務部の収納課って何番？"
    assert assistant.answerer.unknown_attribute(assistant.understander.understand(question)) is None
    assert "024-924-2101" in assistant.ask(question).text


@pytest.mark.parametrize("question, term", [
    ("高知市は送付先の情報をいつ手に入れていますか", "入手の時期・頻度"),
    ("Under which legal provision does Kochi provide the file?", "法令上の根拠"),
])
def test_everyday_and_english_wording_of_form_terms(question, term):
    from piaqa.understand.glossary import expand
    assert term in expand(question)


def test_handled_is_not_handed_over():
    from piaqa.understand.glossary import expand
    assert "提供方法" in expand("How does Kochi hand the data over to the prefecture?")
    assert "提供方法" not in expand("How is the file handled when an inquiry comes in?")


def test_a_subcontractor_is_not_the_contractor():
    from piaqa.understand.glossary import expand
    assert "委託先名" in expand("Who is Kanazawa City's contractor?")
    for q in ("What goes to the subcontractor?", "Which tasks go to the sub-contractor?"):
        assert "再委託事項" in expand(q) and "委託先名" not in expand(q), q


def test_the_subcontractors_work_is_the_re_delegated_item(assistant):
    ans = assistant.ask("What part of Kanazawa City's child allowance work goes to the subcontractor?")
    assert ans.field is not None and ans.field.label == "再委託事項" and "品質管理、問題点管理、QA対応" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("004_57af33314b6a26f0.txt", 140)


def test_handling_an_inquiry_is_its_own_item():
    from piaqa.understand.glossary import expand
    assert "対応方法" in expand("When Kochi receives an inquiry, what does it do?")
    assert "対応方法" not in expand("Which cities contract Fujitsu to handle their files?")


@pytest.mark.parametrize("question, focus", [
    ("移転された情報はどのような用途に使われますか", ("用途",)), ("高知市の使用者数はどの区分ですか", ("区分",)),
    ("どんな方法で提供していますか", ("方法",)), ("倉敷市の委託先は？", ()),
    ("What rules does Kurashiki's contract lay down?", ("ルール", "原則", "規程", "規則")),
    ("Which department handles the pension file in Chiba?", ("部署", "所属", "局")),
    ("Which phone number should I call?", ("電話番号",)),  # a compound, not its head: 番号 is in 評価書番号
    ("What does Kurashiki's contract say?", ()), ("What about Koriyama?", ()),
])
def test_the_noun_an_interrogative_modifies_is_the_focus(assistant, question, focus):
    assert assistant.understander.understand(question).focus == focus


def test_a_label_naming_the_focus_is_preferred_within_the_margin():
    from piaqa.answer.lookup import FOCUS_TOLERANCE, prefer_focus
    from piaqa.search.fieldsearch import LabelScore

    scored = [LabelScore("移転する情報", 1.04, 1.05, 1.0), LabelScore("移転先における用途", 0.80, 0.83, 0.85)]
    assert prefer_focus(scored, ("用途",))[0].label == "移転先における用途"
    far = [scored[0], LabelScore("移転先における用途", 1.04 - FOCUS_TOLERANCE - 0.05, 0.5, 0.5)]
    assert prefer_focus(far, ("用途",))[0].label == "移転する情報"  # too far below: the question's words decide
    assert prefer_focus(scored, ("区分",)) == scored  # no label names it


def test_a_reworded_use_question_gets_the_use_row(assistant):
    ans = assistant.ask("郡山市の滞納管理システムファイルの移転先1では、移転された情報はどのような用途に使われますか")
    assert "条例施行規則第3条第4項" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == ("001_fd6f090b79f37056.txt", 185)


@pytest.mark.parametrize("question, yes_no", [
    ("郡山市は再委託してる？", True),
    ("金沢市はバックアップある？", True),
    ("倉敷市は再委託していますか", True),
    ("郡山市の再委託先はどこ？", False),
    ("高知市は何を再委託してる？", False),
    ("再委託されていますか？", True),
    ("契約書には、どんな規定が入っていますか", False),  # どんな asks for a value
    ("Does Kochi City re-delegate the work?", True),
])
def test_a_colloquial_yes_no_question_is_read_as_one(question, yes_no):
    from piaqa.understand.polar import asks_yes_no
    assert asks_yes_no(question) is yes_no


def test_a_colloquial_yes_no_question_gets_the_existence_item(assistant):
    ans = assistant.ask("郡山市は再委託してる？")
    assert ans.field is not None and ans.field.label == "再委託の有無" and "再委託する" in ans.text


@pytest.mark.parametrize("question, kind", [
    ("How does Kochi dispose of old records once the retention period is over?", None),
    ("How long are the records kept after the contract ends?", "duration"),
    ("What happens when the retention period ends?", None),
    ("When did Kochi publish its assessment?", "date"),
    ("保存期間を過ぎたら、紙の書類はどう処分するの？", None),
    ("契約が終わったら、データは何年残すの？", "duration"),
    # an embedded question is not the one asked: the rest asks the basis, a reason, not a duration
    ("紙の書類を何年とっておくかは、何を根拠に決めているの？", "reason"),
    ("紙の書類を何年とっておくかは決まってる？", "duration"),  # … unless the rest asks with no interrogative
    ("有料ですか、無料ですか", None),
    ("If the retention period is over, how are the paper forms disposed of?", None),  # the clause opens it
    ("保管期間が過ぎると、紙の書類はどう処分するの？", None),  # a conditional と
    ("何年を経過した情報を消去するとしていますか", "duration"),  # a quoting と is no conditional
])
def test_the_answer_type_is_read_from_the_main_clause(question, kind):
    """A value word in a subordinate clause (once / after / たら / 場合は / すると …) sets the scene; it is not asked."""
    assert expected_type(question) == kind


@pytest.mark.parametrize("question,scene,asked", [
    ("郡山市で開示請求すると費用はかかる？", "請求先", "手数料等"),
    ("If I ask Koriyama for disclosure of my records, does it cost anything?", "請求先", "手数料等"),
])
def test_a_form_term_evoked_by_the_scene_weighs_less_than_one_asked(question, scene, asked):
    """The glossary's terms from the clause that sets the scene (開示請求すると…) weigh as the shortest wording; the
    terms of the main clause keep the weight of their wording's length."""
    from piaqa.understand.glossary import expand_weighted

    weights = expand_weighted(question)
    assert weights[scene] == 0.5 and weights[asked] > 0.5


def test_understand_reads_the_question_once_for_every_later_stage(assistant):
    """The answer stages read the Query: the files and items named, the which-cities condition, the listing."""
    u = assistant.understander
    q = u.understand("金沢市の生活支援課への移転の頻度は？")
    assert q.qualifier.items == ("移転先2",)  # the item recognised by its text among 金沢市's rows
    assert q.listing is None and not q.condition.compound
    other = u.rescoped(q, ["000_2b92446a3e503446.txt"])  # asked of 倉敷市: its rows name no 生活支援課
    assert other.docs == ("000_2b92446a3e503446.txt",) and other.qualifier.items == ()
    assert u.understand("千葉市の委託事項3の委託先は？").qualifier.explicit
    both = u.understand("再委託していて、かつ全項目評価書の市はどこ？").condition
    assert both is not None and len(both.atoms) == 2 and not any(a.negated for a in both.atoms)
    listing = u.understand("各市の保管期間を一覧にして").listing
    assert listing is not None and listing.kind == "each" and listing.target == "保管期間"


def test_a_wording_inside_a_longer_one_is_the_less_specific_reading():
    """"subcontract" alone evokes 再委託の有無 too; inside "What does it subcontract" only 再委託事項 weighs fully."""
    from piaqa.understand.glossary import expand_weighted

    weights = expand_weighted("What does it subcontract?")
    assert weights["再委託事項"] == 1.0 and weights["再委託の有無"] == 0.5
    assert expand_weighted("Does it subcontract?")["再委託の有無"] == 1.0


def test_a_file_named_by_its_ordinal_is_that_numbered_file(assistant):
    from piaqa.understand.qualify import qualify

    fields = [f for f in assistant.fields.fields if f.doc == "002_8198ed8bac5210ca.txt"]  # 高知市's
    for question in ("高知市の2つ目のファイルの保管期間は？", "How long is Kochi's second file kept?"):
        # (the file's name is spelt with and without a space in different places; both are file (2))
        assert {re.sub(r"\s+", "", f) for f in qualify(question, fields).files} == {"(2)本人確認情報ファイル"}


@pytest.mark.parametrize("question,focus", [
    ("Where is Kochi's resident registry data stored?", ("場所",)), ("データはどこに保管してる？", ("場所",)),
    ("Where does Kochi get the data from?", ()),  # a source: 入手元, a body
    ("高知市はどこに提供してる？", ()),  # a destination: 提供先, a body
    ("どんな用途に使う？", ("用途",)),  # an interrogative's own noun comes first
])
def test_a_where_question_asks_for_a_place(assistant, question, focus):
    assert assistant.understander.understand(question).focus == focus


@pytest.mark.parametrize("question,kind", [
    ("役所のどの部署からでも入れちゃうの？", None),  # どの部署からでも: from any department, no department asked
    ("誰でも見られるの？", None), ("誰が見られるの？", "org"), ("どの部署が担当？", "org"),
])
def test_an_interrogative_with_mo_is_an_indefinite(question, kind):
    from piaqa.understand.polar import without_indefinites

    assert expected_type(question) == kind
    assert ("でも" in question) == (without_indefinites(question) != question)


@pytest.mark.parametrize("doc,question,items", [
    ("000", "Who maintains Kurashiki's national pension system for them?", ("委託事項1",)),
    ("003", "How many contractor staff handle Chiba's data entry work?", ("委託事項3",)),
    ("004", "How often does Kanazawa send data to the citizens section?", ("移転先1",)),
    ("003", "How does Chiba train its staff?", ()),  # no item's words
    ("003", "Who runs Chiba's national pension system?", ()),  # システム and 国民年金: items 1 and 3 both hold them
])
def test_an_item_named_in_english_by_what_it_is_about(corpus_fields, doc, question, items):
    """An English question names an item through the lexicon when two of its words have senses in the item's
    text, one of them singling it out among the document's items (保守, 入力, 市民); ties name none."""
    q = qualify(question, [f for f in corpus_fields if f.doc.startswith(doc)])
    assert q.items == items and not q.explicit


@pytest.mark.parametrize("question", ["how many of their people handle it", "How many of the contractor's staff?",
                                      "何人で扱っている？"])
def test_people_counted_of_a_body(question):
    assert expected_type(question) == "people"


def test_a_section_named_by_its_abbreviation(corpus_fields):
    assert abbreviates("国保課", "国民健康保険課") and abbreviates("住宅課", "住宅政策課")
    assert not abbreviates("市民課", "市民課") and not abbreviates("国保課", "国民年金課")
    assert not abbreviates("健康課", "健康福祉部") and not abbreviates("保険課", "国民健康保険課")
    kurashiki = [f for f in corpus_fields if f.doc.startswith("000")]
    # 倉敷市's 移転先2 is 保健福祉局健康福祉部国民健康保険課; 移転先1 市民課
    assert qualify("倉敷市は国保課に何のために移転してる？", kurashiki).items == ("移転先2",)
    assert qualify("倉敷市は国民年金課に何のために移転してる？", kurashiki).items == ()


def test_an_item_is_named_by_words_of_one_phrase(corpus_fields):
    """サーバー and データ are both in 金沢市's 委託事項1, but scattered over the question they name nothing."""
    q = qualify("How does Kanazawa City keep track of who uses the locked server racks holding its child allowance "
                "data?", [f for f in corpus_fields if f.doc.startswith("004")])
    assert q.items == ()


@pytest.mark.parametrize("question,asked", [
    ("それって何分で切れるの？", "何分"), ("年に何回実施していますか。", "何回"),
    ("How many years do they keep those logs?", "How many years"), ("1回何時間くらいやるの？", "何時間"),
    ("How many My Number cards has Chiba issued?", "How many My Number cards"),
    ("How many hand-offs did they record last year?", "How many hand-offs"),  # any thing counted, in the plural
    ("How many does Chiba have?", None), ("How many processes are there?", "How many processes"),
    ("How often?", None), ("保管期間はどのくらい？", None),  # a frequency or period asked, no number
    ("何年とっておくかは何を根拠に決めてるの？", None),  # the basis asked, not the years
])
def test_a_number_asked_with_its_counter(question, asked):
    from piaqa.understand.answertype import asks_number
    assert asks_number(question) == asked


@pytest.mark.parametrize("question,asked", [
    ("金沢市の児童手当システムの再委託先って、なんていう会社？", True), ("保守はどこの業者に頼んでる？", True),
    ("Which company maintains Kurashiki's pension system?", True), ("What's the vendor's name?", True),
    ("委託先の会社名は？", True),
    # a thing's maker or vendor asked by the thing
    ("Who is the maker of the antivirus software Kochi uses?", True), ("What is the company behind the system?", True),
    ("ウイルス対策ソフトのメーカーは？", True), ("保守してる業者って？", True),
    ("Who is the contractor?", False), ("委託先は？", False),  # the contractor's row names the company itself
    # how one learns which company it is, or why that one: another question
    ("高知市が住民票のシステムの運用を頼んでる会社がどこなのか、市民はどうやって確かめられるの？", False),
    ("Why did Koriyama pick that company?", False), ("委託先はどうやって監督してる？", False),
    ("Which cities outsource to a company?", False),  # asks cities, not which company
])
def test_a_company_asked_by_its_name(question, asked):
    from piaqa.understand.answertype import asks_company
    assert asks_company(question) is asked


def test_a_company_named_as_the_assessments_write_one():
    from piaqa.understand.answertype import states_company
    assert states_company("富士通Japan株式会社岡山支社") and states_company("NECフィールディング株式会社 千葉支社")
    assert not states_company("福祉保健総合システムの品質管理、問題点管理、QA対応") and not states_company("市民課")


@pytest.mark.parametrize("text,stated", [
    ("年1回", True), ("5年間分保存する", True), ("10人以上50人未満", True), ("毎日", True), ("四半期に一度", True),
    ("定期的にバックアップを行う", False), ("一定時間操作がない場合", False), ("一定期間経過後に削除", False),
])
def test_a_number_stated_with_its_counter(text, stated):
    from piaqa.understand.answertype import states_number
    assert states_number(text) == stated


@pytest.mark.parametrize("text,asked,stated", [
    ("記録は7年間保存する。", "How many transfers", False), ("記録は7年間保存する。", "何件", False),  # a period counts none
    ("年1回", "何人", False), ("10人以上50人未満", "何人", True), ("3件", "How many cases", True),
    ("記録は7年間保存する。", "How many years", True), ("年1回", "How many times", True), ("5年間", "何年", True),
])
def test_a_count_asked_is_answered_by_a_count(text, asked, stated):
    """A count of people or things (何人, 何件, "how many transfers") is stated by a count, not a period or times."""
    from piaqa.understand.answertype import states_number
    assert states_number(text, asked) == stated


def test_a_count_asked_after_a_period_is_not_stated(assistant):
    """A count of transfers is asked of 金沢市, whose assessment keeps the records 7 years (line 302) and counts
    none: it says so and quotes what it does state (before: the 移転方法 row was the answer)."""
    history = []
    for question in ("When Kanazawa passes child allowance data to another section, is it written down somewhere?",
                     "How many transfers were entered in it last year?"):
        answer = assistant.ask(question, history=list(history))
        history.append((question, answer))
    assert not answer.answerable and "does not state that number (How many transfers)" in answer.text, answer.text
    assert answer.citations and answer.citations[0].doc == "004_57af33314b6a26f0.txt"


@pytest.mark.parametrize("question,history", [
    ("How often do they have to change their password?", False),
    ("How often does Kanazawa make its staff change their passwords?", False),
    ("What changed in Chiba's assessment?", True), ("When did Koriyama change its contractor?", True),
    ("According to Koriyama's change log, who was the contractor?", True), ("What were the changes?", True),
])
def test_a_change_people_make_is_not_the_change_log(assistant, question, history):
    """"change their password" is what a measure makes users do; "what changed", "the change log", "when did it
    change" ask the assessment's history."""
    assert assistant.understander.understand(question).history == history


@pytest.mark.parametrize("question", ["千葉市は操作ログを残してる？", "委託先の作業記録は残しているか"])
def test_a_verb_of_keeping_alone_names_no_retention_period(question):
    """「ログを残してる？」 asks whether logs are kept: the records of use, not the file's 保管期間."""
    assert "保管期間" not in expand(question)
    assert "保管期間" in expand(question.replace("残して", "何年残して"))


@pytest.mark.parametrize("question, docs, unknown", [
    # the city's own business named beside another one: the other is what its data concerns
    ("Which Kurashiki division gets national pension data so it can keep health insurance records up to date?",
     ("000_2b92446a3e503446.txt",), None),
    ("Does Kochi's resident register work pull in national health insurance eligibility?",
     ("002_8198ed8bac5210ca.txt",), None),
    ("倉敷市の国民年金事務では、介護保険事務に関する情報も扱っていますか", ("000_2b92446a3e503446.txt",), None),
    ("倉敷市は介護保険事務のために、国民年金事務の情報を使わせていますか", ("000_2b92446a3e503446.txt",), None),
    # another business alone is still an assessment the corpus does not hold
    ("Who is Kurashiki's contractor for health insurance?", (), "健康保険"),
    ("倉敷市の介護保険事務の委託先は？", (), "介護保険"),
])
def test_a_business_named_beside_the_citys_own_is_what_its_data_concerns(assistant, question, docs, unknown):
    """A question naming the city's assessed business and another asks about the assessment: the other business is
    what its data concerns (the dev questions about 倉敷市's pension data for health insurance were answered "No
    assessment of 健康保険 affairs"); another business named alone still has no assessment in the corpus."""
    query = assistant.understander.understand(question)
    assert (query.docs, query.unknown_jimu) == (docs, unknown)
