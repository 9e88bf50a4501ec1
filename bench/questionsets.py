"""Question files of the eval format, read for the bench scripts."""
from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

SCORE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"


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


def scorer() -> ModuleType:
    """The shared eval's score.py as a module (beside the checkout, ../shared/eval)."""
    spec = importlib.util.spec_from_file_location("score", SCORE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {SCORE}: run from a checkout beside ../shared")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
