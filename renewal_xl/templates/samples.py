"""Realistic sample rows for the templates: a few policies of one branch, with valid VINs,
plates and phones, written so that the manual's worked examples appear in them.

The rows are data (``templates/data/register.csv`` and ``finance.csv``), headed by the
vocabulary's field keys and read by each field's kind (dates ISO, numbers plain, blank =
none), so the template columns and the samples come from one declaration.

Row ``P2026420100001`` renews as the manual's example 1 (150,000 yuan, 30 months at
renewal, 5 seats, 经济, 2 claim-free years, no claims → 3253.15). Finance rows 101–103 are
the manual's commission examples (5,000 专业代理 renewal → 700.00; via AG001 at 13 % →
650.00; 直销 new → performance pay 500.00).
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources

from renewal_xl.columns import REGISTER
from renewal_xl.spreadsheet.functions import renewal_premium
from renewal_xl.vin import with_check_digit
from renewal_xl.vocabulary import FIELDS

NUMBER_KINDS = ("money", "count", "coef", "rate")

CLAIM_COST = 3200.0  # 赔款金额 of the sample register: yuan per claim
MODELS = ((150_000, "大众朗逸"), (300_000, "丰田凯美瑞"), (None, "奥迪A6L"))  # 车型 by new-car price below


def _value(key: str, text: str) -> object:
    """A sample cell read by its field's kind: a date, a number (None when blank) or text."""
    kind = FIELDS[key].kind
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind in NUMBER_KINDS:
        return None if text == "" else (float(text) if "." in text else int(text))
    return text


def sample(name: str) -> list[dict[str, object]]:
    """The rows of ``templates/data/<name>.csv``, field key → value."""
    with resources.files("renewal_xl.templates").joinpath("data", f"{name}.csv").open(encoding="utf-8") as f:
        return [{k: _value(k, v) for k, v in row.items()} for row in csv.DictReader(f)]


def register_rows() -> list[list[object]]:
    """Sample register rows in the contract's column order (premium of the current term
    from the pricing engine, as new business terms of the default tariff)."""
    rows = []
    for p in sample("register"):
        start, first, free_years = p["start_date"], p["first_registration"], p["claim_free_years"]
        months = (start.year - first.year) * 12 + start.month - first.month - (start.day < first.day)
        premium = renewal_premium(
            p["new_car_price"],
            months,
            p["seats"],
            p["coverage"],
            free_years,
            0,
            p["deductible"],
            None,
            None,
            None,
            free_years > 0,
            p["imported"],
            None,
            start,
        )
        price = p["new_car_price"]
        values = p | dict(
            vin=with_check_digit(str(p["vin"])),
            premium=float(premium),
            claims_paid=float(p["claims"] * CLAIM_COST),
            vehicle_model=next(model for below, model in MODELS if below is None or price < below),
        )
        rows.append([values.get(k) for k in REGISTER])
    return rows


# finance sample: policy_no, salesperson, agency, channel, is_renewal, start_date, premium
FINANCE_ROWS = sample("finance")
TARGETS = {"张伟": 1, "王芳": 3, "李娜": 2, "刘洋": 1}  # renewals wanted per salesperson
TARGET_RATE = 0.8  # 续保率目标 of every salesperson in the sample
