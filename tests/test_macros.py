"""Macros over the openpyxl Book: the contract's sheets are written, every other sheet is
unchanged, and a sheet the user made is never overwritten (excel-contract §2)."""

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from registers import D, policy

from renewal_xl.app import macros
from renewal_xl.app.book import MARKER_NAME
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.errors import SourceError
from renewal_xl.render.openpyxl_book import OpenpyxlBook

TODAY = D(2026, 1, 20)  # renewal list: February; review and statements: December 2025


def _rows():
    return [
        policy("P1", 1, D(2025, 2, 5), salesperson="张伟", customer='=HYPERLINK("x")'),
        policy("P2", 2, D(2025, 2, 10), salesperson="王芳/组长", vip="是", phone="13912345678"),
        policy("P3", 3, D(2024, 12, 10), salesperson="张伟", channel="专业代理", agency="AG001"),
        policy("P3R", 3, D(2025, 12, 10), salesperson="李娜", channel="专业代理", agency="AG001"),
        policy("P4", 4, D(2024, 12, 20), salesperson="王芳/组长"),
    ]


@pytest.fixture
def workbook(tmp_path):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本工作簿由业务部维护"
    notes["A1"].font = Font(bold=True, color="FF0000")
    notes["B2"] = "=1+1"
    notes["C3"] = dt.date(2026, 1, 1)
    notes["C3"].fill = PatternFill("solid", fgColor="FFFF00")
    reg = wb.create_sheet("保单台账")
    reg.append(list(REGISTER.values()))
    for row in _rows():
        reg.append([None if row[k] == "" else row[k] for k in REGISTER])  # Excel writes no empty strings
    for cell in reg["D"]:
        cell.data_type = "s"  # a customer name typed as text, even when it starts with =
    track = wb.create_sheet("续保跟踪")
    track.append(list(TRACKING.values()))
    track.append(["P4", "未续保", "价格", "平安产险", None])
    mine = wb.create_sheet("续保清单")  # the user's own sheet of that name, no marker
    mine["A1"] = "我自己的清单"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def sheet_parts(path) -> dict[str, bytes]:
    """Sheet name → the bytes of its worksheet XML part inside the xlsx zip."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="/?(?:xl/)?([^"]+)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*Id="(rId\d+)"', rels)}
        sheets = re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', workbook)
        return {name: z.read("xl/" + targets[rid]) for name, rid in sheets}


def run(path, macro, **options):
    book = OpenpyxlBook(path)
    messages = macro(book, TODAY, **options)
    book.save()
    return messages


def test_generate_renewal_list_writes_the_contract_sheets_and_keeps_the_rest(workbook):
    before = sheet_parts(workbook)
    messages = run(workbook, macros.generate_renewal_list, hotline="95500")
    after = sheet_parts(workbook)
    for name in ("说明", "保单台账", "续保跟踪", "续保清单"):
        assert after[name] == before[name], name  # byte-for-byte
    assert list(after)[:4] == ["说明", "保单台账", "续保跟踪", "续保清单"]
    # salesperson sheets in pinyin order: 王芳 (wang) before 张伟 (zhang)
    assert list(after)[4:] == [
        "续保清单(2)",
        "打印清单",
        "续保-王芳_组长",
        "续保-张伟",
        "续保汇总",
        "续保通知",
        "续保方案",
    ]
    assert "工作表 续保清单 是用户创建的, 未覆盖; 结果写入 续保清单(2)" in messages
    assert messages[0] == "续保清单 2026-02-01 至 2026-02-28: 应续 2 件, 已提前续保 0 件, 报价失败 0 件"
    wb = openpyxl.load_workbook(workbook)
    assert wb["续保清单"]["A1"].value == "我自己的清单" and MARKER_NAME not in wb["续保清单"].defined_names
    assert MARKER_NAME in wb["续保清单(2)"].defined_names
    listed = wb["续保清单(2)"]
    header_row = next(r for r in range(1, 10) if listed.cell(r, 1).value == "优先级")
    cells = {listed.cell(header_row, c).value: listed.cell(header_row + 1, c) for c in range(1, listed.max_column + 1)}
    assert cells["保单号"].value == "P1"
    assert cells["客户名称"].value == '=HYPERLINK("x")' and cells["客户名称"].data_type == "s"  # text, not a formula
    assert wb["续保通知"].cell(5, 7).value.endswith("客服热线 95500。")


def test_rerun_replaces_its_own_sheets_in_place(workbook):
    run(workbook, macros.generate_renewal_list)
    first = openpyxl.load_workbook(workbook).sheetnames
    before = sheet_parts(workbook)
    messages = run(workbook, macros.generate_renewal_list)
    assert openpyxl.load_workbook(workbook).sheetnames == first  # no 续保清单(3), no duplicates
    assert "工作表 续保清单 是用户创建的, 未覆盖; 结果写入 续保清单(2)" in messages
    after = sheet_parts(workbook)
    for name in ("说明", "保单台账", "续保跟踪", "续保清单"):
        assert after[name] == before[name], name


def test_monthly_review_writes_analysis_with_charts(workbook):
    before = sheet_parts(workbook)
    messages = run(workbook, macros.monthly_review)
    assert messages[0] == (
        "2025-12 续保分析: 应续 2 件, 实续 1 件, 未到期 0 件, 脱保 1 件, 待核实 0 件, "
        "非原业务员原机构续保 1 件, 未填写脱保原因 0 件 (截至 2026-01-20)"
    )
    after = sheet_parts(workbook)
    assert all(after[n] == before[n] for n in before)
    ws = openpyxl.load_workbook(workbook)["续保分析"]
    assert len(ws._charts) == 2 and MARKER_NAME in ws.defined_names


def test_check_data_and_commission_statement(workbook):
    before = sheet_parts(workbook)
    assert run(workbook, macros.check_data)[0] == "检查 5 行: 未发现问题"
    assert (
        run(workbook, macros.commission_statement)[0]
        == "2025-12 结算: 1 份保单, 手续费合计 450.00 元, 绩效合计 105.60 元"
    )  # AG001 renewal 15 %
    after = sheet_parts(workbook)
    assert all(after[n] == before[n] for n in before)
    wb = openpyxl.load_workbook(workbook)
    assert {"数据质量", "手续费结算", "绩效提取", "年度绩效"} <= set(wb.sheetnames)
    assert wb["年度绩效"]["A1"].value.startswith("2025年 年度绩效 (2025-01-01 至 2025-12-31")


def test_missing_register_sheet_raises_a_chinese_error(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(SourceError, match="工作簿: 没有工作表 保单台账"):
        macros.generate_renewal_list(OpenpyxlBook(path), TODAY)


def test_commission_statement_takes_the_years_targets_from_the_workbook(workbook):
    wb = openpyxl.load_workbook(workbook)
    targets = wb.create_sheet("目标")
    targets.append(["业务员", "续保件数目标", "续保率目标"])
    targets.append(["李娜", 1, None])
    wb.save(workbook)
    messages = run(workbook, macros.commission_statement)
    # P3R (李娜, 2025-12-10, 3,000) renews P3: 1 renewal ≥ 1 → round2(3,000 × 2 %) = 60.00
    year = next(m for m in messages if m.startswith("2025年 年度绩效"))
    assert year.startswith("2025年 年度绩效 (2025-01-01 至 2025-12-31): 3 名业务员")
    assert year.endswith("续保奖励 60.00 元 (达标 1 人)")
    assert openpyxl.load_workbook(workbook)["目标"]["A2"].value == "李娜"  # the user's sheet is kept
