"""Benchmarks of issue #17: the Spark engine against the pandas engine.

    .venv/bin/python bench/spark.py identity --rows 100000     # Spark = pandas on 10^5 rows
    .venv/bin/python bench/spark.py price --rows 10000000      # rows/s and peak memory of `price`

``identity`` generates the demo register (fixed seed), writes it as Parquet and checks, in
one process with one local Spark session, that both engines give the same due list
(December after the as-of day), review figures (October) and quotes (every column of the
Parquet output). ``price`` runs ``renewal-xl price REGISTER -o out.parquet`` as a command for
each engine and reports wall time, rows/s and the peak resident memory of the command's
whole process tree (the JVM and Python workers included, sampled every 0.2 s). Its input
is a Parquet folder of copies of a 10^6-row demo register (pricing is row by row, so
copies cost the same as new rows). Both engines price one Arrow batch at a time
(``renewal_xl.app.parquet_price``); ``--pandas-max`` skips the pandas engine above a size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

CLI = [sys.executable, "-m", "renewal_xl.cli"]
CHUNK = 1_000_000  # rows of one generated file
ROW_GROUP = 100_000


def register_parquet(rows: int) -> Path:
    """A Parquet folder of ``rows`` register rows (copies of a 10^6-row register, or the
    first ``rows`` of it), cached in ``bench/.cache``."""
    path = data.CACHE / f"register-{rows}.parquet"
    if path.exists():
        return path
    base = data.register(min(rows, CHUNK))
    table = pa.Table.from_pandas(base, preserve_index=False)
    temp = path.with_name(path.name + ".tmp")
    temp.mkdir(parents=True, exist_ok=True)
    for k, start in enumerate(range(0, rows, CHUNK)):
        # row groups of 10^5 rows: Spark splits a file by row groups, so both cores get work
        pq.write_table(
            table.slice(0, min(CHUNK, rows - start)), temp / f"part-{k:04d}.parquet", row_group_size=ROW_GROUP
        )
    temp.rename(path)
    return path


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parent, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = pages * 4096
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run(args: list[str]) -> tuple[float, int, str]:
    """Wall time, peak tree memory and output of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{out}")
    return time.perf_counter() - start, peak, out


def bench_price(rows: int, pandas_max: int) -> None:
    source = register_parquet(rows)
    print("| engine | rows | wall s | rows/s | peak MiB (process tree) | rows/s vs pandas |\n|---|---|---|---|---|---|")
    base = None
    with tempfile.TemporaryDirectory() as out:
        for engine in ("pandas", "spark"):
            if engine == "pandas" and rows > pandas_max:
                continue
            target = Path(out) / f"{engine}.parquet"
            cmd = [*CLI, "price", str(source), "--as-of", str(data.AS_OF), "--engine", engine, "-o", str(target)]
            seconds, peak, _ = run(cmd)
            rate = rows / seconds
            base = base or rate
            ratio = f"{rate / base:.2f}×"
            print(f"| {engine} | {rows:,} | {seconds:.1f} | {rate:,.0f} | {peak / 2**20:,.0f} | {ratio} |", flush=True)


def identity(rows: int) -> None:
    from renewal_xl.app import jobs, parquet_price
    from renewal_xl.cli.demo import generate
    from renewal_xl.columns import TRACKING
    from renewal_xl.io.parquet import parquet_batches
    from renewal_xl.io.register import read_register, tidy
    from renewal_xl.spark import jobs as spark_jobs
    from renewal_xl.spark.session import spark_session
    from renewal_xl.workflow.due import Window, due_list
    from renewal_xl.workflow.policies import read_policies
    from renewal_xl.workflow.review import monthly_review

    december = Window(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    october = Window(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "register.parquet"
        register, tracking = generate(rows, data.AS_OF, data.SEED)
        register.to_parquet(path)
        track = tidy(tracking, TRACKING, ("policy_no", "status", "lapse_reason"), "tracking").frame
        spark = spark_session(settings={"spark.sql.shuffle.partitions": "8"})
        reg = read_register(path)

        def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
            keep = [c for c in a.columns if c != "row"]
            pd.testing.assert_frame_equal(a[keep], b[keep], check_dtype=False)

        t = time.perf_counter()
        expected = due_list(read_policies(reg, jobs.tariff_on(data.AS_OF)), december, data.AS_OF)
        t_pandas = time.perf_counter() - t
        t = time.perf_counter()
        due, _ = spark_jobs.due_list(spark, path, data.AS_OF, december)
        t_spark = time.perf_counter() - t
        same(expected.rows, due.rows)
        same(expected.early, due.early)
        pd.testing.assert_frame_equal(expected.options, due.options, check_dtype=False)
        print(f"due list: {len(due.rows):,} rows identical (pandas {t_pandas:.1f} s, spark {t_spark:.1f} s)")
        review = monthly_review(read_policies(reg, jobs.tariff_on(october.first)), october, track, data.AS_OF)
        result, _ = spark_jobs.monthly_review(spark, path, october, track, data.AS_OF)
        for group, rates in review.rates.items():
            pd.testing.assert_frame_equal(rates, result.rates[group])
        pd.testing.assert_frame_equal(review.owners, result.owners)
        for name in ("poached", "follow_up", "due", "pending", "to_verify", "mismatch"):
            same(getattr(review, name), getattr(result, name))
        pd.testing.assert_frame_equal(review.reasons, result.reasons)
        print(f"review: {int(review.total['due']):,} due, rates, 抢户, reasons identical")
        pandas_out = Path(root) / "pandas-price.parquet"
        spark_out = Path(root) / "spark-price.parquet"
        schema, batches = parquet_batches(path, parquet_price.BATCH_ROWS)
        parquet_price.write_priced(batches, schema, pandas_out, data.AS_OF, "bench")  # the pandas engine's path
        spark_jobs.price(spark, path, data.AS_OF, spark_out)

        def ordered(p: Path) -> pd.DataFrame:
            frame = pq.read_table(p).to_pandas()
            return frame.sort_values("保单号", kind="stable").reset_index(drop=True)

        a, b = ordered(pandas_out), ordered(spark_out)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)  # Spark may name text types differently
        print(f"price: {rows:,} priced rows identical ({len(a.columns)} columns)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("identity", "price"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pandas-max", type=int, default=10**8, help="largest register the pandas engine prices")
    args = parser.parse_args()
    if args.what == "identity":
        identity(args.rows)
    else:
        bench_price(args.rows, args.pandas_max)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
