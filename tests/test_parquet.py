"""Parquet registers (a file or a partitioned folder) and the Parquet output of `price`."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from renewal_xl.app import jobs
from renewal_xl.cli.demo import generate
from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER
from renewal_xl.errors import ENGINE_EXIT
from renewal_xl.io.register import read_register
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.renewal_quote import price_renewals

AS_OF = dt.date(2026, 11, 24)
DECEMBER = Window(dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def register():
    return generate(600, AS_OF, 11)[0]


def test_parquet_file_reads_as_the_same_register_as_csv(register, tmp_path):
    # typed Parquet columns (dates, numbers) and the CSV's text give the same due list
    register.to_parquet(tmp_path / "r.parquet")
    register.to_csv(tmp_path / "r.csv", index=False)
    a = read_register(tmp_path / "r.parquet")
    b = read_register(tmp_path / "r.csv")
    assert isinstance(a.frame["start_date"].iloc[0], dt.date) and isinstance(b.frame["start_date"].iloc[0], str)
    due_a = due_list(read_policies(a, jobs.tariff_on(AS_OF)), DECEMBER, AS_OF)
    due_b = due_list(read_policies(b, jobs.tariff_on(AS_OF)), DECEMBER, AS_OF)
    assert len(due_a.rows) > 10
    pd.testing.assert_frame_equal(
        due_a.rows.drop(columns="claim_free_years"), due_b.rows.drop(columns="claim_free_years")
    )


def test_output_inside_an_input_folder_is_refused(register, tmp_path):
    pq.write_to_dataset(pa.Table.from_pandas(register, preserve_index=False), tmp_path / "reg", ["salesperson"])
    result = invoke("price", tmp_path / "reg", "--as-of", AS_OF, "-o", tmp_path / "reg" / "out.parquet")
    assert result.exit_code == 2 and "输出不能写在输入文件夹 reg 中" in result.output
    assert not (tmp_path / "reg" / "out.parquet").exists()


def test_partitioned_folder_keeps_rows_and_partition_column(register, tmp_path):
    pq.write_to_dataset(pa.Table.from_pandas(register, preserve_index=False), tmp_path / "reg", ["salesperson"])
    frame = read_register(tmp_path / "reg").frame
    assert len(frame) == len(register)
    assert sorted(frame["policy_no"]) == sorted(register["policy_no"])
    assert set(frame["salesperson"]) == set(register["salesperson"])  # the partition column is a column again


def test_unreadable_parquet_is_one_chinese_line(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    result = invoke("price", bad, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 2
    assert result.output.startswith("错误: 文件 bad.parquet: 无法读取 Parquet 文件")
    assert "Traceback" not in result.output and not (tmp_path / "out.parquet").exists()


def test_price_parquet_holds_exact_yuan_of_the_quotes(register, tmp_path):
    register.to_csv(tmp_path / "r.csv", index=False)
    result = invoke("price", tmp_path / "r.csv", "--as-of", AS_OF, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.field("续保报价").type == pa.decimal128(18, 2)
    priced = price_renewals(read_register(tmp_path / "r.csv", jobs.PRICE_COLUMNS).frame, today=AS_OF)
    ok = priced.errors == None  # noqa: E711
    quotes = table.column("续保报价").to_pylist()
    # fen 325315 is stored as Decimal('3253.15'): quote × 100 is the integer the kernel computed
    assert [q * 100 for q, good in zip(quotes, ok) if good] == [Decimal(int(f)) for f in priced.money["premium"][ok]]
    assert all(q is None for q, good in zip(quotes, ok) if not good)
    failed = int((~ok).sum())
    assert failed > 0 and f"续保报价 {len(register)} 行, 报价失败 {failed} 行" in result.output
    headers = table.column_names
    assert headers[: len(REGISTER)] == list(REGISTER.values()) and headers[-1] == "报价说明"


def test_price_parquet_refuses_masking_and_spark_refuses_xlsx(register, tmp_path):
    register.to_csv(tmp_path / "r.csv", index=False)
    masked = invoke("price", tmp_path / "r.csv", "--mask-phones", "-o", tmp_path / "o.parquet")
    assert masked.exit_code == 2 and "--mask-phones 只用于 .xlsx 输出" in masked.output
    spark_xlsx = invoke("price", tmp_path / "r.csv", "--engine", "spark", "-o", tmp_path / "o.xlsx")
    assert spark_xlsx.exit_code == 2 and "须输出为 .parquet" in spark_xlsx.output
    wrong = invoke("price", tmp_path / "r.csv", "-o", tmp_path / "o.csv")
    assert wrong.exit_code == 2 and "输出文件须为 .xlsx 或 .parquet" in wrong.output


def test_missing_java_is_one_line_and_exit_3(register, tmp_path, monkeypatch):
    from pyspark.sql import SparkSession

    monkeypatch.setattr(SparkSession, "getActiveSession", staticmethod(lambda: None))
    monkeypatch.setattr("renewal_xl.spark.session.java_available", lambda: False)
    monkeypatch.delenv("SPARK_REMOTE", raising=False)
    register.to_csv(tmp_path / "r.csv", index=False)
    result = invoke("price", tmp_path / "r.csv", "--engine", "spark", "-o", tmp_path / "o.parquet")
    assert result.exit_code == ENGINE_EXIT == 3
    assert result.output.strip().splitlines() == [
        "错误: 未找到 Java 运行环境: --engine spark 需要 Java 17 或以上 (Debian: apt-get install default-jre-headless), "
        "或设置 SPARK_REMOTE 使用 Spark Connect"
    ]


def test_price_batches_of_any_size_give_the_whole_registers_quotes(register):
    # the Parquet path prices batch by batch; a batch of 7 rows, of 1 row or the whole
    # register give the same table, and its quotes are the workbook path's (price_renewals)
    from renewal_xl.app.parquet_price import batches_of, price_batch

    table = pa.Table.from_pandas(register, preserve_index=False)
    whole, failed = price_batch(table, AS_OF)
    pieces = [price_batch(b, AS_OF) for b in batches_of(table, 7)]
    assert pa.concat_tables([p for p, _ in pieces]).equals(whole)
    assert sum(f for _, f in pieces) == failed > 0
    single = pa.concat_tables([price_batch(table.slice(i, 1), AS_OF)[0] for i in range(40)])
    assert single.equals(whole.slice(0, 40))
    priced = price_renewals(read_register_frame(register), today=AS_OF)
    fen = [None if q is None else int(q * 100) for q in whole.column("续保报价").to_pylist()]
    assert fen == [int(f) if ok else None for f, ok in zip(priced.premium, priced.ok)]


def test_blank_rows_are_left_out_as_the_reader_leaves_them(register):
    from renewal_xl.app.parquet_price import price_batch

    head = register.head(3).astype(object)
    blank = pd.DataFrame({c: [None] for c in head.columns}).astype(object)
    blank.iloc[0, 0] = "   "  # white space only is blank too
    table = pa.Table.from_pandas(pd.concat([head.iloc[:1], blank, head.iloc[1:]]), preserve_index=False)
    priced, _ = price_batch(table, AS_OF)
    assert priced.column("保单号").to_pylist() == list(head["policy_no"])


def read_register_frame(register: pd.DataFrame) -> pd.DataFrame:
    """The register as the readers see it (canonical keys, blanks dropped, cells folded)."""
    from renewal_xl.io.register import tidy

    return tidy(register.copy(), REGISTER, jobs.PRICE_COLUMNS, "test").frame


def test_price_parquet_refuses_a_column_unusable_in_most_rows(register, tmp_path):
    bad = register.assign(end_date="05/12/2025")  # day/month/year: refused, not guessed
    bad.to_parquet(tmp_path / "r.parquet")
    result = invoke("price", tmp_path / "r.parquet", "--as-of", AS_OF, "-o", tmp_path / "out.parquet")
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f"错误: 文件 r.parquet: 列 终保日期(end_date) 在 {len(register)}/{len(register)} 行无法使用"
    )
    assert not (tmp_path / "out.parquet").exists()


def test_a_batch_leaves_nothing_alive_after_it(register):
    # row errors are kept without their tracebacks: a traceback's frames would hold every
    # batch alive through the object array of errors (the garbage collector cannot see it)
    import gc

    from renewal_xl.app.parquet_price import price_batch
    from renewal_xl.pricing.price import Priced

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, Priced) for o in gc.get_objects())

    table = pa.Table.from_pandas(register, preserve_index=False)
    before = alive()  # other tests' quotes may still be referenced
    for _ in range(3):
        _, failed = price_batch(table, AS_OF)
        assert failed > 0  # caught coverage errors among them
    assert alive() == before
