"""Follow-ups filled in on handed-out due lists, collected back into one renewal tracking
table 续保跟踪 (renewal-workflow §3b, excel-contract §2 ``collect_followups`` and §3).

Every due-list row carries the follow-up columns :data:`FOLLOWUP` (跟进状态, 脱保原因,
转投公司, 联系日期, 备注), empty when handed out.

Reading a list sheet (:func:`list_entries`): the header row is the first of the first
:data:`HEADER_ROWS` rows holding 保单号 and every follow-up header (notes may stand above
it). A row with a 保单号 and at least one follow-up cell filled is an *entry*; 跟进状态
must be one of :data:`STATUSES`, 脱保原因 one of :data:`LAPSE_REASONS` and 联系日期 a
date, else a :class:`~renewal_xl.errors.SourceError` names the sheet, the row, the field
and the value. Every entry remembers where it came from (``source``: file, sheet, row).

Merging (:func:`merge`), per policy number:

- the candidates are the tracking table's current row for the policy (its last row, as the
  monthly review reads it) and every list entry; an entry without 联系日期 is older than
  any dated one;
- the newest 联系日期 wins: an older entry never replaces a newer one. At the same date the
  tracking row is kept, else the first entry in reading order (files as given, sheets in
  workbook order, rows top to bottom);
- entries at the winning date that say different things (跟进状态, 脱保原因, 转投公司 or
  备注) are a *conflict*: all of them are listed, the kept one marked. Identical entries
  (the same row filled on 续保清单 and on 续保-<业务员>) count once;
- the result has one row per policy: every policy of the tracking table, then the new
  ones in reading order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.errors import SourceError
from renewal_xl.readers import Errors, texts, to_date
from renewal_xl.workflow.review import LAPSE_REASONS

STATUSES = ("已续保", "未续保", "跟进中")
POLICY_HEADER = "保单号"
# follow-up columns of a due-list row, key -> header, in the order they are shown
FOLLOWUP: dict[str, str] = {
    "status": "跟进状态",
    "lapse_reason": "脱保原因",
    "next_insurer": "转投公司",
    "contact_date": "联系日期",
    "remark": "备注",
}
TEXT_KEYS = ("status", "lapse_reason", "next_insurer", "remark")  # what a conflict compares
# a tracking row (excel-contract §3 order) and where it came from
TRACKING_KEYS = ("policy_no", "status", "contact_date", "lapse_reason", "next_insurer", "remark", "source")
SOURCE_HEADER = "来源"  # where a tracking row came from (file, sheet, row)
HEADER_ROWS = 30  # rows searched for a list's header row
ALLOWED = {"status": STATUSES, "lapse_reason": LAPSE_REASONS}


def header_row(rows: list[list]) -> int | None:
    """Index of the first row (of the first :data:`HEADER_ROWS`) holding 保单号 and every
    follow-up header; None when there is none."""
    wanted = {POLICY_HEADER, *FOLLOWUP.values()}
    for i, row in enumerate(rows[:HEADER_ROWS]):
        if wanted <= {str(v).strip() for v in row if v is not None}:
            return i
    return None


def list_entries(rows: list[list], origin: str, first_row: int = 1) -> pd.DataFrame:
    """The filled follow-up rows of one list sheet given as cell rows (``rows[0]`` is sheet
    row ``first_row``), with ``source`` = ``origin 第 N 行``. Raises SourceError when the sheet
    has no follow-up columns or a cell holds a value the drop-down does not offer."""
    top = header_row(rows)
    if top is None:
        shown = " ".join([POLICY_HEADER, *FOLLOWUP.values()])
        raise SourceError(origin, "columns", shown, f"找不到跟进列的表头 ({shown}); 请用本版本重新生成续保清单")
    header = [None if v is None else str(v).strip() for v in rows[top]]
    where = {key: header.index(h) for key, h in {"policy_no": POLICY_HEADER, **FOLLOWUP}.items()}
    body = rows[top + 1 :]
    numbers = np.arange(len(body)) + first_row + top + 1
    frame = pd.DataFrame(
        {key: pd.Series([r[j] if j < len(r) else None for r in body], dtype=object) for key, j in where.items()}
    )
    frame["source"] = [f"{origin} 第 {n} 行" for n in numbers]
    return _entries(frame, keep=lambda f: f[list(FOLLOWUP)].ne("").any(axis=1))


def tracking_entries(tracking: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The current row of every policy of a tracking table (canonical keys, index = sheet
    rows as :func:`renewal_xl.io.register.tidy` numbers them; 联系日期 under that header or
    ``contact_date``): its last row, as the monthly review reads it. Its source is the
    table's :data:`SOURCE_HEADER` column where filled (a table collected before), else its
    own row."""
    frame = tracking.rename(columns={FOLLOWUP["contact_date"]: "contact_date"})
    frame = frame.reindex(columns=["policy_no", *FOLLOWUP]).astype(object)
    here = pd.Series([f"{origin} 第 {n} 行" for n in tracking.index], index=tracking.index, dtype=object)
    if SOURCE_HEADER in tracking.columns:  # a tracking table collected before: keep where each row came from
        kept = texts(tracking[SOURCE_HEADER], "source", Errors(len(tracking)), required=False)
        here = here.where(kept == "", kept)
    frame["source"] = here.to_numpy(dtype=object)
    entries = _entries(frame.reset_index(drop=True), keep=lambda f: pd.Series(True, index=f.index), strict=False)
    return entries.drop_duplicates("policy_no", keep="last").reset_index(drop=True)


def _entries(frame: pd.DataFrame, keep, strict: bool = True) -> pd.DataFrame:
    """Cells as stripped text and dates, rows without a policy number or failing ``keep``
    dropped, values checked (``strict``: statuses and reasons from the drop-downs)."""
    out = pd.DataFrame({"source": frame["source"].to_numpy(dtype=object)})
    errors = Errors(len(frame))
    for key in ("policy_no", *TEXT_KEYS):
        out[key] = texts(frame[key], key, errors, required=False)
    dates = [to_date(v) for v in frame["contact_date"]]
    raw = texts(frame["contact_date"], "contact_date", errors, required=False)
    out = out[(out["policy_no"] != "") & keep(out.assign(contact_date=raw))].copy()
    for i in out.index:
        if raw[i] and dates[i] is None:
            raise SourceError(
                out.at[i, "source"], "contact_date", raw[i], f"{FOLLOWUP['contact_date']}须为日期, 如 2026-12-05"
            )
        if strict:
            for key, allowed in ALLOWED.items():
                value = out.at[i, key]
                if value and value not in allowed:
                    raise SourceError(
                        out.at[i, "source"], key, value, f"{FOLLOWUP[key]} {value} 不在下拉列表中 ({'/'.join(allowed)})"
                    )
    out["contact_date"] = pd.Series([dates[i] for i in out.index], index=out.index, dtype=object)
    return out.reindex(columns=list(TRACKING_KEYS)).reset_index(drop=True)


def no_entries() -> pd.DataFrame:
    """An entry table with no rows."""
    return pd.DataFrame({key: pd.Series(dtype=object) for key in TRACKING_KEYS})


@dataclass
class Collected:
    """The merged tracking table (one row per policy, :data:`TRACKING_KEYS`), the
    conflicts (entries at a policy's winning date that disagree, ``kept`` marking the one
    used) and counts: ``added`` policies new to the tracking, ``updated`` ones whose row a
    newer entry replaced, ``older`` entries left out because a newer one exists."""

    tracking: pd.DataFrame
    conflicts: pd.DataFrame
    added: int
    updated: int
    older: int
    changed: list[str]  # policies whose row is new or replaced, in result order


def merge(tracking: pd.DataFrame, entries: pd.DataFrame) -> Collected:
    """Merge list ``entries`` into the ``tracking`` entries (both from :func:`list_entries`
    / :func:`tracking_entries`); rules in the module docstring."""
    current = {p: r for p, r in zip(tracking["policy_no"], tracking.to_dict("records"), strict=True)}
    candidates: dict[str, list[dict]] = {}
    for record in entries.to_dict("records"):
        candidates.setdefault(record["policy_no"], []).append(record)
    rows: list[dict] = []
    conflicts: list[dict] = []
    changed: list[str] = []
    added = updated = older = 0
    order = list(current) + [p for p in candidates if p not in current]
    for policy in order:
        mine = current.get(policy)
        offered = ([mine] if mine is not None else []) + candidates.get(policy, [])
        newest = max(_day(r) for r in offered)
        tied = [r for r in offered if _day(r) == newest]
        older += sum(1 for r in offered if _day(r) < newest and r is not mine)
        winner = tied[0]  # the tracking row when it is among them, else the first entry read
        said = {_said(r) for r in tied}
        if len(said) > 1:
            conflicts.extend({**r, "kept": r is winner} for r in _distinct(tied))
        rows.append(winner)
        if mine is None:
            added += 1
            changed.append(policy)
        elif winner is not mine:  # only a strictly newer entry beats the tracking row
            updated += 1
            changed.append(policy)
    frame = pd.DataFrame(rows, columns=list(TRACKING_KEYS)) if rows else no_entries()
    conflict_frame = pd.DataFrame(conflicts, columns=[*TRACKING_KEYS, "kept"])
    return Collected(frame, conflict_frame, added, updated, older, changed)


def _day(record: dict) -> dt.date:
    """联系日期 for ordering: no date is older than every date."""
    return record["contact_date"] or dt.date.min


def _said(record: dict) -> tuple:
    return tuple(record[k] for k in TEXT_KEYS)


def _distinct(records: list[dict]) -> list[dict]:
    """The first record of each distinct follow-up, in order."""
    seen, out = set(), []
    for r in records:
        if _said(r) not in seen:
            seen.add(_said(r))
            out.append(r)
    return out
