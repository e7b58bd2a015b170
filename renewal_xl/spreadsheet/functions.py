"""The worksheet functions of the contract (excel-contract §1) as plain Python.

Each takes cell-like values (numbers, numbers as text, yes/no words, dates, blanks as
None), validates them through the same readers as the batch path and returns Decimal
money, floats, text or booleans, or raises a :class:`~renewal_xl.errors.RenewalError`.
The xlwings UDFs and any other front end only convert cells and call these.

>>> str(renewal_premium(150000, 30, 5, "经济", 2, 0))
'3253.15'
>>> commission(5000, "专业代理", True)
Decimal('700.00')
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd

from renewal_xl import dates as dates_
from renewal_xl.columns import QUOTE, REGISTER, canonical
from renewal_xl.errors import InputError, RenewalError
from renewal_xl.io.register import doubled, rows_frame
from renewal_xl.money import COEF, RATE, cents_to_decimal
from renewal_xl.pricing import commission as comm
from renewal_xl.pricing import rating
from renewal_xl.pricing.inputs import cell_reader
from renewal_xl.pricing.options import SUGGESTED, retention_options
from renewal_xl.pricing.price import price_arrays, quote, quote_premium
from renewal_xl.pricing.recommend import customer_type_code, recommend, sensitivity_code
from renewal_xl.readers import Cell, OneError, dates, numbers, texts, whole_numbers, yes_no
from renewal_xl.tariff import Tariff, catalogue
from renewal_xl.vocabulary import QUOTE_INPUTS
from renewal_xl.workflow.renewal_quote import price_renewals


def _tariff(today: dt.date | None) -> Tariff:
    """The tariff in force on ``today`` (default: the real today). The catalogue remembers its
    answer per day and a reloaded tariff (``RENEWAL_XL_TARIFF``) is a new catalogue, so this
    is one dictionary look-up per cell and never a stale tariff."""
    return catalogue().for_date(today or _today())


_DAY: tuple[dt.date, float, float] = (dt.date.min, 0.0, 0.0)  # today, and the time.time() span it holds for


def _today() -> dt.date:
    """``dt.date.today()``, remembered from local midnight to local midnight (a cell asks for
    it on every call; ``time.time()`` is much cheaper than the date)."""
    global _DAY
    day, since, until = _DAY
    now = time.time()
    if since <= now < until:
        return day
    day = dt.date.today()
    since = dt.datetime.combine(day, dt.time()).timestamp()
    _DAY = (day, since, dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).timestamp())
    return day


def _one(reader, field: str, value: object, *args, **kwargs):
    """Read one value by a reader's rule (no Series: a cell's cost); raise its error."""
    errors = OneError()
    out = reader(Cell(value), field, errors, *args, **kwargs)
    errors.check()
    return out


# the quote inputs of the look-up functions, each read by its kind's rule (bound once)
_VALUE = cell_reader("new_car_price", "vehicle_age_months")
_NCD = cell_reader("claim_free_years", "claims_last_year")
_DEDUCTIBLE = cell_reader("deductible", "new_car_price")
_VOUCHER = cell_reader("claim_free_years", "is_renewal")
_PREMIUM = cell_reader("premium")
_RENEWAL_PREMIUM = cell_reader("renewal_premium")


# the inputs of RENEWAL_OPTIONS: a quote's, less those its options vary or assume (§12)
OPTION_INPUTS = tuple(
    k for k in QUOTE_INPUTS if k not in ("multi_accident", "underwriting_coef", "channel_coef", "is_renewal")
)


def _quote_inputs(args: tuple, kwargs: dict, fields: tuple[str, ...] = QUOTE_INPUTS) -> dict[str, object]:
    """Quote inputs given by position (in the order of ``fields``, the worksheet function's)
    or by name."""
    if len(args) > len(fields) or set(kwargs) - set(fields):
        raise TypeError(f"quote inputs are {', '.join(fields)}")
    return {**dict(zip(fields, args)), **kwargs}


def renewal_premium(*args, today: dt.date | None = None, **kwargs) -> Decimal:
    """Premium of one quote (tariff manual §7), arguments as RENEWAL_PREMIUM."""
    return quote_premium(today=today, **_quote_inputs(args, kwargs))


def premium_breakdown(*args, today: dt.date | None = None, **kwargs) -> list[tuple[str, object]]:
    """Two columns (label, amount) of every step of the premium."""
    return quote(today=today, **_quote_inputs(args, kwargs)).rows()


def renewal_options(*args, today: dt.date | None = None, **kwargs) -> list[list[object]]:
    """Retention options of one renewal quote (tariff manual §12), arguments as
    RENEWAL_OPTIONS (:data:`OPTION_INPUTS`): rows of option, terms, premium, saving (Decimal
    yuan) and :data:`~renewal_xl.pricing.options.SUGGESTED` on the suggested row ('' on the
    others)."""
    values = _quote_inputs(args, kwargs, OPTION_INPUTS)
    frame = pd.DataFrame({k: pd.Series([values.get(k)], dtype=object) for k in OPTION_INPUTS})
    found = retention_options(frame, today=today)
    if found.base.errors[0] is not None:
        raise found.base.errors[0]
    return [
        [r.name, r.terms, cents_to_decimal(r.premium), cents_to_decimal(r.saving), SUGGESTED if r.suggested else ""]
        for r in found.rows.itertuples()
    ]


def package_price(
    package,
    new_car_price,
    vehicle_age_months,
    seats,
    claim_free_years=None,
    claims_last_year=None,
    deductible=None,
    imported=None,
    is_renewal=None,
    today: dt.date | None = None,
) -> Decimal:
    """Price of one of the four packages for a vehicle (new business unless told)."""
    t = _tariff(today)
    text = "" if package is None else str(package).strip().upper()
    if not any(text in (p.code, p.name_zh.upper(), p.name_en.upper()) for p in t.packages):
        raise InputError("package", package, "可选: " + " ".join(f"{p.name_zh}/{p.name_en}" for p in t.packages))
    return quote(
        today=today,
        defaults={"claim_free_years": 0, "claims_last_year": 0, "is_renewal": False},
        new_car_price=new_car_price,
        vehicle_age_months=vehicle_age_months,
        seats=seats,
        coverage=package,
        claim_free_years=claim_free_years,
        claims_last_year=claims_last_year,
        deductible=deductible,
        imported=imported,
        is_renewal=is_renewal,
    ).premium


def package_recommend(
    customer_type, driving_years, new_car_price, vehicle_age_months, price_sensitivity, today: dt.date | None = None
) -> str:
    """Chinese name of the recommended package (tariff manual §10)."""
    t = _tariff(today)
    kind = customer_type_code(customer_type)
    years = _one(numbers, "driving_years", driving_years)
    if years < 0 or years > 80:
        raise InputError("driving_years", driving_years, "须在 0–80 年之间")
    price, months = _VALUE(t, new_car_price, vehicle_age_months)
    code = recommend(t, kind, years, price / 100, int(months), sensitivity_code(price_sensitivity))
    return next(p.name_zh for p in t.packages if p.code == code)


def actual_value(new_car_price, vehicle_age_months, today: dt.date | None = None) -> Decimal:
    """Actual value (tariff manual §3), yuan."""
    t = _tariff(today)
    return cents_to_decimal(rating.actual_value(t, *_VALUE(t, new_car_price, vehicle_age_months)))


def ncd_factor(claim_free_years, claims_last_year, today: dt.date | None = None) -> Decimal:
    """No-claims discount factor (tariff manual §6)."""
    t = _tariff(today)
    return _ncd(t, *_NCD(t, claim_free_years, claims_last_year))


@functools.lru_cache(maxsize=4096)
def _ncd(t: Tariff, claim_free_years: int, claims_last_year: int) -> Decimal:
    """The factor of one pair of read counts under tariff ``t`` (§6), as a cell shows it.
    The rule is :func:`~renewal_xl.pricing.rating.ncd_factor`; its answer for a pair is kept
    per tariff object (a reloaded tariff is a new object, so never a stale factor), as the
    table itself is: a handful of pairs, each looked up once."""
    return _coef(rating.ncd_factor(t, claim_free_years, claims_last_year))


def deductible_factor(deductible, new_car_price, today: dt.date | None = None) -> Decimal:
    """Damage premium factor of an absolute deductible (tariff manual §5)."""
    t = _tariff(today)
    return _coef(rating.deductible_factor(t, *_DEDUCTIBLE(t, deductible, new_car_price)))


@functools.lru_cache(maxsize=4096)
def _coef(tenths: int) -> Decimal:
    """A factor in ten-thousandths as the Decimal a cell shows (``0.85``, ``1``)."""
    return Decimal(int(tenths)).scaleb(-COEF).normalize()


def renewal_voucher(claim_free_years, is_renewal=None, today: dt.date | None = None) -> Decimal:
    """Voucher for a renewal by claim-free years; 0 for new business."""
    t = _tariff(today)
    return cents_to_decimal(rating.voucher(t, *_VOUCHER(t, claim_free_years, is_renewal)))


def _channel_args(t: Tariff, channel, is_renewal, agency) -> tuple[str, bool, str]:
    """Channel code, new/renewal and agency of a commission function; the first error raised."""
    errors = OneError()
    code = comm.read_channels(Cell(channel), "channel", errors, t)
    errors.check()
    if is_renewal is None or (isinstance(is_renewal, str) and not is_renewal.strip()):
        raise InputError("is_renewal", is_renewal, "不能为空; 须为 是/否")
    renewal = yes_no(Cell(is_renewal), "is_renewal", errors, default=False)
    text = texts(Cell(agency), "agency", errors, required=False)
    errors.check()
    return code, renewal, text  # type: ignore[return-value]


def _rate(t: Tariff, channel, is_renewal, agency) -> int:
    """The commission rate (§8, millionths) of a channel, new/renewal and agency as cells give
    them, read and looked up by :func:`_channel_args` and
    :func:`~renewal_xl.pricing.commission.commission_rates`.

    A register has a few channels, two yes/no words and some agencies, so the answer is
    kept per tariff object and cell values (their types included: ``1``, ``1.0`` and ``TRUE``
    are different cells); a reloaded tariff is a new object, so never a stale rate. A refusal
    is not kept; a value that cannot be kept (unhashable) is read every time."""
    try:
        return _kept_rate(t, channel, is_renewal, agency)
    except TypeError:
        return _rate_of(t, channel, is_renewal, agency)


def _rate_of(t: Tariff, channel, is_renewal, agency) -> int:
    return int(comm.commission_rates(t, *_channel_args(t, channel, is_renewal, agency)))


_kept_rate = functools.lru_cache(maxsize=4096, typed=True)(_rate_of)


def commission_rate(channel, is_renewal, agency=None, today: dt.date | None = None) -> Decimal:
    """Commission rate (tariff manual §8), as a fraction (0.14 = 14 %)."""
    return Decimal(_rate(_tariff(today), channel, is_renewal, agency)).scaleb(-RATE).normalize()


def commission(premium, channel, is_renewal, agency=None, today: dt.date | None = None) -> Decimal:
    """Commission = round2(premium × rate)."""
    t = _tariff(today)
    (fen,) = _PREMIUM(t, premium)
    return cents_to_decimal(comm.commissions(fen, _rate(t, channel, is_renewal, agency)))


def performance_pay(premium, channel, commission_rate=None, is_renewal=None, today: dt.date | None = None) -> Decimal:
    """Performance pay of one policy (tariff manual §9): extraction + saved commission.

    A blank commission rate means the channel's filed rate."""
    t = _tariff(today)
    (fen,) = _PREMIUM(t, premium)
    code, renewal, _ = _channel_args(t, channel, is_renewal, None)
    if commission_rate is None or (isinstance(commission_rate, str) and not commission_rate.strip()):
        rate = comm.standard_rates(t, code, renewal)
    else:
        rate = _one(comm.read_rates, "commission_rate", commission_rate, t)[0]
    extraction, saved = comm.performance_pay(t, fen, code, rate, renewal)
    return cents_to_decimal(extraction + saved)


def renewal_bonus(renewed_count, target_count, renewal_premium, today: dt.date | None = None) -> Decimal:
    """Year-end renewal bonus: round2(renewal premium × 2 %) when renewed ≥ target (> 0)."""
    t = _tariff(today)
    renewed = _one(whole_numbers, "renewed_count", renewed_count, 0, 10**7)
    target = _one(whole_numbers, "target_count", target_count, 1, 10**7)
    (fen,) = _RENEWAL_PREMIUM(t, renewal_premium)
    return cents_to_decimal(comm.renewal_bonus(t, renewed, target, fen))


def _date(field: str, value: object, default: dt.date | None = None) -> dt.date:
    return _one(dates, field, value, default=default)


def months_between(from_date, to_date) -> int:
    """Whole months between two dates, as used for vehicle age (workflow §1)."""
    return dates_.months_between(_date("from_date", from_date), _date("to_date", to_date))


def days_to_expiry(end_date, as_of=None, today: dt.date | None = None) -> int:
    """Days from as_of (default today) to end_date."""
    return dates_.days_between(_date("as_of", as_of, today or dt.date.today()), _date("end_date", end_date))


def renewal_due(end_date, as_of=None, window_days=None, today: dt.date | None = None) -> bool:
    """True when as_of < end_date ≤ as_of + window (default 30 days)."""
    window = _one(whole_numbers, "window_days", window_days, 0, 3660, default=30)
    return dates_.is_due(_date("end_date", end_date), _date("as_of", as_of, today or dt.date.today()), int(window))


def renewal_premiums(table: Sequence[Sequence[object]], today: dt.date | None = None) -> list[Decimal | RenewalError]:
    """Premiums of a table whose first row is headers, one per data row; a bad row gets
    its error. A table with a 车龄(月)/vehicle_age_months column holds quote inputs;
    otherwise it is a register (§3) and each row gets its renewal quote."""
    if not isinstance(table, (list, tuple)) or not table or not table[0]:
        raise InputError("table", "", "须包含表头行和数据行")
    frame, dup = rows_frame(table)
    if dup:
        raise InputError("table", " ".join(dup), "表头重复")
    header = list(frame.columns)
    for columns in (QUOTE, REGISTER):
        twice = doubled(c for c in canonical(frame, columns).columns if c in columns)
        if twice:
            raise InputError("table", " ".join(twice), "列重复: " + " ".join(f"{columns[k]}({k})" for k in twice))
    quotes = canonical(frame, QUOTE)
    if "vehicle_age_months" in quotes.columns:
        missing = [
            QUOTE[k]
            for k in ("new_car_price", "seats", "coverage", "claim_free_years", "claims_last_year")
            if k not in quotes.columns
        ]
        if missing:
            raise InputError("table", " ".join(header), "缺少列: " + " ".join(missing))
        priced = price_arrays(quotes, today=today)
    else:
        register = canonical(frame, REGISTER)
        needed = ("end_date", "first_registration", "new_car_price", "seats", "coverage")
        missing = [REGISTER[k] for k in needed if k not in register.columns]
        if missing:
            raise InputError("table", " ".join(header), "缺少列: " + " ".join(missing))
        priced = price_renewals(register, today=today)
    return [err if err is not None else cents_to_decimal(priced.premium[i]) for i, err in enumerate(priced.errors)]


__all__ = [
    "actual_value",
    "commission",
    "commission_rate",
    "days_to_expiry",
    "deductible_factor",
    "months_between",
    "ncd_factor",
    "package_price",
    "package_recommend",
    "performance_pay",
    "premium_breakdown",
    "renewal_bonus",
    "renewal_due",
    "renewal_options",
    "renewal_premium",
    "renewal_premiums",
    "renewal_voucher",
]
