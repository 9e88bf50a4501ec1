"""The start screen: what piaqa covers (each document), which questions it answers, and example questions that
submit on click; plus the page's labels in Japanese (default) and English (gradio i18n)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import gradio as gr

from piaqa.catalog import DocumentInfo
from piaqa.ui.render import esc


@dataclass(frozen=True)
class Example:
    """An example question of the start screen."""

    question: str
    follow_up: bool = False  # asks about the previous answer: only meaningful after the one before it


EXAMPLES = (
    Example("倉敷市の国民年金事務の委託先は？"),
    Example("千葉市は？", follow_up=True),
    Example("ガバメントクラウドにおける措置を記載している市はどこですか。"),
    Example("which cities re-delegate (再委託) system maintenance?"),
    Example("What do they re-delegate?", follow_up=True),  # asked of each city the answer before it named
    Example("高知市の住民基本台帳ファイルの保管期間は？"),
    Example("郡山市で開示請求の手数料はかかりますか？"),
    Example("How does Koriyama dispose of paper records?"),
    Example("Which other cities do that too?", follow_up=True),  # its sentence compared with each city's
)
FOLLOW_UP_MARK = "↪ "  # in front of a follow-up example's button, explained in the panel

KINDS = (
    ("値を調べる", "Look up a value", "倉敷市の委託先は？ / 保管期間 / 手数料"),
    ("記述を引用する", "Quote a measure", "入退室管理 / 研修 / 暗号化"),
    ("市をまたいで比べる", "Compare across cities", "「…している市はどこですか」→ ○ / × の表と CSV・Excel"),
    ("続けて質問する", "Follow up", "「千葉市は？」「その委託先は？」 / 市の一覧のあと: 各市の答え / after a list of cities: each city's answer"),
    ("変更履歴", "Change history", "絞り込みで「変更箇所」を含める / include the change log in Filters"),
)

# UI labels: Japanese by default whatever the browser's language (piaqa.ui.language); ?lang=en or gradio's settings
# (footer) switch to English, and the browser remembers the choice
LABELS = {
    "ja": {"chat": "チャット", "researcher": "検索（研究者向け）", "batch": "一括処理", "welcome": "はじめに",
           "conversation": "会話", "question": "質問", "ask": "質問する", "filters": "絞り込み",
           "cities": "市（未選択 = すべて）", "jimus": "事務（未選択 = すべて）",
           "with_log": "変更箇所（変更履歴）も出典に含める", "new": "新しい会話", "csv": "表をCSVで保存",
           "xlsx": "表をExcelで保存", "chips": "絞り込み中（チェックを外すと解除）",
           "copy": "最新の回答（出典つきテキスト・コピー用）"},
    "en": {"chat": "Chat", "researcher": "Researcher", "batch": "Batch", "welcome": "Welcome",
           "conversation": "Conversation", "question": "Question", "ask": "Ask", "filters": "Filters",
           "cities": "Cities (none = all)", "jimus": "事務 (none = all)",
           "with_log": "Include the change log (変更箇所) in sources", "new": "New conversation",
           "csv": "Download table (CSV)", "xlsx": "Download table (Excel)",
           "chips": "Active filters (untick to remove)",
           "copy": "Latest answer as plain text with its citations (to copy)"},
}
I18N = gr.I18n(**LABELS)


def coverage_html(infos: Sequence[DocumentInfo], files: dict[str, int]) -> str:
    """What piaqa covers: one row per document (city, 事務, 評価書種別, 公表日, number of files)."""
    rows = "".join(f"<tr><td>{esc(i.city)}</td><td>{esc(i.jimu)}</td><td>{esc(i.kind)}</td>"
                   f"<td>{esc(i.published or '記載なし')}</td><td>{files.get(i.doc, 1)}</td></tr>" for i in infos)
    kinds = "".join(f"<li><b>{esc(ja)}</b> / {esc(en)} — {esc(eg)}</li>" for ja, en, eg in KINDS)
    return ('<div class="piaqa-welcome"><p>特定個人情報保護評価書に日本語・英語で質問できます。回答は評価書の該当行を'
            '[1] のように引用し、クリックで原文の節を開きます。 / Ask about the privacy impact assessments below in '
            'Japanese or English; each answer cites the exact lines, one click away.</p>'
            '<table class="piaqa-rows"><thead><tr><th>市 / city</th><th>事務</th><th>評価書種別</th><th>公表日</th>'
            f"<th>ファイル数 / files</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<ul>{kinds}</ul><p class=\"piaqa-meta\">例をクリックすると質問します。{esc(FOLLOW_UP_MARK)}は直前の回答への"
            "続けての質問です。 / Click an example to ask it; ↪ marks a follow-up to the previous answer.</p></div>")


def example_label(ex: Example) -> str:
    """The text of an example's button (follow-ups marked)."""
    return (FOLLOW_UP_MARK if ex.follow_up else "") + ex.question
