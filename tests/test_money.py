"""Exact scaled-integer arithmetic equals Decimal half-up rounding."""

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_xl.money import mul_round, quantize, round2, scaled, to_scaled_array


@given(st.lists(st.tuples(st.integers(0, 10**12), st.integers(0, 10**15)), min_size=1, max_size=50), st.integers(6, 18))
def test_mul_round_equals_decimal(pairs, places):
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    expected = [int((Decimal(x) * Decimal(y)).scaleb(-places).quantize(Decimal(1), ROUND_HALF_UP)) for x, y in pairs]
    try:
        got = mul_round(a, b, places).tolist()
    except OverflowError:
        # refused only when an intermediate really needs more than 63 bits
        assert max(min(x, y) * (max(x, y) // 10**6 + 1) for x, y in pairs) > 2**63 - 1
        return
    assert got == expected


def test_mul_round_refuses_what_it_cannot_do_exactly():
    with pytest.raises(OverflowError):
        mul_round(np.array([10**15]), np.array([10**15]), 6)
    with pytest.raises(ValueError):
        mul_round(np.array([-1]), np.array([1]), 6)
    with pytest.raises(ValueError):
        mul_round(np.array([1]), np.array([1]), 2)


@given(st.decimals(min_value=0, max_value=10**8, places=3))
def test_to_scaled_array_rounds_the_typed_decimal_half_up(d):
    assert to_scaled_array(np.array([float(d)]), 2).tolist() == [int(round2(d).scaleb(2))]


def test_scalar_helpers():
    assert round2(Decimal("0.005")) == Decimal("0.01")
    assert round2(Decimal("2.675")) == Decimal("2.68")
    assert quantize(Decimal("0.92345"), 4) == Decimal("0.9235")
    assert scaled("0.0133", 6) == 13300
    with pytest.raises(ValueError):
        scaled("0.00000001", 6)
