"""Optional access control (issue 8, item 7): PIAQA_AUTH / PIAQA_AUTH_FILE turn on gradio's login, the
formats are checked line by line, and serving beyond loopback without a login warns."""
from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from piaqa.config import Settings, SettingsError, credentials

from tests.conftest import launch_app

EXPOSED = ("binding to 0.0.0.0 without a login: anyone who can reach this machine can ask questions and "
           "download the answers. Set PIAQA_AUTH=user:password (or PIAQA_AUTH_FILE) to require a login, "
           "or bind to 127.0.0.1.")


# --------------------------------------------------------------------------------------- the settings

def test_no_auth_by_default():
    assert credentials(Settings()) == []


def test_auth_from_the_environment(monkeypatch, tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("# piaqa users\n\nbob:pa:ss word \ncarol:c4rol\n", encoding="utf-8")
    monkeypatch.setenv("PIAQA_AUTH", "alice:s3cret")
    monkeypatch.setenv("PIAQA_AUTH_FILE", str(users))
    s = Settings.from_env()
    assert credentials(s) == [("alice", "s3cret"), ("bob", "pa:ss word"), ("carol", "c4rol")]
    assert "s3cret" not in repr(s)  # settings can be logged


@pytest.mark.parametrize("value", ["alice", "alice:", ":s3cret", " : "])
def test_a_malformed_auth_says_what_is_expected(monkeypatch, value):
    monkeypatch.setenv("PIAQA_AUTH", value)
    with pytest.raises(SettingsError) as err:
        Settings.from_env()
    assert str(err.value) == ("PIAQA_AUTH: expected user:password (a user name, a colon, a password); "
                              "fix that line")


@pytest.mark.parametrize("text,message", [
    ("alice:one\nbob two\n", "PIAQA_AUTH_FILE {path} line 2: expected user:password (a user name, a colon, "
                             "a password); fix that line"),
    ("alice:one\n# x\nalice:two\n", "PIAQA_AUTH_FILE {path} line 3: user 'alice' is listed twice; "
                                    "keep one line per user"),
    ("# nobody yet\n\n", "PIAQA_AUTH_FILE {path} lists no user; add user:password lines"),
])
def test_a_bad_auth_file_names_the_line(tmp_path, text, message):
    users = tmp_path / "users.txt"
    users.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        credentials(Settings(auth_file=str(users)))
    assert str(err.value) == message.format(path=users)  # the line, never its password


def test_a_missing_auth_file_says_what_to_do(tmp_path):
    with pytest.raises(SettingsError, match=r"PIAQA_AUTH_FILE .*nope\.txt: cannot read it .*point it at a UTF-8"):
        credentials(Settings(auth_file=str(tmp_path / "nope.txt")))


# ---------------------------------------------------------------------------- the exposure warning

def test_exposure_warning():
    from piaqa.ui.app import exposure_warning

    assert exposure_warning("0.0.0.0", has_login=False) == EXPOSED
    assert exposure_warning("0.0.0.0", has_login=True) is None
    assert exposure_warning("127.0.0.1", has_login=False) is None
    assert exposure_warning("localhost", has_login=False) is None and exposure_warning("::1", False) is None


class _Stop(Exception):
    """Ends `main` before it loads anything or binds."""


@pytest.mark.parametrize("argv,warned", [(["--host", "0.0.0.0"], True), ([], False)])
def test_main_warns_before_serving_beyond_loopback(monkeypatch, caplog, argv, warned):
    from piaqa.ui import app

    monkeypatch.delenv("PIAQA_HOST", raising=False)

    def stop(*a, **k):
        raise _Stop

    monkeypatch.setattr(app, "Assistant", stop)
    with caplog.at_level(logging.WARNING, logger="piaqa.ui.app"), pytest.raises(_Stop):
        app.main(argv)
    assert [r.getMessage() for r in caplog.records if r.name == "piaqa.ui.app"] == ([EXPOSED] if warned else [])


def test_main_refuses_a_bad_auth_file(monkeypatch, tmp_path, capsys):
    from piaqa.ui import app

    users = tmp_path / "users.txt"
    users.write_text("alice\n", encoding="utf-8")
    monkeypatch.setenv("PIAQA_AUTH_FILE", str(users))
    monkeypatch.setattr(app, "Assistant", lambda *a, **k: pytest.fail("must stop before loading"))
    assert app.main([]) == 2
    assert capsys.readouterr().err == (f"piaqa: PIAQA_AUTH_FILE {users} line 1: expected user:password "
                                       "(a user name, a colon, a password); fix that line\n")


# ------------------------------------------------------------------------------ the real page, logged in

@pytest.fixture(scope="module")
def locked_app(assistant, tmp_path_factory):
    demo = launch_app(assistant, tmp_path_factory.mktemp("auth"), replace(assistant.settings, auth="alice:s3cret"))
    yield demo.local_url
    demo.close()


def test_without_login_the_app_refuses(locked_app):
    import httpx

    with httpx.Client(base_url=locked_app, timeout=30) as c:
        assert c.get("/config").status_code == 401
        assert c.get("/gradio_api/info").status_code == 401
        r = c.post("/gradio_api/call/ask", json={"data": ["倉敷市の委託先は？", [], [], [], False]})
        assert r.status_code == 401 and r.json()["detail"]["error"] == "Not authenticated"
        assert c.post("/gradio_api/upload", files={"files": ("q.txt", b"q")}).status_code == 401
        bad = c.post("/login", data={"username": "alice", "password": "wrong"})
        assert bad.status_code == 400 and c.get("/config").status_code == 401


def test_with_login_the_app_answers(locked_app):
    import httpx
    from gradio_client import Client

    with httpx.Client(base_url=locked_app, timeout=30) as c:
        r = c.post("/login", data={"username": "alice", "password": "s3cret"})
        assert r.status_code == 200 and r.json() == {"success": True}
        assert c.get("/config").status_code == 200 and c.get("/gradio_api/info").status_code == 200
    chat, *_ = Client(locked_app, auth=("alice", "s3cret"), verbose=False).predict(
        "倉敷市の国民年金事務の委託先は？", [], [], [], False, api_name="/chat")
    assert "富士通Japan株式会社岡山支社" in str(chat[-1])


def test_an_open_page_needs_no_login(assistant, tmp_path):
    import httpx

    demo = launch_app(assistant, tmp_path)
    try:
        assert httpx.get(demo.local_url + "config", timeout=30).status_code == 200
    finally:
        demo.close()
