"""The tariff workbook: every table of a tariff as an editable sheet, loadable as a user
tariff (``RENEWAL_XL_TARIFF=tariff.xlsx`` or ``renewal-xl --tariff tariff.xlsx``).

Sheets and headers carry the Chinese names of the tables and columns
(:mod:`renewal_xl.tariff.names`), which the loader reads back to the codes
(:mod:`renewal_xl.tariff.source`); numbers are typed as numbers; the instructions sheet
names each table (Chinese name and code) and its source. The loader skips the 说明 and
xlwings.conf sheets.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from renewal_xl.tariff.names import COLUMNS, TABLES
from renewal_xl.tariff.source import read_tables
from renewal_xl.templates import style

FILE = "tariff-default.xlsx"
ORDER = ("tariff", "tables", "parameters")  # then the rule tables in their file order
RATE_COLUMNS = {"rate", "driver_rate", "passenger_rate", "new_rate", "renewal_rate", "commission_rate_to"}
CHOICES = {
    ("commission", "channel"): ("DIRECT", "AGENT", "AGENCY", "DEALER", "BROKER"),
    ("deductible", "deductible"): None,  # filled from the table itself
}


def _typed(text: str) -> object:
    """A table cell as Excel should hold it: whole numbers as int, decimals as float
    (their shortest repr is the decimal written), everything else as text."""
    try:
        d = Decimal(text)
    except ArithmeticError:
        return text
    if not d.is_finite() or text.strip() != text or text.startswith("+"):
        return text
    return int(d) if d == d.to_integral_value() and "." not in text else float(text)


def _numbers_first(value: object) -> tuple:
    """Sort key: numbers by value (0, 300, 500, 1000, 2000), then text."""
    number = isinstance(value, (int, float))
    return (not number, value if number else str(value))


def build(folder: Path):
    """The workbook (openpyxl) of the tariff stored in ``folder`` (CSV tables)."""
    tables = read_tables(folder)
    names = [n for n in ORDER if n in tables] + sorted(n for n in tables if n not in ORDER)
    book = style.new_book()
    sources = {
        line[1]["table"]: (line[1].get("source", ""), line[1].get("description", "")) for line in tables["tables"].rows
    }
    for name in names:
        table = tables[name]
        ws = book.create_sheet(TABLES.get(name, name))
        rows = [
            [_typed(values.get(c, "")) if values.get(c, "") != "" else None for c in table.columns]
            for _, values in table.rows
        ]
        headers = [COLUMNS.get(c, c) for c in table.columns]
        formats = {COLUMNS.get(c, c): style.RATE for c in table.columns if c in RATE_COLUMNS}
        if name == "parameters":
            formats = {}
        style.table_sheet(ws, headers, rows, formats=formats)
        for (table_name, column), choices in CHOICES.items():
            if table_name == name and column in table.columns:
                values = choices or sorted({r[table.columns.index(column)] for r in rows}, key=_numbers_first)
                cells = style.column_range(ws, headers, COLUMNS.get(column, column), last=len(rows) + 50)
                style.drop_down(ws, values, cells)
    paragraphs = [
        (
            "用途",
            "本工作簿是 renewal-xl 默认费率表的全部表格, 可编辑。保存后用 RENEWAL_XL_TARIFF=本文件路径 "
            "或 renewal-xl --tariff 本文件 使用; 加载时逐表校验 (键完整且唯一、费率在范围内、手续费不超过上限、续保费率不低于新保), "
            "出错时提示工作表、行号和数值。",
        ),
        (
            "版本",
            "费率表信息 表的 id 须改为新名称, effective_from 为生效日期 (YYYY-MM-DD): 起保日期在此之后的保单使用本费率表; "
            "同一生效日期时, 用户费率表优先于内置费率表。",
        ),
        ("单位", "金额为元; 费率为小数 (0.0133 即 1.33%, 单元格按百分比显示); 系数为小数。"),
    ]
    paragraphs += [
        (TABLES.get(name, name), f"{desc} (表 {name}) — 来源: {src}") for name, (src, desc) in sources.items()
    ]
    style.instructions(book, "费率表 (tariff) 使用说明", paragraphs)
    style.xlwings_conf(book)
    style.print_setup(book, "费率表 (tariff)")
    return book
