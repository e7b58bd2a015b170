"""Monthly statements (renewal-workflow §5): agency commission 手续费结算 and salesperson
performance pay 绩效提取 for the policies that started in month M.

Rules:
- a policy *is a renewal* when it renews an earlier policy of its VIN
  (:func:`renewal_xl.workflow.history.is_renewal`: it starts within 30 days either side of
  that policy's end_date + 1 day); a source that says so itself (the finance template's
  是否续保, column ``is_renewal``: :mod:`renewal_xl.io.finance`) is read instead, and a row
  whose 是否续保 cannot be read is skipped;
- commission rate: the register's 手续费率 when given, else the tariff (manual §8: the
  agency's override for non-direct business, else the channel's new/renewal rate);
  commission = round2(premium × rate). Agencies: every policy with a non-direct channel,
  grouped by its agency code (no code → ``(直销/无)``); new and renewal separated;
- performance pay per policy (manual §9, :func:`renewal_xl.pricing.commission.performance_pay`):
  extraction + saved commission, summed per salesperson;
- renewal target: ``target`` renewals per salesperson in the month (the ``--target``
  option, default :data:`DEFAULT_TARGET`), shown as the month's progress (completion). The
  renewal bonus of manual §9 is a year-end payment on the year's sums: it is not part of a
  month (see :mod:`renewal_xl.workflow.year`).

The tariff is the one in force on the first day of M. Rows whose channel or 手续费率 cannot
be read are left out and counted in ``skipped``. Money in fen, rates in millionths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.collation import pinyin_order
from renewal_xl.pricing.commission import commission_rates, commissions, performance_pay, read_rates
from renewal_xl.readers import Errors, blank_mask, yes_no
from renewal_xl.tariff import Tariff
from renewal_xl.tariff.model import DIRECT
from renewal_xl.workflow.due import TOTAL, Window
from renewal_xl.workflow.history import is_renewal
from renewal_xl.workflow.policies import Policies, agency_label

DEFAULT_TARGET = 10  # renewals per salesperson per month


@dataclass
class Statements:
    """``policies``: the month's policies with rate, commission and pay; ``agencies`` and
    ``salespeople``: the sums (last row :data:`TOTAL`); ``skipped``: unreadable rows."""

    month: Window
    target: int
    policies: pd.DataFrame
    agencies: pd.DataFrame
    salespeople: pd.DataFrame
    skipped: int


def statements(policies: Policies, month: Window, t: Tariff, target: int = DEFAULT_TARGET) -> Statements:
    """Commission and performance statements of the policies started in ``month``."""
    table = policies.table
    started = month.contains(table["start"])
    register = policies.register[started].reset_index(drop=True)
    errors = Errors(int(started.sum()))
    if "is_renewal" in register.columns:
        renews = yes_no(register["is_renewal"], "is_renewal", errors, default=False)
        errors.add(blank_mask(register["is_renewal"]), "is_renewal", register["is_renewal"], "须填写 是/否")
    else:
        renews = is_renewal(table)[np.asarray(started)]
    rows = table[started].reset_index(drop=True).assign(is_renewal=renews)
    given_rate, from_register = read_rates(register["commission_rate"], "commission_rate", errors, t)
    usable = errors.ok & (rows["channel"] != "").to_numpy()
    rows, given_rate, from_register = rows[usable].reset_index(drop=True), given_rate[usable], from_register[usable]
    channel = rows["channel"].to_numpy(dtype=object)
    renewal = rows["is_renewal"].to_numpy(dtype=bool)
    tariff_rate = commission_rates(t, channel, renewal, rows["agency"].to_numpy(dtype=object))
    rows["rate"] = np.where(from_register, given_rate, tariff_rate)
    rows["rate_source"] = np.where(from_register, "台账", "费率表")
    rows["commission"] = commissions(rows["premium"].to_numpy(), rows["rate"].to_numpy())
    extraction, saved = performance_pay(t, rows["premium"].to_numpy(), channel, rows["rate"].to_numpy(), renewal)
    rows["extraction"] = extraction
    rows["saved"] = saved
    rows["pay"] = extraction + saved
    rows["agency_group"] = agency_label(rows["agency"])
    return Statements(
        month=month,
        target=target,
        policies=rows,
        agencies=_agencies(rows[rows["channel"] != DIRECT]),
        salespeople=_salespeople(rows, target),
        skipped=int((~usable).sum()),
    )


def _agencies(rows: pd.DataFrame) -> pd.DataFrame:
    """Per agency: new and renewal count, premium and commission (fen), total commission."""
    parts = {}
    for kind, mask in (("new", ~rows["is_renewal"]), ("renewal", rows["is_renewal"])):
        parts[kind] = (
            rows[mask]
            .groupby("agency_group")
            .agg(
                **{
                    f"{kind}_count": ("policy_no", "size"),
                    f"{kind}_premium": ("premium", "sum"),
                    f"{kind}_commission": ("commission", "sum"),
                }
            )
        )
    out = parts["new"].join(parts["renewal"], how="outer").fillna(0).astype(np.int64)
    out["commission"] = out["new_commission"] + out["renewal_commission"]
    out.loc[TOTAL] = out.sum()
    return pinyin_order(out.rename_axis("agency").reset_index(), "agency", last=TOTAL)


def _salespeople(rows: pd.DataFrame, target: int) -> pd.DataFrame:
    """Per salesperson: count, premium, renewals and their premium, extraction, saved
    commission, pay (fen), target and completion (renewals / target)."""
    g = (
        rows.assign(renewal_premium=np.where(rows["is_renewal"], rows["premium"], 0))
        .groupby("salesperson")
        .agg(
            count=("policy_no", "size"),
            premium=("premium", "sum"),
            renewals=("is_renewal", "sum"),
            renewal_premium=("renewal_premium", "sum"),
            extraction=("extraction", "sum"),
            saved=("saved", "sum"),
            pay=("pay", "sum"),
        )
        .astype(np.int64)
    )
    g["target"] = target
    g.loc[TOTAL] = g.sum()
    g.loc[TOTAL, "target"] = target * (len(g) - 1)
    g["completion"] = g["renewals"] / g["target"].where(g["target"] > 0)
    return pinyin_order(g.rename_axis("salesperson").reset_index(), "salesperson", last=TOTAL)
