"""The print view of the due list (打印清单): the columns a call needs, one page wide at a
readable scale, the header on every page, the full list left as it is."""

import re
import zipfile

import openpyxl
from registers import D, policy, register

from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.renewals import LIST_SHEET, PRINT_SHEET, renewals_report
from renewal_xl.reports.tracking import is_list_sheet
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import read_policies

AS_OF = D(2026, 1, 20)
PRINTED = [
    "优先级",
    "终保日期",
    "客户名称",
    "车牌号",
    "联系电话",
    "业务员",
    "险种组合",
    "续保报价",
    "代金券",
    "推荐方案",
]
# column widths as stored in the file; measured in LibreOffice's PDF of the demo's list (A4
# landscape, one page wide): about 160 print at 65 % of full size, 139 at 76 %
MAX_PRINT_WIDTH = 140


def _written(tmp_path, rows):
    due = due_list(read_policies(register(*rows), default_tariff()), Window.of(AS_OF), AS_OF)
    path = tmp_path / "list.xlsx"
    write_report(renewals_report(due, "95500"), path)
    return path


def test_print_sheet_has_the_call_columns_and_every_due_row(tmp_path):
    rows = [
        policy(f"P{k}", k, D(2025, 2, 10), salesperson=p, customer=c, coverage=cov)
        for k, (p, c, cov) in enumerate(
            [("张伟", "武汉长江物流有限公司", "车损+三者:100万+盗抢+玻璃:进口+不计免赔"), ("李娜", "王建国", "经济")],
            start=1,
        )
    ]
    book = openpyxl.load_workbook(_written(tmp_path, rows))
    assert book.sheetnames[:2] == [LIST_SHEET, PRINT_SHEET]
    ws = book[PRINT_SHEET]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "优先级")
    assert list(header) == [*PRINTED, "跟进记录"]
    printed = {r[2]: r for r in ws.iter_rows(values_only=True) if r[0] and r[0].startswith("P") and r[2]}
    assert set(printed) == {"武汉长江物流有限公司", "王建国"} and printed["王建国"][-1] is None
    full = book[LIST_SHEET]
    assert full.max_column > 30  # the list keeps every column and the follow-ups collect reads
    assert is_list_sheet(LIST_SHEET) and not is_list_sheet(PRINT_SHEET)
    # a long customer name or coverage list wraps in its column instead of widening the page
    widths = [ws.column_dimensions[chr(ord("A") + j)].width for j in range(len(header))]
    assert sum(widths) <= MAX_PRINT_WIDTH, widths


def test_print_sheet_prints_landscape_one_page_wide_with_the_header_on_every_page(tmp_path):
    path = _written(tmp_path, [policy("P1", 1, D(2025, 2, 10))])
    book = openpyxl.load_workbook(path)
    index = book.sheetnames.index(PRINT_SHEET) + 1
    ws = book[PRINT_SHEET]
    header_row = next(c.row for c in ws["A"] if c.value == "优先级")
    assert ws.print_title_rows == f"${header_row}:${header_row}" and ws.freeze_panes == f"A{header_row + 1}"
    with zipfile.ZipFile(path) as z:
        xml = z.read(f"xl/worksheets/sheet{index}.xml").decode()
    assert re.search(r'<pageSetup[^>]*orientation="landscape"', xml) and 'paperSize="9"' in xml
    assert 'fitToWidth="1"' in xml or "fitToWidth" not in xml  # 1 is the default
    assert 'fitToHeight="0"' in xml and re.search(r'<pageSetUpPr fitToPage="(1|true)"', xml)
