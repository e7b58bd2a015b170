"""The fastexcel reading of a sheet (renewal_xl/io/arrow_sheet.py) gives exactly the cells of
the row reader, value for value and type for type, and steps aside where it could not."""

import datetime as dt

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_xl.columns import REGISTER
from renewal_xl.io import register

D = dt.date


def _book(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _both(path, monkeypatch, columns=REGISTER):
    """The fast reading (None when it stepped aside) and the row reader's, of ``path``."""
    fast = register._arrow_table(path, "保单台账", columns)
    with monkeypatch.context() as m:
        m.setattr(register, "_arrow_table", lambda *a: None)
        rows = register.read_rows(path, "保单台账", first_sheet=True, columns=columns)
    return fast, rows


def _same(fast, rows):
    frame, header_row, letters = fast
    assert header_row == rows.header_row == 1
    assert list(frame.columns) == list(rows.frame.columns)
    for name in frame.columns:
        got, want = frame[name].tolist(), rows.frame[name].tolist()
        assert got == want, name
        assert [type(v) for v in got] == [type(v) for v in want], name
    assert letters == {"A": "保单号", "B": "起保日期", "C": "保费", "D": "VIP", "E": "VIN"}


HEADER = ["保单号", "起保日期", "保费", "VIP", "ＶＩＮ", "备注"]


def test_typed_columns_equal_the_row_reader(tmp_path, monkeypatch):
    path = _book(
        tmp_path / "r.xlsx",
        [
            HEADER,
            ["P1", dt.datetime(2025, 3, 1), 3253.15, True, "V1", None],
            ["P2", dt.datetime(2025, 3, 2, 9, 30), 100, False, None, "１２７９００"],
            [None, None, None, None, None, None],
            ["P3", D(1969, 12, 31), 0.1, None, "V3", "x"],
        ],
    )
    fast, rows = _both(path, monkeypatch)
    assert fast is not None  # read by fastexcel
    _same(fast, rows)
    # dates at midnight are dates, with a time datetimes; blanks '' as calamine gives them
    assert fast[0]["起保日期"].tolist() == [D(2025, 3, 1), dt.datetime(2025, 3, 2, 9, 30), "", D(1969, 12, 31)]
    assert fast[0]["VIN"].tolist() == ["V1", "", "", "V3"]  # the header folded


@pytest.mark.parametrize(
    "rows",
    [
        [["2026年11月 台账"], HEADER, ["P1", D(2025, 3, 1), 1.0, True, "V1", ""]],  # title row above
        [HEADER, ["P1", D(2025, 3, 1), "abc", True, "V1", ""], ["P2", D(2025, 3, 1), 2.0, True, "V2", ""]],
        [["保单号", "保单号", "保费"], ["P1", "P2", 1.0]],  # a header twice: the row reader refuses it
        [["保单号", None, "保费"], ["P1", "x", 1.0]],  # a blank header: the row reader names it #2
        [["保单号", 2025, "保费"], ["P1", "x", 1.0]],  # a number as header
    ],
)
def test_it_steps_aside_where_it_could_not_be_exact(tmp_path, rows):
    assert register._arrow_table(_book(tmp_path / "r.xlsx", rows), "保单台账", REGISTER) is None


def test_a_used_range_not_from_a1_is_left_to_the_row_reader(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws["C3"], ws["D3"], ws["C4"], ws["D4"] = "保单号", "保费", "P1", 1.0
    wb.save(tmp_path / "r.xlsx")
    assert register._arrow_table(tmp_path / "r.xlsx", "保单台账", REGISTER) is None


CELLS = st.one_of(
    st.none(),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.booleans(),
    st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)
    ),
    st.text(alphabet="ab鄂Ａ１ ·0", min_size=1, max_size=6),
)


CELLS_OF = [type(None), float, bool, dt.date, dt.datetime, str]


@settings(max_examples=30, deadline=None)
@given(kind=st.integers(0, 5), cells=st.lists(CELLS, min_size=1, max_size=8))
def test_any_single_kind_column_equals_the_row_reader(tmp_path_factory, kind, cells):
    """A column of one kind of cell (and blanks) is read by fastexcel, and reads the same as
    the row reader does."""
    path = tmp_path_factory.mktemp("arrow") / "r.xlsx"
    pick = [c for c in cells if c is None or isinstance(c, CELLS_OF[kind])] or [None]
    _book(path, [["保单号", "备注"], *(["P", c] for c in pick)])
    fast = register._arrow_table(path, "保单台账", REGISTER)
    assert fast is not None
    with pytest.MonkeyPatch.context() as m:
        m.setattr(register, "_arrow_table", lambda *a: None)
        rows = register.read_rows(path, "保单台账", first_sheet=True, columns=REGISTER)
    for name in fast[0].columns:
        got, want = fast[0][name].tolist(), rows.frame[name].tolist()
        assert got == want and [type(v) for v in got] == [type(v) for v in want]
