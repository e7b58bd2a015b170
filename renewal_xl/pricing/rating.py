"""Vectorized look-ups of the tariff's factors (tariff manual §3, §5, §6).

All functions take numpy arrays of already validated values and a
:class:`~renewal_xl.tariff.Tariff`; units are those of :mod:`renewal_xl.money`
(fen, millionths, ten-thousandths).
"""

from __future__ import annotations

import numpy as np

from renewal_xl.money import RATE, mul_round
from renewal_xl.tariff import Tariff


def actual_value(t: Tariff, price: np.ndarray, months: np.ndarray) -> np.ndarray:
    """A = round2(P × (1 − min(months × depreciation, max))), in fen (§3)."""
    depreciation = np.minimum(months * t.param("depreciation_per_month"), t.param("depreciation_max"))
    return mul_round(price, 10**RATE - depreciation, RATE)


def deductible_factor(t: Tariff, deductible: np.ndarray, price: np.ndarray) -> np.ndarray:
    """Deductible factor by new-car price band (lower bound inclusive), ten-thousandths (§5)."""
    row = np.searchsorted(np.array(t.deductibles), deductible)
    band = np.searchsorted(t.deductible_price_from, price, side="right") - 1
    return t.deductible_factor[row, band]


def ncd_factor(t: Tariff, claim_free_years: np.ndarray, claims_last_year: np.ndarray) -> np.ndarray:
    """No-claims discount factor, ten-thousandths (§6); the table's last rows are open-ended."""
    by_claims = t.ncd_claims[np.minimum(claims_last_year, len(t.ncd_claims) - 1)]
    by_free = t.ncd_claim_free[np.minimum(claim_free_years, len(t.ncd_claim_free) - 1)]
    return np.where(claims_last_year > 0, by_claims, by_free)


def voucher(t: Tariff, claim_free_years: np.ndarray, is_renewal: np.ndarray) -> np.ndarray:
    """Renewal voucher by claim-free years, in fen; 0 for new business (§6)."""
    amount = t.voucher[np.minimum(claim_free_years, len(t.voucher) - 1)]
    return np.where(is_renewal, amount, 0)


def band_index(bounds: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of the band whose lower bound (inclusive) is the largest ≤ value."""
    return np.searchsorted(bounds, values, side="right") - 1
