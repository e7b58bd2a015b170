"""The catalogue of bad inputs the hardening tests throw at the worksheet functions and
the register (issue 8): classes of bad cell values, each with a few values, and good
arguments for every worksheet function so one argument at a time can be spoiled."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from dataclasses import dataclass

import pandas as pd

import udfs.worksheet as worksheet
from renewal_xl.app import jobs
from renewal_xl.columns import REGISTER
from renewal_xl.io.register import FIRST_DATA_ROW

# class of bad input -> values (as a cell, a CSV field or a Python argument may hold them)
BAD_VALUES: dict[str, list] = {
    "空白 blank": [None, "", "   ", float("nan")],
    "文本 text": ["abc", "十五万"],
    "带分隔符的数字文本 numbers as text": ["150,000", "¥1,500.00", "1，234", " 5 ", "12%"],
    "负数 negative": [-1, "-5"],
    "极大数 huge": [1e20, -1e300, 10**30, "1e400", 3e6],
    "NaN/无穷 NaN and infinity": [float("inf"), float("-inf"), "NaN", "-inf"],
    "Excel 错误值 error values": ["#N/A", "#VALUE!", "#REF!"],
    "日期文本 dates as text": ["2026-02-30", "31/12/2025", "2026年1月31日"],
    "Excel 序列号 serials": [46000, 0, 2958466, -5.5],
    "超范围年份 out-of-range years": ["1800-01-01", "2301-01-01", dt.datetime(1800, 1, 1), dt.date(9999, 12, 31)],
    "未知代码 unknown codes": ["XYZ", "未知渠道", "AG9999"],
    "是/否 yes/no": [True, "是"],
    "公式文本 formula-like text": ["=1+1", "@SUM(A1)", "\t=cmd"],
    "控制字符 control characters": ["\x07", "\x1b[2J", "\u202eabc"],
    "时间与时长 times and durations": [dt.time(9, 30), dt.timedelta(days=3)],
}
RANGES = [[[1, 2]], [[1], [2]]]  # a range where one cell is expected (worksheet functions only)

# a valid value for every argument name of the worksheet functions
GOOD_ARGS: dict[str, object] = {
    "new_car_price": 150000,
    "vehicle_age_months": 30,
    "seats": 5,
    "coverage": "经济",
    "claim_free_years": 2,
    "claims_last_year": 0,
    "deductible": 500,
    "multi_accident": "否",
    "underwriting_coef": 1,
    "channel_coef": 1,
    "is_renewal": True,
    "imported": "否",
    "insured_amount": 100000,
    "policy_start": "2026-03-01",
    "package": "经济",
    "customer_type": "个人",
    "driving_years": 5,
    "price_sensitivity": "高",
    "channel": "专业代理",
    "agency": "AG001",
    "premium": 5000,
    "commission_rate": 0.1,
    "renewed_count": 5,
    "target_count": 3,
    "renewal_premium": 10000,
    "from_date": "2020-01-15",
    "to_date": "2026-01-15",
    "end_date": "2026-12-01",
    "as_of": "2026-11-20",
    "window_days": 30,
}


def worksheet_functions() -> dict[str, tuple]:
    """Name → (function, argument names) of every one-cell worksheet function."""
    out = {}
    for name in worksheet.__all__:
        f = getattr(worksheet, name)
        params = tuple(inspect.signature(f).parameters)
        if params != ("table",):
            out[name] = (f, params)
    return out


def spoiled(params: tuple, k: int, value: object) -> list:
    """Good arguments with the ``k``-th replaced by ``value``."""
    args = [GOOD_ARGS[p] for p in params]
    args[k] = value
    return args


def all_bad_values() -> list[tuple[str, object]]:
    return [(kind, v) for kind, values in BAD_VALUES.items() for v in values]


# --- outcomes, computed once per test session and shared by the tests and the report ---

INTERNAL = "#错误 内部错误"


@dataclass(frozen=True)
class Call:
    """One worksheet-function call with one spoiled argument, and what it returned."""

    function: str
    param: str
    kind: str
    value: object
    result: object

    @property
    def internal(self) -> bool:
        return isinstance(self.result, str) and self.result.startswith(INTERNAL)

    @property
    def refused(self) -> bool:
        return isinstance(self.result, str) and self.result.startswith("#")


@functools.cache
def udf_calls() -> tuple[Call, ...]:
    """Every worksheet function × argument × bad value (and ranges)."""
    calls = []
    cases = all_bad_values() + [("区域 range", r) for r in RANGES]
    for name, (f, params) in worksheet_functions().items():
        for k, p in enumerate(params):
            for kind, value in cases:
                calls.append(Call(name, p, kind, value, f(*spoiled(params, k, value))))
    return tuple(calls)


AS_OF = dt.date(2026, 1, 20)


@dataclass(frozen=True)
class RegisterRun:
    """A register with one spoiled cell per row (row → column key, class, value), the
    problems ``check`` found, and the reports of every job."""

    spoiled: dict[int, tuple[str, str, object]]
    problems: pd.DataFrame
    outcomes: dict[str, object]


@functools.cache
def register_run() -> RegisterRun:
    """Every register column × bad value, one row each, through every job."""
    from registers import policy, register

    rows, spoiled_rows = [], {}
    for key in REGISTER:
        for kind, value in all_bad_values():
            k = len(rows)
            rows.append(policy(f"B{k:04d}", 100 + k, dt.date(2025, 2, 5), **{key: value}))
            spoiled_rows[k + FIRST_DATA_ROW] = (key, kind, value)
    reg = register(*rows)
    outcomes = {name: run(reg) for name, run in job_runs().items()}
    return RegisterRun(spoiled_rows, outcomes["check"].report.sheets[0].tables[0].frame, outcomes)


def job_runs() -> dict:
    """Every job of the command line and the macros on a canonical register."""
    from renewal_xl.workflow.due import Window

    month = Window(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    return {
        "renewals": lambda r: jobs.renewals(r, AS_OF, Window.of(AS_OF)).masked(),
        "review": lambda r: jobs.review(r, month, None, AS_OF),
        "statements": lambda r: jobs.statement(r, Window(dt.date(2025, 2, 1), dt.date(2025, 2, 28))),
        "check": lambda r: jobs.check(r, AS_OF),
        "price": lambda r: jobs.price(r, AS_OF),
        "year": lambda r: jobs.year(r, 2025, AS_OF),
        "mix": lambda r: jobs.mix(r, Window(dt.date(2026, 1, 1), dt.date(2026, 2, 28))),
    }


SLOW_JOBS = ("year", "mix")  # a dozen monthly passes each: the fuzzer gives them fewer examples
