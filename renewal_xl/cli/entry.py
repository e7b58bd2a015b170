"""The ``renewal-xl`` program's entry point: the command line of :mod:`renewal_xl.cli.main`,
imported only once a Ctrl-C can be caught, so an interrupt while pandas and the other modules
load (the first second of a run) also ends in one line and exit 130, not a traceback."""

from __future__ import annotations

import sys

INTERRUPT_EXIT = 130  # 128 + SIGINT, as shells report it
INTERRUPTED = "已中断 (Ctrl-C), 未生成输出"


def run() -> None:
    """Import and run the command line; KeyboardInterrupt at any moment → one line, exit 130."""
    try:
        from renewal_xl.cli.main import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.exit(INTERRUPT_EXIT)
