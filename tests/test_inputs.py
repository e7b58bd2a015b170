"""Quote inputs are read by their kind (vocabulary), with bounds from the tariff in force:
a new input of a known kind is declared in the vocabulary alone; the worksheet functions'
cells read full-width text as a register does."""

from __future__ import annotations

import dataclasses
import inspect
import logging
import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_xl import vocabulary
from renewal_xl.errors import InputError
from renewal_xl.pricing.inputs import DEFAULTS, READERS, cell_reader, limits, read_inputs
from renewal_xl.readers import Cell, Errors, OneError, numbers
from renewal_xl.spreadsheet import worksheet
from renewal_xl.spreadsheet.cells import cell
from renewal_xl.tariff import default_tariff
from renewal_xl.vocabulary import FIELDS, QUOTE_INPUTS, Field

LOG = logging.getLogger("test")


def _messages(errors: Errors) -> list[str | None]:
    return [None if e is None else str(e) for e in errors.array()]


def test_every_quote_input_has_the_reader_of_its_kind():
    kinds = {FIELDS[k].kind for k in QUOTE_INPUTS}
    assert kinds - set(READERS) == {"date"}  # policy_start chooses the tariff: read before it


def test_a_new_count_is_read_range_checked_and_named_from_its_declaration_alone(monkeypatch):
    axles = Field("trailer_axles", "挂车轴数", "count", "轴", "0–4", high=4)
    monkeypatch.setitem(vocabulary.FIELDS, axles.key, axles)
    t = default_tariff()
    frame = pd.DataFrame({"trailer_axles": pd.Series(["3", 5, 2.5, None, "四"], dtype=object)})
    errors = Errors(5)
    v = read_inputs(frame, t, errors, {"trailer_axles": 1}, fields=("trailer_axles",))
    assert v["trailer_axles"][[0, 3]].tolist() == [3, 1]  # a blank takes the default
    assert _messages(errors) == [
        None,
        "挂车轴数 trailer_axles=5: 须在 0–4 轴 之间",
        "挂车轴数 trailer_axles=2.5: 须为整数",
        None,
        "挂车轴数 trailer_axles=四: 不是数字",
    ]
    one = OneError()  # the same rule for one cell
    assert read_inputs({"trailer_axles": Cell(" 2 ")}, t, one, {}, fields=("trailer_axles",)) == {"trailer_axles": 2}
    with pytest.raises(InputError, match="挂车轴数 trailer_axles=9: 须在 0–4 轴 之间"):
        cell_reader("trailer_axles")(t, 9.0)


def test_a_new_amount_takes_its_bounds_from_the_tariff_parameters(monkeypatch):
    """An amount bounded by parameters.csv rows ``<key>_min``/``<key>_max``: here a tariff
    that has them (as a user tariff whose schema lists them would)."""
    trailer = Field("trailer_price", "挂车购置价", "money", "元", "元")
    monkeypatch.setitem(vocabulary.FIELDS, trailer.key, trailer)
    t = dataclasses.replace(
        default_tariff(), params={**default_tariff().params, "trailer_price_min": 500, "trailer_price_max": 80_000}
    )
    frame = pd.DataFrame({"trailer_price": pd.Series([12_345.675, "80,000", 80_000.01, 499], dtype=object)})
    errors = Errors(4)
    v = read_inputs(frame, t, errors, {}, fields=("trailer_price",))
    # fen, half-up: 12,345.675 → 1,234,568 fen; out-of-range rows hold the low bound (500 元)
    assert v["trailer_price"].tolist() == [1_234_568, 8_000_000, 50_000, 50_000]
    assert _messages(errors)[2:] == [
        "挂车购置价 trailer_price=80000.01: 须在 500–80,000 元之间",
        "挂车购置价 trailer_price=499: 须在 500–80,000 元之间",
    ]
    assert cell_reader("trailer_price")(t, "12,345.675") == [1_234_568]


def test_bounds_follow_the_tariff_object():
    """A reloaded tariff is a new object: its bounds are worked out again, never served stale."""
    t = default_tariff()
    narrow = dataclasses.replace(t, seats_min=2, seats_max=7, id="narrow")
    seats = FIELDS["seats"]
    assert (limits(seats, t).low, limits(seats, t).high) == (2, 9)
    assert limits(seats, narrow).reason == "费率表 narrow 仅适用 2–7 座"
    read = cell_reader("seats")
    assert read(t, 8) == [8]
    with pytest.raises(InputError, match="seats=8: 费率表 narrow 仅适用 2–7 座"):
        read(narrow, 8)
    assert read(t, 8) == [8]


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**13), max_value=10**13),
        st.sampled_from([1e12, -1e12, 999_999_999_999.9, 0.0, -0.0]),
    )
)
def test_a_plain_number_cell_reads_as_the_same_number_in_a_column(x):
    """The one-cell reader's short cut for plain numbers gives the column reader's answer."""
    one, column = OneError(), Errors(1)
    got = numbers(Cell(x), "premium", one, default=None)
    want = numbers(pd.Series([x], dtype=object), "premium", column, default=None)[0]
    assert (str(one.error) if one.error else None) == (str(column.at(0)) if column.at(0) else None)
    if one.error is None:
        assert got == want and not (isinstance(got, float) and math.isnan(got))


_COUNT_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-3, max_value=12),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from([0.0, 1.0, 3.0, 5.0, 9.0, 2.5, -1.0, "3", " 2 ", "3.0", "1.5", "x", "", "#N/A", "１"]),
)


@given(_COUNT_CELLS, _COUNT_CELLS)
def test_the_count_short_cut_of_a_look_up_reads_as_the_general_rule(free, claims):
    """NCD_FACTOR's two counts: the short cut for plain whole numbers within bounds gives
    what the general one-cell reading (read_inputs on Cells) gives, and the same message
    when that refuses (a fraction, a bool, text, out of range, both counts above 0)."""
    t = default_tariff()
    fields = ("claim_free_years", "claims_last_year")
    one = OneError()
    general = read_inputs({"claim_free_years": Cell(free), "claims_last_year": Cell(claims)}, t, one, DEFAULTS, fields)
    try:
        got = cell_reader(*fields)(t, free, claims)
    except InputError as exc:
        assert one.error is not None and str(exc) == str(one.error)
    else:
        assert one.error is None and got == [general[k] for k in fields]
        assert all(type(v) is int for v in got)


@pytest.mark.parametrize(
    "value, expected",
    [(5.0, 5.0), (float("nan"), None), (None, None), (True, True), (7, 7), ("１２", "12"), ("\u3000", None)],
)
def test_a_cell_argument(value, expected):
    assert cell("seats", value) == expected and type(cell("seats", value)) is type(expected)


# full-width text as a Chinese input method types it, read as a register reads it (folding.py)
def test_full_width_numbers_in_a_look_up():
    ncd = worksheet.cell_function(worksheet.NCD_FACTOR, LOG, cache=None)
    assert ncd("１", "０") == 0.85  # tariff manual §6: one claim-free year, no claim → 0.85
    assert ncd("３", 0) == 0.6
    assert ncd("１", "１") == "#上年出险次数 claims_last_year=1: 上年出险时连续未出险年数须为 0 (两者同时大于 0 不一致)"


def test_full_width_agency_code_and_yes_no():
    rate = worksheet.cell_function(worksheet.COMMISSION_RATE, LOG, cache=None)
    commission = worksheet.cell_function(worksheet.COMMISSION, LOG, cache=None)
    # AG001 has its own rates (13 % new, 15 % renewal), whatever the width or case of the code
    assert rate("专业代理", True, "ａｇ００１") == rate("专业代理", True, "AG001") == 0.15
    assert rate("专业代理", "ＴＲＵＥ", "ＡＧ００１") == 0.15
    assert commission("５０００", "专业代理", "是", "ａｇ００１") == 750.0  # 5,000.00 × 15 % = 750.00


def test_full_width_coverage_prices_as_its_ascii_form():
    premium = worksheet.cell_function(worksheet.RENEWAL_PREMIUM, LOG, cache=None)
    # A = 150,000 × (1 − 30 × 0.6 %) = 123,000.00
    # 车损 (2–5 座, 24–71 个月): 559 + 1.33 % × 123,000 = 2,194.90; 三者 20万 (2–5 座) 1,182.00
    # total 3,376.90 × NCD 0.7 (two claim-free years) = 2,363.83
    assert premium(150000.0, 30.0, 5.0, "车损＋三者：２０万", 2.0, 0.0) == 2363.83
    assert premium("１５００００", "３０", "５", "车损+三者:20万", "２", "０") == 2363.83
    table = [
        ["新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数"],
        ["１５００００", "３０", 5.0, "车损＋三者：２０万", "２", 0.0],
    ]
    assert worksheet.cell_function(worksheet.RENEWAL_PREMIUMS, LOG)(table) == [[2363.83]]


def test_quote_functions_take_their_signature_from_the_vocabulary():
    """RENEWAL_PREMIUM's arguments are QUOTE_INPUTS, optional where the field says what a
    blank means (is_renewal defaults to TRUE); called by position or by name."""
    params = inspect.signature(worksheet.RENEWAL_PREMIUM).parameters
    assert tuple(params) == QUOTE_INPUTS
    assert [k for k, p in params.items() if p.default is inspect.Parameter.empty] == list(QUOTE_INPUTS[:6])
    assert params["is_renewal"].default is True and params["deductible"].default is None
    example_1 = {"new_car_price": 150000, "vehicle_age_months": 30, "seats": 5, "coverage": "经济"}
    example_1 |= {"claim_free_years": 2, "claims_last_year": 0}
    assert worksheet.RENEWAL_PREMIUM(*example_1.values()) == Decimal("3253.15")  # worked example 1
    assert worksheet.RENEWAL_PREMIUM(**example_1) == Decimal("3253.15")
    with pytest.raises(TypeError):
        worksheet.RENEWAL_PREMIUM(150000, 30)
    assert "multi_accident" not in inspect.signature(worksheet.RENEWAL_OPTIONS).parameters
