"""Asking from a shell: the question cleaned first, an unexpected failure logged and answered politely."""
from __future__ import annotations

import logging
from collections.abc import Callable

from piaqa.records import Answer
from piaqa.safetext import clean_question, has_words

log = logging.getLogger(__name__)

INTERNAL_ERROR = ("内部エラーが発生しました。記録しましたので、言い方を変えてもう一度お試しください。"
                  " / An internal error occurred; it was logged. Please try rephrasing the question.")
NO_WORDS = "質問を文字で入力してください。/ Please type a question in words."


def checked_ask(ask: Callable[[str], Answer], question: str | None) -> Answer:
    """`ask` on the cleaned question; a question of only punctuation, symbols or emoji is not asked.

    Exceptions from `ask` propagate (batch runs turn them into error rows).
    """
    text = clean_question(question)
    if text and not has_words(text):
        return Answer(text, NO_WORDS, (), answerable=False, kind="abstain")
    return ask(text)


def safe_ask(ask: Callable[[str], Answer], question: str | None) -> Answer:
    """`checked_ask` that never raises: an unexpected exception is logged in full and becomes an
    unanswerable Answer (kind "error") with a short message for the user."""
    try:
        return checked_ask(ask, question)
    except Exception:  # noqa: BLE001 - the shell must stay up; the traceback goes to the log
        log.exception("internal error answering %r", clean_question(question)[:200])
        return Answer(clean_question(question), INTERNAL_ERROR, (), answerable=False, kind="error")
