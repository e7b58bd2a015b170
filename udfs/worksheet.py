"""The worksheet functions of the contract (excel-contract §1) as xlwings UDFs.

Each is a function of :mod:`renewal_xl.spreadsheet.worksheet` (names, arguments, defaults and
docstrings shared with the LibreOffice Calc add-in) under :func:`udfs.register.udf`,
which converts the cells, turns errors into short ``#`` texts and registers the Function
Wizard help.
"""

from __future__ import annotations

from renewal_xl.spreadsheet import worksheet as w
from udfs.register import udf

RENEWAL_PREMIUM = udf()(w.RENEWAL_PREMIUM)
PREMIUM_BREAKDOWN = udf()(w.PREMIUM_BREAKDOWN)
PACKAGE_PRICE = udf()(w.PACKAGE_PRICE)
PACKAGE_RECOMMEND = udf()(w.PACKAGE_RECOMMEND)
ACTUAL_VALUE = udf()(w.ACTUAL_VALUE)
NCD_FACTOR = udf()(w.NCD_FACTOR)
DEDUCTIBLE_FACTOR = udf()(w.DEDUCTIBLE_FACTOR)
RENEWAL_VOUCHER = udf()(w.RENEWAL_VOUCHER)
COMMISSION_RATE = udf()(w.COMMISSION_RATE)
COMMISSION = udf()(w.COMMISSION)
PERFORMANCE_PAY = udf()(w.PERFORMANCE_PAY)
RENEWAL_BONUS = udf()(w.RENEWAL_BONUS)
MONTHS_BETWEEN = udf()(w.MONTHS_BETWEEN)
DAYS_TO_EXPIRY = udf()(w.DAYS_TO_EXPIRY)
RENEWAL_DUE = udf()(w.RENEWAL_DUE)
RENEWAL_PREMIUMS = udf()(w.RENEWAL_PREMIUMS)
RENEWAL_OPTIONS = udf()(w.RENEWAL_OPTIONS)

# every worksheet function of the contract, by the one list of them (renewal_xl.spreadsheet.worksheet)
__all__ = sorted(f.__name__ for f in w.FUNCTIONS)
