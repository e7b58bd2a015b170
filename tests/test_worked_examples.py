"""The manual's worked examples (tariff manual §11), to the cent, scalar and vectorized."""

from decimal import Decimal

import pandas as pd
import pytest

from renewal_xl.pricing.price import price_frame, quote
from renewal_xl.spreadsheet import functions as f

EXAMPLES = [
    # (inputs, expected breakdown items, premium)
    (
        dict(
            new_car_price=150000,
            vehicle_age_months=30,
            seats=5,
            coverage="经济",
            claim_free_years=2,
            claims_last_year=0,
        ),
        {"DAMAGE": "2194.90", "TPL": "1182.00", "THEFT": "636.60", "WAIVER": "633.86"},
        dict(actual_value="123000.00", ncd="0.7"),
        "3253.15",
    ),
    (
        dict(
            new_car_price=150000,
            vehicle_age_months=30,
            seats=5,
            coverage="经济",
            claim_free_years=0,
            claims_last_year=2,
            deductible=500,
            multi_accident=True,
        ),
        {"DAMAGE": "1914.39", "TPL": "1182.00", "THEFT": "636.60", "WAIVER": "591.78"},
        dict(ncd="1.25"),
        "5405.96",
    ),
    (
        dict(
            new_car_price=86000,
            vehicle_age_months=5,
            seats=5,
            coverage="基本",
            claim_free_years=0,
            claims_last_year=0,
            is_renewal=False,
        ),
        {"TPL": "1182.00", "SEATS": "144.00", "WAIVER": "198.90"},
        dict(ncd="1"),
        "1524.90",
    ),
    (
        dict(
            new_car_price=320000,
            vehicle_age_months=13,
            seats=7,
            coverage="完全",
            claim_free_years=1,
            claims_last_year=0,
            underwriting_coef=0.9,
            channel_coef=0.95,
            is_renewal=True,
        ),
        {
            "DAMAGE": "4517.54",
            "TPL": "2081.00",
            "SEATS": "376.00",
            "THEFT": "1359.17",
            "GLASS": "608.00",
            "SCRATCH": "900.00",
            "REPAIR": "451.75",
            "WAIVER": "1453.02",
        },
        dict(actual_value="295040.00", waived="608.00", free_rider="GLASS"),
        "8094.89",
    ),
    (
        dict(
            new_car_price=320000,
            vehicle_age_months=13,
            seats=7,
            coverage="完全",
            claim_free_years=1,
            claims_last_year=0,
            underwriting_coef=0.9,
            channel_coef=0.95,
            is_renewal=False,
        ),
        {"GLASS": "608.00"},
        dict(waived="0.00", free_rider=""),
        "8536.75",
    ),
    (
        dict(
            new_car_price=200000,
            vehicle_age_months=24,
            seats=5,
            coverage="周到",
            claim_free_years=0,
            claims_last_year=1,
            insured_amount=100000,
        ),
        {"DAMAGE": "1889.00", "TPL": "1602.00", "SEATS": "144.00", "THEFT": "839.04", "WAIVER": "713.06"},
        dict(actual_value="171200.00", indemnity_ratio="0.5841"),
        "5187.10",
    ),
]


@pytest.mark.parametrize("inputs, items, extra, premium", EXAMPLES, ids=[f"example{i + 1}" for i in range(6)])
def test_worked_example_scalar(inputs, items, extra, premium, today):
    b = quote(today=today, **inputs)
    assert b.premium == Decimal(premium)
    for code, amount in items.items():
        assert b.item(code) == Decimal(amount), code
    for name, value in extra.items():
        got = getattr(b, name)
        assert (str(got) if isinstance(got, str) else got) == (value if name == "free_rider" else Decimal(value)), name


def test_worked_examples_vectorized(today):
    frame = pd.DataFrame([e[0] for e in EXAMPLES])
    out = price_frame(frame, today=today)
    assert out["error"].isna().all()
    assert [f"{p:.2f}" for p in out["premium"]] == [e[3] for e in EXAMPLES]
    assert out.loc[0, "damage"] == 2194.90 and out.loc[5, "indemnity_ratio"] == 0.5841
    assert out.loc[3, "waived"] == 608.0 and pd.isna(out.loc[2, "damage"])  # no 车损 in 基本


def test_example_six_ratio_is_insured_over_actual(today):
    b = quote(today=today, **EXAMPLES[5][0])
    assert b.insured_amount == Decimal("100000.00")
    assert b.indemnity_ratio == Decimal("0.5841")  # 100,000 / 171,200


def test_commission_examples(today):
    assert f.commission(5000, "专业代理", True, today=today) == Decimal("700.00")
    assert f.commission(5000, "AGENCY", False, "AG001", today=today) == Decimal("650.00")


def test_performance_pay_examples(today):
    assert f.performance_pay(5000, "AGENCY", 0.10, True, today=today) == Decimal("364.00")  # 264 + saved 100
    assert f.performance_pay(5000, "直销", None, False, today=today) == Decimal("500.00")
    assert f.performance_pay(8000, "DEALER", 0.16, False, today=today) == Decimal("256.00")


def test_bonus_example(today):
    assert f.renewal_bonus(30, 25, 152000.50, today=today) == Decimal("3040.01")
    assert f.renewal_bonus(24, 25, 152000.50, today=today) == Decimal("0.00")


def test_voucher_reported_not_netted(today):
    b = quote(today=today, **EXAMPLES[0][0])
    assert b.voucher == Decimal("200.00")
    assert b.premium == Decimal("3253.15")  # the voucher is not taken off the premium
    assert ("代金券", Decimal("200.00")) in b.rows()


def test_a_row_with_a_bad_policy_start_does_not_break_the_batch(today):
    frame = pd.DataFrame([{**EXAMPLES[0][0], "policy_start": "2026-02-30"}])
    out = price_frame(frame, today=today)
    assert str(out.loc[0, "error"]) == "起保日期 policy_start=2026-02-30: 不是有效日期 (如 2026-01-31 或 Excel 日期)"
