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
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

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


def read_columns(
    path: Path, sheet: str, wanted: Callable[[str], bool] | None = None
) -> tuple[list[str], list[np.ndarray]] | None:
    """The header texts of row 1 and each column's cells below it (object arrays of the
    values above; only the columns whose header is ``wanted``, when given), or None when
    fastexcel is absent or the sheet is not one it reads exactly as the row reader does
    (module docstring)."""
    try:
        import fastexcel
    except ImportError:
        return None
    try:
        batch = (
            fastexcel.read_excel(str(path))
            .load_sheet(sheet, header_row=0, dtype_coercion="strict", schema_sample_rows=None)
            .to_arrow()
        )
    except Exception:  # mixed kinds in a column (strict typing), or anything else: the row reader decides
        return None
    names = list(batch.schema.names)
    if any(_ODD_HEADER.fullmatch(name) for name in names) or len(set(names)) != len(names):
        return None
    keep = [k for k, name in enumerate(names) if wanted is None or wanted(name)]
    names = [names[k] for k in keep]
    columns = [_cells(batch.column(k)) for k in keep]
    if any(c is None for c in columns):
        return None
    return names, [c for c in columns if c is not None]


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
