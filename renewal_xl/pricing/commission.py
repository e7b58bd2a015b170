"""Commission, performance pay and renewal bonus (tariff manual §8–§9), vectorized.

Rates are millionths, money fen (see :mod:`renewal_xl.money`); the functions take
columns (numpy arrays) or the plain values of one policy (a worksheet cell). Channels are the codes of
the tariff's commission table; users may type the Chinese names (专业代理 = AGENCY).

>>> import numpy as np
>>> from renewal_xl.tariff import default_tariff
>>> t = default_tariff()
>>> commission_rates(t, np.array(["AGENCY"]), np.array([False]), np.array(["AG001"])).tolist()
[130000]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from renewal_xl.folding import code as fold_code
from renewal_xl.folding import code_array, per_text
from renewal_xl.money import COEF, RATE, mul_round, to_scaled_array
from renewal_xl.pricing.ops import ARRAYS, SCALARS, ops_for
from renewal_xl.readers import Cell, ErrorSink, numbers, texts
from renewal_xl.tariff import Tariff
from renewal_xl.tariff.memo import per_tariff
from renewal_xl.tariff.model import DIRECT


def read_channels(series: pd.Series | Cell, field: str, errors: ErrorSink, t: Tariff) -> np.ndarray:
    """Channel codes from codes or Chinese names (any case); unknown → error. One
    :class:`~renewal_xl.readers.Cell` gives one code."""
    names, choices = _channel_names(t)
    raw = texts(series, field, errors)
    if isinstance(series, Cell):
        code = names.get(raw.upper(), "")  # type: ignore[attr-defined]
        errors.add(not code and raw != "", field, series, choices)
        return code or DIRECT  # type: ignore[return-value]
    codes = per_text(raw, lambda v: names.get(v.upper(), ""))  # a channel column holds a few distinct texts
    errors.add((codes == "") & (raw != ""), field, series, choices)
    return np.where(codes == "", DIRECT, codes)


@per_tariff
def _channel_names(t: Tariff) -> tuple[dict[str, str], str]:
    """Channel code by upper-case code or Chinese name, and the message listing them."""
    names = {c.code.upper(): c.code for c in t.channels.values()} | {c.name_zh: c.code for c in t.channels.values()}
    return names, "可选: " + " ".join(f"{c.name_zh}/{c.code}" for c in t.channels.values())


@per_tariff
def _agency_rates(t: Tariff) -> dict[str, tuple[int, int]]:
    """The agencies' own (new, renewal) rates by folded code (codes match in any case)."""
    return {fold_code(code): rates for code, rates in t.agency_rates.items()}


def read_rates(series: pd.Series | Cell, field: str, errors: ErrorSink, t: Tariff):
    """Commission rates as written (``12%`` or ``0.12``) in millionths, and where one was
    given; blank = not given (the tariff's rate applies); outside 0 – the filed cap → error."""
    values = numbers(series, field, errors, default=np.nan, percent=True)
    one = isinstance(series, Cell)
    xp = SCALARS if one else ARRAYS
    given = math.isfinite(values) if one else np.isfinite(values)
    rates = to_scaled_array(xp.where(given & (values >= 0), values, 0.0), RATE)
    cap = t.param("commission_cap")
    errors.add(given & ((values < 0) | (rates > cap)), field, series, f"须在 0–{cap / 10**RATE:.0%} 之间 (报备上限)")
    return xp.where(given, rates, 0), given


def standard_rates(t: Tariff, channel, is_renewal):
    """The channel's filed rate (new or renewal column), without agency overrides."""
    if not isinstance(channel, np.ndarray):  # one policy
        filed = t.channels[channel]
        return filed.renewal_rate if is_renewal else filed.new_rate
    new = np.array([t.channels[c].new_rate for c in channel], dtype=np.int64)
    renewal = np.array([t.channels[c].renewal_rate for c in channel], dtype=np.int64)
    return np.where(is_renewal, renewal, new)


def commission_rates(t: Tariff, channel, is_renewal, agency):
    """Commission rate (§8): the agency's override for every non-direct channel, else the
    channel's rate; direct business 0. Agency codes match in any case (``ag001`` = ``AG001``)."""
    xp = ops_for(is_renewal)
    rates = standard_rates(t, channel, is_renewal)
    own = _agency_rates(t)
    if xp is SCALARS:  # one policy: the same rule as one dictionary look-up
        found = own.get(fold_code(agency)) if isinstance(agency, str) and channel != DIRECT else None
        return rates if found is None else found[bool(is_renewal)]
    agency = code_array(np.asarray(agency, dtype=object))
    for code, (new, renewal) in own.items():
        hit = (agency == code) & (channel != DIRECT)
        rates = xp.where(hit, xp.where(is_renewal, renewal, new), rates)
    return rates


def commissions(premium, rate):
    """commission = round2(premium × rate), fen."""
    return mul_round(premium, rate, RATE)


def performance_pay(t: Tariff, premium, channel, rate, is_renewal):
    """(extraction, saved commission) in fen (§9).

    extraction = round2(premium × base rate × factor × (uplift if renewal)), factor 1.25
    for direct business, else by the policy's commission rate band; saved commission =
    round2(share × premium × (s − c)) for non-direct business below its channel's rate s.
    """
    xp = ops_for(is_renewal)
    direct = channel == DIRECT
    band = xp.minimum(xp.search(t.performance_rate_to, rate), len(t.performance_factor) - 1)
    factor = xp.where(direct, t.param("performance_direct_factor"), t.performance_factor[band])
    uplift = xp.where(is_renewal, t.param("performance_renewal_uplift"), 10**COEF)
    extraction = mul_round(premium, t.param("performance_base_rate") * factor * uplift, RATE + 2 * COEF)
    gap = xp.where(direct, 0, xp.maximum(standard_rates(t, channel, is_renewal) - rate, 0))
    saved = mul_round(premium, t.param("saved_commission_share") * gap, 2 * RATE)
    return extraction, saved


def renewal_bonus(t: Tariff, renewed, target, renewal_premium):
    """Year-end bonus = round2(renewal premium × rate) when renewed ≥ target (> 0), else 0."""
    earned = (target > 0) & (renewed >= target)
    return ops_for(renewed).where(earned, mul_round(renewal_premium, t.param("renewal_bonus_rate"), RATE), 0)
