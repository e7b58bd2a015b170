"""The manual's worked examples (tariff manual §11), to the cent, scalar and vectorized."""

from decimal import Decimal

import pandas as pd
import pytest
from case_data import EXAMPLES

from renewal_xl.pricing.price import price_frame, quote
from renewal_xl.spreadsheet import functions as f


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{e.number}" for e in EXAMPLES])
def test_worked_example_scalar(example, today):
    b = quote(today=today, **example.inputs)
    assert b.premium == example.premium
    for code, amount in example.items.items():
        assert b.item(code) == amount, code
    for name, value in example.steps.items():
        assert getattr(b, name) == value, name


def test_the_examples_are_the_manuals_six():
    assert [e.number for e in EXAMPLES] == [1, 2, 3, 4, 5, 6]
    assert [str(e.premium) for e in EXAMPLES] == ["3253.15", "5405.96", "1524.90", "8094.89", "8536.75", "5187.10"]


def test_worked_examples_vectorized(today):
    frame = pd.DataFrame([e.inputs for e in EXAMPLES])
    out = price_frame(frame, today=today)
    assert out["error"].isna().all()
    assert [f"{p:.2f}" for p in out["premium"]] == [str(e.premium) for e in EXAMPLES]
    assert out.loc[0, "damage"] == 2194.90 and out.loc[5, "indemnity_ratio"] == 0.5841
    assert out.loc[3, "waived"] == 608.0 and pd.isna(out.loc[2, "damage"])  # no 车损 in 基本


def test_example_six_ratio_is_insured_over_actual(today):
    b = quote(today=today, **EXAMPLES[5].inputs)
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
    b = quote(today=today, **EXAMPLES[0].inputs)
    assert b.voucher == Decimal("200.00")
    assert b.premium == Decimal("3253.15")  # the voucher is not taken off the premium
    assert ("代金券", Decimal("200.00")) in b.rows()


def test_a_row_with_a_bad_policy_start_does_not_break_the_batch(today):
    frame = pd.DataFrame([{**EXAMPLES[0].inputs, "policy_start": "2026-02-30"}])
    out = price_frame(frame, today=today)
    assert str(out.loc[0, "error"]) == "起保日期 policy_start=2026-02-30: 不是有效日期 (如 2026-01-31 或 Excel 日期)"
