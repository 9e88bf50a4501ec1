"""Score multi-turn conversations: each turn asked with the earlier turns as history, scored per turn.

    .venv/bin/python bench/conversations.py bench/fresh_conversations.jsonl [--out DIR]

Writes DIR/turns.jsonl (every turn as a question, in the eval format) and DIR/answers.jsonl, then
prints score.py's summary for the turns. A turn that raises is recorded as an error and counted wrong.
"""
from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from piaqa.qa import Assistant

SCORE = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "score.py"
log = logging.getLogger("conversations")


def run(assistant: Assistant, conversations: list[dict], out: Path) -> int:
    """Ask every turn with its history; write turns and answers; the number of turns that raised."""
    errors = 0
    with open(out / "turns.jsonl", "w", encoding="utf-8") as tq, open(out / "answers.jsonl", "w", encoding="utf-8") as ta:
        for conv in conversations:
            history: list = []
            for turn in conv["turns"]:
                tq.write(json.dumps(turn, ensure_ascii=False) + "\n")
                try:
                    ans = assistant.ask(turn["question"], history=history)
                except Exception as e:  # a turn that raises is a failure to report, not a reason to stop
                    log.exception("turn %s raised", turn["id"])
                    errors += 1
                    ta.write(json.dumps({"id": turn["id"], "answer": "", "answerable": False, "citations": [],
                                         "error": f"{type(e).__name__}: {e}"}, ensure_ascii=False) + "\n")
                    continue
                history.append((turn["question"], ans))
                ta.write(json.dumps(ans.to_json(turn["id"]), ensure_ascii=False) + "\n")
    return errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("conversations", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    out = args.out or Path(tempfile.mkdtemp(prefix="piaqa-conv-"))
    out.mkdir(parents=True, exist_ok=True)
    convs = [json.loads(x) for x in args.conversations.read_text(encoding="utf-8").splitlines() if x.strip()]
    errors = run(Assistant(progress=False), convs, out)
    res = subprocess.run([sys.executable, str(SCORE), str(out / "turns.jsonl"), str(out / "answers.jsonl")],
                         capture_output=True, text=True, check=True)
    print(res.stdout.rstrip())
    print(f"turns that raised: {errors}; files in {out}")


if __name__ == "__main__":
    main()
