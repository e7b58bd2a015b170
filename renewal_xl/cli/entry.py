"""The ``renewal-xl`` program's entry point: the command line of :mod:`renewal_xl.cli.main`,
imported only once a Ctrl-C can be caught, so an interrupt while pandas and the other modules
load (the first second of a run) also ends in one line and exit 130, not a traceback.

The program computes on one thread (its CPU is what a server pays), so the thread pools of
its libraries get one thread each unless the environment already says otherwise: OpenBLAS
(numpy) and rayon (jetxl) start a worker per core that spins while it waits for work, about
0.1 s of CPU at numpy's import and 0.2–0.3 s in jetxl's write of the priced register, where
jetxl is asked for one thread anyway (bench/README.md, "Idle thread pools")."""

from __future__ import annotations

import os
import sys

INTERRUPT_EXIT = 130  # 128 + SIGINT, as shells report it
INTERRUPTED = "已中断 (Ctrl-C), 未生成输出"
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS")  # read by the libraries when their pools start


def one_thread_pools() -> None:
    """Give the pools of :data:`ONE_THREAD` one thread each, unless the environment sets them
    (before numpy or jetxl load: their pools read it when they start)."""
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")


def run() -> None:
    """Import and run the command line; KeyboardInterrupt at any moment → one line, exit 130."""
    one_thread_pools()
    try:
        from renewal_xl.cli.main import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.exit(INTERRUPT_EXIT)
