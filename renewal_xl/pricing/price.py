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
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError, NoTariffError, RenewalError
from renewal_xl.money import CENTS, COEF, RATE, cents_to_decimal, mul_round, scaled, to_scaled_array
from renewal_xl.pricing.breakdown import Breakdown
from renewal_xl.pricing.ops import ARRAYS, SCALARS, ops_for
from renewal_xl.pricing.rating import actual_value, band_index, deductible_factor, ncd_factor, voucher
from renewal_xl.readers import REQUIRED, Cell, Errors, ErrorSink, OneError, dates, numbers, texts, whole_numbers, yes_no
from renewal_xl.tariff import Catalogue, Tariff
from renewal_xl.tariff import catalogue as default_catalogue
from renewal_xl.tariff.coverage import Coverage, parse_coverage
from renewal_xl.vocabulary import ITEMS, QUOTE_INPUTS

QUOTE_FIELDS = QUOTE_INPUTS
ITEM_COLUMNS = tuple(item.column for item in ITEMS)
ITEM_CODES = tuple(item.code for item in ITEMS)
MONEY_COLUMNS = ("actual_value", "insured_amount", *ITEM_COLUMNS, "waived", "total", "premium", "voucher")
DEFAULTS: Mapping[str, object] = {
    "deductible": 0,
    "multi_accident": False,
    "underwriting_coef": 1,
    "channel_coef": 1,
    "is_renewal": True,
    "imported": False,
}
MAX_COUNT = 100  # claim-free years and claims: whole numbers 0–100


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
    start = dates(_column(quotes, "policy_start", n), "policy_start", errors, default=today)
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


def _column(frame: pd.DataFrame, name: str, n: int) -> pd.Series:
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * n, dtype=object)


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


def read_inputs(
    frame: pd.DataFrame | Mapping[str, Cell],
    t: Tariff,
    errors: ErrorSink,
    defaults: Mapping[str, object],
    fields: tuple[str, ...] = QUOTE_FIELDS,
) -> dict[str, np.ndarray]:
    """Read and range-check ``fields`` of ``frame`` against tariff ``t``.

    Money comes back in fen, coefficients in ten-thousandths (half-up to 4 decimals),
    yes/no as bool, coverage as an object array of :class:`Coverage` (None when bad).
    ``frame`` may instead map field names to the :class:`~renewal_xl.readers.Cell`
    of one quote (``errors`` a :class:`~renewal_xl.readers.OneError`): the same
    rules then give plain values (``coverage`` 0, the index into ``coverage_list``).
    """
    one = not isinstance(frame, pd.DataFrame)
    xp = SCALARS if one else ARRAYS
    where, finite_of = xp.where, (math.isfinite if one else np.isfinite)
    n = 1 if one else len(frame)
    absent = {} if one else {name: _absent(name, n, defaults) for name in fields if name not in frame.columns}  # type: ignore[union-attr]
    if one:
        col: dict = {name: frame.get(name) or Cell(None) for name in fields}
    else:
        col = {name: _column(frame, name, n) for name in fields if absent.get(name) is None}
    v: dict[str, np.ndarray] = {}
    p = t.param

    def within(values, low, high):
        return finite_of(values) & (values >= low) & (values <= high)

    def refuse(mask, name: str, reason) -> None:
        """Record ``reason()`` (a message built only when needed) for the rows in ``mask``."""
        if mask if one else mask.any():
            errors.add(mask, name, col[name], reason())

    def money(name: str, low: int, high: int, unit: str = "元") -> None:
        values = numbers(col[name], name, errors, default=_default(defaults, name))
        refuse(
            finite_of(values) & ((values < low) | (values > high)), name, lambda: f"须在 {low:,}–{high:,} {unit}之间"
        )
        v[name] = to_scaled_array(where(within(values, low, high), values, low), CENTS)

    def count(name: str, low: int, high: int, unit: str = "") -> None:
        v[name] = whole_numbers(col[name], name, errors, low, high, default=_default(defaults, name), unit=unit)

    def coef(name: str) -> None:
        values = numbers(col[name], name, errors, default=float(_default(defaults, name) or 1), percent=True)
        finite = finite_of(values)
        scaled = to_scaled_array(where(finite, abs(values), 1.0), COEF)
        low, high = p(f"{name}_min"), p(f"{name}_max")
        refuse(
            finite & ((values < 0) | (scaled < low) | (scaled > high)),
            name,
            lambda: f"须在 {low / 10**COEF:g}–{high / 10**COEF:g} 之间 (取4位小数)",
        )
        v[name] = xp.minimum(xp.maximum(scaled, low), high)

    for name in fields:
        if (filled := absent.get(name)) is not None:  # a column left out: every cell blank, its default (fast)
            v[name] = filled
            continue
        if name == "new_car_price":
            money(name, p("new_car_price_min"), p("new_car_price_max"))
        elif name == "vehicle_age_months":
            count(name, 0, p("vehicle_age_months_max"), " 个月")
        elif name == "seats":
            seats = numbers(col[name], name, errors, default=_default(defaults, name))
            finite = finite_of(seats)
            errors.add(finite & (seats != xp.round(seats)), name, col[name], "须为整数")
            refuse(
                finite & ((seats < t.seats_min) | (seats > t.seats_max)),
                name,
                lambda: f"费率表 {t.id} 仅适用 {t.seats_min}–{t.seats_max} 座",
            )
            v[name] = xp.as_int(where(within(seats, t.seats_min, t.seats_max), xp.round(seats), t.seats_min))
        elif name == "coverage":
            v[name], v["coverage_list"] = _coverages(col[name], t, errors, _default(defaults, name))
        elif name in ("claim_free_years", "claims_last_year"):
            count(name, 0, MAX_COUNT, " 年" if name == "claim_free_years" else " 次")
        elif name == "deductible":
            values = numbers(col[name], name, errors, default=float(_default(defaults, name) or 0))
            allowed = xp.isin(values, t.deductibles)
            refuse(
                where(allowed, False, finite_of(values)),
                name,
                lambda: "可选: " + " ".join(map(str, t.deductibles)) + " 元",
            )
            v[name] = xp.as_int(where(allowed, values, 0))
        elif name in ("multi_accident", "is_renewal", "imported"):
            v[name] = yes_no(col[name], name, errors, default=bool(_default(defaults, name)))
        elif name in ("underwriting_coef", "channel_coef"):
            coef(name)
        elif name == "insured_amount":
            values = numbers(col[name], name, errors, default=np.nan)
            errors.add(finite_of(values) & (values <= 0), name, col[name], "须大于 0 (空白 = 实际价值)")
            v[name] = where(finite_of(values) & (values > 0), to_scaled_array(where(values > 0, values, 0), CENTS), -1)
        elif name == "policy_start":
            continue  # read before the tariff is chosen
    if "claim_free_years" in v and "claims_last_year" in v:
        both = (v["claim_free_years"] > 0) & (v["claims_last_year"] > 0)
        errors.add(
            both, "claims_last_year", col["claims_last_year"], "上年出险时连续未出险年数须为 0 (两者同时大于 0 不一致)"
        )
    return v


def _default(defaults: Mapping[str, object], name: str):
    return defaults.get(name)


def _absent(name: str, n: int, defaults: Mapping[str, Any]) -> np.ndarray | None:
    """The typed values of a column that is not in the table at all, when a blank has a
    default; None when a blank is an error (the reader then reports every row)."""
    if name == "insured_amount":
        return np.full(n, -1, dtype=np.int64)  # blank: the actual value
    default = defaults.get(name)
    if default is None:
        return None
    if name in ("multi_accident", "is_renewal", "imported"):
        return np.full(n, bool(default))
    if name in ("underwriting_coef", "channel_coef"):
        return np.full(n, scaled(default, COEF), dtype=np.int64)
    if name in ("deductible", "claim_free_years", "claims_last_year"):
        return np.full(n, int(default), dtype=np.int64)
    return None


def _coverages(
    series: pd.Series | Cell, t: Tariff, errors: ErrorSink, default: object
) -> tuple[np.ndarray, np.ndarray]:
    """Row codes into the list of distinct parsed coverages: each distinct cell value is
    read and parsed once, its error given to every row holding it. For one
    :class:`~renewal_xl.readers.Cell`: code 0 into a list of its one coverage."""
    if isinstance(series, Cell):
        value = series.value
        if default is not None and (value is None or (not isinstance(value, str) and pd.isna(value))):
            value = default  # as the batch: a missing cell takes the default, white space does not
        text = texts(Cell(value), "coverage", errors)
        if not text:
            errors.add(True, "coverage", series, REQUIRED)
            return 0, np.array([Coverage()], dtype=object)  # type: ignore[return-value]
        try:
            return 0, np.array([parse_coverage(text, t)], dtype=object)  # type: ignore[return-value]
        except RenewalError as exc:
            errors.add_error(0, exc)
            return 0, np.array([Coverage()], dtype=object)  # type: ignore[return-value]
    if default is not None:
        series = series.where(~series.isna(), default)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    errors.add(codes < 0, "coverage", series, "不能为空")
    found = Errors(len(uniques))
    text = texts(pd.Series(uniques, dtype=object), "coverage", found)
    parsed = np.full(len(uniques) + 1, Coverage(), dtype=object)  # the last entry serves blank rows
    for k, value in enumerate(text):
        if found.at(k) is None:
            try:
                parsed[k] = parse_coverage(value, t)
            except RenewalError as exc:
                found.add_error(k, exc)
        if found.at(k) is not None:
            for i in np.flatnonzero(codes == k):
                errors.add_error(i, found.at(k))
    return np.where(codes < 0, len(uniques), codes).astype(np.int64), parsed


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
