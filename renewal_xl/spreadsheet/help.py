"""Function Wizard help of every worksheet-function argument (Chinese, with the English
name), built from the vocabulary (:data:`renewal_xl.vocabulary.FIELDS`) with the ranges of
the tariff in force, so a user tariff (``RENEWAL_XL_TARIFF``) shows its own seats,
deductibles, coefficient bounds, packages and channels. Excel cuts each text at 255
characters; the tests keep them shorter.

A text says what the argument is and what is allowed; :func:`arg_help` adds ``[可选]``
and what a blank means for optional arguments, from the function's signature default or,
where the default is "left to the engine", from the field's ``blank``.

>>> arg_help("is_renewal", True)
'[可选] 是否续保 is_renewal: 是/否 (TRUE/FALSE, 1/0, Y/N); 留空 = 是'
>>> arg_help("seats")
'座位数 seats: 2–9 座 (以费率表为准)'
>>> arg_help("deductible", None)
'[可选] 绝对免赔额 deductible: 0/300/500/1000/2000 元; 留空 = 0'
"""

from __future__ import annotations

import datetime as dt
import inspect

from renewal_xl.money import COEF
from renewal_xl.tariff import Tariff, catalogue
from renewal_xl.vocabulary import FIELDS


def ranges(t: Tariff) -> dict[str, str]:
    """The tariff's values that help texts name, formatted for people."""

    def coef(name: str) -> str:
        return f"{t.param(name + '_min') / 10**COEF:g}–{t.param(name + '_max') / 10**COEF:g}"

    return {
        "new_car_price": f"{t.param('new_car_price_min'):,}–{t.param('new_car_price_max'):,}",
        "vehicle_age_months": f"0–{t.param('vehicle_age_months_max')}",
        "seats": f"{t.seats_min}–{t.seats_max}",
        "deductibles": "/".join(str(d) for d in t.deductibles),
        "underwriting_coef": coef("underwriting_coef"),
        "channel_coef": coef("channel_coef"),
        "packages": "/".join(p.name_zh for p in t.packages) + " (" + "/".join(p.code for p in t.packages) + ")",
        "channels": "/".join(c.name_zh for c in t.channels.values())
        + " ("
        + "/".join(c.code for c in t.channels.values())
        + ")",
    }


def arg_help(name: str, default: object = inspect.Parameter.empty, tariff: Tariff | None = None) -> str:
    """Help of argument ``name``; ``default`` is its signature default (none = required);
    ranges from ``tariff``, by default the tariff in force today."""
    field = FIELDS[name]
    t = tariff or catalogue().for_date(dt.date.today())
    text = f"{field.label} {name}: {field.help.format_map(ranges(t))}"
    if default is inspect.Parameter.empty:
        return text
    blank = field.blank if default is None else _shown(default)
    return f"[可选] {text}; 留空 = {blank}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
