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
    ap.add_argument("--ui", action="store_true", help="also time answers through the web UI's API (gradio_client)")
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
        from piaqa.search.index import build_index

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
    if args.ui:
        ui_latency(asst, questions[:10])
    return 0


def ui_latency(asst, questions: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Round trip of the chat endpoint on a loopback port (what a user waits for after Enter)."""
    import socket
    import tempfile

    from gradio_client import Client

    from piaqa.ui.app import build_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    export = Path(tempfile.mkdtemp(prefix="piaqa-bench-"))
    demo = build_app(asst, export)
    demo.queue(default_concurrency_limit=4).launch(server_name="127.0.0.1", server_port=port,
                                                    prevent_thread_lock=True, quiet=True,
                                                    allowed_paths=[str(export)])
    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        client.predict(q, [], [], [], False, api_name="/chat")
        times.append((time.perf_counter() - t0) * 1000)
    demo.close()
    times.sort()
    print(json.dumps({"ui_round_trip_ms_p50": round(times[len(times) // 2], 1),
                      "ui_round_trip_ms_max": round(times[-1], 1)}))


if __name__ == "__main__":
    sys.exit(main())
