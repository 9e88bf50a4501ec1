"""Measurements of bench/scale.py: dense indexes and BM25 at N passages, which-cities over N documents."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.synth import derive_vectors, synth_passages
from piaqa.config import Settings
from piaqa.search.ann import build_faiss, choose_index, dense_scores, read_faiss, recall_at_k, IndexPlan

ROOT = Path(__file__).resolve().parent.parent
K = 10  # recall@10, as issue 11 asks
NPROBES = (8, 16, 32, 64, 128)  # IVF lists scanned per query, swept to choose Settings.ivf_nprobe
FIELD_QUESTION = "情報提供ネットワークシステムによる情報連携を「実施する」としている市はどこですか。"
PROSE_QUESTION = "職員の異動や退職の際に、システムのアクセス権限やユーザIDを失効させると記載している市はどこですか。"
# answered once before the timed questions, so they do not pay for the process's first question
WARMUP_QUESTION = "問合せの対応記録を残すと記載している市はどこですか。"


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds."""
    ms = np.asarray(seconds) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM: ru_maxrss would count the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def disk_mb(path: Path) -> float:
    """Size of a file or folder in MB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 1e6, 1)


def serve(args: list[str]) -> dict[str, Any]:
    """Run one serving measurement in a fresh process (its own RSS) and return its JSON."""
    res = subprocess.run([sys.executable, "-m", "bench.scale", *args], cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"serving measurement {args[:2]} failed: {res.stderr[-1500:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def dense_at(n: int, real: np.ndarray, queries: np.ndarray, settings: Settings, work: Path) -> dict[str, Any]:
    """Flat and IVF over `n` derived vectors: build, disk, and (in a fresh process) load, latency, recall."""
    vecs = derive_vectors(real, np.random.default_rng(n).integers(0, len(real), n))
    out: dict[str, Any] = {}
    exact_path = work / "exact.npy"
    for name, plan in (("flat", choose_index(n, vecs.shape[1], replace(settings, ann_threshold=n))),
                       ("ivf", choose_index(n, vecs.shape[1], replace(settings, ann_threshold=1)))):
        t0 = time.perf_counter()
        index = build_faiss(vecs, plan)
        build_s = time.perf_counter() - t0
        if name == "flat":
            np.save(exact_path, index.search(queries, K)[1])
        path = work / f"{name}.faiss"
        import faiss

        faiss.write_index(index, str(path))
        del index
        served = serve(["--serve-dense", str(path), json.dumps(plan.manifest()), str(work / "queries.npy"),
                        str(exact_path), str(n)])
        out[name] = {"plan": plan.manifest(), "build_s": round(build_s, 2), "disk_mb": disk_mb(path), **served}
        path.unlink()
    return out


def serve_dense(path: str, plan_json: str, queries_path: str, exact_path: str, n: str) -> dict[str, Any]:
    """In a fresh process: load the index as piaqa does, time searches, measure recall@10 and RSS."""
    plan = IndexPlan(n=int(n), **json.loads(plan_json))
    t0 = time.perf_counter()
    index = read_faiss(Path(path), plan)
    load_s = time.perf_counter() - t0
    queries, exact = np.load(queries_path), np.load(exact_path)
    top10, scores = [], []
    for q in queries:
        t = time.perf_counter()
        index.search(q[None], K)
        top10.append(time.perf_counter() - t)
    for q in queries[:20]:  # what the retriever calls: every score (flat) or the nearest APPROX_DEPTH (IVF)
        t = time.perf_counter()
        dense_scores(index, q[None], -1.0)
        scores.append(time.perf_counter() - t)
    recall = recall_at_k(exact, index.search(queries, K)[1], K)
    out = {"load_s": round(load_s, 3), "search10": percentiles(top10), "retriever_scores": percentiles(scores),
           "recall_at_10": round(recall, 4), "rss_mb": rss_mb()}
    if plan.approximate:
        out["nprobe_sweep"] = nprobe_sweep(index, queries, exact)
    return out


def nprobe_sweep(index: Any, queries: np.ndarray, exact: np.ndarray) -> dict[str, dict[str, float]]:
    """Recall@10 and search p50 at each nprobe: where the setting's value comes from."""
    out = {}
    for nprobe in NPROBES:
        index.nprobe = nprobe
        times = []
        for q in queries:
            t = time.perf_counter()
            index.search(q[None], K)
            times.append(time.perf_counter() - t)
        out[str(nprobe)] = {"recall_at_10": round(recall_at_k(exact, index.search(queries, K)[1], K), 4),
                            "p50_ms": percentiles(times)["p50_ms"]}
    return out


class LineTokens:
    """Real Sudachi tokens of a text, line by line with a cache: synthetic passages repeat most lines."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.cache: dict[str, list[str]] = {}
        self.calls = 0

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for line in text.split("\n"):
            self.calls += 1
            if line not in self.cache:
                self.cache[line] = self.tokenizer(line)
            out.extend(self.cache[line])
        return out


def bm25_at(n: int, texts: list[str], query_tokens: list[list[str]], tokenizer: Any,
            work: Path) -> dict[str, Any]:
    """BM25 over `n` rewritten passages (real Sudachi tokens): tokenise, index, save, serve (mmap)."""
    import bm25s

    passages = synth_passages(texts, n, seed=n)
    lines = LineTokens(tokenizer)
    t0 = time.perf_counter()
    corpus_tokens = [lines(t) for t in passages.texts]
    tokenise_s = time.perf_counter() - t0
    del passages
    t0 = time.perf_counter()
    bm25 = bm25s.BM25()
    bm25.index(corpus_tokens, show_progress=False)
    build_s = time.perf_counter() - t0
    del corpus_tokens
    path = work / "bm25"
    bm25.save(str(path))
    del bm25
    qpath = work / "query_tokens.json"
    qpath.write_text(json.dumps(query_tokens, ensure_ascii=False), encoding="utf-8")
    served = serve(["--serve-bm25", str(path), str(qpath)])
    return {"tokenise_s": round(tokenise_s, 2), "distinct_lines": len(lines.cache), "lines": lines.calls,
            "build_s": round(build_s, 2), "disk_mb": disk_mb(path), **served}


def serve_bm25(path: str, queries_path: str) -> dict[str, Any]:
    """In a fresh process: load BM25 memory-mapped and time get_scores over every passage (what piaqa does)."""
    import bm25s

    t0 = time.perf_counter()
    bm25 = bm25s.BM25.load(path, mmap=True)
    load_s = time.perf_counter() - t0
    vocab = bm25.vocab_dict
    times = []
    for tokens in json.loads(Path(queries_path).read_text(encoding="utf-8")):
        tokens = [t for t in tokens if t in vocab]
        if tokens:
            t = time.perf_counter()
            bm25.get_scores(tokens)
            times.append(time.perf_counter() - t)
    return {"load_s": round(load_s, 3), **percentiles(times), "rss_mb": rss_mb()}

