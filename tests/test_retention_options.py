"""Retention options 续保方案 (tariff manual §12): worked example 7 to the cent through the
worksheet function and the batch path, what is offered when, the suggestion rules, and the
tables validated on load."""

import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import udfs
from renewal_xl.errors import TariffError
from renewal_xl.pricing.options import retention_options
from renewal_xl.spreadsheet import functions as f
from renewal_xl.tariff import load_tariff

EXAMPLE_1 = (150000, 30, 5, "经济", 2, 0)  # manual §11 example 1, priced as a renewal
# worked example 7: (option, premium); saving = 3253.15 − premium
EXAMPLE_7 = [
    ("原方案续保", "3253.15"),
    ("方案一 增设绝对免赔额 300", "3147.14"),
    ("方案一 增设绝对免赔额 500", "3058.79"),
    ("方案一 增设绝对免赔额 1000", "2970.45"),
    ("方案一 增设绝对免赔额 2000", "2723.08"),
    ("方案二 多次事故免赔特约", "3217.81"),
    ("方案三 车损不足额投保", "2989.77"),  # I = 80 % × A 123,000.00 = 98,400.00
]  # REDUCE not offered: 经济 has no 车上人员
QUOTE_COLUMNS = ("new_car_price", "vehicle_age_months", "seats", "coverage", "claim_free_years", "claims_last_year")


def test_worked_example_7_scalar():
    rows = f.renewal_options(*EXAMPLE_1)
    assert [(r[0], str(r[2])) for r in rows] == EXAMPLE_7
    assert [str(r[3]) for r in rows] == [str(Decimal("3253.15") - Decimal(p)) for _, p in EXAMPLE_7]
    suggested = [r for r in rows if r[4] == "★推荐"]
    # claim-free 2 years, no claim: DEDUCTIBLE 1000, 2970.45, saving 282.70
    assert suggested == [
        ["方案一 增设绝对免赔额 1000", "绝对免赔额 1000 元", Decimal("2970.45"), Decimal("282.70"), "★推荐"]
    ]
    assert rows[6][1] == "车损保险金额 98,400.00 元 (实际价值 80%)"


def test_worked_example_7_batch_and_the_reduce_case():
    quotes = pd.DataFrame([EXAMPLE_1, (200000, 24, 5, "周到", 1, 0)], columns=QUOTE_COLUMNS)
    rows = retention_options(quotes).rows
    first = rows[rows["row"] == 0]
    assert list(zip(first["name"], first["premium"])) == [(n, int(Decimal(p) * 100)) for n, p in EXAMPLE_7]
    assert first.loc[first["suggested"], "saving"].tolist() == [28270]
    second = rows[rows["row"] == 1].set_index("code")
    assert second.loc["BASE", "premium"] == 533469 and second.loc["REDUCE", "premium"] == 519393  # manual §12


def test_the_worksheet_function_returns_cells_and_errors():
    cells = udfs.RENEWAL_OPTIONS(*EXAMPLE_1)
    assert cells[3] == ["方案一 增设绝对免赔额 1000", "绝对免赔额 1000 元", 2970.45, 282.7, "★推荐"]
    assert udfs.RENEWAL_OPTIONS(150000, 30, 12, "经济", 2, 0) == "#座位数 seats=12: 费率表 default 仅适用 2–9 座"


@pytest.mark.parametrize(
    "args, codes, suggested",
    [
        # 基本 (no 车损): only BASE and REDUCE; 1 claim → MULTI not offered → BASE
        ((86000, 5, 5, "基本", 0, 1), ["BASE", "REDUCE"], "BASE"),
        # claim-free 3 years: UNDER
        ((150000, 30, 5, "经济", 3, 0), ["BASE", "DEDUCTIBLE", "MULTI", "UNDER"], "UNDER"),
        # 1 claim last year: MULTI
        ((150000, 30, 5, "经济", 0, 1), ["BASE", "DEDUCTIBLE", "MULTI", "UNDER"], "MULTI"),
        # 2 claims, 周到 has 车上人员: REDUCE
        ((200000, 24, 5, "周到", 0, 2), ["BASE", "DEDUCTIBLE", "MULTI", "UNDER", "REDUCE"], "REDUCE"),
        # 2 claims without 车上人员: no rule's option offered → BASE
        ((150000, 30, 5, "经济", 0, 2), ["BASE", "DEDUCTIBLE", "MULTI", "UNDER"], "BASE"),
        # new business (0 years, no claims): no rule holds → BASE
        ((150000, 30, 5, "经济", 0, 0), ["BASE", "DEDUCTIBLE", "MULTI", "UNDER"], "BASE"),
    ],
)
def test_offered_options_and_the_suggestion_rules(args, codes, suggested):
    rows = retention_options(pd.DataFrame([args], columns=QUOTE_COLUMNS)).rows
    assert list(dict.fromkeys(rows["code"])) == codes
    assert rows.loc[rows["suggested"], "code"].tolist() == [suggested]


def test_deductible_options_are_those_above_the_current_one_and_the_rule_falls_back_upwards():
    # current deductible 1000: 2000 only; the rule's 1000 is not offered → the smallest above, 2000
    quotes = pd.DataFrame([(*EXAMPLE_1, 1000)], columns=[*QUOTE_COLUMNS, "deductible"])
    rows = retention_options(quotes).rows
    assert rows.loc[rows["code"] == "DEDUCTIBLE", "deductible"].tolist() == [2000]
    assert rows.loc[rows["suggested"], "name"].tolist() == ["方案一 增设绝对免赔额 2000"]


def test_under_insurance_is_offered_only_when_insured_at_actual_value():
    quotes = pd.DataFrame([(*EXAMPLE_1, 100000), (*EXAMPLE_1, 123000)], columns=[*QUOTE_COLUMNS, "insured_amount"])
    rows = retention_options(quotes).rows
    assert "UNDER" not in rows.loc[rows["row"] == 0, "code"].tolist()  # already under-insured
    assert "UNDER" in rows.loc[rows["row"] == 1, "code"].tolist()  # 123,000.00 = A


def _tariff_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    shutil.copytree(Path(__file__).parent.parent / "renewal_xl" / "tariff" / "data" / "default", folder)
    return folder


@pytest.mark.parametrize(
    "table, old, new, reason",
    [
        ("retention_rules", "2,1,0,0,DEDUCTIBLE,1000", "2,1,0,0,DEDUCTIBLE,1500", "可选值: 0 300 500 1000 2000"),
        ("retention_rules", "3,0,1,1,MULTI,", "3,0,1,1,NONE,", "可选值: BASE DEDUCTIBLE MULTI UNDER REDUCE"),
        (
            "retention_options",
            "UNDER,方案三 车损不足额投保,0.80",
            "UNDER,方案三 车损不足额投保,1.5",
            "须在 (0, 1] 之内",
        ),
        ("retention_options", "REDUCE,方案四 减少险种,SEATS", "REDUCE,方案四 减少险种,DAMAGE", "可选值: SEATS"),
    ],
)
def test_option_tables_are_validated_on_load(tmp_path, table, old, new, reason):
    folder = _tariff_copy(tmp_path)
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(TariffError, match="retention") as info:
        load_tariff(folder)
    assert reason in str(info.value)


def test_an_option_table_without_a_source_is_refused(tmp_path):
    folder = _tariff_copy(tmp_path)
    tables = folder / "tables.csv"
    tables.write_text(
        "\n".join(line for line in tables.read_text(encoding="utf-8").splitlines() if "retention_rules" not in line)
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(TariffError, match="来源"):
        load_tariff(folder)
