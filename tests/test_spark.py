"""The Spark engine gives the pandas engine's results, to the cent (issue #17).

One register from the demo generator (20,000 rows here: multi-year histories, renewals
early, late and poached, planted mistakes including a repeated policy number), read by both
engines from the same CSV and Parquet files. The 100,000-row identity runs in
``bench/spark.py`` (it takes minutes on this machine's two shared cores).
"""

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from renewal_xl.app import jobs
from renewal_xl.cli.demo import generate
from renewal_xl.cli.main import main
from renewal_xl.io.register import read_register, read_tracking
from renewal_xl.pricing.breakdown import TOTAL_LABEL
from renewal_xl.spark import jobs as spark_jobs
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.review import monthly_review

pytestmark = pytest.mark.spark

AS_OF = dt.date(2026, 11, 24)
ROWS = 20_000
DECEMBER = Window(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
OCTOBER = Window(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark")
    register, tracking = generate(ROWS, AS_OF, 17)
    register.to_csv(root / "register.csv", index=False, encoding="utf-8-sig")
    register.to_parquet(root / "register.parquet")
    tracking.to_csv(root / "tracking.csv", index=False)
    return root


def same_rows(a: pd.DataFrame, b: pd.DataFrame):
    """Equal frames except the row numbers (sheet rows for pandas, file-order ids for Spark)."""
    keep = [c for c in a.columns if c != "row"]
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a[keep], b[keep], check_dtype=False)


@pytest.mark.parametrize("name", ["register.csv", "register.parquet"])
def test_due_list_is_identical(spark, files, name):
    register = read_register(files / name, jobs.RENEWAL_COLUMNS)
    policies = read_policies(register, jobs.tariff_on(AS_OF))
    expected = due_list(policies, DECEMBER, AS_OF)
    due, skipped = spark_jobs.due_list(spark, files / name, AS_OF, DECEMBER)
    assert skipped == policies.skipped > 0  # the planted repeated policy number and bad rows
    assert len(due.rows) > 300 and len(due.early) > 50
    same_rows(expected.rows, due.rows)
    same_rows(expected.early, due.early)
    pd.testing.assert_frame_equal(expected.options, due.options, check_dtype=False)  # 续保方案, row by row
    assert len(due.options) > 1000
    assert due.rows["quote"].sum() == expected.rows["quote"].sum()  # fen, to the cent


def test_review_figures_are_identical(spark, files):
    track = read_tracking(files / "tracking.csv").frame
    register = read_register(files / "register.parquet", jobs.REVIEW_COLUMNS)
    expected = monthly_review(read_policies(register, jobs.tariff_on(OCTOBER.first)), OCTOBER, track, AS_OF)
    result, _ = spark_jobs.monthly_review(spark, files / "register.parquet", OCTOBER, track, AS_OF)
    assert int(expected.total["due"]) > 300 and len(expected.poached) > 10
    for group, rates in expected.rates.items():
        pd.testing.assert_frame_equal(rates, result.rates[group])
    pd.testing.assert_frame_equal(expected.owners, result.owners)
    assert int(expected.owners["stake"].sum()) > 0  # commission at stake, fen
    for name in ("poached", "follow_up", "due", "pending", "to_verify", "mismatch"):
        same_rows(getattr(expected, name), getattr(result, name))
    pd.testing.assert_frame_equal(expected.reasons, result.reasons)
    pd.testing.assert_frame_equal(expected.insurers, result.insurers)


def priced_of(path) -> pd.DataFrame:
    """A price output by policy number (Spark writes part files in task order)."""
    frame = pq.read_table(path).to_pandas()
    return frame.sort_values("保单号", kind="stable").reset_index(drop=True)


def test_price_parquet_is_identical(spark, files, tmp_path):
    runner = CliRunner()
    for engine in ("pandas", "spark"):
        args = ["price", str(files / "register.parquet"), "--as-of", "2026-11-24", "--engine", engine]
        result = runner.invoke(main, [*args, "-o", str(tmp_path / f"{engine}.parquet")])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0].startswith(f"续保报价 {ROWS} 行, 报价失败 ")
    assert (tmp_path / "spark.parquet").is_dir()  # Spark writes a Parquet folder of part files
    expected, found = priced_of(tmp_path / "pandas.parquet"), priced_of(tmp_path / "spark.parquet")
    assert len(expected) == ROWS and expected["续保报价"].notna().sum() > ROWS * 0.9
    assert expected.columns[-1] == "报价说明" and TOTAL_LABEL in expected.columns
    # every column, the register's passed through as stored (Spark may name text types differently)
    pd.testing.assert_frame_equal(expected, found, check_dtype=False)


def test_cli_renewals_and_review_print_the_same_lines(spark, files, tmp_path):
    runner = CliRunner()
    out = {}
    for engine in ("pandas", "spark"):
        (tmp_path / engine).mkdir()
        renewals = runner.invoke(
            main,
            ["renewals", str(files / "register.csv"), "--as-of", "2026-11-24", "--hotline", "95500"]
            + ["--engine", engine, "--split", "agency", "--out-dir", str(tmp_path / engine / "lists")],
        )
        review = runner.invoke(
            main,
            ["review", str(files / "register.csv"), "--month", "2026-10", "--tracking", str(files / "tracking.csv")]
            + ["--engine", engine, "-o", str(tmp_path / engine / "review.xlsx")],
        )
        out[engine] = (renewals, review)
    for a, b in zip(out["pandas"], out["spark"]):
        assert a.exit_code == b.exit_code == 0, a.output + b.output
        assert a.output.replace("pandas", "spark") == b.output.replace("pandas", "spark")
    names = sorted(p.name for p in (tmp_path / "spark" / "lists").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "pandas" / "lists").iterdir())
    assert len(names) == 5  # AG001–AG004 and direct business


def test_split_by_branch_gives_the_same_files_on_both_engines(spark, files, tmp_path):
    # the head-office hand-out: one list per branch 机构, the same files and lines on either engine
    found = {}
    for engine in ("pandas", "spark"):
        lists = tmp_path / engine
        result = CliRunner().invoke(
            main,
            ["renewals", str(files / "register.csv"), "--as-of", "2026-11-24", "--hotline", "95500"]
            + ["--engine", engine, "--split", "branch", "--out-dir", str(lists)],
        )
        assert result.exit_code == 0, result.output
        found[engine] = (result.output.replace(str(lists), "DIR"), sorted(p.name for p in lists.iterdir()))
    assert found["pandas"] == found["spark"]
    assert {"续保清单-武汉分公司.xlsx", "续保清单-宜昌支公司.xlsx"} <= set(found["spark"][1])
