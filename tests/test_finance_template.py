"""The templates grow with their users: formulas down the whole entry range and as Excel
table formulas, summaries over whole columns (rows past the old row-501 limit count), and
the finance template read by ``renewal-xl statements``."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from renewal_xl.cli.main import main
from renewal_xl.templates import build_all, finance, sales
from renewal_xl.templates.style import ENTRY_ROWS

LAST = ENTRY_ROWS + 1  # the last entry row with formulas, fills and drop-downs
BEYOND = 600  # a row past the entry range (and past the old summaries' row 501)

# rows a finance clerk adds to the template's ten samples: (row, typed cells A–G)
ADDED = [
    # AG002 (兼业代理) new: the agency's override 11 % → 10,000 × 0.11 = 1,100.00
    (12, ["PDAA2026420100111", "刘洋", "AG002", "兼业代理", "否", dt.date(2026, 11, 28), 10000]),
    # December: not in the month of November
    (13, ["PDAA2026420100113", "王芳", "AG001", "经纪", "否", dt.date(2026, 12, 1), 9000]),
    # 个人代理 renewal without an agency: 12 % → 2,000 × 0.12 = 240.00, group (直销/无)
    (BEYOND, ["PDAA2026420100112", "张伟", "", "个人代理", "是", dt.date(2026, 11, 30), 2000]),
]
# commissions of the ten samples (tariff manual §8 and the agency overrides):
# 101 专业代理 renewal AG003 (no override) 5,000 × 14 % = 700.00; 102 AG001 new 13 % → 650.00;
# 104 AG002 new 11 % × 8,000 = 880.00; 105 AG002 renewal 13 % × 3,253.15 = 422.9095 → 422.91;
# 107 个人代理 renewal 12 % × 4,212.37 = 505.4844 → 505.48; 108 AG001 renewal 15 % × 6,150.40 = 922.56;
# 110 AG004 专业代理 renewal 14 % × 5,187.10 = 726.194 → 726.19; 103, 106, 109 直销 → 0
SAMPLE_TOTAL = Decimal("4807.14")
AGENCIES = {  # agency: (new commission, renewal commission) of November, samples + ADDED
    "AG001": (Decimal("650.00"), Decimal("922.56")),
    "AG002": (Decimal("880.00") + Decimal("1100.00"), Decimal("422.91")),
    "AG003": (Decimal("0"), Decimal("700.00") + Decimal("505.48")),
    "AG004": (Decimal("0"), Decimal("726.19")),
    "(直销/无)": (Decimal("0"), Decimal("240.00")),
}
TOTAL = SAMPLE_TOTAL + Decimal("1100.00") + Decimal("240.00")  # 6,147.14


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    build_all(out)
    return out


def _fill(template: Path, out: Path, *, copy_formulas: bool) -> Path:
    """The finance template with ADDED typed in; the row past the entry range gets the
    formulas of the row above it when ``copy_formulas`` (what 说明 tells a LibreOffice user)."""
    book = openpyxl.load_workbook(template)
    ws = book[finance.POLICIES]
    for row, cells in ADDED:
        for j, value in enumerate(cells, start=1):
            ws.cell(row, j, value)
        if copy_formulas and row > LAST:
            for j in range(len(cells) + 1, len(finance.HEADERS) + 1):
                above = ws.cell(LAST, j).value
                ws.cell(row, j, above.replace(f"{LAST}", f"{row}"))
    book.save(out)
    return out


def test_entry_sheets_are_excel_tables_with_calculated_columns(built):
    with zipfile.ZipFile(built / finance.FILE) as z:
        tables = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/tables/table")}
    policies = next(t for t in tables.values() if 'displayName="Policies"' in t)
    assert f'ref="A1:J{LAST}"' in policies and f'<autoFilter ref="A1:J{LAST}"' in policies
    formulas = re.findall(r'<tableColumn id="(\d+)" name="([^"]+)"[^>]*>\s*<calculatedColumnFormula>([^<]+)<', policies)
    assert formulas == [
        ("8", "手续费率", 'IF($A2="","",COMMISSION_RATE(D2,E2,C2))'),
        ("9", "手续费", 'IF($A2="","",COMMISSION(G2,D2,E2,C2))'),
        ("10", "绩效提取", 'IF($A2="","",PERFORMANCE_PAY(G2,D2,H2,E2))'),
    ]
    assert any('displayName="Targets"' in t for t in tables.values())
    # Excel prints the rows typed so far (column A), not the 500 entry rows holding formulas
    with zipfile.ZipFile(built / finance.FILE) as z:
        names = z.read("xl/workbook.xml").decode()
    area = f"OFFSET('{finance.POLICIES}'!$A$1,0,0,MAX(COUNTA('{finance.POLICIES}'!$A:$A),2),10)"
    assert f'<definedName name="_xlnm.Print_Area" localSheetId="1">{area}</definedName>' in names
    with zipfile.ZipFile(built / sales.FILE) as z:
        register = next(
            z.read(n).decode() for n in z.namelist() if n.startswith("xl/tables/") and b"Register" in z.read(n)
        )
    assert register.count("<calculatedColumnFormula>") == 8  # every computed column of 保单台账


def test_formulas_fills_and_drop_downs_cover_the_whole_entry_range(built):
    ws = openpyxl.load_workbook(built / finance.FILE)[finance.POLICIES]
    for r in (2, 11, 300, LAST):  # a sample row, the first empty row, the middle, the last
        assert ws[f"I{r}"].value == f'=IF($A{r}="","",COMMISSION(G{r},D{r},E{r},C{r}))'
        assert ws[f"G{r}"].fill.fgColor.rgb.endswith("FFF2CC") and ws[f"I{r}"].fill.fgColor.rgb.endswith("E2EFDA")
        assert ws[f"I{r}"].number_format == "#,##0.00" and ws[f"A{r}"].number_format == "@"
    assert ws[f"I{LAST + 1}"].value is None
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"E2:E{LAST}"] == '"是,否"' and f"D2:D{LAST}" in lists
    summary = openpyxl.load_workbook(built / finance.FILE)[finance.AGENCIES]
    assert summary["C2"].value.startswith(f"=SUMIFS({finance.POLICIES}!$I:$I,{finance.POLICIES}!$C:$C,A2,")
    register = openpyxl.load_workbook(built / sales.FILE)["保单台账"]
    assert register[f"AI{LAST}"].value == f'=IF($A{LAST}="","",RENEWAL_DUE(L{LAST},TODAY(),30))'
    rules = [(str(r.sqref), r.rules[0].dxf.fill.bgColor.rgb) for r in register.conditional_formatting]
    assert (f"A2:AI{LAST}", "00F8CBAD") in rules  # the due highlight, with Excel's bgColor


def _run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def _money(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def test_statements_read_a_filled_finance_template(built, tmp_path):
    filled = _fill(built / finance.FILE, tmp_path / "财务.xlsx", copy_formulas=False)
    result = _run("statements", filled, "--month", "2026-11", "-o", tmp_path / "结算.xlsx")
    assert result.exit_code == 0, result.output
    assert "2026-11 结算: 12 份保单, 手续费合计 6,147.14 元" in result.output
    ws = openpyxl.load_workbook(tmp_path / "结算.xlsx")["手续费结算"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "代理机构")
    got = {}
    for r in rows[header + 1 :]:
        if r[0] is None:
            break
        got[r[0]] = (_money(r[3]), _money(r[6]), _money(r[7]))
    for agency, (new, renewal) in AGENCIES.items():
        assert got[agency] == (new, renewal, new + renewal), agency
    assert got["合计"][2] == TOTAL


def test_statements_name_an_unreadable_renewal_flag_and_skip_it(built, tmp_path):
    book = openpyxl.load_workbook(built / finance.FILE)
    book[finance.POLICIES]["E2"] = "也许"  # 101: 700.00 no longer counted
    book.save(tmp_path / "财务.xlsx")
    result = _run("statements", tmp_path / "财务.xlsx", "--month", "2026-11", "-o", tmp_path / "结算.xlsx")
    assert result.exit_code == 0, result.output
    assert "9 份保单, 手续费合计 4,107.14 元" in result.output  # 4,807.14 − 700.00
    assert "1 份保单渠道、手续费率或是否续保无法识别, 未计入结算" in result.output


def test_summaries_count_rows_past_the_entry_range_in_libreoffice(built, calc, tmp_path):
    """Recalculated by LibreOffice with the add-in: a row typed into the prepared range gets
    its commission from the formulas already there, a row past it (formulas copied down, as
    说明 says) is counted by the whole-column summaries."""
    from renewal_xl.calc.recalc import recalc_files

    filled = _fill(built / finance.FILE, tmp_path / "filled.xlsx", copy_formulas=True)
    (tmp_path / "out").mkdir()
    recalc_files([filled], tmp_path / "out", office=calc)
    book = openpyxl.load_workbook(tmp_path / "out" / "filled.xlsx", data_only=True)
    ws = book[finance.POLICIES]
    assert ws["I12"].value == 1100.00 and ws[f"I{BEYOND}"].value == 240.00
    assert ws["I14"].value in ("", None) and ws[f"J{LAST}"].value in ("", None)  # empty rows show nothing
    summary = book[finance.AGENCIES]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True) if r[0]}
    assert _money(rows["AG002"][2]) == Decimal("1980.00")  # 880.00 + 1,100.00 (new)
    # 合计 of the agency sheet: agencies with a code only (the (直销/无) 240.00 has none),
    # and the December row is in the sheet but the template sums every row it holds
    assert _money(rows["合计"][5]) == SAMPLE_TOTAL + Decimal("1100.00") + Decimal("9000") * Decimal("0.13")
    people = {r[0]: r for r in book[finance.SALESPEOPLE].iter_rows(min_row=2, values_only=True) if r[0]}
    assert people["张伟"][3] == 2  # renewals: 101 and the row past the range
    assert _money(people["张伟"][4]) == Decimal("7000.00")  # 5,000 + 2,000
