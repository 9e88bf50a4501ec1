"""`python -m piaqa` runs the CLI."""
import sys

from piaqa.cli import main

if __name__ == "__main__":
    sys.exit(main())
