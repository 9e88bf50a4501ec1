"""The chat's feedback and history controls: 👍/👎 with an optional comment on each answer (kept by
piaqa.feedback) and the conversation as a Markdown download."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import gradio as gr

from piaqa.feedback import DOWN, UP, FeedbackError, FeedbackStore, rating_of
from piaqa.ui.conversation import Shown, conversation_markdown
from piaqa.ui.exports import SessionExports
from piaqa.ui.guard import guarded, session_of
from piaqa.ui.render import esc

THANKS = {UP: "👍 を記録しました。ありがとうございます。/ 👍 saved, thank you.",
          DOWN: "👎 を記録しました。ありがとうございます。/ 👎 saved, thank you."}
WITH_COMMENT = "（コメント付き / with your comment）"
TAKEN_BACK = "評価を取り消しました。/ Rating removed."
COMMENT_SAVED = "コメントを保存しました。/ Comment saved."
RATE_FIRST = "先に回答を 👍 / 👎 で評価してください。コメントはその評価と一緒に保存されます。" \
             " / Rate an answer with 👍 or 👎 first; the comment is saved with that rating."
GONE = "その回答はもう評価できません（新しい会話）。/ That answer can no longer be rated (new conversation)."


@dataclass(frozen=True)
class FeedbackWidgets:
    """The controls under the chat."""

    comment: gr.Textbox
    save: gr.Button
    note: gr.Markdown
    download: gr.DownloadButton
    rated: gr.State  # {Shown.key: feedback id} of this conversation's ratings, the latest last


def _answer_number(index: Any) -> int | None:
    """Which answer of the chat a liked message is (user and assistant messages alternate)."""
    if isinstance(index, (list, tuple)):
        index = index[0] if index else None
    if not isinstance(index, int) or index < 0 or index % 2 != 1:
        return None
    return index // 2


class FeedbackPanel:
    """Event handlers of the controls; the store is piaqa.feedback's, the files the session's exports."""

    def __init__(self, store: FeedbackStore, exports: SessionExports, manifest_id: str) -> None:
        self.store = store
        self.exports = exports
        self.manifest_id = manifest_id

    @guarded
    def rate(self, shown: list[Shown] | None, rated: dict[str, int] | None, comment: str | None,
             data: gr.LikeData) -> tuple[str, dict[str, int], str]:
        """A 👍/👎 on an answer: stored with the comment typed so far, changed when the answer was rated before,
        removed when the user takes it back. Returns the note, the ratings and the (emptied) comment box."""
        shown, rated = list(shown or []), dict(rated or {})
        no = _answer_number(data.index)
        if no is None or no >= len(shown):
            return GONE, rated, comment or ""
        turn = shown[no]
        earlier = rated.pop(turn.key, None)
        try:
            if not isinstance(data.liked, bool):  # the thumb clicked again: no rating
                if earlier is not None:
                    self.store.remove(earlier)
                return TAKEN_BACK, rated, comment or ""
            fb = rating_of(turn.answer, turn.question, data.liked, self.manifest_id, comment or "")
            if earlier is not None and self.store.update(earlier, fb.rating, fb.comment or None):
                rated[turn.key] = earlier
            else:
                rated[turn.key] = self.store.add(fb)
        except FeedbackError as e:
            raise gr.Error(esc(str(e)), print_exception=False) from None
        return THANKS[fb.rating] + (WITH_COMMENT if fb.comment else ""), rated, ""

    @guarded
    def save_comment(self, rated: dict[str, int] | None, comment: str | None) -> tuple[str, str]:
        """The comment box's text attached to the latest rating of this conversation."""
        if not (comment or "").strip():
            return "", ""
        if not rated:
            return RATE_FIRST, comment or ""
        latest = list(rated.values())[-1]
        try:
            saved = self.store.update(latest, comment=comment)
        except FeedbackError as e:
            raise gr.Error(esc(str(e)), print_exception=False) from None
        return (COMMENT_SAVED, "") if saved else (RATE_FIRST, comment or "")

    @guarded
    def export(self, shown: list[Shown] | None, request: gr.Request | None = None) -> Any:
        """The conversation so far as a Markdown file to download (hidden while the chat is empty)."""
        if not shown:
            return gr.update(value=None, visible=False)
        text = conversation_markdown(shown, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), self.manifest_id)
        path = self.exports.write(session_of(request), "conversation", shown[0].question, ".md", text)
        return gr.update(value=path, visible=True)

    def layout(self) -> FeedbackWidgets:
        """The controls, placed where they are created (under the chat)."""
        with gr.Row():
            comment = gr.Textbox(label="コメント（任意）/ Comment (optional)", scale=5, max_lines=3,
                                 placeholder="回答を 👍 / 👎 で評価すると、ここに書いたコメントも一緒に保存されます。"
                                             " / Rate an answer with 👍/👎: a comment typed here is saved with it.",
                                 elem_id="piaqa-feedback-comment")
            save = gr.Button("コメントを保存 / Save comment", size="sm", scale=1, elem_id="piaqa-feedback-save")
        note = gr.Markdown("", elem_id="piaqa-feedback-note")
        download = gr.DownloadButton("会話をMarkdownで保存 / Download conversation (Markdown)", visible=False,
                                     size="sm", elem_id="piaqa-conversation")
        return FeedbackWidgets(comment, save, note, download, gr.State({}))

    def wire(self, chat: gr.Chatbot, shown: gr.State, w: FeedbackWidgets) -> None:
        """Events: the chat's thumbs and the comment button (neither is part of the API)."""
        chat.like(self.rate, [shown, w.rated, w.comment], [w.note, w.rated, w.comment], api_visibility="private")
        w.save.click(self.save_comment, [w.rated, w.comment], [w.note, w.comment], api_visibility="private")

    @staticmethod
    def reset() -> tuple[Any, ...]:
        """Values for (note, ratings, download) when a new conversation starts."""
        return "", {}, gr.update(value=None, visible=False)
