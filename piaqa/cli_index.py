"""`piaqa index` and `piaqa add`: build, check or update the index, in this process or on a Ray cluster."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from piaqa.config import Settings

if TYPE_CHECKING:
    from piaqa.search.index import Index

log = logging.getLogger("piaqa")


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings a command's --corpus / --index (and the PIAQA_* environment) give."""
    return Settings.from_env(corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None))


# `piaqa index` exit codes (also in its --help): a script can tell "all indexed" from "indexed without some files"
INDEX_OK, INDEX_PARTIAL, INDEX_REFUSED = 0, 3, 4  # 2 (main): no usable document, bad settings


def _index_command(args: argparse.Namespace) -> str:
    """The `piaqa index` command line that rebuilds the index these arguments name."""
    import shlex

    opts = [f"--{k} {shlex.quote(str(getattr(args, k)))}" for k in ("corpus", "index") if getattr(args, k, None)]
    if getattr(args, "ray", None) is not None:
        opts.append(f"--ray {shlex.quote(args.ray)}" if args.ray else "--ray")
    return " ".join(["piaqa index", *opts])


def cmd_index(args: argparse.Namespace) -> int:
    """Build (or check) the index; problem corpus files are skipped with one warning line each.

    Exit 0 every .txt/.pdf file indexed, 3 index ready but some files skipped, 4 index unusable and
    --no-rebuild given, 2 (from main) no usable document at all.
    """
    from piaqa.parse.ingest import report, scan_corpus, usable
    from piaqa.search.index import IndexRefusedError, build_index

    settings = settings_of(args)
    if getattr(args, "ray", None) is not None:
        return _index_on_ray(args, settings)
    corpus = scan_corpus(settings.corpus_dir, settings)
    report(corpus)
    usable(corpus, settings.corpus_dir)
    try:
        index = None if args.rebuild else _current_index(args, settings)
    except IndexRefusedError as e:
        print(f"piaqa: {e}", file=sys.stderr)
        return INDEX_REFUSED
    if index is None:  # the model is loaded only when there is something to embed
        from piaqa.search.embed import Embedder
        from piaqa.search.tokenize import Tokenizer

        index = build_index(settings, Embedder(settings), Tokenizer(), progress=sys.stderr.isatty(), corpus=corpus)
    m = index.manifest
    print(f"index ok: {len(corpus.docs)} documents, {m['n_chunks']} chunks, model {m['model']} (dim {m['dim']}), "
          f"built {m['built_at']} in {m.get('build_seconds', '?')} s -> {settings.index_dir}")
    if corpus.skipped or corpus.ignored:
        print(f"{len(corpus.skipped)} file(s) skipped, {len(corpus.ignored)} ignored (reasons above): "
              + ", ".join([s.file for s in corpus.skipped] + list(corpus.ignored)))
    return INDEX_PARTIAL if corpus.skipped else INDEX_OK


def _current_index(args: argparse.Namespace, settings: Settings) -> Index | None:
    """The index when it can be used; None when it must be rebuilt; IndexRefusedError (saying how to rebuild)
    when it cannot be used and --no-rebuild was given."""
    from piaqa.search.index import IndexRefusedError, StaleIndexError, load_index

    try:
        return load_index(settings)
    except StaleIndexError as e:
        if args.no_rebuild:
            raise IndexRefusedError(f"index at {settings.index_dir} cannot be used: {e}. Not rebuilt "
                                    f"(--no-rebuild); run `{_index_command(args)}` to rebuild it") from None
        log.warning("index at %s cannot be used (%s): rebuilding", settings.index_dir, e)
        return None


def _index_on_ray(args: argparse.Namespace, settings: Settings) -> int:
    """`piaqa index --ray [ADDRESS]`: as `cmd_index`, with parsing and embedding on a Ray cluster. The corpus
    is parsed only when the index must be rebuilt; the summary comes from the manifest."""
    from piaqa.search.distributed import RayUnavailableError, build_on_ray, require_ray
    from piaqa.search.index import IndexRefusedError

    try:
        require_ray()
        index = None if args.rebuild else _current_index(args, settings)
        if index is None:  # the build logs the skipped files as it meets them
            index = build_on_ray(settings, address=args.ray or None, progress=sys.stderr.isatty())
        else:
            log.info("index is up to date: nothing to run on Ray")
            for name, problem in (index.manifest.get("skipped") or {}).items():
                log.warning("%s: %s — skipped", name, problem)
    except RayUnavailableError as e:
        print(f"piaqa: {e}", file=sys.stderr)
        return 2
    except IndexRefusedError as e:
        print(f"piaqa: {e}", file=sys.stderr)
        return INDEX_REFUSED
    m = index.manifest
    skipped, ignored = m.get("skipped") or {}, m.get("ignored") or []
    print(f"index ok: {len(m['documents'])} documents, {m['n_chunks']} chunks, model {m['model']} "
          f"(dim {m['dim']}), built {m['built_at']} in {m.get('build_seconds', '?')} s -> {settings.index_dir}")
    if skipped or ignored:
        print(f"{len(skipped)} file(s) skipped, {len(ignored)} ignored: " + ", ".join([*skipped, *ignored]))
    return INDEX_PARTIAL if skipped else INDEX_OK


def cmd_add(args: argparse.Namespace) -> int:
    """Copy assessment files into the corpus folder, then update the index (only new text is embedded)."""
    import filecmp
    import shutil

    from piaqa.parse.ingest import SUFFIXES

    settings = settings_of(args)
    sources = [Path(f).expanduser() for f in args.files]
    problems = [f"{f}: no such file" for f in sources if not f.is_file()]
    problems += [f"{f}: not a {'/'.join(SUFFIXES)} file (add the published PDF, or save its text as .txt)"
                 for f in sources if f.is_file() and f.suffix.lower() not in SUFFIXES]
    problems += [f"{f}: {settings.corpus_dir / f.name} already exists with other content (rename the file, or "
                 "replace the corpus copy by hand)" for f in sources
                 if f.is_file() and (settings.corpus_dir / f.name).is_file()
                 and not filecmp.cmp(f, settings.corpus_dir / f.name, shallow=False)]
    if problems:
        print("piaqa add: nothing added:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    for f in sources:
        if (settings.corpus_dir / f.name).is_file():
            print(f"{f.name}: already in {settings.corpus_dir}")
            continue
        shutil.copy2(f, settings.corpus_dir / f.name)
        print(f"{f.name}: added to {settings.corpus_dir}")
    args.rebuild = args.no_rebuild = False
    return cmd_index(args)
