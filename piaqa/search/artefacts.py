"""Index artefacts on disk: a sha256 per file in the manifest, verified at load; damage is named file by file."""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
# what a build writes besides the manifest: files, and folders whose every file is hashed
ARTEFACTS = ("chunks.jsonl", "units.jsonl", "dense.faiss", "units.faiss", "bm25", "units_bm25", "vectors.npy",
             "vectors.json", "documents.jsonl", "corpus.json", "fields.jsonl", "labels.json", "labels.npy", "unit_tokens.jsonl", "pdftext")
OPTIONAL = ("pdftext",)  # kept PDF extractions: only an index of a corpus with PDFs has them
# manifest format 2 adds "artefacts" (sha256 per file) and "limits"; an older manifest is loaded unverified
FORMAT = 2
_HASH_BLOCK = 1 << 20  # read in 1 MB blocks: the real index is ~8 MB, hashing it takes a few hundredths of a second


class StaleIndexError(RuntimeError):
    """The index on disk is missing, damaged, or does not match the corpus or the settings."""


class DamagedIndexError(StaleIndexError):
    """An index file is missing, unreadable, cut, or not what the build wrote; the message names it."""


def name_of(index_dir: Path, rel: str) -> str:
    """How a message names an artefact: "index/chunks.jsonl"."""
    return f"{index_dir.name}/{rel}"


def artefact_files(index_dir: Path) -> list[str]:
    """Every artefact file under `index_dir`, as sorted posix paths relative to it."""
    out: list[str] = []
    for name in ARTEFACTS:
        path = index_dir / name
        if path.is_dir():
            out.extend(p.relative_to(index_dir).as_posix() for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            out.append(name)
    return out


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


def hash_artefacts(index_dir: Path) -> dict[str, str]:
    """sha256 of every artefact file, keyed by its relative path (what the manifest records)."""
    return {rel: sha256_file(index_dir / rel) for rel in artefact_files(index_dir)}


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The manifest as a dict; DamagedIndexError naming it when missing, unreadable or cut."""
    label = name_of(index_dir, MANIFEST)
    try:
        text = (index_dir / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DamagedIndexError(f"{label}: missing") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DamagedIndexError(f"{label}: unreadable ({e})") from None
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as e:
        raise DamagedIndexError(f"{label}: not valid JSON, cut or damaged ({e.msg}: line {e.lineno} "
                                f"column {e.colno} of {len(text)} characters)") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("params"), dict):
        raise DamagedIndexError(f"{label}: not a piaqa index manifest (no \"params\" object)")
    return manifest


def verify_artefacts(index_dir: Path, manifest: dict[str, Any]) -> None:
    """Every artefact the manifest lists is there with the recorded hash; else DamagedIndexError naming each."""
    recorded = manifest.get("artefacts")
    if recorded is None:
        log.warning("%s has no artefact hashes (built by piaqa before manifest format %d): the index files are "
                    "not verified; run `piaqa index --rebuild` to add them", name_of(index_dir, MANIFEST), FORMAT)
        return
    if not isinstance(recorded, dict):
        raise DamagedIndexError(f"{name_of(index_dir, MANIFEST)}: \"artefacts\" is not a name -> hash object")
    problems = [f"{name_of(index_dir, MANIFEST)}: lists no hash for {name}" for name in ARTEFACTS
                if name not in OPTIONAL and not any(rel == name or rel.startswith(name + "/") for rel in recorded)]
    for rel, want in sorted(recorded.items()):
        path = index_dir / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            problems.append(f"{name_of(index_dir, MANIFEST)}: {rel!r} is not a file inside the index")
        elif not path.is_file():
            problems.append(f"{name_of(index_dir, rel)}: missing")
        elif (problem := _hash_problem(index_dir, rel, want)) is not None:
            problems.append(problem)
    if problems:
        raise DamagedIndexError("; ".join(problems))


def _hash_problem(index_dir: Path, rel: str, want: str) -> str | None:
    """What is wrong with one artefact's bytes (unreadable, hash mismatch), or None."""
    try:
        found = sha256_file(index_dir / rel)
    except OSError as e:
        return f"{name_of(index_dir, rel)}: unreadable ({e.strerror or e})"
    return None if found == want else f"{name_of(index_dir, rel)}: hash mismatch (changed since the build)"
