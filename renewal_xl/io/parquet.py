"""Parquet registers and the Parquet output of ``price`` (head-office scale, issue #17).

A register may be one ``.parquet`` file or a folder of them (a partitioned data set such as
``register/branch=A/part-0.parquet``; partition columns become columns). Read with pyarrow:
the columns keep their types (text, numbers, dates); :func:`frame_of_arrow` turns them into
the cells the readers of :mod:`renewal_xl.readers` take (typed columns go their fast paths),
so the rules read them as they read any register. Every engine (pandas, Spark) converts
Arrow data with these functions, so both see the same cells.

Rows of a folder are in the order pyarrow lists its files (sorted paths), then file order.

Output: :func:`arrow_of` makes an Arrow table of a report frame; money columns given in fen
(int64) become ``decimal128(18, 2)`` yuan, exact (3253.15 is stored as 325315 × 10⁻²).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from renewal_xl.errors import SourceError
from renewal_xl.io.atomic import atomic_path

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
    path = Path(path)
    if not path.exists():
        raise SourceError(f"文件 {path}", "path", str(path), "文件不存在")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"文件 {path.name}", "path", str(path), f"无法读取 Parquet 文件 ({exc})") from exc
    return frame_of_arrow(table)


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


def arrow_of(frame: pd.DataFrame, money: Iterable[str] = (), schema: pa.Schema | None = None) -> pa.Table:
    """An Arrow table of ``frame``; ``money`` columns hold fen (int64, NaN-free, with a
    missing value as ``pd.NA`` or a mask) and become :data:`MONEY_TYPE` yuan. With
    ``schema`` the other columns are cast to it (Spark declares its output that way); a
    column of mixed cells (text and numbers, as a workbook may hold) is written as text.

    >>> t = arrow_of(pd.DataFrame({"保费": pd.array([325315, None], dtype="Int64")}), money=["保费"])
    >>> t.column("保费").to_pylist()
    [Decimal('3253.15'), None]
    """
    money = set(money)
    arrays, fields = [], []
    for name in frame.columns:
        values = frame[name]
        if name in money:
            array = fen_to_yuan(values)
        elif schema is not None and name in schema.names:
            array = pa.array(values.to_numpy(dtype=object), type=schema.field(name).type, from_pandas=True)
        else:
            array = _inferred(values)
        arrays.append(array)
        fields.append(pa.field(str(name), array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def fen_to_yuan(values: pd.Series) -> pa.Array:
    """Fen (integers; NA for none) as exact ``decimal128(18, 2)`` yuan."""
    fen = pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True)
    return pa.compute.multiply(fen.cast(pa.decimal128(19, 0)), _FEN).cast(MONEY_TYPE)


def _inferred(values: pd.Series) -> pa.Array:
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        text = values.astype(object).map(lambda v: None if v is None or v != v else str(v))
        return pa.array(text.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to one Parquet file atomically (:mod:`renewal_xl.io.atomic`)."""
    with atomic_path(Path(path)) as temp:
        pq.write_table(table, temp)
