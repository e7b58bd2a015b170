"""Monthly review rules (renewal-workflow §3): matching within 30 days, rates from sums,
original-owner share, 抢户 list, lapse reasons with 未填写, next insurers."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from registers import D, policy, register, tracking

from renewal_xl.dates import month_bounds
from renewal_xl.io.register import empty_tracking
from renewal_xl.tariff import default_tariff
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.history import is_renewal, renewal_of
from renewal_xl.workflow.policies import read_policies
from renewal_xl.workflow.review import monthly_review, with_total

MARCH = Window(*month_bounds("2026-03"))
END = D(2026, 3, 15)  # renewal would start 2026-03-16


AFTER_MARCH = D(2026, 4, 1)  # every March policy has expired


def review(*rows, track=None, month=MARCH, as_of=AFTER_MARCH):
    p = read_policies(register(*rows), default_tariff())
    return monthly_review(p, month, track if track is not None else empty_tracking(), as_of, default_tariff())


def expiring(no="OLD", v=1, end=END, **fields):
    return policy(no, v, end.replace(year=end.year - 1) + dt.timedelta(days=1), end=end, **fields)


@pytest.mark.parametrize(
    "gap, renewed", [(-31, False), (-30, True), (-29, True), (0, True), (29, True), (30, True), (31, False)]
)
def test_renewal_matching_30_days_either_side_of_end_plus_one(gap, renewed):
    start = END + dt.timedelta(days=1 + gap)
    r = review(expiring(), policy("NEW", 1, start))
    assert bool(r.due["renewed"].iloc[0]) is renewed
    assert r.due["renewal_policy_no"].iloc[0] == ("NEW" if renewed else "")


def test_the_nearest_renewal_wins_and_premium_is_the_renewing_policys():
    r = review(
        expiring(premium=4000),
        policy("LATE", 1, END + dt.timedelta(days=20), premium=3000),
        policy("ONTIME", 1, END + dt.timedelta(days=1), premium=3500),
    )
    d = r.due.iloc[0]
    assert d["renewal_policy_no"] == "ONTIME" and d["renewal_premium"] == 350000 and d["premium"] == 400000


def test_one_row_per_vin_in_the_month():
    r = review(
        expiring("A", 1, D(2026, 3, 2), start_date=D(2026, 2, 1)),
        expiring("B", 1, D(2026, 3, 20), start_date=D(2026, 3, 3)),
    )
    assert r.due["policy_no"].tolist() == ["B"]


def test_rates_come_from_sums_not_averages():
    rows = [expiring(f"A{k}", k, premium=1000, salesperson="张伟") for k in range(1, 4)]  # 3 due
    rows += [policy("A1R", 1, END + dt.timedelta(days=1), premium=1000, salesperson="张伟")]  # 1 renewed
    rows += [
        expiring("B1", 10, premium=9000, salesperson="王芳"),
        policy("B1R", 10, END + dt.timedelta(days=1), premium=8000, salesperson="王芳"),
    ]  # 1 of 1
    r = review(*rows)
    total = r.total
    assert (total["due"], total["renewed"]) == (4, 2)
    assert total["count_rate"] == pytest.approx(0.5)  # not (1/3 + 1) / 2
    assert total["premium_rate"] == pytest.approx(9000 / 12000)  # not (1/3 + 8/9) / 2
    by = r.rates["salesperson"].set_index("salesperson")
    assert by.loc["张伟", "count_rate"] == pytest.approx(1 / 3) and by.loc["王芳", "premium_rate"] == pytest.approx(
        8 / 9
    )
    totals = with_total(r.rates["salesperson"], "salesperson").set_index("salesperson").loc["合计"]
    assert totals["count_rate"] == pytest.approx(0.5) and totals["premium_rate"] == pytest.approx(0.75)


def test_groups_by_agency_and_channel():
    r = review(
        expiring("A", 1, agency="AG001", channel="专业代理"),
        expiring("B", 2),
        policy("AR", 1, END + dt.timedelta(days=1), agency="AG001", channel="专业代理"),
    )
    agency = r.rates["agency"].set_index("agency")
    assert agency.loc["AG001", "count_rate"] == 1 and agency.loc["(直销/无)", "count_rate"] == 0
    channel = r.rates["channel_name"].set_index("channel_name")
    assert channel.loc["专业代理", "renewed"] == 1 and channel.loc["直销", "due"] == 1


def test_original_owner_share_and_poached_list():
    r = review(
        expiring("A", 1, salesperson="张伟"),
        policy("AR", 1, END + dt.timedelta(days=1), salesperson="张伟"),
        expiring("B", 2, salesperson="张伟"),
        policy("BR", 2, END + dt.timedelta(days=1), salesperson="李娜", agency="AG002"),
    )
    assert r.total["owner_share"] == pytest.approx(0.5)
    assert r.poached[
        ["policy_no", "salesperson", "renewal_policy_no", "renewal_salesperson", "renewal_agency"]
    ].values.tolist() == [["B", "张伟", "BR", "李娜", "AG002"]]


def test_lapse_reasons_with_not_given_and_next_insurers():
    rows = [expiring(f"L{k}", k, premium=1000) for k in range(1, 6)]
    rows += [expiring("R", 9), policy("RR", 9, END + dt.timedelta(days=1))]
    track = tracking(
        ("L1", "未续保", "价格", "平安产险"),
        ("L2", "未续保", "转投他司", "平安产险"),
        ("L3", "未续保", "价格"),
        ("L4", "跟进中", None),
        ("R", "已续保", "价格"),
        ("L3", "未续保", "报废"),
    )  # the last row of a policy wins
    r = review(*rows, track=track)
    reasons = r.reasons.set_index("lapse_reason")
    assert reasons["count"].to_dict() == {"未填写": 2, "价格": 1, "报废": 1, "转投他司": 1}
    assert reasons.loc["未填写", "share"] == pytest.approx(0.4)
    assert r.insurers.set_index("next_insurer").loc["平安产险", ["count", "share"]].tolist() == [2, pytest.approx(0.4)]
    assert sorted(r.follow_up["policy_no"]) == ["L4", "L5"]
    assert r.due.set_index("policy_no").loc["R", "lapse_reason"] == ""  # renewed: no lapse reason


def test_no_tracking_table_means_every_loss_is_not_given():
    r = review(expiring("A", 1), expiring("B", 2))
    assert r.reasons.set_index("lapse_reason")["count"].to_dict() == {"未填写": 2}


def renewed_by(no, v, premium, **owner):
    """The expiring policy ``no`` of vehicle ``v`` (salesperson 王芳, as given in ``owner``)
    and its renewal starting the day after ``END``: (expiring, renewal) rows."""
    old = {k[4:]: val for k, val in owner.items() if k.startswith("old_")}
    new = {k[4:]: val for k, val in owner.items() if k.startswith("new_")}
    return expiring(no, v, **old), policy(no + "R", v, END + dt.timedelta(days=1), premium=premium, **new)


def test_owner_classes_and_the_commission_at_stake():
    r = review(
        # same salesperson, AG001 → direct: 机构变更; stake round2(5000 × 15 % (AG001 renewal override)) = 750.00
        *renewed_by("A", 1, 5000, old_channel="专业代理", old_agency="AG001"),
        # AG002 兼业代理, another salesperson: 业务员变更; stake round2(3253.15 × 13 % (AG002 renewal)) = 422.91
        *renewed_by(
            "B",
            2,
            3253.15,
            old_channel="兼业代理",
            old_agency="AG002",
            new_salesperson="李娜",
            new_channel="兼业代理",
            new_agency="AG002",
        ),
        # direct business taken by another salesperson: 业务员变更, stake 0 (direct)
        *renewed_by("C", 3, 3000, new_salesperson="李娜"),
        # direct → AG003 by the same salesperson: 机构变更, stake 0 (the expiring policy was direct)
        *renewed_by("D", 4, 2800, new_channel="专业代理", new_agency="AG003"),
        # AG001 专业代理 kept by its salesperson and agency: 原业务员原机构, nothing at stake
        *renewed_by(
            "E", 5, 4321.05, old_channel="专业代理", old_agency="AG001", new_channel="专业代理", new_agency="AG001"
        ),
    )
    due = r.due.set_index("policy_no")
    assert due["owner_class"].to_dict() == {
        "A": "机构变更",
        "B": "业务员变更",
        "C": "业务员变更",
        "D": "机构变更",
        "E": "原业务员原机构",
    }
    assert due["commission_at_stake"].to_dict() == {"A": 75000, "B": 42291, "C": 0, "D": 0, "E": 0}
    assert r.total["owner_share"] == pytest.approx(1 / 5)  # only E of 5 renewals
    owners = r.owners.set_index("owner_class")
    assert owners["count"].to_dict() == {"原业务员原机构": 1, "业务员变更": 2, "机构变更": 2, "跨机构": 0}
    assert owners.loc["业务员变更", "stake"] == 42291 and owners.loc["机构变更", "premium"] == 500000 + 280000
    assert sorted(r.poached["policy_no"]) == ["A", "B", "C", "D"]


def test_a_branch_column_adds_cross_branch_renewals():
    r = review(
        # same salesperson and agency, another branch: 跨机构; stake round2(4000 × 15 %) = 600.00
        *renewed_by(
            "A",
            1,
            4000,
            old_branch="武汉分公司",
            new_branch="宜昌支公司",
            old_channel="专业代理",
            old_agency="AG001",
            new_channel="专业代理",
            new_agency="AG001",
        ),
        *renewed_by("B", 2, 3000, old_branch="武汉分公司", new_branch="武汉分公司"),
    )
    due = r.due.set_index("policy_no")
    assert due["owner_class"].to_dict() == {"A": "跨机构", "B": "原业务员原机构"}
    assert due.loc["A", "commission_at_stake"] == 60000


def test_as_of_a_day_the_unexpired_are_pending_not_lapsed():
    as_of = D(2026, 3, 10)
    r = review(
        expiring("GONE", 1, D(2026, 3, 9)),  # ended before as_of, no renewal: 脱保
        expiring("TODAY", 2, D(2026, 3, 10)),  # ends on as_of: still covered, 未到期
        expiring("LATER", 3, D(2026, 3, 28)),  # 未到期
        *renewed_by("DONE", 4, 3000),  # renewed early
        as_of=as_of,
    )
    assert r.due.set_index("policy_no")["outcome"].to_dict() == {
        "GONE": "脱保",
        "TODAY": "未到期",
        "LATER": "未到期",
        "DONE": "已续保",
    }
    t = r.total
    assert (t["due"], t["renewed"], t["pending"], t["lapsed"], t["to_verify"]) == (4, 1, 2, 1, 0)
    assert r.reasons["count"].sum() == 1 and r.follow_up["policy_no"].tolist() == ["GONE"]  # no reason asked of pending
    assert sorted(r.pending["policy_no"]) == ["LATER", "TODAY"]


def test_tracking_never_overrides_the_register():
    track = tracking(("CLAIMED", "已续保"), ("DONE", "未续保", "价格"), ("LOST", "未续保", "价格"))
    r = review(
        expiring("CLAIMED", 1),  # tracking says renewed, the register has no renewal: 待核实
        *renewed_by("DONE", 2, 3000),  # renewed in the register, tracking says not: 跟踪不一致, still renewed
        expiring("LOST", 3),
        track=track,
    )
    due = r.due.set_index("policy_no")
    assert due["outcome"].to_dict() == {"CLAIMED": "待核实", "DONE": "已续保", "LOST": "脱保"}
    assert (r.total["renewed"], r.total["lapsed"], r.total["to_verify"]) == (1, 1, 1)
    assert r.to_verify["policy_no"].tolist() == ["CLAIMED"] and r.mismatch["policy_no"].tolist() == ["DONE"]
    assert r.reasons.set_index("lapse_reason")["count"].to_dict() == {"价格": 1}  # CLAIMED is not a loss


def _brute_renewal(table: pd.DataFrame) -> list[int]:
    out = []
    for i, a in table.iterrows():
        target = a["end"] + pd.Timedelta(days=1)
        best = None
        for j, b in table.iterrows():
            if j == i or b["vin"] != a["vin"] or b["start"] <= a["start"]:
                continue
            gap = abs((b["start"] - target).days)
            if gap <= 30 and (best is None or (gap, b["start"]) < best[0]):
                best = ((gap, b["start"]), j)
        out.append(-1 if best is None else best[1])
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3), st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)), st.integers(20, 400)
        ),
        min_size=1,
        max_size=10,
    )
)
def test_property_vectorized_matching_equals_brute_force(spec):
    table = pd.DataFrame(
        {
            "vin": [f"V{v}" for v, _, _ in spec],
            "policy_no": [f"P{k}" for k in range(len(spec))],
            "start": pd.to_datetime([s for _, s, _ in spec]),
            "end": pd.to_datetime([s + dt.timedelta(days=n) for _, s, n in spec]),
        }
    )
    got = renewal_of(table)
    want = _brute_renewal(table)
    # ties between two candidates with the same start may pick either one
    for g, w in zip(got, want):
        if w == -1:
            assert g == -1
        else:
            assert g != -1 and table.loc[g, "start"] == table.loc[w, "start"]
    flags = is_renewal(table)
    assert flags.sum() == len(set(got[got >= 0]))


def test_review_without_tracking_says_so_before_the_rows_left_out():
    from renewal_xl.app import jobs

    reg = register(policy("P1", 1, D(2025, 11, 5)), policy("P1", 2, D(2025, 11, 6)))  # P1 twice: one left out
    outcome = jobs.review(reg, Window(D(2026, 11, 1), D(2026, 11, 30)), None, D(2026, 12, 10))
    assert outcome.messages[1:] == [
        "没有续保跟踪表: 脱保原因均记为 未填写",
        "1 行保单号/车架号/起止日期无法识别或保单号重复, 未纳入 (请运行 数据检查)",
    ]
