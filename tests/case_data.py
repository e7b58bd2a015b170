"""The test cases an underwriter can read and extend, kept as data in ``tests/cases/``:

- ``worked_examples.csv``: the tariff manual's worked examples (§11), one row each, with
  Chinese headers: the inputs, each coverage premium, the steps and the premium;
- ``messages.csv``: the message catalogue: a bad value of an input and the exact message
  (or the part of it) the engine must answer with.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from renewal_xl.columns import QUOTE
from renewal_xl.vocabulary import ITEMS

CASES = Path(__file__).parent / "cases"
_INPUT_OF = {label: key for key, label in QUOTE.items()}
_ITEM_OF = {item.label: item.code for item in ITEMS}
_STEP_OF = {
    "实际价值": "actual_value",
    "续保免费附加险": "free_rider",
    "免费金额": "waived",
    "无赔款优待系数": "ncd",
    "足额比例": "indemnity_ratio",
}


@dataclass(frozen=True)
class Example:
    number: int
    note: str
    inputs: dict[str, object]  # quote inputs as a user types them (numbers, 是/否, text)
    items: dict[str, Decimal]  # coverage code -> premium
    steps: dict[str, object]  # Breakdown attribute -> expected value (Decimal, or text for free_rider)
    premium: Decimal


def _read(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def worked_examples() -> list[Example]:
    out = []
    for row in _read("worked_examples.csv"):
        inputs: dict[str, object] = {}
        for label, key in _INPUT_OF.items():
            text = row.get(label, "")
            if text:
                inputs[key] = text if key == "coverage" or not text[0].isdigit() else _number(text)
        items = {code: Decimal(row[label]) for label, code in _ITEM_OF.items() if row.get(label)}
        steps = {a: (row[h] if a == "free_rider" else Decimal(row[h])) for h, a in _STEP_OF.items() if row.get(h)}
        out.append(Example(int(row["例"]), row["说明"], inputs, items, steps, Decimal(row["保费"])))
    return out


EXAMPLES = worked_examples()
EXAMPLE1 = EXAMPLES[0]  # 150,000 / 30 months / 5 seats / 经济 / 2 claim-free years → 3253.15


@dataclass(frozen=True)
class Message:
    field: str
    value: object
    exact: bool  # the whole message, else a part of it
    message: str


def _value(text: str, kind: str) -> object:
    if kind == "blank":
        return None
    if kind == "bool":
        return text.upper() == "TRUE"
    if kind == "number":
        return _number(text)
    return text


def messages() -> list[Message]:
    return [
        Message(r["field"], _value(r["value"], r["type"]), r["match"] == "exact", r["message"])
        for r in _read("messages.csv")
    ]
