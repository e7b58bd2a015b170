"""``renewal-xl recalc``: recalculate workbooks in LibreOffice with the add-in.

One input with ``-o OUT.xlsx``, or several with ``--out-dir DIR`` (same file names, one
LibreOffice for all). Prints each cell whose formula ended in an error as
``sheet!cell: value`` (the first :data:`ERRORS_SHOWN` per file). Exit codes: 0 done, 1
some cells ended in an error (the outputs are still written), 2 usage or input error or
LibreOffice missing (a Chinese line on stderr).
"""

from __future__ import annotations

from pathlib import Path

import click

from renewal_xl.cli.commands import out_dir_option, output_option

ERRORS_SHOWN = 50


@click.command("recalc")
@click.argument("books", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="BOOK.xlsx…")
@output_option("输出 .xlsx 文件 (一个输入时)", required=False)
@out_dir_option("输出目录 (多个输入时, 文件名不变)")
@click.pass_context
def recalc(ctx: click.Context, books: tuple[Path, ...], output: Path | None, out_dir: Path | None) -> None:
    """用 LibreOffice 重新计算工作簿, 保存公式和结果。

    工作簿中的 RENEWAL_PREMIUM 等函数一并计算; 需先运行 renewal-xl install --libreoffice。"""
    if (output is None) == (out_dir is None):
        raise click.UsageError("须给出 -o 输出文件 或 --out-dir 输出目录 (二选一)")
    if output is not None and len(books) > 1:
        raise click.UsageError(f"{len(books)} 个输入文件须用 --out-dir 输出目录")
    if out_dir is not None and not out_dir.is_dir():
        raise click.UsageError(f"输出目录 {out_dir} 不存在")
    # imported here: its openpyxl tokenizer would cost every other command ~0.1 s to start
    from renewal_xl.calc.recalc import recalc_files

    done = recalc_files(books, out_dir, outputs=[output] if output else None)
    bad = 0
    for result in done:
        click.echo(f"已写入 {result.output}" + (f" ({len(result.errors)} 个单元格出错)" if result.errors else ""))
        for error in result.errors[:ERRORS_SHOWN]:
            click.echo(f"  {error}")
        if len(result.errors) > ERRORS_SHOWN:
            click.echo(f"  … 另有 {len(result.errors) - ERRORS_SHOWN} 个")
        bad += len(result.errors)
    ctx.exit(1 if bad else 0)


COMMANDS = (recalc,)
