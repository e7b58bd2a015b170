"""The one pricing path: a whole table of quotes priced with numpy (tariff manual §3–§7).

:func:`price_arrays` reads and validates the quote columns, picks the tariff in force for
each row's ``policy_start``, and computes every coverage premium, the free rider, NCD,
coefficients, premium and voucher in exact scaled integers (fen). A bad row gets its error
and the other rows still price. :func:`price_frame` returns the result as a DataFrame in
yuan; :func:`quote` prices one row through the same code and returns a
:class:`~renewal_xl.pricing.breakdown.Breakdown` or raises the row's error.

>>> quote(new_car_price=150000, vehicle_age_months=30, seats=5, coverage="经济",
...       claim_free_years=2, claims_last_year=0).premium
Decimal('3253.15')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError, NoTariffError, RenewalError
from renewal_xl.money import CENTS, COEF, RATE, cents_to_decimal, mul_round
from renewal_xl.pricing.breakdown import Breakdown
from renewal_xl.pricing.inputs import DEFAULTS, column_of, read_inputs
from renewal_xl.pricing.ops import SCALARS, ops_for
from renewal_xl.pricing.rating import actual_value, band_index, deductible_factor, ncd_factor, voucher
from renewal_xl.readers import Cell, Errors, OneError, dates
from renewal_xl.tariff import Catalogue, Tariff
from renewal_xl.tariff import catalogue as default_catalogue
from renewal_xl.vocabulary import ITEMS, QUOTE_INPUTS
from renewal_xl.vocabulary import MAX_COUNT as MAX_COUNT  # whole-number counts 0–100, for the workflow's readers

QUOTE_FIELDS = QUOTE_INPUTS
ITEM_COLUMNS = tuple(item.column for item in ITEMS)
ITEM_CODES = tuple(item.code for item in ITEMS)
MONEY_COLUMNS = ("actual_value", "insured_amount", *ITEM_COLUMNS, "waived", "total", "premium", "voucher")


@dataclass
class Priced:
    """Scaled-integer results of :func:`price_arrays`, one entry per input row.

    Money in fen, ``ncd``/coefficients in ten-thousandths, ``indemnity_ratio`` a float
    (I / A); ``present[item]`` tells which coverages the row has. Rows with an error hold 0.
    """

    n: int
    errors: np.ndarray  # object: RenewalError or None
    tariff_id: np.ndarray  # object
    free_rider: np.ndarray  # object: item code waived, '' when none
    money: dict[str, np.ndarray]
    present: dict[str, np.ndarray]
    ncd: np.ndarray
    underwriting_coef: np.ndarray
    channel_coef: np.ndarray
    indemnity_ratio: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """True for the rows that priced (no error)."""
        return np.array([e is None for e in self.errors], dtype=bool)

    @property
    def premium(self) -> np.ndarray:
        """The premium of tariff manual §7, fen."""
        return self.money["premium"]

    @property
    def voucher(self) -> np.ndarray:
        """The renewal voucher of tariff manual §6, fen (reported, never netted)."""
        return self.money["voucher"]


def price_arrays(
    quotes: pd.DataFrame,
    *,
    tariffs: Catalogue | None = None,
    today: dt.date | None = None,
    defaults: Mapping[str, object] | None = None,
    errors: Errors | None = None,
) -> Priced:
    """Price every row of ``quotes`` (columns named as :data:`QUOTE_FIELDS`).

    Optional columns may be missing; blanks take ``defaults`` (by default :data:`DEFAULTS`,
    ``insured_amount`` = actual value, ``policy_start`` = ``today``). Rows that already
    have an error in ``errors`` (found by a caller reading its own columns) are not priced.
    """
    tariffs = tariffs or default_catalogue()
    today = today or dt.date.today()
    defaults = {**DEFAULTS, **(defaults or {})}
    quotes = quotes.reset_index(drop=True)
    n = len(quotes)
    errors = errors or Errors(n)
    out = _empty(n, errors)
    start = dates(column_of(quotes, "policy_start", n), "policy_start", errors, default=today)
    day_of_row, days = pd.factorize(np.where(errors.ok, start, np.datetime64(today, "D")).astype(np.int64))
    days = days.astype("datetime64[D]")
    versions: list[Tariff] = []
    version_of_day = np.full(len(days), -1, dtype=np.int64)
    for k, day in enumerate(days):
        try:
            t = tariffs.for_date(pd.Timestamp(day).date())
        except NoTariffError as exc:
            for i in np.flatnonzero((day_of_row == k) & errors.ok):
                errors.add_error(i, exc)
            continue
        if t not in versions:
            versions.append(t)
        version_of_day[k] = versions.index(t)
    version_of_row = np.where(errors.ok, version_of_day[day_of_row], -1)
    for k, t in enumerate(versions):
        rows = np.flatnonzero(version_of_row == k)
        if rows.size:  # a version can be left without rows when theirs turned out bad
            _price_group(quotes if rows.size == n else quotes.iloc[rows], rows, t, defaults, errors, out)
    bad = ~errors.ok
    if not bad.any():
        return out
    for array in (*out.money.values(), out.ncd, out.underwriting_coef, out.channel_coef):
        array[bad] = 0
    for array in out.present.values():
        array[bad] = False
    out.indemnity_ratio[bad] = np.nan
    out.tariff_id[bad] = ""
    out.free_rider[bad] = ""
    return out


def price_frame(quotes: pd.DataFrame, **options) -> pd.DataFrame:
    """:func:`price_arrays` as a DataFrame: money in yuan (NaN for absent coverages and bad
    rows), factors as floats, ``error`` holding the row's RenewalError or None."""
    p = price_arrays(quotes, **options)
    ok = p.ok
    columns: dict[str, object] = {"tariff_id": p.tariff_id}
    for name in MONEY_COLUMNS:
        shown = ok & p.present[name] if name in p.present else ok
        columns[name] = np.where(shown, p.money[name] / 100.0, np.nan)
    columns["free_rider"] = p.free_rider
    columns["ncd"] = np.where(ok, p.ncd / 10**COEF, np.nan)
    columns["underwriting_coef"] = np.where(ok, p.underwriting_coef / 10**COEF, np.nan)
    columns["channel_coef"] = np.where(ok, p.channel_coef / 10**COEF, np.nan)
    columns["indemnity_ratio"] = p.indemnity_ratio
    columns["error"] = p.errors
    return pd.DataFrame(columns, index=quotes.index)


def quote(
    *,
    tariffs: Catalogue | None = None,
    today: dt.date | None = None,
    defaults: Mapping[str, object] | None = None,
    **inputs: object,
) -> Breakdown:
    """Price one quote by the rules of :func:`price_arrays` (the same readers, tariff
    choice and kernel, on its plain values: no table is built, which is what a worksheet
    cell must not pay for); raises its RenewalError if invalid."""
    t, v, result = _price_one(tariffs, today, defaults, inputs)
    return Breakdown.of(t.id, **_outputs(t, result, v))


def quote_premium(
    *,
    tariffs: Catalogue | None = None,
    today: dt.date | None = None,
    defaults: Mapping[str, object] | None = None,
    **inputs: object,
) -> Decimal:
    """The premium of :func:`quote` (yuan), without building the rest of its breakdown."""
    return cents_to_decimal(_price_one(tariffs, today, defaults, inputs)[2]["premium"])


def _price_one(
    tariffs: Catalogue | None, today: dt.date | None, defaults: Mapping[str, object] | None, inputs: dict
) -> tuple[Tariff, dict, dict]:
    """The tariff, read inputs and kernel result of one quote; raises its RenewalError."""
    unknown = set(inputs) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"unknown quote inputs: {sorted(unknown)}")
    tariffs = tariffs or default_catalogue()
    today = today or dt.date.today()
    defaults = {**DEFAULTS, **(defaults or {})}
    errors = OneError()
    cells = {name: Cell(value) for name, value in inputs.items()}
    start = dates(cells.get("policy_start") or Cell(None), "policy_start", errors, default=today)
    errors.check()
    t = tariffs.for_date(start)  # type: ignore[arg-type]
    v = read_inputs(cells, t, errors, defaults)
    errors.check()
    result = compute(t, v, v.pop("coverage_list"))
    if result["over_insured"]:
        raise _over_insured(inputs.get("insured_amount"), result["actual_value"])  # type: ignore[arg-type]
    return t, v, result


def _empty(n: int, errors: Errors) -> Priced:
    money = {name: np.zeros(n, dtype=np.int64) for name in MONEY_COLUMNS}
    present = {name: np.zeros(n, dtype=bool) for name in ITEM_COLUMNS}
    present["insured_amount"] = np.zeros(n, dtype=bool)
    return Priced(
        n=n,
        errors=errors.array(),
        tariff_id=np.full(n, "", dtype=object),
        free_rider=np.full(n, "", dtype=object),
        money=money,
        present=present,
        ncd=np.zeros(n, dtype=np.int64),
        underwriting_coef=np.zeros(n, dtype=np.int64),
        channel_coef=np.zeros(n, dtype=np.int64),
        indemnity_ratio=np.full(n, np.nan),
    )


def _price_group(
    frame: pd.DataFrame, rows: np.ndarray, t: Tariff, defaults: Mapping[str, object], errors: Errors, out: Priced
) -> None:
    """Read and check the rows of one tariff version, price the good ones, record the rest."""
    sub = Errors(len(rows))
    v = read_inputs(frame, t, sub, defaults)
    coverages = v.pop("coverage_list")
    ok = sub.ok
    result = compute(t, v if ok.all() else {name: values[ok] for name, values in v.items()}, coverages)
    kept = np.flatnonzero(ok)
    over = result.pop("over_insured")
    for k in kept[over]:
        sub.add_error(
            k, _over_insured(frame.iloc[k].get("insured_amount"), result["actual_value"][np.searchsorted(kept, k)])
        )
    for k in np.flatnonzero(~sub.ok):
        errors.add_error(rows[k], sub.at(k))
    idx = rows[kept]
    every = len(idx) == out.n  # one version, every row good: the results are the output
    o = _outputs(t, result, {name: v[name][ok] for name in ("underwriting_coef", "channel_coef")})
    for kind in ("money", "present"):
        target = getattr(out, kind)
        for name, values in o.pop(kind).items():
            if every:
                target[name] = values
            else:
                target[name][idx] = values
    for name, values in o.items():
        if every and name != "free_rider":
            setattr(out, name, values)
        else:
            getattr(out, name)[idx] = values
    out.tariff_id[idx] = t.id


def _outputs(t: Tariff, result: Mapping, v: Mapping) -> dict:
    """What :class:`Priced` keeps of the kernel's ``result`` for priced rows (or one quote)."""
    xp = ops_for(result["premium"])
    return {
        "money": {name: result[name] for name in MONEY_COLUMNS},
        "present": {**{name: result["has_" + name] for name in ITEM_COLUMNS}, "insured_amount": result["has_damage"]},
        "ncd": result["ncd"],
        "underwriting_coef": v["underwriting_coef"],
        "channel_coef": v["channel_coef"],
        "indemnity_ratio": xp.round4(result["insured_amount"] / xp.maximum(result["actual_value"], 1)),
        "free_rider": xp.where(result["free"], t.free_rider, ""),
    }


def compute(t: Tariff, r: Mapping[str, np.ndarray], coverages: np.ndarray) -> dict[str, np.ndarray]:
    """The pricing kernel (tariff manual §3–§7) on validated, typed arrays, or on the
    plain integers of one quote (the same formulas, :mod:`renewal_xl.pricing.ops`).

    ``r`` holds the quote inputs as :func:`read_inputs` returns them (money in fen,
    coefficients in ten-thousandths, ``insured_amount`` −1 when blank, ``coverage`` codes
    into ``coverages``). Returns fen amounts per item, ``total``, ``premium``, ``voucher``,
    ``ncd``, ``has_<item>`` flags, ``free`` (rider waived) and ``over_insured``.
    """
    price, months, seats = r["new_car_price"], r["vehicle_age_months"], r["seats"]
    xp = ops_for(price)
    where = xp.where
    one = xp is SCALARS

    def flags(get, dtype=bool):
        """One attribute of each row's coverage, computed once per distinct coverage."""
        if one:
            return get(coverages[r["coverage"]])
        return np.array([get(c) for c in coverages], dtype=dtype)[r["coverage"]]

    has = {
        "damage": flags(lambda c: c.damage),
        "tpl": flags(lambda c: c.tpl is not None),
        "seats_cover": flags(lambda c: c.seats is not None),
        "theft": flags(lambda c: c.theft),
        "glass": flags(lambda c: c.glass is not None),
        "scratch": flags(lambda c: c.scratch is not None),
        "repair": flags(lambda c: c.repair),
        "waiver": flags(lambda c: c.waiver),
    }
    band = t.band_of_seats[seats]
    imported = r["imported"]

    # actual value and insured amount (§3); blank insured amount = actual value
    a = actual_value(t, price, months)
    insured = where(r["insured_amount"] < 0, a, r["insured_amount"])

    # 车损 DAMAGE = round2((base + rate × I) × deductible factor × multi-accident factor)
    age = band_index(t.damage_age_from, months)
    base = t.damage_base[band, age] * 10**RATE + t.damage_rate[band, age] * insured  # fen × 10^6
    factor = deductible_factor(t, r["deductible"], price) * where(
        r["multi_accident"], t.param("multi_accident_factor"), 10**COEF
    )
    damage = where(has["damage"], mul_round(base, factor, RATE + 2 * COEF), 0)

    # 三者 TPL: flat premium by seat band and limit
    tpl_index = xp.search(t.tpl_limits, flags(lambda c: c.tpl or 0, np.int64))
    tpl = where(has["tpl"], t.tpl_premium[band, xp.minimum(tpl_index, len(t.tpl_limits) - 1)], 0)

    # 车上人员 SEATS = round2(driver limit × rd + passenger limit × rp × (seats − 1))
    driver = flags(lambda c: c.seats[0] if c.seats else 0, np.int64) * 10**CENTS
    passenger = flags(lambda c: c.seats[1] if c.seats else 0, np.int64) * 10**CENTS
    seats_sum = driver * t.seats_driver_rate[band] + passenger * t.seats_passenger_rate[band] * (seats - 1)
    seats_cover = where(has["seats_cover"], mul_round(seats_sum, 1, RATE), 0)

    # 盗抢 THEFT = round2(base + rate × A)
    theft = where(has["theft"], mul_round(t.theft_base[band] * 10**RATE + t.theft_rate[band] * a, 1, RATE), 0)

    # 玻璃 GLASS = round2(P × g); origin from the item, else the imported flag
    origin = flags(lambda c: {"DOMESTIC": 0, "IMPORTED": 1}.get(c.glass or "", -1), np.int64)
    origin = where(origin < 0, xp.as_int(imported), origin)
    glass = where(has["glass"], mul_round(price, t.glass_rate[band, origin], RATE), 0)

    # 划痕 SCRATCH: flat by vehicle-age band, price band and limit
    s_index = xp.minimum(
        xp.search(t.scratch_limits, flags(lambda c: c.scratch or 0, np.int64)),
        len(t.scratch_limits) - 1,
    )
    scratch_flat = t.scratch_premium[
        band_index(t.scratch_age_from, months), band_index(t.scratch_price_from, price), s_index
    ]
    scratch = where(has["scratch"], scratch_flat, 0)

    # 修理厂 REPAIR = round2(DAMAGE × rate), rate by imported flag
    repair = where(has["repair"], mul_round(damage, t.repair_rate[xp.as_int(imported)], RATE), 0)

    # 不计免赔 WAIVER = round2(Σ rate_item × rounded item premium) over the items present
    item_premium = {"DAMAGE": damage, "TPL": tpl, "SEATS": seats_cover, "THEFT": theft, "SCRATCH": scratch}
    waiver_sum = sum(rate * item_premium[item] for item, rate in t.waiver_rate.items())
    waiver = where(has["waiver"], mul_round(waiver_sum, 1, RATE), 0)

    premiums = {
        "damage": damage,
        "tpl": tpl,
        "seats_cover": seats_cover,
        "theft": theft,
        "glass": glass,
        "scratch": scratch,
        "repair": repair,
        "waiver": waiver,
    }

    # free rider for claim-free renewals (§6)
    rider = ITEM_COLUMNS[ITEM_CODES.index(t.free_rider)]
    free = r["is_renewal"] & (r["claim_free_years"] >= t.param("free_rider_min_claim_free_years")) & has[rider]
    waived = where(free, premiums[rider], 0)
    total = sum(premiums.values()) - waived

    # premium = round2(total × NCD × underwriting coefficient × channel coefficient) (§7)
    ncd = ncd_factor(t, r["claim_free_years"], r["claims_last_year"])
    premium = mul_round(total, ncd * r["underwriting_coef"] * r["channel_coef"], 3 * COEF)
    return {
        "actual_value": a,
        "insured_amount": insured,
        **premiums,
        "waived": waived,
        "total": total,
        "premium": premium,
        "voucher": voucher(t, r["claim_free_years"], r["is_renewal"]),
        "ncd": ncd,
        **{"has_" + name: flag for name, flag in has.items()},
        "free": free,
        "over_insured": (r["insured_amount"] >= 0) & (insured > a),
    }


def _over_insured(value: object, actual_fen: int) -> RenewalError:
    return InputError("insured_amount", value, f"超过实际价值 {actual_fen / 100:,.2f} 元 (超额投保不予承保)")
