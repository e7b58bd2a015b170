"""Reading the policy register `保单台账` and the renewal tracking `续保跟踪` (excel-contract §3).

A table comes from an .xlsx/.xlsm workbook (read with python-calamine; the named sheet, for
the register else the first sheet) or a UTF-8 .csv file (with or without BOM), each checked
first by :mod:`renewal_xl.io.safety` (refused when hostile or too large; warnings such as
macros kept in ``attrs['warnings']``), or from a
:class:`~renewal_xl.app.book.Book` sheet already read into a DataFrame. Headers may be
Chinese or English; :func:`tidy` renames them to the keys of :mod:`renewal_xl.columns`,
drops empty rows, numbers the rows as the sheet does (header = row 1, so the first data
row is 2, kept as the frame's index) and refuses a table without its required columns
with a Chinese message naming the file, the sheet and the columns.

>>> import pandas as pd
>>> frame = pd.DataFrame({"保单号": ["P1", None, "P2"], "VIN": ["V1", None, "V2"]})
>>> tidy(frame, {"policy_no": "保单号", "vin": "车架号"}, ("policy_no", "vin"), "工作表 保单台账").index.tolist()
[2, 4]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from renewal_xl.columns import REGISTER, REGISTER_OPTIONAL, TARGETS, TRACKING, canonical
from renewal_xl.errors import SourceError
from renewal_xl.io.safety import check_file
from renewal_xl.readers import blank_mask

REGISTER_SHEET = "保单台账"
TRACKING_SHEET = "续保跟踪"
TARGETS_SHEET = "目标"
FIRST_DATA_ROW = 2  # sheet row of the first data row (row 1 holds the headers)
REGISTER_REQUIRED = tuple(k for k in REGISTER if k not in REGISTER_OPTIONAL)
TRACKING_REQUIRED = ("policy_no", "status", "lapse_reason")
TARGETS_REQUIRED = ("salesperson", "target_count")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_rows(path: Path, sheet: str | None, *, first_sheet: bool) -> tuple[pd.DataFrame, str]:
    """The raw table of a file (headers as written) and its origin text for messages.

    For a workbook: ``sheet`` when present, else the first sheet when ``first_sheet``,
    else an error. CSV files have one table; ``sheet`` is ignored.
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"文件 {path}", "path", str(path), "文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        warnings = check_file(path)
        frame = _read_csv(path)
        frame.attrs["warnings"] = warnings
        return frame, f"文件 {path.name}"
    workbook, warnings = open_workbook(path)
    names = workbook.sheet_names
    if sheet in names:
        chosen = sheet
    elif first_sheet and names:
        chosen = names[0]
    else:
        raise SourceError(f"文件 {path.name}", "sheet", sheet, f"没有工作表 {sheet} (已有: {' '.join(names)})")
    rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    origin = f"文件 {path.name} 工作表 {chosen}"
    frame, dup = rows_frame(rows)
    if dup:
        raise SourceError(origin, "columns", " ".join(dup), "表头重复: " + " ".join(dup))
    frame.attrs["warnings"] = warnings
    return frame, origin


def open_workbook(path: Path):
    """A python-calamine workbook of an .xlsx/.xlsm file that passed
    :func:`renewal_xl.io.safety.check_file`, and that check's warnings."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise SourceError(f"文件 {path.name}", "path", str(path), "只支持 .xlsx、.xlsm 或 .csv (UTF-8) 文件")
    warnings = check_file(path)
    from python_calamine import CalamineWorkbook  # imported here: only the xlsx path needs it

    try:
        return CalamineWorkbook.from_path(str(path)), warnings
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise SourceError(f"文件 {path.name}", "path", str(path), f"无法读取工作簿 ({exc})") from exc


def rows_frame(rows: list) -> tuple[pd.DataFrame, list[str]]:
    """A table of cell rows (first row = headers) as a DataFrame of objects, and the
    headers that appear more than once (the frame is empty then). Rows may be ragged:
    the table is as wide as its widest row; a blank header is named ``#<column>``."""
    if not rows:
        return pd.DataFrame(), []
    if not all(isinstance(r, list) for r in rows):
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]
    width = max(map(len, rows))
    header = [("" if h is None else str(h)) for h in rows[0]] + [""] * (width - len(rows[0]))
    header = [h if h.strip() else f"#{k + 1}" for k, h in enumerate(header)]
    dup = doubled(header)
    if dup:
        return pd.DataFrame(), dup
    body = rows[1:]
    if any(len(r) != width for r in body):
        body = [r + [None] * (width - len(r)) for r in body]
    columns = list(zip(*body)) if body else [()] * width  # one transposition in C
    return pd.DataFrame({h: pd.Series(columns[k], dtype=object) for k, h in enumerate(header)}), []


def doubled(names: Iterable[str]) -> list[str]:
    """The names that appear more than once, sorted."""
    names = list(names)
    return sorted({n for n in names if names.count(n) > 1})


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=object, encoding="utf-8-sig", keep_default_na=False, na_values=[])
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"文件 {path.name}", "encoding", "", "不是 UTF-8 编码 (在 Excel 中另存为 “CSV UTF-8”)"
        ) from exc
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError as exc:
        raise SourceError(f"文件 {path.name}", "path", str(path), f"CSV 格式错误 ({exc})") from exc


def tidy(frame: pd.DataFrame, columns: dict[str, str], required: Iterable[str], origin: str) -> pd.DataFrame:
    """Headers renamed to keys, empty rows dropped, index = sheet row numbers, missing
    optional columns of ``columns`` added as blanks. Raises SourceError when a required
    column is missing or a column appears twice (e.g. 保单号 and policy_no)."""
    frame = frame.rename(columns=lambda c: "" if c is None else str(c).strip())
    frame = canonical(frame, columns)
    twice = doubled(c for c in frame.columns if c in columns)
    if twice:
        shown = " ".join(f"{columns[k]}({k})" for k in twice)
        raise SourceError(origin, "columns", shown, f"列重复: {shown}")
    missing = [k for k in required if k not in frame.columns]
    if missing:
        shown = " ".join(f"{columns[k]}({k})" for k in missing)
        raise SourceError(origin, "columns", shown, f"缺少必填列: {shown} (表头须在第 1 行)")
    frame = frame.reset_index(drop=True)
    frame.index = frame.index + FIRST_DATA_ROW
    if len(frame.columns):
        empty = np.ones(len(frame), dtype=bool)
        for name in frame.columns:  # each column looks only at the rows still empty so far
            candidates = np.flatnonzero(empty)
            if not candidates.size:
                break
            empty[candidates] = blank_mask(frame[name].iloc[candidates])
        frame = frame[~empty]
    added = [key for key in columns if key not in frame.columns]
    for key in added:
        frame[key] = pd.Series(None, index=frame.index, dtype=object)
    frame.attrs["added_columns"] = added  # columns the file did not have (check lists them)
    return frame


def read_register(path: Path, required: Iterable[str] = REGISTER_REQUIRED) -> pd.DataFrame:
    """The register of a file (sheet 保单台账, else the first sheet), canonical keys."""
    raw, origin = read_rows(Path(path), REGISTER_SHEET, first_sheet=True)
    return _with_warnings(tidy(raw, REGISTER, required, origin), raw)


def _with_warnings(frame: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """``frame`` carrying the file check's warnings of ``raw`` (``attrs['warnings']``)."""
    frame.attrs["warnings"] = raw.attrs.get("warnings", [])
    return frame


def read_tracking(path: Path, *, first_sheet: bool = True) -> pd.DataFrame | None:
    """The tracking table of a file (sheet 续保跟踪, else the first sheet when
    ``first_sheet``); None when a workbook has no such sheet and ``first_sheet`` is off."""
    return _read_table(Path(path), TRACKING_SHEET, TRACKING, TRACKING_REQUIRED, first_sheet)


def read_targets(path: Path, *, first_sheet: bool = True) -> pd.DataFrame | None:
    """The targets table of a file (sheet 目标, else the first sheet when ``first_sheet``;
    columns 业务员, 续保件数目标, 续保率目标 optional); None when a workbook has no such sheet
    and ``first_sheet`` is off."""
    return _read_table(Path(path), TARGETS_SHEET, TARGETS, TARGETS_REQUIRED, first_sheet)


def _read_table(
    path: Path, sheet: str, columns: dict[str, str], required: tuple[str, ...], first_sheet: bool
) -> pd.DataFrame | None:
    if path.suffix.lower() in EXCEL_SUFFIXES and not first_sheet:
        if sheet not in open_workbook(path)[0].sheet_names:
            return None
    raw, origin = read_rows(path, sheet, first_sheet=first_sheet)
    return _with_warnings(tidy(raw, columns, required, origin), raw)


def empty_tracking() -> pd.DataFrame:
    """A tracking table with no rows (all columns present)."""
    return tidy(pd.DataFrame({k: pd.Series(dtype=object) for k in TRACKING}), TRACKING, (), "续保跟踪")
