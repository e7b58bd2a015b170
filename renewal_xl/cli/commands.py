"""Workflow commands of ``renewal-xl`` (excel-contract §4): demo, renewals, review, price,
statements, check.

REGISTER is an .xlsx/.xlsm (sheet 保单台账, else the first sheet) or a UTF-8 .csv file.
Outputs are written atomically (:mod:`renewal_xl.io.atomic`): a failed run leaves no partial
file, and an output path equal to an input is refused. Exit codes: 0 done, 1 ``check``
found problems, 2 usage or input error (a Chinese line on stderr).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from renewal_xl.app import jobs
from renewal_xl.cli.progress import progress
from renewal_xl.dates import month_bounds
from renewal_xl.errors import InputError
from renewal_xl.io.atomic import check_not_input
from renewal_xl.io.register import EXCEL_SUFFIXES, read_register, read_tracking
from renewal_xl.io.xlsx_writer import report_rows, write_report
from renewal_xl.pricing.inputs import to_date
from renewal_xl.reports.privacy import mask_report
from renewal_xl.tariff.catalogue import tariff_paths
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.statements import DEFAULT_TARGET

PROBLEMS_SHOWN = 20  # problems printed by `check`

_register_arg = click.argument("register", type=click.Path(dir_okay=False, path_type=Path))
_output = click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出 .xlsx 文件"
)
_month = click.option("--month", "month", metavar="YYYY-MM", help="月份, 如 2026-03")
_mask = click.option(
    "--mask-phones", "mask_phones", is_flag=True, help="电话号码显示为 138****1234, 身份证号显示为 110101********4518"
)


def _day(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    day = to_date(value)
    if day is None:
        raise InputError(option, value, "须为日期, 如 2026-01-31")
    return day


def _output_path(output: Path, *inputs: Path | None) -> Path:
    if output.suffix.lower() != ".xlsx":
        raise InputError("output", str(output), "输出文件须为 .xlsx")
    check_not_input(output, [*inputs, *tariff_paths()])  # the tariff workbook is an input too
    return output


def _register(path: Path, columns):
    """The register of ``path``; the file check's warnings (macros, external links) on stderr."""
    return _warned(read_register(path, columns))


def _warned(frame):
    if frame is not None:
        for line in frame.attrs.get("warnings", []):
            click.echo(f"警告: {line}", err=True)
    return frame


def _write(outcome: jobs.Outcome, output: Path, mask: bool = False) -> None:
    report = mask_report(outcome.report) if mask else outcome.report
    with progress(report_rows(report), "写入 " + output.name) as advance:
        write_report(report, output, advance)
    for line in outcome.messages:
        click.echo(line)
    click.echo(f"已写入 {output}")


@click.command("renewals")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@_month
@click.option("--days", "days", type=click.IntRange(1, 3660), help="终保日期在基准日后 N 天内")
@_mask
@click.option("--hotline", help="续保通知中的客服热线 (默认环境变量 RENEWAL_XL_HOTLINE)")
@_output
def renewals(
    register: Path,
    as_of: str | None,
    month: str | None,
    days: int | None,
    mask_phones: bool,
    hotline: str | None,
    output: Path,
) -> None:
    """续保清单: due list, per-salesperson sheets, summary and notices (默认: 基准日的下一个月)."""
    if month and days:
        raise click.UsageError("--month 与 --days 只能选一个")
    day = _day(as_of, "as_of")
    window = Window.of(day, month_bounds(month) if month else None, days)
    output = _output_path(output, register)
    reg = _register(register, jobs.RENEWAL_COLUMNS)
    _write(jobs.renewals(reg, day, window, hotline=hotline, mask_phones=mask_phones), output, mask_phones)


@click.command("review")
@_register_arg
@click.option("--month", "month", metavar="YYYY-MM", required=True, help="分析的月份 (终保日期所在月)")
@click.option(
    "--tracking",
    "tracking",
    type=click.Path(dir_okay=False, path_type=Path),
    help="续保跟踪文件 (默认: 台账工作簿中的 续保跟踪 工作表)",
)
@_mask
@_output
def review(register: Path, month: str, tracking: Path | None, mask_phones: bool, output: Path) -> None:
    """续保分析: monthly renewal rates, lapse reasons, 抢户 list, charts."""
    window = Window(*month_bounds(month))
    output = _output_path(output, register, tracking)
    reg = _register(register, jobs.REVIEW_COLUMNS)
    if tracking is not None:
        track = _warned(read_tracking(tracking))
    elif register.suffix.lower() in EXCEL_SUFFIXES:
        track = read_tracking(register, first_sheet=False)  # its warnings were shown with the register
    else:
        track = None
    _write(jobs.review(reg, window, track), output, mask_phones)


@click.command("price")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@_mask
@_output
def price(register: Path, as_of: str | None, mask_phones: bool, output: Path) -> None:
    """续保报价: the register with each row's renewal quote and breakdown."""
    day = _day(as_of, "as_of")
    output = _output_path(output, register)
    _write(jobs.price(_register(register, jobs.PRICE_COLUMNS), day), output, mask_phones)


@click.command("statements")
@_register_arg
@click.option("--month", "month", metavar="YYYY-MM", required=True, help="结算月份 (起保日期所在月)")
@click.option(
    "--target",
    "target",
    type=click.IntRange(1, 100000),
    default=DEFAULT_TARGET,
    show_default=True,
    help="每名业务员每月续保目标件数",
)
@_mask
@_output
def statements(register: Path, month: str, target: int, mask_phones: bool, output: Path) -> None:
    """手续费结算 and 绩效提取 of the policies started in the month."""
    window = Window(*month_bounds(month))
    output = _output_path(output, register)
    _write(jobs.statement(_register(register, jobs.STATEMENT_COLUMNS), window, target), output, mask_phones)


@click.command("check")
@_register_arg
@click.option("--as-of", "as_of", metavar="DATE", help="基准日, 选择费率表 (默认今天)")
@click.option(
    "-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="输出 .xlsx 文件 (可选)"
)
@_mask
def check(register: Path, as_of: str | None, output: Path | None, mask_phones: bool) -> None:
    """数据质量: every bad cell of the register; exit code 1 when problems are found."""
    day = _day(as_of, "as_of")
    if output is not None:
        output = _output_path(output, register)
    reg = _register(register, jobs.CHECK_COLUMNS)
    outcome = jobs.check(reg, day)
    if mask_phones:
        outcome.report = mask_report(outcome.report)
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
    default=Path("demo-output"),
    show_default=True,
    help="输出目录",
)
@click.option(
    "--policies", "policies", type=click.IntRange(10, 2_000_000), default=2000, show_default=True, help="样例保单数"
)
@click.option("--as-of", "as_of", metavar="DATE", help="基准日 (默认今天)")
@click.option("--seed", "seed", type=int, default=20260101, show_default=True, help="随机种子")
def demo(out: Path, policies: int, as_of: str | None, seed: int) -> None:
    """Sample register (fixed seed) and every report: renewal list, review, statements, check."""
    from renewal_xl.cli.demo import run_demo

    for line in run_demo(out, policies, _day(as_of, "as_of"), seed):
        click.echo(line)


@click.command("build-workbooks")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("workbooks"),
    show_default=True,
    help="输出目录",
)
def build_workbooks(out: Path) -> None:
    """Rebuild the template workbooks (sales, finance, tariff) from code."""
    from renewal_xl.templates import build_all

    for path in build_all(out):
        click.echo(f"已写入 {path}")


COMMANDS = (demo, renewals, review, price, statements, check, build_workbooks)
