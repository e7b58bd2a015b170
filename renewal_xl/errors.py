"""One exception family for every domain error of renewal-xl.

Every message names the field (Chinese label and English key), the value and what is
allowed, so the UDF layer can show it as short cell text and the CLI as one line:

>>> from renewal_xl.errors import InputError
>>> str(InputError("seats", 12, "默认费率表仅适用 2–9 座"))
'座位数 seats=12: 默认费率表仅适用 2–9 座'
"""

from __future__ import annotations

import datetime as dt
import re

from renewal_xl.vocabulary import label


class RenewalError(ValueError):
    """Base class: a value that renewal-xl cannot accept.

    ``field`` is the English key, ``value`` the offending value as given, ``reason`` the
    Chinese explanation of what is allowed.
    """

    def __init__(self, field: str, value: object, reason: str):
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{label(self.field)} {self.field}={show_value(self.value)}: {escaped(self.reason)}"

    def __str__(self) -> str:
        return self.message

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (self.field, show_value(self.value), self.reason) == (
            other.field,
            show_value(other.value),
            other.reason,
        )

    def __hash__(self) -> int:
        return hash((type(self), self.field, show_value(self.value), self.reason))


class InputError(RenewalError):
    """An input of a quote, a register cell or a worksheet-function argument is invalid."""


class CoverageError(InputError):
    """A coverage list or package name cannot be parsed (unknown item, limit, duplicate)."""


class TariffError(RenewalError):
    """A tariff table is missing, malformed or breaks a rule (refused on load).

    ``origin`` names the file (or workbook sheet) and ``row`` the 1-based line in it.
    """

    def __init__(self, origin: str, row: int | None, field: str, value: object, reason: str):
        self.origin = origin
        self.row = row
        super().__init__(field, value, reason)

    @property
    def message(self) -> str:
        where = self.origin if self.row is None else f"{self.origin} 第{self.row}行"
        return f"费率表 {escaped(where)}: {self.field}={show_value(self.value)}: {escaped(self.reason)}"


class NoTariffError(RenewalError):
    """No tariff version is in force on the policy start date."""


def show_value(value: object) -> str:
    """A cell value as messages and reports show it: (空) for None and NaT, whole floats
    without ``.0``, dates as ISO text, control and bidirectional-override characters as
    ``\\xNN``/``\\uNNNN`` escapes (a message never moves a terminal's cursor or reverses
    text), long text cut to 40 characters.

    >>> show_value(dt.datetime(2026, 1, 5)), show_value(dt.time(9, 30)), show_value("a\\x1b[2J")
    ('2026-01-05', '09:30:00', 'a\\\\x1b[2J')
    """
    if value is None or (isinstance(value, (dt.date, dt.time)) and value != value):  # NaT
        return "(空)"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = escaped(str(value))
    return text if len(text) <= 40 else text[:37] + "..."


def escaped(text: str) -> str:
    """``text`` with control and bidirectional-override characters as visible escapes;
    every message goes through it, as it may quote a cell (a coverage item, a file name)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class SourceError(RenewalError):
    """A register or tracking file cannot be used: missing, unreadable, no such sheet, or
    required columns missing. ``origin`` names the file and sheet; ``reason`` says what is
    wrong and names the columns."""

    def __init__(self, origin: str, field: str, value: object, reason: str):
        self.origin = origin
        super().__init__(field, value, reason)

    @property
    def message(self) -> str:
        return escaped(f"{self.origin}: {self.reason}")


class OfficeError(RenewalError):
    """LibreOffice cannot do what was asked: a program is missing, fails to start, the
    add-in is not installed or cannot load. ``field`` names the program or file,
    ``value`` where it was looked for, ``reason`` what to do (Chinese)."""

    @property
    def message(self) -> str:
        return escaped(f"LibreOffice {self.field}={show_value(self.value)}: {self.reason}")


class EngineError(Exception):
    """The requested engine cannot run here (no Java, pyspark not installed, a Spark
    session that does not start, a failed Spark job). The message is one Chinese line;
    the command line exits with :data:`ENGINE_EXIT`."""


ENGINE_EXIT = 3  # exit code of the command line when the engine cannot run
