"""Typed, range-checked access to the rows of a tariff table.

Every failure is a :class:`~renewal_xl.errors.TariffError` naming the file, the line, the
column and the value, e.g. ``费率表 default/tpl.csv 第5行: premium=-3: 须在 0–100000 之间``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from renewal_xl.errors import TariffError
from renewal_xl.tariff.source import Table


class Row:
    """One data row of a table, with typed getters."""

    def __init__(self, table: Table, line: int, values: dict[str, str]):
        self.table = table
        self.line = line
        self.values = values

    def error(self, column: str, reason: str) -> TariffError:
        return TariffError(self.table.origin, self.line, column, self.values.get(column, ""), reason)

    def text(self, column: str, choices: Iterable[str] | None = None) -> str:
        value = self.values.get(column, "")
        if not value:
            raise self.error(column, "不能为空")
        if choices is not None and value not in (allowed := tuple(choices)):
            raise self.error(column, "可选值: " + " ".join(allowed))
        return value

    def number(self, column: str, low: Decimal | int, high: Decimal | int, *, low_open: bool = False) -> Decimal:
        """A decimal in [low, high] (or (low, high] with ``low_open``)."""
        text = self.text(column).replace(",", "").rstrip("%")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.error(column, "不是数字") from None
        if self.values[column].endswith("%"):
            value /= 100
        if not value.is_finite() or value > high or value < low or (low_open and value == low):
            bracket = "(" if low_open else "["
            raise self.error(column, f"须在 {bracket}{low}, {high}] 之内")
        return value

    def scaled(
        self, column: str, scale: int, low: Decimal | int, high: Decimal | int, *, low_open: bool = False
    ) -> int:
        """A decimal in range, as an exact integer at ``10**scale``."""
        value = self.number(column, low, high, low_open=low_open).scaleb(scale)
        if value != value.to_integral_value():
            raise self.error(column, f"小数位不能超过 {scale} 位")
        return int(value)

    def integer(self, column: str, low: int, high: int) -> int:
        value = self.number(column, low, high)
        if value != value.to_integral_value():
            raise self.error(column, "须为整数")
        return int(value)

    def date(self, column: str) -> dt.date | None:
        text = self.values.get(column, "")
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise self.error(column, "日期格式须为 YYYY-MM-DD") from None


def rows(tables: dict[str, Table], name: str, columns: Iterable[str]) -> list[Row]:
    """The rows of table ``name``, refusing a missing table or column."""
    table = tables.get(name)
    if table is None:
        raise TariffError(f"{name}.csv", None, "table", name, "缺少此表")
    for column in columns:
        if column not in table.columns:
            raise TariffError(table.origin, 1, column, "", f"缺少列 {column}")
    return [Row(table, line, values) for line, values in table.rows]


def unique(table_rows: list[Row], key: Iterable[str]) -> Iterator[tuple[tuple[str, ...], Row]]:
    """Yield ``(key values, row)``, refusing a repeated key."""
    key = tuple(key)
    seen: dict[tuple[str, ...], int] = {}
    for row in table_rows:
        k = tuple(row.text(c) for c in key)
        if k in seen:
            raise row.error(key[-1], f"键 {'/'.join(k)} 重复(已在第{seen[k]}行)")
        seen[k] = row.line
        yield k, row


def require_grid(table: Table, present: Iterable[tuple], dims: list[Iterable]) -> None:
    """Refuse a table that lacks a combination of the key values in ``dims``."""
    have = set(present)
    for combo in itertools.product(*dims):
        if combo not in have:
            raise TariffError(table.origin, None, "key", "/".join(map(str, combo)), "缺少此组合(键须完整)")
