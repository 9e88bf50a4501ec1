"""A recurring "when" asks an occasion or a frequency (timing), not a day: 「いつ受けるの？」 "When do staff get
trained?" are answered by 配属時及び年1回 or 作業終了後, where 「いつやったの？」 "When did …?" ask a date
(answertype.TIMING, RECURRING_WHEN); a long value's clause stating the kind asked is the one whose sentence covers the
question most (answertype.span with a weigh)."""
from __future__ import annotations

import pytest

from piaqa.understand.answertype import TIMING, expected_type, matches, span
from piaqa.understand.glossary import expand
from piaqa.understand.query import _HISTORY

KORIYAMA = "001_fd6f090b79f37056.txt"
KOCHI = "002_8198ed8bac5210ca.txt"


@pytest.mark.parametrize("question, kind", [
    ("When do Kochi's employees receive privacy training?", TIMING),
    ("When does Chiba take in people's My Number details?", TIMING),
    ("At what point are a maintenance worker's access rights withdrawn?", TIMING),
    ("How soon are the temporary files erased?", TIMING),
    ("郡山市の職員はいつ研修を受けるの？", TIMING),
    ("作業者のアクセス権限はいつ失効させていますか。", TIMING),
    ("委託先はファイルをいつ消すんですか？", TIMING),
    # a day: a verb in the past, いつから (a start), いつですか, "when did/was"
    ("When did Kochi hold its public comment period?", "date"),
    ("When was the assessment published?", "date"),
    ("第三者点検はいつやったの？", "date"),
    ("基礎項目評価はいつ実施されましたか。", "date"),
    ("公表日はいつですか。", "date"),
    ("倉敷市はいつから年金のファイルを持ってるの？", "date"),
    ("いつ誰がアクセスしたか分かるようになってるの？", "date"),  # an embedded question in the past
    # the kinds asked before a timing keep their place
    ("いつまで保管するの？", "duration"),
    ("How often does Kochi check its logs?", "frequency"),
])
def test_a_recurring_when_asks_a_timing_and_a_past_one_a_date(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize("text, stated", [
    ("職員に対しては、配属時(新規事務従事時)及び年1回、研修を実施する。", True),  # an occasion and a frequency
    ("住基ネットにより特定個人情報の提供依頼がある都度。", True),
    ("メンテナンス作業の期間ごとに作業登録を行い、作業終了後失効させる。", True),  # after an event, with its verb
    ("日々の業務終了後に仮想テープ装置へ退避データを作成している。", True),
    ("不要となった時点で直ちに消去する。", True),
    ("令和6年11月5日から令和6年12月4日", True),  # a date is a timing too
    ("後期高齢者医療保険料徴収システムの操作ログを記録する。", False),  # 後期 is no "after"
    ("外部記憶媒体内のデータは暗号化する。", False),
])
def test_a_timing_is_an_occasion_a_frequency_or_a_date(text, stated):
    assert matches(TIMING, text) is stated


def test_the_clause_stating_the_kind_is_the_one_whose_sentence_covers_the_question():
    value = ("・職員に対しては、配属時及び年1回、個人情報保護に関する研修を実施する。"
             "・委託業者に対しては、業務に従事する従業員に対して、着任時及び年1回、研修の実施を義務付ける。")
    first = span(TIMING, value)  # no weigh: the first
    assert "配属時及び年1回" in first and "着任時" not in first
    contractor = span(TIMING, value, lambda s: float("委託業者" in s))
    assert "着任時及び年1回" in contractor and "配属時" not in contractor


@pytest.mark.parametrize("question, term", [
    ("When did Kochi begin using its resident register file?", "使用開始日"),
    ("When did Koriyama commence using the file?", "使用開始日"),
    ("During what period did Kochi solicit residents' opinions on the assessment?", "意見の聴取"),
    ("When did Chiba seek comments from the public?", "意見の聴取"),
])
def test_english_words_for_the_start_of_use_and_the_hearing_of_opinions(question, term):
    assert term in " ".join(expand(question))


def test_a_change_made_asks_the_change_log():
    assert _HISTORY.search("委託先を富士通に変えたのっていつ？")
    assert not _HISTORY.search("委託先はどこ？")


def test_a_recurring_when_is_answered_by_the_sentence_stating_its_occasion(assistant):
    ans = assistant.ask("When do Kochi's employees, temporary staff included, receive privacy training?")
    assert ans.answerable and "配属時(新規事務従事時)及び年1回" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KOCHI, 969)


def test_the_row_s_clause_stating_the_timing_is_quoted(assistant):
    ans = assistant.ask("郡山市の団体内統合宛名システムで、保守作業者のアクセス権限はいつ失効するの？")
    assert ans.answerable and "作業終了後失効させる" in ans.text
    assert (ans.citations[0].doc, ans.citations[0].line_start) == (KORIYAMA, 472)


def test_a_past_when_still_asks_the_date_row(assistant):
    ans = assistant.ask("When did Kochi begin using its resident register file?")
    assert ans.field is not None and ans.field.label == "使用開始日" and "平成27年10月5日" in ans.text
