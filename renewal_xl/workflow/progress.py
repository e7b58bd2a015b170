"""Progress in the month 续保进度 (renewal-workflow §3a): where month M stands as of a day.

The due policies and their outcome (已续保, 待核实, 脱保, 未到期) are those of the monthly
review (:func:`renewal_xl.workflow.review.monthly_review`, one definition). Per salesperson
of the expiring policy and in total:

- due, renewed so far, lapsed so far, 待核实;
- pending (未到期) by days to expiry = end_date − as_of: :data:`BUCKETS` 0–7, 8–15, 16–31,
  later (≥ 32);
- of the pending, contacted (tracking 跟进中 or a 联系日期) and not contacted.

Urgent list: pending, expiring within 7 days, not contacted, sorted by days left then
policy number. Money in fen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.tariff import Tariff
from renewal_xl.workflow.due import TOTAL, Window
from renewal_xl.workflow.policies import Policies
from renewal_xl.workflow.review import monthly_review

# pending by days to expiry: (key, first day, last day); None = open-ended
BUCKETS = (("days_0_7", 0, 7), ("days_8_15", 8, 15), ("days_16_31", 16, 31), ("days_later", 32, None))
URGENT_DAYS = 7
COUNTS = ("due", "renewed", "lapsed", "to_verify", "pending", *(b[0] for b in BUCKETS), "contacted", "not_contacted")


@dataclass
class Progress:
    """``by_salesperson``: the counts of :data:`COUNTS` and 应续保费 per salesperson, last row
    :data:`TOTAL`; ``urgent``: the urgent list; ``due``: every due row with ``days_left``."""

    month: Window
    as_of: dt.date
    due: pd.DataFrame
    by_salesperson: pd.DataFrame
    urgent: pd.DataFrame

    @property
    def total(self) -> pd.Series:
        return self.by_salesperson.iloc[-1]


def month_progress(
    policies: Policies, month: Window, tracking: pd.DataFrame, as_of: dt.date, tariff: Tariff | None = None
) -> Progress:
    """The progress of ``month`` as of ``as_of`` (rules in the module docstring)."""
    due = monthly_review(policies, month, tracking, as_of, tariff).due
    days = (due["end"].to_numpy().astype("datetime64[D]") - np.datetime64(as_of, "D")).astype(np.int64)
    due = due.assign(days_left=days)
    pending = due["pending"].to_numpy(dtype=bool)
    flags = pd.DataFrame({"salesperson": due["salesperson"], "premium_due": due["premium"]})
    flags["due"] = 1
    for name in ("renewed", "lapsed", "to_verify", "pending"):
        flags[name] = due[name].to_numpy(dtype=bool)
    for key, low, high in BUCKETS:
        flags[key] = pending & (days >= low) & (days <= (high if high is not None else np.iinfo(np.int64).max))
    contacted = due["contacted"].to_numpy(dtype=bool)
    flags["contacted"] = pending & contacted
    flags["not_contacted"] = pending & ~contacted
    sums = flags.groupby("salesperson", sort=True).sum().astype(np.int64)
    sums.loc[TOTAL] = sums.sum()
    urgent = due[pending & ~contacted & (days <= URGENT_DAYS)]
    return Progress(
        month=month,
        as_of=as_of,
        due=due,
        by_salesperson=sums[[*COUNTS, "premium_due"]].rename_axis("salesperson").reset_index(),
        urgent=urgent.sort_values(["days_left", "policy_no"], kind="stable").reset_index(drop=True),
    )
