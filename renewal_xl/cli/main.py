"""The ``renewal-xl`` command line (excel-contract §4). Commands live in their own
modules; this module holds the group and the options every command shares.

Every text is Chinese, click's own included (:mod:`renewal_xl.cli.chinese`). Every failure
ends in one Chinese line on stderr and a documented exit code, never a
traceback:

========  ==================================================================================
exit      when
========  ==================================================================================
2         ``错误: …`` an input error (a domain :class:`~renewal_xl.errors.RenewalError`: a
          missing column, a damaged or oddly encoded workbook, a bad tariff file) or
          ``用法错误: …`` a usage error
1         ``错误: 磁盘空间不足 / 没有权限 / 文件读写失败 …`` a failed file operation (ENOSPC,
          EACCES, XlsxWriter's ``FileCreateError``); no partial output is left
3         ``错误: 未找到 Java 运行环境 / 未安装 pyspark / Spark 作业失败 …`` the engine of
          ``--engine spark`` cannot run here (:class:`~renewal_xl.errors.EngineError`)
130       ``已中断 …`` Ctrl-C (KeyboardInterrupt) at any moment, also while modules load
          (:func:`renewal_xl.cli.entry.run`); no partial output is left
70        ``内部错误: …`` anything else (a defect to report), still one line
========  ==================================================================================
"""

from __future__ import annotations

import errno
import os
import sys

import click

from renewal_xl.cli import chinese
from renewal_xl.cli.entry import INTERRUPT_EXIT, INTERRUPTED
from renewal_xl.errors import ENGINE_EXIT, EngineError, RenewalError, escaped
from renewal_xl.tariff.catalogue import ENV_VAR

chinese.install()  # before the decorators below: click evaluates some help texts when they run

USAGE_EXIT = 2
FILE_EXIT = 1
INTERNAL_EXIT = 70  # EX_SOFTWARE
_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统只读",
    errno.ENOENT: "文件或目录不存在",
}


def os_error_line(exc: OSError) -> str:
    """The one line of a failed file operation: what happened (Chinese) and the file."""
    reason = _OS_REASONS.get(exc.errno, "文件读写失败")
    where = f": {exc.filename}" if exc.filename else ""
    return escaped(f"错误: {reason}, 未生成输出{where} ({exc.strerror or exc})")


class Interrupted(Exception):
    """Ctrl-C inside a command, carried past click (which would print an empty line first)."""


class RenewalGroup(click.Group):
    """A click group that reports errors as one Chinese line and exits 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise Interrupted from exc

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        before = os.environ.get(ENV_VAR)  # --tariff sets it for this run only
        try:
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)
        finally:
            if before is None:
                os.environ.pop(ENV_VAR, None)
            else:
                os.environ[ENV_VAR] = before

    def _main(self, args, prog_name, complete_var, standalone_mode, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # `renewal-xl` alone: the help, no error line
            click.echo(exc.ctx.get_help())
            sys.exit(USAGE_EXIT)
        except click.UsageError as exc:
            hint = f" (帮助: {exc.ctx.command_path} --help)" if exc.ctx else ""
            click.echo(f"用法错误: {chinese.full_stops(exc.format_message())}{hint}", err=True)
            sys.exit(USAGE_EXIT)
        except click.ClickException as exc:
            click.echo(f"错误: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):
                click.echo(INTERRUPTED, err=True)
                sys.exit(INTERRUPT_EXIT)
            click.echo("已取消", err=True)
            sys.exit(1)
        except (KeyboardInterrupt, Interrupted):
            click.echo(INTERRUPTED, err=True)
            sys.exit(INTERRUPT_EXIT)
        except RenewalError as exc:
            click.echo(f"错误: {exc}", err=True)
            sys.exit(USAGE_EXIT)
        except EngineError as exc:
            click.echo(escaped(f"错误: {exc}"), err=True)
            sys.exit(ENGINE_EXIT)
        except OSError as exc:  # disk full, no permission …: nothing was written
            click.echo(os_error_line(exc), err=True)
            sys.exit(FILE_EXIT)
        except MemoryError:
            click.echo("错误: 内存不足, 未生成输出 (请分批处理台账)", err=True)
            sys.exit(FILE_EXIT)
        except Exception as exc:  # a defect: still one line, never a traceback
            click.echo(escaped(f"内部错误: {type(exc).__name__}: {exc} (请将此行报告给维护人员)"), err=True)
            sys.exit(INTERNAL_EXIT)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=RenewalGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--tariff",
    "tariff",
    default=None,
    metavar="PATH[:PATH…]",
    help=f"自定义费率表: CSV 表格所在目录或 .xlsx 费率工作簿; 多个用 {os.pathsep!r} 分隔 (也可设环境变量 RENEWAL_XL_TARIFF)",
)
@click.version_option(package_name="renewal-xl")
def main(tariff: str | None) -> None:
    """renewal-xl: 车险续保报价、续保清单分发与收回、续保分析和手续费结算。

    每个命令的说明: renewal-xl 命令 --help"""
    if tariff:
        os.environ[ENV_VAR] = tariff


@main.command()
@click.option(
    "--libreoffice",
    is_flag=True,
    help="生成 LibreOffice Calc 加载项 (.oxt) 并为所有用户安装 (unopkg add --shared)",
)
@click.pass_context
def install(ctx: click.Context, libreoffice: bool) -> None:
    """安装 Excel 加载项和配置 (Windows; 其他系统只说明将做什么, 退出码 2)。

    加 --libreoffice: 把工作表函数安装到 LibreOffice Calc (任何系统)。"""
    if libreoffice:
        from renewal_xl.calc.setup import install as install_calc

        ctx.exit(install_calc(echo=click.echo))
    from renewal_xl.cli.install import install as run_install

    ctx.exit(run_install(echo=click.echo))


def _add_commands() -> None:
    from renewal_xl.cli.collect import COMMANDS as COLLECT_COMMANDS
    from renewal_xl.cli.commands import COMMANDS
    from renewal_xl.cli.recalc import COMMANDS as CALC_COMMANDS

    for command in (*COMMANDS, *COLLECT_COMMANDS, *CALC_COMMANDS):
        main.add_command(command)
    chinese.chinese_placeholders(main)


_add_commands()
