"""Every report and template sheet prints at a scale a person reads: at least 60 % on A4
(the default 11-point font at 6.6 points or more), computed from the .xlsx XML alone
(:mod:`print_scale`: column widths of the used columns and the charts, orientation, paper,
fitToPage, fitToWidth, scale, margins, the repeated columns), as LibreOffice prints it on a
machine without Calibri (columns 4/3 as wide as in Excel). A sheet too wide for one legible
page prints several pages wide at a fixed legible scale, its identity columns repeated."""

import html
import re
import statistics
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from print_scale import printed

from renewal_xl.cli.main import main
from renewal_xl.render.openpyxl_book import OpenpyxlBook
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.spec import Chart, Page, Report, Sheet, Table
from renewal_xl.templates import TEMPLATES, build_all

BAR = 60  # percent
SMALLEST_TEXT = 6.6  # points: 11-point text at 60 %


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The demo's workbooks (fewer policies than its default: the same sheets) and the templates."""
    out = tmp_path_factory.mktemp("print")
    result = CliRunner().invoke(
        main, ["demo", "--out", str(out / "demo"), "--policies", "400", "--as-of", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    build_all(out / "templates")
    return sorted((out / "demo").glob("*.xlsx")) + [out / "templates" / name for name in sorted(TEMPLATES)]


def test_every_demo_and_template_sheet_prints_legibly(workbooks):
    sheets = [(path.name, p) for path in workbooks for p in printed(path)]
    assert {name for name, _ in sheets} >= {"renewals.xlsx", "review.xlsx", "price.xlsx", "year.xlsx", "mix.xlsx"}
    small = [(name, p.sheet, p.scale) for name, p in sheets if p.scale < BAR or p.text_points < SMALLEST_TEXT]
    assert small == []
    assert len(sheets) > 40  # every sheet of 12 workbooks was looked at


def test_wide_sheets_print_several_pages_wide_with_their_identity_columns(workbooks):
    by_sheet = {(path.name, p.sheet): p for path in workbooks for p in printed(path)}
    # 44 columns of priced register: 保单号 on every page; the due list: 优先级 and 保单号
    assert by_sheet["price.xlsx", "续保报价"].repeat_columns == "A:A"
    assert by_sheet["renewals.xlsx", "续保清单"].repeat_columns == "A:B"
    assert by_sheet["register.xlsx", "保单台账"].repeat_columns == "A:A"
    for key in [("price.xlsx", "续保报价"), ("renewals.xlsx", "续保清单"), ("review.xlsx", "续保分析")]:
        p = by_sheet[key]
        assert p.pages_wide == 0 and p.content * p.scale / 100 > p.page  # a fixed scale, more than a page wide
        assert p.repeat_rows or key[1] == "续保分析"  # the list headers repeat; the review has no frozen table
    # narrow sheets stay one page wide
    assert (
        by_sheet["renewals.xlsx", "打印清单"].pages_wide == 1 and by_sheet["renewals.xlsx", "续保汇总"].pages_wide == 1
    )


def test_no_chart_is_cut_across_two_pages(workbooks):
    """The analysis sheets set every page end; none falls inside a chart's rows."""
    charted = [(path.name, p) for path in workbooks for p in printed(path) if p.drawings]
    assert {name for name, _ in charted} >= {"review.xlsx", "year.xlsx", "mix.xlsx"}
    for name, p in charted:
        cut = [(first, last, b) for first, last in p.drawings for b in p.breaks if first <= b < last]
        assert cut == [], (name, p.sheet)
    mix = next(p for name, p in charted if name == "mix.xlsx")
    assert len(mix.drawings) == 5 and mix.breaks  # five charts below their tables, on pages of their own rows


@st.composite
def wide_reports(draw):
    """A report sheet of 1–60 columns of headers and values 1–40 characters wide, with a
    chart or not, landscape or portrait, identity columns repeated or not."""
    n = draw(st.integers(1, 60))
    sizes = draw(st.lists(st.integers(1, 40), min_size=n, max_size=n))
    frame = pd.DataFrame({f"列{j}": ["x" * sizes[j], "y"] for j in range(n)})
    frame[frame.columns[-1]] = [1, 2]
    charts = [Chart("bar", "图", 0, frame.columns[0], frame.columns[-1])] if draw(st.booleans()) else []
    page = Page(landscape=draw(st.booleans()), repeat_columns=draw(st.integers(0, 2)))
    return Report([Sheet("表", [Table(frame)], notes=["说明"], charts=charts, page=page)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=wide_reports())
def test_a_table_of_any_width_prints_legibly_in_every_renderer(tmp_path, report):
    """XlsxWriter, the rust writer and openpyxl write the same page setup from one plan."""
    write_report(report, tmp_path / "x.xlsx", engine="xlsxwriter")
    write_report(report, tmp_path / "r.xlsx", engine="rust") if not report.sheets[0].charts else None
    write_report(Report([Sheet("空", [])]), tmp_path / "o.xlsx", marker=False)
    book = OpenpyxlBook(tmp_path / "o.xlsx")
    book.write_sheet(report.sheets[0], replace=False)
    book.save()
    found = [printed(tmp_path / "x.xlsx")[0], printed(tmp_path / "o.xlsx")[1]]
    if not report.sheets[0].charts:
        found.append(printed(tmp_path / "r.xlsx")[0])
    for p in found:
        assert p.scale >= BAR, p
    assert len({(p.pages_wide, p.repeat_columns, p.orientation) for p in found}) == 1, found
    # the same plan; a chart's right edge is stored by each writer in its own rounding
    assert max(p.scale for p in found) - min(p.scale for p in found) <= 2, found


def _pdf_pages(pdf) -> list[tuple[str, float]]:
    """(sheet name, page-header text height in points) of every page of a LibreOffice PDF:
    the header prints the sheet name on the right, and scales with the page."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for body in re.findall(r'<page width="[\d.]+" height="[\d.]+">(.*?)</page>', out, re.S):
        words = [
            (float(x0), float(y0), float(y1), html.unescape(text))
            for x0, y0, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', body
            )
        ]
        top = [w for w in words if w[1] < 50]  # the page header, inside the top margin
        name = max(top)[3] if top else ""
        pages.append((name, statistics.median(w[2] - w[1] for w in top) if top else 0.0))
    return pages


@pytest.mark.libreoffice
def test_libreoffice_prints_the_analysis_sheets_legibly_on_few_pages(workbooks, tmp_path):
    """The demo's renewal list, review and year report printed to PDF by LibreOffice: every
    page's text at 60 % or more of the 续保汇总 page's (which prints at 100 %), pages counted."""
    chosen = [p for p in workbooks if p.name in ("renewals.xlsx", "review.xlsx", "year.xlsx")]
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(p) for p in chosen],
        capture_output=True,
        timeout=600,
        check=True,
    )
    pages = {p.stem: _pdf_pages(tmp_path / f"{p.stem}.pdf") for p in chosen}
    full = max(h for name, h in pages["renewals"] if name == "续保汇总")  # one small table: 100 %
    scales = {(book, name): round(h / full * 100) for book, found in pages.items() for name, h in found if h}
    assert min(scales.values()) >= BAR - 1, scales  # the heights' own rounding: a point either way
    counts = {book: len(found) for book, found in pages.items()}
    # 400 policies: review and year a few pages (several wide); the list with its notices one per customer
    assert counts["review"] <= 12 and counts["year"] <= 8, counts
