"""Question files of the eval format, read for the bench scripts."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def questions_of(paths: list[Path], kind: str) -> Iterator[dict]:
    """The questions of one kind (lookup, aggregate, negative) in the files, in order."""
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and (q := json.loads(line)).get("kind") == kind:
                yield q
