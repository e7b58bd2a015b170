"""Properties of the pricing engine on random valid quotes (hypothesis).

The engine is compared with ``manual_oracle`` – the manual re-read in plain Decimal
arithmetic, with its own copy of the tables – and with itself row by row.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import manual_oracle as oracle
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal_xl.money import to_scaled_array
from renewal_xl.pricing.price import price_arrays, price_frame, quote

TODAY = dt.date(2026, 11, 24)
LIMITS_TPL = ["5万", "10万", "15万", "20万", "30万", "50万", "100万"]
SEAT_LIMITS = [5000, 10000, 20000, 30000, 40000, 50000, 100000, 200000]


@st.composite
def coverages(draw):
    """A valid coverage list and its oracle description."""
    if draw(st.booleans()):
        code = draw(st.sampled_from(sorted(oracle.PACKAGES)))
        return {"BASIC": "基本", "ECONOMY": "经济", "COMPREHENSIVE": "周到", "COMPLETE": "完全"}[code], dict(
            oracle.PACKAGES[code]
        )
    spec, parts = {}, []
    if draw(st.booleans()):
        spec["damage"] = True
        parts.append("车损")
    if draw(st.booleans()):
        label = draw(st.sampled_from(LIMITS_TPL))
        spec["tpl"] = int(label[:-1]) * 10000
        parts.append(f"三者:{label}")
    if draw(st.booleans()):
        d, p = draw(st.sampled_from(SEAT_LIMITS)), draw(st.sampled_from(SEAT_LIMITS))
        spec["seats"] = (d, p)
        parts.append(f"车上人员:{d}/{p}")
    if draw(st.booleans()):
        spec["theft"] = True
        parts.append("盗抢")
    if spec.get("damage"):
        if draw(st.booleans()):
            spec["glass"] = True
            parts.append("玻璃")
        if draw(st.booleans()):
            spec["scratch"] = draw(st.sampled_from([2000, 5000, 10000, 20000]))
            parts.append(f"划痕:{spec['scratch']}")
        if draw(st.booleans()):
            spec["repair"] = True
            parts.append("修理厂")
    if parts and draw(st.booleans()):
        spec["waiver"] = True
        parts.append("不计免赔")
    if not parts:
        spec["tpl"] = 200000
        parts.append("三者:20万")
    return "+".join(draw(st.permutations(parts))), spec


money = st.decimals(min_value=Decimal(1000), max_value=Decimal(10_000_000), places=2).map(lambda d: float(d))
coef = st.decimals(min_value=Decimal("0.85"), max_value=Decimal("1.15"), places=4).map(float)


@st.composite
def quotes(draw):
    cover_text, spec = draw(coverages())
    price = draw(money)
    months = draw(st.integers(0, 600))
    claims = draw(st.integers(0, 7))
    q = dict(
        new_car_price=price,
        vehicle_age_months=months,
        seats=draw(st.integers(2, 9)),
        coverage=cover_text,
        claim_free_years=0 if claims else draw(st.integers(0, 6)),
        claims_last_year=claims,
        deductible=draw(st.sampled_from([0, 300, 500, 1000, 2000])),
        multi_accident=draw(st.booleans()),
        underwriting_coef=draw(coef),
        channel_coef=draw(coef),
        is_renewal=draw(st.booleans()),
        imported=draw(st.booleans()),
    )
    if spec.get("damage") and draw(st.booleans()):
        a = oracle.premium(price, months, 5, {})["A"]
        q["insured_amount"] = float(draw(st.decimals(min_value=Decimal("0.01"), max_value=a, places=2)))
    return q, spec


def oracle_of(q, spec):
    return oracle.premium(
        q["new_car_price"],
        q["vehicle_age_months"],
        q["seats"],
        spec,
        q["claim_free_years"],
        q["claims_last_year"],
        q["deductible"],
        q["multi_accident"],
        q["underwriting_coef"],
        q["channel_coef"],
        q["is_renewal"],
        q["imported"],
        q.get("insured_amount"),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quotes(), min_size=1, max_size=25))
def test_batch_equals_the_manual_and_row_by_row(rows):
    frame = pd.DataFrame([q for q, _ in rows])
    p = price_arrays(frame, today=TODAY)
    assert all(e is None for e in p.errors), [str(e) for e in p.errors if e]
    for i, (q, spec) in enumerate(rows):
        expected = oracle_of(q, spec)
        assert Decimal(int(p.premium[i])).scaleb(-2) == expected["premium"], (q, expected)
        assert Decimal(int(p.voucher[i])).scaleb(-2) == expected["voucher"]
        single = quote(today=TODAY, **q)
        assert single.premium == expected["premium"]
        for code, key in (
            ("DAMAGE", "damage"),
            ("THEFT", "theft"),
            ("WAIVER", "waiver"),
            ("REPAIR", "repair"),
            ("SEATS", "seats"),
        ):
            assert single.item(code) == expected.get(key), code


def test_half_cent_boundaries_round_up():
    """Prices whose 不计免赔 or premium lands exactly on half a fen round up, as in Decimal."""
    found = 0
    rows = []
    for price in range(100000, 102000):
        steps = oracle.premium(price, 30, 5, oracle.PACKAGES["ECONOMY"], 2, 0)
        raw_waiver = Decimal("0.15") * (steps["damage"] + steps["tpl"]) + Decimal("0.20") * steps["theft"]
        raw_premium = steps["total"] * Decimal("0.7")
        found += sum(raw * 1000 % 10 == 5 for raw in (raw_waiver, raw_premium))
        rows.append(
            dict(
                new_car_price=price,
                vehicle_age_months=30,
                seats=5,
                coverage="经济",
                claim_free_years=2,
                claims_last_year=0,
            )
        )
    out = price_frame(pd.DataFrame(rows), today=TODAY)
    for q, got_theft, got_premium in zip(rows, out["theft"], out["premium"]):
        expected = oracle.premium(q["new_car_price"], 30, 5, oracle.PACKAGES["ECONOMY"], 2, 0)
        assert f"{got_theft:.2f}" == str(expected["theft"])
        assert f"{got_premium:.2f}" == str(expected["premium"])
    assert found >= 50  # the range really contains half-fen cases


def test_half_up_is_not_bankers_rounding():
    # 15 % × 3376.90 = 506.535 → 506.54 (banker's rounding of the float would give 506.53)
    b = quote(
        today=TODAY,
        new_car_price=150000,
        vehicle_age_months=30,
        seats=5,
        coverage="经济",
        claim_free_years=2,
        claims_last_year=0,
    )
    assert b.item("WAIVER") == Decimal("633.86")  # 506.535 + 127.32 = 633.855 → .86
    assert to_scaled_array([1.005, 2.675, 0.125], 2).tolist() == [101, 268, 13]


def premium_of(q):
    return quote(today=TODAY, **q).premium


@settings(max_examples=200, deadline=None)
@given(quotes(), st.integers(0, 6))
def test_more_claims_never_lower_the_premium(case, claims):
    q, _ = case
    less = dict(q, claim_free_years=0, claims_last_year=claims)
    more = dict(q, claim_free_years=0, claims_last_year=claims + 1)
    assert premium_of(more) >= premium_of(less)
    clean = dict(q, claims_last_year=0)
    assert premium_of(dict(clean, claim_free_years=0, claims_last_year=1)) >= premium_of(clean)


@settings(max_examples=200, deadline=None)
@given(quotes(), st.integers(0, 6))
def test_more_claim_free_years_never_raise_the_premium(case, years):
    q, _ = case
    base = dict(q, claims_last_year=0)
    assert premium_of(dict(base, claim_free_years=years + 1)) <= premium_of(dict(base, claim_free_years=years))


@settings(max_examples=200, deadline=None)
@given(quotes(), st.sampled_from([(0, 300), (300, 500), (500, 1000), (1000, 2000), (0, 2000)]))
def test_a_larger_deductible_never_raises_the_premium(case, pair):
    q, _ = case
    small, large = pair
    assert premium_of(dict(q, deductible=large)) <= premium_of(dict(q, deductible=small))


@settings(max_examples=200, deadline=None)
@given(quotes(), st.floats(0.01, 1.0))
def test_a_lower_insured_amount_never_raises_the_premium(case, share):
    q, _ = case
    actual = float(oracle.premium(q["new_car_price"], q["vehicle_age_months"], 5, {})["A"])
    high = dict(q, insured_amount=actual)
    lower = float(Decimal(str(actual * share)).quantize(Decimal("0.01"), ROUND_HALF_UP)) or 0.01
    assert premium_of(dict(q, insured_amount=lower)) <= premium_of(high)
