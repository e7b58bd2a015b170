"""Every input of the manual's input table (§2) refuses bad values with a clear message
naming the field (Chinese and English), the value and what is allowed."""

import pandas as pd
import pytest
from case_data import messages

from renewal_xl.errors import CoverageError, InputError, RenewalError
from renewal_xl.pricing.price import price_frame, quote
from renewal_xl.vocabulary import QUOTE_INPUTS

GOOD = dict(
    new_car_price=150000, vehicle_age_months=30, seats=5, coverage="经济", claim_free_years=2, claims_last_year=0
)

MESSAGES = messages()  # tests/cases/messages.csv
BAD = [m for m in MESSAGES if m.exact]
COVERAGE_ERRORS = [m for m in MESSAGES if not m.exact]


@pytest.mark.parametrize("case", BAD, ids=[f"{b.field}={b.value!r}" for b in BAD])
def test_bad_input_is_refused_with_field_value_and_rule(case, today):
    with pytest.raises(RenewalError) as info:
        quote(today=today, **{**GOOD, case.field: case.value})
    assert str(info.value) == case.message
    assert info.value.field == case.field


def test_the_catalogue_covers_every_quote_input():
    assert {m.field for m in MESSAGES} == set(QUOTE_INPUTS)


def test_coefficients_are_taken_to_four_decimals_half_up(today):
    # 1.15004 → 1.1500 is inside the band; 0.84995 → 0.8500 as well
    assert str(quote(today=today, **{**GOOD, "underwriting_coef": 1.15004}).underwriting_coef) == "1.15"
    assert str(quote(today=today, **{**GOOD, "channel_coef": 0.84995}).channel_coef) == "0.85"


@pytest.mark.parametrize("case", COVERAGE_ERRORS, ids=[c.value for c in COVERAGE_ERRORS])
def test_bad_coverage_lists_are_refused_with_the_choices(case, today):
    with pytest.raises(CoverageError) as info:
        quote(today=today, **{**GOOD, "coverage": case.value})
    assert str(info.value).startswith(f"险种组合 coverage={case.value}: ")
    assert case.message in str(info.value)


def test_accepted_spellings(today):
    expected = quote(today=today, **GOOD).premium
    for text in (
        "ECONOMY",
        "economy",
        " 经济 ",
        "车损+三者:20万+盗抢+不计免赔",
        "DAMAGE+TPL:200000+THEFT+WAIVER",
        "盗抢＋车损＋三者：20万＋不计免赔",
        "车损险+三者险:200000元+盗抢险+不计免赔",
    ):
        assert quote(today=today, **{**GOOD, "coverage": text}).premium == expected, text
    for value in ("150,000", "¥150,000.00", " 150000 ", 150000.0):
        assert quote(today=today, **{**GOOD, "new_car_price": value}).premium == expected
    for yes in (True, 1, "1", "是", "Y", "yes", "TRUE"):
        assert quote(today=today, **{**GOOD, "is_renewal": yes}).voucher == 200
    for no in (False, 0, "0", "否", "N", "no", "false"):
        assert quote(today=today, **{**GOOD, "is_renewal": no}).voucher == 0


def test_a_bad_row_does_not_stop_the_others(today):
    frame = pd.DataFrame([GOOD, {**GOOD, "seats": 12}, {**GOOD, "coverage": "航空"}, GOOD])
    out = price_frame(frame, today=today)
    assert out["premium"].tolist()[0] == 3253.15 and out["premium"].tolist()[3] == 3253.15
    assert out["premium"].isna().tolist() == [False, True, True, False]
    assert isinstance(out.loc[1, "error"], InputError) and out.loc[1, "error"].field == "seats"
    assert isinstance(out.loc[2, "error"], CoverageError)


def test_unknown_quote_argument_is_a_programming_error():
    with pytest.raises(TypeError, match="unknown quote inputs"):
        quote(**GOOD, seat=5)
