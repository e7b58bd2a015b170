"""The one decorator that makes a worksheet function of :mod:`renewal_xl.spreadsheet.worksheet` an
xlwings UDF.

:func:`udf` wraps it with :func:`renewal_xl.spreadsheet.worksheet.cell_function` (cell conversion,
short ``#`` error texts, unexpected errors logged on the ``udfs`` logger without their
message) and adds xlwings' metadata: ``@xw.arg`` for each argument (Function Wizard help
from :mod:`renewal_xl.spreadsheet.help`, cell errors passed as text, the ``table`` argument
read as a 2-D range) and ``@xw.func`` with the category.

On Windows with pywin32, xlwings' decorators record the metadata that "Import
Functions" turns into VBA; elsewhere they return the function unchanged.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

import xlwings as xw

from renewal_xl.spreadsheet import worksheet
from renewal_xl.spreadsheet.help import arg_help
from renewal_xl.spreadsheet.worksheet import TABLE_ARG, cell_function

CATEGORY = "renewal-xl 续保"

logger = logging.getLogger("udfs")


def udf(**func_options) -> Callable[[Callable], Callable]:
    """Register a worksheet function (``func_options`` go to ``@xw.func``)."""

    def register(body: Callable) -> Callable:
        f = cell_function(body, logger)
        for name, p in inspect.signature(body).parameters.items():
            options = {"ndim": 2} if name == TABLE_ARG else {}
            f = xw.arg(name, doc=arg_help(name, p.default), err_to_str=True, **options)(f)
        return xw.func(category=CATEGORY, **func_options)(f)

    return register


def unexpected(where: str, exc: Exception) -> str:
    """Log an unexpected exception on the ``udfs`` logger without its message and return
    the short text a user sees."""
    return worksheet.unexpected(where, exc, logger)
