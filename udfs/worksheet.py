"""The worksheet functions of the contract (excel-contract §1) as xlwings UDFs.

Each is a function of :mod:`renewal_xl.spreadsheet.worksheet` (names, arguments, defaults and
docstrings shared with the LibreOffice Calc add-in) under :func:`udfs.register.udf`,
which converts the cells, turns errors into short ``#`` texts and registers the Function
Wizard help.
"""

from __future__ import annotations

from renewal_xl.spreadsheet import worksheet as w
from udfs.register import udf

# every worksheet function of the contract, by the one list of them (renewal_xl.spreadsheet.worksheet)
for _function in w.FUNCTIONS:
    globals()[_function.__name__] = udf()(_function)
del _function

__all__ = [function.__name__ for function in w.FUNCTIONS]
