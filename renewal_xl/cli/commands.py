"""Workflow commands of ``renewal-xl`` (excel-contract §4): demo, renewals, review, progress,
price, statements (month or year), mix, check.

REGISTER is an .xlsx/.xlsm (sheet 保单台账, else the first sheet), a .csv file or Parquet (a
file or a partitioned folder). ``price``, ``renewals`` and ``review`` take ``--engine spark``
(:mod:`renewal_xl.spark`; .parquet or .csv registers; exit code 3 when Spark cannot run here,
e.g. no Java); ``price`` writes .xlsx or .parquet (a Parquet folder with the Spark engine).
Outputs are written atomically (:mod:`renewal_xl.io.atomic`): a failed run leaves no partial
file, and an output path equal to an input (the tariff included) or inside an input folder is
refused. Exit codes: 0 done, 1 ``check`` found problems, 2 usage or input error, 3 engine
unavailable (a Chinese line on stderr).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pandas as pd

from renewal_xl.app import jobs
from renewal_xl.cli.progress import progress, step
from renewal_xl.columns import REGISTER
from renewal_xl.dates import month_bounds
from renewal_xl.errors import InputError
from renewal_xl.io.atomic import check_not_input
from renewal_xl.io.finance import is_finance_workbook, read_finance
from renewal_xl.io.parquet import PARQUET_SUFFIX, arrow_of, is_parquet, parquet_batches
from renewal_xl.io.register import EXCEL_SUFFIXES, FINANCE_SHEET, read_register, read_targets, read_tracking, tidy
from renewal_xl.readers import to_date
from renewal_xl.render.xlsx_writer import report_rows, write_report
from renewal_xl.tariff.catalogue import tariff_paths
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.handout import SPLITS
from renewal_xl.workflow.statements import DEFAULT_TARGET
from renewal_xl.workflow.year import year_period

PROBLEMS_SHOWN = 20  # problems printed by `check`

_register_arg = click.argument("register", type=click.Path(path_type=Path))  # a folder: partitioned Parquet
ENGINES = ("pandas", "spark")
PRICE_SUFFIXES = (".xlsx", PARQUET_SUFFIX)
_engine = click.option(
    "--engine",
    "engine",
    type=click.Choice(ENGINES),
    default="pandas",
    show_default=True,
    help="计算引擎: pandas (本机单进程) 或 spark (总部规模; 台账须为 .parquet 文件、文件夹或 .csv)",
)
_spark_master = click.option(
    "--spark-master",
    "spark_master",
    metavar="URL",
    help="Spark 集群地址, 如 spark://host:7077 (默认本机 local[*]; Spark Connect: 设环境变量 SPARK_REMOTE)",
)


def output_option(help_text: str = "输出 .xlsx 文件", required: bool = True):
    """``-o/--output OUT.xlsx``: the file a command writes."""
    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        metavar="OUT.xlsx",
        help=help_text,
    )


def out_dir_option(help_text: str):
    """``--out-dir DIR``: the directory a command writes several files into."""
    return click.option(
        "--out-dir", "out_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR", help=help_text
    )


_output = output_option()
_month = click.option("--month", "month", metavar="YYYY-MM", help="月份, 如 2026-03")
_as_of = click.option("--as-of", "as_of", metavar="DATE", help="截至日期 (默认今天)")
_mask = click.option(
    "--mask-phones", "mask_phones", is_flag=True, help="电话号码显示为 138****1234, 身份证号显示为 110101********4518"
)


def tracking_option(help_text: str):
    """``--tracking FILE``: a renewal tracking file (.xlsx sheet 续保跟踪, or .csv)."""
    return click.option(
        "--tracking", "tracking", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help=help_text
    )


def _day(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    day = to_date(value)
    if day is None:
        raise InputError(option, value, "须为日期, 如 2026-01-31")
    return day


def _output_path(output: Path, *inputs: Path | None, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    if output.suffix.lower() not in suffixes:
        raise InputError("output", str(output), "输出文件须为 " + " 或 ".join(suffixes))
    check_not_input(output, [*inputs, *tariff_paths()])  # the tariff workbook is an input too
    return output


def _spark(master: str | None):
    """The Spark session of a command (imported here: only ``--engine spark`` needs pyspark)."""
    from renewal_xl.spark.session import spark_session

    return spark_session(master)


def _register(path: Path, columns, *, own_columns: bool = False):
    """The register of ``path`` (the user's own columns only with ``own_columns``: price
    carries them through); the file check's warnings (macros, external links) on stderr."""
    with step(path, f"检查并读取 {path.name}"):
        return _warned(read_register(path, columns, own_columns=own_columns))


def _warned(read):
    if read is not None:
        for line in read.warnings:
            click.echo(f"警告: {line}", err=True)
    return read


def _write(outcome: jobs.Outcome, output: Path, mask: bool = False) -> None:
    report = (outcome.masked() if mask else outcome).report
    with progress(report_rows(report), "写入 " + output.name) as advance:
        write_report(report, output, advance)
    for line in outcome.messages:
        click.echo(line)
    click.echo(f"已写入 {output}")


@click.command("renewals")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@_month
@click.option("--days", "days", type=click.IntRange(1, 3660), metavar="N", help="终保日期在基准日后 N 天内")
@_mask
@click.option("--hotline", help="续保通知中的客服热线 (默认环境变量 RENEWAL_XL_HOTLINE)")
@click.option(
    "--split",
    "split",
    type=click.Choice(SPLITS),
    help="分发: 按业务员 (salesperson)、代理机构 (agency) 或机构 (branch) 每个一个文件, 只含其客户",
)
@out_dir_option("--split 的输出目录 (不存在时创建)")
@_engine
@_spark_master
@output_option("输出 .xlsx 文件 (不用 --split 时必填)", required=False)
def renewals(
    register: Path,
    as_of: str | None,
    month: str | None,
    days: int | None,
    mask_phones: bool,
    hotline: str | None,
    split: str | None,
    out_dir: Path | None,
    engine: str,
    spark_master: str | None,
    output: Path | None,
) -> None:
    """续保清单: 应续客户、按业务员分表、汇总和续保通知 (默认: 基准日的下一个月)。"""
    if month and days:
        raise click.UsageError("--month 与 --days 只能选一个")
    if (split is None) != (out_dir is None):
        raise click.UsageError("--split 与 --out-dir 须一起使用")
    if split is None and output is None:
        raise click.UsageError("缺少选项 '-o' / '--output' (或用 --split … --out-dir DIR 分发)")
    if split is not None and output is not None:
        raise click.UsageError("-o 与 --split 只能选一个 (拆分文件写入 --out-dir)")
    day = _day(as_of, "as_of")
    window = Window.of(day, month_bounds(month) if month else None, days)
    if output is not None:
        output = _output_path(output, register)
    messages: list[str] = []
    if engine == "spark":
        from renewal_xl.spark import jobs as spark_jobs

        with step(register, "生成续保清单 (Spark)"):
            due, skipped = spark_jobs.due_list(_spark(spark_master), register, day, window)
        messages = jobs.skipped_message(skipped)
    else:
        reg = _register(register, jobs.RENEWAL_COLUMNS)
        with step(register, "生成续保清单"):
            due = jobs.due_of(reg, day, window, messages)
    if split is not None and out_dir is not None:
        from renewal_xl.cli.handout import write_lists

        lists, messages = jobs.handed_out(due, split, messages, hotline=hotline)
        write_lists(lists, messages, out_dir, register, mask_phones)
        return
    if output is not None:
        _write(jobs.renewals_outcome(due, messages, hotline=hotline), output, mask_phones)


@click.command("review")
@_register_arg
@click.option("--month", "month", metavar="YYYY-MM", required=True, help="分析的月份 (终保日期所在月)")
@_as_of
@tracking_option("续保跟踪文件 (默认: 台账工作簿中的 续保跟踪 工作表)")
@_mask
@_engine
@_spark_master
@_output
def review(
    register: Path,
    month: str,
    as_of: str | None,
    tracking: Path | None,
    mask_phones: bool,
    engine: str,
    spark_master: str | None,
    output: Path,
) -> None:
    """续保分析: 截至某日的续保率、续保归属与抢户核查、跟踪核对、脱保原因和图表。"""
    window = Window(*month_bounds(month))
    day = _day(as_of, "as_of")
    output = _output_path(output, register, tracking)
    if engine == "spark":
        from renewal_xl.spark import jobs as spark_jobs

        track = _warned(read_tracking(tracking)) if tracking is not None else None
        with step(register, "分析续保情况 (Spark)"):
            outcome = spark_jobs.review(_spark(spark_master), register, window, track, day)
        _write(outcome, output, mask_phones)
        return
    reg = _register(register, jobs.REVIEW_COLUMNS)
    with step(register, "分析续保情况"):
        outcome = jobs.review(reg, window, _tracking_table(register, tracking), day)
    _write(outcome, output, mask_phones)


@click.command("progress")
@_register_arg
@click.option("--month", "month", metavar="YYYY-MM", help="月份 (终保日期所在月, 默认截至日期所在月)")
@_as_of
@tracking_option("续保跟踪文件 (默认: 台账工作簿中的 续保跟踪 工作表)")
@_mask
@_output
def progress_command(
    register: Path, month: str | None, as_of: str | None, tracking: Path | None, mask_phones: bool, output: Path
) -> None:
    """续保进度: 本月进度, 按业务员统计, 按剩余天数分段的未到期保单和紧急名单。"""
    day = _day(as_of, "as_of")
    window = Window(*month_bounds(month or f"{day:%Y-%m}"))
    output = _output_path(output, register, tracking)
    reg = _register(register, jobs.PROGRESS_COLUMNS)
    with step(register, "统计续保进度"):
        outcome = jobs.progress(reg, window, _tracking_table(register, tracking), day)
    _write(outcome, output, mask_phones)


def _tracking_table(register: Path, tracking: Path | None):
    """The tracking of ``--tracking``, else the 续保跟踪 sheet of a register workbook, else None."""
    if tracking is not None:
        return _warned(read_tracking(tracking))
    if register.suffix.lower() in EXCEL_SUFFIXES:
        return read_tracking(register, first_sheet=False)  # its warnings were shown with the register
    return None


@click.command("price")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@_mask
@_engine
@_spark_master
@output_option("输出 .xlsx 文件, 或 .parquet (大台账; spark 引擎写为 Parquet 文件夹)")
def price(
    register: Path, as_of: str | None, mask_phones: bool, engine: str, spark_master: str | None, output: Path
) -> None:
    """续保报价: 台账每行加上续保报价和保费明细。"""
    day = _day(as_of, "as_of")
    output = _output_path(output, register, suffixes=PRICE_SUFFIXES)
    parquet = output.suffix.lower() == PARQUET_SUFFIX
    if parquet and mask_phones:
        raise click.UsageError("--mask-phones 只用于 .xlsx 输出")
    if engine == "spark":
        if not parquet:
            raise click.UsageError("--engine spark 的续保报价须输出为 .parquet")
        from renewal_xl.spark import jobs as spark_jobs

        with step(register, "计算续保报价 (Spark)"):
            line = spark_jobs.price(_spark(spark_master), register, day, output)
        click.echo(line)
        click.echo(f"已写入 {output}")
        return
    if parquet:
        click.echo(jobs.price_message(*_price_parquet(register, day, output)))
        click.echo(f"已写入 {output}")
        return
    reg = _register(register, jobs.PRICE_COLUMNS, own_columns=True)
    with step(register, "计算续保报价"):
        outcome = jobs.price(reg, day)
    _write(outcome, output, mask_phones)


def _price_parquet(register: Path, day: dt.date, output: Path) -> tuple[int, int]:
    """``price -o OUT.parquet`` on the pandas engine: a Parquet register is priced batch by
    batch as it is read (memory holds one batch); another register is read whole, then
    priced the same way. Rows written and rows that failed."""
    from renewal_xl.app import parquet_price

    origin = f"文件 {register.name}"
    if is_parquet(register):
        schema, batches = parquet_batches(register, parquet_price.BATCH_ROWS)
        keys = parquet_price.register_keys(schema.names)
        tidy(pd.DataFrame(columns=keys), REGISTER, jobs.PRICE_COLUMNS, origin)  # refuses missing columns
    else:
        reg = _register(register, jobs.PRICE_COLUMNS, own_columns=True)
        table = arrow_of(reg.frame.drop(columns=list(reg.added_columns)))
        schema, batches = table.schema, parquet_price.batches_of(table)
    with step(register, "计算续保报价"):
        return parquet_price.write_priced(batches, schema, output, day, origin)


@click.command("statements")
@_register_arg
@click.option("--month", "month", metavar="YYYY-MM", help="结算月份 (起保日期所在月)")
@click.option(
    "--year", "year", type=click.IntRange(1900, 2200), metavar="YYYY", help="年度绩效: 该年 1 月 1 日至基准日"
)
@click.option(
    "--target",
    "target",
    type=click.IntRange(1, 100000),
    metavar="N",
    default=DEFAULT_TARGET,
    show_default=True,
    help="按月: 每名业务员每月续保目标件数",
)
@click.option(
    "--targets",
    "targets",
    type=click.Path(dir_okay=False, path_type=Path),
    help="按年: 目标表 (业务员, 续保件数目标, 续保率目标; 默认: 台账工作簿中的 目标 工作表)",
)
@click.option("--as-of", "as_of", metavar="DATE", help="按年: 统计截止日 (默认今天; 早于年末时为年初至今)")
@_mask
@_output
def statements(
    register: Path,
    month: str | None,
    year: int | None,
    target: int,
    targets: Path | None,
    as_of: str | None,
    mask_phones: bool,
    output: Path,
) -> None:
    """手续费结算和绩效提取 (--month, 当月起保的保单), 或年度绩效 (--year)。"""
    if (month is None) == (year is None):
        raise click.UsageError("须指定 --month 或 --year (二选一)")
    if year is None and targets is not None:
        raise click.UsageError("--targets 只用于 --year")
    output = _output_path(output, register, targets)
    if year is not None:
        day = _day(as_of, "as_of")
        reg = _register(register, jobs.YEAR_COLUMNS)
        if targets is not None:
            goals = _warned(read_targets(targets))
        elif register.suffix.lower() in EXCEL_SUFFIXES:
            goals = read_targets(register, first_sheet=False)
        else:
            goals = None
        _write(jobs.year(reg, year, day, goals), output, mask_phones)
        return
    window = Window(*month_bounds(month))
    if is_finance_workbook(register):  # the finance template: its 手续费明细 sheet
        with step(register, f"检查并读取 {register.name} 工作表 {FINANCE_SHEET}"):
            reg = _warned(read_finance(register))
    else:
        reg = _register(register, jobs.STATEMENT_COLUMNS)
    with step(register, "计算手续费与绩效"):
        outcome = jobs.statement(reg, window, target)
    _write(outcome, output, mask_phones)


@click.command("mix")
@_register_arg
@_month
@click.option("--year", "year", type=click.IntRange(1900, 2200), metavar="YYYY", help="年份 (年初至基准日)")
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天): 只统计已满期的保单")
@_output
def mix(register: Path, month: str | None, year: int | None, as_of: str | None, output: Path) -> None:
    """业务结构: 期内满期保单按细分统计出险频率、赔付率和续保率。"""
    if (month is None) == (year is None):
        raise click.UsageError("须指定 --month 或 --year (二选一)")
    day = _day(as_of, "as_of")
    period = year_period(year, day) if year is not None else Window(*month_bounds(month))
    if period.first <= day < period.last:
        period = Window(period.first, day)
    output = _output_path(output, register)
    _write(jobs.mix(_register(register, jobs.MIX_COLUMNS), period), output)


@click.command("check")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日, 选择费率表 (默认今天)")
@output_option("输出 .xlsx 文件 (可选)", required=False)
@_mask
def check(register: Path, as_of: str | None, output: Path | None, mask_phones: bool) -> None:
    """数据质量: 列出台账中每个有问题的单元格; 发现问题时退出码为 1。"""
    day = _day(as_of, "as_of")
    if output is not None:
        output = _output_path(output, register)
    reg = _register(register, jobs.CHECK_COLUMNS)
    with step(register, "检查数据质量"):
        outcome = jobs.check(reg, day)
    if mask_phones:
        outcome = outcome.masked()
    table = outcome.report.sheets[0].tables[0].frame
    for _, r in table.head(PROBLEMS_SHOWN).iterrows():
        click.echo(f"第 {r['行号']} 行 {r['保单号']} {r['列']}={r['值']}: {r['问题']}")
    if len(table) > PROBLEMS_SHOWN:
        click.echo(f"… 另有 {len(table) - PROBLEMS_SHOWN} 个问题" + ("" if output else " (用 -o 输出全部)"))
    if output is not None:
        _write(outcome, output)
    else:
        for line in outcome.messages:
            click.echo(line)
    if outcome.problems:
        raise click.exceptions.Exit(1)


@click.command("demo")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    default=Path("demo-output"),
    show_default=True,
    help="输出目录",
)
@click.option(
    "--policies",
    "policies",
    type=click.IntRange(10, 2_000_000),
    metavar="N",
    default=2000,
    show_default=True,
    help="样例保单数",
)
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@click.option("--seed", "seed", type=int, metavar="N", default=20260101, show_default=True, help="随机种子")
def demo(out: Path, policies: int, as_of: str | None, seed: int) -> None:
    """样例: 生成样例台账 (固定种子) 和全部报表 (续保清单、分析、进度、结算、年度、业务结构、检查、报价)。"""
    from renewal_xl.cli.demo import run_demo

    for line in run_demo(out, policies, _day(as_of, "as_of"), seed):
        click.echo(line)


@click.command("build-workbooks")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    default=Path("workbooks"),
    show_default=True,
    help="输出目录",
)
def build_workbooks(out: Path) -> None:
    """重新生成模板工作簿 (业务、财务、费率表)。"""
    from renewal_xl.templates import build_all

    for path in build_all(out):
        click.echo(f"已写入 {path}")


COMMANDS = (demo, renewals, review, progress_command, price, statements, mix, check, build_workbooks)
