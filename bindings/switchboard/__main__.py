"""``python3 -m switchboard``: the ``switchboard`` command line (tools/cli.h), run in-process.

    python3 -m switchboard simulate FILE.toml [--format json|table] [--replications N]
                                              [--seed S] [--out DIR] [--threads N]
    python3 -m switchboard sweep FILE.toml --set KEY=VALUES ... (switchboard.sweep.main)

Same arguments, output and exit status as the executable: 0 on success, 2 when the scenario
or the command line is invalid, 1 on any other failure.
"""

from __future__ import annotations

import signal
import sys
from typing import Optional, Sequence

from ._core import cli_main


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "sweep":
        # Written in Python: run here rather than through the executable's `sweep`, which
        # starts a Python for it.
        from .sweep import main as sweep_main

        return sweep_main(args[1:])
    return cli_main(["switchboard", *args])


if __name__ == "__main__":
    # Ctrl-C stops a long simulation at once, as it does the executable (the simulation runs
    # without the GIL, where Python's KeyboardInterrupt would only arrive at the end).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
