"""The jetxl renderer of the priced register draws what the XlsxWriter renderer draws (cells,
types, number formats, quote prefixes, notes, bold shaded header, widths, freeze pane,
filter, page setup, repeated header row, marker), read back with openpyxl; a report with a
cell jetxl cannot hold goes to the rust writer instead."""

import datetime as dt
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registers import D, policy, register
from test_arrow_writer import CELL, _cells

from renewal_xl.io import zip_parts
from renewal_xl.render import arrow_writer, jet_writer
from renewal_xl.render.xlsx_writer import engine_for, write_report
from renewal_xl.reports.price import price_report
from renewal_xl.reports.spec import Page, Report, Sheet, Table, Validation
from renewal_xl.workflow.renewal_quote import price_renewals

pytestmark = pytest.mark.skipif(
    not (jet_writer.available() and arrow_writer.available()), reason="jetxl or rvgsrust-xlsxwriter missing"
)


def _drawn(path):
    """What :func:`test_arrow_writer._cells` reads, without blank cells that carry only their
    column's number format (jetxl writes a blank cell of a formatted column with its style;
    XlsxWriter leaves it out: nothing shows and nothing reads a value either way)."""
    sheets = _cells(path)
    for k in range(0, len(sheets), 2):
        title, cells, *rest = sheets[k]
        kept = [c for c in cells if c[1] is not None or any(c[3:6]) or c[6] or c[7]]
        sheets[k] = (title, kept, *rest)
    return sheets


def _both(report, tmp_path, marker=True):
    write_report(report, tmp_path / "x.xlsx", marker=marker, engine="xlsxwriter")
    write_report(report, tmp_path / "j.xlsx", marker=marker, engine="jetxl")
    return _drawn(tmp_path / "x.xlsx"), _drawn(tmp_path / "j.xlsx")


def test_the_priced_register_is_drawn_by_jetxl_as_xlsxwriter_draws_it(tmp_path):
    reg = register(
        *[policy(f"P{k}", k, D(2025, 2, 10)) for k in range(1, 6)],
        policy("=P6", 6, D(2025, 2, 10), customer="#N/A"),  # formula-like and error-like text
        policy("P7", 7, D(2025, 2, 10), coverage="坏的"),  # its quote fails: blank quote cells, 报价说明
    )
    report = price_report(reg, price_renewals(reg.frame, today=D(2026, 1, 20)))
    assert jet_writer.renders(report)
    xlsxwriter_cells, jet_cells = _both(report, tmp_path)
    assert jet_cells == xlsxwriter_cells
    cells = dict((c[0], c[1:]) for c in jet_cells[0][1])
    assert cells["A9"][:3] == ("=P6", "General", True)  # text with Excel's quote prefix, never a formula
    assert cells["A4"][:3] == ("P1", "General", False)
    assert jet_cells[0][2:4] == ("A4", f"A3:{jet_cells[0][1][-1][0]}")  # header frozen and filtered
    # A4 landscape at a fixed scale of 60 % or more, 保单号 and the header row on every page
    paper, orientation, _, _, fit, scale, margins = jet_cells[1][2]
    assert (paper, orientation, fit) == (9, "landscape", None) and scale >= 60 and margins[:2] == (0.4, 0.4)
    assert jet_cells[1][3][3:] == ("$3:$3", "$A:$A")
    with zipfile.ZipFile(tmp_path / "j.xlsx") as book:
        styles = book.read("xl/styles.xml").decode()
        sheet = book.read(jet_writer.SHEET_PART).decode()
    assert "renewal-xl-quote-prefix" not in styles and 'quotePrefix="1"' in styles
    assert 'activePane="bottomLeft"' in sheet and sheet.endswith("</headerFooter></worksheet>")


def test_careful_text_columns_and_page_breaks(tmp_path):
    frame = pd.DataFrame(
        {
            "保单号": ["P1", "=1+1", None, "#N/A", "A\x07B", "x" * 40_000, "+86", "@x", ""],
            "金额": [1.5, None, 3, 4, 5, 6, 7, 8, 9],
            "日期": [dt.date(2026, 1, 2), None, *[dt.date(2026, 5, k) for k in range(1, 8)]],
        }
    )
    page = Page(landscape=False, break_rows=True)
    sheet = Sheet("续保 报价", [Table(frame, formats={"金额": "#,##0.00"})], notes=["说明一", "第二行"], page=page)
    xlsxwriter_cells, jet_cells = _both(Report([sheet]), tmp_path)
    assert jet_cells == xlsxwriter_cells
    heights, checks, setup, texts, breaks = jet_cells[1]
    assert setup[:2] == (9, "portrait") and breaks == list(range(5, 13))


def test_markup_characters_in_names_headers_notes_and_cells(tmp_path):
    frame = pd.DataFrame({"A<&>\"'": ["x<y&z", "]]>"], "金额 & 费": [1.0, 2.0]})
    notes = ['说明 <a> & "b"', "第二 & 行"]
    report = Report([Sheet("表 & <1>", [Table(frame, formats={"金额 & 费": "#,##0.00"})], notes=notes)])
    xlsxwriter_cells, jet_cells = _both(report, tmp_path)
    assert jet_cells == xlsxwriter_cells
    assert jet_cells[1][3][:4] == ('说明 <a> && "b"', "&A", "第 &P 页, 共 &N 页", "$4:$4")


def test_a_long_header_wraps_on_a_taller_header_row_as_xlsxwriter_draws_it(tmp_path):
    frame = pd.DataFrame({"保单号": ["P1", "P2"], "原业务员原机构续保件数": [1.0, 2.0]})
    report = Report([Sheet("表", [Table(frame, formats={"原业务员原机构续保件数": "0"})], notes=["说明"])])
    assert jet_writer.renders(report)
    xlsxwriter_cells, jet_cells = _both(report, tmp_path)
    assert jet_cells == xlsxwriter_cells
    heights = jet_cells[1][0]
    assert 3 in heights and heights[3] > 15  # the header row (row 3) holds two lines
    header = dict((c[0], c[1:]) for c in jet_cells[0][1])["B3"]
    assert header[-2:] == (True, "top")  # wrapped, top-aligned


def test_without_isal_the_sheet_is_deflated_by_zlib_alike(tmp_path, monkeypatch):
    frame = pd.DataFrame({"保单号": ["P1", "=1+1", "P3"], "金额": [1.0, 2.0, 3.0]})
    report = Report([Sheet("表", [Table(frame, formats={"金额": "#,##0.00"})], notes=["说明"])])
    write_report(report, tmp_path / "isal.xlsx", engine="jetxl")
    monkeypatch.setattr(zip_parts, "isal", None)  # as without python-isal
    write_report(report, tmp_path / "zlib.xlsx", engine="jetxl")
    assert _drawn(tmp_path / "zlib.xlsx") == _drawn(tmp_path / "isal.xlsx")
    with zipfile.ZipFile(tmp_path / "zlib.xlsx") as plain, zipfile.ZipFile(tmp_path / "isal.xlsx") as fast:
        assert plain.testzip() is None and fast.testzip() is None
        assert plain.read(jet_writer.SHEET_PART) == fast.read(jet_writer.SHEET_PART)


def test_the_copied_sheet_part_is_checked_against_its_crc():
    import io

    import jetxl
    import pyarrow as pa

    data = jetxl.write_sheet_arrow_to_bytes(pa.table({"a": ["x", "y"]}))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo(jet_writer.SHEET_PART)
        text = b"".join(zip_parts.chunks(book, info, 1 << 20))
        assert text == book.read(info) and text.endswith(b"</worksheet>")
        info.CRC ^= 1
        with pytest.raises(zipfile.BadZipFile):
            b"".join(zip_parts.chunks(book, info, 1 << 20))


TEXT = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["=SUM(A1)", "-5 元", "@x", "#DIV/0!", " 张三 "]))


MONEY = st.one_of(st.just(float("nan")), st.integers(-(10**13), 10**13).map(lambda n: n / 100))  # as Excel keeps them


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, CELL, MONEY), min_size=1, max_size=12))
def test_any_cells_are_drawn_alike(tmp_path, rows):
    """Text columns go to jetxl; a column of mixed kinds leaves the report to the rust writer:
    either way the cells are XlsxWriter's."""
    frame = pd.DataFrame(rows, columns=["甲", "乙", "丙"], dtype=object)
    frame["丙"] = frame["丙"].astype(float)
    report = Report([Sheet("表", [Table(frame, formats={"丙": "0.00"})], notes=["说明"])])
    xlsxwriter_cells, jet_cells = _both(report, tmp_path, False)
    assert jet_cells == xlsxwriter_cells


def test_a_cell_jetxl_cannot_hold_leaves_the_report_to_the_rust_writer(tmp_path):
    frame = pd.DataFrame({"保单号": ["P1", 2.5, "P3"], "金额": [1.0, 2.0, 3.0]}, dtype=object)
    report = Report([Sheet("表", [Table(frame)])])
    assert jet_writer.renders(report)
    assert not jet_writer.write_report(report, tmp_path / "none.xlsx", "", "")
    assert not (tmp_path / "none.xlsx").exists()
    write_report(report, tmp_path / "j.xlsx", engine="jetxl")
    write_report(report, tmp_path / "r.xlsx", engine="rust")
    assert _cells(tmp_path / "j.xlsx") == _cells(tmp_path / "r.xlsx")


def test_large_plain_tables_go_to_jetxl_others_to_the_rust_writer():
    rows = arrow_writer.LARGE_CELLS // 2
    frame = pd.DataFrame({"a": np.arange(rows), "b": np.ones(rows)})
    assert engine_for(Report([Sheet("清单", [Table(frame)])])) == "jetxl"
    checked = Table(frame, validations={"b": Validation(choices=("是", "否"), title="t", error="e")})
    assert engine_for(Report([Sheet("清单", [checked])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame), Table(frame)])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame)], notes=["=危险"])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame, total=True)])])) == "rust"
