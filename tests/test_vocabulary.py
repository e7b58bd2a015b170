"""The vocabulary is the one declaration of fields and coverage items; everything users see
is derived from it, and the Function Wizard help follows the tariff in force."""

import shutil
from pathlib import Path

import pytest

from renewal_xl import columns, vocabulary
from renewal_xl.pricing.price import ITEM_CODES, QUOTE_FIELDS
from renewal_xl.spreadsheet import worksheet
from renewal_xl.spreadsheet.help import arg_help
from renewal_xl.tariff import load_tariff
from renewal_xl.tariff.catalogue import BUILTIN
from renewal_xl.tariff.coverage import ITEMS


def test_every_listed_key_is_a_declared_field():
    for keys in (vocabulary.QUOTE_INPUTS, vocabulary.REGISTER_COLUMNS, vocabulary.TRACKING_COLUMNS):
        assert set(keys) <= set(vocabulary.FIELDS)


def test_register_headers_are_unambiguous():
    """A header names one column: no two register (or tracking) columns share a label."""
    for table in (columns.REGISTER, columns.TRACKING):
        assert len(set(table.values())) == len(table)


def test_derived_tables_follow_the_vocabulary():
    assert QUOTE_FIELDS == vocabulary.QUOTE_INPUTS
    assert list(columns.REGISTER) == list(vocabulary.REGISTER_COLUMNS)
    assert columns.REGISTER["claims"] == "本期出险次数"
    assert columns.REGISTER_OPTIONAL == (
        "commission_rate",
        "branch",
        "claims_paid",
        "vehicle_model",
        "driving_years",
        "delivery",
    )
    assert columns.REGISTER["driving_years"] == "驾龄" and columns.TARGETS["target_count"] == "续保件数目标"
    assert ITEM_CODES == tuple(ITEMS) == tuple(i.code for i in vocabulary.ITEMS)


def test_every_worksheet_argument_has_help_under_255_characters():
    import inspect

    for name in dir(worksheet):
        fn = getattr(worksheet, name)
        if name.isupper() and callable(fn):
            for arg, p in inspect.signature(fn).parameters.items():
                text = arg_help(arg, p.default)
                assert text.startswith(("[可选] ", vocabulary.FIELDS[arg].label)) and len(text) < 255, (name, arg)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind 'colour'"):
        vocabulary.Field("paint", "颜色", "colour")


@pytest.fixture
def branch_tariff(tmp_path: Path):
    """A user tariff for 2–7 seats with deductibles 0/500/1500 and coefficients 0.7–1.3."""
    target = tmp_path / "branch"
    shutil.copytree(BUILTIN / "default", target)

    def edit(table: str, old: str, new: str) -> None:
        path = target / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("tariff", "id,default", "id,branch")
    edit("seat_bands", "large,6,9", "large,6,7")
    deductible = target / "deductible.csv"
    header, *rows = deductible.read_text(encoding="utf-8").splitlines()
    kept = [r.replace("2000,", "1500,", 1) for r in rows if r.split(",")[0] in ("0", "500", "2000")]
    deductible.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
    edit("retention_rules", ",DEDUCTIBLE,1000", ",DEDUCTIBLE,1500")  # the suggested deductible must be offered
    for kind in ("underwriting_coef", "channel_coef"):
        edit("parameters", f"{kind}_min,0.85", f"{kind}_min,0.7")
        edit("parameters", f"{kind}_max,1.15", f"{kind}_max,1.3")
    return load_tariff(target)


def test_help_shows_the_ranges_of_the_tariff_in_force(branch_tariff):
    assert arg_help("seats", tariff=branch_tariff) == "座位数 seats: 2–7 座 (以费率表为准)"
    assert arg_help("deductible", None, branch_tariff) == "[可选] 绝对免赔额 deductible: 0/500/1500 元; 留空 = 0"
    assert arg_help("underwriting_coef", None, branch_tariff).startswith(
        "[可选] 自主核保系数 underwriting_coef: 0.7–1.3, 取 4 位小数"
    )
    # the built-in tariff's own help is unchanged
    assert arg_help("seats") == "座位数 seats: 2–9 座 (以费率表为准)"


def test_optional_register_columns_are_checked_by_their_declared_kind():
    """A new optional register column is checked by ``check`` as soon as the vocabulary
    declares it (kind, bound, choices); only 手续费率 and 赔款金额 have rules of their own."""
    from renewal_xl.workflow.quality import BY_KIND

    assert BY_KIND == ("branch", "vehicle_model", "driving_years", "delivery")
    assert vocabulary.FIELDS["driving_years"].high == 80
    assert vocabulary.FIELDS["delivery"].choices == ("自取", "业务员送达", "邮寄")
