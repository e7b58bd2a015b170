"""The data-quality report (renewal-workflow §4, macro check_data): sheet ``数据质量``,
one row per problem."""

from __future__ import annotations

import pandas as pd

from renewal_xl.reports.spec import Report, Sheet
from renewal_xl.reports.tables import table

QUALITY_SHEET = "数据质量"
COLUMNS = [
    ("row", "行号", "int"),
    ("policy_no", "保单号", "text"),
    ("salesperson", "业务员", "text"),
    ("agency", "代理机构", "text"),
    ("column", "列", "text"),
    ("value", "值", "text"),
    ("problem", "问题", "text"),
]


def quality_report(problems: pd.DataFrame, rows: int) -> Report:
    """``problems`` of :func:`renewal_xl.workflow.quality.check_register` of a register of
    ``rows`` data rows."""
    bad_rows = problems.loc[problems["row"] > 1, "row"].nunique()
    by_column = problems.groupby("column", sort=False).size().sort_values(ascending=False)
    notes = [
        f"检查 {rows} 行保单: 发现 {len(problems)} 个问题, 涉及 {bad_rows} 行"
        if len(problems)
        else f"检查 {rows} 行保单: 未发现问题"
    ]
    if len(by_column):
        notes.append("按列: " + ", ".join(f"{c} {k}" for c, k in by_column.items()))
    return Report([Sheet(QUALITY_SHEET, [table(problems, COLUMNS)], notes=notes)])
