"""The jetxl renderer of the priced register draws what the XlsxWriter renderer draws (cells,
types, number formats, quote prefixes, notes, bold shaded header, widths, freeze pane,
filter, page setup, repeated header row, marker), read back with openpyxl; a report with a
cell jetxl cannot hold goes to the rust writer instead."""

import datetime as dt
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registers import D, policy, register
from test_arrow_writer import CELL, _cells, renewal_list
from workbook_snapshot import snapshot

from renewal_xl.io import zip_parts
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.render import arrow_writer, jet_writer, jet_xml
from renewal_xl.render.xlsx_writer import engine_for, write_report
from renewal_xl.reports.layout import column_widths, header_height, layout, row_heights
from renewal_xl.reports.price import price_report
from renewal_xl.reports.spec import Page, Report, Sheet, Table, Validation
from renewal_xl.workflow.renewal_quote import price_renewals

pytestmark = pytest.mark.skipif(
    not (jet_writer.available() and arrow_writer.available()), reason="jetxl or rvgsrust-xlsxwriter missing"
)


def _drawn(path):
    """What :func:`test_arrow_writer._cells` reads, without the blank cells that carry only
    their column's look (number format, wrap, alignment): jetxl writes every blank cell of a
    styled column with its style, XlsxWriter and the rust writer only those of the columns
    people fill in; nothing shows and nothing reads a value either way."""
    sheets = _cells(path)
    for k in range(0, len(sheets), 2):
        title, cells, *rest = sheets[k]
        sheets[k] = (title, [c for c in cells if c[1] is not None or any(c[3:6])], *rest)
    return sheets


def _seen(path) -> dict:
    """:func:`snapshot` of ``path`` without the blank cells that carry only their column's
    look (see :func:`_drawn`)."""
    book = snapshot(path)
    for name in book["sheets"]:
        cells = book[name]["cells"]
        book[name]["cells"] = {k: v for k, v in cells.items() if v[0] is not None or v[2] or v[3] or v[4]}
    return book


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
        sheet = book.read(jet_writer.SHEET_PART.format(1)).decode()
    assert jet_xml.MARKER not in styles and 'quotePrefix="1"' in styles
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
        assert plain.read(jet_writer.SHEET_PART.format(1)) == fast.read(jet_writer.SHEET_PART.format(1))


def test_the_copied_sheet_part_is_checked_against_its_crc():
    import io

    import jetxl
    import pyarrow as pa

    data = jetxl.write_sheet_arrow_to_bytes(pa.table({"a": ["x", "y"]}))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo(jet_writer.SHEET_PART.format(1))
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
    assert _drawn(tmp_path / "j.xlsx") == _drawn(tmp_path / "r.xlsx")


def test_large_reports_of_plain_tables_go_to_jetxl_others_to_the_rust_writer():
    rows = arrow_writer.LARGE_CELLS // 2
    frame = pd.DataFrame({"a": np.arange(rows), "b": np.ones(rows)})
    assert engine_for(Report([Sheet("清单", [Table(frame)])])) == "jetxl"
    checked = Table(frame, validations={"b": Validation(choices=("是", "否"), title="t", error="e")}, total=True)
    assert engine_for(Report([Sheet("清单", [checked]), Sheet("说明", [], notes=["只有说明"])])) == "jetxl"
    assert engine_for(Report([Sheet("清单", [Table(frame), Table(frame)])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame)], notes=["=危险"])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame, title="标题")])])) == "rust"
    assert engine_for(Report([Sheet("清单", [Table(frame)]), Sheet("空", [Table(frame.iloc[:0])])])) == "rust"


def _rust_and_jet(report, tmp_path, marker=True):
    write_report(report, tmp_path / "r.xlsx", marker=marker, engine="rust")
    write_report(report, tmp_path / "j.xlsx", marker=marker, engine="jetxl")
    return tmp_path / "r.xlsx", tmp_path / "j.xlsx"


def test_the_renewal_lists_are_drawn_by_jetxl_as_the_rust_writer_draws_them(tmp_path, monkeypatch):
    """Every sheet of 续保清单: the follow-up drop-downs and date check with the formatted
    blank 联系日期 cells, the wrapped 打印清单 on top-aligned rows of their heights, the bold
    合计 row of 续保汇总, the notices one a page, 续保方案; odd register text; a failed quote."""
    report = renewal_list()
    monkeypatch.setattr(arrow_writer, "LARGE_CELLS", 100)  # as large as the 10^6-row lists
    assert engine_for(report) == "jetxl"
    rust, jet = _rust_and_jet(report, tmp_path)
    assert _seen(jet) == _seen(rust)
    assert _drawn(jet) == _drawn(rust)
    book = snapshot(jet)
    assert len(book["sheets"]) == 8
    lists = book["续保清单"]
    checks = {v[0]: v[1:4] for v in lists["validations"]}
    assert checks["AD6:AD9"] == ("date", "36526", "73050") and checks["AA6:AA9"][0] == "list"
    assert lists["cells"]["AD6"] == (None, "yyyy-mm-dd", False, None, False, False, None)  # a blank input cell
    assert lists["print_titles"] == ("$5:$5", "$A:$B") and lists["names"] == ["RenewalXL_Generated"]
    printed = book["打印清单"]
    assert printed["cells"]["C7"][4:] == (False, True, "top") and printed["heights"][7] > 18.75  # the long name wraps
    total = book["续保汇总"]["cells"]
    assert total["A8"][:3] == ("合计", "General", True) and total["B8"][1:3] == ("0", True)
    assert book["续保通知"]["page"][-1] == [4, 5, 6]  # one notice a page


def test_a_sheet_of_notes_only_and_quoted_cells_in_wrapped_and_total_rows(tmp_path):
    frame = pd.DataFrame(
        {
            "业务员": ["张伟", "=李娜", "@合计"],
            "金额": [1.5, None, 3.75],
            "说明": ["短", "一二三四五六七八九十" * 4, None],
        }
    )
    wrapped = Table(frame, formats={"金额": "#,##0.00"}, total=True, wrap={"说明": 12.0})
    report = Report(
        [
            Sheet("汇总", [wrapped], notes=["说明 & <标题>", " 第二行 "], page=Page(landscape=False), title="页眉"),
            Sheet("无热线", [], notes=["未设置客服热线"], freeze=False),
        ]
    )
    assert jet_writer.renders(report)
    rust, jet = _rust_and_jet(report, tmp_path)
    assert _seen(jet) == _seen(rust)
    assert _drawn(jet) == _drawn(rust)
    cells = snapshot(jet)["汇总"]["cells"]
    assert cells["A6"] == ("=李娜", "General", False, None, True, False, "top")  # quoted, never a formula
    assert cells["A7"] == ("@合计", "General", True, None, True, False, "top")  # the total row, bold and quoted
    assert cells["B6"] == (None, "#,##0.00", False, None, False, False, "top")  # blank, in its column's look
    assert cells["A2"][0] == " 第二行 "
    assert snapshot(jet)["无热线"]["cells"] == {"A1": ("未设置客服热线", "General", True, None, False, False, None)}


def test_a_report_jetxl_does_not_draw_goes_to_the_rust_writer(tmp_path):
    frame = pd.DataFrame({"保单号": ["P1", "P2"], "金额": [1.0, 2.0]})
    report = Report([Sheet("表", [Table(frame, title="标题")]), Sheet("二", [Table(frame)])])
    assert not jet_writer.renders(report)
    assert not jet_writer.write_report(report, tmp_path / "none.xlsx", "", "")
    rust, jet = _rust_and_jet(report, tmp_path)
    assert _seen(jet) == _seen(rust)
    with zipfile.ZipFile(jet) as book:
        assert "xl/theme/theme1.xml" in book.namelist()  # rust_xlsxwriter's file (jetxl writes no theme)


SAFE_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=8).filter(
    lambda t: cell_text(t) == t and not needs_quote(t)
)
DATE = st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))
CHECK = Validation(choices=("已续保", "未续保"), error="请选择")


@st.composite
def _sheets(draw):
    """A report of one to three sheets: notes, a table (text, money, date, an input column)
    with or without a total row, wrapped columns, a drop-down, the header frozen; or notes only."""
    sheets = []
    for k in range(draw(st.integers(1, 3))):
        notes = draw(st.lists(SAFE_TEXT, max_size=3))
        if draw(st.integers(0, 4)) == 0:
            sheets.append(Sheet(f"说明{k}", [], notes=notes or ["说明"], freeze=False))
            continue
        rows = draw(
            st.lists(st.tuples(TEXT, MONEY, DATE, st.one_of(st.none(), st.just("已续保"))), min_size=1, max_size=8)
        )
        frame = pd.DataFrame(rows, columns=["甲", "金额", "日期", "状态"])
        frame["金额"] = frame["金额"].astype(float)
        table = Table(
            frame,
            formats={"金额": "#,##0.00", "日期": "yyyy-mm-dd"} | ({"状态": "@"} if draw(st.booleans()) else {}),
            validations={"状态": CHECK} if draw(st.booleans()) else {},
            total=draw(st.booleans()),
            wrap={"甲": 10.0} if draw(st.booleans()) else {},
        )
        sheets.append(Sheet(f"表{k}", [table], notes=notes, freeze=draw(st.booleans())))
    return Report(sheets)


def _heights(sheet: Sheet) -> dict[int, float]:
    """The row heights layout gives ``sheet``: a wrapped header's, the wrapped data rows'."""
    heights = {}
    for block in layout(sheet):
        heights |= row_heights(block)
        if height := header_height(block, column_widths(sheet)):
            heights[block.header_row] = height
    return heights


def _but_heights(book) -> list:
    """:func:`_drawn` of ``book`` without the row heights."""
    return [part if k % 2 == 0 else part[1:] for k, part in enumerate(_drawn(book))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_sheets())
def test_any_reports_of_plain_tables_are_drawn_alike(tmp_path, report):
    """Whatever the cells, notes, totals, wraps and drop-downs of several sheets, jetxl's file
    reads back as the rust writer's (a report jetxl cannot hold goes to the rust writer), and
    every row has the height layout gives it. The rust writer streams its rows and loses the
    height of a wrapped row without a cell (it writes the height to the last row again
    instead); XlsxWriter and jetxl keep it."""
    rust, jet = _rust_and_jet(report, tmp_path)
    drawn, expected = _seen(jet), _seen(rust)
    for sheet in report.sheets:
        assert drawn[sheet.name].pop("heights") == _heights(sheet)
        expected[sheet.name].pop("heights")
    assert drawn == expected
    assert _but_heights(jet) == _but_heights(rust)


def test_carriage_returns_and_escape_codes_are_written_as_the_rust_writer_writes_them(tmp_path):
    """Excel's XML keeps a carriage return as ``_x000D_`` (a plain one reads back as a line
    feed) and a literal ``_x000D_`` escaped once more; notes and cells alike."""
    frame = pd.DataFrame({"说明": ["x\ry", "a_x000D_b", "p\r\nq", "=\r"], "金额": [1.0, 2.0, 3.0, 4.0]})
    report = Report([Sheet("表", [Table(frame)], notes=["第一\r行", "_x0041_"])])
    assert jet_writer.renders(report)
    rust, jet = _rust_and_jet(report, tmp_path)
    assert _drawn(jet) == _drawn(rust) and _seen(jet) == _seen(rust)
    with zipfile.ZipFile(jet) as book:
        sheet = book.read(jet_writer.SHEET_PART.format(1)).decode()
    assert "\r" not in sheet and "x_x000D_y" in sheet and "a_x005F_x000D_b" in sheet and "_x005F_x0041_" in sheet


def test_text_quoted_for_a_character_the_xml_escapes_keeps_its_quote(tmp_path):
    """A text that needs Excel's quote prefix because of a character written as an escape
    code (a leading carriage return, ``_x000D_`` in the XML) is quoted as the rust writer
    quotes it, in a plain row and in a 合计 row (found by the property test above)."""
    for total in (False, True):
        frame = pd.DataFrame({"甲": ["\r", "\r=1", "普通"], "金额": [np.nan, 1.0, 2.0]})
        report = Report([Sheet("表0", [Table(frame, formats={"金额": "#,##0.00"}, total=total)])])
        rust, jet = _rust_and_jet(report, tmp_path)
        assert _seen(jet) == _seen(rust)
        assert openpyxl.load_workbook(jet)["表0"]["A2"].quotePrefix


@pytest.mark.parametrize("chunk", [4100, 5000])
def test_the_sheet_part_copied_in_any_chunks_is_the_same_part(tmp_path, monkeypatch, chunk):
    """The copy step cuts the inflated part into chunks and writes each as it comes, the last
    4 KiB held back for the tail: whatever the chunk size, the part written is the same."""
    frame = pd.DataFrame({"保单号": [f"P{k}" for k in range(600)], "金额": np.arange(600) / 4})
    report = Report([Sheet("表", [Table(frame, formats={"金额": "#,##0.00"})], notes=["说明"])])
    write_report(report, tmp_path / "whole.xlsx", engine="jetxl")
    monkeypatch.setattr(jet_writer, "_CHUNK", chunk)
    write_report(report, tmp_path / "cut.xlsx", engine="jetxl")
    with zipfile.ZipFile(tmp_path / "whole.xlsx") as whole, zipfile.ZipFile(tmp_path / "cut.xlsx") as cut:
        part = whole.read(jet_writer.SHEET_PART.format(1))
        assert len(part) > 3 * chunk  # several chunks, each cut before an element
        assert cut.read(jet_writer.SHEET_PART.format(1)) == part
