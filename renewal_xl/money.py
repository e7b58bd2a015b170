"""Exact money and rate arithmetic, scalar and vectorized.

Rule (tariff manual §5): round half-up to 0.01 yuan on exact decimal values, once per
step the manual names. Binary floats and banker's rounding are never used for money.

Vectorized values are ``int64`` numpy arrays of *scaled integers*: money in cents
(scale 10**2), rates in millionths (10**6), factors and coefficients in ten-thousandths
(10**4). :func:`mul_round` multiplies two such arrays and rounds half-up to a target scale
exactly, even when the intermediate product does not fit in 64 bits.

>>> from decimal import Decimal
>>> round2(Decimal("633.855"))
Decimal('633.86')
>>> import numpy as np
>>> mul_round(np.array([3376_90]), np.array([150_000]), RATE).tolist()  # 15 % of 3376.90, fen
[50654]
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np

CENTS = 2  # money scale exponent
RATE = 6  # rates: millionths
COEF = 4  # factors and coefficients: ten-thousandths

_LIMB = 10**6
_I64_MAX = np.iinfo(np.int64).max
_POWERS = [10**k for k in range(19)]


def round2(value: Decimal) -> Decimal:
    """Round half-up to 0.01 (yuan to fen)."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up to ``places`` decimals (e.g. coefficients "taken to 4 decimals")."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Exact decimal of a number as the user wrote it (floats by their shortest repr).

    >>> to_decimal(0.1) + to_decimal(0.2)
    Decimal('0.3')
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (float, np.floating)):
        return Decimal(repr(float(value)))
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def scaled(value: Decimal | int | str, scale: int) -> int:
    """The integer ``value × 10**scale``; raises ValueError when that is not whole.

    Used for tariff figures, which must be exact at their scale.

    >>> scaled(Decimal("0.0133"), RATE)
    13300
    """
    d = to_decimal(value).scaleb(scale)
    if d != d.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimals")
    return int(d)


def to_scaled_array(values: np.ndarray, scale: int) -> np.ndarray:
    """Float array → int64 of ``value × 10**scale`` rounded half-up on the decimal value.

    A float carries the decimal the user typed as its shortest repr (150000.5, 0.925);
    values that are whole at the scale convert directly, the rare others go through
    :class:`~decimal.Decimal` so half-way cases round up, never to even.
    """
    if isinstance(values, (int, float, np.number)):  # one value (a worksheet cell): the same steps
        y = float(values) * float(10**scale)
        if abs(y - round(y)) <= 8 * math.ulp(abs(y)):
            return round(y)
        return int(quantize(to_decimal(values), scale).scaleb(scale))
    x = np.asarray(values, dtype=np.float64) * float(10**scale)
    nearest = np.rint(x)
    exact = np.abs(x - nearest) <= 8 * np.spacing(np.abs(x))  # float noise only
    out = nearest.astype(np.int64)
    for i in np.flatnonzero(~exact):
        out[i] = int(quantize(to_decimal(values[i]), scale).scaleb(scale))
    return out


def mul_round(a, b, places: int):
    """``round_half_up(a × b / 10**places)`` for non-negative int64 arrays (or two single
    values, as one worksheet cell prices), exactly.

    ``b`` is split in two limbs of 10**6 so ``a × b`` may exceed 64 bits; ``places``
    must be at least 6 and at most 18. Raises OverflowError rather than wrap around.
    """
    if not 6 <= places <= 18:
        raise ValueError("places must be within 6..18")
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):  # one value (a cell): exact ints
        x, y = int(a), int(b)
        if x < 0 or y < 0:
            raise ValueError("mul_round takes non-negative values")
        den = _POWERS[places]
        q = (x * y + den // 2) // den
        if q > _I64_MAX:
            raise OverflowError("scaled product out of range")
        return q
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    if a.size and (int(a.min()) < 0 or int(b.min()) < 0):
        raise ValueError("mul_round takes non-negative values")
    den = 10**places
    if not a.size or not b.size:
        return np.zeros(np.broadcast_shapes(a.shape, b.shape), dtype=np.int64)
    while places > 6 and b.size and not (b % 10).any():  # b = 8722_0000: drop its zeros from b and den
        b, places = b // 10, places - 1
    den = 10**places
    if int(a.max()) * int(b.max()) <= _I64_MAX - den:  # the product fits: one exact step
        return (a * b + den // 2) // den
    a, b = np.broadcast_arrays(a, b)
    a, b = np.minimum(a, b), np.maximum(a, b)  # the smaller operand multiplies the limbs
    b_hi, b_lo = np.divmod(b, _LIMB)
    if a.size and (np.any(a > _I64_MAX // _LIMB) or np.any(b_hi + 1 > _I64_MAX // np.maximum(a, 1))):
        raise OverflowError("scaled product out of range")
    r_hi, r_lo = np.divmod(a * b_lo, _LIMB)
    m = a * b_hi + r_hi
    den_hi = 10 ** (places - 6)
    q, m_lo = np.divmod(m, den_hi)
    rest = m_lo * _LIMB + r_lo  # a*b = q*10**places + rest, 0 <= rest < 10**places
    return q + (2 * rest >= den)


def cents_to_decimal(cents: int) -> Decimal:
    """Integer fen → Decimal yuan with two places."""
    return Decimal(int(cents)).scaleb(-CENTS)


def cents_to_yuan(cents: np.ndarray) -> np.ndarray:
    """int64 fen → float yuan (the nearest double: what a spreadsheet cell holds)."""
    return np.asarray(cents, dtype=np.int64) / 100.0
