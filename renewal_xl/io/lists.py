"""Reading handed-out due lists back (``renewal-xl collect``): the cell rows of the sheets
of a workbook that a rule selects, read with python-calamine after the safety check of
:func:`renewal_xl.io.register.open_workbook`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from renewal_xl.errors import SourceError
from renewal_xl.io.register import EXCEL_SUFFIXES, open_workbook


def sheet_rows(path: Path, wanted: Callable[[str], bool], what: str) -> tuple[list[tuple[str, list[list]]], list[str]]:
    """``(origin, cell rows from row 1)`` of every sheet of ``path`` whose name is
    ``wanted``, and the file check's warnings. Raises SourceError when the file is missing or
    unreadable or has no such sheet (``what`` names them in the message)."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"文件 {path}", "path", str(path), "文件不存在")
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise SourceError(f"文件 {path.name}", "path", str(path), "续保清单须为 .xlsx 或 .xlsm 工作簿")
    workbook, warnings = open_workbook(path)
    names = [n for n in workbook.sheet_names if wanted(n)]
    if not names:
        shown = " ".join(workbook.sheet_names)
        raise SourceError(f"文件 {path.name}", "sheet", shown, f"没有{what} (已有: {shown})")
    sheets = [
        (f"文件 {path.name} 工作表 {n}", workbook.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in names
    ]
    return sheets, warnings
