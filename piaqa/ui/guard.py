"""What every page event shares: unexpected errors shown as one short message, the browser session's id."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from piaqa.safeask import INTERNAL_ERROR

log = logging.getLogger(__name__)
# the page's own events: callable by gradio_client (the tests drive the page with it) but neither in the API docs
# nor MCP tools; the documented API is the four agent tools (mcp_tools.py)
UI_ONLY = "undocumented"
F = TypeVar("F", bound=Callable[..., Any])


def guarded(fn: F) -> F:
    """An event handler whose unexpected exceptions are logged in full and shown to the user as one
    short message (gr.Error), never as a traceback."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as e:  # noqa: BLE001 - the page must stay up; details go to the server log
            log.exception("internal error in %s", fn.__name__)
            raise gr.Error(INTERNAL_ERROR, print_exception=False) from e
    return wrapper  # type: ignore[return-value]


def session_of(request: gr.Request | None) -> str | None:
    """The browser session an event came from (None when called directly, e.g. in tests)."""
    return getattr(request, "session_hash", None) if request is not None else None
