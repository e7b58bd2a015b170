"""Page setup and style of report sheets: the XML each renderer writes (XlsxWriter for the
command line, openpyxl for macros without Excel), the xlwings renderer on the fake Excel,
and one look for all three (same cells, bold, fills, widths, freeze, charts, print)."""

import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from fake_excel import FakeBook
from workbook_snapshot import snapshot

from renewal_xl.render.openpyxl_book import OpenpyxlBook, render
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.layout import chart_anchors
from renewal_xl.reports.spec import Chart, Page, Report, Sheet, Table
from udfs.xlbook import XL_LANDSCAPE, XL_PORTRAIT, XL_TOP, XlBook


def report() -> Report:
    """A list sheet (frozen header, total row, chart) and a notice sheet (wrapped, one row a page)."""
    people = pd.DataFrame({"业务员": ["张伟", "李娜", "合计"], "件数": [3, 1, 4], "保费": [3253.15, 800.0, 4053.15]})
    letters = pd.DataFrame(
        {"客户名称": ["甲公司", "乙", "丙"], "通知内容": ["尊敬的客户: 您的保单即将到期" * 3, "短", "请 & 续保"]}
    )
    return Report(
        [
            Sheet(
                "续保汇总",
                [Table(people, formats={"保费": "#,##0.00"}, total=True)],
                notes=["续保汇总 2027-01-01 至 2027-01-31", "第二行"],
                charts=[Chart("bar", "件数", 0, "业务员", "件数")],
            ),
            Sheet(
                "续保通知",
                [Table(letters, wrap={"通知内容": 30})],
                notes=["续保通知 3 份 & 热线"],
                page=Page(landscape=False, break_rows=True),
            ),
        ]
    )


def written(tmp_path, how: str):
    """The report as XlsxWriter ("xlsx"), the openpyxl Book ("openpyxl") or openpyxl's
    write-only mode ("write-only") writes it."""
    path = tmp_path / f"{how}.xlsx"
    if how == "xlsx":
        write_report(report(), path)
    elif how == "write-only":  # openpyxl's streaming mode: row heights and styles before the rows
        book = openpyxl.Workbook(write_only=True)
        for sheet in report().sheets:
            render(book.create_sheet(sheet.name), sheet)
        book.save(path)
    else:
        blank = openpyxl.Workbook()
        blank.active.title = "台账"
        blank.save(path)
        book = OpenpyxlBook(path)
        for sheet in report().sheets:
            book.write_sheet(sheet, replace=False)
        book.workbook.remove(book.workbook["台账"])
        book.save()
    return path


def sheet_xml(path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def workbook_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/workbook.xml").decode()


def attrs(xml: str, element: str) -> dict[str, str]:
    match = re.search(rf"<{element}\b([^>]*)/?>", xml)
    assert match, f"no <{element}>"
    return dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))


@pytest.mark.parametrize("how", ["xlsx", "openpyxl", "write-only"])
def test_every_sheet_prints_a4_one_page_wide_with_title_and_page_numbers(tmp_path, how):
    path = written(tmp_path, how)
    summary, notices = sheet_xml(path, 1), sheet_xml(path, 2)
    for xml, orientation in ((summary, "landscape"), (notices, "portrait")):
        setup = attrs(xml, "pageSetup")
        assert setup["paperSize"] == "9" and setup["orientation"] == orientation
        assert setup.get("fitToWidth", "1") == "1" and setup["fitToHeight"] == "0"
        assert attrs(xml, "pageSetUpPr")["fitToPage"] in ("1", "true")
        assert "<oddFooter>&amp;C第 &amp;P 页, 共 &amp;N 页</oddFooter>" in xml
    assert "<oddHeader>&amp;L续保汇总 2027-01-01 至 2027-01-31&amp;R&amp;A</oddHeader>" in summary
    assert "<oddHeader>&amp;L续保通知 3 份 &amp;&amp; 热线&amp;R&amp;A</oddHeader>" in notices  # & doubled


@pytest.mark.parametrize("how", ["xlsx", "openpyxl", "write-only"])
def test_the_frozen_header_row_repeats_and_notices_break_a_page_per_customer(tmp_path, how):
    path = written(tmp_path, how)
    found = re.findall(
        r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d)">([^<]*)</definedName>', workbook_xml(path)
    )
    titles = sorted((sheet, ref.replace("'", "")) for sheet, ref in found)  # quoting the name is optional
    # summary: notes on rows 1–2, blank row 3, header row 4; notices: one note, header row 3
    assert titles == [("0", "续保汇总!$4:$4"), ("1", "续保通知!$3:$3")]
    notices = sheet_xml(path, 2)
    # data rows 4–6: a page ends after rows 4 and 5
    assert re.findall(r'<brk id="(\d+)"', notices) == ["4", "5"] and "<brk" not in sheet_xml(path, 1)


@pytest.mark.parametrize("how", ["xlsx", "openpyxl", "write-only"])
def test_totals_are_bold_and_wrapped_notice_rows_are_tall_and_top_aligned(tmp_path, how):
    book = openpyxl.load_workbook(written(tmp_path, how))
    summary, notices = book["续保汇总"], book["续保通知"]
    assert [summary.cell(7, c).font.b for c in (1, 2, 3)] == [True] * 3  # 合计 on row 7
    assert not summary["A6"].font.b and summary["C7"].number_format == "#,##0.00"
    assert notices["B4"].alignment.wrap_text and notices["B4"].alignment.vertical == "top"
    assert notices["A4"].alignment.vertical == "top" and not notices["A4"].alignment.wrap_text
    assert notices.column_dimensions["B"].width == 30.7109375  # 30 characters, as Excel stores it
    # 84 narrow-character widths (CJK counts 2) on 28 a line: 3 lines of 15 points + 3.75; a short notice: one line
    assert notices.row_dimensions[4].height == 48.75 and notices.row_dimensions[5].height == 18.75


@pytest.mark.parametrize("how", ["openpyxl", "write-only"])
def test_both_file_renderers_draw_the_same_sheet(tmp_path, how):
    a, b = written(tmp_path, "xlsx"), written(tmp_path, how)
    assert snapshot(a) == snapshot(b)  # cells, formats, bold, fills, freeze, filter, widths
    books = openpyxl.load_workbook(a), openpyxl.load_workbook(b)
    for name in ("续保汇总", "续保通知"):
        x, y = (book[name] for book in books)
        assert x.print_title_rows == y.print_title_rows
        assert (x.oddHeader.left.text, x.oddFooter.center.text) == (y.oddHeader.left.text, y.oddFooter.center.text)
        assert [r.id for r in x.row_breaks.brk] == [r.id for r in y.row_breaks.brk]
        assert {k: d.height for k, d in x.row_dimensions.items() if d.height} == {
            k: d.height for k, d in y.row_dimensions.items() if d.height
        }
    charts = [[(c.anchor._from.row, c.anchor._from.col) for c in book["续保汇总"]._charts] for book in books]
    assert charts[0] == charts[1] == [(3, 4)]  # beside the table: row 4, column E (0-based 3, 4)


def test_charts_go_beside_their_table_and_below_each_other():
    tall = pd.DataFrame({"业务员": [f"人{i}" for i in range(30)], "件数": range(30)})
    small = pd.DataFrame({"原因": ["价格"], "件数": [1]})
    wide = pd.DataFrame({f"列{i}": [1] for i in range(9)})
    sheet = Sheet(
        "续保分析",
        [Table(tall, title="按业务员"), Table(small, title="原因"), Table(wide, title="明细")],
        charts=[Chart("bar", "件数", 0, "业务员", "件数"), Chart("pie", "原因", 1, "原因", "件数")],
    )
    # tables: title 1, rows 2–32; title 34, rows 35–36; title 38, rows 39–40
    # the bar chart at row 1, right of the 2-column table; the pie (18 rows below) crosses the wide table
    assert [(c.kind, row, col) for c, row, col in chart_anchors(sheet)] == [("bar", 1, 4), ("pie", 34, 11)]


def test_the_excel_renderer_sets_the_same_page_setup_and_look_through_com():
    book = FakeBook("台账")
    xb = XlBook(book)
    for sheet in report().sheets:
        xb.write_sheet(sheet, replace=False)
    summary, notices = book.sheets["续保汇总"], book.sheets["续保通知"]
    setup = summary.api.PageSetup
    assert (setup.PaperSize, setup.Orientation, setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall) == (
        9,
        XL_LANDSCAPE,
        False,
        1,
        False,
    )
    assert setup.LeftHeader == "续保汇总 2027-01-01 至 2027-01-31" and setup.RightHeader == "&A"
    assert setup.CenterFooter == "第 &P 页, 共 &N 页" and setup.PrintTitleRows == "$4:$4"
    assert notices.api.PageSetup.Orientation == XL_PORTRAIT and notices.page_breaks == [5, 6]  # above rows 5, 6
    # the same look as the file renderers: first note, header (filled) and total row bold
    assert {(1, 1), (4, 1), (7, 1), (7, 3)} <= summary.bold and (6, 1) not in summary.bold
    assert summary.fills[(4, 1)] == (0xDD, 0xEB, 0xF7)
    assert (4, 2) in notices.wrapped and (4, 1) not in notices.wrapped and notices.valign[(4, 1)] == XL_TOP
    # the header row (3) on two lines: 客户名称 (8 wide) wraps in its column of 8 fitted to 甲公司 (6) + 2
    assert notices.row_heights == {3: 33.75, 4: 48.75, 5: 18.75, 6: 18.75} and notices.column_widths[2] == 30
    assert (3, 1) in notices.wrapped and (3, 2) in notices.wrapped  # header cells wrap
    (chart,) = summary.charts
    assert (chart.anchor.r1, chart.anchor.c1) == (4, 5) and (chart.width, chart.height) == (480, 240)
