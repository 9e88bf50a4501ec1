"""The page's starting language (piaqa.ui.language): the script goes first in <head>, only into the HTML page."""
import asyncio

from piaqa.ui.language import DEFAULT_LANGUAGE, DefaultLanguage, inject, language_script

PAGE = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><script type=\"module\" src=\"x.js\"></script></head></html>"


def test_script_names_the_languages_and_the_default():
    script = language_script(["en", "ja"])
    assert script.startswith("<script>") and script.endswith("</script>")
    assert '["en", "ja"]' in script and f'lang="{DEFAULT_LANGUAGE}"' in script and "piaqa-lang" in script


def test_inject_puts_the_script_before_gradio_scripts():
    out = inject(PAGE, "<script>X</script>")
    assert out.index(b"<script>X</script>") < out.index(b'src="x.js"')
    assert out.startswith(b"<!doctype html><html lang=\"en\"><head><script>X</script><meta")
    assert inject(b"no head here", "<script>X</script>") == b"no head here"


def _serve(path: str, content_type: bytes, body: bytes, method: str = "GET", chunks: int = 1):
    sent = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
        step = max(1, len(body) // chunks)
        parts = [body[i:i + step] for i in range(0, len(body), step)]
        for i, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": i < len(parts) - 1})

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    asyncio.run(DefaultLanguage(app, "<script>X</script>")({"type": "http", "method": method, "path": path},
                                                             receive, send))
    headers = dict(sent[0]["headers"])
    return headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_middleware_rewrites_only_the_page_and_fixes_its_length():
    headers, body = _serve("/", b"text/html; charset=utf-8", PAGE, chunks=3)
    assert body == inject(PAGE, "<script>X</script>") and int(headers[b"content-length"]) == len(body)
    for path, kind, method in (("/config", b"application/json", "GET"), ("/gradio_api/info", b"text/html", "GET"),
                               ("/", b"text/html", "HEAD")):
        headers, body = _serve(path, kind, PAGE, method=method)
        assert body == PAGE and int(headers[b"content-length"]) == len(PAGE)
