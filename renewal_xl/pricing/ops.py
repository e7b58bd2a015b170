"""The few array operations the pricing rules use, for a whole column or for one cell.

The kernel (:func:`renewal_xl.pricing.price.compute`) and the factor look-ups
(:mod:`renewal_xl.pricing.rating`) are written once against these operations.
:data:`ARRAYS` runs them with numpy on columns of a table; :data:`SCALARS` runs the same
formulas on the plain integers of one quote, as a worksheet cell prices it (a numpy call
costs about a microsecond even on one value, which is what a cell must not pay).
Integer arithmetic is exact either way (money in fen, see :mod:`renewal_xl.money`).

>>> ARRAYS.where(np.array([True, False]), 1, 2).tolist(), SCALARS.where(False, 1, 2)
([1, 2], 2)
>>> SCALARS.band(np.array([0, 12, 24]), 12), ARRAYS.band(np.array([0, 12, 24]), np.array([12])).tolist()
(1, [1])
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Ops:
    """Element-wise operations; ``band(bounds, v)`` is the index of the band whose lower
    bound (inclusive) is the largest ≤ v, ``search(bounds, v)`` numpy's left searchsorted,
    ``round`` half to even (as numpy), ``round4`` to 4 decimals, ``isin(v, choices)`` membership."""

    where: Callable[..., Any]
    minimum: Callable[..., Any]
    maximum: Callable[..., Any]
    as_int: Callable[..., Any]
    band: Callable[..., Any]
    search: Callable[..., Any]
    round: Callable[..., Any]
    round4: Callable[..., Any]
    isin: Callable[..., Any]


def _scalar_where(condition, a, b):
    return a if condition else b


def _scalar_round(value):
    """Half to even, as numpy; NaN and infinity stay as they are."""
    return round(value) if math.isfinite(value) else value


ARRAYS = Ops(
    where=np.where,
    minimum=np.minimum,
    maximum=np.maximum,
    as_int=lambda values: np.asarray(values).astype(np.int64),
    band=lambda bounds, values: np.searchsorted(bounds, values, side="right") - 1,
    search=lambda bounds, values: np.searchsorted(np.asarray(bounds), values),
    round=np.round,
    round4=lambda values: np.round(values, 4),
    isin=lambda values, choices: np.isin(values, np.asarray(choices, dtype=np.float64)),
)
SCALARS = Ops(
    where=_scalar_where,
    minimum=min,
    maximum=max,
    as_int=int,
    band=lambda bounds, value: bisect.bisect_right(bounds, value) - 1,
    search=bisect.bisect_left,
    round=_scalar_round,
    round4=lambda value: round(value * 10.0**4) / 10.0**4,  # numpy's steps: scale, round half even, unscale
    isin=lambda value, choices: value in choices,
)


def ops_for(value: object) -> Ops:
    """:data:`SCALARS` for one value (a Python or numpy scalar), else :data:`ARRAYS`."""
    return ARRAYS if isinstance(value, np.ndarray) and value.ndim else SCALARS
