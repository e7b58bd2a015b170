"""Tariffs as data: loading, validation on load, versions by date, user tariffs."""

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA

from renewal_xl.errors import NoTariffError, TariffError
from renewal_xl.pricing.price import quote
from renewal_xl.tariff import catalogue, default_tariff, load_catalogue, load_tariff
from renewal_xl.tariff.catalogue import BUILTIN, ENV_VAR

EXAMPLE1 = dict(
    new_car_price=150000, vehicle_age_months=30, seats=5, coverage="经济", claim_free_years=2, claims_last_year=0
)


def test_default_tariff_metadata():
    t = default_tariff()
    assert (t.id, t.region, t.clause_set, t.effective_from, t.effective_to) == (
        "default",
        "illustrative",
        "2014",
        dt.date(2015, 6, 1),
        None,
    )
    assert "tariff manual" in t.source
    assert set(t.sources) >= {"damage", "tpl", "ncd", "commission", "packages"}
    assert all(t.sources.values())


@pytest.fixture
def tariff_copy(tmp_path) -> Path:
    target = tmp_path / "mine"
    shutil.copytree(BUILTIN / "default", target)
    return target


def edit(folder: Path, table: str, old: str, new: str) -> None:
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {table}.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    # (table, old text, new text, words the message must contain)
    ("tpl", "small,200000,1182\n", "small,200000,1182\nsmall,200000,1200\n", ["mine/tpl.csv", "第6行", "重复"]),
    ("deductible", "500,100000,0.89\n", "", ["deductible.csv", "500/10000000", "缺少此组合"]),
    ("damage", "small,24,559,0.0133", "small,24,559,0.5", ["damage.csv", "第4行", "rate=0.5", "须在"]),
    (
        "commission",
        "AGENCY,专业代理,0.12,0.14",
        "AGENCY,专业代理,0.12,0.25",
        ["commission.csv", "第4行", "renewal_rate=0.25", "超过报备上限"],
    ),
    (
        "commission",
        "AGENT,个人代理,0.10,0.12",
        "AGENT,个人代理,0.10,0.09",
        ["第3行", "renewal_rate=0.09", "续保手续费率不能低于新保"],
    ),
    ("agency_commission", "AG001,0.13,0.15", "AG001,0.13,0.21", ["agency_commission.csv", "第2行", "超过报备上限"]),
    ("theft", "small,120,0.0042", "small,abc,0.0042", ["theft.csv", "第2行", "base=abc", "不是数字"]),
    ("ncd", "0,2,0.7", "0,2,0.9", ["ncd.csv", "第4行", "factor=0.9", "未出险年数越多系数不能越高"]),
    ("ncd", "3,0,1.5", "3,0,1.2", ["ncd.csv", "第8行", "出险次数越多系数不能越低"]),
    ("deductible", "1000,0,0.68", "1000,0,0.80", ["deductible.csv", "免赔额越高系数不能越大"]),
    (
        "packages",
        "车损+三者:20万+盗抢+不计免赔",
        "车损+三者:25万+盗抢+不计免赔",
        ["packages.csv", "第3行", "三者 限额 25万 不在费率表中"],
    ),
    ("parameters", "commission_cap,0.20", "commission_cap,0.60", ["parameters.csv", "commission_cap=0.60", "须在"]),
    (
        "parameters",
        "free_rider,GLASS",
        "free_rider,TPL",
        ["parameters.csv", "第12行", "free_rider=TPL", "可选值: GLASS SCRATCH REPAIR"],
    ),
    (
        "parameters",
        "renewal_bonus_rate,0.02,ratio",
        "renewal_bonus_rte,0.02,ratio",
        ["renewal_bonus_rate", "缺少此参数"],
    ),
    ("seat_bands", "large,6,9", "large,7,9", ["seat_bands.csv", "座位档须连续"]),
    ("voucher", "2,200\n", "", ["voucher.csv", "须从 0 起连续"]),
    ("glass", "large,IMPORTED,0.0030\n", "", ["glass.csv", "large/IMPORTED", "缺少此组合"]),
    ("tariff", "effective_from,2015-06-01", "effective_from,2015/06/01", ["tariff.csv", "第5行", "YYYY-MM-DD"]),
    ("scratch", "24,500000,20000,3000", "24,500000,20000,-3", ["scratch.csv", "premium=-3"]),
    ("performance", "1,0.2", "0.18,0.2", ["performance.csv", "最后一档须覆盖手续费率上限"]),
]


@pytest.mark.parametrize("table, old, new, words", BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_broken_table_is_refused_with_file_row_and_value(tariff_copy, table, old, new, words):
    edit(tariff_copy, table, old, new)
    with pytest.raises(TariffError) as info:
        load_tariff(tariff_copy)
    message = str(info.value)
    assert message.startswith("费率表 ")
    for word in words:
        assert word in message, message


def test_missing_table_and_column_and_unsourced_table(tariff_copy):
    (tariff_copy / "voucher.csv").unlink()
    with pytest.raises(TariffError, match="voucher=.*缺少此表|table=voucher: 缺少此表"):
        load_tariff(tariff_copy)
    shutil.copy(BUILTIN / "default" / "voucher.csv", tariff_copy / "voucher.csv")
    edit(tariff_copy, "theft", "seat_band,base,rate", "seat_band,base,rat")
    with pytest.raises(TariffError, match="theft.csv 第1行.*缺少列 rate"):
        load_tariff(tariff_copy)
    shutil.copy(BUILTIN / "default" / "theft.csv", tariff_copy / "theft.csv")
    (tariff_copy / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TariffError, match="tables 表未注明此表的来源"):
        load_tariff(tariff_copy)


def test_edited_tariff_prices_with_its_own_numbers(tariff_copy, today):
    edit(tariff_copy, "tpl", "small,200000,1182", "small,200000,1300")
    edit(tariff_copy, "tariff", "id,default", "id,mine")
    tariffs = load_catalogue((tariff_copy,))
    b = quote(tariffs=tariffs, today=today, **EXAMPLE1)
    assert b.tariff_id == "mine"
    assert b.item("TPL") == Decimal("1300.00")
    # waiver 15 % × (2194.90 + 1300) + 20 % × 636.60 = 651.56; total 4783.06 × 0.7
    assert b.item("WAIVER") == Decimal("651.56")
    assert b.premium == Decimal("3348.14")


def test_versions_are_chosen_by_policy_start(today):
    tariffs = load_catalogue((DATA / "tariffs",))
    before = quote(tariffs=tariffs, today=today, policy_start="2025-12-31", **EXAMPLE1)
    after = quote(tariffs=tariffs, today=today, policy_start=dt.date(2026, 1, 1), **EXAMPLE1)
    assert (before.tariff_id, before.item("TPL"), before.premium) == ("default", Decimal("1182.00"), Decimal("3253.15"))
    # 三者 1250: waiver 15 % × (2194.90 + 1250) + 127.32 = 644.055 → 644.06;
    # (2194.90 + 1250 + 636.60 + 644.06) × 0.7 = 4725.56 × 0.7 = 3307.892 → 3307.89
    assert (after.tariff_id, after.item("TPL"), after.item("WAIVER")) == (
        "v2026",
        Decimal("1250.00"),
        Decimal("644.06"),
    )
    assert after.premium == Decimal("3307.89")


def test_no_tariff_before_the_first_effective_date(today):
    with pytest.raises(NoTariffError, match="起保日期 policy_start=2015-05-31: 该日无有效费率表"):
        quote(today=today, policy_start="2015-05-31", **EXAMPLE1)


def test_blank_policy_start_means_today():
    tariffs = load_catalogue((DATA / "tariffs",))
    assert quote(tariffs=tariffs, today=dt.date(2025, 6, 1), **EXAMPLE1).tariff_id == "default"
    assert quote(tariffs=tariffs, today=dt.date(2026, 6, 1), **EXAMPLE1).tariff_id == "v2026"


def test_environment_variable_adds_user_tariffs(monkeypatch, today):
    monkeypatch.setenv(ENV_VAR, str(DATA / "tariffs" / "v2026"))
    assert [t.id for t in catalogue().tariffs] == ["v2026", "default"]
    assert quote(today=today, policy_start="2026-03-01", **EXAMPLE1).tariff_id == "v2026"
    monkeypatch.delenv(ENV_VAR)
    assert [t.id for t in catalogue().tariffs] == ["default"]


def test_user_tariff_wins_on_the_same_effective_date(tariff_copy, today):
    edit(tariff_copy, "tariff", "id,default", "id,branch")
    tariffs = load_catalogue((tariff_copy,))
    assert quote(tariffs=tariffs, today=today, **EXAMPLE1).tariff_id == "branch"


def test_two_versions_with_one_id_are_refused(tmp_path):
    for name in ("a", "b"):
        shutil.copytree(BUILTIN / "default", tmp_path / "set" / name)
    with pytest.raises(TariffError, match="id=default: 与 .* 重复"):
        load_catalogue((tmp_path / "set",))


def test_xlsx_tariff_workbook_loads_and_prices_like_the_folder(tmp_path, today):
    """A finance user's .xlsx (one sheet per table, numbers typed as numbers) is a tariff."""
    import csv

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted((BUILTIN / "default").glob("*.csv")):
        ws = book.create_sheet(path.stem)
        with path.open(encoding="utf-8") as f:
            for row in csv.reader(f):
                ws.append([_typed(v) for v in row])
    book["tariff"]["B2"] = "xlsx-copy"
    target = tmp_path / "tariff.xlsx"
    book.save(target)
    t = load_tariff(target)
    assert t.id == "xlsx-copy"
    assert (t.damage_rate == default_tariff().damage_rate).all()
    b = quote(tariffs=load_catalogue((target,)), today=today, **EXAMPLE1)
    assert (b.tariff_id, b.premium) == ("xlsx-copy", Decimal("3253.15"))


def test_xlsx_tariff_error_names_the_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "tariff"
    book.active.append(["key", "value"])
    book.active.append(["id", "x"])
    target = tmp_path / "bad.xlsx"
    book.save(target)
    with pytest.raises(TariffError, match="bad.xlsx!tariff: effective_from"):
        load_tariff(target)


def _typed(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def test_a_version_is_a_delta_over_its_base(today):
    """tests/data/tariffs/v2026 holds tariff.csv (base = default) and one row of tpl.csv;
    every other table and row comes from the built-in default."""
    v2026 = load_tariff(DATA / "tariffs" / "v2026")
    base = default_tariff()
    assert sorted(p.name for p in (DATA / "tariffs" / "v2026").iterdir()) == ["tariff.csv", "tpl.csv"]
    assert v2026.tpl_limits == base.tpl_limits and v2026.sources == base.sources
    changed = (v2026.tpl_premium != base.tpl_premium).nonzero()
    # only small (band 0) at 20万 (limit index 3) changed: 1182.00 → 1250.00 (fen)
    assert [(int(b), int(k)) for b, k in zip(*changed)] == [(0, 3)]
    assert int(v2026.tpl_premium[0, 3]) == 125000


def test_a_delta_naming_no_known_base_is_refused(tmp_path):
    target = tmp_path / "v"
    shutil.copytree(DATA / "tariffs" / "v2026", target)
    edit(target, "tariff", "base,default", "base,nosuch")
    with pytest.raises(TariffError, match="base=nosuch: 无此基础费率表; 已有: default"):
        load_tariff(target)


def test_a_delta_table_must_keep_the_base_columns(tmp_path):
    target = tmp_path / "v"
    shutil.copytree(DATA / "tariffs" / "v2026", target)
    (target / "tpl.csv").write_text("seat_band,limit,price\nsmall,200000,1250\n", encoding="utf-8")
    with pytest.raises(TariffError, match="列须与基础费率表相同: seat_band limit premium"):
        load_tariff(target)


def test_a_parameter_in_the_wrong_unit_is_refused(tariff_copy):
    """The schema (renewal_xl/tariff/schema/parameters.csv) says commission_cap is a ratio."""
    edit(tariff_copy, "parameters", "commission_cap,0.20,ratio", "commission_cap,0.20,yuan")
    with pytest.raises(TariffError, match=r"parameters.csv 第\d+行: unit=yuan: 应为 ratio"):
        load_tariff(tariff_copy)
