"""The one decorator that makes a plain function a worksheet function.

:func:`udf` wraps a function whose parameters are named as in the contract:

- every argument cell goes through :func:`udfs.cells.cell` (the ``table`` argument of
  an array function is passed as rows);
- the result goes through :func:`udfs.cells.to_cell`;
- a :class:`~renewal_xl.errors.RenewalError` becomes its short ``#`` text; any other
  exception becomes ``#错误 …`` and is logged with its type and stack only (the message
  may hold a customer's data, so it is not logged);
- xlwings gets ``@xw.arg`` for each argument (Function Wizard help from
  :mod:`udfs.help`, cell errors passed as text) and ``@xw.func`` with the category.

On Windows with pywin32, xlwings' decorators record the metadata that "Import
Functions" turns into VBA; elsewhere they return the function unchanged.
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback
from collections.abc import Callable

import xlwings as xw

from renewal_xl.errors import RenewalError
from udfs.cells import cell, error_text, short, to_cell
from udfs.help import arg_help

CATEGORY = "renewal-xl 续保"
TABLE_ARG = "table"

logger = logging.getLogger("udfs")


def udf(**func_options) -> Callable[[Callable], Callable]:
    """Register a worksheet function (``func_options`` go to ``@xw.func``)."""

    def register(body: Callable) -> Callable:
        parameters = inspect.signature(body).parameters
        names = list(parameters)

        @functools.wraps(body)
        def call(*args):
            try:
                values = [v if name == TABLE_ARG else cell(name, v) for name, v in zip(names, args)]
                return to_cell(body(*values))
            except RenewalError as exc:
                return error_text(exc)
            except Exception as exc:  # noqa: BLE001 - a cell must never show a traceback
                return unexpected(body.__name__, exc)

        f = call
        for name, p in parameters.items():
            options = {"ndim": 2} if name == TABLE_ARG else {}
            f = xw.arg(name, doc=arg_help(name, p.default), err_to_str=True, **options)(f)
        return xw.func(category=CATEGORY, **func_options)(f)

    return register


def unexpected(where: str, exc: Exception) -> str:
    """Log an unexpected exception without its message (it may carry personal data) and
    return the short text a user sees."""
    logger.error("%s: %s\n%s", where, type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
    return short(f"#错误 内部错误 ({type(exc).__name__}), 请联系管理员查看日志")
