"""The collected tracking workbook (``collect``, macro ``collect_followups``; renewal-workflow
§3b): sheet ``续保跟踪`` with one row per policy and its source (header in row 1, so it
reads back as a tracking table: ``review --tracking``, ``collect --tracking``), and sheet
``冲突`` listing disagreeing entries when there are any; and which sheets of a workbook are
due lists to collect from."""

from __future__ import annotations

import re

import pandas as pd

from renewal_xl.io.register import TRACKING_SHEET
from renewal_xl.reports.followups import DATE_FORMAT, VALIDATIONS
from renewal_xl.reports.names import numbered_name
from renewal_xl.reports.renewals import LIST_SHEET, SALESPERSON_PREFIX
from renewal_xl.reports.spec import Report, Sheet, Table
from renewal_xl.workflow.followups import FOLLOWUP, SOURCE_HEADER, Collected

CONFLICT_SHEET = "冲突"
KEPT_HEADER = "采用"
TRACKING_HEADERS = {
    "policy_no": "保单号",
    "status": FOLLOWUP["status"],
    "contact_date": FOLLOWUP["contact_date"],
    "lapse_reason": FOLLOWUP["lapse_reason"],
    "next_insurer": FOLLOWUP["next_insurer"],
    "remark": FOLLOWUP["remark"],
    "source": SOURCE_HEADER,
}


def is_list_sheet(name: str) -> bool:
    """A due-list sheet whose follow-ups are collected: ``续保清单`` (or ``续保清单(2)``, where a
    macro had to write it beside a user's sheet) and every ``续保-<业务员>``.

    >>> [is_list_sheet(n) for n in ("续保清单", "续保清单(2)", "续保-张伟", "续保汇总", "续保跟踪")]
    [True, True, True, False, False]
    """
    numbered = re.fullmatch(r"(.*)\((\d+)\)", name)
    return (
        name == LIST_SHEET
        or name.startswith(SALESPERSON_PREFIX)
        or bool(numbered and numbered_name(LIST_SHEET, int(numbered.group(2))) == name)
    )


def tracking_table(tracking: pd.DataFrame) -> Table:
    """Tracking rows (keys of :data:`TRACKING_HEADERS`) under their Chinese headers."""
    frame = tracking.reindex(columns=list(TRACKING_HEADERS)).rename(columns=TRACKING_HEADERS)
    frame = frame.astype(object).where(frame.ne("") & frame.notna(), None)  # blank cells, not empty text
    return Table(frame.reset_index(drop=True), formats={FOLLOWUP["contact_date"]: DATE_FORMAT}, validations=VALIDATIONS)


def tracking_report(collected: Collected) -> Report:
    """``续保跟踪`` and, when entries disagree, ``冲突``."""
    sheets = [Sheet(TRACKING_SHEET, [tracking_table(collected.tracking)])]
    if len(collected.conflicts):
        conflicts = tracking_table(collected.conflicts)
        conflicts.frame[KEPT_HEADER] = ["是" if k else "否" for k in collected.conflicts["kept"]]
        conflicts.validations = {}
        n = collected.conflicts["policy_no"].nunique()
        notes = [
            f"{n} 份保单的跟进记录互相矛盾 (同一联系日期, 内容不同)",
            "续保跟踪 中采用了 采用=是 的一条; 请核实后在 续保跟踪 中改正",
        ]
        sheets.append(Sheet(CONFLICT_SHEET, [conflicts], notes=notes))
    return Report(sheets)
