"""The collect job shared by ``renewal-xl collect`` and the macro ``collect_followups``:
filled-in due-list sheets (and a tracking table) in, the merged 续保跟踪 workbook and
Chinese messages out (rules: :mod:`renewal_xl.workflow.followups`)."""

from __future__ import annotations

import pandas as pd

from renewal_xl.app.jobs import Outcome
from renewal_xl.io.register import Register
from renewal_xl.reports.tracking import CONFLICT_SHEET, tracking_report
from renewal_xl.workflow.followups import Collected, header_row, list_entries, merge, no_entries, tracking_entries

Rows = list[list]


def frame_rows(frame: pd.DataFrame) -> Rows:
    """A sheet read as a frame (first row as headers, :meth:`renewal_xl.app.book.Book.read_frame`)
    back as its cell rows, starting at row 1."""
    return [list(frame.columns), *frame.astype(object).to_numpy().tolist()]


def collect(
    sheets: list[tuple[str, Rows]], tracking: Register | None = None, tracking_origin: str = ""
) -> tuple[Collected, Outcome]:
    """Merge the follow-ups of ``sheets`` (``(origin, cell rows from row 1)`` each) into
    ``tracking`` (a tidied tracking table; None = none yet). A sheet without the follow-up columns
    (a user's own ``续保-…`` sheet, a list made before them) is skipped and named; when no
    sheet has them, SourceError."""
    usable = [header_row(rows) is not None for _, rows in sheets]
    lists = [sheet for sheet, ok in zip(sheets, usable) if ok]
    if sheets and not lists:
        list_entries(sheets[0][1], sheets[0][0])  # raises: no sheet has the follow-up columns
    entries = pd.concat([no_entries(), *(list_entries(rows, origin) for origin, rows in lists)], ignore_index=True)
    current = no_entries() if tracking is None else tracking_entries(tracking.frame, tracking_origin)
    collected = merge(current, entries)
    messages = [
        f"收集 {len(lists)} 个清单工作表: 填写的跟进记录 {len(entries)} 条; "
        f"续保跟踪 {len(collected.tracking)} 份保单 (新增 {collected.added}, 更新 {collected.updated})"
    ]
    skipped = [origin for (origin, _), ok in zip(sheets, usable) if not ok]
    if skipped:
        messages.append("没有跟进列, 未读取: " + " ".join(skipped))
    if not len(entries):
        messages.append("清单中没有填写跟进记录 (跟进状态、脱保原因、转投公司、联系日期、备注均为空)")
    if collected.older:
        messages.append(f"{collected.older} 条较早的记录未采用 (同一保单已有更新的联系日期)")
    if len(collected.conflicts):
        n = collected.conflicts["policy_no"].nunique()
        messages.append(f"{n} 份保单的跟进记录互相矛盾, 见工作表 {CONFLICT_SHEET}")
    return collected, Outcome(tracking_report(collected), messages)
