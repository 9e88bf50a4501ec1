"""Build one corpus twice — in this process, then on a local Ray cluster (`piaqa index --ray`) — and report both
times and whether the indexes agree (README "National scale"). Each build starts from an empty index folder,
so every passage is embedded. Not in CI: the full corpus takes minutes on two cores.

    .venv/bin/python bench/ray_build.py [--corpus DIR] [--cpus N] [--out bench/ray_results.json]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from piaqa.config import Settings  # noqa: E402
from piaqa.search.distributed import build_on_ray, ray_cluster  # noqa: E402
from piaqa.search.embed import Embedder  # noqa: E402
from piaqa.search.index import build_index, load_index  # noqa: E402
from piaqa.search.tokenize import Tokenizer  # noqa: E402

log = logging.getLogger("bench.ray_build")


def _vectors(index) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Every chunk and unit vector of a loaded (flat) index."""
    return np.vstack([index.dense.reconstruct_n(0, index.dense.ntotal),
                      index.unit_dense.reconstruct_n(0, index.unit_dense.ntotal)])


def run(corpus: Path, cpus: int | None, work: Path) -> dict[str, object]:
    """Both builds of `corpus` under `work`; their times (s) and agreement."""
    local = Settings.from_env(corpus_dir=corpus, index_dir=work / "local")
    on_ray = Settings.from_env(corpus_dir=corpus, index_dir=work / "ray")
    t0 = time.perf_counter()
    build_index(local, Embedder(local), Tokenizer(), progress=False)
    single_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ray_cluster(None, num_cpus=cpus) as cluster:
        start_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        build_on_ray(on_ray)
        ray_s = time.perf_counter() - t1
    a, b = load_index(local), load_index(on_ray)
    diff = float(np.abs(_vectors(a) - _vectors(b)).max())
    return {"corpus": str(corpus), "documents": len(a.manifest["documents"]), "chunks": len(a.chunks),
            "units": len(a.units), "single_process_s": round(single_s, 1), "ray_workers": cluster.workers,
            "ray_cluster_start_s": round(start_s, 1), "ray_build_s": round(ray_s, 1),
            "same_chunks_and_units": a.chunks == b.chunks and a.units == b.units,
            "max_abs_vector_diff": diff}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=Settings.from_env().corpus_dir)
    p.add_argument("--cpus", type=int, default=None, help="CPUs of the local Ray cluster (default: every core)")
    p.add_argument("--out", type=Path, default=None, help="also write the result as JSON here")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="piaqa-ray-bench-") as work:
        result = run(args.corpus.resolve(), args.cpus, Path(work))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
