"""Commission, performance pay and renewal bonus (tariff manual §8–§9), vectorized.

Rates are millionths, money fen (see :mod:`renewal_xl.money`). Channels are the codes of
the tariff's commission table; users may type the Chinese names (专业代理 = AGENCY).

>>> import numpy as np
>>> from renewal_xl.tariff import default_tariff
>>> t = default_tariff()
>>> commission_rates(t, np.array(["AGENCY"]), np.array([False]), np.array(["AG001"])).tolist()
[130000]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.folding import code as fold_code
from renewal_xl.folding import code_array
from renewal_xl.money import COEF, RATE, mul_round, to_scaled_array
from renewal_xl.pricing.inputs import Errors, numbers, texts
from renewal_xl.tariff import Tariff
from renewal_xl.tariff.model import DIRECT


def read_channels(series: pd.Series, field: str, errors: Errors, t: Tariff) -> np.ndarray:
    """Channel codes from codes or Chinese names (any case); unknown → error."""
    names = {c.code.upper(): c.code for c in t.channels.values()} | {c.name_zh: c.code for c in t.channels.values()}
    raw = texts(series, field, errors)
    codes = np.array([names.get(v.upper(), "") for v in raw], dtype=object)
    choices = " ".join(f"{c.name_zh}/{c.code}" for c in t.channels.values())
    errors.add((codes == "") & (raw != ""), field, series, "可选: " + choices)
    return np.where(codes == "", DIRECT, codes)


def read_rates(series: pd.Series, field: str, errors: Errors, t: Tariff) -> tuple[np.ndarray, np.ndarray]:
    """Commission rates as written (``12%`` or ``0.12``) in millionths, and where one was
    given; blank = not given (the tariff's rate applies); outside 0 – the filed cap → error."""
    values = numbers(series, field, errors, default=np.nan, percent=True)
    given = np.isfinite(values)
    rates = to_scaled_array(np.where(given & (values >= 0), values, 0.0), RATE)
    cap = t.param("commission_cap")
    errors.add(given & ((values < 0) | (rates > cap)), field, series, f"须在 0–{cap / 10**RATE:.0%} 之间 (报备上限)")
    return np.where(given, rates, 0), given


def standard_rates(t: Tariff, channel: np.ndarray, is_renewal: np.ndarray) -> np.ndarray:
    """The channel's filed rate (new or renewal column), without agency overrides."""
    new = np.array([t.channels[c].new_rate for c in channel], dtype=np.int64)
    renewal = np.array([t.channels[c].renewal_rate for c in channel], dtype=np.int64)
    return np.where(is_renewal, renewal, new)


def commission_rates(t: Tariff, channel: np.ndarray, is_renewal: np.ndarray, agency: np.ndarray) -> np.ndarray:
    """Commission rate (§8): the agency's override for every non-direct channel, else the
    channel's rate; direct business 0. Agency codes match in any case (``ag001`` = ``AG001``)."""
    rates = standard_rates(t, channel, is_renewal)
    agency = code_array(np.asarray(agency, dtype=object))
    for code, (new, renewal) in t.agency_rates.items():
        hit = (agency == fold_code(code)) & (channel != DIRECT)
        rates = np.where(hit, np.where(is_renewal, renewal, new), rates)
    return rates


def commissions(premium: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """commission = round2(premium × rate), fen."""
    return mul_round(premium, rate, RATE)


def performance_pay(
    t: Tariff, premium: np.ndarray, channel: np.ndarray, rate: np.ndarray, is_renewal: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(extraction, saved commission) in fen (§9).

    extraction = round2(premium × base rate × factor × (uplift if renewal)), factor 1.25
    for direct business, else by the policy's commission rate band; saved commission =
    round2(share × premium × (s − c)) for non-direct business below its channel's rate s.
    """
    direct = channel == DIRECT
    band = np.minimum(np.searchsorted(t.performance_rate_to, rate, side="left"), len(t.performance_factor) - 1)
    factor = np.where(direct, t.param("performance_direct_factor"), t.performance_factor[band])
    uplift = np.where(is_renewal, t.param("performance_renewal_uplift"), 10**COEF)
    extraction = mul_round(premium, t.param("performance_base_rate") * factor * uplift, RATE + 2 * COEF)
    gap = np.where(direct, 0, np.maximum(standard_rates(t, channel, is_renewal) - rate, 0))
    saved = mul_round(premium, t.param("saved_commission_share") * gap, 2 * RATE)
    return extraction, saved


def renewal_bonus(t: Tariff, renewed: np.ndarray, target: np.ndarray, renewal_premium: np.ndarray) -> np.ndarray:
    """Year-end bonus = round2(renewal premium × rate) when renewed ≥ target (> 0), else 0."""
    earned = (target > 0) & (renewed >= target)
    return np.where(earned, mul_round(renewal_premium, t.param("renewal_bonus_rate"), RATE), 0)
