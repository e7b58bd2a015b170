"""The monthly review 月度续保分析 (renewal-workflow §3) of month M, as of a day.

Rules:
- due: policies with end_date in M, one row per VIN (the latest end_date);
- renewed: :func:`renewal_xl.workflow.history.renewal_of` (another policy of the VIN starting
  within 30 days either side of end_date + 1; the nearest); 实续保费 = that policy's premium;
- outcome of a due policy (:data:`OUTCOMES`): 已续保 when renewed; else 待核实 when its last
  tracking row says 已续保 (the register has no renewal: neither renewed nor lapsed); else
  脱保 when end_date < as_of; else 未到期 (pending, shown apart, no lapse reason asked);
- rates of every group (salesperson and agency of the expiring policy, channel, the whole
  month) come from the group's sums: renewed / due and 实续保费 / 应续保费, never an
  average of rates;
- owner of a renewal (:data:`OWNER_CLASSES`), compared with the expiring policy (blank
  agency = direct): 跨机构 when the register has a 机构 (branch) column and the branch
  changed; else 业务员变更 when the salesperson changed; else 机构变更 when the agency code
  changed (another agency, agency → direct, direct → agency); else 原业务员原机构.
  Original-owner share = 原业务员原机构 / renewed. Every other renewal is listed (抢户核查)
  with the commission at stake = round2(renewing premium × the expiring agency's renewal
  commission rate, agency override included; 0 for direct business);
- tracking never overrides the register: besides 待核实, a renewal found whose tracking says
  未续保 is listed as 跟踪不一致;
- lapse reasons: from the tracking table (the last row of a policy number wins) for the
  lapsed (脱保) policies; one without a reason counts as 未填写 and is listed for
  follow-up. Counts and shares (of the lapsed policies) per reason and per next insurer.

Money in fen; rates are floats (NaN when the group's 应续保费 is 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.collation import pinyin_order
from renewal_xl.pricing.commission import commission_rates, commissions
from renewal_xl.readers import Errors, dates, texts
from renewal_xl.tariff import Tariff, catalogue
from renewal_xl.tariff.model import DIRECT
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
RENEWED, TO_VERIFY, LAPSED, PENDING = "已续保", "待核实", "脱保", "未到期"
OUTCOMES = (RENEWED, TO_VERIFY, LAPSED, PENDING)
NOT_RENEWED = "未续保"  # tracking status contradicting a renewal found in the register
FOLLOWING = "跟进中"  # tracking status of a customer being followed up (contacted)
SAME_OWNER, OTHER_SALESPERSON, OTHER_AGENCY, OTHER_BRANCH = "原业务员原机构", "业务员变更", "机构变更", "跨机构"
OWNER_CLASSES = (SAME_OWNER, OTHER_SALESPERSON, OTHER_AGENCY, OTHER_BRANCH)


@dataclass
class Review:
    """``due``: one row per due policy with its renewal, ``outcome`` and ``owner_class``;
    ``rates``: group → rate table (keys of :data:`GROUPS` and ``"month"``); ``owners``:
    renewals and commission at stake per owner class; ``poached``: renewals not by the
    original salesperson and agency (抢户核查); ``pending``: not yet expired (未到期);
    ``to_verify``: tracking says 已续保, the register has no renewal (待核实);
    ``mismatch``: renewed but tracking says 未续保 (跟踪不一致); ``reasons``/``insurers``:
    lapse reasons and next insurers of the lapsed; ``follow_up``: lapsed without a reason."""

    month: Window
    as_of: dt.date
    due: pd.DataFrame
    rates: dict[str, pd.DataFrame]
    owners: pd.DataFrame
    poached: pd.DataFrame
    pending: pd.DataFrame
    to_verify: pd.DataFrame
    mismatch: pd.DataFrame
    reasons: pd.DataFrame
    insurers: pd.DataFrame
    follow_up: pd.DataFrame

    @property
    def total(self) -> pd.Series:
        """The whole month's row of the rate table."""
        return self.rates["month"].iloc[0]


def monthly_review(
    policies: Policies,
    month: Window,
    tracking: pd.DataFrame,
    as_of: dt.date | None = None,
    tariff: Tariff | None = None,
) -> Review:
    """The review of ``month`` as of ``as_of`` (default today) from the policies and the
    tracking table (canonical keys); commission rates from ``tariff`` (default: the one in
    force on the month's first day)."""
    as_of = as_of or dt.date.today()
    t = tariff or catalogue().for_date(month.first)
    return review_of(due_of_month(policies, month, tracking, as_of), month, as_of, t, has_branch=has_branch(policies))


def has_branch(policies: Policies) -> bool:
    """Whether the register has a 机构 (branch) column in use: only then is a change of
    branch a class of its own (跨机构)."""
    return bool((policies.table["branch"] != "").any())


def due_of_month(policies: Policies, month: Window, tracking: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per due policy of ``month`` with its renewal (``renewed``, ``renewal_*``) and
    tracking columns (status, contact, ``outcome``, lapse reason), in register order. Each
    row depends only on the policies of its VIN, so policies split by VIN give parts whose
    concatenation, put back in order by :func:`review_of`, is the whole month's."""
    table = policies.table
    renewal = renewal_of(table)
    due_pos = latest_per_vin(table, month.contains(table["end"]))
    due = table.iloc[due_pos].reset_index(drop=True)
    by = renewal[due_pos]
    renewed = by >= 0
    other = table.iloc[np.where(renewed, by, 0)].reset_index(drop=True)
    due["renewed"] = renewed
    due["renewal_policy_no"] = np.where(renewed, other["policy_no"], "")
    due["renewal_start"] = other["start"].where(renewed)
    due["renewal_salesperson"] = np.where(renewed, other["salesperson"], "")
    due["renewal_agency"] = np.where(renewed, other["agency"], "")
    due["renewal_branch"] = np.where(renewed, other["branch"], "")
    due["renewal_premium"] = np.where(renewed, other["premium"], 0)
    return _with_tracking(due, tracking, as_of)


def review_of(due: pd.DataFrame, month: Window, as_of: dt.date, t: Tariff, *, has_branch: bool) -> Review:
    """The :class:`Review` of the rows of :func:`due_of_month` (parts in any order: they are
    put back in register order, column ``row``): owner classes (``has_branch``: see
    :func:`has_branch`), the commission at stake (rates of ``t``), rates and lists."""
    due = due.sort_values("row", kind="stable").reset_index(drop=True)
    renewed = due["renewed"].to_numpy(dtype=bool)
    other = pd.DataFrame(
        {"branch": due["renewal_branch"], "salesperson": due["renewal_salesperson"], "agency": due["renewal_agency"]}
    )
    due["owner_class"] = np.where(renewed, owner_classes(due, other, has_branch=has_branch), "")
    due["commission_at_stake"] = np.where(
        renewed & (due["owner_class"] != SAME_OWNER), stake(t, due, due["renewal_premium"].to_numpy()), 0
    )
    due["agency"] = agency_label(due["agency"])
    due["same_owner"] = due["owner_class"] == SAME_OWNER
    for outcome, name in ((PENDING, "pending"), (LAPSED, "lapsed"), (TO_VERIFY, "to_verify")):
        due[name] = due["outcome"] == outcome
    rates = {group: group_rates(due, group) for group in GROUPS}
    label = f"{month.first:%Y-%m}"
    rates["month"] = group_rates(due.assign(month=label), "month")
    if rates["month"].empty:  # nothing due: the month's row holds zeros
        rates["month"] = rates_of(pd.DataFrame({"month": [label], **{k: [0] for k in SUMS}}))
    lost = due[due["lapsed"]]
    return Review(
        month=month,
        as_of=as_of,
        due=due,
        rates=rates,
        owners=_owners(due[due["renewed"]]),
        poached=due[due["renewed"] & ~due["same_owner"]].reset_index(drop=True),
        pending=due[due["pending"]].reset_index(drop=True),
        to_verify=due[due["to_verify"]].reset_index(drop=True),
        mismatch=due[due["renewed"] & (due["status"] == NOT_RENEWED)].reset_index(drop=True),
        reasons=_shares(lost, "lapse_reason"),
        insurers=_shares(lost[lost["next_insurer"] != ""], "next_insurer", of=len(lost)),
        follow_up=lost[lost["lapse_reason"] == NOT_GIVEN].reset_index(drop=True),
    )


def owner_classes(expiring: pd.DataFrame, renewing: pd.DataFrame, *, has_branch: bool) -> np.ndarray:
    """Owner class of each renewal (module rules), row by row of the two policy tables."""

    def changed(column: str) -> np.ndarray:
        return expiring[column].to_numpy(dtype=object) != renewing[column].to_numpy(dtype=object)

    branch = changed("branch") if has_branch else np.zeros(len(expiring), dtype=bool)
    return np.select(
        [branch, changed("salesperson"), changed("agency")],
        [OTHER_BRANCH, OTHER_SALESPERSON, OTHER_AGENCY],
        default=SAME_OWNER,
    ).astype(object)


def stake(t: Tariff, expiring: pd.DataFrame, renewing_premium: np.ndarray) -> np.ndarray:
    """Commission at stake (fen) = round2(renewing premium × the expiring policy's renewal
    commission rate for its channel and agency, overrides included); 0 for direct business
    (no agency code or the direct channel)."""
    agency = expiring["agency"].to_numpy(dtype=object)
    channel = np.where(
        expiring["channel"].to_numpy(dtype=object) == "", DIRECT, expiring["channel"].to_numpy(dtype=object)
    )
    rate = commission_rates(t, channel, np.ones(len(expiring), dtype=bool), agency)
    return np.where(agency == "", 0, commissions(renewing_premium.astype(np.int64), rate))


def _owners(renewed: pd.DataFrame) -> pd.DataFrame:
    """Per owner class (all of :data:`OWNER_CLASSES`, in order): renewals, share of the
    renewed, renewing premium and commission at stake (fen)."""
    g = renewed.groupby("owner_class").agg(
        count=("policy_no", "size"), premium=("renewal_premium", "sum"), stake=("commission_at_stake", "sum")
    )
    g = g.reindex(list(OWNER_CLASSES), fill_value=0).astype(np.int64)
    g["share"] = g["count"] / len(renewed) if len(renewed) else np.nan
    return g.rename_axis("owner_class").reset_index()


SUMS = ("due", "renewed", "same_owner", "pending", "lapsed", "to_verify", "premium_due", "premium_renewed")


def group_rates(due: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per value of ``group``: due, renewed, same-owner, pending, lapsed and to-verify
    counts, 应续/实续保费 (fen) and the rates of :func:`rates_of`."""
    g = due.groupby(group, sort=True).agg(
        due=("policy_no", "size"),
        renewed=("renewed", "sum"),
        same_owner=("same_owner", "sum"),
        pending=("pending", "sum"),
        lapsed=("lapsed", "sum"),
        to_verify=("to_verify", "sum"),
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


def _with_tracking(due: pd.DataFrame, tracking: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Tracking status, contact date, contacted (跟进中 or a 联系日期; an unreadable date
    counts as none), outcome (module rules), lapse reason (未填写 when a lapsed policy has
    none) and next insurer; the last tracking row of a policy number wins."""
    errors = Errors(len(tracking))

    def text(name: str) -> np.ndarray:
        return texts(tracking[name].reset_index(drop=True), name, errors, required=False)

    track = pd.DataFrame({name: text(name) for name in ("policy_no", "status", "lapse_reason", "next_insurer")})
    contact = tracking["contact_date"] if "contact_date" in tracking.columns else pd.Series(None, index=tracking.index)
    track["contact_date"] = dates(contact.reset_index(drop=True), "contact_date", Errors(len(tracking)))
    track = track[track["policy_no"] != ""].drop_duplicates("policy_no", keep="last")
    out = due.merge(track, on="policy_no", how="left")
    for name in ("status", "lapse_reason", "next_insurer"):
        out[name] = out[name].fillna("").astype(object)
    out["contacted"] = (out["status"] == FOLLOWING).to_numpy() | ~np.isnat(
        out["contact_date"].to_numpy().astype("datetime64[D]")
    )
    expired = out["end"].to_numpy().astype("datetime64[D]") < np.datetime64(as_of, "D")
    out["outcome"] = np.select(
        [out["renewed"], out["status"] == RENEWED, expired], [RENEWED, TO_VERIFY, LAPSED], default=PENDING
    ).astype(object)
    lapsed = out["outcome"] == LAPSED
    out["lapse_reason"] = np.where(lapsed, np.where(out["lapse_reason"] == "", NOT_GIVEN, out["lapse_reason"]), "")
    out["next_insurer"] = np.where(lapsed, out["next_insurer"], "")
    return out


def _shares(lost: pd.DataFrame, column: str, of: int | None = None) -> pd.DataFrame:
    """Count, share of ``of`` (default: the rows given) and 应续保费 per value of ``column``,
    most frequent first."""
    base = len(lost) if of is None else of
    g = lost.groupby(column).agg(count=("policy_no", "size"), premium=("premium", "sum")).astype(np.int64)
    g["share"] = g["count"] / base if base else np.nan
    return g.sort_values(["count", "premium"], ascending=False).rename_axis(column).reset_index()
