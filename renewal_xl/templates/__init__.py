"""Template workbooks built by code (``renewal-xl build-workbooks``), never by hand.

:func:`build_all` writes the sales template, the finance template and the tariff workbook
of the built-in default tariff; tests rebuild them and compare with the committed files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from renewal_xl.io.atomic import atomic_path
from renewal_xl.tariff import default_tariff
from renewal_xl.tariff.catalogue import BUILTIN
from renewal_xl.templates import finance, sales, tariff_book

TEMPLATES: dict[str, Callable[[], object]] = {
    sales.FILE: lambda: sales.build(default_tariff()),
    finance.FILE: lambda: finance.build(default_tariff()),
    tariff_book.FILE: lambda: tariff_book.build(BUILTIN / "default"),
}


def build_all(out: Path) -> list[Path]:
    """Write every template into ``out`` (atomically, one file at a time)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in TEMPLATES.items():
        path = out / name
        with atomic_path(path) as temp:
            build().save(temp)
        written.append(path)
    return written
