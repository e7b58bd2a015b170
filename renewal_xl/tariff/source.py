"""Reading tariff tables from a folder of CSV files or from one .xlsx workbook.

A tariff is a set of named tables. In a folder each table is ``<name>.csv`` (UTF-8, first
line = header); in a workbook each table is a sheet of the same name or of its Chinese name,
headed by the column codes or their Chinese names (:mod:`renewal_xl.tariff.names`). Every cell is read as
text, so figures stay exact decimals ("0.0133" is never a binary float) and every row keeps
its line number for error messages.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from renewal_xl.errors import TariffError
from renewal_xl.tariff.names import column_code, table_code
from renewal_xl.tariff.schema import TABLE_KEYS

SKIPPED_SHEETS = ("说明", "xlwings.conf")  # instructions and add-in settings of a tariff workbook


@dataclass(frozen=True)
class Table:
    """One tariff table: where it came from and its rows as ``(line, {column: text})``."""

    name: str
    origin: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_tables(path: Path) -> dict[str, Table]:
    """All tables of a tariff stored at ``path`` (a folder of CSV files or an .xlsx)."""
    path = Path(path)
    if path.is_dir():
        return {p.stem: _read_csv(p) for p in sorted(path.glob("*.csv"))}
    if path.suffix.lower() in {".xlsx", ".xlsm"} and path.is_file():
        return _read_xlsx(path)
    raise TariffError(str(path), None, "tariff", str(path), "不是费率表文件夹或 .xlsx 工作簿")


def base_id(tables: dict[str, Table]) -> str | None:
    """The id of the tariff a version is a delta over (``base`` in its ``tariff`` table), if any."""
    meta = tables.get("tariff")
    for _, values in meta.rows if meta else ():
        if values.get("key") == "base" and values.get("value"):
            return values["value"]
    return None


def with_base(tables: dict[str, Table], base: dict[str, Table]) -> dict[str, Table]:
    """A version given as a delta over ``base``: every table of the base, where each table the
    version holds replaces the base's rows with the same key (schema/tables.csv) and adds its
    other rows. So a new version that changes one cell holds ``tariff.csv`` and one row.

    >>> from renewal_xl.tariff.catalogue import BUILTIN
    >>> base = read_tables(BUILTIN / "default")
    >>> delta = {"tpl": _table("tpl", "v/tpl.csv", [["seat_band", "limit", "premium"], ["small", "200000", "1250"]])}
    >>> merged = with_base(delta, base)["tpl"]
    >>> [v["premium"] for _, v in merged.rows if v["seat_band"] == "small" and v["limit"] == "200000"]
    ['1250']
    >>> len(merged.rows) == len(base["tpl"].rows)
    True
    """
    merged = dict(base)
    for name, delta in tables.items():
        below = base.get(name)
        if below is None or name == "tariff":
            merged[name] = delta
            continue
        if delta.columns != below.columns:
            raise TariffError(
                delta.origin, 1, name, " ".join(delta.columns), "列须与基础费率表相同: " + " ".join(below.columns)
            )
        key = TABLE_KEYS.get(name, below.columns[:1])
        replaced = {tuple(v.get(c, "") for c in key): (line, v) for line, v in delta.rows}
        rows = [replaced.pop(tuple(v.get(c, "") for c in key), (line, v)) for line, v in below.rows]
        merged[name] = Table(
            name, f"{delta.origin} (其余行: {below.origin})", below.columns, (*rows, *replaced.values())
        )
    return merged


def _read_csv(path: Path) -> Table:
    """One table of a folder: UTF-8 (with or without BOM) or GB18030/GBK, as Excel saves a
    CSV (:func:`renewal_xl.io.csvtext.encoding_of`); anything else is refused by name."""
    from renewal_xl.errors import SourceError
    from renewal_xl.io.csvtext import encoding_of

    origin = f"{path.parent.name}/{path.name}"
    try:
        encoding = encoding_of(path)
        with path.open(encoding=encoding, newline="") as f:
            lines = list(csv.reader(f))
    except SourceError as exc:
        raise TariffError(origin, None, "encoding", "", exc.reason) from exc
    except UnicodeDecodeError as exc:
        raise TariffError(
            origin, None, "encoding", encoding, f"文件中途出现不是 {encoding.upper()} 编码的内容"
        ) from exc
    return _table(path.stem, origin, lines)


def _read_xlsx(path: Path) -> dict[str, Table]:
    import openpyxl

    from renewal_xl.io.safety import check_file

    check_file(path)  # refuses zip bombs, entity declarations and oversized sheets
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        tables = {}
        for ws in book.worksheets:
            if ws.title.startswith(SKIPPED_SHEETS):
                continue
            lines = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if lines:
                lines[0] = [column_code(h.strip()) for h in lines[0]]
            code = table_code(ws.title)
            tables[code] = _table(code, f"{path.name}!{ws.title}", lines)
        return tables
    finally:
        book.close()


def _table(name: str, origin: str, lines: list[list[str]]) -> Table:
    if not lines or not any(c.strip() for c in lines[0]):
        raise TariffError(origin, 1, name, "", "缺少表头行")
    header = [c.strip() for c in lines[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [c.strip() for c in line]
        if not any(cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}))
    return Table(name, origin, tuple(header), tuple(rows))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
