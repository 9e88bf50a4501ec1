"""Start piaqa: the web UI when available, otherwise the interactive question prompt."""
from __future__ import annotations

import os
import sys

# no telemetry, whatever the environment says: set before anything can import gradio
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python app.py` / `make run`."""
    try:
        from piaqa.ui.app import main as ui_main
    except ImportError:
        from piaqa.cli import main as cli_main

        return cli_main(["ask", *(argv if argv is not None else sys.argv[1:])])
    return ui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
