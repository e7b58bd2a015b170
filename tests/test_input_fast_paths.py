"""The whole-column fast paths of ``numbers()``, ``yes_no()`` and ``dates()`` give what the cell-by-cell
path gives: the same values and the same error of every row. A column a register reader
hands over (Python objects) takes the fast path; adding one cell of another kind sends the
same column down the cell-by-cell path, so comparing the two on the common rows checks one
against the other."""

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_xl.readers import Errors, date_reading, dates, numbers, whole_numbers, yes_no

FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-2e12, max_value=2e12)
NUMBER_CELLS = st.one_of(
    FINITE, st.integers(-(10**13), 10**13), st.none(), st.just(float("nan")), st.just(float("inf"))
)
WORD_CELLS = st.one_of(
    st.sampled_from(["是", "否", " 是 ", "TRUE", "false", "y", "N", "1", "0", "1.0", "", "  ", "#N/A", "也许", "2"]),
    st.none(),
    st.just(float("nan")),
)


def _run(reader, cells: list, **options):
    errors = Errors(len(cells))
    values = reader(pd.Series(cells, dtype=object), "seats", errors, **options)
    return values, [None if e is None else str(e) for e in errors.array()]


def _same(fast, slow) -> None:
    (fv, fe), (sv, se) = fast, slow
    n = len(fv)
    np.testing.assert_array_equal(fv, sv[:n])
    assert fe == se[:n]


@settings(max_examples=150, deadline=None)
@given(st.lists(NUMBER_CELLS, max_size=30), st.sampled_from([None, 0.0]))
def test_numbers_fast_path_equals_the_cell_path(cells, default):
    fast = _run(numbers, cells, default=default)
    slow = _run(numbers, [*cells, "12"], default=default)  # one text cell: cell by cell
    _same(fast, slow)


def test_numbers_fast_path_by_hand():
    # 5 → 5.0; None → the default 0.0; 1e12 is too large (|x| must stay < 10^12); inf is no finite number
    values, errors = _run(numbers, [5, None, 1e12, float("inf"), 2.5], default=0.0)
    assert values.tolist() == [5.0, 0.0, 0.0, 0.0, 2.5]
    assert [e is None for e in errors] == [True, True, False, False, True]
    assert "数值过大" in errors[2] and "不是有限数字" in errors[3]


def test_whole_numbers_on_a_float_column():
    # seats 5.0 is 5; 5.5 is not whole (its row gets the error); 30 is above 9 (placeholder: low = 1)
    values, errors = _run(lambda s, f, e: whole_numbers(s, f, e, 1, 9), [5.0, 5.5, 30])
    assert values[[0, 2]].tolist() == [5, 1]
    assert errors[0] is None and "须为整数" in errors[1] and "须在 1–9" in errors[2]


@settings(max_examples=150, deadline=None)
@given(st.lists(WORD_CELLS, max_size=30), st.booleans())
def test_yes_no_fast_path_equals_the_cell_path(cells, default):
    fast = _run(yes_no, cells, default=default)
    slow = _run(yes_no, [*cells, True], default=default)  # one bool cell: cell by cell
    _same(fast, slow)


def test_yes_no_fast_path_by_hand():
    # 是 and TRUE say yes, 否 and 0 say no, blanks take the default, #N/A is an error value
    values, errors = _run(yes_no, ["是", "TRUE", "否", "0", "  ", None, "#N/A", "也许"], default=True)
    assert values.tolist() == [True, True, False, False, True, True, True, True]
    assert errors[:6] == [None] * 6
    assert "单元格为错误值" in errors[6] and "须为 是/否" in errors[7]


TRUTH_CELLS = st.one_of(st.booleans(), st.sampled_from([np.True_, np.False_, None, float("nan"), pd.NaT]))


@settings(max_examples=150, deadline=None)
@given(st.lists(TRUTH_CELLS, max_size=30), st.booleans())
def test_yes_no_of_truth_values_and_blanks_equals_the_cell_path(cells, default):
    fast = _run(yes_no, cells, default=default)
    slow = _run(yes_no, [*cells, "是"], default=default)  # one word: cell by cell
    _same(fast, slow)
    assert fast[0].tolist() == [default if pd.isna(c) else bool(c) for c in cells]


DAY_CELLS = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2300, 1, 1)),
    st.sampled_from([None, float("nan"), pd.NaT]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(DAY_CELLS, max_size=30), st.sampled_from([None, dt.date(2026, 1, 1)]))
def test_dates_of_date_cells_and_blanks_equal_the_cell_path(cells, default):
    fast = _run(lambda s, f, e: dates(s, f, e, default=default), cells)
    slow = _run(lambda s, f, e: dates(s, f, e, default=default), [*cells, "x"])  # one text cell: cell by cell
    _same(fast, slow)
    want = [date_reading(c, default) for c in cells]  # each cell alone: its day, or why it is refused
    assert [e is None for e in fast[1]] == [reason is None for _, reason in want]
    assert [d for d, (_, reason) in zip(fast[0].tolist(), want) if reason is None] == [
        day for day, reason in want if reason is None
    ]
