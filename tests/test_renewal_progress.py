"""Progress in the month (renewal-workflow §3a) on a small hand-made register: counts per
salesperson, pending by days to expiry, contacted or not, the urgent list; the command and
the macro."""

import datetime as dt

import openpyxl
from registers import D, policy, register, tracking

from renewal_xl.app import macros
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.dates import month_bounds
from renewal_xl.render.openpyxl_book import OpenpyxlBook
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.progress import month_progress

DECEMBER = Window(*month_bounds("2026-12"))
AS_OF = D(2026, 12, 10)


def ending(no, v, end, salesperson="王芳"):
    return policy(no, v, end.replace(year=end.year - 1) + dt.timedelta(days=1), end=end, salesperson=salesperson)


ROWS = [
    ending("A", 1, D(2026, 12, 5)),  # ended before as_of, not renewed: lapsed
    ending("B", 2, D(2026, 12, 10)),  # 0 days left, not contacted: urgent
    ending("C", 3, D(2026, 12, 17)),  # 7 days, 跟进中: contacted, not urgent
    ending("D", 4, D(2026, 12, 18)),  # 8 days, not contacted: 8–15, not urgent (> 7 days)
    ending("E", 5, D(2026, 12, 26), "李娜"),  # 16 days, a 联系日期 only: contacted
    ending("G", 6, D(2026, 12, 3), "李娜"),
    policy("GR", 6, D(2026, 12, 4), salesperson="李娜"),  # G renewed on time
    ending("H", 7, D(2026, 12, 12), "李娜"),  # 2 days, not contacted: urgent
]
TRACK = [("C", "跟进中"), ("E", None, None, None, None, D(2026, 12, 1)), ("A", "未续保", "价格")]


def progress(rows=ROWS, track=TRACK, as_of=AS_OF):
    p = read_policies(register(*rows), default_tariff())
    return month_progress(p, DECEMBER, tracking(*track), as_of, default_tariff())


def test_counts_per_salesperson_and_total():
    by = progress().by_salesperson.set_index("salesperson")
    # 王芳: A B C D due; A lapsed; B C D pending: B (0) C (7) in 0–7, D (8) in 8–15; C contacted
    assert by.loc["王芳", ["due", "renewed", "lapsed", "pending", "days_0_7", "days_8_15", "days_16_31"]].tolist() == [
        4, 0, 1, 3, 2, 1, 0,
    ]  # fmt: skip
    assert by.loc["王芳", ["contacted", "not_contacted"]].tolist() == [1, 2]
    # 李娜: E G H due; G renewed; E (16 days, contacted) and H (2 days, not contacted) pending
    assert by.loc["李娜", ["due", "renewed", "pending", "days_0_7", "days_16_31", "contacted", "not_contacted"]].tolist() == [
        3, 1, 2, 1, 1, 1, 1,
    ]  # fmt: skip
    total = by.loc["合计"]
    assert total[["due", "renewed", "lapsed", "pending", "contacted", "not_contacted"]].tolist() == [7, 1, 1, 5, 2, 3]
    assert total["premium_due"] == 7 * 300000  # 3,000.00 yuan each


def test_urgent_list_is_pending_within_7_days_not_contacted_by_days_left():
    urgent = progress().urgent
    assert urgent["policy_no"].tolist() == ["B", "H"] and urgent["days_left"].tolist() == [0, 2]


def test_later_than_31_days():
    rows = [ending("P", 1, D(2026, 12, 21)), ending("Q", 2, D(2026, 12, 22))]
    by = progress(rows, [], as_of=D(2026, 11, 20)).by_salesperson.set_index("salesperson")
    assert by.loc["王芳", ["days_16_31", "days_later"]].tolist() == [1, 1]  # 31 and 32 days left


def test_renewal_progress_macro_writes_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(list(REGISTER.values()))
    for row in ROWS:
        ws.append([None if row[k] == "" else row[k] for k in REGISTER])
    track = wb.create_sheet("续保跟踪")
    track.append(list(TRACKING.values()))
    track.append(["C", "跟进中"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    book = OpenpyxlBook(path)
    messages = macros.renewal_progress(book, AS_OF)
    book.save()
    assert (
        messages[0]
        == "2026-12 续保进度 (截至 2026-12-10): 应续 7 件, 已续保 1 件, 未到期 5 件 (未联系 4 件), 已脱保 1 件, 紧急 2 件"
    )
    sheet = openpyxl.load_workbook(path)["续保进度"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "紧急跟进: 7 天内到期、未续保、未联系 (按剩余天数)" in values and "H" in values


def test_progress_command_defaults_to_the_month_of_as_of(tmp_path):
    from test_cli import invoke, write_csv

    csv = write_csv(tmp_path / "r.csv", *ROWS)
    out = tmp_path / "progress.xlsx"
    result = invoke("progress", csv, "--as-of", "2026-12-10", "-o", out)
    assert result.exit_code == 0, result.output
    # no tracking: every pending policy is not contacted; urgent B (0 days), H (2), C (7)
    assert result.stdout.splitlines()[:2] == [
        "2026-12 续保进度 (截至 2026-12-10): 应续 7 件, 已续保 1 件, 未到期 5 件 (未联系 5 件), 已脱保 1 件, 紧急 3 件",
        "没有续保跟踪表: 未到期的保单均记为 未联系",
    ]
    assert openpyxl.load_workbook(out).sheetnames == ["续保进度"]
