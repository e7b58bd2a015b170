"""One exception family for every domain error of renewal-xl.

Every message names the field (Chinese label and English key), the value and what is
allowed, so the UDF layer can show it as short cell text and the CLI as one line:

>>> from renewal_xl.errors import InputError
>>> str(InputError("seats", 12, "默认费率表仅适用 2–9 座"))
'座位数 seats=12: 默认费率表仅适用 2–9 座'
"""

from __future__ import annotations

from renewal_xl.fields import label


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
        return f"{label(self.field)} {self.field}={show_value(self.value)}: {self.reason}"

    def __str__(self) -> str:
        return self.message

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and (self.field, show_value(self.value), self.reason)
            == (other.field, show_value(other.value), other.reason)  # type: ignore[attr-defined]
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
        return f"费率表 {where}: {self.field}={show_value(self.value)}: {self.reason}"


class NoTariffError(RenewalError):
    """No tariff version is in force on the policy start date."""


def show_value(value: object) -> str:
    """A cell value as messages and reports show it: (空) for None, whole floats without
    ``.0``, dates as ISO text, long text cut to 40 characters."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 and getattr(value, "minute", 0) == 0 else value.isoformat(sep=" ")
    if value is None:
        return "(空)"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class SourceError(RenewalError):
    """A register or tracking file cannot be used: missing, unreadable, no such sheet, or
    required columns missing. ``origin`` names the file and sheet; ``reason`` says what is
    wrong and names the columns."""

    def __init__(self, origin: str, field: str, value: object, reason: str):
        self.origin = origin
        super().__init__(field, value, reason)

    @property
    def message(self) -> str:
        return f"{self.origin}: {self.reason}"


class OfficeError(RenewalError):
    """LibreOffice cannot do what was asked: a program is missing, fails to start, the
    add-in is not installed or cannot load. ``field`` names the program or file,
    ``value`` where it was looked for, ``reason`` what to do (Chinese)."""

    @property
    def message(self) -> str:
        return f"LibreOffice {self.field}={show_value(self.value)}: {self.reason}"
