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
from renewal_xl.folding import code, code_array, fold_series
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


@pytest.mark.parametrize("name", READINGS)
@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_an_arrow_text_column_reads_as_its_object_column(name, cells):
    got, got_messages = _read(READINGS[name], _arrow(cells))
    want, want_messages = _read(READINGS[name], pd.Series(cells, dtype=object))
    assert got_messages == want_messages
    _same(got, want)


@settings(max_examples=150, deadline=None)
@given(cells=TEXT)
def test_folding_an_arrow_text_column_folds_as_the_object_column(cells):
    got = fold_series(_arrow(cells))
    assert got.tolist() == fold_series(pd.Series(cells, dtype=object)).tolist()
    assert isinstance(got.dtype, pd.ArrowDtype)  # still no Python object per cell


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
