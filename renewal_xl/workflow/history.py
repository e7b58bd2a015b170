"""Policies of one vehicle over time (renewal-workflow §2, §3), vectorized with sorted keys.

All functions take the typed policy table of :mod:`renewal_xl.workflow.policies`
(columns ``vin``, ``policy_no``, ``start``, ``end``) and work on positions (0-based row
numbers of that table). Policies are sorted once by (VIN, start date); a search key
``vin code × 2^22 + day`` turns "policies of this VIN starting after day d" into one
``numpy.searchsorted`` for all rows at once.

Rules:
- **renewal of a policy** (§3): another policy of the same VIN starting after it, with
  start date within :data:`MATCH_DAYS` days either side of end_date + 1 day; the nearest
  one wins, on a tie the earlier. A policy *is a renewal* when it is the renewal of an
  earlier policy of its VIN (used for new/renewal business in the statements).
- **already renewed** (§2): the VIN has another policy starting after end_date − 30 days.
- **one row per VIN** (§2, §3): of several policies of a VIN, the one with the latest
  end date (then the latest start date, then the larger policy number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MATCH_DAYS = 30  # renewal matching: start within 30 days either side of end_date + 1
EARLY_DAYS = 30  # already renewed: another policy starting after end_date − 30 days
DAY_BITS = 22  # days since 1900-01-01 fit in 22 bits until the year 13,000
EPOCH_OFFSET = 25567  # days from 1900-01-01 to 1970-01-01: keeps day numbers positive


class _Index:
    """Policies sorted by (VIN, start) with the search keys of their start dates."""

    def __init__(self, table: pd.DataFrame):
        self.vin_code = pd.factorize(table["vin"])[0].astype(np.int64)  # Arrow text hashed in C
        self.start = day_numbers(table["start"])
        self.end = day_numbers(table["end"])
        self.order = np.lexsort((self.start, self.vin_code))
        self.keys = self._key(self.vin_code[self.order], self.start[self.order])

    def _key(self, code: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (code << DAY_BITS) + day

    def first_start_at_least(self, pos: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Sorted position of the first policy of row ``pos``'s VIN starting on or after ``day``."""
        return np.searchsorted(self.keys, self._key(self.vin_code[pos], day), side="left")

    def group_end(self, pos: np.ndarray) -> np.ndarray:
        """Sorted position just after the last policy of row ``pos``'s VIN."""
        return np.searchsorted(self.keys, (self.vin_code[pos] + 1) << DAY_BITS, side="left")


def day_numbers(values) -> np.ndarray:
    """Days since 1900-01-01 (int64) of dates (a Series or a datetime64 array)."""
    return np.asarray(values).astype("datetime64[D]").astype(np.int64) + EPOCH_OFFSET


def renewal_of(table: pd.DataFrame) -> np.ndarray:
    """Position of each policy's renewal (§3 rule above), −1 when not renewed."""
    ix = _Index(table)
    n = len(table)
    pos = np.arange(n)
    target = ix.end + 1
    at = ix.first_start_at_least(pos, target)
    stop = ix.group_end(pos)
    # forward candidate: the first policy starting on or after end + 1
    has_fwd = at < stop
    fwd = ix.order[np.minimum(at, n - 1)] if n else at
    fwd_gap = np.where(has_fwd, ix.start[fwd] - target, MATCH_DAYS + 1)
    # backward candidate: the last policy starting before end + 1, if after this one's start
    back_at = at - 1
    bwd = ix.order[np.maximum(back_at, 0)] if n else at
    group_start = np.searchsorted(ix.keys, ix.vin_code << DAY_BITS, side="left")
    has_bwd = (back_at >= group_start) & (ix.start[bwd] > ix.start)
    bwd_gap = np.where(has_bwd, target - ix.start[bwd], MATCH_DAYS + 1)
    use_bwd = (bwd_gap <= MATCH_DAYS) & (bwd_gap <= fwd_gap)
    use_fwd = ~use_bwd & (fwd_gap <= MATCH_DAYS)
    return np.where(use_bwd, bwd, np.where(use_fwd, fwd, -1))


def is_renewal(table: pd.DataFrame) -> np.ndarray:
    """True for policies that are the renewal of an earlier policy of their VIN."""
    renewed_by = renewal_of(table)
    flags = np.zeros(len(table), dtype=bool)
    flags[renewed_by[renewed_by >= 0]] = True
    return flags


def later_policies(table: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    """Per row ``pos``: how many other policies of its VIN start after end_date − 30 days
    (> 0 means already renewed, §2). Only the policies of those VINs are indexed (a due
    window's VINs are a few percent of a register's)."""
    same = policies_of_vins(table["vin"], pos)
    ix = _Index(table[["vin", "start", "end"]].iloc[same])
    at = np.searchsorted(same, pos)  # each row of ``pos`` among them
    after = ix.end[at] - EARLY_DAYS + 1  # "starting after end − 30" = on or after end − 29
    count = ix.group_end(at) - ix.first_start_at_least(at, after)
    return count - (ix.start[at] >= after)


def policies_of_vins(vin: pd.Series, pos: np.ndarray) -> np.ndarray:
    """Positions (ascending) of the policies whose VIN is that of one of the rows ``pos``,
    found in C: one hash probe a row rather than a factorization of the whole column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(vin.array)
    return np.flatnonzero(
        pc.is_in(values, value_set=values.take(pa.array(pos, type=pa.int64()))).to_numpy(zero_copy_only=False)
    )


def latest_per_vin(table: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """Positions of the rows in ``mask`` that are, per VIN, the latest-ending one."""
    pos = np.flatnonzero(mask)
    if not len(pos):
        return pos
    sub = table.iloc[pos]
    vin = sub["vin"].to_numpy(dtype=object)
    order = np.lexsort(
        (
            sub["policy_no"].to_numpy(dtype=object).astype(str),
            day_numbers(sub["start"]),
            day_numbers(sub["end"]),
            pd.factorize(vin)[0],
        )
    )
    last_of_vin = np.append(vin[order][1:] != vin[order][:-1], True)
    return np.sort(pos[order][last_of_vin])
