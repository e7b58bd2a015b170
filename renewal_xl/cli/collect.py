"""``renewal-xl collect LIST.xlsx… [--tracking FILE] -o OUT.xlsx`` (excel-contract §4): the
follow-ups filled in on handed-out due lists merged into one 续保跟踪 workbook (rules:
:mod:`renewal_xl.workflow.followups`). The inputs are never written; a list with a value the
drop-downs do not offer stops the run with one Chinese line naming file, sheet, row and value."""

from __future__ import annotations

from pathlib import Path

import click

from renewal_xl.app.collect import collect as collect_job
from renewal_xl.cli.commands import _output, _output_path, _warned, _write, tracking_option
from renewal_xl.io.lists import sheet_rows
from renewal_xl.io.register import read_tracking
from renewal_xl.reports.tracking import is_list_sheet


@click.command("collect")
@click.argument("lists", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="LIST.xlsx…")
@tracking_option("已有的续保跟踪 (.xlsx 工作表 续保跟踪 或 .csv): 一并合并, 文件本身不改动")
@_output
def collect(lists: tuple[Path, ...], tracking: Path | None, output: Path) -> None:
    """收回清单: 把分发的续保清单上填写的跟进记录合并为一个续保跟踪工作簿。

    每份保单一行, 联系日期最新的记录为准; 同一日期内容不同的记录列在 冲突 工作表。"""
    output = _output_path(output, *lists, tracking)
    sheets = []
    for path in lists:
        found, warnings = sheet_rows(path, is_list_sheet, "续保清单工作表 (续保清单 或 续保-<业务员>)")
        for line in warnings:
            click.echo(f"警告: {line}", err=True)
        sheets.extend(found)
    current = _warned(read_tracking(tracking)) if tracking is not None else None
    origin = f"文件 {tracking.name}" if tracking is not None else ""
    _, outcome = collect_job(sheets, current, origin)
    _write(outcome, output)


COMMANDS = (collect,)
