"""The safety pre-flight's readings as they were before issue 12's cheaper scan, kept as
oracles for the tests: :func:`extent` is ``renewal_xl.io.safety.extent`` at main b7bafef
(byte k of every position at once, 12 gathers, every spelling decoded), :func:`unplaced`
the regex check that ran on every chunk (``_FIRST_NOT_R_*`` then ``_UNPLACED_*``)."""

from __future__ import annotations

import re

import numpy as np

_UNPLACED_CELL = re.compile(rb'<c(?=[\s>/])(?![^>]*\sr=")[^>]*>')
_UNPLACED_ROW = re.compile(rb'<row(?=[\s>/])(?![^>]*\sr=")[^>]*>')
_FIRST_NOT_R_CELL = re.compile(rb'<c(?! r=")[\s>/]')
_FIRST_NOT_R_ROW = re.compile(rb'<row(?! r=")[\s>/]')
_WINDOW = 12
_TOO_LARGE = 10**9
_BLANK = np.zeros(256, dtype=bool)
_BLANK[list(b" \t\n\r\x0b\x0c")] = True


def unplaced(text: bytes) -> bool:
    return bool(
        _FIRST_NOT_R_CELL.search(text)
        and _UNPLACED_CELL.search(text)
        or _FIRST_NOT_R_ROW.search(text)
        and _UNPLACED_ROW.search(text)
    )


def extent(text: bytes) -> tuple[int, int]:
    n = len(text)
    if n < 4:
        return 0, 0
    data = np.frombuffer(text + bytes(_WINDOW), dtype=np.uint8)
    at = np.flatnonzero((data[1 : n - 2] == 0x72) & (data[2 : n - 1] == 0x3D) & (data[3:n] == 0x22)) + 1  # r="
    at = at[_BLANK[data[at - 1]]]
    if not at.size:
        return 0, 0
    start = at + 3
    in_letters = np.ones(len(at), dtype=bool)
    in_spelling = np.ones(len(at), dtype=bool)
    letters = np.zeros(len(at), dtype=np.int64)
    end = np.zeros(len(at), dtype=np.int64)
    for k in range(_WINDOW):
        byte = data[start + k]
        letter = (byte >= 0x41) & (byte <= 0x5A)
        in_letters &= letter
        in_spelling &= letter | ((byte >= 0x30) & (byte <= 0x39))
        letters += in_letters
        end += in_spelling
    count = end - letters
    unseen = end >= _WINDOW
    closed = data[start + np.minimum(end, _WINDOW - 1)] == 0x22
    columns = np.zeros(len(at), dtype=np.int64)
    for k in range(4):
        columns = np.where(k < letters, columns * 26 + data[start + k] - 64, columns)
    columns[(letters > 4) | unseen] = _TOO_LARGE
    column = int(columns[((count > 0) | unseen) & (letters > 0)].max(initial=0))
    counted = (count > 0) & (closed | unseen)
    if not counted.any():
        return column, 0
    longest = count[counted].max()
    chosen = counted & (count == longest)
    rows = np.zeros(int(chosen.sum()), dtype=np.int64)
    first, begin = letters[chosen], start[chosen]
    for k in range(min(int(longest), _WINDOW)):
        rows = rows * 10 + data[begin + np.minimum(first + k, _WINDOW - 1)] - 0x30
    row = _TOO_LARGE if unseen[chosen].any() else int(rows.max())
    return column, row
