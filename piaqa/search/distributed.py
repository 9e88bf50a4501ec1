"""`piaqa index --ray`: parse the corpus files and embed the passages on a Ray cluster (Ray Data), then write
the same index as the single-process build.

Ray runs the two stages that grow with the corpus and need no view of the whole: every file is read and
parsed by its own task (`ingest.parse_file`), and the passages no kept vector covers are embedded by a pool
of actors, each loading the model once. The driver does what needs the corpus in order — duplicates, chunk
and unit ids, Sudachi BM25, FAISS, the manifest — through `build_index` itself, so both builds share one code
path and write the same artefacts. Every node needs piaqa and its dependencies installed and the corpus,
index and models folders at the same paths (a shared filesystem). Ray is imported only here, and only when
asked for: the core runs without it.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import pickle
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from piaqa.config import Settings
from piaqa.parse.ingest import CorpusLoad, ParsedFile, assemble, corpus_paths, parse_file, report, usable
from piaqa.search.embed import Embedder
from piaqa.search.index import Index, build_index
from piaqa.search.tokenize import Tokenizer

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install -c constraints.txt ".[ray]" (in a checkout, `make setup` installs requirements-ray.txt)'
# texts per Ray Data batch sent to an embedding actor: ~3 s of work at ~12 passages/s per core, so the
# per-batch overhead (a few ms) is lost in it, while the real corpus' ~2,400 distinct texts still make ~75
# batches to spread over the workers
EMBED_ROWS = 32
PROGRESS_STEPS = 10  # progress lines per embedding job (every 10%)
# what every Ray worker runs with: no model hub here (a hub id retries for over a minute before failing),
# and one tokenizers thread per worker (the cores belong to Ray's scheduling)
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
# A local cluster started here listens on loopback only and reports nothing home. Ray reads these when it is
# imported; "0" on the first makes it take 127.0.0.1 as the node's address, so the GCS, raylet and workers
# bind to it instead of every interface (checked with `ss -ltn` on ray 2.60.0).
LOCAL_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}


class RayUnavailableError(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached."""


def require_ray() -> None:
    """Fail early, before any work, when Ray is not installed (without importing it: that is slow)."""
    if importlib.util.find_spec("ray") is None:
        raise RayUnavailableError(f"`--ray` needs Ray Data, which is not installed; install the extra: "
                                  f"{INSTALL_HINT}, or build without --ray")


def _ray(local: bool = False) -> Any:
    """The `ray` module with Ray Data (imported here, never at piaqa's import); `local`: for a cluster that
    this process starts on this machine (LOCAL_ENV, when ray is not imported yet)."""
    if local and "ray" not in sys.modules:
        for key, value in LOCAL_ENV.items():
            os.environ.setdefault(key, value)
    elif local and os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER") != "0":
        log.warning("ray was imported before piaqa could keep a local cluster on 127.0.0.1: it may listen on every "
                    "interface (set RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 before importing ray to prevent that)")
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data is a separate extra of ray
    except ImportError as e:
        raise RayUnavailableError(f"`--ray` needs Ray Data, which is not installed ({e}); install the extra: "
                                  f"{INSTALL_HINT}, or build without --ray") from None
    return ray


@dataclass(frozen=True)
class Cluster:
    """The Ray cluster a build runs on: its address and how many workers it gets (one per CPU)."""

    address: str
    workers: int


@contextmanager
def ray_cluster(address: str | None = None, progress: bool = False, num_cpus: int | None = None) -> Iterator[Cluster]:
    """Connect to `address` (`auto`, `ray://host:10001`, `host:6379`); None: RAY_ADDRESS, else start a local
    Ray on this machine (`num_cpus`: default every core, loopback only) and shut it down afterwards. A Ray
    already initialised in this process (a notebook, a test) is used as it is and left running."""
    local = address is None and not os.environ.get("RAY_ADDRESS")
    ray = _ray(local)
    started = not ray.is_initialized()
    if started:
        options: dict[str, Any] = {"num_cpus": num_cpus} if local else {}
        try:
            ray.init(address=address, include_dashboard=False, runtime_env={"env_vars": WORKER_ENV},
                     logging_level=logging.WARNING, **options)
        except (ConnectionError, RuntimeError, ValueError) as e:
            where = address or os.environ.get("RAY_ADDRESS") or "this machine"
            raise RayUnavailableError(f"cannot start or reach a Ray cluster at {where}: {e}. Start one with "
                                      "`ray start --head`, pass its address (or `auto`), or leave ADDRESS out to "
                                      "run a local one") from None
    try:
        ray.data.DataContext.get_current().enable_progress_bars = progress
        cpus = int(ray.cluster_resources().get("CPU", 1))
        cluster = Cluster(ray.get_runtime_context().gcs_address, max(1, cpus))
        log.info("%s Ray cluster at %s: %d workers", "started" if started else "using the", cluster.address,
                 cluster.workers)
        yield cluster
    finally:
        if started:
            ray.shutdown()


def _parse_row(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Ray task: one corpus file parsed; the record travels pickled (Ray Data rows hold plain columns)."""
    from pathlib import Path

    parsed = parse_file(Path(row["path"]), settings)
    return {"name": parsed.name, "parsed": pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)}


def ray_scan(settings: Settings, cluster: Cluster) -> CorpusLoad:
    """`scan_corpus` with every file parsed by a Ray task; duplicates are decided on the driver, in corpus order."""
    ray = _ray()
    t0 = time.perf_counter()
    paths, ignored = corpus_paths(settings.corpus_dir)
    if not paths:
        return assemble([], ignored)
    rows = (ray.data.from_items([{"path": str(p)} for p in paths], override_num_blocks=len(paths))
            .map(_parse_row, fn_kwargs={"settings": _shippable(settings)}, concurrency=cluster.workers)
            .take_all())
    by_name: dict[str, ParsedFile] = {r["name"]: pickle.loads(r["parsed"]) for r in rows}
    log.info("parsed %d corpus files on Ray in %.1f s", len(paths), time.perf_counter() - t0)
    return assemble([by_name[p.name] for p in paths], ignored)


def _shippable(settings: Settings) -> Settings:
    """The settings sent to the workers, without the UI logins (they have no business in the object store)."""
    return replace(settings, auth="", auth_file="")


class EmbedWorker:
    """Ray Data actor: loads the embedding model once, then embeds batches of passages on one core."""

    def __init__(self, settings: Settings) -> None:
        self.embedder = Embedder(settings, threads=1)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"row": batch["row"], "vector": self.embedder.passages([str(t) for t in batch["text"]])}


class RayEmbedder:
    """Stands in for `Embedder` in `build_index`: passage vectors computed on the cluster's actors.

    `name`, `dim` and `vectors_key` come from the model loaded on the driver (which also builds it, once,
    before the workers need it); a passage's vector depends on its text only, so they are the same vectors.
    """

    def __init__(self, local: Embedder, settings: Settings, cluster: Cluster) -> None:
        self.name, self.dim, self.vectors_key = local.name, local.dim, local.vectors_key
        self._local = local
        self._settings = _shippable(settings)
        self._cluster = cluster

    def queries(self, texts: list[str]) -> np.ndarray:
        """Query embeddings (the form's labels, a few hundred): on the driver's model, as a local build does."""
        return self._local.queries(texts)

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embeddings of indexed passages, one row per text in the given order."""
        ray = _ray()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        t0 = time.perf_counter()
        workers = min(self._cluster.workers, -(-len(texts) // EMBED_ROWS))
        log.info("embedding %d passages on %d Ray workers", len(texts), workers)
        ds = (ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)],
                                  override_num_blocks=-(-len(texts) // EMBED_ROWS))
              .map_batches(EmbedWorker, fn_constructor_kwargs={"settings": self._settings}, batch_size=EMBED_ROWS,
                           batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1))
        done, step = 0, max(1, len(texts) // PROGRESS_STEPS)
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            out[batch["row"]] = batch["vector"]
            before, done = done, done + len(batch["row"])
            if done // step > before // step or done == len(texts):
                log.info("embedded %d of %d passages (%.0f s)", done, len(texts), time.perf_counter() - t0)
        if done != len(texts):
            raise RuntimeError(f"Ray returned {done} vectors for {len(texts)} passages; run the build again")
        return out


def build_on_ray(settings: Settings, address: str | None = None, progress: bool = False,
                 num_cpus: int | None = None) -> Index:
    """The index for `settings`, parsed and embedded on Ray at `address` (see `ray_cluster`); as `build_index`."""
    t0 = time.perf_counter()
    with ray_cluster(address, progress, num_cpus) as cluster:
        corpus = ray_scan(settings, cluster)
        report(corpus)
        usable(corpus, settings.corpus_dir)
        embedder = RayEmbedder(Embedder(settings), settings, cluster)
        index = build_index(settings, embedder, Tokenizer(), progress=progress, corpus=corpus)
    log.info("Ray build done in %.1f s", time.perf_counter() - t0)
    return index
