"""Bad-input matrix (issue 8): every worksheet function × every argument × every class of
bad value in :mod:`hostile`, and every register column × every class through every job.

Rules checked: nothing raises; a worksheet function answers a value or a short ``#`` text
that names the spoiled argument (Chinese label and English key); ``check`` lists every bad
register cell under its column, and every job still writes its workbook.
"""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pytest
from hostile import BAD_VALUES, INTERNAL, register_run, udf_calls

from renewal_xl.columns import REGISTER
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.spreadsheet.cells import MAX_TEXT
from renewal_xl.vocabulary import label

# a spoiled argument may make a quote fail on another one: a cheaper car is worth less
# than the insured amount the good arguments give
CROSS_FIELD = {
    ("RENEWAL_PREMIUM", "new_car_price"): "insured_amount",
    ("PREMIUM_BREAKDOWN", "new_car_price"): "insured_amount",
    ("RENEWAL_OPTIONS", "new_car_price"): "insured_amount",
}


def test_the_matrix_is_complete():
    calls = udf_calls()
    assert len({c.function for c in calls}) == 16  # every one-cell function of the contract
    assert len(calls) == 4131  # 81 arguments × 51 values
    assert {c.kind for c in calls} >= set(BAD_VALUES)


def test_no_worksheet_function_fails_internally():
    assert [c for c in udf_calls() if c.internal] == []


def test_every_refusal_is_short_and_names_the_spoiled_argument():
    for c in udf_calls():
        if not c.refused:
            continue
        named = CROSS_FIELD.get((c.function, c.param), c.param) if c.kind != "区域 range" else c.param
        assert c.result.startswith(f"#{label(c.param)} {c.param}=") or c.result.startswith(
            f"#{label(named)} {named}="
        ), c
        assert len(c.result) <= MAX_TEXT
        assert not any(ord(ch) < 32 for ch in c.result), c  # control characters are escaped


def test_accepted_values_are_real_results():
    for c in udf_calls():
        if not c.refused:
            assert isinstance(c.result, (bool, int, float, str, list)), c
            assert not isinstance(c.result, float) or math.isfinite(c.result), c


def _result(function: str, param: str, value: object) -> object:
    hits = [
        c.result
        for c in udf_calls()
        if (c.function, c.param) == (function, param)
        and type(c.value) is type(value)
        and (c.value == value or c.value != c.value and value != value)
    ]
    assert hits, (function, param, value)
    return hits[0]


@pytest.mark.parametrize(
    "function, param, value, expected",
    [
        ("RENEWAL_PREMIUM", "new_car_price", None, "#新车购置价 new_car_price=(空): 不能为空"),
        ("RENEWAL_PREMIUM", "new_car_price", float("nan"), "#新车购置价 new_car_price=(空): 不能为空"),
        ("RENEWAL_PREMIUM", "new_car_price", "十五万", "#新车购置价 new_car_price=十五万: 不是数字"),
        ("RENEWAL_PREMIUM", "new_car_price", "150,000", 2839.63),
        # "1，234" (full-width comma) is folded to "1,234" as a register folds it (issue 13): 1,234 元, so
        # A = 1,234 × (1 − 30 × 0.6 %) = 1,011.88, below the matrix's good insured amount of 100,000
        (
            "RENEWAL_PREMIUM",
            "new_car_price",
            "1，234",
            "#车损保险金额 insured_amount=100000: 超过实际价值 1,011.88 元 (超额投保不予承保)",
        ),
        ("RENEWAL_PREMIUM", "new_car_price", "12%", "#新车购置价 new_car_price=12%: 须为数字, 不能写成百分数"),
        ("RENEWAL_PREMIUM", "new_car_price", -1, "#新车购置价 new_car_price=-1: 须在 1,000–10,000,000 元之间"),
        (
            "RENEWAL_PREMIUM",
            "new_car_price",
            1e20,
            "#新车购置价 new_car_price=1e+20: 数值过大 (绝对值须小于 1,000,000,000,000)",
        ),
        ("RENEWAL_PREMIUM", "new_car_price", float("inf"), "#新车购置价 new_car_price=inf: 不是有限数字"),
        ("RENEWAL_PREMIUM", "new_car_price", "#N/A", "#新车购置价 new_car_price=#N/A: 单元格为错误值"),
        ("RENEWAL_PREMIUM", "new_car_price", True, "#新车购置价 new_car_price=True: 须为数字, 不是是/否"),
        ("RENEWAL_PREMIUM", "new_car_price", dt.time(9, 30), "#新车购置价 new_car_price=09:30:00: 不是数字"),
        ("RENEWAL_PREMIUM", "new_car_price", [[1, 2]], "#新车购置价 new_car_price=2 个单元格: 须为单个单元格"),
        (
            "RENEWAL_PREMIUM",
            "underwriting_coef",
            -1e300,
            "#自主核保系数 underwriting_coef=-1e+300: 数值过大 (绝对值须小于 1,000,000,000,000)",
        ),
        (
            "RENEWAL_PREMIUM",
            "insured_amount",
            1e20,
            "#车损保险金额 insured_amount=1e+20: 数值过大 (绝对值须小于 1,000,000,000,000)",
        ),
        (
            "PERFORMANCE_PAY",
            "commission_rate",
            1e20,
            "#手续费率 commission_rate=1e+20: 数值过大 (绝对值须小于 1,000,000,000,000)",
        ),
        ("PERFORMANCE_PAY", "commission_rate", "12%", 314.0),
        (
            "RENEWAL_PREMIUM",
            "policy_start",
            "2026-02-30",
            "#起保日期 policy_start=2026-02-30: 不是有效日期 (如 2026-01-31 或 Excel 日期)",
        ),
        (
            "RENEWAL_PREMIUM",
            "policy_start",
            "31/12/2025",
            "#起保日期 policy_start=31/12/2025: 须写成 年-月-日, 如 2025-12-05 (日/月/年 与 月/日/年 随 Excel 地区设置而异, 不予猜测)",
        ),
        ("RENEWAL_PREMIUM", "policy_start", "2026年1月31日", 2839.63),
        ("RENEWAL_PREMIUM", "policy_start", 46000, 2839.63),
        (
            "RENEWAL_PREMIUM",
            "policy_start",
            2958466,
            "#起保日期 policy_start=2958466: 不是有效日期 (如 2026-01-31 或 Excel 日期)",
        ),
        ("RENEWAL_PREMIUM", "policy_start", "1800-01-01", "#起保日期 policy_start=1800-01-01: 年份须在 1900–2200 之间"),
        (
            "RENEWAL_PREMIUM",
            "policy_start",
            dt.date(9999, 12, 31),
            "#起保日期 policy_start=9999-12-31: 年份须在 1900–2200 之间",
        ),
        (
            "RENEWAL_PREMIUM",
            "coverage",
            "\x1b[2J",
            "#险种组合 coverage=\\x1b[2J: 未知险种 \\x1b[2J; 可选: 车损/DAMAGE 三者/TPL "
            "车上人员/SEATS 盗抢/THEFT 玻璃/GLASS 划痕/SCRATCH 修理厂/REPAIR 不计免赔/WAIVER; 套餐: 基本/BASIC 经济/ECONOMY "
            "周到/COMPREHENSIVE 完全/COMPLETE",
        ),
        (
            "COMMISSION",
            "channel",
            "未知渠道",
            "#渠道 channel=未知渠道: 可选: 直销/DIRECT 个人代理/AGENT 专业代理/AGENCY 兼业代理/DEALER 经纪/BROKER",
        ),
        ("COMMISSION", "is_renewal", "abc", "#是否续保 is_renewal=abc: 须为 是/否 (TRUE/FALSE, 1/0, Y/N)"),
        ("MONTHS_BETWEEN", "from_date", 0, "#起始日期 from_date=0: 不是有效日期 (如 2026-01-31 或 Excel 日期)"),
        ("RENEWAL_DUE", "window_days", -1, "#提前天数 window_days=-1: 须在 0–3660 之间"),
        ("RENEWAL_BONUS", "target_count", 0, "#目标件数 target_count=0: 须在 1–10000000 之间"),
    ],
)
def test_one_argument_per_class_exactly(function, param, value, expected):
    assert _result(function, param, value) == expected


def test_renewal_premiums_tables_that_are_not_tables():
    from udfs.worksheet import RENEWAL_PREMIUMS

    assert RENEWAL_PREMIUMS(5) == "#表格 table=1 行: 须包含表头行和至少一行数据"
    assert RENEWAL_PREMIUMS([["a", "a"], [1, 2]]) == "#表格 table=a: 表头重复"
    assert RENEWAL_PREMIUMS([["保单号", "policy_no"], [1, 2]]) == "#表格 table=policy_no: 列重复: 保单号(policy_no)"
    assert RENEWAL_PREMIUMS([["新车购置价"], [1, 2, 3]]).startswith("#表格 table=新车购置价 #2 #3: 缺少列: 终保日期")
    header = ["新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数"]
    assert RENEWAL_PREMIUMS(
        [header, [150000, 30, 5, "经济", 2, 0], ["#N/A", 30, 5, "经济", 2, 0], [[1]] + [30, 5, "经济", 2, 0]]
    ) == [[3253.15], ["#新车购置价 new_car_price=#N/A: 单元格为错误值"], ["#新车购置价 new_car_price=[1]: 不是数字"]]


# register column → the bad values it accepts (blank optional cells, numbers as text,
# serials and yes/no words); every other value of the catalogue is listed by `check`
ACCEPTED = {
    "vip": [None, "", "   ", float("nan"), 0, True, "是"],
    "imported": [None, "", "   ", float("nan"), 0, True, "是"],
    "agency": [None, "", "   ", float("nan")],
    "start_date": [" 5 ", "2026年1月31日", 46000],
    "end_date": [" 5 ", "2026年1月31日", 46000],
    # "1，234" (full-width comma) is folded to "1,234" by the register reader (issue 13)
    "premium": ["150,000", "¥1,500.00", "1，234", " 5 ", 3e6, 46000, 2958466],
    "new_car_price": ["150,000", "¥1,500.00", "1，234", 3e6, 46000, 2958466],
    "first_registration": [" 5 "],
    "seats": [" 5 "],
    "deductible": [None, "", "   ", float("nan"), 0],
    "claim_free_years": [None, "", "   ", float("nan"), " 5 ", 0],
    "claims": [None, "", "   ", float("nan"), " 5 ", 0],
    "commission_rate": [None, "", "   ", float("nan"), "12%", 0],
    "claims_paid": [None, "", "   ", float("nan"), 0],  # the row has no claims: money paid is flagged
    "driving_years": [None, "", "   ", float("nan"), " 5 ", 0],
    "delivery": [None, "", "   ", float("nan")],
}
ERROR_VALUES_ONLY = ("vehicle_model", "branch")  # any text; an Excel error value is a problem
FREE_TEXT = ("policy_no", "customer", "salesperson")  # any text; blank is a problem
OPTIONAL_TEXT = ()  # any text or none: never a problem


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


@pytest.mark.parametrize("key", list(REGISTER))
def test_check_lists_every_bad_register_cell_under_its_column(key):
    run = register_run()
    listed = {int(r) for r, column in zip(run.problems["行号"], run.problems["列"]) if column == REGISTER[key]}
    for row, (column, kind, value) in run.spoiled.items():
        if column != key:
            continue
        if key in ERROR_VALUES_ONLY:
            expected = kind == "Excel 错误值 error values"
        elif key in OPTIONAL_TEXT:
            expected = False
        elif key in FREE_TEXT:
            expected = kind == "空白 blank" or (key == "policy_no" and value == "-inf")  # repeats the number -inf
        else:
            expected = not any(_same(value, ok) for ok in ACCEPTED.get(key, []))
        assert (row in listed) == expected, (key, kind, value)


def test_a_bad_cell_is_shown_escaped_in_the_problem_list():
    problems = register_run().problems
    shown = problems[(problems["列"] == "车牌号")]["值"].tolist()
    assert "\\x1b[2J" in shown and "\\u202eabc" in shown and "=1+1" in shown


@pytest.mark.parametrize("job", ["renewals", "review", "statements", "check", "price", "year", "mix"])
def test_every_job_writes_its_workbook_whatever_the_cells(job, tmp_path):
    outcome = register_run().outcomes[job]
    path = tmp_path / f"{job}.xlsx"
    write_report(outcome.report, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [s.name for s in outcome.report.sheets]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and all(c.data_type == "s" for c in cells)  # no register text became a formula


def test_no_job_message_is_internal():
    for outcome in register_run().outcomes.values():
        assert not any(INTERNAL in m for m in outcome.messages)
    messages = register_run().outcomes["price"].messages
    assert messages == [
        "续保报价 1323 行, 报价失败 406 行"
    ]  # 27 columns × 49 bad values; 407 before full-width folding (issue 13)


@pytest.mark.parametrize("rows", [0, 1], ids=["header only", "nothing due"])
@pytest.mark.parametrize("job", ["renewals", "review", "statements", "check", "price", "year", "mix"])
def test_a_register_with_nothing_to_report_gives_empty_reports(job, rows, tmp_path):
    # found by the fuzzer: a month with nothing due stopped `renewals` and `review`
    from hostile import job_runs
    from registers import D, policy, register

    reg = register(*[policy("P1", 1, D(2020, 2, 5))][:rows])
    outcome = job_runs()[job](reg)
    write_report(outcome.report, tmp_path / "out.xlsx")
    first = {
        "renewals": "续保清单 2026-02-01 至 2026-02-28: 应续 0 件, 已提前续保 0 件, 报价失败 0 件",
        "review": "2026-02 续保分析: 应续 0 件, 实续 0 件, 未到期 0 件, 脱保 0 件, 待核实 0 件, "
        "非原业务员原机构续保 0 件, 未填写脱保原因 0 件 (截至 2026-01-20)",
        "statements": "2025-02 结算: 0 份保单, 手续费合计 0.00 元, 绩效合计 0.00 元",
        "check": f"检查 {rows} 行: 未发现问题",
        "price": f"续保报价 {rows} 行, 报价失败 0 行",
        "year": "2025年 年度绩效 (2025-01-01 至 2025-12-31): 0 名业务员, 保费 0.00 元, 保费续保率 —, 续保奖励 0.00 元 (达标 0 人)",
        "mix": "业务结构 2026-01-01 至 2026-02-28: 满期 0 件, 保费 0.00 元, 出险频率 —, 赔付率 —",
    }
    assert outcome.messages[0] == first[job]


def test_numpy_scalars_of_any_kind_are_written(tmp_path):
    # found by the fuzzer: a numpy string in an object column recursed without end
    import numpy as np
    import pandas as pd

    from renewal_xl.reports.spec import Report, Sheet, Table

    values = np.array(
        [np.str_("=x"), np.float64(1.5), np.datetime64("2020-01-02"), np.datetime64("NaT"), np.bool_(True)],
        dtype=object,
    )
    write_report(Report([Sheet("s", [Table(pd.DataFrame({"a": values}))])]), tmp_path / "n.xlsx")
    cells = [c.value for c in openpyxl.load_workbook(tmp_path / "n.xlsx")["s"]["A"]]
    assert cells == ["a", "=x", 1.5, dt.datetime(2020, 1, 2), None, True]
