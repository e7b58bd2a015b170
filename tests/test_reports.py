"""Report builders and the openpyxl writer: sheet names, headers, formats, text safety."""

import datetime as dt

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from registers import D, policy, register

from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.price import price_report
from renewal_xl.reports.renewals import renewals_report
from renewal_xl.reports.spec import Chart, Report, Sheet, Table
from renewal_xl.reports.tables import table
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window, due_list
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.renewal_quote import price_renewals

AS_OF = D(2026, 1, 20)


def ending(no, v, **fields):
    return policy(no, v, D(2025, 2, 10), **fields)


def test_salesperson_sheets_have_valid_unique_names():
    long_name = "欧阳" * 20
    rows = [
        ending("A", 1, salesperson=long_name),
        ending("B", 2, salesperson=long_name + "乙"),
        ending("C", 3, salesperson="Li*Na"),
        ending("D", 4, salesperson="li*na"),
        ending("E", 5, salesperson=""),
    ]
    due = due_list(read_policies(register(*rows), default_tariff()), Window.of(AS_OF), AS_OF)
    names = [s.name for s in renewals_report(due, "95500").sheets]
    assert names[:2] == ["续保清单", "打印清单"] and names[-3:] == ["续保汇总", "续保通知", "续保方案"]
    people = names[2:-3]
    assert all(len(n) <= 31 and not set(n) & set(":\\/?*[]") for n in people)
    assert len({n.casefold() for n in names}) == len(names) == 10
    assert "续保-未分配" in people and "续保-Li_Na" in people and "续保-li_na(2)" in people


def test_writer_layout_formats_and_text_safety(tmp_path):
    frame = pd.DataFrame(
        {
            "名称": ["=SUM(A1)", "+1", "-x", "@y", "普通"],
            "金额": [1.5, 2.0, None, 4.25, 5.0],
            "日期": pd.to_datetime(["2026-01-31", None, "2026-02-01", "2026-02-02", "2026-02-03"]),
        }
    )
    sheet = Sheet(
        "测试",
        [Table(frame, title="明细", formats={"金额": "#,##0.00", "日期": "yyyy-mm-dd"})],
        notes=["第一行说明", "=不是公式"],
        charts=[Chart("bar", "金额", 0, "名称", "金额")],
    )
    path = tmp_path / "t.xlsx"
    write_report(Report([sheet]), path)
    ws = openpyxl.load_workbook(path)["测试"]
    assert ws["A1"].value == "第一行说明" and ws["A1"].font.b
    assert ws["A2"].value == "=不是公式" and ws["A2"].data_type == "s"
    assert ws["A4"].value == "明细" and [c.value for c in ws[5]] == ["名称", "金额", "日期"] and ws["B5"].font.b
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref == "A5:C10"
    assert [ws.cell(r, 1).data_type for r in range(6, 11)] == ["s"] * 5
    assert ws["A6"].value == "=SUM(A1)" and ws["A6"].quotePrefix
    assert ws["B6"].number_format == "#,##0.00" and ws["B8"].value is None and ws["B9"].value == 4.25
    assert (
        ws["C6"].number_format == "yyyy-mm-dd" and ws["C6"].value == dt.datetime(2026, 1, 31) and ws["C7"].value is None
    )
    assert len(ws._charts) == 1 and ws.column_dimensions["A"].width >= 10


def test_price_report_keeps_the_register_and_adds_the_quote():
    reg = register(
        policy(
            "P1",
            1,
            D(2025, 2, 15),
            first_registration="2023-08-15",
            new_car_price="150,000",
            claim_free_years=1,
            end=D(2026, 2, 14),
        ),
        policy("P2", 2, D(2025, 2, 15), seats=20),
    )
    t = price_report(reg, price_renewals(reg.frame)).sheets[0].tables[0]
    f = t.frame
    assert list(f.columns[:3]) == ["保单号", "车架号", "车牌号"]
    assert f.loc[0, "新车购置价"] == 150000.0 and f.loc[0, "初登日期"].date() == dt.date(2023, 8, 15)  # typed for Excel
    assert f["初登日期"].dtype.kind == "M" and f["新车购置价"].dtype.kind == "f"  # columns that read whole stay typed
    assert f.loc[0, "续保报价"] == 3253.15 and f.loc[0, "代金券"] == 200.0 and f.loc[0, "车损"] == 2194.90
    assert pd.isna(f.loc[0, "玻璃"]) and f.loc[0, "报价说明"] == ""
    assert pd.isna(f.loc[1, "续保报价"]) and f.loc[1, "报价说明"].startswith("座位数 seats=20")
    assert t.formats["续保报价"] == "#,##0.00" and t.formats["起保日期"] == "yyyy-mm-dd"


def test_a_date_column_with_a_cell_that_is_no_date_keeps_that_cell_as_written():
    reg = register(
        policy("P1", 1, D(2025, 2, 15), first_registration="2023-08-15"),
        policy("P2", 2, D(2025, 2, 15), first_registration="不详"),
    )
    f = price_report(reg, price_renewals(reg.frame)).sheets[0].tables[0].frame
    assert f["初登日期"].tolist() == [dt.date(2023, 8, 15), "不详"]  # text, never a nonsense date
    assert f["起保日期"].dtype.kind == "M"  # the column that reads whole stays datetime64


def test_new_workbook_sheets_carry_the_marker_whatever_their_names(tmp_path):
    names = ["续保清单", "续保-#REF!", "it's", "续保-O'Brien!"]
    path = tmp_path / "m.xlsx"
    write_report(Report([Sheet(n, [Table(pd.DataFrame({"a": [1]}))]) for n in names]), path)
    book = openpyxl.load_workbook(path)
    assert [(ws.title, list(ws.defined_names)) for ws in book.worksheets] == [
        (n, ["RenewalXL_Generated"]) for n in names
    ]


def test_salespeople_are_in_pinyin_order_with_the_total_last(tmp_path):
    people = ["刘洋", "张伟", "李娜", "陈静", "黄敏"]  # code-point order: 刘 张 李 陈 黄
    rows = [ending(f"P{k}", k, salesperson=p) for k, p in enumerate(people, start=1)]
    due = due_list(read_policies(register(*rows), default_tariff()), Window.of(AS_OF), AS_OF)
    report = renewals_report(due, "95500")
    pinyin = ["陈静", "黄敏", "李娜", "刘洋", "张伟"]  # chen huang li liu zhang
    assert [s.name for s in report.sheets[2:-3]] == [f"续保-{p}" for p in pinyin]  # then 汇总, 通知, 方案
    summary = report.sheets[-3].tables[0]
    assert summary.frame["业务员"].tolist() == [*pinyin, "合计"] and summary.total
    path = tmp_path / "r.xlsx"
    write_report(report, path)
    ws = openpyxl.load_workbook(path)["续保汇总"]
    total = next(c.row for c in ws["A"] if c.value == "合计")
    assert ws.cell(total, 1).font.b and ws.cell(total, 2).value == 5 and ws.cell(total, 2).font.b
    assert not ws.cell(total - 1, 1).font.b


def test_blank_text_is_written_as_an_empty_cell_not_as_empty_text(tmp_path):
    # a blank commission rate read back as "" would be text to Excel: =V4*M4 gives #VALUE!
    frame = pd.DataFrame({"代理机构": ["AG001", "", None], "手续费率": [0.1, "", None]})
    path = tmp_path / "b.xlsx"
    write_report(Report([Sheet("b", [Table(frame)])]), path)
    import zipfile

    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B2"' in xml and '<c r="A2"' in xml
    assert not any(f'<c r="{c}"' in xml for c in ("A3", "B3", "A4", "B4"))  # no cell at all


def test_without_a_hotline_no_notice_is_written(monkeypatch):
    from renewal_xl.app import jobs

    monkeypatch.delenv("RENEWAL_XL_HOTLINE", raising=False)
    reg = register(ending("P1", 1), ending("P2", 2))
    outcome = jobs.renewals(reg, AS_OF, Window.of(AS_OF), hotline="  ")
    notice = outcome.report.sheets[-2]  # the last sheet is 续保方案
    assert notice.name == "续保通知" and notice.tables == [] and "未生成续保通知" in notice.notes[0]
    assert any(m.startswith("未设置客服热线: 未生成续保通知") for m in outcome.messages)
    with_line = jobs.renewals(reg, AS_OF, Window.of(AS_OF), hotline="95500").report.sheets[-2]
    assert len(with_line.tables[0].frame) == 2
    assert all(t.endswith("客服热线 95500。") for t in with_line.tables[0].frame["通知内容"])


def test_a_sheet_of_stacked_tables_keeps_its_title_line_in_view_in_every_renderer(tmp_path):
    """Review, year, business mix and statements stack several tables: no one header row
    applies, so the title line (row 1: what and as of when) is frozen; a list freezes down to
    its header row; a sheet without tables freezes nothing."""
    from renewal_xl.render import openpyxl_book

    tables = [Table(pd.DataFrame({"月份": ["2026-11"], "件数": [3]}), title="按月份")]
    tables.append(Table(pd.DataFrame({"业务员": ["张三", "李四"], "件数": [1, 2]}), title="按业务员"))
    stacked = Sheet("续保分析", tables, notes=["2026年11月 续保分析", "应续 3 件"], freeze=False)
    listed = Sheet("清单", tables[1:], notes=["说明一", "说明二"])
    letters = Sheet("续保通知", [], notes=["未设置客服热线"], freeze=False)
    want = {"续保分析": "A2", "清单": "A6", "续保通知": None}  # 清单: notes, a blank row, its title, header on 5
    for engine in ("xlsxwriter", "rust"):
        write_report(Report([stacked, listed, letters]), tmp_path / f"{engine}.xlsx", engine=engine)
        book = openpyxl.load_workbook(tmp_path / f"{engine}.xlsx")
        assert {ws.title: ws.freeze_panes for ws in book.worksheets} == want, engine
    book = openpyxl.Workbook()
    for sheet in (stacked, listed, letters):
        openpyxl_book.render(book.create_sheet(sheet.name), sheet)
    assert {name: book[name].freeze_panes for name in want} == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=5), st.sampled_from(["", " ", "张伟", "P1"])), max_size=20))
def test_a_table_holds_a_text_column_as_str_whatever_text_dtype_it_came_in(texts):
    columns = [("name", "业务员", "text"), ("n", "件数", "int")]
    counts = list(range(len(texts)))
    made = [
        table(pd.DataFrame({"name": pd.array(texts, dtype=kind), "n": counts}), columns).frame
        for kind in ("str", object, "string[python]")
    ]
    for frame in made:
        assert str(frame["业务员"].dtype) == ("str" if texts else "object")
        assert frame["业务员"].tolist() == texts and frame["件数"].tolist() == counts
        assert frame.index.tolist() == counts
