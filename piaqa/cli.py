"""Command line: `piaqa index | ask | batch | fields | feedback` — a thin shell over Assistant."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from piaqa.cli_index import cmd_add, cmd_index, settings_of
from piaqa.config import Settings, SettingsError
from piaqa.feedback import FeedbackError
from piaqa.records import Answer
from piaqa.safetext import clean_question

log = logging.getLogger("piaqa")


def _assistant(args: argparse.Namespace, rebuild: bool = False):  # type: ignore[no-untyped-def]
    from piaqa.qa import Assistant

    return Assistant(settings_of(args), rebuild=rebuild, progress=sys.stderr.isatty())


def format_answer(ans: Answer, passages: bool = True) -> str:
    """Human-readable answer with numbered citations."""
    out = [ans.text]
    if not ans.answerable:
        out[0] = "（回答不可）" + ans.text
    for r in ans.rows:
        mark = "○" if r.satisfied else "×"
        ref = f" [{r.citation + 1}]" if r.citation is not None else ""
        out.append(f"  {mark} {r.city} {r.jimu}: {r.value}{ref}")
    for i, c in enumerate(ans.citations, 1):
        out.append(f"[{i}] {c.city} {c.jimu} | {c.path} | {c.doc} {c.where}")
        if passages:
            out.extend("      " + line[:160] for line in c.text.splitlines()[:8])
    return "\n".join(out)


def cmd_ask(args: argparse.Namespace) -> int:
    """One question, or an interactive prompt when none is given.

    An unexpected failure prints a short message (the traceback goes to the log on stderr):
    exit code 1 for a single question; the interactive prompt carries on.
    """
    from piaqa.safeask import safe_ask

    asst = _assistant(args)
    if args.question:
        ans = safe_ask(lambda q: asst.ask(q, k=args.k), " ".join(args.question))
        print(json.dumps(ans.to_json(), ensure_ascii=False, indent=1) if args.json else format_answer(ans))
        return 1 if ans.kind == "error" else 0
    turns: list[tuple[str, Answer]] = []
    print("piaqa: ask about the assessments (empty line or Ctrl-D to quit).")
    while True:
        try:
            q = clean_question(input("? "))
        except (EOFError, KeyboardInterrupt):
            print()
            break
        if not q:
            break
        ans = safe_ask(lambda text: asst.ask(text, k=args.k, history=turns), q)
        if ans.kind != "error":  # a failed turn is not something to follow up on
            turns.append((q, ans))
        print(format_answer(ans, passages=False))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Answer a question file; write the answers file (shared/eval format).

    A question that fails gets an error row and the run goes on; the failing ids are listed at the end.
    Exit code 0 when the answers file was written (even with error rows), 1 when every question failed,
    130 when interrupted (the records so far stay in `<out>.partial`; `--resume` continues).
    """
    from tqdm import tqdm

    from piaqa.batchrun import partial_path, run_batch
    from piaqa.questions import read_questions

    questions = read_questions(Path(args.questions))
    out = Path(args.out)
    asst = _assistant(args)
    bar = tqdm(total=len(questions), desc="answering", unit="q", disable=not sys.stderr.isatty())

    def progress(done: int, todo: int) -> None:
        bar.total = todo  # fewer than all when resuming
        bar.update(1)

    try:
        res = run_batch(lambda q: asst.ask(q, k=args.k), questions, out, resume=args.resume, on_progress=progress)
    except KeyboardInterrupt:
        print(f"\npiaqa: interrupted; answers so far are in {partial_path(out)} "
              "(run again with --resume to continue)", file=sys.stderr)
        return 130
    finally:
        bar.close()
    log.info("wrote %d answers to %s (%d asked now, %d not answerable)", res.written, res.path, res.asked,
             res.abstained)
    if res.failed:
        shown = ", ".join(res.failed[:50]) + (", …" if len(res.failed) > 50 else "")
        print(f"piaqa: {len(res.failed)} of {res.written} questions failed (error rows written, "
              f"tracebacks logged): {shown}", file=sys.stderr)
    return 1 if len(res.failed) == res.written else 0


def cmd_fields(args: argparse.Namespace) -> int:
    """List extracted fields as a table, JSONL or CSV (no model or index needed)."""
    import csv

    from piaqa.parse.ingest import load_corpus
    from piaqa.parse.fields import extract_corpus_fields
    from piaqa.parse.labels import norm_label
    from piaqa.search.tokenize import Tokenizer
    from piaqa.understand.query import Understander

    settings = settings_of(args)
    docs = load_corpus(settings.corpus_dir)
    keep = {d.meta.doc for d in docs}
    if args.city:
        wanted = Understander([d.meta for d in docs], Tokenizer()).cities_in(args.city)
        keep = {d.meta.doc for d in docs if d.meta.city in wanted}
    if not keep:
        print(f"piaqa: no document of city {args.city!r}", file=sys.stderr)
        return 2
    # all documents go in: PDF-text fields are recovered with labels known from the others
    rows = [f for f in extract_corpus_fields(docs) if f.doc in keep
            and (not args.label or norm_label(args.label) in f.label)
            and (args.history or not f.history)]
    cols = ["doc", "city", "section", "file", "item", "label", "value", "options", "line_start", "line_end",
            "history", "changed_on", "old_value", "uncertain"]

    def record(f):  # type: ignore[no-untyped-def]
        return {"doc": f.doc, "city": f.city, "section": " > ".join(f.path), "file": f.file_name or "",
                "item": f.item or "", "label": f.label, "value": f.value, "options": " / ".join(f.options),
                "line_start": f.line_start, "line_end": f.line_end, "history": f.history,
                "changed_on": f.changed_on or "", "old_value": f.old_value or "", "uncertain": f.uncertain}

    if args.json:
        for f in rows:
            print(json.dumps(record(f), ensure_ascii=False))
    elif args.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=cols)
        w.writeheader()
        w.writerows(record(f) for f in rows)
    else:
        for f in rows:
            where = " ".join(filter(None, [f.file_name, f.item]))
            old = f" (変更前: {f.old_value}, {f.changed_on})" if f.history else ""
            flag = " ?" if f.uncertain else ""
            print(f"{f.city}\tL{f.line_start}\t{where}\t{f.label}\t{f.value[:80]}{old}{flag}")
    log.info("%d fields", len(rows))
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    """`piaqa feedback export --csv [FILE]`: the stored ratings for review, to FILE (UTF-8 with a BOM, for
    spreadsheets) or to standard output."""
    from piaqa.feedback import FeedbackStore, write_csv

    store = FeedbackStore.in_folder(Settings.from_env(data_dir=args.data_dir).data_dir)
    records = store.all()
    if args.csv == "-":
        n = write_csv(records, sys.stdout)
    else:
        try:
            with open(args.csv, "w", encoding="utf-8-sig", newline="") as out:
                n = write_csv(records, out)
        except OSError as e:
            print(f"piaqa: cannot write {args.csv}: {e.strerror or e}; choose another file", file=sys.stderr)
            return 2
    if not store.path.exists():
        log.info("no feedback yet: %s does not exist (ratings are stored there when users rate answers)", store.path)
    log.info("%d ratings from %s written to %s", n, store.path, "standard output" if args.csv == "-" else args.csv)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by tests)."""
    p = argparse.ArgumentParser(prog="piaqa", description="Question answering over 特定個人情報保護評価書.")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--corpus", help="corpus folder (default: corpus/, or PIAQA_CORPUS_DIR)")
        sp.add_argument("--index", help="index folder (default: index/, or PIAQA_INDEX_DIR)")

    sp = sub.add_parser(
        "index", help="build the index (only when missing or stale unless --rebuild)",
        description="Build the index, or check it and rebuild it when it is missing, stale or damaged. A corpus "
                    "file that cannot be used (empty, binary, unknown encoding, not an assessment, a duplicate, "
                    "over PIAQA_MAX_FILE_BYTES / PIAQA_MAX_CHUNKS_PER_FILE) is skipped with one line saying why. "
                    "A rebuild embeds only text the previous index does not hold.",
        epilog="exit codes: 0 index ready, every .txt/.pdf file indexed; 3 index ready, some files skipped; "
               "4 index missing, stale or damaged and --no-rebuild given; 2 no usable document or bad settings")
    common(sp)
    mode = sp.add_mutually_exclusive_group()
    mode.add_argument("--rebuild", action="store_true", help="rebuild even if the index is up to date")
    mode.add_argument("--no-rebuild", action="store_true",
                      help="only check the index; if it cannot be used, say why and exit 4 instead of rebuilding")
    sp.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                    help="parse and embed on a Ray cluster (needs the extra: pip install \".[ray]\"): ADDRESS is "
                         "`auto` (a cluster started on this machine with `ray start`), host:port or ray://host:port; "
                         "without it RAY_ADDRESS, else a local Ray on this machine's cores. Writes the same index")
    sp.set_defaults(func=cmd_index)
    sp = sub.add_parser(
        "add", help="add assessment files to the corpus and update the index",
        description="Copy assessments (published .pdf, or their text as .txt) into the corpus folder, then update "
                    "the index: text the index already holds is not embedded again, so adding one assessment takes "
                    "seconds, not a full build. Nothing is copied when any file is missing, not .txt/.pdf, or would "
                    "overwrite a different file.",
        epilog="exit codes: as `piaqa index`; 2 also when nothing was added")
    common(sp)
    sp.add_argument("files", nargs="+", help="assessment .pdf or .txt files")
    sp.set_defaults(func=cmd_add)
    sp = sub.add_parser("ask", help="ask one question (no question: interactive prompt)")
    common(sp)
    sp.add_argument("question", nargs="*", help="the question")
    sp.add_argument("--k", type=int, default=None, help="number of citations (default 5)")
    sp.add_argument("--json", action="store_true", help="print the answer record as JSON")
    sp.set_defaults(func=cmd_ask)
    sp = sub.add_parser(
        "batch", help="answer a question file (JSONL / CSV with 'question' / TXT)",
        description="Answer a question file. Records are appended to OUT.partial as they come and OUT is written "
                    "when all are done. A question that fails gets a row with \"error\" (answerable false) and "
                    "the run goes on; the failing ids are listed at the end.",
        epilog="exit codes: 0 answers written (error rows included), 1 every question failed, "
               "2 unreadable question file or bad settings, 130 interrupted (continue with --resume)")
    common(sp)
    sp.add_argument("questions", help="question file")
    sp.add_argument("--out", required=True, help="answers file to write (JSONL)")
    sp.add_argument("--k", type=int, default=None, help="citations per answer (default 5)")
    sp.add_argument("--resume", action="store_true",
                    help="continue an interrupted run: keep the answers in OUT.partial (or OUT), ask the rest")
    sp.set_defaults(func=cmd_batch)
    sp = sub.add_parser("fields", help="list the extracted form fields (for checking extraction)")
    common(sp)
    sp.add_argument("--city", help="only this city (倉敷市, 倉敷, Kurashiki)")
    sp.add_argument("--label", help="only labels containing this (e.g. 委託先名)")
    sp.add_argument("--history", action="store_true", help="include 変更箇所 (change log) rows")
    fmt = sp.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON lines")
    fmt.add_argument("--csv", action="store_true", help="CSV with a header")
    sp.set_defaults(func=cmd_fields)
    sp = sub.add_parser("feedback", help="ratings users gave answers in the web UI (👍/👎 and comments)")
    fsub = sp.add_subparsers(dest="action", required=True)
    ex = fsub.add_parser("export", help="write the ratings out for review",
                         description="Write every stored rating (time, 👍/👎, comment, question, answer, citations "
                                     "with line ranges, index manifest id) as CSV.")
    ex.add_argument("--csv", nargs="?", const="-", metavar="FILE", required=True,
                    help="CSV to FILE (UTF-8 with BOM), or to standard output when FILE is left out or -")
    ex.add_argument("--data-dir", help="data folder holding feedback.sqlite3 (default: data/, or PIAQA_DATA_DIR)")
    ex.set_defaults(func=cmd_feedback)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `piaqa` console script."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for noisy in ("sentence_transformers", "httpx", "bm25s", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if getattr(args, "k", None) is not None and args.k < 1:
        print("piaqa: --k must be at least 1", file=sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except (SettingsError, FileNotFoundError, ValueError, FeedbackError) as e:
        print(f"piaqa: {e}", file=sys.stderr)
        return 2
