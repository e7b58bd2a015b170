"""VIN check digit (ISO 3779): known examples and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_xl.errors import InputError
from renewal_xl.vin import ALPHABET, check_digit, vin_problem, vin_problems, with_check_digit, with_check_digits


def test_known_vins():
    assert check_digit("1M8GDM9AXKP042788") == "X"  # the standard worked example
    assert check_digit("11111111111111111") == "1"
    assert vin_problem("1M8GDM9AXKP042788") == ""
    assert vin_problem("1m8gdm9axkp042788 ") == ""  # case and blanks do not matter


def test_problems_are_named():
    assert vin_problems(["", None, "ABC", "1M8GDM9AXKP04278O", "1M8GDM9A1KP042788"]).tolist() == [
        "车架号为空",
        "车架号为空",
        "须为 17 位",
        "只能含数字和字母 (不含 I O Q)",
        "校验位应为 X, 实为 1",
    ]


def test_check_digit_refuses_bad_characters():
    with pytest.raises(InputError, match="车架号 vin=1M8GDM9AXKP04278I"):
        check_digit("1M8GDM9AXKP04278I")


vins = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(vins)
def test_fixed_vin_is_valid_and_any_other_check_digit_is_not(raw):
    fixed = with_check_digit(raw)
    assert vin_problem(fixed) == ""
    assert fixed[:8] == raw[:8] and fixed[9:] == raw[9:]
    for c in "0123456789X":
        if c != fixed[8]:
            assert vin_problem(fixed[:8] + c + fixed[9:]).startswith("校验位应为")


@given(st.lists(vins, min_size=1, max_size=20))
def test_vectorized_equals_scalar(raws):
    assert list(with_check_digits(raws)) == [with_check_digit(r) for r in raws]
