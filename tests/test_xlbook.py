"""The xlwings Book (udfs.xlbook) and the macros (udfs.macros) on a fake Excel object
model: reading the register, the marker rule, and how a report sheet is rendered."""

from __future__ import annotations

import datetime as dt
import sys
import types
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import xlwings as xw
from fake_excel import CellError, FakeBook

import udfs
from renewal_xl.app.book import MARKER_NAME, place_report
from renewal_xl.errors import InputError
from renewal_xl.reports.spec import Chart, Report, Sheet, Table
from udfs.xlbook import XlBook


def register_book() -> FakeBook:
    book = FakeBook("保单台账")
    ws = book.sheets["保单台账"]
    rows = [
        ["保单号", "终保日期", "保费", None, "联系电话"],
        ["P001", dt.datetime(2026, 12, 31), 3253.15, "x", "13800138000"],
        ["P002", CellError("#N/A"), "1,000", None, None],
        ["  ", None, None, None, None],
    ]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.cells[(i + 1, j + 1)] = v
    return book


def test_read_frame_takes_headers_values_and_cell_errors_as_text():
    frame = XlBook(register_book()).read_frame("保单台账")
    assert list(frame.columns) == ["保单号", "终保日期", "保费", "列4", "联系电话"]
    assert len(frame) == 2  # the trailing blank row is dropped
    assert frame.loc[0, "终保日期"] == dt.datetime(2026, 12, 31)
    assert frame.loc[1, "终保日期"] == "#N/A"
    assert frame.loc[1, "保费"] == "1,000" and frame.loc[0, "联系电话"] == "13800138000"


def test_read_frame_of_an_empty_sheet():
    frame = XlBook(FakeBook("空")).read_frame("空")
    assert frame.empty


def report(name: str = "续保清单") -> Report:
    due = Table(
        pd.DataFrame(
            {
                "保单号": ["P001", "P002", "P003"],
                "终保日期": [pd.Timestamp("2026-12-31"), pd.NaT, pd.Timestamp("2027-01-05")],
                "续保报价": [Decimal("3253.15"), np.nan, Decimal("1524.90")],
                "件数": [np.int64(1), np.int64(2), np.int64(3)],
                "联系电话": ["13800138000", None, "0271234567"],
            }
        ),
        title="到期保单",
        formats={"终保日期": "yyyy-mm-dd", "续保报价": "#,##0.00"},
    )
    summary = Table(pd.DataFrame({"业务员": ["张三", "李四"], "保费": [3253.15, 1524.90]}), title="按业务员")
    empty = Table(pd.DataFrame({"业务员": [], "保费": []}))
    return Report(
        [
            Sheet(
                name,
                [due, summary, empty],
                notes=["基准日期 2026-11-24", "共 3 张"],
                charts=[Chart("bar", "保费按业务员", 1, "业务员", "保费"), Chart("pie", "空", 2, "业务员", "保费")],
            )
        ]
    )


def test_a_report_sheet_is_rendered_with_formats_freeze_filter_widths_and_charts():
    book = register_book()
    xb = XlBook(book)
    assert place_report(xb, report()) == []
    ws = book.sheets["续保清单"]
    assert xb.sheet_names() == ["保单台账", "续保清单"] and xb.has_marker("续保清单")
    assert ws.value(1, 1) == "基准日期 2026-11-24" and ws.value(2, 1) == "共 3 张"
    # title row 4, header row 5, data rows 6–8
    assert ws.value(4, 1) == "到期保单" and (4, 1) in ws.bold
    assert ws.row(5) == ["保单号", "终保日期", "续保报价", "件数", "联系电话"] and all(
        (5, c) in ws.bold for c in range(1, 6)
    )
    assert ws.row(6) == ["P001", dt.datetime(2026, 12, 31), 3253.15, 1, "13800138000"]
    assert ws.row(7) == ["P002", None, None, 2]
    assert isinstance(ws.value(6, 3), float) and isinstance(ws.value(6, 4), int)
    assert ws.formats[(6, 2)] == "yyyy-mm-dd" and ws.formats[(8, 3)] == "#,##0.00"
    assert ws.formats[(6, 5)] == "@" and ws.formats[(6, 1)] == "@"  # text stays text
    assert (6, 4) not in ws.formats
    # second table: title row 10, header 11, rows 12–13; the empty third table: header 15
    assert ws.value(10, 1) == "按业务员" and ws.row(12) == ["张三", 3253.15] and ws.row(15) == ["业务员", "保费"]
    # frozen through the COM window (classic xlwings has no freeze_panes), filter via an Excel table
    window = book.app.api.ActiveWindow
    assert window.FreezePanes is True and window.SplitRow == 5 and window.SplitColumn == 0
    (table,) = ws.tables
    assert (table.source.r1, table.source.c1, table.source.r2, table.source.c2) == (5, 1, 8, 5)
    assert ws.column_widths == {1: 8.0, 2: 12.0, 3: 10.0, 4: 8.0, 5: 13.0}
    (chart,) = ws.charts  # the chart over the empty table is left out
    assert chart.chart_type == "column_clustered" and chart.title == "保费按业务员" and chart.plot_by == "columns"
    assert (chart.source.r1, chart.source.c1, chart.source.r2, chart.source.c2) == (11, 2, 13, 2)
    assert (chart.x_values.r1, chart.x_values.c1, chart.x_values.r2) == (12, 1, 13)
    # beside its table (title row 10), right of the tables its rows cross (2 columns) and a gap
    assert (chart.anchor.r1, chart.anchor.c1) == (10, 4)
    assert book.app.screen_updating is True


def test_a_users_sheet_is_never_overwritten():
    book = register_book()
    mine = book.sheets.add("续保清单", after=book.sheets[0])
    mine.cells[(1, 1)] = "我的笔记"
    xb = XlBook(book)
    placed = report()
    assert place_report(xb, placed) == ["工作表 续保清单 是用户创建的, 未覆盖; 结果写入 续保清单(2)"]
    assert placed.sheets[0].name == "续保清单"  # the report is not changed by placing it
    assert book.sheets["续保清单"].cells == {(1, 1): "我的笔记"} and not xb.has_marker("续保清单")
    assert xb.sheet_names() == ["保单台账", "续保清单", "续保清单(2)"] and xb.has_marker("续保清单(2)")


def test_a_sheet_the_add_in_made_is_replaced_in_place():
    book = register_book()
    xb = XlBook(book)
    place_report(xb, report())
    book.sheets.add("其他", after=book.sheets[1])
    book.sheets["续保清单"].cells[(30, 1)] = "旧内容"
    place_report(xb, Report([Sheet("续保清单", [Table(pd.DataFrame({"保单号": ["P009"]}))], freeze=False)]))
    ws = book.sheets["续保清单"]
    assert xb.sheet_names() == ["保单台账", "续保清单", "其他"]
    assert ws.cells == {(1, 1): "保单号", (2, 1): "P009"} and xb.has_marker("续保清单")
    assert len(ws.tables) == 0 and len(ws.charts) == 0


@pytest.fixture
def core_macros(monkeypatch):
    """A stand-in ``renewal_xl.app.macros`` (written in the other worktree) and the caller book."""
    calls = []
    fake = types.ModuleType("renewal_xl.app.macros")

    def generate_renewal_list(book, today=None):
        calls.append(("generate_renewal_list", book))
        frame = book.read_frame("保单台账")
        return place_report(book, Report([Sheet("续保清单", [Table(frame[["保单号"]])])])) + [
            f"续保清单: {len(frame)} 张保单"
        ]

    def monthly_review(book, today=None):
        raise InputError("end_date", "#N/A", "单元格为错误值")

    def check_data(book, today=None):
        return [f"第{i}行 有问题" for i in range(25)]

    def commission_statement(book, today=None):
        raise ZeroDivisionError("张三")

    for f in (generate_renewal_list, monthly_review, check_data, commission_statement):
        setattr(fake, f.__name__, f)
    monkeypatch.setitem(sys.modules, "renewal_xl.app.macros", fake)
    book = register_book()
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    return book, calls


def test_macro_runs_on_the_calling_book_and_shows_its_messages(core_macros):
    book, calls = core_macros
    assert udfs.generate_renewal_list() is None
    ((name, xb),) = calls
    assert name == "generate_renewal_list" and isinstance(xb, XlBook) and xb.book is book
    assert book.sheets["续保清单"].row(3) == ["P002"]
    assert book.app.alerts == [("续保清单: 2 张保单", "renewal-xl 续保")]


def test_macro_errors_are_shown_as_short_chinese_text(core_macros):
    book, _ = core_macros
    udfs.monthly_review()
    udfs.commission_statement()
    assert [a[0] for a in book.app.alerts] == [
        "未完成: 终保日期 end_date=#N/A: 单元格为错误值",
        "#错误 内部错误 (ZeroDivisionError), 请联系管理员查看日志",
    ]


def test_long_message_lists_are_cut_in_the_message_box(core_macros):
    book, _ = core_macros
    udfs.check_data()
    lines = book.app.alerts[0][0].splitlines()
    assert len(lines) == 21 and lines[0] == "第0行 有问题" and lines[-1] == "… 另有 5 条, 详见报表工作表"


def test_marker_is_a_sheet_scoped_name():
    book = register_book()
    XlBook(book).write_sheet(Sheet("续保汇总", [Table(pd.DataFrame({"a": [1]}))]), replace=False)
    assert [n.name for n in book.sheets["续保汇总"].names] == [f"'续保汇总'!{MARKER_NAME}"]
