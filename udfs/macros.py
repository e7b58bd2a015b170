"""The macros of the contract (excel-contract §2) as xlwings scripts.

Each works on the workbook that called it (``xw.Book.caller()``) through
:class:`udfs.xlbook.XlBook`, runs the workflow of :mod:`renewal_xl.app.macros` and shows its
messages in a message box. Errors are shown as short Chinese text, never a traceback.

How they are started:

- Windows: "Import Functions" (``UDF Modules = udfs``) creates a VBA ``Sub`` of the same
  name for each (``@xw.script``, formerly ``@xw.sub``); assign it to a button or run it
  with Alt+F8.
- Windows and macOS: a VBA macro ``RunPython "import udfs; udfs.generate_renewal_list()"``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import xlwings as xw

from renewal_xl.errors import RenewalError
from renewal_xl.spreadsheet.cells import short
from udfs.register import unexpected
from udfs.xlbook import XlBook

TITLE = "renewal-xl 续保"
MAX_LINES = 20  # lines shown in the message box


def run(macro: str, book=None) -> list[str]:
    """Run ``renewal_xl.app.macros.<macro>`` on ``book`` (default: the calling workbook), show
    its messages and return them."""
    book = book or xw.Book.caller()
    try:
        action: Callable = getattr(importlib.import_module("renewal_xl.app.macros"), macro)
        messages = list(action(XlBook(book))) or ["完成"]
    except RenewalError as exc:
        messages = [short(f"未完成: {exc}")]
    except Exception as exc:  # noqa: BLE001 - a user sees a short message, the log the stack
        messages = [unexpected(macro, exc)]
    book.app.alert(message_box(messages), title=TITLE)
    return messages


def message_box(messages: list[str]) -> str:
    """The text of the message box: the first :data:`MAX_LINES` messages and how many more."""
    shown = messages[:MAX_LINES]
    if len(messages) > MAX_LINES:
        shown.append(f"… 另有 {len(messages) - MAX_LINES} 条, 详见报表工作表")
    return "\n".join(shown)


@xw.script
def generate_renewal_list():
    """生成续保清单 generate_renewal_list: 读取 保单台账, 写入 续保清单、续保-业务员、续保汇总 和 续保通知。"""
    run("generate_renewal_list")


@xw.script
def monthly_review():
    """月度续保分析 monthly_review: 读取 保单台账 和 续保跟踪, 写入 续保分析 (表格和图表)。"""
    run("monthly_review")


@xw.script
def renewal_progress():
    """续保进度 renewal_progress: 读取 保单台账 和 续保跟踪, 写入本月 续保进度 (按业务员、到期天数分档、紧急跟进名单)。"""
    run("renewal_progress")


@xw.script
def check_data():
    """数据检查 check_data: 检查 保单台账, 在 数据质量 中列出每个有问题的单元格。"""
    run("check_data")


@xw.script
def commission_statement():
    """手续费结算 commission_statement: 写入上月的 手续费结算 (按代理机构) 和 绩效提取 (按业务员), 以及当年至上月末的 年度绩效 (目标取自 目标 工作表)。"""
    run("commission_statement")


@xw.script
def collect_followups():
    """收回跟进记录 collect_followups: 读取 续保清单 和 续保-业务员 上填写的跟进列, 加入 续保跟踪。"""
    run("collect_followups")


__all__ = [
    "check_data",
    "collect_followups",
    "commission_statement",
    "generate_renewal_list",
    "monthly_review",
    "renewal_progress",
]
