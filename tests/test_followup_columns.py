"""Follow-up columns with drop-downs on every due-list row (renewal-workflow §3b), drawn by
each renderer: XlsxWriter (command line), openpyxl (macros without Excel), xlwings (Excel)."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from fake_excel import FakeBook
from registers import D, policy

from renewal_xl.app import macros
from renewal_xl.columns import REGISTER
from renewal_xl.render.openpyxl_book import OpenpyxlBook
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.spec import Report, Sheet, Table, Validation
from udfs.xlbook import XlBook

FOLLOWUP_HEADERS = ["跟进状态", "脱保原因", "转投公司", "联系日期", "备注"]
STATUS_LIST = '"已续保,未续保,跟进中"'
REASON_LIST = '"报废,转出外省,停驶,价格,故意脱保,不开车,跟进不及时,车辆已售/联系不上,转投他司,其他"'
# Excel serial numbers of the date rule's bounds: 2000-01-01 is day 36526, 2099-12-31 day 73050
FIRST_SERIAL, LAST_SERIAL = "36526", "73050"
TODAY = D(2026, 1, 20)


def register_rows():
    return [
        policy("P1", 1, D(2025, 2, 5), salesperson="张伟"),
        policy("P2", 2, D(2025, 2, 10), salesperson="王芳"),
        policy("P3", 3, D(2025, 2, 12), salesperson="张伟"),
    ]


def register_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(list(REGISTER.values()))
    for row in register_rows():
        ws.append([None if row[k] == "" else row[k] for k in REGISTER])
    wb.save(path)
    return path


def header_row(ws) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == "优先级")


def validations(ws) -> dict[str, tuple]:
    """Header → (type, formula1, formula2, sqref) of the validation under it."""
    top = header_row(ws)
    headers = {ws.cell(top, c).column_letter: ws.cell(top, c).value for c in range(1, ws.max_column + 1)}
    out = {}
    for dv in ws.data_validations.dataValidation:
        ref = str(dv.sqref)
        out[headers[re.match(r"[A-Z]+", ref).group()]] = (dv.type, dv.formula1, dv.formula2, ref)
    return out


def check_list_sheet(ws, rows: int) -> None:
    top = header_row(ws)
    headers = [ws.cell(top, c).value for c in range(1, ws.max_column + 1)]
    assert headers[-5:] == FOLLOWUP_HEADERS
    first, last = top + 1, top + rows
    col = {h: openpyxl.utils.get_column_letter(headers.index(h) + 1) for h in FOLLOWUP_HEADERS}

    def ref(h):  # the data rows of the column, as Excel writes a range (one cell: no colon)
        return f"{col[h]}{first}" + (f":{col[h]}{last}" if last > first else "")

    assert validations(ws) == {
        "跟进状态": ("list", STATUS_LIST, None, ref("跟进状态")),
        "脱保原因": ("list", REASON_LIST, None, ref("脱保原因")),
        "联系日期": ("date", FIRST_SERIAL, LAST_SERIAL, ref("联系日期")),
    }
    for r in range(first, last + 1):  # handed out empty
        assert all(ws[f"{col[h]}{r}"].value is None for h in FOLLOWUP_HEADERS)
    assert ws[f"{col['联系日期']}{first}"].number_format == "yyyy-mm-dd"


def test_command_line_list_sheets_carry_followup_columns_and_drop_downs(tmp_path):
    from click.testing import CliRunner

    from renewal_xl.cli.main import main

    reg = register_book(tmp_path / "reg.xlsx")
    out = tmp_path / "list.xlsx"
    result = CliRunner().invoke(main, ["renewals", str(reg), "--as-of", "2026-01-20", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    check_list_sheet(wb["续保清单"], 3)
    check_list_sheet(wb["续保-张伟"], 2)
    check_list_sheet(wb["续保-王芳"], 1)
    assert wb["续保汇总"].data_validations.dataValidation == []
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            for formula in re.findall(r"<formula1>(.*?)</formula1>", z.read(name).decode()):
                assert len(formula.replace("&quot;", '"')) <= 255 + 2  # Excel's limit, quotes aside


def test_macro_list_sheets_carry_followup_columns_and_drop_downs(tmp_path):
    path = register_book(tmp_path / "book.xlsx")
    book = OpenpyxlBook(path)
    macros.generate_renewal_list(book, TODAY)
    book.save()
    wb = openpyxl.load_workbook(path)
    check_list_sheet(wb["续保清单"], 3)
    check_list_sheet(wb["续保-张伟"], 2)


def test_xlwings_list_sheets_get_validation_through_excel():
    book = FakeBook("说明")
    table = Table(
        pd.DataFrame({"保单号": ["P1", "P2"], "跟进状态": [None, None], "联系日期": [None, None]}),
        validations={
            "跟进状态": Validation(choices=("已续保", "未续保", "跟进中"), error="请选择"),
            "联系日期": Validation(dates=(D(2000, 1, 1), D(2099, 12, 31)), error="请填日期"),
        },
    )
    XlBook(book).write_sheet(Sheet("续保清单", [table], notes=["一行说明"]), replace=False)
    ws = book.sheets["续保清单"]
    # notes in row 1, blank row 2, header row 3, data rows 4-5; columns B and C
    assert ws.validations == {
        (4, 2, 5, 2): {
            "Type": 3,
            "Operator": 1,
            "Formula1": "已续保,未续保,跟进中",
            "Formula2": None,
            "IgnoreBlank": True,
            "ErrorTitle": "输入有误",
            "ErrorMessage": "请选择",
        },
        (4, 3, 5, 3): {
            "Type": 4,
            "Operator": 1,
            "Formula1": "=DATE(2000,1,1)",
            "Formula2": "=DATE(2099,12,31)",
            "IgnoreBlank": True,
            "ErrorTitle": "输入有误",
            "ErrorMessage": "请填日期",
        },
    }


def test_an_empty_list_gets_no_validation(tmp_path):
    table = Table(
        pd.DataFrame({"跟进状态": pd.Series([], dtype=object)}), validations={"跟进状态": Validation(("是",))}
    )
    path = tmp_path / "empty.xlsx"
    write_report(Report([Sheet("续保清单", [table])]), path)
    assert openpyxl.load_workbook(path)["续保清单"].data_validations.dataValidation == []


def test_validation_refuses_what_excel_would_repair():
    with pytest.raises(ValueError):
        Validation(choices=tuple(f"原因{k:03d}" for k in range(60)))  # 60 × 6 + 59 commas = 419 > 255
    with pytest.raises(ValueError):
        Validation(choices=("a,b",))
    with pytest.raises(ValueError):
        Validation()
    assert len(Validation(choices=tuple("x" * 15 for _ in range(16))).list_formula()) == 255 + 2  # 16×15 + 15
