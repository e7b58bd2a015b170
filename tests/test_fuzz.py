"""Fuzzing the worksheet functions and the register reader with hypothesis (issue 8).

Generated cells mix near-valid values (so rows get deep into pricing and the workflow)
with anything a cell, a CSV field or a Python caller can hold: blanks, text with control
characters, numbers as text, NaN, infinity, huge numbers, Excel error values, dates,
times, booleans. Rule: no exception other than a domain error escapes, and every answer
is a value or a message. Batches go through the vectorized paths, where each row counts
as one call; :func:`test_fuzzing_made_at_least_100000_calls` checks the total.

Every run draws a new seed (printed in pytest's header as ``RENEWAL_XL_FUZZ_SEED``; set
it to replay a run); a failure also prints hypothesis' reproduction blob.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from collections import Counter
from decimal import Decimal

import openpyxl
import pandas as pd
from hostile import AS_OF, GOOD_ARGS, INTERNAL, SLOW_JOBS, all_bad_values, job_runs, worksheet_functions
from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st
from registers import register

import udfs.worksheet as worksheet
from renewal_xl.columns import REGISTER
from renewal_xl.errors import RenewalError, SourceError
from renewal_xl.io.register import read_register
from renewal_xl.pricing.price import QUOTE_FIELDS, price_frame
from renewal_xl.render.openpyxl_book import render

SEED = int(os.environ.get("RENEWAL_XL_FUZZ_SEED", "0"))
FUZZ = settings(
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CALLS: Counter = Counter()  # path → calls made, for the total

# anything a cell may hold
any_cell = st.one_of(
    st.none(),
    st.sampled_from([v for _, v in all_bad_values()]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**22), 10**22),
    st.booleans(),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1800, 1, 1), dt.datetime(2300, 1, 1)),
    st.times(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9),
)
yes_no = st.sampled_from(["是", "否", True, False, 1, 0, "Y", "n", None])
day = st.dates(dt.date(2014, 1, 1), dt.date(2030, 12, 31))
NEAR: dict[str, st.SearchStrategy] = {  # near-valid values of each quote input and register column
    "new_car_price": st.one_of(st.integers(500, 2 * 10**7), st.just("150,000")),
    "vehicle_age_months": st.integers(-2, 650),
    "seats": st.integers(1, 10),
    "coverage": st.sampled_from(
        [
            "经济",
            "基本",
            "周到",
            "完全",
            "车损+三者:20万+不计免赔",
            "三者:5万",
            "车损+玻璃+划痕:2000",
            "车上人员:1万/1万+盗抢",
            "DAMAGE+TPL:100000",
            "车损+车损",
            "航空",
            "玻璃",
        ]
    ),
    "claim_free_years": st.integers(-1, 8),
    "claims_last_year": st.integers(0, 4),
    "claims": st.integers(0, 4),
    "deductible": st.sampled_from([0, 300, 500, 1000, 2000, 400, None]),
    "multi_accident": yes_no,
    "is_renewal": yes_no,
    "imported": yes_no,
    "vip": yes_no,
    "underwriting_coef": st.floats(0.8, 1.2),
    "channel_coef": st.floats(0.8, 1.2),
    "insured_amount": st.one_of(st.none(), st.integers(0, 300_000)),
    "policy_start": st.one_of(st.none(), day, st.integers(40000, 50000)),
    "start_date": day,
    "end_date": day,
    "first_registration": day,
    "policy_no": st.sampled_from(["P1", "P2", "P3", "P4", "P5", ""]),
    "vin": st.sampled_from(["LSVAU2180N0000011", "LSVAU2180N000002X", "1M8GDM9AXKP042788", "BAD"]),
    "phone": st.sampled_from(["13812341234", "027-87654321", "110"]),
    "channel": st.sampled_from(["直销", "专业代理", "DEALER", "经纪", "未知"]),
    "agency": st.sampled_from(["", "AG001", "AG002", "X"]),
    "premium": st.integers(-10, 20_000),
    "commission_rate": st.sampled_from([None, "12%", 0.1, 0.5]),
    "customer_type": st.sampled_from(["个人", "企业", "大型企业", "机关事业", "其他"]),
}


def cell_for(field: str) -> st.SearchStrategy:
    return st.one_of(NEAR[field], any_cell) if field in NEAR else any_cell


def rows_of(fields, min_size: int, max_size: int) -> st.SearchStrategy:
    """Batches of rows: a pool of distinct generated rows, repeated and mixed to the
    batch size (generating every cell of a large batch would dominate the run)."""
    row = st.fixed_dictionaries({f: cell_for(f) for f in fields})
    return st.tuples(
        st.lists(row, min_size=1, max_size=40), st.lists(st.integers(0, 10**6), min_size=min_size, max_size=max_size)
    ).map(lambda pool_picks: [pool_picks[0][k % len(pool_picks[0])] for k in pool_picks[1]])


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([r[k] for r in rows], dtype=object) for k in rows[0]})


@seed(SEED)
@settings(FUZZ, max_examples=250)
@given(rows_of(QUOTE_FIELDS, 200, 600))
def test_fuzz_batch_pricing(rows):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    out = price_frame(_frame(rows), today=AS_OF)
    assert len(out) == len(rows)
    for error, premium in zip(out["error"], out["premium"]):
        if error is None:
            assert math.isfinite(premium) and premium >= 0
        else:
            assert isinstance(error, RenewalError) and str(error)
    CALLS["price_frame rows"] += len(rows)


@seed(SEED)
@settings(FUZZ, max_examples=40)
@given(rows_of(REGISTER, 100, 250))
def test_fuzz_register_through_every_job(rows):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    _through_jobs(rows, [name for name in job_runs() if name not in SLOW_JOBS])


@seed(SEED)
@settings(FUZZ, max_examples=8)
@given(rows_of(REGISTER, 100, 250))
def test_fuzz_register_through_the_year_and_the_mix(rows):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    _through_jobs(rows, SLOW_JOBS)


def _through_jobs(rows, names):
    reg = register(*rows)
    for name in names:
        try:
            outcome = job_runs()[name](reg)
        except SourceError as exc:  # one column unusable in most rows: a clean refusal (issue 13)
            assert "行无法使用" in str(exc)
            CALLS["register rows × jobs"] += len(rows)
            continue
        assert outcome.report.sheets and not any(INTERNAL in m for m in outcome.messages)
        if name in ("check", "price", "renewals"):  # rendering: what openpyxl would refuse
            wb = openpyxl.Workbook(write_only=True)
            for sheet in outcome.report.sheets:
                render(wb.create_sheet(sheet.name), sheet)
            wb.save(io.BytesIO())
        CALLS["register rows × jobs"] += len(rows)


text_cell = st.one_of(
    st.text(max_size=15), st.sampled_from(['"', '""', "\n", "\r\n", ",", "#N/A", "=1+1", "\x00", "\ufeff"])
)


@seed(SEED)
@settings(FUZZ, max_examples=40)
@given(
    st.lists(st.sampled_from(list(REGISTER.values()) + ["备注", "", "保单号"]), min_size=1, max_size=25),
    st.lists(st.lists(text_cell, max_size=25), max_size=60),
)
def test_fuzz_csv_register_reader(tmp_path_factory, header, body):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    path = tmp_path_factory.mktemp("csv") / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *body])
    try:
        frame = read_register(path, required=())
    except RenewalError as exc:
        assert str(exc).startswith("文件 register.csv")
    else:
        assert len(frame.frame) <= len(body)
    CALLS["csv register rows"] += max(len(body), 1)


@seed(SEED)
@settings(FUZZ, max_examples=2000)
@given(st.data())
def test_fuzz_worksheet_functions(data):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    functions = worksheet_functions()
    name = data.draw(st.sampled_from(sorted(functions)))
    f, params = functions[name]
    args = [
        data.draw(st.one_of(st.just(GOOD_ARGS[p]), cell_for(p), st.lists(st.lists(any_cell, max_size=2), max_size=2)))
        for p in params
    ]
    result = f(*args)
    assert not (isinstance(result, str) and result.startswith(INTERNAL)), result
    assert isinstance(result, (str, bool, int, float, list)), result
    CALLS["worksheet function calls"] += 1


@seed(SEED)
@settings(FUZZ, max_examples=150)
@given(
    st.lists(
        st.lists(
            st.one_of(st.sampled_from(list(REGISTER.values()) + ["车龄(月)", "上年出险次数"]), any_cell), max_size=12
        ),
        max_size=30,
    )
)
def test_fuzz_renewal_premiums_tables(table):
    note(f"RENEWAL_XL_FUZZ_SEED={SEED}")
    result = worksheet.RENEWAL_PREMIUMS(table)
    if isinstance(result, str):
        assert result.startswith("#") and not result.startswith(INTERNAL), result
    else:
        assert all(isinstance(r, list) and len(r) == 1 for r in result)
        assert not any(isinstance(r[0], str) and r[0].startswith(INTERNAL) for r in result)
    CALLS["RENEWAL_PREMIUMS rows"] += max(len(table) - 1, 1)


def test_fuzzing_made_at_least_100000_calls():
    """Runs after the fuzz tests of this module (pytest keeps the file's order)."""
    print(f"fuzz seed {SEED}: " + ", ".join(f"{k} {v:,}" for k, v in CALLS.items()))
    assert sum(CALLS.values()) >= 100_000, CALLS


assert Decimal  # decimals come from st.decimals
