"""Progress on stderr for long work, only when stderr is a terminal: a tqdm bar of rows
for work of at least :data:`LONG_WORK` rows (writing a report), and from the start of a
command on a large file (at least :data:`LONG_FILE` bytes, about 20,000 register rows) a
line naming each step (checking and reading the file, computing) with its elapsed time,
so a run of 10^6 rows is never silent."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

LONG_WORK = 20_000  # rows
LONG_FILE = 2 * 2**20  # bytes of a register file: an .xlsx of about 20,000 rows


@contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[int], None] | None]:
    """Yield an ``advance(rows)`` callback for ``total`` rows, or None for short work."""
    if total < LONG_WORK:
        yield None
        return
    with tqdm(total=total, desc=description, unit="行", file=sys.stderr, disable=None, leave=False) as bar:
        yield bar.update


@contextmanager
def step(path: Path, description: str, file: TextIO | None = None) -> Iterator[None]:
    """Show ``description`` and the elapsed time while the block runs, when ``path`` (the
    input) is a large file; nothing for small inputs or when stderr is not a terminal."""
    try:
        large = Path(path).stat().st_size >= LONG_FILE
    except OSError:  # a missing file: the reader says so
        large = False
    if not large:
        yield
        return
    bar_format = "{desc} … {elapsed}"
    with tqdm(desc=description, bar_format=bar_format, file=file or sys.stderr, disable=None, leave=False) as bar:
        bar.refresh()
        yield
