"""The rust_xlsxwriter renderer of large reports draws what the XlsxWriter renderer draws: the
same cells (values, types, number formats, quote prefixes, bold totals, wrapped and top-aligned
text), the same headers, notes and titles, freeze panes, filter, widths, row heights, data
validations, page setup (paper, orientation, fit, header and footer, repeated rows, page
breaks) and marker, read back with openpyxl."""

import datetime as dt
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registers import D, policy, register

from renewal_xl.render import arrow_writer
from renewal_xl.render.xlsx_writer import WRITER_SETTING, engine_for, write_report
from renewal_xl.reports.price import price_report
from renewal_xl.reports.renewals import renewals_report
from renewal_xl.reports.spec import Chart, Page, Report, Sheet, Table, Validation
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.renewal_quote import price_renewals

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
                *_alignment(c),
            )
            for row in ws.iter_rows()
            for c in row
            # XlsxWriter keeps "" as an empty text cell, rust_xlsxwriter leaves it blank; blank cells
            # that carry a format (the columns people fill in) are compared too
            if c.value not in (None, "") or c.number_format != "General" or c.alignment.vertical
        ]
        widths = {k: round(v.width, 1) for k, v in ws.column_dimensions.items()}
        out.append((ws.title, cells, ws.freeze_panes, ws.auto_filter.ref, widths, sorted(ws.defined_names)))
        out.append(_sheet_setup(ws))
    return out


def _alignment(c) -> tuple:
    return bool(c.alignment.wrap_text), c.alignment.vertical


def _sheet_setup(ws) -> tuple:
    """What a sheet holds besides its cells: row heights, validations, page setup."""
    heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height}
    checks = sorted(
        (
            str(v.sqref),
            v.type,
            v.operator,
            v.formula1,
            v.formula2,
            v.allow_blank,
            v.showErrorMessage,
            v.errorTitle,
            v.error,
        )
        for v in ws.data_validations.dataValidation
    )
    setup = ws.page_setup
    page = (
        setup.paperSize,
        setup.orientation,
        setup.fitToWidth,
        setup.fitToHeight,
        ws.sheet_properties.pageSetUpPr.fitToPage,
        setup.scale,
        tuple(getattr(ws.page_margins, side) for side in ("left", "right", "top", "bottom", "header", "footer")),
    )
    texts = (
        ws.oddHeader.left.text,
        ws.oddHeader.right.text,
        ws.oddFooter.center.text,
        ws.print_title_rows,
        ws.print_title_cols,
    )
    breaks = [b.id for b in ws.row_breaks.brk]
    return heights, checks, page, texts, breaks


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
    assert sheet["A7"] == ("=1+1", "General", True, False, None, False, None)  # text, never a formula
    assert sheet["B9"] == (3, "#,##0.00", False, False, None, False, None)
    # notes in rows 1-2, a blank row, the title in row 4, the bold shaded header in row 5
    assert sheet["A4"][0] == "标题" and sheet["A5"][0] == "保单号" and sheet["A5"][3:5] == (True, "solid")
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
    assert engine_for(_large()) == "jetxl"  # one plain table: tests/test_jet_writer.py
    assert engine_for(_large(notes=["=危险"])) == "rust"  # a note jetxl cannot quote
    assert engine_for(Report([Sheet("小", [Table(pd.DataFrame({"a": [1]}))])])) == "xlsxwriter"
    assert engine_for(_large(charts=[Chart("pie", "t", 0, "a", "b")])) == "xlsxwriter"
    assert engine_for(Report([Sheet("张三!", _large().sheets[0].tables)])) == "xlsxwriter"
    monkeypatch.setenv(WRITER_SETTING, "xlsxwriter")
    assert engine_for(_large()) == "xlsxwriter"


def _due(*rows):
    as_of = D(2026, 1, 20)
    return due_list(read_policies(register(*rows), default_tariff()), Window.of(as_of), as_of)


def renewal_list() -> Report:
    """The renewal lists of four policies due: two salespeople and one without, VIP, a
    formula-like customer name, a long one, a claim, a coverage whose quote fails."""
    start = D(2025, 2, 10)
    due = _due(
        policy("P1", 1, start, salesperson="张伟", vip="是"),
        policy("P2", 2, start, salesperson="李娜", customer="=HYPERLINK(1)", claims=1),
        policy("P3", 3, start, salesperson="张伟", coverage="周到", customer="欧阳" * 40),
        policy("P4", 4, start, salesperson="", coverage="坏的"),  # its quote fails
    )
    return renewals_report(due, "95500")


def test_the_renewal_list_is_drawn_alike_by_both_renderers(tmp_path):
    """Every sheet of 续保清单: follow-up drop-downs and the formatted blank 联系日期 cells,
    the bold 合计 row of 续保汇总, the wrapped notices one a page, 续保方案; odd register text."""
    report = renewal_list()
    assert arrow_writer.renders(report)
    xlsxwriter_cells, rust_cells = _both(report, tmp_path)
    assert rust_cells == xlsxwriter_cells
    sheets = dict(zip([c[0] for c in rust_cells[::2]], rust_cells[1::2]))
    heights, checks, page, texts, breaks = sheets["续保通知"]
    assert breaks == [4, 5, 6] and page[:2] == (9, "landscape") and texts[2] == "第 &P 页, 共 &N 页"
    assert max(heights.values()) > 18.75  # the long notice takes more than one line
    assert len(sheets["续保清单"][1]) == 3  # 跟进状态, 脱保原因 (lists) and 联系日期 (dates)


def test_totals_wrapped_columns_and_validations_alike(tmp_path):
    frame = pd.DataFrame(
        {
            "业务员": ["张伟", "=李娜", "合计"],
            "金额": [1.5, 2.25, 3.75],
            "日期": [dt.date(2026, 1, 2), None, dt.date(2026, 1, 3)],
            "说明": ["短", "一二三四五六七八九十" * 4, None],
            "状态": [None, None, None],
        },
    )
    check = Validation(choices=("已续保", "未续保"), error="请选择")
    dates = Validation(dates=(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), error="日期")
    table = Table(
        frame,
        formats={"金额": "#,##0.00", "状态": "yyyy-mm-dd"},
        validations={"状态": dates, "业务员": check},
        total=True,
        wrap={"说明": 20.0},
    )
    report = Report(
        [
            Sheet("汇总", [table], notes=["说明 & 标题"], page=Page(landscape=False, break_rows=True), title="页眉"),
            Sheet("空", [], notes=["没有数据"], freeze=False),
        ]
    )
    xlsxwriter_cells, rust_cells = _both(report, tmp_path)
    assert rust_cells == xlsxwriter_cells
    cells = {c[0]: c[1:] for c in rust_cells[0][1]}
    assert cells["A6"][3] and cells["B6"][:4] == (3.75, "#,##0.00", False, True)  # the bold total row
    assert cells["D4"][5:] == (True, "top") and cells["A4"][5:] == (False, "top")  # wrapped, top-aligned
    assert cells["E4"] == (None, "yyyy-mm-dd", False, False, None, False, "top")  # a blank input cell, formatted
    heights, checks, page, texts, breaks = rust_cells[1]
    assert page[:2] == (9, "portrait") and texts[:2] == ("页眉", "&A") and breaks == [4, 5]
    assert [c[1] for c in checks] == ["list", "date"]


def test_the_priced_register_is_drawn_alike_with_its_page_setup(tmp_path):
    reg = register(*[policy(f"P{k}", k, D(2025, 2, 10)) for k in range(1, 6)])
    report = price_report(reg, price_renewals(reg.frame, today=D(2026, 1, 20)))
    xlsxwriter_cells, rust_cells = _both(report, tmp_path)
    assert rust_cells == xlsxwriter_cells
    assert rust_cells[1][2][:2] == (9, "landscape") and rust_cells[1][3][3] == "$3:$3"  # the header row on every page


def test_input_columns_of_blanks_and_text_stream_with_their_formatted_blanks(tmp_path):
    """A validated column with a format that holds only blanks (the lists' 联系日期) or text no
    longer keeps its sheet in memory: its blank cells are written formatted with the data,
    the total row's too; a column holding dates still goes as a range before the data."""
    dates = Validation(dates=(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), error="日期")
    frame = pd.DataFrame(
        {"客户": ["张三", "李四", "合计"], "联系日期": [None, np.nan, None], "跟进记录": ["已联系", None, None]}
    )
    table = Table(
        frame, formats={"联系日期": "yyyy-mm-dd", "跟进记录": "@"}, validations={"联系日期": dates}, total=True
    )
    sheet = Sheet("续保清单", [table])
    assert arrow_writer.streamed(sheet)
    filled = Table(
        frame.assign(联系日期=[dt.date(2026, 1, 2), None, None]), formats=table.formats, validations=table.validations
    )
    assert not arrow_writer.streamed(Sheet("续保清单", [filled]))
    write_report(Report([sheet]), tmp_path / "rust.xlsx", engine="rust")
    with zipfile.ZipFile(tmp_path / "rust.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert 't="inlineStr"' in xml  # constant memory: rust_xlsxwriter writes text inline
    ws = openpyxl.load_workbook(tmp_path / "rust.xlsx")["续保清单"]
    # rows 2-3 are data, row 4 the total: every 联系日期 cell is a blank formatted as a date
    assert [(ws[f"B{r}"].value, ws[f"B{r}"].number_format) for r in (2, 3, 4)] == [(None, "yyyy-mm-dd")] * 3


@pytest.mark.parametrize("dtype", ["object", "str", "arrow"])
def test_a_text_column_gives_the_same_cells_whatever_holds_it(dtype):
    """Register text comes as Arrow text (pandas ``str`` or ``ArrowDtype``, read by the
    register reader) or Python objects: the same array and the same cells to write one by one
    (formula-like text for the quote prefix, an error-like text)."""
    import pyarrow as pa

    texts = ["=A1", "张三", None, "#N/A", "x"]
    held = pd.ArrowDtype(pa.string()) if dtype == "arrow" else dtype
    array, fmt, odd = arrow_writer.column(pd.Series(texts, dtype=held), None)
    assert array.to_pylist() == [None, "张三", None, None, "x"] and fmt is None
    assert odd == [(0, "=A1"), (3, "#N/A")]


def test_a_wrapped_table_writes_each_row_once(tmp_path):
    """Wrapped rows have heights; the rust writer's constant-memory mode wrote the last one
    twice (``<row r="4">`` then ``<row r="4" .../>``), which Excel reports as damaged: such a
    sheet is not streamed."""
    import re
    import zipfile

    frame = pd.DataFrame({"客户": ["甲", "乙" * 30, "丙" * 30], "金额": [1.0, 2.0, 3.0]})
    report = Report([Sheet("打印", [Table(frame, wrap={"客户": 8.0})], notes=["说明"])])
    write_report(report, tmp_path / "r.xlsx", engine="rust")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        rows = [int(n) for n in re.findall(rb'<row r="(\d+)"', z.read("xl/worksheets/sheet1.xml"))]
    assert rows == sorted(set(rows)) and rows[-1] == 6  # notes, header on row 3, three rows


TEXTS = st.lists(
    st.one_of(
        st.none(), st.text(max_size=5), st.sampled_from(["=1", "+86", "-", "@a", "#N/A", "a\x07", "正常", "_x000D_"])
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 3), st.booleans(), st.booleans())
def test_careful_texts_are_found_from_the_bytes_as_the_regex_finds_them(texts, cut, large, chunked):
    """The byte look of ``_careful`` and of ``jet_xml.escape_codes`` gives what the regexes
    over every text give: any texts, blanks, sliced, large or chunked arrays."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from renewal_xl.render import jet_xml

    array = pa.array(texts, pa.large_string() if large else pa.string()).slice(min(cut, len(texts)))
    if chunked:
        array = pa.chunked_array([array[: len(array) // 2], array[len(array) // 2 :]], type=array.type)
    assert (
        arrow_writer._careful(array).to_pylist() == pc.match_substring_regex(array, arrow_writer._CAREFUL).to_pylist()
    )
    assert (
        jet_xml.escape_codes(array).to_pylist()
        == pc.replace_substring_regex(array, jet_xml._ESCAPE, r"_x005F_\1").to_pylist()
    )
