"""Settings: PIAQA_* overrides, validation that names the fix; the UI's loopback check."""
from __future__ import annotations

import pytest

from piaqa.config import Settings, SettingsError


def test_env_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("PIAQA_TOP_K", "7")
    monkeypatch.setenv("PIAQA_INDEX_DIR", str(tmp_path / "idx"))
    s = Settings.from_env(port=8000)
    assert (s.top_k, s.port, s.index_dir) == (7, 8000, (tmp_path / "idx").resolve())
    assert s.index_params()["embed_model"] == "e5-small-q4"


@pytest.mark.parametrize("env,value,message", [
    ("PIAQA_TOP_K", "many", "PIAQA_TOP_K='many' is not a whole number"),
    ("PIAQA_PORT", "70000", "set PIAQA_PORT"),
    ("PIAQA_CHUNK_TARGET", "2000", "PIAQA_CHUNK_TARGET"),
])
def test_bad_settings_say_what_to_fix(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(SettingsError, match=message):
        Settings.from_env()


def test_loopback_detection():
    from piaqa.ui.app import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")
