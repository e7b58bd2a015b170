"""Look-ups of the tariff's factors (tariff manual §3, §5, §6), for columns or one value.

All functions take already validated values, either numpy arrays (a table) or plain
integers (one worksheet cell; see :mod:`renewal_xl.pricing.ops`), and a
:class:`~renewal_xl.tariff.Tariff`; units are those of :mod:`renewal_xl.money`
(fen, millionths, ten-thousandths).
"""

from __future__ import annotations

import numpy as np

from renewal_xl.money import RATE, mul_round
from renewal_xl.pricing.ops import ops_for
from renewal_xl.tariff import Tariff


def actual_value(t: Tariff, price, months):
    """A = round2(P × (1 − min(months × depreciation, max))), in fen (§3)."""
    depreciation = ops_for(months).minimum(months * t.param("depreciation_per_month"), t.param("depreciation_max"))
    return mul_round(price, 10**RATE - depreciation, RATE)


def deductible_factor(t: Tariff, deductible, price):
    """Deductible factor by new-car price band (lower bound inclusive), ten-thousandths (§5)."""
    xp = ops_for(price)
    return t.deductible_factor[xp.search(t.deductibles, deductible), xp.band(t.deductible_price_from, price)]


def ncd_factor(t: Tariff, claim_free_years, claims_last_year):
    """No-claims discount factor, ten-thousandths (§6); the table's last rows are open-ended."""
    xp = ops_for(claims_last_year)
    by_claims = t.ncd_claims[xp.minimum(claims_last_year, len(t.ncd_claims) - 1)]
    by_free = t.ncd_claim_free[xp.minimum(claim_free_years, len(t.ncd_claim_free) - 1)]
    return xp.where(claims_last_year > 0, by_claims, by_free)


def voucher(t: Tariff, claim_free_years, is_renewal):
    """Renewal voucher by claim-free years, in fen; 0 for new business (§6)."""
    xp = ops_for(claim_free_years)
    return xp.where(is_renewal, t.voucher[xp.minimum(claim_free_years, len(t.voucher) - 1)], 0)


def band_index(bounds: np.ndarray, values):
    """Index of the band whose lower bound (inclusive) is the largest ≤ value."""
    return ops_for(values).band(bounds, values)
