"""Statements (renewal-workflow §5) against the manual's examples (tariff manual §8, §9, §11)."""

from registers import D, policy, register

from renewal_xl.dates import month_bounds
from renewal_xl.reports.statements import statements_report
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.statements import statements

MARCH = Window(*month_bounds("2026-03"))


def run(*rows, target=10):
    return statements(read_policies(register(*rows), default_tariff()), MARCH, default_tariff(), target)


def renewal_pair(no, v, start, **fields):
    """A policy started in ``start`` that renews an earlier one of the same vehicle."""
    previous = policy(
        f"{no}-0", v, start.replace(year=start.year - 1), **{k: f for k, f in fields.items() if k == "salesperson"}
    )
    return previous, policy(no, v, start, **fields)


def test_manual_commission_examples():
    st = run(
        *renewal_pair("R", 1, D(2026, 3, 1), premium=5000, channel="AGENCY", agency="AG003"),
        policy("N", 2, D(2026, 3, 5), premium=5000, channel="AGENCY", agency="AG001"),
    )
    rows = st.policies.set_index("policy_no")
    assert rows.loc["R", ["is_renewal", "rate", "commission"]].tolist() == [True, 140000, 70000]  # 700.00
    assert rows.loc["N", ["is_renewal", "rate", "commission"]].tolist() == [False, 130000, 65000]  # 650.00 (AG001)
    agencies = st.agencies.set_index("agency")
    assert agencies.loc["AG003", ["renewal_count", "renewal_premium", "renewal_commission", "new_count"]].tolist() == [
        1,
        500000,
        70000,
        0,
    ]
    assert agencies.loc["AG001", ["new_count", "new_commission", "commission"]].tolist() == [1, 65000, 65000]
    assert agencies.loc["合计", "commission"] == 135000


def test_manual_performance_examples():
    st = run(
        *renewal_pair(
            "R",
            1,
            D(2026, 3, 1),
            premium=5000,
            channel="AGENCY",
            agency="AG003",
            commission_rate=0.10,
            salesperson="张伟",
        ),
        policy("D", 2, D(2026, 3, 2), premium=5000, channel="直销", salesperson="王芳"),
        policy(
            "B",
            3,
            D(2026, 3, 3),
            premium=8000,
            channel="DEALER",
            agency="AG004",
            commission_rate="16%",
            salesperson="王芳",
        ),
    )
    rows = st.policies.set_index("policy_no")
    assert rows.loc["R", ["extraction", "saved", "pay", "rate_source"]].tolist() == [
        26400,
        10000,
        36400,
        "台账",
    ]  # 364.00
    assert rows.loc["D", ["extraction", "saved", "pay", "rate_source"]].tolist() == [
        50000,
        0,
        50000,
        "费率表",
    ]  # 500.00
    assert rows.loc["B", ["extraction", "pay"]].tolist() == [25600, 25600]  # 256.00
    people = st.salespeople.set_index("salesperson")
    assert people.loc["王芳", ["count", "premium", "pay", "renewals"]].tolist() == [2, 1300000, 75600, 0]
    assert people.loc["合计", "pay"] == 36400 + 50000 + 25600
    assert rows.loc["R", "commission"] == 50000  # the register's 10 % wins over the tariff's 14 %


def test_only_policies_started_in_the_month_and_direct_business_has_no_agency_line():
    st = run(policy("FEB", 1, D(2026, 2, 28)), policy("MAR", 2, D(2026, 3, 31)), policy("APR", 3, D(2026, 4, 1)))
    assert st.policies["policy_no"].tolist() == ["MAR"]
    assert st.agencies["agency"].tolist() == ["合计"] and st.agencies["commission"].tolist() == [0]


def test_renewal_is_a_policy_renewing_within_30_days():
    late = [
        policy("OLD", 1, D(2025, 2, 1)),
        policy("LATE", 1, D(2026, 3, 4), channel="AGENCY", agency="AG003"),
    ]  # 31 days
    ok = [policy("OLD2", 2, D(2025, 2, 2)), policy("OK", 2, D(2026, 3, 4), channel="AGENCY", agency="AG003")]  # 30 days
    rows = run(*late, *ok).policies.set_index("policy_no")
    assert rows.loc["LATE", "is_renewal"] == False and rows.loc["LATE", "rate"] == 120000  # noqa: E712
    assert rows.loc["OK", "is_renewal"] == True and rows.loc["OK", "rate"] == 140000  # noqa: E712


def test_renewal_target_is_the_months_progress_and_no_bonus_is_shown_on_a_month():
    rows = []
    for k in range(3):
        rows += renewal_pair(f"R{k}", k + 1, D(2026, 3, 1 + k), premium=5000.25 if k == 0 else 5000, salesperson="张伟")
    st = run(*rows, target=4)
    p = st.salespeople.set_index("salesperson").loc["张伟"]
    assert (p["renewals"], p["renewal_premium"], p["target"], p["completion"]) == (3, 1500025, 4, 0.75)
    assert "bonus" not in st.salespeople.columns  # the bonus is the year's (tests/test_year.py)
    notes = " ".join(statements_report(st).sheets[1].notes)
    assert "年终计发, 不按月计" in notes


def test_unreadable_commission_rate_or_channel_is_left_out():
    st = run(
        policy("BAD", 1, D(2026, 3, 1), channel="AGENCY", agency="AG001", commission_rate="lots"),
        policy("CH", 2, D(2026, 3, 1), channel="电销"),
        policy("OK", 3, D(2026, 3, 1)),
    )
    assert st.policies["policy_no"].tolist() == ["OK"] and st.skipped == 2
