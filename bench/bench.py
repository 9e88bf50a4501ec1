"""Timings on this machine: Assistant start-up, warm ask latency, optionally a full index build.

Usage: .venv/bin/python bench/bench.py [--build] [--questions FILE]
"""
from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Print one line per measurement."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", action="store_true", help="also time a full index rebuild")
    ap.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"))
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from piaqa.config import Settings
    from piaqa.qa import Assistant
    from piaqa.questions import read_questions

    settings = Settings.from_env()
    t0 = time.perf_counter()
    asst = Assistant(settings, progress=False)
    print(f"assistant start-up (index loaded): {time.perf_counter() - t0:.1f} s")
    if args.build:
        from piaqa.index import build_index

        t0 = time.perf_counter()
        build_index(settings, asst.embedder, asst.tokenizer, progress=False)
        print(f"index build: {time.perf_counter() - t0:.1f} s")
    questions = [q.question for q in read_questions(Path(args.questions))]
    for q in questions:  # warm-up: caches, lazy imports
        asst.ask(q)
    asst.embedder._cache.clear()  # noqa: SLF001 - measure with the question embedding included
    times = []
    for q in questions:
        t0 = time.perf_counter()
        asst.ask(q)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"questions": len(times), "ask_ms_mean": round(statistics.mean(times), 1),
                      "ask_ms_p50": round(times[len(times) // 2], 1),
                      "ask_ms_p95": round(times[int(len(times) * 0.95) - 1], 1),
                      "ask_ms_max": round(times[-1], 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
