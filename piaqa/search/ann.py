"""Which FAISS index holds passage vectors: exact IndexFlatIP while small, IVF (approximate) above a measured size.

The choice is a pure function of the number of vectors and the settings (`choose_index`); the build writes it
into the manifest (`"dense_index"`), and a load checks the manifest's choice against the settings' (a changed
threshold means rebuild). IVF indexes are memory-mapped on load (`faiss.IO_FLAG_MMAP`): their vectors stay on
disk until a search touches them. HNSW, tried as the alternative, is not used: FAISS cannot memory-map it, and
on 100k derived vectors (2 cores) it built in 25 s against IVF's 6 s.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from piaqa.config import Settings
from piaqa.search.artefacts import StaleIndexError

log = logging.getLogger(__name__)

FLAT = "flat"
IVF = "ivf-flat"  # inverted lists of full float32 vectors: cosines of the candidates are exact, only recall is not
ROLES = {"chunks": ("n_chunks", "dense.faiss"), "units": ("n_units", "units.faiss")}
# nlist = IVF_LISTS_PER_ROOT * sqrt(n): FAISS's guideline is 4-16 sqrt(n); the low end keeps lists long, so
# nprobe 128 reaches recall@10 >= 0.95 with real queries (make bench-scale: 0.97 at 100k and 1M)
IVF_LISTS_PER_ROOT = 4
IVF_TRAIN_PER_LIST = 64  # k-means on at most 64 points per list: FAISS warns below 39, more only slows training
IVF_SEED = 1234  # k-means sampling seed, so the same vectors always build the same index
# an approximate index is asked for this many neighbours; the rest of the corpus scores `fill` (fusion only
# ranks the top 50-200 candidates, so 1,000 leaves room for the document and history filters applied after)
APPROX_DEPTH = 1000
# a search restricted to at most this many vectors (one city's documents) scores them exactly, from the
# stored vectors: the approximate top-1,000 of a national index rarely holds a given city's passages
EXACT_SUBSET_MAX = 20_000


@dataclass(frozen=True)
class IndexPlan:
    """Which FAISS index to build for `n` vectors of `dim` dimensions, and its parameters."""

    kind: str  # FLAT or IVF
    n: int
    dim: int
    nlist: int = 0  # IVF: number of inverted lists (k-means centroids)
    nprobe: int = 0  # IVF: lists scanned per query

    @property
    def approximate(self) -> bool:
        """Whether the index may miss a true neighbour (its recall is measured, not exact)."""
        return self.kind != FLAT

    def manifest(self) -> dict[str, Any]:
        """What the manifest records: kind, dimension and the parameters that apply (never `n`, given apart)."""
        return {k: v for k, v in asdict(self).items() if k != "n" and (v or k in ("kind", "dim"))}


def choose_index(n: int, dim: int, settings: Settings) -> IndexPlan:
    """Exact search up to `settings.ann_threshold` vectors, IVF beyond it."""
    if n <= settings.ann_threshold:
        return IndexPlan(FLAT, n, dim)
    nlist = max(1, round(IVF_LISTS_PER_ROOT * math.sqrt(n)))
    return IndexPlan(IVF, n, dim, nlist=nlist, nprobe=min(settings.ivf_nprobe, nlist))


def build_faiss(vectors: np.ndarray, plan: IndexPlan) -> Any:
    """A FAISS inner-product index of the (normalised, float32) vectors, as the plan says."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.shape != (plan.n, plan.dim):
        raise ValueError(f"plan is for {plan.n} x {plan.dim} vectors, got {vectors.shape}; call choose_index "
                         "with the vectors' own shape")
    if plan.kind == FLAT:
        index = faiss.IndexFlatIP(plan.dim)
    else:
        quantizer = faiss.IndexFlatIP(plan.dim)
        index = faiss.IndexIVFFlat(quantizer, plan.dim, plan.nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = IVF_SEED
        sample = _training_sample(vectors, plan.nlist * IVF_TRAIN_PER_LIST)
        log.info("training IVF with %d lists on %d of %d vectors", plan.nlist, len(sample), plan.n)
        index.train(sample)
        index.nprobe = plan.nprobe
    index.add(vectors)
    if plan.kind == IVF:
        index.make_direct_map()  # reconstruct by id: exact scores over a small allowed subset
    return index


def _training_sample(vectors: np.ndarray, size: int) -> np.ndarray:
    """At most `size` rows, drawn without replacement with a fixed seed."""
    if len(vectors) <= size:
        return vectors
    rows = np.random.default_rng(IVF_SEED).choice(len(vectors), size, replace=False)
    return vectors[np.sort(rows)]


def read_faiss(path: Path, plan: IndexPlan) -> Any:
    """A saved index; IVF memory-mapped (FAISS cannot map a flat index's vectors in a way searches keep)."""
    import faiss

    flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if plan.kind == IVF else 0
    return faiss.read_index(str(path), flags)


def plans_of(manifest: dict[str, Any]) -> dict[str, IndexPlan]:
    """The plan the manifest records for chunks and units (an index from before plans were recorded: flat)."""
    recorded = manifest.get("dense_index") or {}
    out = {}
    for role, (count_key, _) in ROLES.items():
        entry = dict(recorded.get(role) or {"kind": FLAT, "dim": manifest.get("dim", 0)})
        out[role] = IndexPlan(n=int(manifest.get(count_key, 0)), **entry)
    return out


def check_plans(manifest: dict[str, Any], settings: Settings) -> None:
    """StaleIndexError when the manifest's index kinds are not what the settings choose for its sizes."""
    for role, found in plans_of(manifest).items():
        want = choose_index(found.n, found.dim, settings)
        if found.manifest() != want.manifest():
            raise StaleIndexError(f"the {role} index is {found.manifest()} but the settings choose "
                                  f"{want.manifest()} for {found.n:,} vectors (PIAQA_ANN_THRESHOLD="
                                  f"{settings.ann_threshold}, PIAQA_IVF_NPROBE={settings.ivf_nprobe}); "
                                  "rebuild with `piaqa index --rebuild`")


def dense_scores(index: Any, query: np.ndarray, fill: float, allowed: np.ndarray | None = None) -> np.ndarray:
    """Inner product of one query with every vector: all of them for a flat index; for an approximate one the
    allowed subset exactly when small, else the APPROX_DEPTH best, the rest `fill`."""
    n = index.ntotal
    out = np.full(n, fill, dtype=np.float32)
    if not _is_approximate(index):
        scores, ids = index.search(query, n)
        out[ids[0]] = scores[0]
        return out
    if allowed is not None and len(allowed) <= EXACT_SUBSET_MAX:
        rows = np.asarray(allowed, dtype=np.int64)
        out[rows] = index.reconstruct_batch(rows) @ query[0] if len(rows) else out[rows]
        return out
    scores, ids = index.search(query, min(n, APPROX_DEPTH))
    found = ids[0] >= 0  # an IVF search that probes fewer vectors than asked pads with -1
    out[ids[0][found]] = scores[0][found]
    return out


def dense_scores_each(index: Any, query: np.ndarray, fill: float, groups: Sequence[np.ndarray]) -> np.ndarray:
    """For each group of rows (one document's), the scores `dense_scores(index, query, fill, group)` gives them,
    all in one array: a flat index searched once (it scores every vector either way); for an approximate one each
    small group scored exactly as that call does, the larger ones from one approximate search. Other rows: `fill`."""
    if not _is_approximate(index):
        return dense_scores(index, query, fill)
    out = np.full(index.ntotal, fill, dtype=np.float32)
    approximate: np.ndarray | None = None
    for rows in groups:
        if len(rows) > EXACT_SUBSET_MAX:
            approximate = dense_scores(index, query, fill) if approximate is None else approximate
            out[rows] = approximate[rows]
        elif len(rows):
            rows = np.asarray(rows, dtype=np.int64)
            out[rows] = index.reconstruct_batch(rows) @ query[0]  # per group, as the per-document call does
    return out


def _is_approximate(index: Any) -> bool:
    """Whether a loaded FAISS index is one of the approximate kinds (not IndexFlat)."""
    import faiss

    return not isinstance(index, faiss.IndexFlat)


def recall_at_k(exact: np.ndarray, approx: np.ndarray, k: int = 10) -> float:
    """Mean share of each query's exact top-k ids that the approximate top-k also holds."""
    if len(exact) == 0:
        raise ValueError("recall of no queries: pass at least one row of exact ids")
    hits = [len(set(e[:k].tolist()) & set(a[:k].tolist())) / k for e, a in zip(exact, approx)]
    return float(np.mean(hits))
