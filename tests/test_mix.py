"""The business mix 业务结构 (renewal-workflow §6) on a hand-worked register.

Five policies of 2025 end in 2026 (the period); three are renewed (the renewals start in
2026 and end in 2027, outside the period). Premiums and 赔款金额 in yuan:

| policy | 初登日期   | start      | age  | premium | claims | 赔款金额 | renewed by | other          |
|--------|------------|------------|------|---------|--------|----------|------------|----------------|
| M1     | 2025-01-10 | 2025-03-01 | 0 y  | 6000    | 2      | 9000     | 6500       | 35万, 奥迪A6L  |
| M2     | 2024-12-01 | 2025-04-01 | 0 y  | 4000    | 1      | 3000     | —          | 大众朗逸       |
| M3     | 2020-01-15 | 2025-05-01 | 5 y  | 3000    | 0      | 0        | 2800       | 大众朗逸       |
| M4     | 2018-01-01 | 2025-06-01 | 7 y  | 2000    | 1      | (blank)  | 2000       | 7 seats, 企业  |
| M5     | 2023-06-15 | 2025-07-01 | 2 y  | 5000    | 1      | 4000     | —          | own list, 机关事业 |
"""

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from registers import D, policy, register

from renewal_xl.app import jobs
from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.mix import business_mix
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.quality import check_register


def expiring(no, v, start, registered, premium, claims, paid, **fields):
    return policy(
        no, v, start, first_registration=registered, premium=premium, claims=claims, claims_paid=paid, **fields
    )


ROWS = [
    expiring("M1", 1, D(2025, 3, 1), D(2025, 1, 10), 6000, 2, 9000, new_car_price=350000, vehicle_model="奥迪A6L"),
    policy("M1R", 1, D(2026, 3, 1), premium=6500),
    expiring("M2", 2, D(2025, 4, 1), D(2024, 12, 1), 4000, 1, 3000, vehicle_model="大众朗逸"),
    expiring("M3", 3, D(2025, 5, 1), D(2020, 1, 15), 3000, 0, 0, vehicle_model="大众朗逸"),
    policy("M3R", 3, D(2026, 5, 1), premium=2800),
    expiring("M4", 4, D(2025, 6, 1), D(2018, 1, 1), 2000, 1, None, seats=7, customer_type="企业"),
    policy("M4R", 4, D(2026, 6, 1), premium=2000),
    expiring(
        "M5",
        5,
        D(2025, 7, 1),
        D(2023, 6, 15),
        5000,
        1,
        4000,
        coverage="车损+三者:50万+不计免赔",
        customer_type="机关事业",
    ),
]
YEAR = Window(D(2026, 1, 1), D(2026, 12, 31))


@pytest.fixture(scope="module")
def mix():
    t = default_tariff()
    return business_mix(read_policies(register(*ROWS), t), YEAR, t)


def rows_of(mix, segment):
    return mix.segments[segment].set_index("group")


def test_vehicle_age_groups_worked_by_hand(mix):
    age = rows_of(mix, "age_band")
    assert age.index.tolist() == ["1年以下", "1–2年", "3–5年", "6年及以上", "合计"]
    new = age.loc["1年以下"]
    # M1 + M2: 2 policies, 10,000 premium, 3 claims → frequency 3 / 2 = 150 %;
    # paid 9,000 + 3,000 = 12,000 on 10,000 → loss ratio 120 %; M1 renewed by 6,500
    assert new[["policies", "premium", "claims", "claims_paid", "paid_premium"]].tolist() == [
        2,
        1000000,
        3,
        1200000,
        1000000,
    ]
    assert (new["claim_frequency"], new["loss_ratio"], new["count_rate"], new["premium_rate"]) == (1.5, 1.2, 0.5, 0.65)
    assert age.loc["1–2年", "loss_ratio"] == 0.8  # M5: 4,000 / 5,000
    assert age.loc["3–5年", ["loss_ratio", "premium_rate"]].tolist() == [0.0, 2800 / 3000]  # M3
    # M4's 赔款金额 is blank: unknown, so no loss ratio (not 0 %)
    assert pd.isna(age.loc["6年及以上", "loss_ratio"]) and age.loc["6年及以上", "paid_policies"] == 0


def test_rates_of_the_total_come_from_its_sums(mix):
    total = rows_of(mix, "age_band").loc["合计"]
    # frequency 5 claims / 5 policies = 100 % (the mean of the groups' 150, 100, 0, 100 % is 87.5 %)
    assert total["claim_frequency"] == 1.0
    # loss ratio 16,000 / 18,000 (M4's premium left out: its 赔款金额 is blank) = 88.9 %
    # (the mean of the groups' 120, 80, 0 % would be 66.7 %)
    assert total[["claims_paid", "paid_premium"]].tolist() == [1600000, 1800000]
    assert total["loss_ratio"] == 16000 / 18000
    # renewed 3 of 5; 6,500 + 2,800 + 2,000 = 11,300 of 20,000
    assert (total["count_rate"], total["premium_rate"]) == (0.6, 11300 / 20000)
    for segment in mix.segments.values():  # every segment adds up to the same total
        assert segment.iloc[-1][["policies", "premium", "claims", "claims_paid"]].tolist() == [5, 2000000, 5, 1600000]
    assert mix.unpaid == 1


def test_other_segments(mix):
    assert rows_of(mix, "price_band").index.tolist() == ["10万–20万", "30万–50万", "合计"]
    assert rows_of(mix, "seat_band").loc["6–9座", "policies"] == 1
    assert rows_of(mix, "customer_type").index.tolist() == ["个人", "企业", "机关事业", "合计"]
    assert rows_of(mix, "package").loc["自定义组合", "premium"] == 500000
    assert rows_of(mix, "business").index.tolist() == ["新保", "合计"]
    model = rows_of(mix, "vehicle_model")
    # 大众朗逸: M2 + M3, 7,000 premium, paid 3,000 → 42.9 %; blank 车型 last
    assert model.index.tolist() == ["大众朗逸", "奥迪A6L", "(未填写)", "合计"]
    assert model.loc["大众朗逸", "loss_ratio"] == 3000 / 7000


def test_unreadable_values_are_their_own_group():
    rows = [policy("U1", 1, D(2025, 3, 1), first_registration="someday", seats=40, customer_type="外星人")]
    t = default_tariff()
    mix = business_mix(read_policies(register(*rows), t), YEAR, t)
    for segment in ("age_band", "seat_band", "customer_type"):
        assert rows_of(mix, segment).index.tolist() == ["(未知)", "合计"], segment
    assert "vehicle_model" not in mix.segments and not mix.models


def test_report_sheet_and_charts():
    result = jobs.mix(register(*ROWS), YEAR)
    sheet = result.report.sheets[0]
    assert sheet.name == "业务结构"
    assert [t.title for t in sheet.tables][:3] == ["按车龄", "按新车购置价", "按座位数"]
    assert [(c.table, c.values) for c in sheet.charts[:2]] == [(0, "赔付率"), (0, "出险频率")]
    assert (
        result.messages[0]
        == "业务结构 2026-01-01 至 2026-12-31: 满期 5 件, 保费 20,000.00 元, 出险频率 100.0%, 赔付率 88.9%"
    )


def test_command_line(tmp_path):
    csv = tmp_path / "register.csv"
    pd.DataFrame(ROWS, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(csv, index=False)
    out = tmp_path / "mix.xlsx"
    result = CliRunner().invoke(main, ["mix", str(csv), "--year", "2026", "--as-of", "2027-01-05", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["业务结构"]
    assert len(ws._charts) == 5
    month = CliRunner().invoke(main, ["mix", str(csv), "--month", "2026-02", "-o", str(out)])
    assert month.exit_code == 0 and "满期 1 件" in month.output  # M1 ends 2026-02-28
    both = CliRunner().invoke(main, ["mix", str(csv), "--month", "2026-02", "--year", "2026", "-o", str(out)])
    assert both.exit_code == 2 and "须指定 --month 或 --year (二选一)" in both.output


def test_check_reads_claims_paid_and_model():
    rows = [
        policy("C1", 1, D(2025, 3, 1), claims=0, claims_paid=500),
        policy("C2", 2, D(2025, 3, 1), claims=1, claims_paid=-1),
        policy("C3", 3, D(2025, 3, 1), claims=1, claims_paid="很多"),
        policy("C4", 4, D(2025, 3, 1), claims=1, claims_paid="1,200.50", vehicle_model="别克GL8"),
    ]
    problems = check_register(register(*rows), default_tariff())
    found = problems[problems["column"] == "赔款金额"].set_index("policy_no")["problem"].to_dict()
    assert found == {"C1": "有赔款金额但本期出险次数为 0", "C2": "不能为负", "C3": "不是数字"}
