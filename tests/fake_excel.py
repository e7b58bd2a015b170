"""A small in-memory stand-in for the part of xlwings' object model that
:class:`udfs.xlbook.XlBook` and the macros use (Book, Sheets, Sheet, Range, Names,
Tables, Charts, App), so they can be tested without Excel.

It behaves as classic xlwings on Windows does where that matters: ``freeze_panes`` is
not implemented (the code falls back to the COM window), cell errors read as None
unless ``err_to_str`` is set, a range value written as a 2-D list fills from its top-left
cell, adding a sheet whose name exists raises ValueError, sheet-scoped names read back
as ``'Sheet'!Name``.
"""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass


@dataclass(frozen=True)
class CellError:
    """A cell holding an Excel error value."""

    text: str


class FakeApp:
    def __init__(self):
        self.alerts: list[tuple[str, str | None]] = []
        self.screen_updating = True
        self.api = types.SimpleNamespace(
            ActiveWindow=types.SimpleNamespace(FreezePanes=False, SplitRow=0, SplitColumn=0)
        )
        self.active_sheet = None

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title))
        return "ok"


class FakeBook:
    def __init__(self, *names: str):
        self.app = FakeApp()
        self.sheets = FakeSheets(self)
        for name in names or ("Sheet1",):
            self.sheets.add(name)


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book
        self._sheets: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self._sheets))

    def __len__(self):
        return len(self._sheets)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._sheets[key]
        for s in self._sheets:
            if s.name.lower() == key.lower():
                return s
        raise KeyError(key)

    def add(self, name=None, before=None, after=None):
        name = name or f"Sheet{len(self._sheets) + 1}"
        if name.lower() in (s.name.lower() for s in self._sheets):
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        sheet = FakeSheet(self.book, name)
        if after is not None:
            self._sheets.insert(self._sheets.index(after) + 1, sheet)
        elif before is not None:
            self._sheets.insert(self._sheets.index(before), sheet)
        else:
            self._sheets.insert(0, sheet)
        self.book.app.active_sheet = sheet
        return sheet


class FakeSheet:
    def __init__(self, book: FakeBook, name: str):
        self.book = book
        self.name = name
        self.cells: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.bold: set[tuple[int, int]] = set()
        self.column_widths: dict[int, float] = {}
        self.names = FakeNames(self)
        self.tables = FakeCollection(FakeTable)
        self.charts = FakeCollection(FakeChart)
        self.frozen_rows = 0
        self.validations: dict[tuple[int, int, int, int], dict] = {}  # range -> Validation.Add arguments and settings
        self.writes: list[tuple[int, int]] = []  # top-left cells of value writes, in order
        self.fills: dict[tuple[int, int], tuple[int, int, int]] = {}
        self.wrapped: set[tuple[int, int]] = set()
        self.valign: dict[tuple[int, int], int] = {}
        self.row_heights: dict[int, float] = {}
        self.page_breaks: list[int] = []  # rows a manual page break goes above
        self.api = types.SimpleNamespace(  # Excel's Worksheet object as COM shows it (Windows)
            PageSetup=types.SimpleNamespace(),
            HPageBreaks=types.SimpleNamespace(Add=lambda before: self.page_breaks.append(before)),
            Range=lambda address: int(address.lstrip("A")),
        )

    @property
    def freeze_panes(self):
        raise NotImplementedError()  # as classic xlwings

    @property
    def index(self):
        return self.book.sheets._sheets.index(self) + 1

    def activate(self):
        self.book.app.active_sheet = self

    def delete(self):
        self.book.sheets._sheets.remove(self)

    def range(self, first, last=None):
        last = last or first
        return FakeRange(self, first[0], first[1], last[0], last[1])

    @property
    def used_range(self):
        if not self.cells:
            return FakeRange(self, 1, 1, 1, 1)
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        return FakeRange(self, min(rows), min(cols), max(rows), max(cols))

    def value(self, row: int, col: int):
        return self.cells.get((row, col))

    def row(self, row: int) -> list:
        last = max((c for r, c in self.cells if r == row), default=0)
        return [self.cells.get((row, c)) for c in range(1, last + 1)]


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int, options=None):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2
        self.options_ = options or {}
        self.font = _Font(self)

    def options(self, **options):
        return FakeRange(self.sheet, self.r1, self.c1, self.r2, self.c2, options)

    def _cells(self):
        return [(r, c) for r in range(self.r1, self.r2 + 1) for c in range(self.c1, self.c2 + 1)]

    @property
    def value(self):
        def read(v):
            if isinstance(v, CellError):
                return v.text if self.options_.get("err_to_str") else None
            return v

        rows = [
            [read(self.sheet.cells.get((r, c))) for c in range(self.c1, self.c2 + 1)]
            for r in range(self.r1, self.r2 + 1)
        ]
        if self.options_.get("ndim") == 2:
            return rows
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows

    @value.setter
    def value(self, data):
        self.sheet.writes.append((self.r1, self.c1))
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                key = (self.r1 + i, self.c1 + j)
                if v is None:
                    self.sheet.cells.pop(key, None)
                else:
                    assert type(v) in (str, int, float, bool, dt.datetime), f"not a cell value: {v!r}"
                    self.sheet.cells[key] = v

    @property
    def number_format(self):
        return self.sheet.formats.get((self.r1, self.c1))

    @number_format.setter
    def number_format(self, fmt):
        assert not any(k in self.sheet.cells for k in self._cells()), "format set after the values"
        for k in self._cells():
            self.sheet.formats[k] = fmt

    @property
    def column_width(self):
        return self.sheet.column_widths.get(self.c1)

    @column_width.setter
    def column_width(self, width):
        for c in range(self.c1, self.c2 + 1):
            self.sheet.column_widths[c] = width

    @property
    def color(self):
        return self.sheet.fills.get((self.r1, self.c1))

    @color.setter
    def color(self, rgb):
        for k in self._cells():
            self.sheet.fills[k] = rgb

    @property
    def wrap_text(self):
        return all(k in self.sheet.wrapped for k in self._cells())

    @wrap_text.setter
    def wrap_text(self, value):
        for k in self._cells():
            (self.sheet.wrapped.add if value else self.sheet.wrapped.discard)(k)

    @property
    def row_height(self):
        return self.sheet.row_heights.get(self.r1)

    @row_height.setter
    def row_height(self, height):
        for r in range(self.r1, self.r2 + 1):
            self.sheet.row_heights[r] = height

    @property
    def address(self):
        return f"R{self.r1}C{self.c1}:R{self.r2}C{self.c2}"

    @property
    def row(self):
        return self.r1

    @property
    def api(self):
        """Excel's Range COM object, as far as ``Range.Validation`` and the vertical alignment go."""
        return _RangeApi(self)


class _Validation:
    """``Range.Validation``: Delete, Add(Type, AlertStyle, Operator, Formula1[, Formula2]) and settings."""

    def __init__(self, rng: FakeRange):
        object.__setattr__(self, "_key", (rng.r1, rng.c1, rng.r2, rng.c2))
        object.__setattr__(self, "_sheet", rng.sheet)

    def Delete(self):  # noqa: N802 - COM name
        self._sheet.validations.pop(self._key, None)

    def Add(self, Type, AlertStyle=1, Operator=1, Formula1=None, Formula2=None):  # noqa: N802,N803 - COM names
        assert self._key not in self._sheet.validations, "Add on a range that has a validation raises in Excel"
        self._sheet.validations[self._key] = {
            "Type": Type,
            "Operator": Operator,
            "Formula1": Formula1,
            "Formula2": Formula2,
        }

    def __setattr__(self, name, value):
        self._sheet.validations[self._key][name] = value


class _RangeApi:
    """Excel's Range object as COM shows it: ``Validation`` and the vertical alignment."""

    def __init__(self, rng: FakeRange):
        self._range = rng
        self.Validation = _Validation(rng)

    @property
    def VerticalAlignment(self):  # noqa: N802 - Excel's name
        return self._range.sheet.valign.get((self._range.r1, self._range.c1))

    @VerticalAlignment.setter
    def VerticalAlignment(self, value):  # noqa: N802
        for k in self._range._cells():
            self._range.sheet.valign[k] = value


class _Font:
    def __init__(self, rng: FakeRange):
        self._range = rng

    @property
    def bold(self):
        return all(k in self._range.sheet.bold for k in self._range._cells())

    @bold.setter
    def bold(self, value):
        for k in self._range._cells():
            (self._range.sheet.bold.add if value else self._range.sheet.bold.discard)(k)


class FakeNames:
    def __init__(self, sheet: FakeSheet):
        self.sheet = sheet
        self._names: dict[str, str] = {}

    def add(self, name, refers_to):
        self._names[name] = refers_to
        return types.SimpleNamespace(name=f"'{self.sheet.name}'!{name}", refers_to=refers_to)

    def __iter__(self):
        return iter(
            [types.SimpleNamespace(name=f"'{self.sheet.name}'!{n}", refers_to=r) for n, r in self._names.items()]
        )


class FakeCollection:
    def __init__(self, kind):
        self.kind = kind
        self.items = []

    def add(self, **kwargs):
        item = self.kind(**kwargs)
        self.items.append(item)
        return item

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


class FakeTable:
    def __init__(self, source=None, name=None, table_style_name=None, **kwargs):
        self.source, self.name, self.table_style_name = source, name, table_style_name


class FakeChart:
    def __init__(self, chart_type=None, source=None, plot_by=None, anchor=None, width=None, height=None, **kwargs):
        self.chart_type, self.source, self.plot_by, self.anchor = chart_type, source, plot_by, anchor
        self.width, self.height = width, height
        self.x_values = None
        self.title = None

    def set_x_axis_values(self, rng):
        self.x_values = rng
