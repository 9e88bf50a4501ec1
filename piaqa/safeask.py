"""Asking from a shell: the question cleaned first, an unexpected failure logged and answered politely."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from piaqa.config import MAX_QUESTION_CHARS, QUESTION_CHARS_CEILING
from piaqa.records import Answer
from piaqa.safetext import RAW_SLACK, clean_question, has_words, limit_length

log = logging.getLogger(__name__)

INTERNAL_ERROR = ("内部エラーが発生しました。記録しましたので、言い方を変えてもう一度お試しください。"
                  " / An internal error occurred; it was logged. Please try rephrasing the question.")
NO_WORDS = "質問を文字で入力してください。/ Please type a question in words."


def shortened_note(limit: int) -> str:
    """What an answer to a question cut to `limit` characters says about it."""
    return (f"（質問が長すぎるため、先頭の{limit:,}文字に短縮して回答しました。"
            f" / The question was shortened to its first {limit:,} characters.）")


def with_shortened_note(answer: Answer, limit: int) -> Answer:
    """The answer with the note that its question was shortened to `limit` characters."""
    return replace(answer, text=f"{answer.text}\n{shortened_note(limit)}")


def _cleaned(question: str | None) -> str:
    """The question cleaned, its raw text first cut to what no length limit can need (bounded work;
    `ask` cuts it to the configured limit and says so)."""
    return clean_question((question or "")[:QUESTION_CHARS_CEILING * RAW_SLACK])


def _echo(text: str) -> str:
    """The question as a reply that was not asked repeats it: never more than the default limit."""
    return limit_length(text, MAX_QUESTION_CHARS)[0]


def checked_ask(ask: Callable[[str], Answer], question: str | None) -> Answer:
    """`ask` on the cleaned question; a question of only punctuation, symbols or emoji is not asked.

    Exceptions from `ask` propagate (batch runs turn them into error rows).
    """
    text = _cleaned(question)
    if text and not has_words(text):
        return Answer(_echo(text), NO_WORDS, (), answerable=False, kind="abstain")
    return ask(text)


def safe_ask(ask: Callable[[str], Answer], question: str | None) -> Answer:
    """`checked_ask` that never raises: an unexpected exception is logged in full and becomes an
    unanswerable Answer (kind "error") with a short message for the user."""
    try:
        return checked_ask(ask, question)
    except Exception:  # noqa: BLE001 - the shell must stay up; the traceback goes to the log
        text = _cleaned(question)
        log.exception("internal error answering %r", text[:200])
        return Answer(_echo(text), INTERNAL_ERROR, (), answerable=False, kind="error")
