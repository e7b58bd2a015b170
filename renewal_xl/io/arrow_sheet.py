"""A worksheet read by fastexcel (calamine → Arrow) into the same cell values as
python-calamine gives, without building one Python row list per sheet row.

fastexcel parses the sheet with the same calamine parser and hands over typed Arrow
columns (about 0.55× the time of python-calamine's Python rows on register-shaped sheets,
bench/README.md). It is used only where its columns are exactly what the row reader of
:mod:`renewal_xl.io.register` would give, and :func:`read_columns` returns None otherwise
so that reader runs instead:

- the sheet's used range starts at A1 (its ``<dimension>``), so columns and rows number
  as the sheet does;
- every column holds one kind of cell (strict typing over all rows: a number column with
  one text cell, or title rows above the headers, fall back);
- the headers are on row 1 (the row with the most known headers), text, distinct and not
  blank.

Values as python-calamine gives them: text ``str``, numbers ``float``, ``bool``, a date at
midnight ``datetime.date``, else ``datetime.datetime``; ``''`` for an empty cell.

With ``arrow`` the kept columns stay columns rather than one Python object per cell, where
their values are the same ones: a text column is a pandas Arrow string column with ``''``
for its empty cells, a number column without empty cells a float64 column; other columns
(dates, yes/no cells, numbers with empty cells) are object columns as above. Every
reader of :mod:`renewal_xl.readers` gives such a column the same values and messages as
its object column (``tests/test_arrow_readers.py``).
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from renewal_xl.io.safety import UnsafeFileError, check_file
from renewal_xl.io.sheet_copy import Header, NotSliced, Slices, droppable, header_row, slices

NARROW_SHARE = 0.25  # read a narrowed copy when at least this share of the header columns is dropped
SLICE_BYTES = 2**27  # sheet XML read by fastexcel at a time (bench/README.md: slices of a large register)
_DAMAGED = (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError)  # a damaged or odd part
DIMENSION_BYTES = 4096  # the <dimension> element comes first in a worksheet's XML
DAY_MS = 86_400_000
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)')
# fastexcel logs a warning per empty column ("falling back to string"): not for our users' stderr
logging.getLogger("fastexcel").setLevel(logging.ERROR)
_ODD_HEADER = re.compile(r"__UNNAMED__\d+|.*_\d+|[\d\s:.+\-/eE]*")  # blank, renamed or a number/date


def starts_at_a1(path: Path, part: str | None) -> bool:
    """Whether the worksheet part's declared used range starts at cell A1."""
    if part is None:
        return False
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as f:
            head = f.read(DIMENSION_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    found = _DIMENSION.search(head)
    return found is not None and found.group(1) == b"A" and found.group(2) == b"1"


@dataclass(frozen=True)
class SheetColumns:
    """A sheet read by :func:`read_columns`: the header texts of row 1 of *every* column
    (``names``), the positions of the kept columns (0 = column A), their cells below row 1
    (``columns``) and their first data rows as cell values (``head``, for the header-row
    search)."""

    names: list[str]
    positions: list[int]
    columns: list[Any]
    head: list[list]

    @property
    def kept_names(self) -> list[str]:
        return [self.names[k] for k in self.positions]


def read_columns(
    path: Path,
    sheet: str,
    wanted: Callable[[str], bool] | None = None,
    *,
    arrow: bool = False,
    head_rows: int = 0,
) -> SheetColumns | None:
    """The sheet's kept columns (those whose header is ``wanted``, when given; the others
    are not converted at all): object arrays of the values above, or with ``arrow`` pandas
    columns (module docstring); the first ``head_rows`` data rows of the kept columns.
    None when fastexcel is absent or the sheet is not one it reads exactly as the row
    reader does (module docstring)."""
    loaded = _load(path, sheet, wanted)
    if loaded is None:
        return None
    names, batches = loaded[0], [loaded[1]]
    del loaded  # the batch's columns are let go one at a time while they are converted
    return _columns(names, batches, (), arrow=arrow, head_rows=head_rows)


def _load(path: Path, sheet: str, wanted: Callable[[str], bool] | None) -> tuple[list[str], Any] | None:
    """fastexcel's strict read of the sheet (every row typed): the header texts of every
    column and the Arrow record batch of the kept ones; None when fastexcel is absent or
    refuses (mixed kinds in a kept column, or anything else: the row reader decides)."""
    try:
        import fastexcel
    except ImportError:
        return None
    names: list[str] = []

    def use(column: Any) -> bool:  # fastexcel asks once per column, in order
        names.append(column.name)
        return wanted is None or wanted(column.name)

    try:
        batch = fastexcel.read_excel(str(path)).load_sheet(
            sheet, header_row=0, dtype_coercion="strict", schema_sample_rows=None, eager=True, use_columns=use
        )
    except Exception:
        return None
    return names, batch


def _columns(
    names: list[str], batches: list[Any], beyond: tuple[str, ...], *, arrow: bool, head_rows: int
) -> SheetColumns | None:
    """:class:`SheetColumns` of the record batches (one sheet's rows, in order, with the
    same column types but for columns without any cell in some), the header texts
    ``names`` and ``beyond`` (the headers of columns right of the sheet's that a narrowed
    copy removed, checked and named as the sheet's own); None for odd or doubled headers
    or a column of a type python-calamine's values cannot hold. ``batches`` is emptied:
    each Arrow column is let go once converted (the caller keeps no batch), so the peak is
    the converted columns plus one column, not twice the sheet's; Arrow's pool then gives
    its freed memory back to the system."""
    import pyarrow as pa

    names = [*names, *beyond]
    if any(_ODD_HEADER.fullmatch(name) for name in names) or len(set(names)) != len(names):
        return None
    kept = list(batches[0].schema.names)
    positions = [names.index(name) for name in kept]
    n = sum(b.num_rows for b in batches)
    parts: list[list[Any]] = [[b.column(k) for b in batches] for k in range(len(kept))]
    batches.clear()
    convert = _series if arrow else _cells
    columns, head = [], []
    for k in range(len(kept)):
        pieces, parts[k] = parts[k], []
        kind = next((c.type for c in pieces if c.null_count < len(c)), pieces[0].type)
        column = pieces[0] if len(pieces) == 1 else pa.concat_arrays([_as(c, kind) for c in pieces])
        del pieces
        columns.append(convert(column))
        head.append(_cells(column.slice(0, head_rows)))
        del column
    pa.default_memory_pool().release_unused()
    if any(c is None for c in columns) or any(c is None for c in head):
        return None
    rows = [[c[i] for c in head if c is not None] for i in range(min(head_rows, n))]
    return SheetColumns(names, positions, columns, rows)


def _as(column: Any, kind: Any) -> Any:
    """A slice's column as type ``kind``: the same column, or one of as many empty cells."""
    import pyarrow as pa

    return column if column.type == kind else pa.nulls(len(column), kind)


def read_sheet(
    path: Path,
    part: str,
    sheet: str,
    wanted: Callable[[str], bool] | None = None,
    *,
    arrow: bool = False,
    head_rows: int = 0,
) -> SheetColumns | None:
    """What :func:`read_columns` gives, in bounded memory: fastexcel (calamine) holds every
    cell of what it reads until the Arrow columns are built, so a worksheet part of more
    than :data:`SLICE_BYTES` of XML is read in row slices (:func:`sheet_copy.slices`, each a
    stored copy: no inflating by calamine) whose columns are joined, and the cells of
    columns not ``wanted`` are left out of every slice when their row-1 headers say so for
    at least :data:`NARROW_SHARE` of the header columns. Peak: one slice's cells plus the
    columns kept.

    The slices' read is taken only where it is exactly the part's: every slice has the
    same headers (so the same columns), no column has two kinds of cell across slices,
    the rows between slices are kept (a slice's trailing empty rows come back as empty
    cells), no kept column was dropped, and the kept cells reach down to the last row a
    cell was removed from. Else, and on any failure, the file is read whole; a slice that
    fastexcel refuses (strict typing) or whose headers are odd means the whole read is
    refused too (its cells are a part of the whole's, its headers the whole's: None)."""
    try:
        header = header_row(path, part)
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo(part).file_size
    except _DAMAGED:
        header, size = Header({}, 0), 0
    dropped, tail = droppable(header, wanted) if wanted is not None else (set(), header.width)
    if not (dropped and len(dropped) >= NARROW_SHARE * header.width):
        dropped, tail = set(), header.width
    if not dropped and (size <= SLICE_BYTES or not header.width):
        return _read_whole(path, sheet, wanted, arrow=arrow, head_rows=head_rows)
    beyond = tuple(header.texts[k] for k in range(tail, header.width))
    try:
        with slices(path, part, dropped, tail, header.width, SLICE_BYTES) as made:
            found = _read_slices(made, sheet, wanted, beyond, arrow=arrow, head_rows=head_rows)
            if isinstance(found, SheetColumns) and not _same_read(found, made, dropped, tail, len(beyond)):
                found = None
    except UnsafeFileError:
        raise
    except (*_DAMAGED, NotSliced):
        found = None
    if found is REFUSED:
        return None
    if isinstance(found, SheetColumns):
        return found
    return _read_whole(path, sheet, wanted, arrow=arrow, head_rows=head_rows)


def _read_whole(path: Path, sheet: str, wanted: Callable[[str], bool] | None, *, arrow: bool, head_rows: int):
    """:func:`read_columns` of a file checked whole first: a worksheet part that
    :func:`~renewal_xl.io.safety.check_file` left to the slices' read (and that they did
    not read to its end) is scanned before fastexcel parses it."""
    check_file(path)
    return read_columns(path, sheet, wanted, arrow=arrow, head_rows=head_rows)


REFUSED = object()  # a slice fastexcel refuses: the whole read is refused too


def _read_slices(made: Slices, sheet: str, wanted, beyond, *, arrow: bool, head_rows: int):
    """The sheet's columns read slice by slice (:func:`read_sheet`); None where the
    slices' read may differ from the whole's, :data:`REFUSED` where the whole's is
    refused."""
    import pyarrow as pa

    names: list[str] | None = None
    kinds: list[Any] = []  # per kept column: the type of the slices that have its cells
    batches: list[Any] = []
    empty = 0  # rows read as nothing since the last rows read: empty cells between slices
    for piece in made.each:
        loaded = _load(piece.path, sheet, wanted)
        if loaded is None:
            return REFUSED
        got, batch = loaded
        if names is None:
            names, kinds = got, [None] * batch.num_columns
            if any(_ODD_HEADER.fullmatch(name) for name in [*names, *beyond]) or len(set(names)) != len(names):
                return REFUSED
        elif got != names:
            return None
        for k in range(batch.num_columns):
            column = batch.column(k)
            if column.null_count == len(column):
                continue  # no cell here: fastexcel's type of an empty column says nothing
            if kinds[k] is None:
                kinds[k] = column.type
            elif column.type != kinds[k]:
                return REFUSED  # two kinds of cell in one column: strict typing refuses the whole
        if batch.num_rows or not batches:
            if empty:
                batches.append(pa.RecordBatch.from_arrays([pa.nulls(empty)] * len(kinds), names=batch.schema.names))
            batches.append(batch)
            empty = piece.last_row - piece.header_at - batch.num_rows
        else:
            empty += piece.last_row - piece.header_at
        del loaded, batch
        if empty < 0:
            return None
    if names is None:
        return None
    return _columns(names, batches, beyond, arrow=arrow, head_rows=head_rows)


def _same_read(found: SheetColumns, made: Slices, dropped: set[int], tail: int, removed_headers: int) -> bool:
    """Whether a read of narrowed slices is the original's: no kept column lost cells, the
    copy's range ends just before the removed header cells, and the kept columns reach
    down to the last row a cell was removed from (row 1 holds the headers, so ``n`` data
    rows end on row ``n + 1``)."""
    if not dropped:
        return True
    if not found.columns or dropped.intersection(found.positions):
        return False
    if len(found.names) - removed_headers != tail:
        return False
    return len(found.columns[0]) + 1 >= made.removed_below


def _series(column: Any) -> Any:
    """One Arrow column as a pandas column holding python-calamine's values: Arrow text with
    ``''`` for empty cells, float64 when no cell is empty, else the object column of
    :func:`_cells` (None for a type it cannot hold)."""
    import pandas as pd
    import pyarrow as pa

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pd.Series(pd.arrays.ArrowExtensionArray(column.fill_null("")), copy=False)
    if pa.types.is_float64(kind) and not column.null_count:
        return pd.Series(column.to_numpy(), dtype=np.float64, copy=False)
    cells = _cells(column)
    return None if cells is None else pd.Series(cells, dtype=object)


def _cells(column: Any) -> np.ndarray | None:
    """One Arrow column as python-calamine's cell values (None for a type it cannot hold)."""
    import pyarrow as pa

    kind = column.type
    n = len(column)
    if pa.types.is_null(kind):
        return np.full(n, "", dtype=object)
    blank = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        out = column.to_numpy(zero_copy_only=False).astype(object)
    elif pa.types.is_float64(kind):
        out = column.fill_null(0.0).to_numpy().astype(object)
    elif pa.types.is_boolean(kind):
        out = column.fill_null(False).to_numpy(zero_copy_only=False).astype(object)
    elif pa.types.is_timestamp(kind) and kind.tz is None:
        ms = column.cast(pa.timestamp("ms")).cast(pa.int64()).fill_null(0).to_numpy()
        midnight = ms % DAY_MS == 0
        out = np.empty(n, dtype=object)
        out[midnight] = (ms[midnight] // DAY_MS).astype("datetime64[D]").astype(object)
        out[~midnight] = ms[~midnight].astype("datetime64[ms]").astype(object)
    else:
        return None
    out[blank] = ""
    return out
