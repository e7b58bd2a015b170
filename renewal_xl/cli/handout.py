"""Writing the handed-out due lists of ``renewals --split … --out-dir DIR``: one workbook
per owner (:func:`renewal_xl.app.jobs.handed_out`), each written atomically; the
directory is created when missing; nothing is written when no policy is due."""

from __future__ import annotations

from pathlib import Path

import click

from renewal_xl.app.jobs import Outcome
from renewal_xl.io.atomic import check_not_input
from renewal_xl.render.xlsx_writer import write_report


def write_lists(
    lists: list[tuple[str, Outcome]], messages: list[str], out_dir: Path, register: Path, mask: bool
) -> None:
    """Write each ``(file name, workbook)`` into ``out_dir`` and say what went where."""
    for line in messages:
        click.echo(line)
    if not lists:
        click.echo("没有应续保单, 未生成文件")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, outcome in lists:
        path = out_dir / name
        check_not_input(path, [register])
        write_report((outcome.masked() if mask else outcome).report, path)
        click.echo(f"{outcome.messages[0]} → 已写入 {path}")
    click.echo(f"共 {len(lists)} 个文件, 写入 {out_dir}")
