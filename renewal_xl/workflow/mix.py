"""The business mix 业务结构 (renewal-workflow §6, programme 一.7): the policies whose term
ended in the period, by segment, with claims, loss ratio and renewal rate.

Rules:
- the policies are those due in the period as the monthly review finds them (end date in
  the period, one row per VIN; :func:`renewal_xl.workflow.year.due_by_month`, month by
  month): their term is complete, so their claims are the whole term's, and whether they
  were renewed is known;
- segments, each a table: vehicle age at the policy's start (whole years from 初登日期:
  < 1, 1–2, 3–5, ≥ 6), new-car price band (the bands of manual §5), seat band (the
  tariff's), customer type, channel, agency, new or renewal business (the expiring policy
  itself), package (险种组合 naming a package, else 自定义组合), and 车型 when any row gives
  one. A value that cannot be read is its own group ``(未知)`` (车型 blank: ``(未填写)``);
- per group: policies, premium (保费), claims (本期出险次数), claim frequency = claims /
  policies; claims paid (赔款金额) and loss ratio = claims paid / the premium *of the
  policies whose 赔款金额 is filled* (a blank 赔款金额 is unknown, not 0); renewed and the
  renewal rate by count and by premium. Every rate of a group (and of the total) comes from
  the group's sums, never from an average of rates;
- 赔款金额 (:func:`read_claims_paid`): yuan, ≥ 0, blank = not given.

Money in fen; rates floats (NaN when the denominator is 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.dates import months_between_arrays
from renewal_xl.money import CENTS, to_scaled_array
from renewal_xl.pricing.price import read_inputs
from renewal_xl.pricing.recommend import CUSTOMER_TYPES
from renewal_xl.readers import Errors, dates, numbers, texts
from renewal_xl.tariff import Tariff
from renewal_xl.workflow.due import TOTAL, Window
from renewal_xl.workflow.history import is_renewal
from renewal_xl.workflow.policies import Policies
from renewal_xl.workflow.year import due_by_month, months_of

UNKNOWN = "(未知)"
NOT_GIVEN = "(未填写)"
CUSTOM = "自定义组合"
AGE_BANDS = ((1, "1年以下"), (3, "1–2年"), (6, "3–5年"), (None, "6年及以上"))  # (years below, label)
# segment key -> Chinese name, in the order of the report
SEGMENTS: dict[str, str] = {
    "age_band": "车龄",
    "price_band": "新车购置价",
    "seat_band": "座位数",
    "customer_type": "客户类型",
    "channel_name": "渠道",
    "agency": "代理机构",
    "business": "新保/续保",
    "package": "险种组合",
    "vehicle_model": "车型",
}
SUMS = ("policies", "premium", "claims", "paid_policies", "paid_premium", "claims_paid", "renewed", "premium_renewed")


@dataclass
class Mix:
    """``segments``: segment key → table (one row per group, then :data:`TOTAL`);
    ``models``: whether any policy gives its 车型; ``unpaid``: policies without 赔款金额."""

    period: Window
    segments: dict[str, pd.DataFrame]
    models: bool
    unpaid: int

    @property
    def total(self) -> pd.Series:
        return self.segments["age_band"].iloc[-1]


def read_claims_paid(series: pd.Series, field: str, errors: Errors) -> tuple[np.ndarray, np.ndarray]:
    """赔款金额 in fen and where it was given; blank = not given; negative → error (not given)."""
    values = numbers(series, field, errors, default=np.nan)
    errors.add(np.isfinite(values) & (values < 0), field, series, "不能为负")
    given = np.isfinite(values) & (values >= 0)
    return to_scaled_array(np.where(given, values, 0.0), CENTS), given


def business_mix(policies: Policies, period: Window, t: Tariff) -> Mix:
    """The mix of the policies due in ``period`` (rules in the module docstring); ``t`` gives
    the price bands, seat bands and packages."""
    due = due_by_month(policies, months_of(period))
    attributes = segment_values(policies, t).set_index(policies.table["row"].to_numpy())
    rows = due.join(attributes, on="row")
    rows["channel_name"] = np.where(rows["channel_name"] != "", rows["channel_name"], UNKNOWN)
    orders = {
        "age_band": [label for _, label in AGE_BANDS],
        "price_band": _price_bands(t),
        "seat_band": _seat_labels(t),
    }
    tables = {key: _group(rows, key, orders.get(key)) for key in SEGMENTS}
    models = bool((rows["vehicle_model"] != NOT_GIVEN).any())
    if not models:
        del tables["vehicle_model"]
    return Mix(period, tables, models, int((~rows["paid_given"].astype(bool)).sum()))


def segment_values(policies: Policies, t: Tariff) -> pd.DataFrame:
    """Per policy (same index as ``policies.table``): the group of every segment of
    :data:`SEGMENTS` (Chinese labels), claims paid (fen) and whether it was given."""
    table, register = policies.table, policies.register
    n = len(table)
    col = lambda key: register[key].reset_index(drop=True)  # noqa: E731
    quiet = Errors(n)  # unreadable values become (未知); ``check`` lists them
    first = dates(col("first_registration"), "first_registration", Errors(n))
    start = table["start"].to_numpy().astype("datetime64[D]")
    known = ~np.isnat(first) & (first <= start)
    years = np.where(known, months_between_arrays(np.where(known, first, start), start) // 12, -1)
    price, price_ok = _read(register, t, "new_car_price")
    seats, seats_ok = _read(register, t, "seats")
    coverage, coverage_ok = _read(register, t, "coverage")
    kind = pd.Series(texts(col("customer_type"), "customer_type", quiet, required=False), dtype=object)
    names = {code: zh for zh, code in CUSTOMER_TYPES.items()} | {zh: zh for zh in CUSTOMER_TYPES}
    model = texts(col("vehicle_model"), "vehicle_model", quiet, required=False)
    paid, given = read_claims_paid(col("claims_paid"), "claims_paid", Errors(n))
    packages = {p.code: p.name_zh for p in t.packages}
    return pd.DataFrame(
        {
            "age_band": _bands(years, AGE_BANDS, known),
            "price_band": np.where(price_ok, np.array(_price_bands(t), dtype=object)[_price_band(t, price)], UNKNOWN),
            "seat_band": np.where(seats_ok, np.array(_seat_labels(t), dtype=object)[t.band_of_seats[seats]], UNKNOWN),
            "customer_type": kind.str.upper().map(names).fillna(kind.map(names)).fillna(UNKNOWN).to_numpy(),
            "business": np.where(is_renewal(table), "续保", "新保"),
            "package": [packages.get(c.package, CUSTOM) if ok else UNKNOWN for c, ok in zip(coverage, coverage_ok)],
            "vehicle_model": np.where(model != "", model, NOT_GIVEN),
            "claims_paid": np.where(given, paid, 0),
            "paid_given": given,
        },
        index=table.index,
    )


def _read(register: pd.DataFrame, t: Tariff, field: str) -> tuple[np.ndarray, np.ndarray]:
    """A quote input of the register as the pricing engine reads it (coverage: the parsed
    :class:`~renewal_xl.tariff.coverage.Coverage` of each row), and the rows where the tariff
    accepts it (blank is not accepted: no default stands in for a fact)."""
    errors = Errors(len(register))
    values = read_inputs(register[[field]], t, errors, {}, fields=(field,))
    if field == "coverage":
        return values["coverage_list"][values["coverage"]], errors.ok
    return values[field], errors.ok


def _bands(values: np.ndarray, bands, known: np.ndarray) -> np.ndarray:
    out = np.full(len(values), UNKNOWN, dtype=object)
    todo = known.copy()
    for below, label in bands:
        hit = todo & (True if below is None else values < below)
        out[hit] = label
        todo &= ~hit
    return out


def _price_band(t: Tariff, price: np.ndarray) -> np.ndarray:
    """Index of the manual §5 price band (lower bound inclusive) of new-car prices in fen."""
    return np.searchsorted(t.deductible_price_from, price, side="right") - 1


def _price_bands(t: Tariff) -> list[str]:
    """Labels of the price bands, e.g. ``5万–10万``, ``50万及以上``."""
    edges = [int(e) // 10**CENTS // 10_000 for e in t.deductible_price_from]
    labels = [f"{lo}万–{hi}万" if k else f"{hi}万以下" for k, (lo, hi) in enumerate(zip(edges, edges[1:]))]
    return [*labels, f"{edges[-1]}万及以上"]


def _seat_labels(t: Tariff) -> list[str]:
    """Labels of the seat bands, e.g. ``2–5座``."""
    seats = np.arange(len(t.band_of_seats))
    labels = []
    for b in range(len(t.bands)):
        of_band = seats[t.band_of_seats == b]
        labels.append(f"{of_band.min()}–{of_band.max()}座")
    return labels


def _group(rows: pd.DataFrame, key: str, order: list[str] | None) -> pd.DataFrame:
    """Sums per value of ``key`` and the rates of :func:`rates_of`, then the total. Groups
    in ``order`` when given (bands), else the largest first; (未知)/(未填写) last."""
    g = (
        rows.assign(
            paid_premium=np.where(rows["paid_given"], rows["premium"], 0),
            paid_policies=rows["paid_given"].astype(np.int64),
            premium_renewed=rows["renewal_premium"],
        )
        .groupby(key)
        .agg(
            policies=("policy_no", "size"),
            premium=("premium", "sum"),
            claims=("claims", "sum"),
            paid_policies=("paid_policies", "sum"),
            paid_premium=("paid_premium", "sum"),
            claims_paid=("claims_paid", "sum"),
            renewed=("renewed", "sum"),
            premium_renewed=("premium_renewed", "sum"),
        )
        .astype(np.int64)
        .rename_axis("group")
        .reset_index()
    )
    last = g["group"].isin([UNKNOWN, NOT_GIVEN]).to_numpy()
    if order is not None:
        rank = {label: k for k, label in enumerate(order)}
        sequence = np.lexsort((g["group"].map(rank).fillna(len(rank)).to_numpy(), last))
    else:
        sequence = np.lexsort((g["group"].astype(str).to_numpy(), -g["policies"].to_numpy(), last))
    g = g.iloc[sequence].reset_index(drop=True)
    total = pd.DataFrame({"group": [TOTAL], **{k: [int(g[k].sum())] for k in SUMS}})
    return rates_of(pd.concat([g, total], ignore_index=True))


def rates_of(sums: pd.DataFrame) -> pd.DataFrame:
    """claim_frequency = claims / policies; loss_ratio = claims paid / premium of the policies
    with 赔款金额; count_rate = renewed / policies; premium_rate = 实续保费 / premium."""
    out = sums.copy()
    out["claim_frequency"] = out["claims"] / out["policies"].where(out["policies"] > 0)
    out["loss_ratio"] = out["claims_paid"] / out["paid_premium"].where(out["paid_premium"] > 0)
    out["count_rate"] = out["renewed"] / out["policies"].where(out["policies"] > 0)
    out["premium_rate"] = out["premium_renewed"] / out["premium"].where(out["premium"] > 0)
    return out
