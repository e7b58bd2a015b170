"""Column widths and wrapped row heights measure fewer values than there are cells, and
give the answer of measuring every cell (the rule of :func:`layout.shown_width` and
:func:`layout.display_width`), for every renderer alike."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_xl.reports import layout
from renewal_xl.reports.layout import Block, column_widths, row_heights, shown_width, widest
from renewal_xl.reports.spec import Sheet, Table

FORMATS = st.sampled_from([None, "@", "0", "0.00", "#,##0.00", "0.0%", "0.00##", "yyyy-mm-dd", "#,##0"])
EDGES = [0.0, -0.0, 0.5, -0.004, 9.995, -9.995, 1e10, 9999999999.0, -1e9, 1.797e306, float("inf"), float("-inf")]


def every_cell(values: np.ndarray, fmt: str | None) -> int:
    """The rule measured on each value of the sample once (equal values count once, as
    the first of them shows: ``0.0`` then ``-0.0`` is one value)."""
    first = list(dict.fromkeys(values.tolist()))
    return max([0, *(shown_width(v, fmt) for v in first if not pd.isna(v))])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.floats(), st.integers(-(10**12), 10**12).map(float), st.sampled_from(EDGES))), FORMATS)
def test_a_number_column_is_as_wide_as_its_widest_cell(xs, fmt):
    numbers = np.array(xs, dtype=np.float64)
    assert widest(numbers, fmt) == every_cell(numbers, fmt)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2**62), 2**62)), FORMATS)
def test_a_whole_number_column_too(xs, fmt):
    numbers = np.array(xs, dtype=np.int64)
    assert widest(numbers, fmt) == every_cell(numbers, fmt)


CELLS = st.one_of(
    st.text(),
    st.text(alphabet="张三李四北京有限公司ＡＢ１ab -"),
    st.none(),
    st.just(float("nan")),
    st.dates(),
    st.booleans(),
    st.floats(),
    st.decimals(allow_nan=False, places=2),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(CELLS), FORMATS)
def test_a_column_of_text_and_other_cells_is_as_wide_as_its_widest_cell(cells, fmt):
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    assert widest(values, fmt) == every_cell(values, fmt)


def test_worked_widths():
    # -12.50 shows 6 characters in #,##0.00; 张三 2 wide characters = 4, "Li Si" 5
    assert widest(np.array([3.0, -12.5, np.nan, 0.25]), "#,##0.00") == 6
    assert widest(np.array(["张三", "Li Si", None], dtype=object), None) == 5
    # 1,234,567.00 is 12 characters; 0.0% of -0.5 is -50.0%: 6
    assert widest(np.array([1234567.0, 3.0]), "#,##0.00") == 12
    assert widest(np.array([0.25, -0.5]), "0.0%") == 6
    # General: 1/3 shows 11 characters (0.333333333), 123 three
    assert widest(np.array([123.0, 1 / 3]), None) == 11
    # a date shows yyyy-mm-dd: 10
    assert widest(np.array([dt.date(2026, 1, 31), None], dtype=object), None) == 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(CELLS, st.just(Decimal("1.00")), st.just(0), st.just(False)), min_size=1))
def test_wrapped_row_heights_measure_every_cell_as_it_shows(cells):
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    frame = pd.DataFrame({"通知内容": values})
    heights = row_heights(Block(Table(frame, wrap={"通知内容": 12}), None, 1, 2, 1 + len(cells)))
    # 10 characters a line (the width less 2), 15 points a line and 3.75 of padding
    lines = [max(1, -(-layout.display_width(v) // 10)) for v in cells]
    assert heights == {2 + i: 15 * n + 3.75 for i, n in enumerate(lines)}


def test_sheet_widths_are_the_rule_of_every_cell_of_the_sample():
    names = ["张三", "北京某某汽车服务有限公司", "Li"] * 1000
    sheet = Sheet(
        "续保清单",
        [Table(pd.DataFrame({"客户名称": names, "保费": np.arange(3000) * 1.5}), formats={"保费": "#,##0.00"})],
    )
    # 北京某某汽车服务有限公司: 12 wide characters = 24, + 2; the sample's largest premium
    # 1,999.50 (row 1,999 of the first 2,000) is 8, + 2 = 10
    assert column_widths(sheet) == [26.0, 10.0]
