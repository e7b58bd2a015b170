"""The monthly review 月度续保分析 (renewal-workflow §3) of month M.

Rules:
- due: policies with end_date in M, one row per VIN (the latest end_date);
- renewed: :func:`renewal_xl.workflow.history.renewal_of` (another policy of the VIN starting
  within 30 days either side of end_date + 1; the nearest); 实续保费 = that policy's premium;
- rates of every group (salesperson and agency of the expiring policy, channel, the whole
  month) come from the group's sums: renewed / due and 实续保费 / 应续保费, never an
  average of rates;
- original-owner share: renewals written by the expiring policy's salesperson / renewed;
  renewals written by another salesperson are listed (抢户);
- lapse reasons: from the tracking table (the last row of a policy number wins) for due
  policies not renewed; a lost policy without a reason counts as 未填写 and is listed for
  follow-up. Counts and shares (of the lost policies) per reason and per next insurer.

Money in fen; rates are floats (NaN when the group's 应续保费 is 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.collation import pinyin_order
from renewal_xl.readers import Errors, texts
from renewal_xl.workflow.due import TOTAL, Window
from renewal_xl.workflow.history import latest_per_vin, renewal_of
from renewal_xl.workflow.policies import Policies, agency_label

LAPSE_REASONS = (
    "报废",
    "转出外省",
    "停驶",
    "价格",
    "故意脱保",
    "不开车",
    "跟进不及时",
    "车辆已售/联系不上",
    "转投他司",
    "其他",
)
NOT_GIVEN = "未填写"
GROUPS = ("salesperson", "agency", "channel_name")


@dataclass
class Review:
    """``due``: one row per due policy with its renewal; ``rates``: group → rate table
    (keys of :data:`GROUPS` and ``"month"``); ``poached``: renewals by another
    salesperson; ``reasons``/``insurers``: lapse reasons and next insurers of the lost;
    ``follow_up``: lost policies without a reason."""

    month: Window
    due: pd.DataFrame
    rates: dict[str, pd.DataFrame]
    poached: pd.DataFrame
    reasons: pd.DataFrame
    insurers: pd.DataFrame
    follow_up: pd.DataFrame

    @property
    def total(self) -> pd.Series:
        """The whole month's row of the rate table."""
        return self.rates["month"].iloc[0]


def monthly_review(policies: Policies, month: Window, tracking: pd.DataFrame) -> Review:
    """The review of ``month`` from the policies and the tracking table (canonical keys)."""
    table = policies.table
    renewal = renewal_of(table)
    due_pos = latest_per_vin(table, month.contains(table["end"]))
    due = table.iloc[due_pos].reset_index(drop=True)
    by = renewal[due_pos]
    renewed = by >= 0
    other = table.iloc[np.where(renewed, by, 0)].reset_index(drop=True)
    due["agency"] = agency_label(due["agency"])
    due["renewed"] = renewed
    due["renewal_policy_no"] = np.where(renewed, other["policy_no"], "")
    due["renewal_start"] = other["start"].where(renewed)
    due["renewal_salesperson"] = np.where(renewed, other["salesperson"], "")
    due["renewal_agency"] = np.where(renewed, other["agency"], "")
    due["renewal_premium"] = np.where(renewed, other["premium"], 0)
    due["same_owner"] = renewed & (other["salesperson"].to_numpy() == due["salesperson"].to_numpy())
    due = _with_tracking(due, tracking)
    rates = {group: group_rates(due, group) for group in GROUPS}
    label = f"{month.first:%Y-%m}"
    rates["month"] = group_rates(due.assign(month=label), "month")
    if rates["month"].empty:  # nothing due: the month's row holds zeros
        rates["month"] = rates_of(pd.DataFrame({"month": [label], **{k: [0] for k in SUMS}}))
    poached = due[due["renewed"] & ~due["same_owner"]].reset_index(drop=True)
    lost = due[~due["renewed"]]
    return Review(
        month=month,
        due=due,
        rates=rates,
        poached=poached,
        reasons=_shares(lost, "lapse_reason"),
        insurers=_shares(lost[lost["next_insurer"] != ""], "next_insurer", of=len(lost)),
        follow_up=lost[lost["lapse_reason"] == NOT_GIVEN].reset_index(drop=True),
    )


SUMS = ("due", "renewed", "same_owner", "premium_due", "premium_renewed")


def group_rates(due: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per value of ``group``: due, renewed and same-owner counts, 应续/实续保费 (fen) and
    the rates of :func:`rates_of`."""
    g = due.groupby(group, sort=True).agg(
        due=("policy_no", "size"),
        renewed=("renewed", "sum"),
        same_owner=("same_owner", "sum"),
        premium_due=("premium", "sum"),
        premium_renewed=("renewal_premium", "sum"),
    )
    return rates_of(pinyin_order(g.astype(np.int64).rename_axis(group).reset_index(), group))


def rates_of(sums: pd.DataFrame) -> pd.DataFrame:
    """Rates from a table of sums: count_rate = renewed / due, premium_rate = 实续保费 /
    应续保费, owner_share = same_owner / renewed (NaN when the denominator is 0)."""
    out = sums.copy()
    out["count_rate"] = out["renewed"] / out["due"].where(out["due"] > 0)
    out["premium_rate"] = out["premium_renewed"] / out["premium_due"].where(out["premium_due"] > 0)
    out["owner_share"] = out["same_owner"] / out["renewed"].where(out["renewed"] > 0)
    return out


def with_total(rates: pd.DataFrame, group: str) -> pd.DataFrame:
    """``rates`` with a :data:`TOTAL` row whose rates come from the column sums."""
    total = pd.DataFrame({group: [TOTAL], **{k: [int(rates[k].sum())] for k in SUMS}})
    return rates_of(pd.concat([rates[[group, *SUMS]], total], ignore_index=True))


def _with_tracking(due: pd.DataFrame, tracking: pd.DataFrame) -> pd.DataFrame:
    """Status, lapse reason (未填写 when a lost policy has none) and next insurer."""
    n = len(tracking)
    errors = Errors(n)
    track = pd.DataFrame(
        {
            "policy_no": texts(tracking["policy_no"].reset_index(drop=True), "policy_no", errors, required=False),
            "status": texts(tracking["status"].reset_index(drop=True), "status", errors, required=False),
            "lapse_reason": texts(
                tracking["lapse_reason"].reset_index(drop=True), "lapse_reason", errors, required=False
            ),
            "next_insurer": texts(
                tracking["next_insurer"].reset_index(drop=True), "next_insurer", errors, required=False
            ),
        }
    )
    track = track[track["policy_no"] != ""].drop_duplicates("policy_no", keep="last")
    out = due.merge(track, on="policy_no", how="left")
    for name in ("status", "lapse_reason", "next_insurer"):
        out[name] = out[name].fillna("").astype(object)
    out["lapse_reason"] = np.where(
        out["renewed"], "", np.where(out["lapse_reason"] == "", NOT_GIVEN, out["lapse_reason"])
    )
    out["next_insurer"] = np.where(out["renewed"], "", out["next_insurer"])
    return out


def _shares(lost: pd.DataFrame, column: str, of: int | None = None) -> pd.DataFrame:
    """Count, share of ``of`` (default: the rows given) and 应续保费 per value of ``column``,
    most frequent first."""
    base = len(lost) if of is None else of
    g = lost.groupby(column).agg(count=("policy_no", "size"), premium=("premium", "sum")).astype(np.int64)
    g["share"] = g["count"] / base if base else np.nan
    return g.sort_values(["count", "premium"], ascending=False).rename_axis(column).reset_index()
