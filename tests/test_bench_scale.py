"""`make bench-scale` never rots: its tiny mode runs every measurement end to end in seconds."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_tiny_scale_bench_measures_every_part(tmp_path):
    out = tmp_path / "scale.json"
    res = subprocess.run([sys.executable, "bench/scale.py", "--tiny", "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["mode"] == "tiny" and set(r["dense"]) == set(r["bm25"]) == {"3000"}
    flat, ivf = r["dense"]["3000"]["flat"], r["dense"]["3000"]["ivf"]
    assert flat["plan"] == {"kind": "flat", "dim": 384} and flat["recall_at_10"] == 1.0
    assert ivf["plan"]["kind"] == "ivf-flat" and set(ivf["nprobe_sweep"]) == {"8", "16", "32", "64", "128"}
    assert ivf["nprobe_sweep"]["128"]["recall_at_10"] >= ivf["nprobe_sweep"]["8"]["recall_at_10"]
    cities = r["which_cities"]["6"]
    assert cities["documents"] == 6 and cities["unit_index"]["kind"] == "ivf-flat"
    assert cities["field"]["rows"] == cities["prose"]["rows"] == 6  # a row per synthetic city
    assert 0 < cities["field"]["cities_matched"] < 6  # the field condition splits the generated cities
    assert cities["per_city_check"] == {"cities": 6, "same_hits": 6}  # shared scoring = one search per city
    assert "| 3,000 | ivf" in res.stdout and "| 6 | " in res.stdout
