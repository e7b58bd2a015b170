"""The tariff's schema as data (``renewal_xl/tariff/schema/``): which tables a tariff has and
their key columns (``tables.csv``), and every single-valued parameter with its bounds, scale
and unit (``parameters.csv``). The compiler (:mod:`renewal_xl.tariff.model`) checks a tariff
against it; versions given as deltas (:func:`renewal_xl.tariff.source.with_base`) merge rows
by these keys.

>>> TABLE_KEYS["ncd"]
('claims_last_year', 'claim_free_years')
>>> PARAMETERS["commission_cap"].unit, PARAMETERS["commission_cap"].high
('ratio', Decimal('0.5'))
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from renewal_xl.money import COEF, RATE

SCHEMA = Path(__file__).resolve().parent / "schema"
_SCALES = {"": None, "rate": RATE, "coef": COEF}


@dataclass(frozen=True)
class Parameter:
    """Bounds (inclusive) of one parameter; ``scale`` is the money-module exponent its value
    is kept in (None: a whole number); ``unit`` is what the tariff's ``unit`` column must say."""

    name: str
    low: Decimal
    high: Decimal
    scale: int | None
    unit: str


def _read(name: str) -> list[dict[str, str]]:
    with (SCHEMA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


TABLE_KEYS: dict[str, tuple[str, ...]] = {r["table"]: tuple(r["key"].split()) for r in _read("tables.csv")}
TEXT_PARAMETERS = {r["name"]: r["unit"] for r in _read("parameters.csv") if r["scale"] == "item"}
PARAMETERS: dict[str, Parameter] = {
    r["name"]: Parameter(r["name"], Decimal(r["low"]), Decimal(r["high"]), _SCALES[r["scale"]], r["unit"])
    for r in _read("parameters.csv")
    if r["scale"] != "item"
}
