"""Progress bars of the command line: tqdm on stderr, only for long work (at least
:data:`LONG_WORK` rows) and only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

LONG_WORK = 20_000  # rows


@contextmanager
def progress(total: int, description: str) -> Iterator[Callable[[int], None] | None]:
    """Yield an ``advance(rows)`` callback for ``total`` rows, or None for short work."""
    if total < LONG_WORK:
        yield None
        return
    with tqdm(total=total, desc=description, unit="行", file=sys.stderr, disable=None, leave=False) as bar:
        yield bar.update
