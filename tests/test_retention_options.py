"""Retention options 续保方案 (tariff manual §12): worked example 7 to the cent through the
worksheet function and the batch path, what is offered when, the suggestion rules, and the
tables validated on load."""

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import manual_oracle as oracle
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import TODAY, oracle_of, quotes

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


def test_reduce_is_not_offered_when_only_the_waiver_would_be_left():
    # 车上人员+不计免赔 without 车上人员 is 不计免赔 alone, which is no cover (found by the property below)
    rows = retention_options(
        pd.DataFrame([(*EXAMPLE_1[:3], "车上人员:5000/5000+不计免赔", 0, 2)], columns=QUOTE_COLUMNS)
    )
    assert rows.rows["code"].tolist() == ["BASE"] and rows.rows["suggested"].tolist() == [True]


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


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quotes(), min_size=1, max_size=8))
def test_property_batch_equals_row_by_row_and_the_manual(drawn):
    """The batch gives every row the options it gets alone, each option priced as the
    manual prices its changed quote (tests/manual_oracle.py), saving = BASE − option, and
    the suggestion of §12's rules read plainly."""
    frame = pd.DataFrame([q for q, _ in drawn])
    batch = retention_options(frame, today=TODAY).rows
    for i, (q, spec) in enumerate(drawn):
        mine = batch[batch["row"] == i].drop(columns="row").reset_index(drop=True)
        alone = retention_options(frame.iloc[[i]], today=TODAY).rows.drop(columns="row")
        pd.testing.assert_frame_equal(mine, alone, check_dtype=False)
        assert [(c, d) for c, d in zip(mine["code"], mine["deductible"])] == _offered(q, spec)
        for code, shown, premium, saving in zip(mine["code"], mine["deductible"], mine["premium"], mine["saving"]):
            assert Decimal(int(premium)).scaleb(-2) == _option_premium(q, spec, code, shown), (q, code, shown)
            assert saving == mine["premium"][0] - premium
        suggested = mine.loc[mine["suggested"], ["code", "deductible"]].values.tolist()
        assert suggested == [list(_suggestion(q, _offered(q, spec)))]


def _actual(q) -> Decimal:
    return oracle.premium(q["new_car_price"], q["vehicle_age_months"], q["seats"], {})["A"]


def _offered(q, spec) -> list[tuple[str, int]]:
    """§12's table read plainly: (code, deductible) in the order offered."""
    out = [("BASE", 0)]
    if spec.get("damage"):
        out += [("DEDUCTIBLE", d) for d in (300, 500, 1000, 2000) if d > q["deductible"]]
        if not q["multi_accident"]:
            out.append(("MULTI", 0))
        insured = q.get("insured_amount")
        if insured is None or insured != insured or Decimal(str(insured)) == _actual(q):
            out.append(("UNDER", 0))
    rest = {k: v for k, v in spec.items() if k != "seats"}
    if "seats" in spec and any(rest.get(k) for k in ("damage", "tpl", "theft")):
        out.append(("REDUCE", 0))
    return out


def _option_premium(q, spec, code: str, shown: int) -> Decimal:
    q = dict(q)
    if code == "DEDUCTIBLE":
        q["deductible"] = shown
    elif code == "MULTI":
        q["multi_accident"] = True
    elif code == "UNDER":
        q["insured_amount"] = float((_actual(q) * Decimal("0.80")).quantize(Decimal("0.01"), ROUND_HALF_UP))
    elif code == "REDUCE":
        spec = {k: v for k, v in spec.items() if k != "seats"}
    return oracle_of(q, spec)["premium"]


def _suggestion(q, offered: list[tuple[str, int]]) -> tuple[str, int]:
    """The first rule of §12 that holds and whose option is offered, else BASE."""
    years, claims = q["claim_free_years"], q["claims_last_year"]
    rules = [
        (years >= 3, "UNDER", 0),
        (years >= 1 and claims == 0, "DEDUCTIBLE", 1000),
        (claims == 1, "MULTI", 0),
        (claims >= 2, "REDUCE", 0),
    ]
    for holds, code, least in rules:
        hits = [(c, d) for c, d in offered if c == code and d >= least]
        if holds and hits:
            return hits[0]
    return ("BASE", 0)
