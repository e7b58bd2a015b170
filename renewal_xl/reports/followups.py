"""Follow-up columns on the due list, and the collected tracking workbook (renewal-workflow
§3b).

- :func:`with_followups`: a due-list table with the empty follow-up columns of
  :data:`renewal_xl.workflow.followups.FOLLOWUP` at its right, each with its validation:
  drop-downs for 跟进状态 and 脱保原因, a date for 联系日期 (shown ``yyyy-mm-dd``), free text
  for 转投公司 and 备注;
- :func:`tracking_report`: sheet ``续保跟踪`` (header in row 1, so it reads back as a
  tracking table: ``review --tracking``, ``collect --tracking``) with one row per policy and
  its source, and sheet ``冲突`` listing disagreeing entries when there are any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from renewal_xl.io.register import TRACKING_SHEET
from renewal_xl.reports.spec import Report, Sheet, Table, Validation
from renewal_xl.workflow.followups import FOLLOWUP, STATUSES, Collected
from renewal_xl.workflow.review import LAPSE_REASONS

CONFLICT_SHEET = "冲突"
DATE_FORMAT = "yyyy-mm-dd"
FIRST_CONTACT, LAST_CONTACT = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
VALIDATIONS: dict[str, Validation] = {
    FOLLOWUP["status"]: Validation(choices=STATUSES, error="请从下拉列表选择: " + " ".join(STATUSES)),
    FOLLOWUP["lapse_reason"]: Validation(choices=LAPSE_REASONS, error="请从下拉列表选择脱保原因"),
    FOLLOWUP["contact_date"]: Validation(
        dates=(FIRST_CONTACT, LAST_CONTACT), error="请填写日期, 如 2026-12-05 (2000-01-01 至 2099-12-31)"
    ),
}
SOURCE_HEADER = "来源"
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


def with_followups(table: Table) -> Table:
    """``table`` with the empty follow-up columns (and their validations) appended."""
    frame = table.frame.copy()
    for header in FOLLOWUP.values():
        frame[header] = pd.Series(None, index=frame.index, dtype=object)
    return replace(
        table,
        frame=frame,
        formats={**table.formats, FOLLOWUP["contact_date"]: DATE_FORMAT},
        validations={**table.validations, **VALIDATIONS},
    )


def tracking_table(tracking: pd.DataFrame) -> Table:
    """Tracking rows (keys of :data:`TRACKING_HEADERS`) under their Chinese headers."""
    frame = tracking.reindex(columns=list(TRACKING_HEADERS)).rename(columns=TRACKING_HEADERS)
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
