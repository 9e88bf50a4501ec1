"""The page's starting language: Japanese unless the user chose another.

gradio's i18n starts in the browser's language (`navigator.language`) and forgets the language picked in its
settings panel on reload, so an English browser would open piaqa in English. The staff piaqa is for read
Japanese, so the page starts in `DEFAULT_LANGUAGE`; `?lang=en` (or any language the labels have) opens it in
that language, and a language picked in gradio's settings panel is remembered in the browser (localStorage).

gradio reads the language before it runs the page's own `head`/`js`, so the choice is made by a small script
put at the top of the served page's <head> by `DefaultLanguage`, an ASGI middleware passed to FastAPI through
`launch(app_kwargs=...)`.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection
from typing import Any

DEFAULT_LANGUAGE = "ja"
STORAGE_KEY = "piaqa-lang"  # localStorage key of the language the user picked
QUERY_KEY = "lang"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def language_script(languages: Collection[str], default: str = DEFAULT_LANGUAGE) -> str:
    """The <script> that makes the browser report the chosen language to gradio: `?lang=xx`, else the one
    remembered from gradio's settings panel, else `default`; unknown codes are ignored. It remembers a new
    choice when gradio sets <html lang> to it."""
    known = json.dumps(sorted(languages))
    return ("<script>(function(){try{"
            f"var known={known},key={json.dumps(STORAGE_KEY)},ask=new URLSearchParams(location.search)"
            f".get({json.dumps(QUERY_KEY)}),saved=localStorage.getItem(key),lang={json.dumps(default)};"
            "if(saved&&known.indexOf(saved)>=0)lang=saved;"
            "if(ask&&known.indexOf(ask)>=0){lang=ask;localStorage.setItem(key,ask);}"
            "Object.defineProperty(Navigator.prototype,'language',{get:function(){return lang},configurable:true});"
            "Object.defineProperty(Navigator.prototype,'languages',{get:function(){return [lang]},configurable:true});"
            "new MutationObserver(function(){var now=document.documentElement.getAttribute('lang');"
            "if(now&&now!==lang&&known.indexOf(now)>=0){lang=now;localStorage.setItem(key,now);}})"
            ".observe(document.documentElement,{attributes:true,attributeFilter:['lang']});"
            "}catch(e){}})();</script>")


def inject(html: bytes, script: str) -> bytes:
    """`html` with `script` as the first element of its <head> (unchanged when it has no <head>)."""
    at = html.find(b"<head>")
    if at < 0:
        return html
    at += len(b"<head>")
    return html[:at] + script.encode() + html[at:]


class DefaultLanguage:
    """ASGI middleware: puts `script` at the top of <head> in the app's HTML page (GET of the root path)."""

    def __init__(self, app: ASGIApp, script: str) -> None:
        self.app = app
        self.script = script

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path", "").rstrip("/") != "":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = bytearray()

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            out = bytes(body)
            headers = [(k, v) for k, v in start.get("headers", [])]
            is_html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
            is_plain = not any(k.lower() == b"content-encoding" for k, _ in headers)
            if is_html and is_plain:
                out = inject(out, self.script)
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(out)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": out})

        await self.app(scope, receive, buffered)
