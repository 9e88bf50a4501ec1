"""`make bench-scale`: dense (flat vs IVF) and BM25 at 10k / 100k / 1M passages, which-cities over 100 / 1,000
documents -> bench/scale_results.json and a markdown table. `--tiny` runs the same code in seconds (CI).

Passages are real ones rewritten for other cities (bench/synth.py); BM25 sees their real Sudachi tokens. Dense
vectors are derived from the real index's e5 vectors (source + offsets between real vectors), not embedded:
embedding a million passages on two cores would take about half a day. Queries are real: the dev questions,
embedded by the real model. Each index is loaded and searched in a fresh process, so its RSS is its own.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ is first on the path and "bench" would be bench/bench.py: import from the root instead
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]

from bench.scale_parts import FIELD_QUESTION, PROSE_QUESTION, bm25_at, dense_at, serve_bm25, serve_dense  # noqa: E402
from piaqa.config import Settings  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
DOCS = (100, 1000)
TINY_SIZES = (3_000,)  # above the tiny threshold below, so the IVF path runs too
TINY_DOCS = (6,)
TINY_THRESHOLD = 1_000  # tiny mode builds IVF for the generated units as well
QUESTION_SETS = ("bench/dev2_questions.jsonl", "bench/dev3_questions.jsonl", "bench/dev4_questions.jsonl")
MAX_QUERIES = 200  # real questions embedded as the dense queries (fewer in tiny mode)


def questions(limit: int) -> list[str]:
    """Dev questions (in file order) to use as queries."""
    out = []
    for name in QUESTION_SETS:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out[:limit]


def counts(text: str) -> tuple[int, ...]:
    """A comma-separated list of counts ("100,300"); empty for none."""
    return tuple(int(x) for x in text.split(",") if x.strip())


def real_parts(settings: Settings, limit: int) -> dict[str, Any]:
    """What every measurement starts from: the real index's texts and vectors, the model, the tokenizer."""
    from piaqa.search.embed import Embedder
    from piaqa.search.index import load_index
    from piaqa.search.tokenize import Tokenizer

    index = load_index(settings)
    chunk_vecs = index.dense.reconstruct_n(0, index.dense.ntotal)
    unit_vecs = index.unit_dense.reconstruct_n(0, index.unit_dense.ntotal)
    real_units: dict[str, list[np.ndarray]] = {}
    for unit, vec in zip(index.units, unit_vecs):
        real_units.setdefault(unit.doc, []).append(vec)
    embedder, tokenizer = Embedder(settings), Tokenizer()
    qs = questions(limit)
    real = np.concatenate([chunk_vecs, unit_vecs])
    real = real[np.linalg.norm(real, axis=1) > 0]  # change-log chunks are not embedded: their zero rows are no vectors
    return {"texts": [c.text for c in index.chunks], "real": real,
            "queries": embedder.queries(qs), "query_tokens": [tokenizer(q) for q in qs], "embedder": embedder,
            "tokenizer": tokenizer, "real_units": {k: np.stack(v) for k, v in real_units.items()},
            "field_question": FIELD_QUESTION, "prose_question": PROSE_QUESTION}


def run(sizes: tuple[int, ...], docs: tuple[int, ...], bm25_max: int, settings: Settings, limit: int,
        out: Path, check: bool = False) -> dict[str, Any]:
    """Every measurement, the results document rewritten to `out` after each (a long run keeps what it has)."""
    from bench.scale_cities import cities_at

    parts = real_parts(Settings.from_env(), limit)  # the real index as built, whatever threshold is measured
    results: dict[str, Any] = {"machine": "2 cores", "date": time.strftime("%Y-%m-%d"),
                               "ann_threshold": settings.ann_threshold, "ivf_nprobe": settings.ivf_nprobe,
                               "queries": len(parts["queries"]), "dense": {}, "bm25": {}, "which_cities": {},
                               "notes": ["dense vectors derived from real e5 vectors (not embedded)",
                                         "BM25 on real Sudachi tokens of rewritten passages"]}
    with tempfile.TemporaryDirectory(prefix="piaqa-scale-") as tmp:
        work = Path(tmp)
        np.save(work / "queries.npy", parts["queries"])
        for n in sizes:
            logging.info("dense at %d", n)
            results["dense"][str(n)] = dense_at(n, parts["real"], parts["queries"], settings, work)
            if n <= bm25_max:
                logging.info("bm25 at %d", n)
                results["bm25"][str(n)] = bm25_at(n, parts["texts"], parts["query_tokens"], parts["tokenizer"], work)
            else:
                results["bm25"][str(n)] = {"skipped": f"BM25 measured up to {bm25_max:,} passages (time budget)"}
            save(results, out)
        for n_docs in docs:
            logging.info("which-cities over %d documents", n_docs)
            results["which_cities"][str(n_docs)] = cities_at(n_docs, parts, settings, work, check)
            save(results, out)
    return results


def save(results: dict[str, Any], out: Path) -> None:
    """Write the results document."""
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def table(results: dict[str, Any]) -> str:
    """The markdown table printed after a run."""
    lines = ["| passages | index | build s | disk MB | RSS MB | search@10 p50 / p95 ms | all-scores p50 ms "
             "| recall@10 |", "|---|---|---|---|---|---|---|---|"]
    for n, kinds in results["dense"].items():
        for name, r in kinds.items():
            lines.append(f"| {int(n):,} | {name} {r['plan'].get('nlist', '')} | {r['build_s']} | {r['disk_mb']} | "
                         f"{r['rss_mb']} | {r['search10']['p50_ms']} / {r['search10']['p95_ms']} | "
                         f"{r['retriever_scores']['p50_ms']} | {r['recall_at_10']} |")
    lines += ["", "| passages | BM25 tokenise s | build s | disk MB | RSS MB | get_scores p50 / p95 ms |",
              "|---|---|---|---|---|---|"]
    for n, r in results["bm25"].items():
        cells = (f"{r['skipped']} | | | | |" if "skipped" in r else f"{r['tokenise_s']} | {r['build_s']} | "
                 f"{r['disk_mb']} | {r['rss_mb']} | {r['p50_ms']} / {r['p95_ms']} |")
        lines.append(f"| {int(n):,} | {cells}")
    lines += ["", "| documents | units (index) | parse s | field p50 / p95 ms | prose p50 / p95 ms | RSS MB |",
              "|---|---|---|---|---|---|"]
    for n, r in results["which_cities"].items():
        lines.append(f"| {int(n):,} | {r['units']:,} ({r['unit_index']['kind']}) | {r['parse_s']} | "
                     f"{r['field']['p50_ms']} / {r['field']['p95_ms']} | {r['prose']['p50_ms']} / "
                     f"{r['prose']['p95_ms']} | {r['rss_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark (or one serving measurement, when called by it)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="seconds, for CI: 3k passages, 6 documents")
    p.add_argument("--sizes", default=",".join(map(str, SIZES)),
                   help="passage counts, comma-separated; empty (--sizes '') skips the dense and BM25 parts")
    p.add_argument("--docs", default=",".join(map(str, DOCS)),
                   help="document counts, comma-separated; empty (--docs '') skips which-cities")
    p.add_argument("--bm25-max", type=int, default=SIZES[-1], help="measure BM25 up to this many passages")
    p.add_argument("--check-cities", action="store_true",
                   help="after timing, compare the prose question's shared scoring with one search per city")
    p.add_argument("--out", default=str(ROOT / "bench" / "scale_results.json"))
    p.add_argument("--serve-dense", nargs=5, help=argparse.SUPPRESS)
    p.add_argument("--serve-bm25", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.serve_dense or a.serve_bm25:
        print(json.dumps(serve_dense(*a.serve_dense) if a.serve_dense else serve_bm25(*a.serve_bm25)))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("faiss").setLevel(logging.WARNING)
    settings = Settings.from_env(ann_threshold=TINY_THRESHOLD if a.tiny else None)
    sizes = TINY_SIZES if a.tiny else counts(a.sizes)
    docs = TINY_DOCS if a.tiny else counts(a.docs)
    results = run(sizes, docs, a.bm25_max, settings, 20 if a.tiny else MAX_QUERIES, Path(a.out),
                  a.check_cities or a.tiny)
    results["mode"] = "tiny" if a.tiny else "full"
    save(results, Path(a.out))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
