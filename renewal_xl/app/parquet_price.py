"""``price`` into Parquet, one Arrow batch at a time (both engines; issue #17).

A batch of register rows (an Arrow table: a Parquet row group, a Spark task's batch, or a
register read by :func:`renewal_xl.io.register.read_register`) becomes the same batch
with the quote columns of :func:`renewal_xl.reports.price.quote_columns` appended. Only the
columns the renewal quote reads (:data:`PRICE_READS`) become pandas cells
(:func:`renewal_xl.io.parquet.frame_of_arrow`, then :func:`~renewal_xl.io.register.tidy`:
folded, blanks as blanks); every other column is passed through as the Arrow array it is
(types kept, no Python object per cell), under its Chinese header for the contract's
columns. Rows blank in every column are left out, as the register reader leaves them out.

Money columns are exact yuan (``decimal128(18, 2)``: 325315 fen is 3253.15), the NCD a
float factor, blanks where the row failed or lacks the coverage. The pandas engine streams
a Parquet file batch by batch (:func:`write_priced`); the Spark engine calls
:func:`price_batch` in its tasks and writes part files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from renewal_xl.columns import REGISTER, canonical
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.parquet import MONEY_TYPE, fen_array, frame_of_arrow
from renewal_xl.io.register import tidy
from renewal_xl.money import COEF
from renewal_xl.pricing.price import Priced
from renewal_xl.reports.price import quote_columns
from renewal_xl.tariff import Catalogue
from renewal_xl.workflow.policies import refuse_unusable
from renewal_xl.workflow.renewal_quote import price_renewals

# the register columns the renewal quote reads (workflow.renewal_quote.renewal_quotes)
PRICE_READS = (
    "end_date",
    "first_registration",
    "new_car_price",
    "seats",
    "coverage",
    "claims",
    "claim_free_years",
    "deductible",
    "imported",
)
BATCH_ROWS = 50_000  # rows priced at a time: large enough that per-call costs vanish
KIND_TYPES = {"fen": MONEY_TYPE, "coef": pa.float64(), "text": pa.string()}


def register_keys(names: Iterable[str]) -> list[str]:
    """The canonical key of each header (:func:`renewal_xl.columns.canonical`), others as written."""
    return [str(k) for k in canonical(pd.DataFrame(columns=[str(n).strip() for n in names]), REGISTER).columns]


def output_headers(names: Iterable[str]) -> list[str]:
    """The headers of the priced output: the register's (Chinese for the contract's
    columns), then the quote columns (``…(续保)`` when the register has one of that name)."""
    shown = [REGISTER.get(k, k) for k in register_keys(names)]
    quotes = [f"{h}(续保)" if h in shown else h for h in _quote_kinds()]
    return [*shown, *quotes]


def _quote_kinds() -> dict[str, str]:
    """Header → kind of every quote column (from an empty batch: the list is fixed)."""
    empty = tidy(pd.DataFrame({k: pd.Series(dtype=object) for k in PRICE_READS}), REGISTER, (), "")
    return {h: kind for h, (kind, _, _) in quote_columns(price_renewals(empty.frame)).items()}


def output_schema(schema: pa.Schema) -> pa.Schema:
    """The Arrow schema of the priced batches of a register with ``schema``."""
    kinds = list(_quote_kinds().values())
    headers = output_headers(schema.names)
    fields = [pa.field(h, f.type) for h, f in zip(headers, schema)]
    fields += [pa.field(h, KIND_TYPES[k]) for h, k in zip(headers[len(schema) :], kinds)]
    return pa.schema(fields)


def blank_rows(table: pa.Table) -> np.ndarray:
    """True for the rows blank in every column (null, or text of white space only)."""
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        empty = pc.is_null(column)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            empty = pc.or_kleene(empty, pc.equal(pc.utf8_trim_whitespace(column), ""))
        blank &= empty.to_numpy(zero_copy_only=False).astype(bool)
    return blank


def price_batch(
    table: pa.Table, today: dt.date, tariffs: Catalogue | None = None, origin: str = "保单台账", *, refuse: bool = False
) -> tuple[pa.Table, int]:
    """The priced rows of ``table`` (module docstring) and how many failed to price. With
    ``refuse``: SourceError when one column leaves most rows of the batch unusable
    (:func:`~renewal_xl.workflow.policies.refuse_unusable`); the engines ask it of the
    register's first batch (:data:`BATCH_ROWS` rows), not of every batch, where a short
    last batch of a few bad rows would stop a run of millions."""
    blank = blank_rows(table)
    if blank.any():
        table = table.filter(pa.array(~blank))
    keys = register_keys(table.column_names)
    read = [i for i, k in enumerate(keys) if k in PRICE_READS]
    cells = frame_of_arrow(table.select(read))
    cells.columns = [keys[i] for i in read]
    tidied = tidy(cells, REGISTER, (), origin)
    register = replace(tidied, frame=tidied.frame.reindex(np.arange(table.num_rows) + tidied.header_row + 1))
    priced = price_renewals(register.frame, tariffs=tariffs, today=today)
    if refuse:
        refuse_unusable(np.asarray(priced.errors, dtype=object), register)
    arrays = [*table.columns, *quote_arrays(priced)]
    return pa.Table.from_arrays(arrays, names=output_headers(table.column_names)), int((~priced.ok).sum())


def quote_arrays(priced: Priced) -> list[pa.Array]:
    """The quote columns as Arrow arrays (blank where not shown)."""
    out = []
    for kind, values, shown in quote_columns(priced).values():
        hidden = ~np.asarray(shown, dtype=bool)
        if kind == "fen":
            out.append(fen_array(np.asarray(values, dtype=np.int64), hidden))
        elif kind == "coef":
            out.append(pa.array(np.asarray(values, dtype=np.float64) / 10**COEF, mask=hidden))
        else:
            out.append(pa.array(np.asarray(values, dtype=object), type=pa.string()))
    return out


def batches_of(table: pa.Table, rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """``table`` in slices of ``rows`` rows (no copy)."""
    for start in range(0, max(table.num_rows, 1), rows):
        yield table.slice(start, rows)


def write_priced(
    batches: Iterable[pa.Table], schema: pa.Schema, path: Path, today: dt.date, origin: str
) -> tuple[int, int]:
    """Price ``batches`` (register rows of ``schema``) into the Parquet file ``path``,
    atomically, one batch in memory at a time (:data:`BATCH_ROWS` rows each, the first
    checked for an unusable column); rows written and rows that failed."""
    target = output_schema(schema)
    rows = failed = 0
    with atomic_path(Path(path)) as temp, pq.ParquetWriter(temp, target) as writer:
        for k, batch in enumerate(batches):
            priced, bad = price_batch(batch, today, origin=origin, refuse=k == 0)
            writer.write_table(priced.cast(target))
            rows, failed = rows + priced.num_rows, failed + bad
    return rows, failed
