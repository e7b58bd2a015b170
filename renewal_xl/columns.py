"""Column names of the sheets users exchange (excel-contract §3): English keys and
Chinese headers, and renaming a table's headers (either language) to the keys.

>>> import pandas as pd
>>> list(canonical(pd.DataFrame(columns=["保单号", "VIN", "渠道"]), REGISTER).columns)
['policy_no', 'vin', 'channel']
"""

from __future__ import annotations

import pandas as pd

from renewal_xl.vocabulary import (
    FIELDS,
    FINANCE_COLUMNS,
    FINANCE_COMPUTED,
    QUOTE_INPUTS,
    REGISTER_COLUMNS,
    TARGET_COLUMNS,
    TRACKING_COLUMNS,
)


def _headers(keys: tuple[str, ...]) -> dict[str, str]:
    return {key: FIELDS[key].heading for key in keys}


# key -> Chinese header, in the contract's order (renewal_xl.vocabulary declares them)
REGISTER: dict[str, str] = _headers(REGISTER_COLUMNS)
REGISTER_OPTIONAL = tuple(key for key in REGISTER_COLUMNS if FIELDS[key].optional)
TRACKING: dict[str, str] = _headers(TRACKING_COLUMNS)
# salesperson targets of the year (excel-contract §4: --targets, sheet 目标)
TARGETS: dict[str, str] = _headers(TARGET_COLUMNS)
# the finance template's 手续费明细: typed columns (what statements reads) and computed ones
FINANCE: dict[str, str] = _headers(FINANCE_COLUMNS)
FINANCE_FORMULAS: dict[str, str] = _headers(FINANCE_COMPUTED)
# quote inputs (tariff manual §2) as table columns
QUOTE: dict[str, str] = _headers(QUOTE_INPUTS)


def canonical(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``frame`` with headers in Chinese or English (any case, surrounding blanks ignored)
    renamed to the keys of ``columns``; other headers are kept as they are."""
    lookup = {key.upper(): key for key in columns} | {zh.upper(): key for key, zh in columns.items()}
    renamed = {c: lookup.get(str(c).strip().upper(), c) for c in frame.columns}
    return frame.rename(columns=renamed)
