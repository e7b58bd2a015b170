"""The rust_xlsxwriter renderer of large reports draws what the XlsxWriter renderer draws: the
same cells (values, types, number formats, quote prefixes), the same headers, notes and
titles, freeze panes, filter, widths and marker, read back with openpyxl."""

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal_xl.render import arrow_writer
from renewal_xl.render.xlsx_writer import WRITER_SETTING, engine_for, write_report
from renewal_xl.reports.spec import Chart, Report, Sheet, Table

pytestmark = pytest.mark.skipif(not arrow_writer.available(), reason="rvgsrust-xlsxwriter or pyarrow missing")


def _cells(path):
    book = openpyxl.load_workbook(path)
    out = []
    for ws in book.worksheets:
        cells = [
            (
                c.coordinate,
                _excel_precision(c.value),
                c.number_format,
                bool(c.quotePrefix),
                bool(c.font.b),
                c.fill.fill_type,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value not in (None, "")  # XlsxWriter keeps "" as an empty text cell, rust_xlsxwriter leaves it blank
        ]
        widths = {k: round(v.width, 1) for k, v in ws.column_dimensions.items()}
        out.append((ws.title, cells, ws.freeze_panes, ws.auto_filter.ref, widths, sorted(ws.defined_names)))
    return out


def _excel_precision(value):
    """Numbers to the 15 significant digits Excel keeps (XlsxWriter writes 16, rust_xlsxwriter 17)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(f"{value:.15g}") if number else value


def _both(report, tmp_path, marker=True):
    write_report(report, tmp_path / "x.xlsx", marker=marker, engine="xlsxwriter")
    write_report(report, tmp_path / "r.xlsx", marker=marker, engine="rust")
    return _cells(tmp_path / "x.xlsx"), _cells(tmp_path / "r.xlsx")


def test_odd_cells_are_written_as_xlsxwriter_writes_them(tmp_path):
    frame = pd.DataFrame(
        {
            "保单号": [
                "P1",
                "=1+1",
                None,
                "#N/A",
                "A\x07B",
                "x" * 40_000,
            ],  # formula-like, error-like, illegal, too long
            "金额": [1.5, None, float("inf"), 3, "abc", 2.25],  # a number column with text and infinity in it
            "日期": [
                dt.date(2026, 1, 2),
                None,
                "不是日期",
                dt.datetime(2026, 3, 4, 5, 6, 7),
                dt.date(2026, 5, 6),
                None,
            ],
            "是否": [True, False, None, True, "是", False],
            "时长": [dt.time(1, 2, 3), dt.timedelta(hours=30), None, None, None, None],
        },
        dtype=object,
    )
    frame["计数"] = np.arange(6)
    report = Report(
        [
            Sheet(
                "续保 报价",
                [
                    Table(frame, title="标题", formats={"金额": "#,##0.00", "日期": "yyyy-mm-dd"}),
                    Table(pd.DataFrame({"合计": [9.0]})),
                ],
                notes=["说明一", "=危险"],
            ),
            Sheet("空表", [Table(pd.DataFrame({"列": []}))], freeze=False),
        ]
    )
    xlsxwriter_cells, rust_cells = _both(report, tmp_path)
    assert rust_cells == xlsxwriter_cells
    sheet = dict((c[0], c[1:]) for c in rust_cells[0][1])
    assert sheet["A7"] == ("=1+1", "General", True, False, None)  # text, never a formula
    assert sheet["B9"] == (3, "#,##0.00", False, False, None)
    # notes in rows 1-2, a blank row, the title in row 4, the bold shaded header in row 5
    assert sheet["A4"][0] == "标题" and sheet["A5"][0] == "保单号" and sheet["A5"][3:] == (True, "solid")
    assert rust_cells[0][2:4] == ("A6", "A5:F11")  # header frozen and filtered
    assert rust_cells[0][5] == ["RenewalXL_Generated"]


CELL = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["=SUM(A1)", "-5 元", "@x", "#DIV/0!", " 张三 "]),
    st.integers(-(10**13), 10**13).map(lambda n: n / 100),  # money-shaped: 13 significant digits, as Excel keeps them
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 0.1 + 0.2]),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=12))
def test_any_cells_are_drawn_alike(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["甲", "乙", "丙"], dtype=object)
    xlsxwriter_cells, rust_cells = _both(Report([Sheet("表", [Table(frame, formats={"乙": "0.00"})])]), tmp_path, False)
    assert rust_cells == xlsxwriter_cells


def _large(**sheet):
    rows = arrow_writer.LARGE_CELLS // 2
    return Report([Sheet("清单", [Table(pd.DataFrame({"a": np.arange(rows), "b": np.ones(rows)}))], **sheet)])


def test_large_reports_go_to_the_rust_writer_unless_it_cannot_draw_them(monkeypatch):
    assert engine_for(_large()) == "rust"
    assert engine_for(Report([Sheet("小", [Table(pd.DataFrame({"a": [1]}))])])) == "xlsxwriter"
    assert engine_for(_large(charts=[Chart("pie", "t", 0, "a", "b")])) == "xlsxwriter"
    assert engine_for(Report([Sheet("张三!", _large().sheets[0].tables)])) == "xlsxwriter"
    monkeypatch.setenv(WRITER_SETTING, "xlsxwriter")
    assert engine_for(_large()) == "xlsxwriter"
