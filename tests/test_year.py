"""The year 年度绩效 (renewal-workflow §6) on a hand-worked register (tariff manual §8, §9).

The register (default tariff; policies of one year; premiums in yuan):

| vehicle | expiring policy (2025)      | renewal (2026)                           | salesperson |
|---------|-----------------------------|------------------------------------------|-------------|
| 1       | A1 2025-03-01, 4000         | A2 2026-03-01, 5000.25, 专业代理 AG003   | 张伟        |
| 2       | B1 2025-06-10, 3000         | B2 2026-06-10, 3000.25, 直销             | 张伟        |
| 3       | C1 2025-09-01, 2000         | — (lost)                                 | 张伟        |
| 4       | D1 2025-04-01, 3000         | D2 2026-04-01, 3000                      | 王芳        |
| 5       | E1 2025-05-01, 3000         | E2 2026-05-01, 3000                      | 王芳        |
| 6       | F1 2025-07-01, 4500         | F2 2026-07-01, 4000.25                   | 李娜        |
| 7       | G1 2025-08-01, 1000         | — (lost)                                 | 赵磊        |
| 8       | —                           | N1 2026-02-15 new business, 2000, AG001  | 赵磊        |

Targets: 张伟 2 renewals, 95 %; 王芳 3; 刘洋 1 (no business).
"""

import datetime as dt
import functools

import openpyxl
import pandas as pd
from registers import D, policy, register

from renewal_xl.app import jobs
from renewal_xl.columns import TARGETS
from renewal_xl.errors import InputError
from renewal_xl.io.register import empty_tracking, tidy
from renewal_xl.tariff import catalogue, default_tariff
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.review import monthly_review
from renewal_xl.workflow.statements import statements
from renewal_xl.workflow.year import months_of, targets_of, year_period, year_statements

AGENCY = {"channel": "专业代理", "agency": "AG003"}


def pair(no, v, start, old_premium, new_premium, salesperson, **fields):
    old = policy(f"{no}1", v, start.replace(year=2025), premium=old_premium, salesperson=salesperson)
    return [old, policy(f"{no}2", v, start, premium=new_premium, salesperson=salesperson, **fields)]


ROWS = [
    *pair("A", 1, D(2026, 3, 1), 4000, 5000.25, "张伟", **AGENCY),
    *pair("B", 2, D(2026, 6, 10), 3000, 3000.25, "张伟"),
    policy("C1", 3, D(2025, 9, 1), premium=2000, salesperson="张伟"),
    *pair("D", 4, D(2026, 4, 1), 3000, 3000, "王芳"),
    *pair("E", 5, D(2026, 5, 1), 3000, 3000, "王芳"),
    *pair("F", 6, D(2026, 7, 1), 4500, 4000.25, "李娜"),
    policy("G1", 7, D(2025, 8, 1), premium=1000, salesperson="赵磊"),
    policy("N1", 8, D(2026, 2, 15), premium=2000, salesperson="赵磊", channel="专业代理", agency="AG001"),
]


def targets(*rows):
    frame = pd.DataFrame(list(rows), columns=list(TARGETS)).astype(object)
    return tidy(frame, TARGETS, (), "目标")


TARGET_TABLE = targets(("张伟", 2, "95%"), ("王芳", 3, None), ("刘洋", 1, None))


YEAR_END = D(2026, 12, 31)


@functools.cache
def run(as_of=YEAR_END, with_targets=True):
    """The year of :data:`ROWS` (computed once per arguments; the tests only read it)."""
    goals = targets_of(TARGET_TABLE.frame) if with_targets else None
    return year_statements(read_policies(register(*ROWS), default_tariff()), 2026, as_of, catalogue(), goals)


def test_salesperson_figures_worked_by_hand():
    people = run().salespeople.set_index("salesperson")
    z = people.loc["张伟"]
    # written in 2026: A2 5000.25 + B2 3000.25 = 8000.50, both renewals
    assert (z["count"], z["premium"], z["renewals"], z["renewal_premium"]) == (2, 800050, 2, 800050)
    # A2: commission round2(5000.25 × 14 %) = 700.035 → 700.04; B2 direct: 0
    assert z["commission"] == 70004
    # A2: round2(5000.25 × 8 % × 0.4 (c = 14 % ≤ 16 %) × 1.10) = 176.0088 → 176.01
    # B2: round2(3000.25 × 8 % × 1.25 × 1.10) = 330.0275 → 330.03; no saved commission
    assert (z["extraction"], z["saved"], z["pay"]) == (17601 + 33003, 0, 50604)
    # due in 2026: A1 4000, B1 3000, C1 2000 = 9000.00; renewed A1, B1 by 8000.50
    assert (z["due"], z["renewed"], z["premium_due"], z["premium_renewed"]) == (3, 2, 900000, 800050)
    assert z["count_rate"] == 2 / 3 and z["premium_rate"] == 800050 / 900000
    # target 95 % against 88.9 %: not met; the count target (2) is met
    assert z["rate_met"] == False and z["count_met"] == True  # noqa: E712


def test_bonus_once_for_the_year_and_only_when_the_target_is_met():
    people = run().salespeople.set_index("salesperson")
    # once on the year: round2(8000.50 × 2 %) = 160.01; month by month it would be
    # round2(5000.25 × 2 %) + round2(3000.25 × 2 %) = 100.01 + 60.01 = 160.02
    assert people.loc["张伟", "bonus"] == 16001
    # 王芳: 2 renewals against a target of 3: no bonus; 李娜 and 赵磊 have no target
    assert people.loc["王芳", ["renewals", "target_count", "bonus"]].tolist() == [2, 3, 0]
    assert people.loc["李娜", "bonus"] == 0 and people.loc["赵磊", "bonus"] == 0
    assert people.loc["合计", "bonus"] == 16001
    # one renewal fewer (B2 not written by year end): 1 < 2, no bonus at all
    assert run(as_of=D(2026, 6, 9)).salespeople.set_index("salesperson").loc["张伟", "bonus"] == 0
    # no targets table: nobody earns it
    assert run(with_targets=False).salespeople["bonus"].sum() == 0


def test_ranking_by_premium_rate_with_stated_ties():
    people = run().salespeople
    # 王芳 6000/6000 = 100 %; 张伟 8000.50/9000 and 李娜 4000.25/4500 are both 88.9 % exactly
    # (8000.50 × 4500 = 4000.25 × 9000): they share rank 2, listed by name; 赵磊 0/1000 is
    # 4th; 刘洋 has nothing due: no rank, listed last, then the total
    assert people["salesperson"].tolist() == ["王芳", "张伟", "李娜", "赵磊", "刘洋", "合计"]
    assert people["rank"].tolist()[:5] == [1, 2, 2, 4, 0]
    assert people.set_index("salesperson").loc["刘洋", ["target_count", "count", "due"]].tolist() == [1, 0, 0]


def test_the_months_add_up_to_the_year():
    t = default_tariff()
    policies = read_policies(register(*ROWS), t)
    y = run()
    total = y.salespeople.iloc[-1]
    months = months_of(year_period(2026, D(2026, 12, 31)))
    assert len(months) == 12
    monthly = [statements(policies, m, t) for m in months]
    for key in ("count", "premium", "renewals", "renewal_premium", "extraction", "saved", "pay"):
        assert total[key] == sum(int(s.salespeople.iloc[-1][key]) for s in monthly), key
    assert total["commission"] == sum(int(s.agencies["commission"].iloc[-1]) for s in monthly) == 70004 + 26000
    reviews = [monthly_review(policies, m, empty_tracking()).total for m in months]
    for key in ("due", "renewed", "premium_due", "premium_renewed"):
        assert total[key] == sum(int(r[key]) for r in reviews), key
    # 7 policies due (A1 … G1), 5 renewed; the by-month table ends in the same total
    assert (total["due"], total["renewed"]) == (7, 5)
    assert y.by_month.iloc[-1][["count", "due", "pay"]].tolist() == total[["count", "due", "pay"]].tolist()
    assert y.by_month["month"].tolist()[:3] == ["2026-01", "2026-02", "2026-03"]


def test_year_to_date_stops_at_as_of():
    y = run(as_of=D(2026, 4, 15))
    assert y.period.label() == "2026-01-01 至 2026-04-15"
    total = y.salespeople.iloc[-1]
    # written: N1 (Feb), A2 (Mar), D2 (Apr 1); due: A1 (ends 2026-02-28), D1 (2026-03-31)
    assert (total["count"], total["due"], total["renewed"]) == (3, 2, 2)


def test_agency_scorecard():
    agencies = run().agencies.set_index("agency")
    # AG003: A2 5000.25, commission 700.04; AG001: N1 2000, commission round2(2000 × 13 %) = 260.00
    assert agencies.loc["AG003", ["count", "premium", "commission"]].tolist() == [1, 500025, 70004]
    assert agencies.loc["AG001", ["count", "premium", "commission", "due"]].tolist() == [1, 200000, 26000, 0]
    # the due policies were all direct business: 7 due, 5 renewed under (直销/无)
    assert agencies.loc["(直销/无)", ["due", "renewed"]].tolist() == [7, 5]
    assert agencies.index.tolist() == ["AG001", "AG003", "(直销/无)", "合计"]


def test_problems_per_agency_in_the_scorecard():
    bad = [*ROWS, policy("X1", 9, D(2026, 3, 3), phone="123", channel="专业代理", agency="AG002")]
    result = jobs.year(register(*bad), 2026, D(2026, 12, 31))
    table = result.report.sheets[0].tables[1].frame.set_index("代理机构")
    assert table.loc["AG002", "数据问题数"] == 1 and table.loc["合计", "数据问题数"] == 1
    assert "未提供目标表" in " ".join(result.messages)


def test_targets_are_checked():
    for row, text in (
        (("张伟", "many", None), "目标件数 target_count=many"),
        (("张伟", 2, "150%"), "续保率目标 target_rate=150%: 须在 0%–100% 之间"),
        ((None, 2, None), "业务员 salesperson"),
    ):
        try:
            targets_of(targets(row).frame)
        except InputError as exc:
            assert text in str(exc) and "目标表第 2 行" in str(exc)
        else:
            raise AssertionError(row)
    try:
        targets_of(targets(("张伟", 1, None), ("张伟", 2, None)).frame)
    except InputError as exc:
        assert "重复" in str(exc) and "第 3 行" in str(exc)


def test_year_report_sheet():
    result = jobs.year(register(*ROWS), 2026, dt.date(2026, 12, 31), TARGET_TABLE)
    sheet = result.report.sheets[0]
    assert sheet.name == "年度绩效" and sheet.charts[0].values == "保费续保率"
    people = sheet.tables[0].frame
    assert people["排名"].tolist() == ["1", "2", "2", "4", "", ""]
    assert people.set_index("业务员").loc["张伟", ["件数目标达成", "续保率目标达成", "续保奖励(年度)"]].tolist() == [
        "达标",
        "未达标",
        160.01,
    ]
    assert any("并列" in n for n in sheet.notes) and "续保奖励 160.01 元 (达标 1 人)" in result.messages[0]


def test_command_line_year_with_targets_file_and_workbook_sheet(tmp_path):
    from click.testing import CliRunner

    from renewal_xl.cli.main import main
    from renewal_xl.columns import REGISTER

    csv = tmp_path / "register.csv"
    pd.DataFrame(ROWS, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(csv, index=False)
    goals = tmp_path / "targets.csv"
    pd.DataFrame([["张伟", 2, "95%"]], columns=list(TARGETS.values())).to_csv(goals, index=False)
    out = tmp_path / "year.xlsx"

    def invoke(*args):
        return CliRunner().invoke(main, ["statements", *map(str, args)])

    result = invoke(csv, "--year", 2026, "--as-of", "2026-12-31", "--targets", goals, "-o", out)
    assert result.exit_code == 0, result.output
    assert "续保奖励 160.01 元 (达标 1 人)" in result.stdout
    assert openpyxl.load_workbook(out).sheetnames == ["年度绩效"]
    # the register workbook's own 目标 sheet is read when no --targets is given
    book = tmp_path / "register.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(ROWS, columns=list(REGISTER)).rename(columns=REGISTER).to_excel(
            writer, sheet_name="保单台账", index=False
        )
        pd.DataFrame([["王芳", 2, None]], columns=list(TARGETS.values())).to_excel(
            writer, sheet_name="目标", index=False
        )
    result = invoke(book, "--year", 2026, "--as-of", "2026-12-31", "-o", out)
    assert result.exit_code == 0 and "续保奖励 120.00 元 (达标 1 人)" in result.stdout  # round2(6000 × 2 %)
    for args, text in (
        ((csv, "-o", out), "用法错误: 须指定 --month 或 --year (二选一)"),
        ((csv, "--month", "2026-03", "--year", 2026, "-o", out), "二选一"),
        ((csv, "--month", "2026-03", "--targets", goals, "-o", out), "--targets 只用于 --year"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2 and text in result.output, result.output
    bad = tmp_path / "bad.csv"
    pd.DataFrame([["张伟", "two", None]], columns=list(TARGETS.values())).to_csv(bad, index=False)
    result = invoke(csv, "--year", 2026, "--targets", bad, "-o", out)
    assert result.exit_code == 2 and "错误: 目标件数 target_count=two: 不是数字 (目标表第 2 行)" in result.output


def test_the_finance_templates_target_sheet_is_a_source_of_targets(tmp_path):
    from renewal_xl.io.register import read_targets
    from renewal_xl.templates import build_all, finance
    from renewal_xl.templates.samples import TARGET_RATE, TARGETS

    build_all(tmp_path)
    found = read_targets(tmp_path / finance.FILE, first_sheet=False)
    assert found is not None
    goals = targets_of(found.frame)
    assert dict(zip(goals["salesperson"], goals["target_count"])) == TARGETS
    assert goals["target_rate"].tolist() == [TARGET_RATE] * len(TARGETS)
