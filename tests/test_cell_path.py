"""One worksheet cell is priced without pandas (issue 12) by the same rules as a table.

A cell reads its arguments with the readers' per-value rule (:class:`Cell`) and runs the
kernel on plain integers; a table reads Series and runs it on numpy columns. These tests
give both the same values, good and bad (the hardening catalogue), and require the same
result to the cent or the same error text; and they check the call cache only serves a
result that is still right.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd
import pytest
from hostile import BAD_VALUES, GOOD_ARGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import TODAY, oracle_of, quotes

from renewal_xl.pricing import commission as comm
from renewal_xl.pricing.breakdown import Breakdown
from renewal_xl.pricing.price import QUOTE_FIELDS, price_arrays, quote, quote_premium
from renewal_xl.readers import Cell, Errors, OneError, dates, numbers, texts, whole_numbers, yes_no
from renewal_xl.spreadsheet import functions, memo
from renewal_xl.spreadsheet.worksheet import COMMISSION_RATE, NCD_FACTOR, RENEWAL_PREMIUM, cell_function
from renewal_xl.tariff import catalogue

ALL_BAD = [v for values in BAD_VALUES.values() for v in values]
GOOD = {name: GOOD_ARGS[name] for name in QUOTE_FIELDS}
# values a quote argument may hold: every bad value and some good ones of every field
CELL_VALUES = ALL_BAD + [150000.0, 30, 5.0, "经济", "完全", "三者:50万+车损", 2, 0, 500, "否", "1.05", 0.95, "是", 1]
READERS = {
    "numbers": lambda x, e: numbers(x, "new_car_price", e),
    "numbers, default": lambda x, e: numbers(x, "deductible", e, default=0.0),
    "numbers, percent": lambda x, e: numbers(x, "channel_coef", e, default=1.0, percent=True),
    "whole numbers": lambda x, e: whole_numbers(x, "seats", e, 2, 9),
    "whole numbers, default": lambda x, e: whole_numbers(x, "claims_last_year", e, 0, 100, default=0),
    "yes/no": lambda x, e: yes_no(x, "imported", e, default=False),
    "texts": lambda x, e: texts(x, "agency", e),
    "dates": lambda x, e: dates(x, "end_date", e),
    "dates, default": lambda x, e: dates(x, "as_of", e, default=TODAY),
    "channels": lambda x, e: comm.read_channels(x, "channel", e, catalogue().by_id("default")),
}


def _as_python(value):
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    return value.item() if isinstance(value, np.generic) else value


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_cell_reads_every_value_as_its_column_does(reader):
    read = READERS[reader]
    for value in ALL_BAD + [150000, "2026-03-01", "AGENCY", "专业代理", "AG001", 0.5, True, "N"]:
        column = Errors(1)
        want = read(pd.Series([value], dtype=object), column)[0]
        one = OneError()
        got = read(Cell(value), one)
        assert str(one.error) == str(column.at(0)), (reader, value)
        if column.at(0) is None:
            assert _as_python(want) == got and type(got) is not np.ndarray, (reader, value, want, got)


def _batch_or_error(rows: list[dict]):
    frame = pd.DataFrame({name: pd.Series([r.get(name) for r in rows], dtype=object) for name in QUOTE_FIELDS})
    p = price_arrays(frame, today=TODAY)
    return [p.errors[i] or Breakdown.from_priced(p, i) for i in range(len(rows))]


def _one_or_error(row: dict):
    try:
        return quote(today=TODAY, **row)
    except Exception as exc:  # noqa: BLE001 - the error is the result compared
        return exc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.dictionaries(st.sampled_from(QUOTE_FIELDS), st.sampled_from(CELL_VALUES), max_size=4).map(
            lambda spoiled: {**GOOD, **spoiled}
        ),
        min_size=1,
        max_size=8,
    )
)
def test_one_quote_equals_its_row_of_a_table_good_or_bad(rows):
    """Each field spoiled with any catalogue value, several at once: the cell gives the
    row's breakdown to the cent, or the row's own error."""
    for row, batch in zip(rows, _batch_or_error(rows)):
        one = _one_or_error(row)
        if isinstance(batch, Breakdown):
            assert one == batch, row
            assert quote_premium(today=TODAY, **row) == batch.premium
        else:
            assert type(one) is type(batch) and str(one) == str(batch), (row, one, batch)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quotes(), min_size=1, max_size=10))
def test_one_quote_equals_the_manual_and_the_table_on_valid_quotes(rows):
    for (q, spec), batch in zip(rows, _batch_or_error([q for q, _ in rows])):
        one = quote(today=TODAY, **q)
        assert one == batch  # every step: items, free rider, NCD, coefficients, voucher
        assert one.premium == oracle_of(q, spec)["premium"]


# --- the call cache -------------------------------------------------------------------------


class Clock:
    def __init__(self, day: dt.date):
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def test_the_cache_serves_repeated_calls_and_tells_types_apart():
    cache = memo.CallCache(today=Clock(TODAY))
    ncd = cell_function(NCD_FACTOR, logging.getLogger("test"), cache)
    assert ncd(2.0, 0.0) == 0.7 and len(cache) == 1
    assert ncd(2.0, 0.0) == 0.7 and len(cache) == 1  # served
    assert ncd(True, 0.0).startswith("#")  # TRUE is no number, though TRUE == 1
    assert ncd(1.0, 0.0) == 0.85
    assert ncd(" 1 ", 0.0) == 0.85 and len(cache) == 4


def test_the_cache_is_bounded():
    cache = memo.CallCache(max_entries=3, today=Clock(TODAY))
    ncd = cell_function(NCD_FACTOR, logging.getLogger("test"), cache)
    for years in range(10):
        ncd(float(years), 0.0)
    assert len(cache) == 3


def test_a_new_day_empties_the_cache(monkeypatch):
    """A blank policy_start is today: tomorrow it may fall under another tariff."""
    clock = Clock(TODAY)
    cache = memo.CallCache(today=clock)
    premium = cell_function(RENEWAL_PREMIUM, logging.getLogger("test"), cache)
    args = (150000.0, 30.0, 5.0, "经济", 2.0, 0.0)
    assert premium(*args) == 3253.15 and len(cache) == 1
    clock.day = TODAY + dt.timedelta(days=1)
    assert premium(*args) == 3253.15 and len(cache) == 1  # computed again for the new day


def test_another_tariff_empties_the_cache(tmp_path, monkeypatch):
    """Switching RENEWAL_XL_TARIFF to a user tariff in force today: the cell follows it."""
    import shutil

    from renewal_xl.tariff.catalogue import BUILTIN, ENV_VAR

    cache = memo.CallCache()
    ncd = cell_function(NCD_FACTOR, logging.getLogger("test"), cache)
    assert ncd(2.0, 0.0) == 0.7
    user = tmp_path / "mine"
    shutil.copytree(BUILTIN / "default", user)
    for name, old, new in (("tariff.csv", "id,default", "id,mine"), ("ncd.csv", "0,2,0.7", "0,2,0.65")):
        text = (user / name).read_text(encoding="utf-8")
        assert old in text
        (user / name).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(user))
    assert catalogue().for_date(dt.date.today()).id == "mine"
    assert ncd(2.0, 0.0) == 0.65  # not the cached 0.7


def test_a_cold_look_up_follows_another_tariff(tmp_path, monkeypatch):
    """Without the call cache, what a look-up keeps per tariff object (the NCD factor of a
    pair of counts, the commission rate of channel/renewal/agency cells) never outlives a
    switch of RENEWAL_XL_TARIFF: the edited tables answer at once."""
    import shutil

    from renewal_xl.tariff.catalogue import BUILTIN, ENV_VAR

    ncd = cell_function(NCD_FACTOR, logging.getLogger("test"), cache=None)
    rate = cell_function(COMMISSION_RATE, logging.getLogger("test"), cache=None)
    assert ncd(2.0, 0.0) == 0.7 and rate("专业代理", "是", "ag001") == 0.15
    user = tmp_path / "mine"
    shutil.copytree(BUILTIN / "default", user)
    edits = (
        ("tariff.csv", "id,default", "id,mine"),
        ("ncd.csv", "0,2,0.7", "0,2,0.65"),
        ("agency_commission.csv", "AG001,0.13,0.15", "AG001,0.13,0.16"),
    )
    for name, old, new in edits:
        text = (user / name).read_text(encoding="utf-8")
        assert old in text
        (user / name).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(user))
    assert ncd(2.0, 0.0) == 0.65 and rate("专业代理", "是", "ag001") == 0.16
    monkeypatch.delenv(ENV_VAR)
    assert ncd(2.0, 0.0) == 0.7 and rate("专业代理", "是", "ag001") == 0.15


_RATE_CELLS = st.tuples(
    st.sampled_from(["专业代理", "AGENT", "broker", "直销", "兼业代理", "电话", "", None, 1.0]),
    st.sampled_from([True, False, 1, 0, 1.0, 0.0, "是", "否", "Y", "n", "1", "", None, 2.0, "也许"]),
    st.sampled_from([None, "AG001", "ag001", "ＡＧ００２", "AG999", "", 1, 1.0, True]),
)


@given(st.lists(_RATE_CELLS, min_size=1, max_size=12))
def test_a_kept_commission_rate_is_what_a_first_call_gives(calls):
    """Whatever earlier calls left kept (refusals are not kept), every call in a sequence
    answers as the same call does on its own: cells of every kind (numbers, TRUE, words,
    full-width and lower-case codes, blanks)."""
    rate = cell_function(COMMISSION_RATE, logging.getLogger("test"), cache=None)
    answers = [rate(*c) for c in calls]
    for c, answer in zip(calls, answers):
        functions._kept_rate.cache_clear()  # the call on its own, nothing kept before it
        assert rate(*c) == answer, c


def test_an_unexpected_failure_is_not_cached(monkeypatch):
    cache = memo.CallCache(today=Clock(TODAY))
    calls = []

    def NCD_FACTOR(claim_free_years, claims_last_year):  # noqa: N802 - a worksheet function's name
        calls.append(1)
        raise ZeroDivisionError

    f = cell_function(NCD_FACTOR, logging.getLogger("test"), cache)
    assert f(1.0, 0.0).startswith("#错误") and f(1.0, 0.0).startswith("#错误")
    assert len(calls) == 2 and len(cache) == 0
