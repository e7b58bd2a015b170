"""Template workbooks: built by code, equal to the committed files, every formula checked
by an independent formula engine against the core, and opening cleanly in LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from formula_engine import recalculate
from openpyxl.utils import get_column_letter
from workbook_snapshot import snapshot

import udfs
from renewal_xl.columns import REGISTER as REGISTER_HEADERS
from renewal_xl.io.register import read_register
from renewal_xl.pricing.price import quote
from renewal_xl.spreadsheet import functions as f
from renewal_xl.tariff import default_tariff, load_catalogue
from renewal_xl.templates import TEMPLATES, build_all, finance, sales, tariff_book
from renewal_xl.templates.samples import FINANCE_ROWS, TARGETS
from renewal_xl.workflow.renewal_quote import price_renewals

COMMITTED = Path(__file__).resolve().parent.parent / "workbooks"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("workbooks")
    build_all(out)
    return out


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_committed_workbook_equals_a_fresh_build(built, name):
    assert (COMMITTED / name).exists(), f"run `renewal-xl build-workbooks` and commit workbooks/{name}"
    assert snapshot(COMMITTED / name) == snapshot(built / name), (
        f"workbooks/{name} differs from a fresh build: run `renewal-xl build-workbooks` and commit"
    )


ENGINE_ROWS = 20  # entry rows the formula engine computes: the samples and empty rows below them


def _trimmed(path: Path, out: Path) -> Path:
    """``path`` with the entry sheets cut after :data:`ENGINE_ROWS` (every entry row holds
    the same formulas; the engine would take minutes over all 500)."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        if ws.tables and ws.max_row > ENGINE_ROWS:
            ws.delete_rows(ENGINE_ROWS + 1, ws.max_row - ENGINE_ROWS)
    book.save(out / path.name)
    return out / path.name


@pytest.fixture(scope="module")
def sales_values(built, tmp_path_factory):
    return recalculate(_trimmed(built / sales.FILE, tmp_path_factory.mktemp("engine")))


@pytest.fixture(scope="module")
def finance_values(built, tmp_path_factory):
    return recalculate(_trimmed(built / finance.FILE, tmp_path_factory.mktemp("engine")))


def computed(k: int) -> str:
    """Column letter of the register sheet's k-th computed column (after the register's own)."""
    return get_column_letter(len(REGISTER_HEADERS) + k)


def money(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def test_register_formulas_equal_the_core(built, sales_values):
    register = read_register(built / sales.FILE).frame
    today = dt.date.today()
    assert len(register) == 8
    batch = price_renewals(register)  # the vectorized path over the same sheet
    for i, row in register.reset_index(drop=True).iterrows():
        r = i + 2
        v = lambda col, r=r: sales_values[("保单台账", f"{col}{r}")]  # noqa: E731
        end = pd.Timestamp(row["end_date"]).date()
        age = f.months_between(row["first_registration"], end + dt.timedelta(days=1))
        claims = int(row["claims"])
        free = int(row["claim_free_years"]) + 1 if claims == 0 else 0
        premium = f.renewal_premium(
            row["new_car_price"],
            age,
            row["seats"],
            row["coverage"],
            free,
            claims,
            row["deductible"],
            False,
            1,
            1,
            True,
            row["imported"],
            None,
            end + dt.timedelta(days=1),
        )
        assert v(computed(1)) == age
        assert v(computed(2)) == free
        assert Decimal(str(v(computed(3)))) == f.ncd_factor(free, claims)
        assert money(v(computed(4))) == premium
        assert money(v(computed(4))) == Decimal(int(batch.premium[i])).scaleb(-2), "formula ≠ batch path"
        assert money(v(computed(5))) == f.package_price(
            "基本", row["new_car_price"], age, row["seats"], free, claims, row["deductible"], row["imported"], True
        )
        assert money(v(computed(6))) == f.renewal_voucher(free, True)
        assert v(computed(7)) == (end - today).days
        assert v(computed(8)) == (today < end <= today + dt.timedelta(days=30))
    # the first sample policy renews as the manual's example 1
    assert sales_values[("保单台账", f"{computed(4)}2")] == 3253.15


def test_quote_sheet_is_the_manuals_example_4(sales_values):
    v = lambda cell: sales_values[("报价单", cell)]  # noqa: E731
    assert v("B25") == 8094.89  # manual §11 example 4
    assert v("B24") == "完全"  # large company → 完全
    expected = quote(
        new_car_price=320000,
        vehicle_age_months=13,
        seats=7,
        coverage="完全",
        claim_free_years=1,
        claims_last_year=0,
        underwriting_coef=0.9,
        channel_coef=0.95,
        is_renewal=True,
    ).rows()
    first = sales.FIRST_INPUT
    shown = [(v(f"D{first + k}"), v(f"E{first + k}")) for k in range(len(expected))]
    assert [label for label, _ in shown] == [label for label, _ in expected]
    for (_, got), (label, want) in zip(shown, expected):
        assert (Decimal(str(got)) if isinstance(want, Decimal) else got) == want, label
    assert str(v(f"D{first + len(expected)}")) == "#N/A"  # padding of the fixed-size array formula
    prices = {v(f"{c}{first}"): v(f"{c}{first + 2}") for c in "HIJK"}
    for name, price in prices.items():
        assert money(price) == f.package_price(name, 320000, 13, 7, 1, 0, 0, "否", "是")
    assert prices["完全"] == 9467.71  # 11138.48 × NCD 0.85, without the coefficients
    assert [v(f"{c}{first + 3}") for c in "HIJK"] == [None, None, None, "★ 推荐"]
    assert v("B27") == 295040.0 and v("B28") == 0.85 and v("B29") == 1.0 and v("B26") == 100.0


def test_finance_formulas_equal_the_core(finance_values):
    v = lambda sheet, cell: finance_values[(sheet, cell)]  # noqa: E731
    rows = []
    for r, sample in enumerate(FINANCE_ROWS, start=2):
        person, agency, channel = sample["salesperson"], sample["agency"], sample["channel"]
        renewal, premium = sample["is_renewal"], sample["premium"]
        rate = f.commission_rate(channel, renewal, agency or None)
        commission = f.commission(premium, channel, renewal, agency or None)
        pay = f.performance_pay(premium, channel, rate, renewal)
        assert Decimal(str(v(finance.POLICIES, f"H{r}"))) == rate
        assert money(v(finance.POLICIES, f"I{r}")) == commission
        assert money(v(finance.POLICIES, f"J{r}")) == pay
        rows.append(
            dict(
                person=person,
                agency=agency,
                renewal=renewal,
                premium=Decimal(str(premium)),
                commission=commission,
                pay=pay,
            )
        )
    assert v(finance.POLICIES, "I2") == 700.00  # manual: 5,000 专业代理 renewal
    assert v(finance.POLICIES, "I3") == 650.00  # manual: 5,000 AGENCY new via AG001
    assert v(finance.POLICIES, "J4") == 500.00  # manual: 5,000 直销 new
    frame = pd.DataFrame(rows)
    agencies = [v(finance.AGENCIES, f"A{r}") for r in range(2, 2 + len(default_tariff().agency_rates) + 3)]
    for r, agency in enumerate(agencies, start=2):
        if agency == "合计":
            assert money(v(finance.AGENCIES, f"F{r}")) == frame.loc[frame.agency != "", "commission"].sum()
            break
        mine = frame[frame.agency == agency]
        for col, renewal, what in (("B", "否", "count"), ("C", "否", "sum"), ("D", "是", "count"), ("E", "是", "sum")):
            part = mine[mine.renewal == renewal]
            want = len(part) if what == "count" else part["commission"].sum()
            assert (
                v(finance.AGENCIES, f"{col}{r}") if what == "count" else money(v(finance.AGENCIES, f"{col}{r}"))
            ) == want
    for r, (person, target) in enumerate(TARGETS.items(), start=2):
        mine = frame[frame.person == person]
        renewed = mine[mine.renewal == "是"]
        assert money(v(finance.SALESPEOPLE, f"B{r}")) == mine["premium"].sum()
        assert money(v(finance.SALESPEOPLE, f"C{r}")) == mine["pay"].sum()
        assert v(finance.SALESPEOPLE, f"D{r}") == len(renewed)
        bonus = f.renewal_bonus(len(renewed), target, float(renewed["premium"].sum()))
        assert money(v(finance.SALESPEOPLE, f"G{r}")) == bonus
    assert v(finance.SALESPEOPLE, "G2") == 100.00  # 张伟: 1 renewal ≥ target 1 → 5,000 × 2 %
    assert v(finance.SALESPEOPLE, "G3") == 0  # 王芳: 2 renewals < target 3


def test_tariff_workbook_is_a_loadable_user_tariff(built, today):
    tariffs = load_catalogue((built / tariff_book.FILE,))
    t = tariffs.tariffs[0]  # the user tariff comes first
    d = default_tariff()
    assert t.origin.endswith(tariff_book.FILE)
    for name in (
        "damage_rate",
        "damage_base",
        "deductible_factor",
        "tpl_premium",
        "scratch_premium",
        "ncd_claims",
        "ncd_claim_free",
        "voucher",
        "glass_rate",
        "performance_factor",
    ):
        assert (getattr(t, name) == getattr(d, name)).all(), name
    assert t.params == d.params and t.channels == d.channels and t.agency_rates == d.agency_rates
    assert t.packages == d.packages and t.sources == d.sources
    assert t.options == d.options and t.option_rules == d.option_rules  # 续保方案, 续保方案规则 read back
    b = quote(
        tariffs=tariffs,
        today=today,
        new_car_price=320000,
        vehicle_age_months=13,
        seats=7,
        coverage="完全",
        claim_free_years=1,
        claims_last_year=0,
        underwriting_coef=0.9,
        channel_coef=0.95,
    )
    assert b.premium == Decimal("8094.89")


def test_edited_tariff_workbook_is_validated(built, tmp_path):
    book = openpyxl.load_workbook(built / tariff_book.FILE)
    ws = book["手续费率"]  # the commission table, in Chinese
    assert [c.value for c in ws[1]] == ["渠道", "中文名", "新保费率", "续保费率"]
    ws["C3"] = 0.25  # 个人代理 new rate above the 20 % cap
    book.save(tmp_path / "mine.xlsx")
    from renewal_xl.errors import TariffError

    with pytest.raises(TariffError, match=r"mine.xlsx!手续费率 第3行: new_rate=0.25: 超过报备上限"):
        load_catalogue((tmp_path / "mine.xlsx",))


def test_sample_register_passes_the_data_check(built):
    from renewal_xl.app import jobs

    outcome = jobs.check(read_register(built / sales.FILE), dt.date(2026, 11, 24))
    assert outcome.problems == 0, outcome.messages


def test_templates_have_instructions_conf_and_validation(built):
    for name in TEMPLATES:
        book = openpyxl.load_workbook(built / name)
        assert book.sheetnames[0] == "说明" and "xlwings.conf" in book.sheetnames
        assert book["xlwings.conf"]["A1"].value == "UDF Modules" and book["xlwings.conf"]["B1"].value == "udfs"
    sales_book = openpyxl.load_workbook(built / sales.FILE)
    ws = sales_book["保单台账"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["F2:F501"] == '"个人,企业,大型企业,机关事业"'
    assert lists["S2:S501"] == '"0,300,500,1000,2000"'
    assert lists["J2:J501"] == '"直销,个人代理,专业代理,兼业代理,经纪"'
    assert ws.freeze_panes == "A2"
    rules = [(str(r.sqref), r.rules[0].formula) for r in ws.conditional_formatting]
    assert (f"A2:{computed(8)}501", ["AND($L2>TODAY(),$L2<=TODAY()+30)"]) in rules
    assert ws["L2"].number_format == "yyyy-mm-dd" and ws[f"{computed(4)}2"].number_format == "#,##0.00"


def test_formulas_use_functions_both_engines_know():
    modern = re.compile(r"\b(XLOOKUP|LET|FILTER|LAMBDA|SORT|UNIQUE|SEQUENCE|TEXTJOIN|IFS|SWITCH)\(")
    for name in TEMPLATES:
        book = openpyxl.load_workbook(COMMITTED / name)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    text = c.value.text if hasattr(c.value, "text") else c.value
                    if isinstance(text, str) and text.startswith("="):
                        assert not modern.search(text), f"{name} {ws.title}!{c.coordinate}: {text}"
                        assert "_xlfn" not in text


UDF = re.compile(r"\b(" + "|".join(udfs.FUNCTIONS) + r")\(")
REF = re.compile(r"(?:'?([^'!(),=]+)'?!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")
WHOLE_COLUMNS = re.compile(r"(?:'?([^'!(),=]+)'?!)?\$?([A-Z]{1,3}):\$?([A-Z]{1,3})\b")  # 手续费明细!$I:$I


def _uses_udf(book, sheet: str, coordinate: str, seen: dict) -> bool:
    """True when the cell's formula calls one of our functions, directly or through the
    cells it refers to."""
    key = (sheet, coordinate)
    if key in seen:
        return seen[key]
    seen[key] = False
    value = book[sheet][coordinate].value
    text = value.text if hasattr(value, "text") else value
    if not isinstance(text, str) or not text.startswith("="):
        return False
    if UDF.search(text):
        seen[key] = True
        return True
    plain = re.sub(r'"[^"]*"', "", text)
    ranges = [
        (
            (m.group(1) or sheet).strip("'"),
            m.group(2),
            int(m.group(3)),
            m.group(4) or m.group(2),
            int(m.group(5) or m.group(3)),
        )
        for m in REF.finditer(plain)
    ]
    for m in WHOLE_COLUMNS.finditer(plain):
        target = (m.group(1) or sheet).strip("'")
        ranges.append((target, m.group(2), 1, m.group(3), book[target].max_row))
    for target, first_col, first_row, last_col, last_row in ranges:
        for r in range(first_row, last_row + 1):
            for c in range(
                openpyxl.utils.column_index_from_string(first_col),
                openpyxl.utils.column_index_from_string(last_col) + 1,
            ):
                if _uses_udf(book, target, f"{openpyxl.utils.get_column_letter(c)}{r}", seen):
                    seen[key] = True
                    return True
    return False


def test_templates_open_in_libreoffice_with_only_name_errors_in_our_functions(built, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: the test command installs it (scripts/ensure-libreoffice)"
    out = tmp_path / "lo"
    names = sorted(TEMPLATES)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *(str(built / n) for n in names),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name in names:
        original = openpyxl.load_workbook(built / name)
        computed = openpyxl.load_workbook(out / name, data_only=True)
        seen: dict = {}
        formulas_seen = 0
        for ws in original.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    text = c.value.text if hasattr(c.value, "text") else c.value
                    if not (isinstance(text, str) and text.startswith("=")):
                        continue
                    formulas_seen += 1
                    value = computed[ws.title][c.coordinate].value
                    is_error = isinstance(value, str) and value.startswith("#") and value.endswith(("?", "!", "A"))
                    if _uses_udf(original, ws.title, c.coordinate, seen):
                        assert value in ("#NAME?", "#N/A") or not is_error, f"{name} {ws.title}!{c.coordinate}: {value}"
                    else:
                        assert not is_error, f"{name} {ws.title}!{c.coordinate} = {text} gave {value}"
        assert formulas_seen or name == tariff_book.FILE


def _formula_cells(path: Path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                text = c.value.text if hasattr(c.value, "text") else c.value
                if isinstance(text, str) and text.startswith("="):
                    yield ws.title, c.coordinate, text


def test_templates_recalculate_in_libreoffice_with_the_addin(built, sales_values, finance_values, calc, tmp_path):
    """Every formula cell computed by LibreOffice with our Calc add-in equals the value of
    the independent formulas engine (itself checked against the core above)."""
    from renewal_xl.calc.recalc import recalc_files

    engines = {sales.FILE: sales_values, finance.FILE: finance_values}
    results = recalc_files([built / name for name in engines], tmp_path, office=calc)
    for result, (name, expected) in zip(results, engines.items()):
        computed = openpyxl.load_workbook(tmp_path / name, data_only=True)
        checked = 0
        for sheet, cell, text in _formula_cells(built / name):
            got = computed[sheet][cell].value
            if (sheet.upper(), cell) not in expected:  # an entry row below the engine's: still empty
                assert got in ("", None), f"{name} {sheet}!{cell}: {got!r}"
                continue
            want = expected[(sheet.upper(), cell)]
            if want in ("", None):  # an empty entry row among the engine's
                assert got in ("", None), f"{name} {sheet}!{cell}: {got!r}"
            elif "RENEWAL_DUE" in text:
                assert got == int(want), f"{sheet}!{cell}"  # Calc add-ins return 1/0 for TRUE/FALSE
            elif isinstance(want, float):
                assert money(got) == money(want), f"{name} {sheet}!{cell}: LibreOffice {got} ≠ {want}"
            else:
                assert got == want, f"{name} {sheet}!{cell}: LibreOffice {got!r} ≠ {want!r}"
            checked += 1
        for k in range(BREAKDOWN_FILLED, sales.BREAKDOWN_ROWS) if name == sales.FILE else ():
            assert computed["报价单"][f"D{sales.FIRST_INPUT + k}"].value == "#N/A"
        assert checked > 40
        assert [e for e in result.errors if "#N/A" not in str(e)] == [], result.errors
        # LibreOffice headless keeps no view settings: recalc puts every frozen pane back
        before = openpyxl.load_workbook(built / name)
        frozen = {ws.title: ws.freeze_panes for ws in before.worksheets if ws.freeze_panes}
        assert frozen and {t: computed[t].freeze_panes for t in frozen} == frozen


BREAKDOWN_FILLED = 19  # rows of example 4's breakdown (see test_quote_sheet_is_the_manuals_example_4)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_sheet_prints_legibly_with_its_title(built, name):
    """One page wide, or (a sheet too wide for that at 60 %) at a fixed scale of 60 % or
    more, its first column (保单号) on every page (tests/test_print_scale.py: the scale)."""
    import zipfile

    with zipfile.ZipFile(built / name) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = {n: z.read(n).decode() for n in sheets}
        book_xml = z.read("xl/workbook.xml").decode()
    assert len(xml) == len(openpyxl.load_workbook(built / name).sheetnames)
    for part, text in xml.items():
        assert re.search(r'<pageSetup[^>]*orientation="landscape"', text) and 'paperSize="9"' in text, part
        fitted = 'fitToHeight="0"' in text and re.search(r'<pageSetUpPr fitToPage="(1|true)"', text)
        scale = re.search(r'<pageSetup[^>]*scale="(\d+)"', text)
        fixed = scale and int(scale.group(1)) >= 60 and not re.search(r'fitToPage="(1|true)"', text)
        assert fitted or fixed, part
        assert "<oddFooter>&amp;C第 &amp;P 页, 共 &amp;N 页</oddFooter>" in text, part
        assert re.search(r"<oddHeader>&amp;L[^&]+.*&amp;R&amp;A</oddHeader>", text), part
    # a frozen header row repeats on every printed page (register, tracking, tariff tables …)
    book = openpyxl.load_workbook(built / name)
    for ws in book.worksheets:
        if ws.freeze_panes == "A2":
            assert ws.print_title_rows == "$1:$1", ws.title
        if ws.page_setup.scale:  # several pages wide: the entry table's 保单号 on each
            assert ws["A1"].value == "保单号" and ws.print_title_cols == "$A:$A", ws.title
    assert "_xlnm.Print_Titles" in book_xml


def test_excel_details_due_fill_total_filter_and_deductible_order(built):
    import zipfile

    with zipfile.ZipFile(built / sales.FILE) as z:
        styles = z.read("xl/styles.xml").decode()
    # Excel paints a conditional format's solid fill from bgColor (LibreOffice from fgColor)
    dxf = re.search(r"<dxfs[^>]*>.*?</dxfs>", styles, re.S).group(0)
    assert re.search(r'<bgColor rgb="00F8CBAD"\s*/>', dxf) and re.search(r'<fgColor rgb="00F8CBAD"\s*/>', dxf)
    agencies = openpyxl.load_workbook(built / finance.FILE)["机构汇总"]
    total = next(c.row for c in agencies["A"] if c.value == "合计")
    assert agencies[f"A{total}"].font.b and agencies[f"F{total}"].font.b
    assert agencies.auto_filter.ref == f"A1:F{total - 1}"  # the 合计 row stays out of sorting
    deductible = openpyxl.load_workbook(built / tariff_book.FILE)["免赔额系数"]
    (dv,) = deductible.data_validations.dataValidation
    assert dv.formula1 == '"0,300,500,1000,2000"'  # numbers in numeric order, not as text


def test_entry_rows_are_coloured_as_the_instructions_say(built):
    # 说明: 黄色为填写列, 绿色为公式列 — on every entry row, not only the samples
    book = openpyxl.load_workbook(built / sales.FILE)
    ws = book["保单台账"]
    formula_col = len(REGISTER_HEADERS) + 1  # the first computed column
    for row in (2, 9, 10, 501):
        assert ws.cell(row, 1).fill.fgColor.rgb.endswith("FFF2CC"), row  # 保单号: input
        assert ws.cell(row, formula_col).fill.fgColor.rgb.endswith("E2EFDA"), row
    assert "黄色为填写列, 绿色为公式列" in book["说明"]["B5"].value
    policies = openpyxl.load_workbook(built / finance.FILE)["手续费明细"]
    assert policies["G400"].fill.fgColor.rgb.endswith("FFF2CC") and policies["H400"].fill.fgColor.rgb.endswith("E2EFDA")
    summary = openpyxl.load_workbook(built / finance.FILE)["机构汇总"]
    assert summary["A20"].fill.fill_type is None  # a summary sheet is not an entry sheet
