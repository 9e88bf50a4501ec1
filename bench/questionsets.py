"""Question files of the eval format, read for the bench scripts."""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path


def questions_of(paths: list[Path], kind: str) -> Iterator[dict]:
    """The questions of one kind (lookup, aggregate, negative) in the files, in order."""
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and (q := json.loads(line)).get("kind") == kind:
                yield q


def replayed_turns(assistant, paths: list[Path]) -> Iterator[tuple[dict, object]]:  # (turn, Query)
    """Every turn of the conversation files with the Query `Assistant.ask` reads it as: each turn is understood
    after, and then asked with, the answers of the turns before it."""
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            history: list = []
            for turn in json.loads(line)["turns"]:
                query = assistant.understood(turn["question"], history, list(assistant.docs))
                history.append((turn["question"], assistant.ask(turn["question"], history=list(history))))
                yield turn, query


def fit_check_parser() -> argparse.ArgumentParser:
    """The arguments every fitting script takes: the sets it fits on and the sets it only checks on."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", nargs="+", type=Path, required=True, help="question files to fit on")
    ap.add_argument("--check", nargs="*", type=Path, default=[], help="question files only scored, never fitted on")
    return ap
