"""renewal-xl in Excel: worksheet functions and macros for xlwings (``UDF Modules = udfs``).

xlwings' "Import Functions" writes a VBA wrapper for every function and macro this
module exposes, under the names below (excel-contract §1 and §2). The logic lives in
:mod:`renewal_xl`; this package only converts cells and talks to Excel.
"""

from udfs.macros import (
    check_data,
    collect_followups,
    commission_statement,
    generate_renewal_list,
    monthly_review,
    renewal_progress,
)
from udfs.worksheet import (
    ACTUAL_VALUE,
    COMMISSION,
    COMMISSION_RATE,
    DAYS_TO_EXPIRY,
    DEDUCTIBLE_FACTOR,
    MONTHS_BETWEEN,
    NCD_FACTOR,
    PACKAGE_PRICE,
    PACKAGE_RECOMMEND,
    PERFORMANCE_PAY,
    PREMIUM_BREAKDOWN,
    RENEWAL_BONUS,
    RENEWAL_DUE,
    RENEWAL_OPTIONS,
    RENEWAL_PREMIUM,
    RENEWAL_PREMIUMS,
    RENEWAL_VOUCHER,
)

FUNCTIONS = (
    "RENEWAL_PREMIUM",
    "PREMIUM_BREAKDOWN",
    "PACKAGE_PRICE",
    "PACKAGE_RECOMMEND",
    "ACTUAL_VALUE",
    "NCD_FACTOR",
    "DEDUCTIBLE_FACTOR",
    "RENEWAL_VOUCHER",
    "COMMISSION_RATE",
    "COMMISSION",
    "PERFORMANCE_PAY",
    "RENEWAL_BONUS",
    "MONTHS_BETWEEN",
    "DAYS_TO_EXPIRY",
    "RENEWAL_DUE",
    "RENEWAL_PREMIUMS",
    "RENEWAL_OPTIONS",
)
MACROS = (
    "generate_renewal_list",
    "monthly_review",
    "check_data",
    "commission_statement",
    "renewal_progress",
    "collect_followups",
)

__all__ = [*FUNCTIONS, *MACROS]
