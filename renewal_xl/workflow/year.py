"""The year 年度绩效 (renewal-workflow §6): per salesperson for the year to date against the
targets, the renewal bonus once for the year, the ranking and the agency scorecard.

Rules:
- the period is 1 January of Y to 31 December, or to ``as_of`` when that falls inside Y
  (year to date); it is cut into calendar months (the last one may be partial);
- the year is built from its months, so the monthly statements and reviews of Y add up to
  it: written business (count, premium, commission, performance pay, renewal policies and
  their premium) is :func:`renewal_xl.workflow.statements.statements` of each month, with
  the tariff in force on the month's first day; renewals due and renewed (by the expiring
  policy's salesperson and agency) are :func:`renewal_xl.workflow.review.monthly_review` of
  each month;
- renewal rates come from the sums: 件数续保率 = renewed / due, 保费续保率 = 实续保费 /
  应续保费, never an average of months or people;
- targets (a table 业务员, 续保件数目标, 续保率目标): the renewal bonus (manual §9,
  :func:`renewal_xl.pricing.commission.renewal_bonus`) is round2(the year's renewal premium
  × 2 %) when the year's renewal policies ≥ 续保件数目标 (> 0), else 0, computed once on the
  year's sums with the tariff in force on the period's last day; a salesperson without a
  target earns none. 续保率目标 is compared with the 保费续保率 and reported (达标/未达标);
- rank 排名 by 保费续保率, highest first, compared exactly (as fractions); equal rates share
  the better rank (1, 2, 2, 4) and are listed by name; a salesperson with nothing due has no
  rate and no rank and is listed last;
- agency scorecard: per agency code (direct business as ``(直销/无)``): policies, premium and
  commission written, renewal rates of the business due, and the data-quality problems
  (:func:`renewal_xl.workflow.quality.check_register`) on the register rows of the agency,
  whatever their dates (the register's state, not the period's).

Money in fen, rates floats (NaN when the denominator is 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError
from renewal_xl.io.register import empty_tracking
from renewal_xl.pricing.commission import renewal_bonus
from renewal_xl.readers import Errors, numbers, texts, whole_numbers
from renewal_xl.tariff import Catalogue
from renewal_xl.workflow.due import TOTAL, Window
from renewal_xl.workflow.policies import NO_AGENCY, Policies, agency_label
from renewal_xl.workflow.review import monthly_review
from renewal_xl.workflow.statements import Statements, statements

MAX_TARGET = 1_000_000  # renewals a year; more is a typing error
WRITTEN = ("count", "premium", "commission", "extraction", "saved", "pay", "renewals", "renewal_premium")
DUE = ("due", "renewed", "premium_due", "premium_renewed")


@dataclass
class Year:
    """``salespeople`` and ``agencies``: the year's tables (last row :data:`TOTAL`);
    ``months``: the statements of each month; ``by_month``: the same sums per month (last
    row :data:`TOTAL`, equal to the salespeople's); ``targets``: whether a targets table was
    given; ``skipped``: rows the statements could not use (channel or 手续费率 unreadable)."""

    year: int
    period: Window
    months: list[Statements]
    by_month: pd.DataFrame
    salespeople: pd.DataFrame
    agencies: pd.DataFrame
    targets: bool
    skipped: int


def year_period(year: int, as_of: dt.date) -> Window:
    """1 January to 31 December of ``year``, or to ``as_of`` when it falls inside the year."""
    if not 1900 <= year <= 2200:
        raise InputError("year", year, "须为 4 位年份, 如 2026")
    last = dt.date(year, 12, 31)
    if dt.date(year, 1, 1) <= as_of < last:
        last = as_of
    return Window(dt.date(year, 1, 1), last)


def months_of(period: Window) -> list[Window]:
    """The calendar months of ``period``, the last one cut at the period's end."""
    out = []
    first = period.first
    while first <= period.last:
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        out.append(Window(first, min(following - dt.timedelta(days=1), period.last)))
        first = following
    return out


def due_by_month(policies: Policies, months: list[Window]) -> pd.DataFrame:
    """The policies due in each of ``months`` with their renewals, as the monthly review
    finds them (one row per VIN and month), one table; ``month`` holds ``YYYY-MM``."""
    reviews = [monthly_review(policies, m, empty_tracking()).due.assign(month=f"{m.first:%Y-%m}") for m in months]
    return pd.concat(reviews, ignore_index=True)


def targets_of(frame: pd.DataFrame) -> pd.DataFrame:
    """Targets from a canonical table (keys of :data:`renewal_xl.columns.TARGETS`):
    salesperson (text, required), target_count (whole number 0 – :data:`MAX_TARGET`, blank
    = 0) and target_rate (``95%`` or 0.95, 0–100 %, blank = none, NaN). The first bad cell
    raises :class:`~renewal_xl.errors.InputError` naming its sheet row; a salesperson listed
    twice too."""
    n = len(frame)
    errors = Errors(n)
    col = {k: frame[k].reset_index(drop=True) for k in ("salesperson", "target_count", "target_rate")}
    person = texts(col["salesperson"], "salesperson", errors)
    count = whole_numbers(col["target_count"], "target_count", errors, 0, MAX_TARGET, default=0, unit=" 件")
    rate = numbers(col["target_rate"], "target_rate", errors, default=np.nan, percent=True)
    errors.add(np.isfinite(rate) & ((rate < 0) | (rate > 1)), "target_rate", col["target_rate"], "须在 0%–100% 之间")
    errors.add(pd.Series(person).duplicated().to_numpy() & errors.ok, "salesperson", col["salesperson"], "重复")
    bad = np.flatnonzero(~errors.ok)
    if len(bad):
        error = errors.at(bad[0])
        assert error is not None  # a row that is not ok has its error
        raise InputError(error.field, error.value, f"{error.reason} (目标表第 {frame.index[bad[0]]} 行)")
    return pd.DataFrame({"salesperson": person, "target_count": count, "target_rate": rate})


def year_statements(
    policies: Policies,
    year: int,
    as_of: dt.date,
    tariffs: Catalogue,
    targets: pd.DataFrame | None = None,
    problems: pd.Series | None = None,
) -> Year:
    """The year ``year`` to ``as_of`` (rules in the module docstring). ``targets`` as
    :func:`targets_of` returns it; ``problems`` as :func:`problems_per_agency` returns it."""
    period = year_period(year, as_of)
    months = months_of(period)
    monthly = [statements(policies, m, tariffs.for_date(m.first)) for m in months]
    labels = [f"{m.first:%Y-%m}" for m in months]
    written = pd.concat([s.policies.assign(month=k) for s, k in zip(monthly, labels)], ignore_index=True)
    due = due_by_month(policies, months)
    sums = _sums(written, due, written["month"], due["month"]).set_index("key").reindex(labels, fill_value=0)
    by_month = _rates(sums.rename_axis("month").reset_index())
    people = _salespeople(written, due, targets)
    t = tariffs.for_date(period.last)
    target = people["target_count"].to_numpy(dtype=np.int64)
    people["bonus"] = renewal_bonus(
        t, people["renewals"].to_numpy(dtype=np.int64), target, people["renewal_premium"].to_numpy(dtype=np.int64)
    )
    people["count_met"] = (target > 0) & (people["renewals"] >= target)
    people["rate_met"] = np.where(
        people["target_rate"].notna(), people["premium_rate"] >= people["target_rate"].fillna(0), None
    )
    people = _ranked(people)
    return Year(
        year=year,
        period=period,
        months=monthly,
        by_month=_with_total(by_month, "month", ()),
        salespeople=_with_total(people, "salesperson", ("target_count", "bonus")),
        agencies=_with_total(_agencies(written, due, problems), "agency", ("problems",)),
        targets=targets is not None,
        skipped=sum(m.skipped for m in monthly),
    )


def _sums(written: pd.DataFrame, due: pd.DataFrame, key_written: pd.Series, key_due: pd.Series) -> pd.DataFrame:
    """Written business and renewals due, summed per key (outer join, zeros where absent)."""
    w = (
        written.assign(_key=key_written, renewal_premium=np.where(written["is_renewal"], written["premium"], 0))
        .groupby("_key")
        .agg(
            count=("policy_no", "size"),
            premium=("premium", "sum"),
            commission=("commission", "sum"),
            extraction=("extraction", "sum"),
            saved=("saved", "sum"),
            pay=("pay", "sum"),
            renewals=("is_renewal", "sum"),
            renewal_premium=("renewal_premium", "sum"),
        )
    )
    d = (
        due.assign(_key=key_due)
        .groupby("_key")
        .agg(
            due=("policy_no", "size"),
            renewed=("renewed", "sum"),
            premium_due=("premium", "sum"),
            premium_renewed=("renewal_premium", "sum"),
        )
    )
    out = w.join(d, how="outer").reindex(columns=[*WRITTEN, *DUE]).fillna(0).astype(np.int64)
    return out.sort_index().rename_axis("key").reset_index()


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    """count_rate = renewed / due and premium_rate = 实续保费 / 应续保费 from the sums."""
    frame["count_rate"] = frame["renewed"] / frame["due"].where(frame["due"] > 0)
    frame["premium_rate"] = frame["premium_renewed"] / frame["premium_due"].where(frame["premium_due"] > 0)
    return frame


def _salespeople(written: pd.DataFrame, due: pd.DataFrame, targets: pd.DataFrame | None) -> pd.DataFrame:
    out = _sums(written, due, written["salesperson"], due["salesperson"]).rename(columns={"key": "salesperson"})
    if targets is None:
        targets = pd.DataFrame({"salesperson": pd.Series(dtype=object), "target_count": 0, "target_rate": np.nan})
    out = out.merge(targets, on="salesperson", how="outer")
    out[[*WRITTEN, *DUE, "target_count"]] = out[[*WRITTEN, *DUE, "target_count"]].fillna(0).astype(np.int64)
    return _rates(out)


def _ranked(people: pd.DataFrame) -> pd.DataFrame:
    """``people`` with ``rank`` (0 = none) in the order of the ranking (module docstring)."""
    has = (people["premium_due"] > 0).to_numpy()
    rate = [
        Fraction(int(r), int(d)) if h else Fraction(-1)
        for r, d, h in zip(people["premium_renewed"], people["premium_due"], has)
    ]
    order = sorted(range(len(people)), key=lambda i: (-rate[i], str(people["salesperson"].iat[i])))
    rank = np.zeros(len(people), dtype=np.int64)
    for place, i in enumerate(order, start=1):
        if has[i]:
            prev = order[place - 2] if place > 1 else None
            rank[i] = rank[prev] if prev is not None and rate[prev] == rate[i] else place
    return people.assign(rank=rank).iloc[order].reset_index(drop=True)


def problems_per_agency(register: pd.DataFrame, problems: pd.DataFrame) -> pd.Series:
    """Number of data-quality problems per agency label, from the problems of
    :func:`~renewal_xl.workflow.quality.check_register` of ``register`` (its whole register:
    rows the workflow leaves out count too); problems of the header row belong to none."""
    agency = texts(register["agency"].reset_index(drop=True), "agency", Errors(len(register)), required=False)
    of_row = pd.Series(agency_label(pd.Series(agency, dtype=object)).to_numpy(), index=register.index)
    return of_row.reindex(problems["row"].to_numpy()).dropna().value_counts().rename_axis("agency")


def _agencies(written: pd.DataFrame, due: pd.DataFrame, problems: pd.Series | None) -> pd.DataFrame:
    out = _sums(written, due, agency_label(written["agency"]), due["agency"]).rename(columns={"key": "agency"})
    if problems is not None:
        extra = pd.DataFrame({"agency": [a for a in problems.index if a not in set(out["agency"])]})
        out = pd.concat([out, extra], ignore_index=True)
        out[[*WRITTEN, *DUE]] = out[[*WRITTEN, *DUE]].fillna(0).astype(np.int64)
        out = out.sort_values("agency", ignore_index=True)
    out["problems"] = 0 if problems is None else out["agency"].map(problems).fillna(0).astype(np.int64)
    order = np.argsort((out["agency"] == NO_AGENCY).to_numpy(), kind="stable")  # direct business last
    return _rates(out.iloc[order].reset_index(drop=True))


def _with_total(frame: pd.DataFrame, key: str, also: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with a :data:`TOTAL` row: sums of the money and counts, rates from the sums."""
    columns = [*WRITTEN, *DUE, *also]
    total = pd.DataFrame({key: [TOTAL], **{c: [int(frame[c].sum())] for c in columns}})
    return pd.concat([frame, _rates(total)], ignore_index=True)
