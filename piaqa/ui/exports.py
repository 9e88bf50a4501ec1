"""Download files of the web UI: one folder per browser session, a unique name per request, each file
written completely (temporary name, then rename) before it is offered; deleted with the session and at
shutdown. No gradio import."""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

_SESSION_OK = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG_BAD = re.compile(r"[^\w]+")
# files of one name a session may write within one second (each download click writes one): far above any user
MAX_SAME_NAME = 1000


def session_key(session: str | None) -> str:
    """A folder name for a session id: the id when it is plain, else a digest (the id comes from the
    client and must never reach the file system as a path); a fresh id when there is none."""
    if not session:
        return "anon-" + uuid.uuid4().hex
    if _SESSION_OK.fullmatch(session):
        return "s-" + session
    return "h-" + hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()[:32]


def export_name(kind: str, label: str, suffix: str, copy: int = 1) -> str:
    """A file name that says what and when: piaqa-<kind>-<label>-<time><suffix>; "-<copy>" before the suffix for
    a second file of the same name in the same second."""
    slug = _SLUG_BAD.sub("_", label).strip("_")[:40] or "all"
    return f"piaqa-{kind}-{slug}-{time.strftime('%Y%m%d-%H%M%S')}{f'-{copy}' if copy > 1 else ''}{suffix}"


class SessionExports:
    """Export files under `root`, one sub-folder per session."""

    def __init__(self, root: Path, ttl_seconds: float = 6 * 3600) -> None:
        self.root = root
        self.ttl = ttl_seconds  # API clients never close a session: their folders are swept by age

    def folder(self, session: str | None) -> Path:
        """The session's folder, created when first needed."""
        path = self.root / session_key(session)
        if not path.is_dir():
            self.sweep()
            path.mkdir(parents=True, exist_ok=True)
        return path

    def path(self, session: str | None, kind: str, label: str, suffix: str) -> Path:
        """A fresh path for a file this session is about to write, reserved (created empty) so that no other
        request of the session takes the same name."""
        folder = self.folder(session)
        for copy in range(1, MAX_SAME_NAME + 1):
            candidate = folder / export_name(kind, label, suffix, copy)
            try:
                os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                return candidate
            except FileExistsError:
                continue
        raise OSError(f"more than {MAX_SAME_NAME} exports named {export_name(kind, label, suffix)} in {folder}; "
                      "wait a second and try again")

    def write(self, session: str | None, kind: str, label: str, suffix: str, content: str | bytes) -> str:
        """Write an export (text as UTF-8) completely, then move it into its final name; returns that path."""
        final = self.path(session, kind, label, suffix)
        fd, tmp = tempfile.mkstemp(prefix="." + final.name, suffix=".tmp", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return str(final)

    def drop(self, session: str | None) -> None:
        """Delete a session's files (the session ended)."""
        if session:
            shutil.rmtree(self.root / session_key(session), ignore_errors=True)

    def sweep(self) -> None:
        """Delete session folders nothing has been written to for longer than the time to live."""
        if not self.root.is_dir():
            return
        cutoff = time.time() - self.ttl
        for sub in self.root.iterdir():
            try:
                newest = max([sub.stat().st_mtime, *(f.stat().st_mtime for f in sub.iterdir())])
            except OSError:
                continue
            if sub.is_dir() and newest < cutoff:
                shutil.rmtree(sub, ignore_errors=True)

    def close(self) -> None:
        """Delete every session's files (the server stops)."""
        if self.root.is_dir():
            for sub in self.root.iterdir():
                if sub.is_dir():
                    shutil.rmtree(sub, ignore_errors=True)
        log.debug("export folders under %s removed", self.root)
