"""``price``, ``renewals`` and ``review`` on Spark: the pandas engine's functions, per partition.

No rule is defined here. Each task turns its Arrow batches into register cells
(:func:`renewal_xl.io.parquet.frame_of_arrow`) and calls the same functions as the pandas
engine; the tariff catalogue is read and validated once on the driver and travels with the
tasks (a few KB), so workers read no tariff file.

- ``price``: row by row (``mapInArrow``): :func:`renewal_xl.app.parquet_price.price_batch`
  per Arrow batch (only the columns the quote reads become pandas cells, the others pass
  through as Arrow arrays), written by the executors as a Parquet folder (part files),
  swapped in when complete. The driver prices the first batch once beforehand, so a column
  unusable in most rows stops the run with the pandas engine's message.
- ``renewals`` / ``review``: history matters, so rows meet their peers first. (1) Rows are
  partitioned by policy number and :func:`~renewal_xl.workflow.policies.read_policies` keeps
  the first row of each (what it does over a whole register); (2) the kept rows are
  partitioned by VIN, and each partition computes
  :func:`~renewal_xl.workflow.due.due_parts` or
  :func:`~renewal_xl.workflow.review.due_of_month`, whose rows depend only on the VIN's
  policies. The parts (one month's due policies) are collected and assembled on the driver
  by :func:`~renewal_xl.workflow.due.assemble` / :func:`~renewal_xl.workflow.review.review_of`,
  and the workbook is the same report as the pandas engine's.

Errors inside a task reach the user as one Chinese line (:class:`~renewal_xl.errors.EngineError`).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa

from renewal_xl.app import jobs, parquet_price
from renewal_xl.columns import REGISTER
from renewal_xl.errors import EngineError, RenewalError
from renewal_xl.io.atomic import backup_path
from renewal_xl.io.parquet import frame_of_arrow
from renewal_xl.io.register import Register, tidy
from renewal_xl.reports.price import ERROR_HEADER
from renewal_xl.spark.register import ROW, origin_of, read_register, route
from renewal_xl.spark.session import first_line
from renewal_xl.tariff import catalogue
from renewal_xl.workflow.due import DueList, Window, assemble, concat_parts, due_parts
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.review import Review, due_of_month, has_branch, review_of

VIN = "__vin"
KEPT = "__kept"
PART = "part"  # column of the collected parts (pickled frames)


@contextmanager
def _spark_errors():
    """A failed Spark job as one line; domain errors raised on the driver pass through."""
    try:
        yield
    except (RenewalError, EngineError):
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            raise EngineError(f"Spark 作业失败: {first_line(exc)}") from exc
        raise


# ---------------------------------------------------------------- price


def price(spark, register: str | Path, today: dt.date, output: Path) -> str:
    """Price every row of ``register`` into the Parquet folder ``output``; the run's message.
    Each task prices its Arrow batches (:func:`renewal_xl.app.parquet_price.price_batch`:
    only the columns the quote reads become pandas cells) and writes its own part files;
    the driver only counts the rows written."""
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    tariffs = catalogue()
    with _spark_errors():
        frame = read_register(spark, register, jobs.PRICE_COLUMNS, whole=False)
        target = parquet_price.output_schema(to_arrow_schema(frame.schema))
        origin = origin_of(register)
        first = frame.limit(parquet_price.BATCH_ROWS).toArrow()  # a column unusable in most rows stops here
        parquet_price.price_batch(first, today, tariffs, origin, refuse=True)

        def priced(batches):
            for batch in batches:
                if batch.num_rows:
                    table, _ = parquet_price.price_batch(pa.Table.from_batches([batch]), today, tariffs, origin)
                    yield from table.cast(target).to_batches()

        with _folder(output) as temp:
            frame.mapInArrow(priced, from_arrow_schema(target)).write.parquet(str(temp))
            done = spark.read.parquet(str(temp))
            counts = done.selectExpr("count(*) AS n", f"count_if(`{ERROR_HEADER}` <> '') AS failed").first()
    return jobs.price_message(int(counts["n"]), int(counts["failed"]))


@contextmanager
def _folder(target: Path):
    """A temporary folder beside ``target`` that takes its name when the block succeeds
    (the previous output kept as ``STEM.bak.parquet``, as :mod:`renewal_xl.io.atomic`
    does for files); removed on failure."""
    target = Path(target)
    temp = target.with_name(f".{target.name}.{os.getpid()}.spark-tmp")
    shutil.rmtree(temp, ignore_errors=True)
    try:
        yield temp
        if target.exists():
            backup = backup_path(target)
            if backup.is_dir():
                shutil.rmtree(backup)
            elif backup.exists():
                backup.unlink()
            os.replace(target, backup)
        os.replace(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


# ---------------------------------------------------------------- renewals and review


def _kept(spark, register: str | Path, day: dt.date, tariffs):
    """Pass 1: the register's rows marked kept (``__kept``) as read_policies keeps them,
    with the VIN as read (``__vin``) for pass 2."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    frame = read_register(spark, register, jobs.REVIEW_COLUMNS)
    tariff = tariffs.for_date(day)
    schema = StructType([*frame.schema.fields, StructField(VIN, StringType()), StructField(KEPT, BooleanType())])
    columns = frame.columns
    origin = origin_of(register)

    def first_rows(batches):
        cells = _frame(batches, columns)
        if cells is None:
            return
        rows = cells.pop(ROW).to_numpy(dtype="int64")
        read = tidy(cells, REGISTER, (), origin)  # drops blank rows, as the pandas engine does
        ordered = read.frame.set_axis(rows[read.frame.index.to_numpy() - 2])
        ordered = ordered.sort_index(kind="stable")  # file order: the first row of a policy number wins
        policies = read_policies(replace(read, frame=ordered), tariff)
        out = policies.register.copy()
        out[ROW] = policies.table["row"].to_numpy()
        out[VIN] = policies.table["vin"].to_numpy()
        out[KEPT] = True
        left_out = pd.DataFrame({ROW: ordered.index.difference(out[ROW]).to_numpy(), KEPT: False})
        whole = pd.concat([out, left_out], ignore_index=True).reindex(columns=[f.name for f in schema.fields])
        yield from _arrow(whole, schema)

    return frame.repartition(route("policy_no")).mapInArrow(first_rows, schema)


def _frame(batches, columns) -> pd.DataFrame | None:
    """All batches of a partition as one frame of cells (None when there are none)."""
    batches = [b for b in batches if b.num_rows]
    if not batches:
        return None
    return frame_of_arrow(pa.Table.from_batches(batches)).reindex(columns=columns)


def _arrow(frame: pd.DataFrame, schema):
    from pyspark.sql.pandas.types import to_arrow_schema

    target = to_arrow_schema(schema)
    arrays = [pa.array(frame[f.name].to_numpy(dtype=object), type=f.type, from_pandas=True) for f in target]
    yield from pa.Table.from_arrays(arrays, schema=target).to_batches()


def _per_vin(spark, register: str | Path, day: dt.date, tariffs, compute) -> tuple[list, int]:
    """Pass 2: ``compute(policies)`` on the kept rows of each VIN partition; the
    collected results and the number of register rows left out."""
    kept = _kept(spark, register, day, tariffs)
    tariff = tariffs.for_date(day)
    columns = kept.columns
    origin = origin_of(register)

    def parts(batches):
        cells = _frame(batches, columns)
        if cells is None:
            return
        keep = cells[KEPT].astype(bool).to_numpy()
        reg = cells[keep].drop(columns=[VIN, KEPT])
        reg.index = reg.pop(ROW).to_numpy(dtype="int64")
        policies = read_policies(Register(reg, origin), tariff)
        result = compute(policies) if len(policies) else None
        blob = pickle.dumps((result, int((~keep).sum()) + policies.skipped))
        yield pa.RecordBatch.from_pydict({PART: pa.array([blob], type=pa.binary())})

    with _spark_errors():
        rows = kept.repartition(VIN).mapInArrow(parts, f"{PART} binary").collect()
    loaded = [pickle.loads(r[PART]) for r in rows]
    results = [result for result, _ in loaded if result is not None]
    if not results:  # no policy at all: the result of an empty register, for its columns
        empty = tidy(pd.DataFrame({k: pd.Series(dtype=object) for k in REGISTER}), REGISTER, (), "")
        results = [compute(read_policies(empty, tariff))]
    return results, sum(skipped for _, skipped in loaded)


def due_list(spark, register: str | Path, as_of: dt.date, window: Window) -> tuple[DueList, int]:
    """The :class:`~renewal_xl.workflow.due.DueList` on Spark (what ``renewals`` reports)
    and the number of register rows left out."""
    tariffs = catalogue()
    with _spark_errors():
        parts, skipped = _per_vin(spark, register, as_of, tariffs, lambda p: due_parts(p, window, as_of, tariffs))
    return assemble(concat_parts(parts), window, as_of), skipped


def review(
    spark, register: str | Path, month: Window, tracking: Register | None, as_of: dt.date | None = None
) -> jobs.Outcome:
    """:func:`renewal_xl.app.jobs.review` on Spark (the tracking table is read on the driver)."""
    messages: list[str] = []
    tracking = jobs.tracking_or_empty(tracking, messages)
    result, skipped = monthly_review(spark, register, month, tracking, as_of or dt.date.today())
    return jobs.review_outcome(result, [*messages, *jobs.skipped_message(skipped)])


def monthly_review(
    spark, register: str | Path, month: Window, tracking: pd.DataFrame, as_of: dt.date
) -> tuple[Review, int]:
    """The :class:`~renewal_xl.workflow.review.Review` on Spark and the rows left out: each
    VIN partition gives its due rows and whether it uses the 机构 column; the driver puts
    them together (:func:`~renewal_xl.workflow.review.review_of`)."""
    tariffs = catalogue()

    def compute(policies):
        return due_of_month(policies, month, tracking, as_of), has_branch(policies)

    with _spark_errors():
        parts, skipped = _per_vin(spark, register, month.first, tariffs, compute)
    due = _concat([d for d, _ in parts])
    t = tariffs.for_date(month.first)
    return review_of(due, month, as_of, t, has_branch=any(b for _, b in parts)), skipped


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts as one frame; empty parts are left out where others have rows (their
    column types may be less precise)."""
    full = [p for p in parts if len(p)]
    if full:
        return pd.concat(full, ignore_index=True)
    return parts[0]
