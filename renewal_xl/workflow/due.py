"""The due list 应续清单 (renewal-workflow §2): who is due, their renewal quote, priority,
the per-salesperson summary and the renewal notices.

Rules:
- window: ``month`` (first, last day) → end_date within it; ``days`` N → as_of < end_date ≤
  as_of + N; neither → the calendar month after as_of;
- one row per VIN: the policy with the latest end_date in the window;
- already renewed: the VIN has another policy starting after end_date − 30 days → left out
  and counted as 已提前续保;
- owner: the expiring policy's salesperson and agency (never reassigned);
- renewal quote: :func:`renewal_xl.workflow.renewal_quote.price_renewals` (same coverage, NCD from the
  term's claims, policy_start = end_date + 1); a row whose quote fails stays, with its error;
- 核保通道 (programme 三.2/三.4): VIP → VIP专人; no claims in the term → 免初核; else 常规;
  送单方式 (四.3) from the register, blank → 未指定;
- retention options (tariff manual §12) of each renewal quote, the suggested one marked
  (:func:`renewal_xl.workflow.renewal_quote.renewal_options`, the same pricing as the quote);
  推荐险种组合: the package recommendation (manual §10) from the register's 客户类型 and 驾龄,
  the new-car price and the vehicle age at renewal;
- priority: P1 = VIP or premium ≥ 10,000 yuan; P2 = no claims in the term and premium ≥
  5,000; P3 = no claims; P4 = claims in the term. *premium* is the expiring policy's
  premium (the register's 保费): it is what is at stake and is known even when the quote
  fails.

Money columns are fen (int64); NCD ten-thousandths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.collation import pinyin_order
from renewal_xl.dates import month_after
from renewal_xl.money import CENTS
from renewal_xl.pricing.recommend import recommend_rows
from renewal_xl.readers import Errors, numbers
from renewal_xl.tariff import Catalogue, catalogue
from renewal_xl.tariff.coverage import ITEMS
from renewal_xl.workflow.history import later_policies, latest_per_vin
from renewal_xl.workflow.policies import NO_DELIVERY, Policies
from renewal_xl.workflow.renewal_quote import renewal_options

P1_PREMIUM = 10_000 * 10**CENTS  # fen
P2_PREMIUM = 5_000 * 10**CENTS
PRIORITIES = ("P1", "P2", "P3", "P4")
TOTAL = "合计"
VIP_DESK, NO_FIRST_REVIEW, ROUTINE = "VIP专人", "免初核", "常规"  # 核保通道


@dataclass
class Window:
    """Due window: end_date from ``first`` to ``last`` inclusive."""

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, as_of: dt.date, month: tuple[dt.date, dt.date] | None = None, days: int | None = None) -> Window:
        if month is not None and days is not None:
            raise ValueError("give month or days, not both")
        if days is not None:
            return cls(as_of + dt.timedelta(days=1), as_of + dt.timedelta(days=days))
        return cls(*(month or month_after(as_of)))

    def label(self) -> str:
        return f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}"

    def contains(self, end: pd.Series) -> np.ndarray:
        days = end.to_numpy().astype("datetime64[D]")
        return (days >= np.datetime64(self.first, "D")) & (days <= np.datetime64(self.last, "D"))


@dataclass
class DueList:
    """``rows``: one row per due customer, sorted by end date then policy number;
    ``early``: the policies left out as already renewed (已提前续保); ``options``: the
    retention options of the rows whose quote priced (``policy_no`` and the columns of
    :class:`~renewal_xl.pricing.options.RetentionOptions`), in the order of ``rows``."""

    as_of: dt.date
    window: Window
    rows: pd.DataFrame
    early: pd.DataFrame
    options: pd.DataFrame


def due_list(policies: Policies, window: Window, as_of: dt.date, tariffs: Catalogue | None = None) -> DueList:
    """The due list of ``window`` (rules in the module docstring).

    ``rows`` columns: the typed policy columns plus customer_type, coverage,
    claim_free_years (at the start of the expiring term), days_left (end − as_of),
    renewal_start, quote, voucher (fen), ncd (ten-thousandths), free_rider (Chinese name),
    underwriting (核保通道), delivery_shown (送单方式), package_advice (推荐险种组合),
    suggested_option (推荐方案), priority, quote_error ('' when the quote priced).
    """
    return assemble(due_parts(policies, window, as_of, tariffs), window, as_of)


@dataclass
class DueParts:
    """The due list of some policies before ordering: ``rows`` and ``early`` as in
    :class:`DueList` in no particular order, ``options`` keyed by ``policy_no`` (their
    ``row`` is not used). Every row depends only on the policies of its VIN, so policies
    split by VIN give parts whose concatenation (:func:`concat_parts`) is the whole list's."""

    rows: pd.DataFrame
    early: pd.DataFrame
    options: pd.DataFrame


def due_parts(policies: Policies, window: Window, as_of: dt.date, tariffs: Catalogue | None = None) -> DueParts:
    """The unordered due rows, already-renewed policies and retention options of ``policies``
    (the rules of :func:`due_list`, which orders them with :func:`assemble`)."""
    table = policies.table
    latest = latest_per_vin(table, window.contains(table["end"]))
    early = later_policies(table, latest) > 0
    keep = latest[~early]
    rows = table.iloc[keep].reset_index(drop=True)
    register = policies.register_rows(keep)
    quotes, found = renewal_options(register, tariffs=tariffs, today=as_of)
    priced = found.base
    ok = priced.ok
    rows["customer_type"] = _text(register["customer_type"])
    rows["coverage"] = _text(register["coverage"])
    rows["claim_free_years"] = register["claim_free_years"].to_numpy(dtype=object)
    rows["days_left"] = (rows["end"].to_numpy().astype("datetime64[D]") - np.datetime64(as_of, "D")).astype(np.int64)
    rows["renewal_start"] = rows["end"].to_numpy().astype("datetime64[D]") + np.timedelta64(1, "D")
    rows["quote"] = priced.premium
    rows["voucher"] = priced.voucher
    rows["ncd"] = priced.ncd
    rider_names = {code: names[0] for code, names in ITEMS.items()} | {"": ""}
    rows["free_rider"] = pd.Series(priced.free_rider, dtype=object).map(rider_names).to_numpy(dtype=object)
    rows["underwriting"] = underwriting_channels(rows["vip"].to_numpy(), rows["claims"].to_numpy())
    rows["delivery_shown"] = np.where(rows["delivery"] == "", NO_DELIVERY, rows["delivery"])
    years = numbers(register["driving_years"].reset_index(drop=True), "driving_years", Errors(len(rows)))
    price = numbers(register["new_car_price"].reset_index(drop=True), "new_car_price", Errors(len(rows)))
    t = (tariffs or catalogue()).for_date(as_of)
    rows["package_advice"] = recommend_rows(
        t, rows["customer_type"], years, price, quotes["vehicle_age_months"].to_numpy()
    )
    options = found.rows.assign(policy_no=rows["policy_no"].to_numpy()[found.rows["row"].to_numpy()])
    best = options[options["suggested"]].set_index("row")["name"]
    rows["suggested_option"] = pd.Series(best).reindex(range(len(rows))).fillna("").to_numpy(dtype=object)
    rows["priority"] = priorities(rows["vip"].to_numpy(), rows["premium"].to_numpy(), rows["claims"].to_numpy())
    rows["quote_ok"] = ok
    rows["quote_error"] = np.array(["" if e is None else str(e) for e in priced.errors], dtype=object)
    return DueParts(rows=rows, early=table.iloc[latest[early]], options=options)


def concat_parts(parts: list[DueParts]) -> DueParts:
    """The parts of policies split by VIN as one (empty parts kept only when all are empty:
    their column types may be less precise)."""
    full = [p for p in parts if len(p.rows) or len(p.early)] or parts[:1]

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)

    return DueParts(
        rows=joined([p.rows for p in full]),
        early=joined([p.early for p in full]),
        options=joined([p.options for p in full]),
    )


def assemble(parts: DueParts, window: Window, as_of: dt.date) -> DueList:
    """The :class:`DueList` of ``parts``: rows and early policies sorted by end date then
    policy number (unique, so the order does not depend on the parts'), each option's
    ``row`` pointing at its policy's row, options in row order (a policy's own options keep
    their order)."""
    rows = parts.rows.sort_values(["end", "policy_no"], kind="stable").reset_index(drop=True)
    position = pd.Series(np.arange(len(rows)), index=rows["policy_no"].to_numpy())
    options = parts.options.assign(row=position.reindex(parts.options["policy_no"]).to_numpy(dtype=np.int64))
    early = parts.early.sort_values(["end", "policy_no"], kind="stable").reset_index(drop=True)
    options = options.sort_values("row", kind="stable").reset_index(drop=True)
    return DueList(as_of=as_of, window=window, rows=rows, early=early, options=options)


def _text(series: pd.Series) -> np.ndarray:
    return series.astype(object).where(series.notna(), "").to_numpy(dtype=object)


def underwriting_channels(vip: np.ndarray, claims: np.ndarray) -> np.ndarray:
    """核保通道: VIP → VIP专人; no claims in the term → 免初核; else 常规."""
    return np.select([vip, claims == 0], [VIP_DESK, NO_FIRST_REVIEW], default=ROUTINE).astype(object)


def priorities(vip: np.ndarray, premium: np.ndarray, claims: np.ndarray) -> np.ndarray:
    """P1 = VIP or premium ≥ 10,000; P2 = no claims and premium ≥ 5,000; P3 = no claims;
    P4 = claims in the term (premium in fen)."""
    return np.select(
        [vip | (premium >= P1_PREMIUM), (claims == 0) & (premium >= P2_PREMIUM), claims == 0],
        ["P1", "P2", "P3"],
        default="P4",
    ).astype(object)


def summary(due: DueList) -> pd.DataFrame:
    """Per salesperson: count, premium due (sum of the expiring premiums, fen), quoted
    (sum of the renewal quotes that priced, fen), P1–P4 counts, 已提前续保 count; last
    row :data:`TOTAL`."""
    rows = due.rows.assign(quoted=np.where(due.rows["quote_ok"], due.rows["quote"], 0))
    for p in PRIORITIES:
        rows[p] = rows["priority"] == p
    grouped = rows.groupby("salesperson", sort=True).agg(
        count=("policy_no", "size"),
        premium_due=("premium", "sum"),
        quoted=("quoted", "sum"),
        **{p: (p, "sum") for p in PRIORITIES},
    )
    early = due.early.groupby("salesperson").size().rename("early")
    out = grouped.join(early, how="outer").fillna(0).astype(np.int64)
    out.loc[TOTAL] = out.sum()
    return pinyin_order(out.rename_axis("salesperson").reset_index(), "salesperson", last=TOTAL)


def notices(due: DueList, hotline: str) -> pd.DataFrame:
    """One renewal notice per due row: policy_no, salesperson, customer, phone, plate,
    end, notice text naming customer, plate, expiry date, quote,
    voucher, salesperson and ``hotline``."""
    r = due.rows
    end = pd.to_datetime(r["end"])
    expiry = end.dt.year.astype(str) + "年" + end.dt.month.astype(str) + "月" + end.dt.day.astype(str) + "日"
    quote = pd.Series(_yuan_text(r["quote"].to_numpy()), index=r.index)
    voucher = pd.Series(_yuan_text(r["voucher"].to_numpy()), index=r.index)
    offer = (
        "续保报价 "
        + quote
        + " 元"
        + np.where(r["voucher"] > 0, "，续保可获代金券 " + voucher + " 元", "")
        + np.where(r["free_rider"] != "", "，并免费赠送" + r["free_rider"] + "险", "")
    )
    offer = offer.where(r["quote_ok"], "续保报价请向业务员咨询")
    text = (
        "尊敬的"
        + r["customer"]
        + "：您的车辆 "
        + r["plate"]
        + " 的商业车险将于 "
        + expiry
        + " 到期。"
        + offer
        + "。您的业务员 "
        + r["salesperson"]
        + " 将与您联系办理续保，客服热线 "
        + hotline
        + "。"
    )
    return pd.DataFrame(
        {
            "policy_no": r["policy_no"],
            "salesperson": r["salesperson"],
            "customer": r["customer"],
            "phone": r["phone"],
            "plate": r["plate"],
            "end": r["end"],
            "notice": text,
        }
    )


def _yuan_text(fen: np.ndarray) -> np.ndarray:
    """'3,253.15' for 325315 fen, vectorized."""
    yuan, cents = np.divmod(np.asarray(fen, dtype=np.int64), 100)
    whole = pd.Series(yuan, dtype=object).map("{:,}".format)  # object also when empty (no rows due)
    return (whole + "." + pd.Series(cents).astype(str).str.zfill(2)).to_numpy(dtype=object)
