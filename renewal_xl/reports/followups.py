"""Follow-up columns on the due list (renewal-workflow §3b): :func:`with_followups` puts the
empty follow-up columns of :data:`renewal_xl.workflow.followups.FOLLOWUP` at the right of a
due-list table, each with its validation: drop-downs for 跟进状态 and 脱保原因, a date for
联系日期 (shown ``yyyy-mm-dd``), free text for 转投公司 and 备注."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from renewal_xl.reports.spec import Table, Validation
from renewal_xl.workflow.followups import FOLLOWUP, STATUSES
from renewal_xl.workflow.review import LAPSE_REASONS

DATE_FORMAT = "yyyy-mm-dd"
FIRST_CONTACT, LAST_CONTACT = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
VALIDATIONS: dict[str, Validation] = {
    FOLLOWUP["status"]: Validation(choices=STATUSES, error="请从下拉列表选择: " + " ".join(STATUSES)),
    FOLLOWUP["lapse_reason"]: Validation(choices=LAPSE_REASONS, error="请从下拉列表选择脱保原因"),
    FOLLOWUP["contact_date"]: Validation(
        dates=(FIRST_CONTACT, LAST_CONTACT), error="请填写日期, 如 2026-12-05 (2000-01-01 至 2099-12-31)"
    ),
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
