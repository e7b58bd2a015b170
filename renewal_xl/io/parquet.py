"""Parquet registers and the Parquet output of ``price`` (head-office scale, issue #17).

A register may be one ``.parquet`` file or a folder of them (a partitioned data set such as
``register/branch=A/part-0.parquet``; partition columns become columns). Read with pyarrow:
the columns keep their types (text, numbers, dates); :func:`frame_of_arrow` turns them into
the cells the readers of :mod:`renewal_xl.readers` take (typed columns go their fast paths),
so the rules read them as they read any register. Every engine (pandas, Spark) converts
Arrow data with these functions, so both see the same cells.

Rows of a folder are in the order pyarrow lists its files (sorted paths), then file order.

Output: :func:`fen_array` makes exact ``decimal128(18, 2)`` yuan of fen (3253.15 is stored
as 325315 × 10⁻²); :func:`parquet_batches` reads a large register one batch at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from renewal_xl.errors import SourceError

if TYPE_CHECKING:
    import pyarrow.dataset as ds

PARQUET_SUFFIX = ".parquet"
MONEY_TYPE = pa.decimal128(18, 2)  # yuan with 2 decimals; 10^16 yuan fit
_FEN = pa.scalar(Decimal("0.01"), pa.decimal128(2, 2))


def is_parquet(path: Path) -> bool:
    """A ``.parquet`` file or a folder (a partitioned data set, of Parquet files)."""
    path = Path(path)
    return path.suffix.lower() == PARQUET_SUFFIX or path.is_dir()


def read_parquet(path: Path) -> pd.DataFrame:
    """The table of a Parquet file or folder as sheet cells (see :func:`frame_of_arrow`).
    Unreadable files raise SourceError naming the file."""
    data = _dataset(path)
    with _unreadable(path):
        return frame_of_arrow(data.to_table())


def _dataset(path: Path) -> ds.Dataset:
    path = Path(path)
    if not path.exists():
        raise SourceError(f"文件 {path}", "path", str(path), "文件不存在")
    if path.is_dir() and next(path.rglob(f"*{PARQUET_SUFFIX}"), None) is None:
        raise SourceError(
            f"文件夹 {path}",
            "path",
            str(path),
            "文件夹中没有 .parquet 文件 (台账须为 .xlsx、.xlsm、.csv 文件或 Parquet 文件夹)",
        )
    import pyarrow.dataset as ds  # here: 20–70 ms of a command's start that reads no Parquet

    with _unreadable(path):
        return ds.dataset(path, format="parquet", partitioning="hive", exclude_invalid_files=False)


@contextmanager
def _unreadable(path: Path) -> Iterator[None]:
    """Arrow's errors on a damaged file as a SourceError naming it."""
    try:
        yield
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"文件 {Path(path).name}", "path", str(path), f"无法读取 Parquet 文件 ({exc})") from exc


def frame_of_arrow(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """Arrow columns as the cells the readers take (:mod:`renewal_xl.readers`), converted in
    C without a Python object per number or date: text as object columns of str (None for
    blanks), integers and floats as their numpy types (a column with blanks as float with
    NaN), dates and timestamps as ``datetime64`` (NaT for blanks), dictionary (partition)
    columns as their values; other types (booleans, decimals) as Python values.

    >>> frame_of_arrow(pa.table({"a": [1, None], "b": ["x", None]})).to_dict("list")
    {'a': [1.0, nan], 'b': ['x', None]}
    """
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            values = pd.Series(column.to_numpy(zero_copy_only=False), dtype=object)
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
            values = pd.Series(column.to_numpy(zero_copy_only=False))
        elif pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            if pa.types.is_timestamp(kind) and kind.tz is not None:
                column = column.cast(pa.timestamp(kind.unit))
            values = pd.Series(column.to_numpy(zero_copy_only=False).astype("datetime64[ns]"))
        else:
            values = pd.Series(column.to_pylist(), dtype=object)
        columns[name] = values
    return pd.DataFrame(columns, index=range(table.num_rows))


def arrow_of(frame: pd.DataFrame) -> pa.Table:
    """An Arrow table of register cells (a register read from a workbook or CSV, headers as
    given): typed columns keep their types, a column of mixed cells (text and numbers, as a
    workbook may hold) becomes text.

    >>> arrow_of(pd.DataFrame({"a": [1.5, None], "b": ["x", 2]})).to_pydict()
    {'a': [1.5, None], 'b': ['x', '2']}
    """
    arrays = [_inferred(frame[name]) for name in frame.columns]
    return pa.Table.from_arrays(arrays, names=[str(name) for name in frame.columns])


def fen_array(fen: np.ndarray, hidden: np.ndarray) -> pa.Array:
    """Fen (int64) as exact :data:`MONEY_TYPE` yuan, blank where ``hidden``.

    >>> fen_array(np.array([325315, 7]), np.array([False, True])).to_pylist()
    [Decimal('3253.15'), None]
    """
    array = pa.array(np.asarray(fen, dtype=np.int64), mask=np.asarray(hidden, dtype=bool))
    return pc.multiply(array.cast(pa.decimal128(19, 0)), _FEN).cast(MONEY_TYPE)


def _inferred(values: pd.Series) -> pa.Array:
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        text = values.astype(object).map(lambda v: None if v is None or v != v else str(v))
        return pa.array(text.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def parquet_batches(path: Path, rows: int) -> tuple[pa.Schema, Iterator[pa.Table]]:
    """The schema of a Parquet file or folder and its rows as tables of at most ``rows``
    rows, read as they are needed (memory holds one batch, not the file). Unreadable
    files raise SourceError naming the file."""
    data = _dataset(path)

    def batches() -> Iterator[pa.Table]:
        with _unreadable(path):
            # one batch and one file read ahead, not pyarrow's 16 and 4: memory stays one batch's
            for batch in data.to_batches(batch_size=rows, batch_readahead=1, fragment_readahead=1):
                if batch.num_rows:
                    yield pa.Table.from_batches([batch])

    return data.schema, batches()
