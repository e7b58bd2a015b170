"""The readers give an Arrow-backed column (as renewal_xl/io/arrow_sheet.py keeps a job's
register columns) exactly what they give the object column of the same cells: the same
values, and the same message on the same rows. And a register read for a job keeps only its
columns, as Arrow text or float64 columns rather than one Python object per cell."""

import datetime as dt
import sys

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal_xl import readers
from renewal_xl.columns import REGISTER
from renewal_xl.folding import code, code_array, fold, fold_series
from renewal_xl.io import register
from renewal_xl.readers import Errors

# cells people type into text columns: words of each reader's rules, blanks of every kind
# str.strip() removes, full-width forms, numbers and dates written as text, Excel errors
WORDS = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "\x1c",
        "\xa0是\xa0",
        "是",
        "否",
        "true",
        " Y ",
        "1",
        "0.0",
        "maybe",
        "150,000",
        "¥1,234.50",
        "12%",
        "1e5",
        "abc",
        "１２７９００",
        "ＶＩＰ",
        "车损＋三者：２０万",
        "2025-12-05",
        "2025/1/5",
        "2025年12月05日",
        "20251205",
        "05/12/2025",
        "1899-01-01",
        "46000",
        "#N/A",
        " #div/0! ",
        "ag001",
        "鄂Ａ·10001",
    ]
)
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=40)


def _arrow(cells: list[str]) -> pd.Series:
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(cells, type=pa.string())))


READINGS = {
    "texts": lambda s, e: readers.texts(s, "customer", e),
    "texts_optional": lambda s, e: readers.texts(s, "customer", e, required=False),
    "numbers": lambda s, e: readers.numbers(s, "premium", e),
    "numbers_percent": lambda s, e: readers.numbers(s, "commission_rate", e, default=np.nan, percent=True),
    "whole_numbers": lambda s, e: readers.whole_numbers(s, "claims", e, 0, 9, default=0, unit=" 次"),
    "yes_no": lambda s, e: readers.yes_no(s, "vip", e, default=False),
    "dates": lambda s, e: readers.dates(s, "start_date", e),
    "dates_default": lambda s, e: readers.dates(s, "start_date", e, default=dt.date(2026, 1, 1)),
    "blank_mask": lambda s, e: readers.blank_mask(s),
}


def _same(got, want):
    assert got.dtype == want.dtype
    if got.dtype.kind == "f":
        assert np.array_equal(got, want, equal_nan=True)
    else:
        assert got.tolist() == want.tolist()
    assert [type(v) for v in got.tolist()] == [type(v) for v in want.tolist()]


def _read(reading, series):
    errors = Errors(len(series))
    values = reading(series, errors)
    return values, [None if x is None else str(x) for x in errors.array()]


def _str(cells: list[str]) -> pd.Series:
    """The pandas ``str`` column frames keep text in (readers.text_column gives one)."""
    return pd.Series(cells, dtype="str")


@pytest.mark.parametrize("column", [_arrow, _str])
@pytest.mark.parametrize("name", READINGS)
@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_an_arrow_text_column_reads_as_its_object_column(name, column, cells):
    got, got_messages = _read(READINGS[name], column(cells))
    want, want_messages = _read(READINGS[name], pd.Series(cells, dtype=object))
    assert got_messages == want_messages
    _same(got, want)


@pytest.mark.parametrize("required", [True, False])
@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_a_text_column_holds_the_texts_and_messages_of_texts(required, cells):
    want, want_messages = _read(lambda s, e: readers.texts(s, "customer", e, required=required), pd.Series(cells))
    for column in (_arrow, _str, lambda c: pd.Series(c, dtype=object)):
        got, got_messages = _read(lambda s, e: readers.text_column(s, "customer", e, required=required), column(cells))
        assert got_messages == want_messages
        assert str(got.dtype) == "str" and got.tolist() == want.tolist()


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.one_of(WORDS, st.text(max_size=6), st.sampled_from(["lsvab1", "ß", "ﬁ", "ǆ", "ı"])), max_size=30)
)
def test_upper_texts_is_str_upper_and_text_array_keeps_the_texts(cells):
    column = pd.array(cells, dtype="str")
    upper = readers.upper_texts(column)
    assert str(upper.dtype) == "str" and upper.tolist() == [c.upper() for c in cells]
    built = readers.text_array(np.array(cells, dtype=object))
    assert str(built.dtype) == "str" and built.tolist() == cells


def _dominant_one_by_one(errors):
    """dominant_error written out plainly: the field failing in most rows, if more than half."""
    fields = [getattr(e, "field", None) for e in errors]
    counted = {f: fields.count(f) for f in fields if f is not None}
    if not counted:
        return None
    field = max(counted, key=lambda f: (counted[f], -fields.index(f)))
    if counted[field] * 2 <= len(errors):
        return None
    first = fields.index(field)
    return errors[first], counted[field], first


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([None, "vin", "vin", "start_date", "premium"]), max_size=12))
def test_the_dominant_error_is_the_field_failing_in_more_than_half_of_the_rows(fields):
    from renewal_xl.errors import InputError

    errors = np.array([None if f is None else InputError(f, i, "x") for i, f in enumerate(fields)], dtype=object)
    got, want = readers.dominant_error(errors), _dominant_one_by_one(list(errors))
    if want is None:
        assert got is None
    else:  # more than half of the rows: only one field can, so ties cannot arise
        assert got is not None and got[0] is want[0] and got[1:] == want[1:]


@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_folding_an_arrow_text_column_folds_as_the_object_column(cells):
    got = fold_series(_arrow(cells))
    assert got.tolist() == fold_series(pd.Series(cells, dtype=object)).tolist()
    assert isinstance(got.dtype, pd.ArrowDtype)  # still no Python object per cell


@pytest.mark.parametrize("wide", [0x3000, *range(0xFF01, 0xFF5F), *range(0xFFE0, 0xFFE7)])
def test_every_full_width_form_is_folded_in_an_arrow_column_beside_chinese_punctuation(wide):
    cells = ["、。「」", f"车损{chr(wide)}三者", None, "鄂A"]
    got = fold_series(pd.Series(pd.arrays.ArrowExtensionArray(pa.array(cells, type=pa.string()))))
    assert got.tolist()[1] == f"车损{fold(chr(wide))}三者" != cells[1]
    assert got.tolist()[0] == "、。「」"  # U+3001/U+3002 share U+3000's lead byte: not folded


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), max_size=30))
def test_a_float_column_reads_as_its_object_column(cells):
    for reading in (READINGS["numbers"], READINGS["whole_numbers"], READINGS["texts"], READINGS["yes_no"]):
        got, got_messages = _read(reading, pd.Series(cells, dtype=np.float64))
        want, want_messages = _read(reading, pd.Series(cells, dtype=object))
        assert got_messages == want_messages
        _same(got, want)


def test_spaces_are_those_str_strip_removes():
    assert readers.SPACES == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


KEYS = ("policy_no", "vin", "start_date", "end_date")  # the other columns are added as blanks


def _policy(k: int, **change) -> dict:
    row = {
        "保单号": f"P{k}",
        "车架号": f"LSVAU2184N{k:07d}",
        "客户名称": "张三" if k % 2 else "ＶＩＰ客户",
        "联系电话": "13800000000",
        "VIP": "是" if k % 3 else "否",
        "代理机构": "ag001" if k % 2 else "AG002",
        "起保日期": dt.datetime(2025, 3, 1 + k % 20),
        "终保日期": dt.datetime(2026, 2, 28),
        "保费": 3253.15 + k,
        "险种组合": "车损+三者:100万",
    }
    return row | change


def _book(path, rows, extra_columns=0):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    header = list(rows[0]) + [f"我的列{j}" for j in range(extra_columns)]
    ws.append(header)
    for k, row in enumerate(rows):
        ws.append([*row.values(), *(f"备注{k}-{j}" for j in range(extra_columns))])
    wb.save(path)
    return path


def test_a_job_reads_a_register_as_the_row_reader_does(tmp_path, monkeypatch):
    from renewal_xl.tariff import catalogue
    from renewal_xl.workflow.policies import read_policies

    rows = [_policy(k, 保费=f"{3000 + k:,}.50") for k in range(1, 40)]  # numbers written as text
    rows[5] = _policy(6, 保费="abc")
    rows[7] = _policy(8, VIP="也许", 保费="1,234")
    path = _book(tmp_path / "r.xlsx", rows)
    fast = register.read_register(path, KEYS, own_columns=False)
    with monkeypatch.context() as m:
        m.setattr(register, "_arrow_table", lambda *a: None)
        slow = register.read_register(path, KEYS, own_columns=False)
    assert fast.frame.astype(object).equals(slow.frame.astype(object))
    assert isinstance(fast.frame["customer"].dtype, pd.ArrowDtype)
    assert fast.frame.loc[3, "customer"] == "VIP客户"  # folded
    t = catalogue().for_date(dt.date(2026, 1, 1))
    a, b = read_policies(fast, t), read_policies(slow, t)
    assert a.table.equals(b.table) and a.skipped == b.skipped
    assert a.table.loc[7, "error"] == "VIP vip=也许: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)"
    assert a.table.loc[5, "error"] == "保费 premium=abc: 不是数字"
    assert set(a.table["agency"]) == {"AG001", "AG002"}  # codes in any case


def test_columns_a_job_does_not_use_are_not_kept(tmp_path):
    """Memory bounded by the data kept: 60 columns of the user's own are neither in the frame
    nor turned into Python objects; the register's text columns stay Arrow columns."""
    path = _book(tmp_path / "wide.xlsx", [_policy(k) for k in range(1, 30)], extra_columns=60)
    read = register.read_register(path, KEYS, own_columns=False)
    assert sorted(read.frame.columns) == sorted(REGISTER)
    objects = [c for c in read.frame.columns if read.frame[c].dtype == object]
    kept_text = ["policy_no", "vin", "customer", "phone", "vip", "agency", "coverage"]
    assert all(isinstance(read.frame[c].dtype, pd.ArrowDtype) for c in kept_text)
    assert read.frame["premium"].dtype == np.float64
    added = set(read.added_columns)  # columns the file lacks are blank object columns
    assert set(objects) - added == {"start_date", "end_date"}  # dates stay Python dates, as calamine gives them
    everything = register.read_register(path, KEYS)
    assert len(everything.frame.columns) == len(REGISTER) + 60  # price keeps them


def test_the_header_row_is_searched_over_columns_a_job_does_not_keep(tmp_path):
    """Row 1 names one register column; row 2 names three in columns row 1 does not name:
    row 2 is the header row, though the fast reading would keep only column A of row 1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    for row in (
        ["保单号", "甲", "乙", "丙"],
        ["P0", "车架号", "起保日期", "终保日期"],
        ["P1", "V1", "2025-03-01", "2026-02-28"],
    ):
        ws.append(row)
    wb.save(tmp_path / "r.xlsx")
    read = register.read_register(tmp_path / "r.xlsx", ("vin", "start_date", "end_date"), own_columns=False)
    assert read.header_row == 2 and read.frame.loc[3, "vin"] == "V1"


@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_codes_are_folded_once_per_distinct_text_as_one_at_a_time(cells):
    values = np.array(cells, dtype=object)
    assert code_array(values).tolist() == [code(v) for v in cells]


MIXED = st.lists(
    st.one_of(
        WORDS,
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**16), max_value=10**16),
        st.floats(width=64),
        st.sampled_from([np.float64(2.5), np.nan, np.inf, 1e12, -1e12 + 1, dt.date(2026, 1, 5), pd.NaT]),
    ),
    max_size=30,
)


@pytest.mark.parametrize("default", [None, 0.0, np.nan])
@settings(max_examples=200, deadline=None)
@given(cells=MIXED)
def test_an_object_number_column_reads_as_its_cells_one_at_a_time(default, cells):
    """numbers() reads plain numbers and empty cells of an object column at once: the same
    values and messages as number_reading of each cell."""
    errors = Errors(len(cells))
    got = readers.numbers(pd.Series(cells, dtype=object), "premium", errors, default=default)
    want = [readers.number_reading(v, default) for v in cells]
    assert np.array_equal(got, np.array([x for x, _ in want], dtype=np.float64), equal_nan=True)
    assert [None if e is None else e.reason for e in errors.array()] == [r for _, r in want]
