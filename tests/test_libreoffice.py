"""The Calc add-in in a real headless LibreOffice: workbooks written by openpyxl with
formulas of every worksheet function are recalculated (``recalc_files``) and each value
is compared with :mod:`renewal_xl.spreadsheet.functions`, to the cent. Needs LibreOffice (the
session fixture ``calc`` builds and installs the add-in)."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from renewal_xl.calc import ADDIN
from renewal_xl.calc.build import COMPONENT, CONFIG, TYPES
from renewal_xl.calc.recalc import recalc_files
from renewal_xl.cli.main import main
from renewal_xl.errors import RenewalError
from renewal_xl.pricing.price import price_frame
from renewal_xl.spreadsheet import functions as core
from renewal_xl.spreadsheet.cells import error_text

D = dt.date
TODAY = dt.date.today()
END = TODAY + dt.timedelta(days=20)

# (function, argument cells) — blanks (None) are blank cells; every function good and bad
CASES = [
    ("RENEWAL_PREMIUM", [150000, 30, 5, "经济", 2, 0]),
    ("RENEWAL_PREMIUM", ["150,000", "30", 5, "ECONOMY", 2, 0, None, None, None, None, None]),  # blank is_renewal = TRUE
    ("RENEWAL_PREMIUM", [150000, 30, 5, "经济", 0, 2, 500, "是"]),
    ("RENEWAL_PREMIUM", [86000, 5, 5, "基本", 0, 0, None, None, None, None, False]),
    ("RENEWAL_PREMIUM", [320000, 13, 7, "完全", 1, 0, None, None, 0.9, 0.95, True]),
    ("RENEWAL_PREMIUM", [200000, 24, 5, "周到", 0, 1, None, None, None, None, None, None, 100000, D(2026, 1, 1)]),
    ("RENEWAL_PREMIUM", [150000, 30, 12, "经济", 2, 0]),
    ("RENEWAL_PREMIUM", [150000, 30, 5, "豪华", 2, 0]),
    ("RENEWAL_PREMIUM", [None, 30, 5, "经济", 2, 0]),
    ("PACKAGE_PRICE", ["经济", 150000, 30, 5]),
    ("PACKAGE_PRICE", ["COMPLETE", 320000, 13, 7, 1, 0, 500, "否", True]),
    ("PACKAGE_PRICE", ["豪华", 150000, 30, 5]),
    ("PACKAGE_RECOMMEND", ["个人", 3, 150000, 30, "高"]),
    ("PACKAGE_RECOMMEND", ["企业", 10, 400000, 6, "LOW"]),
    ("PACKAGE_RECOMMEND", ["个人", 90, 150000, 30, "高"]),
    ("ACTUAL_VALUE", [150000, 30]),
    ("ACTUAL_VALUE", [150000, -1]),
    ("NCD_FACTOR", [2, 0]),
    ("NCD_FACTOR", [0, 3]),
    ("NCD_FACTOR", ["x", 0]),
    ("DEDUCTIBLE_FACTOR", [500, 150000]),
    ("DEDUCTIBLE_FACTOR", [700, 150000]),
    ("RENEWAL_VOUCHER", [2]),
    ("RENEWAL_VOUCHER", [3, None]),  # blank is_renewal = TRUE
    ("RENEWAL_VOUCHER", [3, "否"]),
    ("RENEWAL_VOUCHER", [-1]),
    ("COMMISSION_RATE", ["专业代理", True]),
    ("COMMISSION_RATE", ["AGENCY", "否", "AG001"]),
    ("COMMISSION_RATE", ["电话", True]),
    ("COMMISSION", [5000, "专业代理", True]),
    ("COMMISSION", [3253.15, "个人代理", "是", None]),
    ("COMMISSION", [5000, "专业代理", None]),
    ("PERFORMANCE_PAY", [5000, "专业代理", 0.12, True]),
    ("PERFORMANCE_PAY", [5000, "直销", None, "否"]),
    ("PERFORMANCE_PAY", [5000, "专业代理", 0.9, True]),
    ("RENEWAL_BONUS", [12, 10, 50000]),
    ("RENEWAL_BONUS", [8, 10, 50000]),
    ("RENEWAL_BONUS", [12, 0, 50000]),
    ("MONTHS_BETWEEN", [D(2024, 5, 31), D(2026, 11, 30)]),
    ("MONTHS_BETWEEN", ["2024-01-15", "2026-07-14"]),
    ("MONTHS_BETWEEN", ["明天", D(2026, 1, 1)]),
    ("DAYS_TO_EXPIRY", [D(2026, 12, 31), D(2026, 11, 24)]),
    ("DAYS_TO_EXPIRY", [END]),
    ("DAYS_TO_EXPIRY", [None, D(2026, 11, 24)]),
    ("RENEWAL_DUE", [D(2026, 12, 10), D(2026, 11, 24)]),
    ("RENEWAL_DUE", [D(2026, 12, 10), D(2026, 11, 24), 10]),
    ("RENEWAL_DUE", [END, None, None]),
    ("RENEWAL_DUE", [D(2026, 12, 10), D(2026, 11, 24), -1]),
]
CORE = {
    "RENEWAL_PREMIUM": core.renewal_premium,
    "PACKAGE_PRICE": core.package_price,
    "PACKAGE_RECOMMEND": core.package_recommend,
    "ACTUAL_VALUE": core.actual_value,
    "NCD_FACTOR": core.ncd_factor,
    "DEDUCTIBLE_FACTOR": core.deductible_factor,
    "RENEWAL_VOUCHER": core.renewal_voucher,
    "COMMISSION_RATE": core.commission_rate,
    "COMMISSION": core.commission,
    "PERFORMANCE_PAY": core.performance_pay,
    "RENEWAL_BONUS": core.renewal_bonus,
    "MONTHS_BETWEEN": core.months_between,
    "DAYS_TO_EXPIRY": core.days_to_expiry,
    "RENEWAL_DUE": core.renewal_due,
}
DEFAULTS = {("RENEWAL_PREMIUM", 10): True, ("RENEWAL_VOUCHER", 1): True}  # blank = the contract's default


def expected(name: str, args: list) -> object:
    """What the core says, as the cell shows it: a number (cents exact), text, or the error text."""
    values = [DEFAULTS.get((name, i), a) if a is None else a for i, a in enumerate(args)]
    try:
        value = CORE[name](*values)
    except RenewalError as exc:
        return error_text(exc)
    if isinstance(value, bool):
        return 1 if value else 0  # Calc add-ins return logical values as 1/0
    return float(value) if isinstance(value, (Decimal, int)) else value


def same(cell_value: object, want: object) -> bool:
    if isinstance(want, float):
        return isinstance(cell_value, (int, float)) and round(cell_value * 100) == round(want * 100)
    return cell_value == want


@pytest.fixture(scope="module")
def functions_book(calc, tmp_path_factory):
    """A workbook with a formula of every case, its quote table and array formulas,
    recalculated; returns (result, formulas workbook, values workbook)."""
    folder = tmp_path_factory.mktemp("functions")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "函数"
    for row, (name, args) in enumerate(CASES, start=1):
        for col, value in enumerate(args, start=2):
            ws.cell(row, col, value)
        refs = ",".join(f"{get_column_letter(c)}{row}" for c in range(2, 2 + len(args)))
        ws.cell(row, 1, f"={name}({refs})")
    lit = wb.create_sheet("常量")
    lit["A1"] = '=RENEWAL_PREMIUM(150000, 30, 5, "经济", 2, 0)'
    lit["A2"] = '=COMMISSION(5000, "专业代理", TRUE)'
    lit["A3"] = '=IF(RENEWAL_DUE(DATE(2026,12,10), DATE(2026,11,24)), "应续保", "否")'
    lit["A4"] = "=NCD_FACTOR(1/0, 0)"  # a cell error: LibreOffice passes it on without calling the add-in
    lit["C1"] = ArrayFormula("C1:D14", '=PREMIUM_BREAKDOWN(150000, 30, 5, "经济", 2, 0)')
    table = [
        ["新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数"],
        [150000, 30, 5, "经济", 2, 0],
        [150000, 30, 12, "经济", 2, 0],
        [None] * 6,
        [86000, 5, 5, "基本", 0, 0],
    ]
    for r, values in enumerate(table, start=1):
        for c, v in enumerate(values, start=6):
            lit.cell(r, c, v)
    lit["M2"] = ArrayFormula("M2:M5", "=RENEWAL_PREMIUMS(F1:K5)")
    source = folder / "functions.xlsx"
    wb.save(source)
    before = source.read_bytes()
    (result,) = recalc_files([source], outputs=[folder / "functions-out.xlsx"], office=calc)
    assert source.read_bytes() == before  # the input is never touched
    return result, openpyxl.load_workbook(result.output), openpyxl.load_workbook(result.output, data_only=True)


def test_worked_example_1(functions_book):
    _, _, values = functions_book
    assert values["函数"]["A1"].value == 3253.15
    assert values["常量"]["A1"].value == 3253.15


@pytest.mark.parametrize("row", range(1, len(CASES) + 1), ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES, 1)])
def test_every_function_equals_the_core(functions_book, row):
    _, _, values = functions_book
    name, args = CASES[row - 1]
    got, want = values["函数"][f"A{row}"].value, expected(name, args)
    assert same(got, want), f"{name}{tuple(args)}: LibreOffice {got!r}, core {want!r}"


def test_literal_arguments_and_logical_results(functions_book):
    _, _, values = functions_book
    sheet = values["常量"]
    assert sheet["A2"].value == 700
    assert sheet["A3"].value == "应续保"


def test_premium_breakdown_spills_as_an_array_formula(functions_book):
    _, _, values = functions_book
    rows = core.premium_breakdown(150000, 30, 5, "经济", 2, 0)
    got = [(values["常量"][f"C{r}"].value, values["常量"][f"D{r}"].value) for r in range(1, len(rows) + 1)]
    assert [label for label, _ in got] == [label for label, _ in rows]
    for (label, amount), (_, want) in zip(got, rows):
        assert same(amount, float(want)) if isinstance(want, Decimal) else amount == want, label


def test_renewal_premiums_prices_each_row_of_a_table(functions_book):
    _, _, values = functions_book
    column = [values["常量"][f"M{r}"].value for r in range(2, 6)]
    assert column[0] == 3253.15 and column[3] == 1524.90
    assert column[1] == "#座位数 seats=12: 费率表 default 仅适用 2–9 座"
    assert column[2] in (None, "")  # a blank row stays blank


def test_errors_are_reported_with_sheet_and_cell(functions_book):
    result, _, _ = functions_book
    reported = {f"{e.sheet}!{e.cell}": e.value for e in result.errors}
    bad_rows = [r for r, (n, a) in enumerate(CASES, 1) if str(expected(n, a)).startswith("#")]
    assert {f"函数!A{r}" for r in bad_rows} <= set(reported)
    assert reported["函数!A7"] == "#座位数 seats=12: 费率表 default 仅适用 2–9 座"
    assert reported["常量!A4"] == "#DIV/0!"
    assert "函数!A1" not in reported


def test_output_keeps_plain_formulas_and_cached_values(functions_book):
    result, formulas, values = functions_book
    assert formulas["函数"]["A1"].value == "=RENEWAL_PREMIUM(B1,C1,D1,E1,F1,G1)"
    assert formulas["常量"]["A1"].value == '=RENEWAL_PREMIUM(150000, 30, 5, "经济", 2, 0)'
    assert formulas["常量"]["M2"].value.text == "=RENEWAL_PREMIUMS(F1:K5)"
    with zipfile.ZipFile(result.output) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert ADDIN.upper() not in xml.upper()
    assert all(values["函数"][f"A{r}"].value is not None for r in range(1, len(CASES) + 1))


REGISTER_ROWS = 1000


def quote_register(n: int, seed: int = 6) -> pd.DataFrame:
    """``n`` quote rows: varied vehicles and options, blanks, and a few bad rows."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "new_car_price": rng.integers(50, 600, n) * 1000,
            "vehicle_age_months": rng.integers(0, 120, n),
            "seats": rng.choice([2, 5, 7, 9], n),
            "coverage": rng.choice(["基本", "经济", "周到", "完全", "车损+三者:50万+盗抢+不计免赔"], n),
            "claim_free_years": rng.integers(0, 5, n),
            "claims_last_year": 0,
            "deductible": rng.choice([None, 0, 300, 500, 1000, 2000], n),
            "multi_accident": rng.choice([None, "是", "否"], n),
            "underwriting_coef": rng.choice([None, 0.85, 0.9, 1.0, 1.15], n),
            "channel_coef": rng.choice([None, 0.95, 1.05], n),
            "is_renewal": rng.choice([None, True, False], n),
            "imported": rng.choice([None, "是", "否"], n),
        }
    ).astype(object)
    claims = rng.integers(0, 4, n)
    frame.loc[frame["claim_free_years"] == 0, "claims_last_year"] = claims[frame["claim_free_years"] == 0]
    frame.loc[::97, "seats"] = 12  # refused by the tariff
    frame.loc[5::113, "underwriting_coef"] = 1.3
    return frame.where(frame.notna(), None)


def test_a_1000_row_register_equals_the_vectorized_pricing(calc, tmp_path):
    frame = quote_register(REGISTER_ROWS)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报价"
    ws.append(list(frame.columns) + ["premium"])
    cols = len(frame.columns)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        ws.append([*row, f"=RENEWAL_PREMIUM({','.join(f'{get_column_letter(c)}{i}' for c in range(1, cols + 1))})"])
    (tmp_path / "out").mkdir()
    wb.save(tmp_path / "register.xlsx")
    (result,) = recalc_files([tmp_path / "register.xlsx"], tmp_path / "out", office=calc)
    got = [
        r[0]
        for r in openpyxl.load_workbook(result.output, data_only=True, read_only=True)["报价"].iter_rows(
            min_row=2, min_col=cols + 1, max_col=cols + 1, values_only=True
        )
    ]
    priced = price_frame(frame)
    want = [error_text(e) if e is not None else p for p, e in zip(priced["premium"], priced["error"])]
    assert len(got) == REGISTER_ROWS
    mismatches = [(i + 2, g, w) for i, (g, w) in enumerate(zip(got, want)) if not same(g, w)]
    assert mismatches == []
    assert sum(isinstance(w, str) for w in want) == len(result.errors) >= 15
    # the scalar function agrees with the vectorized path on every row as well
    for i in range(0, REGISTER_ROWS, 50):
        assert same(got[i], expected("RENEWAL_PREMIUM", list(frame.iloc[i])))


def test_recalc_command(calc, tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = '=RENEWAL_PREMIUM(150000, 30, 5, "经济", 2, 0)'
    wb.save(tmp_path / "good.xlsx")
    wb.active["A2"] = '=NCD_FACTOR("x", 0)'
    wb.save(tmp_path / "bad.xlsx")
    runner = CliRunner()
    done = runner.invoke(main, ["recalc", str(tmp_path / "good.xlsx"), "-o", str(tmp_path / "good-out.xlsx")])
    assert done.exit_code == 0, done.output
    assert f"已写入 {tmp_path / 'good-out.xlsx'}" in done.output
    assert openpyxl.load_workbook(tmp_path / "good-out.xlsx", data_only=True).active["A1"].value == 3253.15
    (tmp_path / "out").mkdir()
    done = runner.invoke(
        main, ["recalc", str(tmp_path / "good.xlsx"), str(tmp_path / "bad.xlsx"), "--out-dir", str(tmp_path / "out")]
    )
    assert done.exit_code == 1
    assert "(1 个单元格出错)" in done.output
    assert "Sheet!A2: #连续未出险年数 claim_free_years=x: 不是数字" in done.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bad.xlsx", "good.xlsx"]


def test_recalc_refuses_bad_outputs_before_starting(tmp_path):
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    runner = CliRunner()
    same_file = runner.invoke(main, ["recalc", str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "a.xlsx")])
    assert same_file.exit_code == 2 and "输出文件不能与输入文件相同" in same_file.output
    two = runner.invoke(
        main, ["recalc", str(tmp_path / "a.xlsx"), str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "b.xlsx")]
    )
    assert two.exit_code == 2 and "须用 --out-dir" in two.output
    missing = runner.invoke(main, ["recalc", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "b.xlsx")])
    assert missing.exit_code == 2 and "文件不存在" in missing.output
    assert not (tmp_path / "b.xlsx").exists()


def test_missing_libreoffice_is_a_clear_error(tmp_path):
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    runner = CliRunner(env={"PATH": str(tmp_path)})
    done = runner.invoke(main, ["recalc", str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "b.xlsx")])
    assert done.exit_code == 2
    assert "未找到 LibreOffice" in done.output and "apt-get install libreoffice-calc-nogui" in done.output
    done = runner.invoke(main, ["install", "--libreoffice"])
    assert done.exit_code == 2 and "未找到 LibreOffice" in done.output


def test_recalc_without_the_add_in_says_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_XL_LO_EXTENSIONS", str(tmp_path / "empty"))
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    done = CliRunner().invoke(main, ["recalc", str(tmp_path / "a.xlsx"), "-o", str(tmp_path / "b.xlsx")])
    assert done.exit_code == 2
    assert "未安装: 请先运行 renewal-xl install --libreoffice" in done.output
    assert not (tmp_path / "b.xlsx").exists()


def test_install_builds_installs_and_checks_the_add_in(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_XL_LO_EXTENSIONS", str(tmp_path / "extensions"))
    runner = CliRunner()
    first = runner.invoke(main, ["install", "--libreoffice"])
    assert first.exit_code == 0, first.output
    assert "已验证: LibreOffice 中 NCD_FACTOR(0;0) 可计算" in first.output
    again = runner.invoke(main, ["install", "--libreoffice"])  # replaces the installed version
    assert again.exit_code == 0 and "已卸载旧版加载项 org.renewalxl.calc" in again.output


def test_the_oxt_holds_the_type_library_component_and_environment(tmp_path):
    from renewal_xl.calc.build import build_oxt

    with zipfile.ZipFile(build_oxt(tmp_path)) as oxt:
        names = set(oxt.namelist())
        manifest = oxt.read("META-INF/manifest.xml").decode()
    assert {TYPES, COMPONENT, CONFIG, "CalcAddIns.xcu", "description.xml", "renewal_addin.components"} <= names
    assert TYPES in manifest and "CalcAddIns.xcu" in manifest
