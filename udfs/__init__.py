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
from udfs.worksheet import *  # noqa: F403 - every worksheet function of the contract
from udfs.worksheet import __all__ as _functions

FUNCTIONS = tuple(_functions)  # in the contract's order, which fixes the generated .bas
MACROS = (
    "generate_renewal_list",
    "monthly_review",
    "check_data",
    "commission_statement",
    "renewal_progress",
    "collect_followups",
)

__all__ = [*FUNCTIONS, *MACROS]
