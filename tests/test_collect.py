"""Collecting follow-ups back (renewal-workflow §3b): the merge rules on small hand-made
lists with the expected tracking written out, ``renewal-xl collect`` and the macro
``collect_followups`` (openpyxl workbook and the xlwings Book)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from fake_excel import FakeBook
from hypothesis import given, settings
from hypothesis import strategies as st
from registers import D, policy

from renewal_xl.app import macros
from renewal_xl.app.book import MARKER_NAME
from renewal_xl.app.collect import collect
from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.errors import SourceError
from renewal_xl.io.register import TRACKING_REQUIRED, tidy
from renewal_xl.render.openpyxl_book import OpenpyxlBook
from renewal_xl.workflow.followups import merge, no_entries
from udfs.xlbook import XlBook

HEADER = ["优先级", "保单号", "客户名称", "跟进状态", "脱保原因", "转投公司", "联系日期", "备注"]


def sheet(*rows):
    """A list sheet as cell rows: a note, a blank row, the header (row 3), data from row 4."""
    return [["续保清单 终保日期 2027-01-01 至 2027-01-31"], [], HEADER, *[list(r) for r in rows]]


def tracking(*rows):
    """A tracking table as read from 续保跟踪 (rows 2…): 保单号 跟进状态 脱保原因 转投公司 备注 联系日期."""
    frame = pd.DataFrame([list(r) for r in rows], columns=list(TRACKING.values()), dtype=object)
    return tidy(frame, TRACKING, TRACKING_REQUIRED, "续保跟踪")


def merged(collected):
    return [
        (r["policy_no"], r["status"], r["contact_date"], r["lapse_reason"], r["next_insurer"], r["remark"])
        for r in collected.tracking.to_dict("records")
    ]


def test_newest_contact_wins_older_never_replaces_conflicts_listed():
    current = tracking(
        ("A001", "跟进中", None, None, None, D(2026, 12, 1)),
        ("A002", "已续保", None, None, None, D(2026, 12, 10)),
        ("A003", "跟进中", None, None, None, D(2026, 12, 1)),
        ("A008", "未续保", "报废", None, None, D(2026, 11, 20)),
        ("A009", "未续保", "价格", "人保", None, D(2026, 12, 7)),
    )
    list1 = sheet(
        ("P3", "A001", "赵一", "未续保", "价格", "平安产险", D(2026, 12, 5), "比价"),  # newer: replaces 12-01
        ("P3", "A002", "钱二", "跟进中", None, None, D(2026, 12, 2), None),  # older than 12-10: left out
        ("P3", "A003", "孙三", None, None, None, None, "再联系"),  # no date: older than any date
        ("P1", "A005", "吴五", "已续保", None, None, D(2026, 12, 6), None),
        ("P2", "A006", "郑六", "跟进中", None, None, "2026-12-04", "已发通知"),
        ("P4", "A007", "王七", None, None, None, None, None),  # nothing filled: not an entry
        ("P3", "A009", "冯九", "已续保", None, None, D(2026, 12, 7), None),  # same day as the tracking row
    )
    list1_own = sheet(("P2", "A006", "郑六", "跟进中", None, None, dt.datetime(2026, 12, 4), "已发通知"))  # same again
    list2 = sheet(
        ("P1", "A004", "李四", "未续保", "转投他司", "太平洋", D(2026, 12, 3), None),
        ("P1", "A005", "吴五", "未续保", "价格", None, D(2026, 12, 6), None),  # same day as list1's, differs
    )
    sheets = [("甲 续保清单", list1), ("甲 续保-张伟", list1_own), ("乙 续保清单", list2)]
    collected, outcome = collect(sheets, current, "跟踪")
    assert merged(collected) == [
        ("A001", "未续保", D(2026, 12, 5), "价格", "平安产险", "比价"),
        ("A002", "已续保", D(2026, 12, 10), "", "", ""),
        ("A003", "跟进中", D(2026, 12, 1), "", "", ""),
        ("A008", "未续保", D(2026, 11, 20), "报废", "", ""),
        ("A009", "未续保", D(2026, 12, 7), "价格", "人保", ""),  # tie: the tracking row stays
        ("A005", "已续保", D(2026, 12, 6), "", "", ""),  # tie between lists: the first read
        ("A006", "跟进中", D(2026, 12, 4), "", "", "已发通知"),
        ("A004", "未续保", D(2026, 12, 3), "转投他司", "太平洋", ""),
    ]
    assert list(collected.tracking["source"]) == [
        "甲 续保清单 第 4 行",
        "跟踪 第 3 行",
        "跟踪 第 4 行",
        "跟踪 第 5 行",
        "跟踪 第 6 行",
        "甲 续保清单 第 7 行",
        "甲 续保清单 第 8 行",
        "乙 续保清单 第 4 行",
    ]
    assert (collected.added, collected.updated, collected.older) == (3, 1, 2)
    assert collected.changed == ["A001", "A005", "A006", "A004"]
    conflicts = collected.conflicts
    assert list(zip(conflicts["policy_no"], conflicts["status"], conflicts["source"], conflicts["kept"])) == [
        ("A009", "未续保", "跟踪 第 6 行", True),
        ("A009", "已续保", "甲 续保清单 第 10 行", False),
        ("A005", "已续保", "甲 续保清单 第 7 行", True),
        ("A005", "未续保", "乙 续保清单 第 5 行", False),
    ]
    assert outcome.messages == [
        "收集 3 个清单工作表: 填写的跟进记录 9 条; 续保跟踪 8 份保单 (新增 3, 更新 1)",
        "2 条较早的记录未采用 (同一保单已有更新的联系日期)",
        "2 份保单的跟进记录互相矛盾, 见工作表 冲突",
    ]
    assert [s.name for s in outcome.report.sheets] == ["续保跟踪", "冲突"]
    kept = outcome.report.sheets[1].tables[0].frame["采用"].tolist()
    assert kept == ["是", "否", "是", "否"]


def test_the_tracking_tables_last_row_of_a_policy_is_its_current_one():
    current = tracking(
        ("A001", "跟进中", None, None, None, D(2026, 12, 9)),
        ("A001", "已续保", None, None, None, None),  # the review reads this one
    )
    collected, _ = collect(
        [("清单", sheet(("P1", "A001", "x", "未续保", "价格", None, D(2026, 12, 1), None)))], current
    )
    assert merged(collected) == [("A001", "未续保", D(2026, 12, 1), "价格", "", "")]  # dated beats undated


@pytest.mark.parametrize(
    "row, message",
    [
        (
            ("P1", "A001", "x", "已联系", None, None, None, None),
            "清单 第 4 行: 跟进状态 已联系 不在下拉列表中 (已续保/未续保/跟进中)",
        ),
        (("P1", "A001", "x", "未续保", "太贵", None, None, None), "清单 第 4 行: 脱保原因 太贵 不在下拉列表中"),
        (("P1", "A001", "x", "跟进中", None, None, "下周", None), "清单 第 4 行: 联系日期须为日期, 如 2026-12-05"),
    ],
)
def test_a_value_the_drop_down_does_not_offer_is_named(row, message):
    with pytest.raises(SourceError) as caught:
        collect([("清单", sheet(row))])
    assert str(caught.value).startswith(message)


def test_a_sheet_without_followup_columns_is_refused():
    with pytest.raises(SourceError, match="找不到跟进列的表头"):
        collect([("旧清单", [["优先级", "保单号"], ["P1", "A001"]])])


# --- the command line ---------------------------------------------------------------------

CUSTOMERS = [("Q1", 1, "张伟"), ("Q2", 2, "张伟"), ("Q3", 3, "王芳")]


@pytest.fixture
def lists(tmp_path):
    rows = [policy(no, v, D(2025, 2, v + 1), salesperson=sp) for no, v, sp in CUSTOMERS]
    reg = tmp_path / "register.csv"
    pd.DataFrame(rows, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(reg, index=False, encoding="utf-8-sig")
    out = tmp_path / "lists"
    args = ["renewals", reg, "--as-of", "2026-01-20", "--hotline", "95500", "--split", "salesperson", "--out-dir", out]
    assert CliRunner().invoke(main, [str(a) for a in args]).exit_code == 0
    return out


def fill(path, sheet_name, policy_no, **values):
    """Type follow-ups into a handed-out list as a salesperson would (openpyxl, then save)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_name]
    top = next(r for r in range(1, 20) if ws.cell(r, 1).value == "优先级")
    headers = [c.value for c in ws[top]]
    row = next(r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, headers.index("保单号") + 1).value == policy_no)
    for header, value in values.items():
        ws.cell(row, headers.index(header) + 1).value = value
    wb.save(path)


def test_collect_merges_filled_lists_into_one_tracking_workbook(lists, tmp_path):
    fill(
        lists / "续保清单-张伟.xlsx",
        "续保-张伟",
        "Q1",
        跟进状态="未续保",
        脱保原因="价格",
        联系日期=dt.datetime(2026, 1, 25),
    )
    fill(lists / "续保清单-王芳.xlsx", "续保清单", "Q3", 跟进状态="跟进中", 备注="约下周")
    out = tmp_path / "track.xlsx"
    result = CliRunner().invoke(main, ["collect", *map(str, sorted(lists.iterdir())), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("收集 4 个清单工作表: 填写的跟进记录 2 条; 续保跟踪 2 份保单 (新增 2, 更新 0)")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["续保跟踪"]
    rows = list(wb["续保跟踪"].iter_rows(values_only=True))
    assert rows == [
        ("保单号", "跟进状态", "联系日期", "脱保原因", "转投公司", "备注", "来源"),
        (
            "Q1",
            "未续保",
            dt.datetime(2026, 1, 25),
            "价格",
            None,
            None,
            "文件 续保清单-张伟.xlsx 工作表 续保-张伟 第 4 行",
        ),
        ("Q3", "跟进中", None, None, None, "约下周", "文件 续保清单-王芳.xlsx 工作表 续保清单 第 6 行"),
    ]
    # a later round: 张伟 calls again, the earlier tracking is given; the review reads the result
    fill(
        lists / "续保清单-张伟.xlsx",
        "续保-张伟",
        "Q1",
        跟进状态="已续保",
        脱保原因=None,
        联系日期=dt.datetime(2026, 1, 28),
    )
    again = tmp_path / "track2.xlsx"
    result = CliRunner().invoke(
        main, ["collect", str(lists / "续保清单-张伟.xlsx"), "--tracking", str(out), "-o", str(again)]
    )
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(again)["续保跟踪"].iter_rows(values_only=True))
    assert [r[:3] for r in rows[1:]] == [("Q1", "已续保", dt.datetime(2026, 1, 28)), ("Q3", "跟进中", None)]
    assert rows[2][6] == "文件 续保清单-王芳.xlsx 工作表 续保清单 第 6 行"  # where it came from, kept


@pytest.mark.parametrize(
    "name, message",
    [
        ("nosuch.xlsx", "错误: 文件 {tmp}/nosuch.xlsx: 文件不存在"),
        ("list.csv", "错误: 文件 list.csv: 续保清单须为 .xlsx 或 .xlsm 工作簿"),
    ],
)
def test_collect_names_a_list_it_cannot_read(tmp_path, name, message):
    (tmp_path / "list.csv").write_text("保单号\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", str(tmp_path / name), "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2 and result.stderr.strip() == message.format(tmp=tmp_path)
    assert not (tmp_path / "t.xlsx").exists()


def test_collect_refuses_a_file_without_lists(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "续保汇总"
    path = tmp_path / "summary.xlsx"
    wb.save(path)
    result = CliRunner().invoke(main, ["collect", str(path), "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "错误: 文件 summary.xlsx: 没有续保清单工作表 (续保清单 或 续保-<业务员>) (已有: 续保汇总)"
    )
    assert not (tmp_path / "t.xlsx").exists()


# --- the macro ----------------------------------------------------------------------------


def workbook(tmp_path, with_tracking: bool):
    wb = openpyxl.Workbook()
    reg = wb.active
    reg.title = "保单台账"
    reg.append(list(REGISTER.values()))
    for no, v, sp in CUSTOMERS:
        row = policy(no, v, D(2025, 2, v + 1), salesperson=sp)
        reg.append([None if row[k] == "" else row[k] for k in REGISTER])
    if with_tracking:
        track = wb.create_sheet("续保跟踪")  # the user's own, as in the sales template: no 联系日期
        track.append(list(TRACKING.values()))
        track.append(["Q2", "跟进中", None, None, "已发通知"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    book = OpenpyxlBook(path)
    macros.generate_renewal_list(book, D(2026, 1, 20))
    book.save()
    return path


def run_collect(path):
    book = OpenpyxlBook(path)
    messages = macros.collect_followups(book)
    book.save()
    return messages


def test_macro_appends_to_the_users_tracking_sheet_and_changes_none_of_its_rows(tmp_path):
    path = workbook(tmp_path, with_tracking=True)
    fill(path, "续保-张伟", "Q1", 跟进状态="未续保", 脱保原因="停驶", 联系日期=dt.datetime(2026, 1, 22))
    messages = run_collect(path)
    assert messages[-1] == "工作表 续保跟踪 是用户的表格, 已在末尾追加 1 行 (原有各行未改动)"
    ws = openpyxl.load_workbook(path)["续保跟踪"]
    assert MARKER_NAME not in ws.defined_names
    assert list(ws.iter_rows(values_only=True)) == [
        ("保单号", "跟进状态", "脱保原因", "转投公司", "备注", "联系日期", "来源"),
        ("Q2", "跟进中", None, None, "已发通知", None, None),
        ("Q1", "未续保", "停驶", None, None, dt.datetime(2026, 1, 22), "工作表 续保-张伟 第 4 行"),
    ]
    assert run_collect(path)[-1] == "工作表 续保跟踪 是用户的表格, 已在末尾追加 0 行 (原有各行未改动)"  # nothing new


def test_macro_writes_a_tracking_sheet_when_there_is_none(tmp_path):
    path = workbook(tmp_path, with_tracking=False)
    fill(path, "续保清单", "Q3", 跟进状态="已续保", 联系日期=dt.datetime(2026, 1, 21))
    fill(path, "续保-王芳", "Q3", 跟进状态="未续保", 脱保原因="价格", 联系日期=dt.datetime(2026, 1, 21))
    messages = run_collect(path)
    assert "1 份保单的跟进记录互相矛盾, 见工作表 冲突" in messages
    wb = openpyxl.load_workbook(path)
    assert MARKER_NAME in wb["续保跟踪"].defined_names and "冲突" in wb.sheetnames
    assert [r[:3] for r in wb["续保跟踪"].iter_rows(values_only=True)] == [
        ("保单号", "跟进状态", "联系日期"),
        ("Q3", "已续保", dt.datetime(2026, 1, 21)),  # the first read (续保清单) is kept
    ]


def test_xlwings_book_appends_below_the_last_filled_row():
    book = FakeBook("续保跟踪")
    ws = book.sheets["续保跟踪"]
    for j, h in enumerate(["保单号", "跟进状态", "脱保原因"], start=1):
        ws.cells[(1, j)] = h
    ws.cells[(2, 1)], ws.cells[(2, 2)] = "Q2", "跟进中"
    XlBook(book).append_rows("续保跟踪", [{"保单号": "Q1", "跟进状态": "未续保", "联系日期": D(2026, 1, 22)}])
    assert ws.row(1) == ["保单号", "跟进状态", "脱保原因", "联系日期"]
    assert ws.row(2) == ["Q2", "跟进中"]
    assert ws.row(3) == ["Q1", "未续保", None, dt.datetime(2026, 1, 22)]
    assert ws.formats[(3, 4)] == "yyyy-mm-dd" and ws.formats[(3, 1)] == "@"


def test_a_sheet_without_followup_columns_beside_lists_is_skipped_and_named():
    own = [["续保-计划"], ["客户", "计划"]]
    collected, outcome = collect(
        [("续保-计划", own), ("续保清单", sheet(("P1", "A001", "x", "跟进中", None, None, None, None)))]
    )
    assert len(collected.tracking) == 1
    assert outcome.messages[:2] == [
        "收集 1 个清单工作表: 填写的跟进记录 1 条; 续保跟踪 1 份保单 (新增 1, 更新 0)",
        "没有跟进列, 未读取: 续保-计划",
    ]


# --- properties ---------------------------------------------------------------------------


entry = st.tuples(
    st.sampled_from(["A1", "A2", "A3"]),
    st.sampled_from(["已续保", "未续保", "跟进中", ""]),
    st.one_of(st.none(), st.dates(D(2026, 12, 1), D(2026, 12, 4))),
)


def entries(rows):
    frame = no_entries()
    for k, (no, status, day) in enumerate(rows):
        frame.loc[k] = {
            "policy_no": no,
            "status": status,
            "contact_date": day,
            "lapse_reason": "",
            "next_insurer": "",
            "remark": "",
            "source": f"第 {k} 条",
        }
    return frame


@settings(max_examples=60, deadline=None)
@given(st.lists(entry, max_size=8), st.lists(entry, max_size=8))
def test_merge_keeps_the_newest_per_policy_and_a_second_pass_changes_nothing(old, new):
    current = merge(no_entries(), entries(old)).tracking
    collected = merge(current, entries(new))
    result = collected.tracking
    assert result["policy_no"].is_unique
    assert set(result["policy_no"]) == {no for no, _, _ in old + new}
    for no, day in zip(result["policy_no"], result["contact_date"]):
        days = [d for n, _, d in old + new if n == no and d is not None]
        assert day == (max(days) if days else None)  # the newest contact wins, nothing older replaces it
    again = merge(result, entries(new))
    assert (again.added, again.updated, again.changed) == (0, 0, [])
    assert again.tracking.equals(result)
