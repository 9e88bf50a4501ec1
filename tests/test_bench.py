"""`make bench` never rots: its quick mode runs end to end and writes every key issue 11 asks for."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

KEYS = {"build_s", "rebuild_unchanged_s", "add_one_doc_s", "answer_p50_ms", "answer_p95_ms", "retrieve_p50_ms",
        "startup_s", "batch_100_s", "rss_mb", "embed_per_s"}
DETAIL = {"parse_s", "sudachi_s", "fields_s", "embed_s_estimate", "passages"}


def test_quick_bench_writes_every_key(tmp_path):
    out = tmp_path / "results.json"
    res = subprocess.run([sys.executable, "bench/suite.py", "--quick", "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert KEYS <= set(results) and DETAIL <= set(results["detail"])
    assert all(isinstance(v, (int, float)) and v > 0 for k, v in results.items() if k != "detail")
    assert results["answer_p50_ms"] <= results["answer_p95_ms"] and results["detail"]["passages"] > 10
    assert "| build_s |" in res.stdout
