"""`make bench`: the timings of issue 11 on this machine, written to bench/results.json and printed as a table.

Every top-level key is a number; stage timings are under "detail". Builds go to temporary folders (the
project's index is only read), servers bind 127.0.0.1 and are ended by their pid.

    .venv/bin/python bench/suite.py [--out bench/results.json] [--quick] [--only startup [--repeat N]]

--quick (what the test suite runs so the script never rots): two tiny documents, few questions, no app start.
--only startup: just startup_s, rss_mb and app_ready_s, each the median of N fresh processes (default
STARTUP_REPEAT); the other keys of the results file are kept.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the imports load the model stack
    from piaqa.config import Settings
    from piaqa.search.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
QUESTION_SETS = [EVAL / "dev_questions.jsonl", EVAL / "dev_prose.jsonl",
                 *(ROOT / "bench" / f"dev{n}_questions.jsonl" for n in (2, 3, 4, 5))]
BATCH = 100  # questions of batch_100_s
EMBED_SAMPLE = 200  # corpus passages timed for embed_per_s
APP_TIMEOUT_S = 120  # give up waiting for the page after this long
QUICK_LINES = 60  # --quick: the first lines of two documents
# --only startup: processes timed per measure; other jobs share the 2 cores, so one start can be seconds off
STARTUP_REPEAT = 5
log = logging.getLogger("bench")


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "GRADIO_ANALYTICS_ENABLED": "False",
            "PYTHONPATH": str(ROOT)}


def _timed_run(args: list[str], **env: str) -> float:
    """Wall seconds of a child process (which must succeed)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env={**_env(), **env}, check=True, capture_output=True)
    return time.perf_counter() - t0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _corpus(dest: Path, quick: bool) -> Path:
    """A copy of the corpus (quick: two documents cut to their first QUICK_LINES lines)."""
    dest.mkdir(parents=True)
    files = sorted((ROOT / "corpus").glob("*.txt"))
    for f in ([files[0], files[-1]] if quick else files):
        text = f.read_text(encoding="utf-8")
        (dest / f.name).write_text("\n".join(text.split("\n")[:QUICK_LINES]) if quick else text, encoding="utf-8")
    return dest


def builds(work: Path, quick: bool) -> dict[str, float]:
    """build_s (in process, model loaded), rebuild_unchanged_s and add_one_doc_s (the CLI, as a user runs it),
    and the build's stages."""
    from piaqa.config import Settings
    from piaqa.parse.fields import extract_corpus_fields
    from piaqa.parse.ingest import scan_corpus
    from piaqa.parse.units import corpus_units
    from piaqa.search.chunk import chunk_documents
    from piaqa.search.embed import Embedder
    from piaqa.search.index import build_index, has_vector, unit_text
    from piaqa.search.tokenize import Tokenizer

    corpus = _corpus(work / "corpus", quick)
    settings = Settings.from_env(corpus_dir=corpus, index_dir=work / "index")
    embedder, tokenizer = Embedder(settings), Tokenizer()
    t0 = time.perf_counter()
    build_index(settings, embedder, tokenizer, progress=False)
    out = {"build_s": time.perf_counter() - t0}
    detail: dict[str, float] = {"build_int8_passages_s": _int8_build(settings, tokenizer, work / "index_int8")}
    args = ["-m", "piaqa", "index", "--corpus", str(corpus), "--index", str(work / "index")]
    out["rebuild_unchanged_s"] = _timed_run(args)
    last = sorted(corpus.glob("*.txt"))[-1]
    held = work / last.name
    shutil.move(last, held)
    build_index(settings, embedder, tokenizer, progress=False)
    out["add_one_doc_s"] = _timed_run(["-m", "piaqa", "add", str(held), "--corpus", str(corpus),
                                       "--index", str(work / "index")])
    t0 = time.perf_counter()
    docs = list(scan_corpus(corpus, settings).docs)
    detail["parse_s"] = time.perf_counter() - t0
    chunks = chunk_documents(docs, settings.chunk_target, settings.chunk_max)
    units = corpus_units(docs)
    t0 = time.perf_counter()
    tokenizer.batch([c.text for c in chunks] + [u.text for u in units])
    detail["sudachi_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    extract_corpus_fields(docs)
    detail["fields_s"] = time.perf_counter() - t0
    titles = {d.meta.doc: d.meta.title for d in docs}
    # what a build embeds: the chunks outside the change log, the units with their title and context
    texts = list(dict.fromkeys([c.text for c in chunks if has_vector(c)] + [unit_text(u, titles[u.doc]) for u in units]))
    sample = texts[::max(1, len(texts) // EMBED_SAMPLE)][:EMBED_SAMPLE]  # chunks and units in their proportion
    t0 = time.perf_counter()
    embedder.passages(sample)
    seconds = time.perf_counter() - t0
    out["embed_per_s"] = len(sample) / seconds
    detail["embed_s_estimate"] = len(texts) * seconds / len(sample)
    detail["passages"] = len(texts)
    return {**out, "detail": detail}


def _int8_build(settings: Settings, tokenizer: Tokenizer, index_dir: Path) -> float:
    """A full build with the int8 graph embedding the passages (PIAQA_PASSAGE_BACKEND=onnx-int8), model loaded."""
    import dataclasses

    from piaqa.search.embed import Embedder
    from piaqa.search.index import build_index

    int8 = dataclasses.replace(settings, index_dir=index_dir, passage_backend="onnx-int8")
    embedder = Embedder(int8)
    embedder.passages(["passage encoder loaded before the clock starts"])
    t0 = time.perf_counter()
    build_index(int8, embedder, tokenizer, progress=False)
    return time.perf_counter() - t0


def answers(quick: bool) -> dict[str, float]:
    """answer_p50/p95_ms over the dev question sets (warm), retrieve_p50_ms, batch_100_s (cold question cache)."""
    from piaqa.qa import Assistant
    from piaqa.questions import read_questions

    asst = Assistant(progress=False)
    questions = [q.question for path in QUESTION_SETS for q in read_questions(path)]
    questions = questions[:20] if quick else questions
    t0 = time.perf_counter()
    for q in questions[:BATCH]:
        asst.ask(q)
    batch = (time.perf_counter() - t0) * BATCH / min(BATCH, len(questions))
    asst.embedder._cache.clear()  # noqa: SLF001 - each timed ask embeds its question
    ask_ms, retrieve_ms = [], []
    for q in questions:
        t0 = time.perf_counter()
        asst.ask(q)
        ask_ms.append((time.perf_counter() - t0) * 1000)
    asst.embedder._cache.clear()  # noqa: SLF001
    for q in questions:
        t0 = time.perf_counter()
        asst.retriever.search(q, 5)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
    return {"answer_p50_ms": _pct(ask_ms, 0.5), "answer_p95_ms": _pct(ask_ms, 0.95),
            "retrieve_p50_ms": _pct(retrieve_ms, 0.5), "batch_100_s": batch, "questions": len(questions)}


_SERVE = """
import json, time, sys
t0 = time.perf_counter()
from piaqa.qa import Assistant
a = Assistant(progress=False)
ready = time.perf_counter() - t0
for q in sys.argv[1:]:
    a.ask(q)
peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
print(json.dumps({"startup_s": ready, "rss_mb": peak / 1024}))
"""


def serving(quick: bool) -> dict[str, float]:
    """startup_s (a fresh process until the Assistant is ready, index present) and rss_mb (its peak after
    answering questions)."""
    from piaqa.questions import read_questions

    questions = [q.question for q in read_questions(QUESTION_SETS[1])][:5 if quick else 50]
    res = subprocess.run([sys.executable, "-c", _SERVE, *questions], cwd=ROOT, env=_env(), check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def app_ready() -> float:
    """`python app.py` until the page answers HTTP 200 (loopback, a free port); the app is then ended."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**_env(), "PIAQA_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < APP_TIMEOUT_S:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"app.py did not answer on 127.0.0.1:{port} within {APP_TIMEOUT_S} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def startup_only(out: Path, repeat: int) -> dict:
    """startup_s, rss_mb and app_ready_s (medians of `repeat` fresh processes) merged into the results file."""
    runs = [serving(False) for _ in range(repeat)]
    ready = [app_ready() for _ in range(repeat)]
    log.warning("startup_s %s; app_ready_s %s", " ".join(f"{r['startup_s']:.2f}" for r in runs),
                " ".join(f"{r:.2f}" for r in ready))
    results = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    detail = results.pop("detail", {})
    results.update({"startup_s": round(statistics.median(r["startup_s"] for r in runs), 3),
                    "rss_mb": round(statistics.median(r["rss_mb"] for r in runs), 3),
                    "app_ready_s": round(statistics.median(ready), 3)})
    return {**results, "detail": detail}


def table(results: dict) -> str:
    """The results as a markdown table."""
    rows = [f"| {k} | {v:.3g} |" for k, v in results.items() if not isinstance(v, dict)]
    rows += [f"| detail.{k} | {v:.3g} |" for k, v in results.get("detail", {}).items()]
    return "\n".join(["| measure | value |", "|---|---|", *rows])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--quick", action="store_true", help="a tiny run that checks the script works")
    ap.add_argument("--only", choices=["startup"], help="measure only start-up (startup_s, rss_mb, app_ready_s)")
    ap.add_argument("--repeat", type=int, default=STARTUP_REPEAT, help="--only startup: processes per measure")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.only == "startup":
        results = startup_only(args.out, max(1, args.repeat))
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(table(results))
        return 0
    work = Path(tempfile.mkdtemp(prefix="piaqa-bench-"))
    try:
        results = builds(work, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    detail = results.pop("detail")
    results.update(answers(args.quick))
    results.update(serving(args.quick))
    if not args.quick:
        results["app_ready_s"] = app_ready()
    results = {k: round(float(v), 3) for k, v in results.items()}
    results["detail"] = {k: round(float(v), 3) for k, v in detail.items()}
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
