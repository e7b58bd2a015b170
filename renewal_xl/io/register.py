"""Reading the policy register `保单台账` and the renewal tracking `续保跟踪` (excel-contract §3).

A table comes from an .xlsx/.xlsm workbook (the named sheet, for the register else the
first sheet), a .csv file or Parquet (a file or a partitioned folder,
:mod:`renewal_xl.io.parquet`; column names are the headers); workbooks and CSV files are
checked first by :mod:`renewal_xl.io.safety` (refused when hostile or too large; warnings
such as macros kept in :attr:`Register.warnings`), or come from a
:class:`~renewal_xl.app.book.Book` sheet already read into a DataFrame. What a reader
returns is a :class:`Register`: the canonical frame and what was learnt reading it (origin,
header row, warnings, columns the file lacked). Registers come as offices produce them:

- **Header row**: the row with the most known headers (Chinese or English, any case,
  full-width folded) among the first :data:`HEADER_SCAN_ROWS` rows; title rows above it are
  skipped and a warning says which row was used (:attr:`Register.header_row`). Rows are numbered
  as the sheet does, so the first data row under a header on row 3 is row 4 (the index).
- **CSV**: UTF-8 with or without BOM, GB18030/GBK (Chinese Excel's "CSV (逗号分隔)") or
  UTF-16 (:mod:`renewal_xl.io.csvtext`); a file whose header only splits with ``;``, a tab
  or ``|`` is refused naming that delimiter (a semicolon file also writes decimal commas,
  so it is not guessed).
- **Values**: full-width letters, digits and punctuation folded to ASCII
  (:func:`renewal_xl.folding.fold`).
- **Formulas never calculated**: a register column holding formula cells without a cached
  value, or in a workbook saved by a program that does not calculate (``fullCalcOnLoad``,
  as openpyxl and XlsxWriter write), is refused naming the column and the cell.

:func:`tidy` renames the headers to the keys of :mod:`renewal_xl.columns`, drops empty
rows and refuses a table without its required columns with a Chinese message naming the
file, the sheet, the header row and the columns.

>>> import pandas as pd
>>> frame = pd.DataFrame({"保单号": ["P1", None, "P2"], "VIN": ["V1", None, "V2"]})
>>> tidy(frame, {"policy_no": "保单号", "vin": "车架号"}, ("policy_no", "vin"), "工作表 保单台账").frame.index.tolist()
[2, 4]
>>> find_header([["2026年11月 台账"], [], ["保单号", "ＶＩＮ", "备注"]], {"policy_no": "保单号", "vin": "车架号"})
2
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from renewal_xl.columns import REGISTER, REGISTER_OPTIONAL, TARGETS, TRACKING, canonical
from renewal_xl.errors import SourceError
from renewal_xl.folding import fold, fold_series
from renewal_xl.io.arrow_sheet import SLICE_BYTES, SheetColumns, read_sheet, starts_at_a1
from renewal_xl.io.csvtext import DELIMITERS, decode_error, encoding_of
from renewal_xl.io.parquet import is_parquet, read_parquet
from renewal_xl.io.safety import check_file
from renewal_xl.readers import blank_mask

REGISTER_SHEET = "保单台账"
TRACKING_SHEET = "续保跟踪"
TARGETS_SHEET = "目标"
FINANCE_SHEET = "手续费明细"  # the finance template's policies (statements reads it)
FIRST_DATA_ROW = 2  # sheet row of the first data row when the headers are on row 1
HEADER_SCAN_ROWS = 30  # rows searched for the header row
FORMULA_SCAN_BYTES = 2**20  # bytes of a sheet's XML searched for uncalculated formulas
REGISTER_REQUIRED = tuple(k for k in REGISTER if k not in REGISTER_OPTIONAL)
TRACKING_REQUIRED = ("policy_no", "status", "lapse_reason")
TARGETS_REQUIRED = ("salesperson", "target_count")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Register:
    """A table as read by the rules of this module: the register 保单台账, or the tracking
    续保跟踪 and targets 目标 tables read the same way.

    ``frame``: after :func:`tidy`, canonical keys (every column of the table's vocabulary
    present), index = sheet row numbers; as :func:`read_rows` returns it, the headers as
    written (folded). ``origin``: where it came from, for messages (``文件 x.xlsx 工作表
    保单台账``). ``header_row``: the sheet row of the headers (1 unless title rows were
    skipped). ``warnings``: the file check's and the header row's warnings, for the user.
    ``added_columns``: keys the file lacked, added as blanks by :func:`tidy`.
    """

    frame: pd.DataFrame
    origin: str = "保单台账"
    header_row: int = 1
    warnings: tuple[str, ...] = ()
    added_columns: tuple[str, ...] = ()


def read_rows(
    path: Path,
    sheet: str | None,
    *,
    first_sheet: bool,
    columns: dict[str, str] | None = None,
    own_columns: bool = True,
) -> Register:
    """The raw table of a file (headers as written, folded), its origin text for messages,
    header row and warnings.

    For a workbook: ``sheet`` when present, else the first sheet when ``first_sheet``,
    else an error. CSV files have one table; ``sheet`` is ignored. With ``columns`` (key →
    Chinese header) the header row is found (:func:`find_header`) and only the columns
    with one of those headers are kept; without, row 1 holds the headers and every column
    is kept. ``own_columns`` False (with ``columns``): the file's other columns are not
    read at all (memory bounded by the columns a job uses; ``price`` keeps them).
    """
    only = _known(columns) if columns is not None and not own_columns else None
    path = Path(path)
    if is_parquet(path):  # a file or a partitioned folder: column names are the headers
        return Register(read_parquet(path), f"文件 {path.name}", 1)
    if not path.is_file():
        raise SourceError(f"文件 {path}", "path", str(path), "文件不存在")
    if path.suffix.lower() == ".csv":
        warnings = check_file(path)
        frame, header_row = _read_csv(path, columns, only)
        origin = f"文件 {path.name}"
    else:
        workbook, warnings = open_workbook(path, leave_sheets_above=SLICE_BYTES)  # scanned as the slices are read
        names = workbook.sheet_names
        if sheet in names:
            chosen: str = str(sheet)
        elif first_sheet and names:
            chosen = names[0]
        else:
            raise SourceError(f"文件 {path.name}", "sheet", sheet, f"没有工作表 {sheet} (已有: {' '.join(names)})")
        origin = f"文件 {path.name} 工作表 {chosen}"
        fast = _arrow_table(path, chosen, columns, only)
        if fast is None:
            check_file(path)  # the parts left to the slices' read are checked whole before calamine parses one
        frame, header_row, letters = fast or _table(sheet_rows(workbook, chosen, path), columns, origin, only)
        if columns is not None:
            _refuse_uncalculated(path, chosen, letters, header_row, origin)
    notes = [f"表头在第 {header_row} 行 (上方 {header_row - 1} 行为标题, 已跳过)"] if header_row > 1 else []
    return Register(frame, origin, header_row, (*warnings, *notes))


def open_workbook(path: Path, *, leave_sheets_above: int | None = None):
    """A python-calamine workbook of an .xlsx/.xlsm file that passed
    :func:`renewal_xl.io.safety.check_file`, and that check's warnings. Opening parses no
    worksheet, so the worksheet parts larger than ``leave_sheets_above`` bytes may be left
    to the reader that scans them as it streams them (:func:`renewal_xl.io.safety.scanning`);
    the caller checks the file whole before parsing one otherwise."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise SourceError(f"文件 {path.name}", "path", str(path), "只支持 .xlsx、.xlsm、.csv 或 .parquet 文件")
    warnings = check_file(path, leave_sheets_above=leave_sheets_above)
    from python_calamine import CalamineWorkbook  # imported here: only the xlsx path needs it

    try:
        return CalamineWorkbook.from_path(str(path)), warnings
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise damaged(path, exc) from exc


def damaged(path: Path, exc: Exception) -> SourceError:
    """The refusal of a workbook the reader cannot parse (truncated or oddly encoded XML)."""
    return SourceError(
        f"文件 {Path(path).name}",
        "path",
        str(path),
        f"工作簿已损坏或编码异常, 无法读取 ({type(exc).__name__}); 请在 Excel 中打开后另存为 .xlsx",
    )


def sheet_rows(workbook, name: str, path: Path) -> Iterator[list]:
    """The rows of a worksheet from row 1 and column A, one at a time (cell values as python-calamine gives
    them: str, float, int, bool, date, datetime; '' for an empty cell). The only function
    that knows the xlsx engine; everything after it works on these rows."""
    try:
        found = workbook.get_sheet_by_name(name)
        left = [""] * (found.start[1] if found.start else 0)  # the rows start at the first used column
        for row in found.iter_rows():
            yield left + row if left else row
    except Exception as exc:  # XmlError of a truncated or oddly encoded sheet
        raise damaged(path, exc) from exc


def find_header(rows: list[list], columns: dict[str, str]) -> int:
    """The index of the row with the most cells naming a column of ``columns`` (key or
    Chinese header, any case, full-width folded); the first such row on a tie, 0 when no
    row names any."""
    known = _known(columns)
    counts = [sum(_header_key(c) in known for c in row) for row in rows]
    best = max(counts, default=0)
    return counts.index(best) if best else 0


def _known(columns: dict[str, str]) -> set[str]:
    return {k.upper() for k in columns} | {zh.upper() for zh in columns.values()}


def _header_key(cell: object) -> str:
    return "" if cell is None else fold(str(cell)).strip().upper()


def _table(
    rows: Iterator[list], columns: dict[str, str] | None, origin: str, only: set[str] | None = None
) -> tuple[pd.DataFrame, int, dict[str, str]]:
    """The DataFrame of sheet rows (header row found among the first rows when ``columns``
    is given, else row 1; every column kept, or those whose upper-cased header is in
    ``only``), the sheet row of its headers and the column letter of each header of
    ``columns``."""
    head = [_as_list(r) for _, r in zip(range(HEADER_SCAN_ROWS), rows)]
    at = find_header(head, columns) if columns is not None else 0
    header = head[at] if head else []
    body = head[at + 1 :]
    width = max(map(len, head), default=0)
    names = [("" if h is None else fold(str(h)).strip()) for h in header] + [""] * (width - len(header))
    names = [h if h else f"#{k + 1}" for k, h in enumerate(names)]
    keep = _kept(names, only)
    dup = doubled(names[k] for k in keep)
    if dup:
        raise SourceError(origin, "columns", " ".join(dup), "表头重复: " + " ".join(dup))
    cells: list[list] = [[] for _ in keep]
    for row in (*body, *(_as_list(r) for r in rows)):
        n = len(row)
        for j, k in enumerate(keep):
            cells[j].append(row[k] if k < n else None)
    frame = pd.DataFrame({names[k]: pd.Series(cells[j], dtype=object) for j, k in enumerate(keep)})
    known = _known(columns) if columns is not None else set()
    return frame, at + 1, {_letters(k + 1): names[k] for k in keep if names[k].upper() in known}


def _arrow_table(
    path: Path, sheet: str, columns: dict[str, str] | None, only: set[str] | None = None
) -> tuple[pd.DataFrame, int, dict[str, str]] | None:
    """What :func:`_table` gives for the sheet, read by fastexcel
    (:func:`renewal_xl.io.arrow_sheet.read_sheet`) when its columns are exactly those of the
    row reader: used range from A1, one kind of cell per column, distinct text headers on
    row 1. None otherwise (the row reader then reads the sheet)."""
    try:
        with zipfile.ZipFile(path) as archive:
            part, _ = _sheet_part(archive, sheet)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    if part is None or not starts_at_a1(path, part):
        return None
    wanted = None if only is None else (lambda h: fold(h).strip().upper() in only)
    head_rows = HEADER_SCAN_ROWS - 1 if columns is not None else 0
    arrow = columns is not None
    found = read_sheet(path, part, sheet, wanted, arrow=arrow, head_rows=head_rows)
    if found is not None and columns is not None and not _header_first(found, columns):
        found = None  # a column not read might make a lower row the header row: read them all and see
        whole = read_sheet(path, part, sheet, arrow=arrow, head_rows=head_rows)
        if whole is not None and find_header([whole.names, *whole.head], columns) == 0:
            keep = [j for j, k in enumerate(whole.positions) if wanted is None or wanted(whole.names[k])]
            head = [[row[j] for j in keep] for row in whole.head]
            found = SheetColumns(
                whole.names, [whole.positions[j] for j in keep], [whole.columns[j] for j in keep], head
            )
    if found is None:
        return None
    headers = [fold(h).strip() for h in found.kept_names]
    if not all(headers) or doubled(headers):
        return None
    frame = pd.DataFrame(
        {h: c if isinstance(c, pd.Series) else pd.Series(c, dtype=object) for h, c in zip(headers, found.columns)}
    )
    known = _known(columns) if columns is not None else set()
    return frame, 1, {_letters(k + 1): name for k, name in zip(found.positions, headers) if name.upper() in known}


def _header_first(found: SheetColumns, columns: dict[str, str]) -> bool:
    """Whether row 1 is the header row :func:`find_header` would choose over every column,
    judged from the columns read: no lower row names more known headers even if every
    column not read named one there."""
    known = _known(columns)
    counts = [sum(_header_key(c) in known for c in row) for row in (found.kept_names, *found.head)]
    unread = len(found.names) - len(found.positions)
    return counts[0] > 0 and max(counts[1:], default=0) + unread <= counts[0]


def _kept(names: list[str], only: set[str] | None) -> list[int]:
    """The positions of the columns to read: all (the price report carries the user's own
    columns through), or those whose upper-cased header is in ``only``."""
    return [k for k, name in enumerate(names) if only is None or name.upper() in only]


def _as_list(row) -> list:
    return row if isinstance(row, list) else list(row) if isinstance(row, (list, tuple)) else [row]


def _letters(n: int) -> str:
    from renewal_xl.io.safety import column_letters

    return column_letters(n)


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


def _read_csv(path: Path, columns: dict[str, str] | None, only: set[str] | None = None) -> tuple[pd.DataFrame, int]:
    """A CSV table (encoding from :func:`~renewal_xl.io.csvtext.encoding_of`, header row
    found in the first lines) and the file row of its headers."""
    encoding = encoding_of(path)
    origin = f"文件 {path.name}"
    try:
        with path.open(encoding=encoding, newline="") as f:
            head_text = "".join(line for _, line in zip(range(HEADER_SCAN_ROWS), f))
    except UnicodeDecodeError as exc:
        raise decode_error(path, encoding, exc) from exc
    head = list(csv.reader(io.StringIO(head_text)))
    if not head:
        return pd.DataFrame(), 1
    at = find_header(head, columns) if columns is not None else 0
    if columns is not None:
        _refuse_delimiter(head, at, columns, origin)
    names = [fold(h).strip() or f"#{k + 1}" for k, h in enumerate(head[at])]
    keep = _kept(names, only)
    dup = doubled(names[k] for k in keep)
    if dup:
        raise SourceError(origin, "columns", " ".join(dup), "表头重复: " + " ".join(dup))
    try:
        frame = pd.read_csv(
            path,
            dtype=object,
            encoding=encoding,
            header=None,
            skiprows=at + 1,
            usecols=keep,
            names=list(range(len(names))),
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        raise decode_error(path, encoding, exc) from exc
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({k: pd.Series(dtype=object) for k in keep})
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(origin, "path", str(path), f"CSV 格式错误 ({str(exc).strip()[:120]})") from exc
    frame.columns = [names[k] if isinstance(k, int) and k < len(names) else f"#{k}" for k in frame.columns]
    return frame, at + 1


def _refuse_delimiter(head: list[list[str]], at: int, columns: dict[str, str], origin: str) -> None:
    """Refuse a file whose header splits into known columns only with another delimiter."""
    known = _known(columns)
    found = sum(_header_key(c) in known for c in head[at])
    if found >= 2:
        return
    text = [",".join(row) for row in head]
    for delimiter, name in DELIMITERS.items():
        if delimiter == ",":
            continue
        rows = [line.split(delimiter) for line in text]
        if sum(_header_key(c) in known for c in rows[find_header(rows, columns)]) >= 2:
            raise SourceError(
                origin,
                "delimiter",
                delimiter,
                f"列以{name} ({delimiter!r}) 分隔, 不是逗号: 请在 Excel 中另存为 “CSV UTF-8 (逗号分隔)”",
            )


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(.*?)</c>', re.DOTALL)


def _refuse_uncalculated(path: Path, sheet: str, letters: dict[str, str], header_row: int, origin: str) -> None:
    """Refuse a kept column holding formula cells that were never calculated: no cached
    value, or a workbook flagged ``fullCalcOnLoad`` (saved by a program that writes formulas
    without computing them, whose cached values are 0 or none). Searched in the first
    :data:`FORMULA_SCAN_BYTES` of the sheet's XML (the first thousands of rows); ``letters``:
    column letter → header of the register columns."""
    if not letters:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            part, never_calculated = _sheet_part(archive, sheet)
            if part is None:
                return
            with archive.open(part) as f:
                text = f.read(FORMULA_SCAN_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError):
        return
    if b"<f" not in text:  # no formula element at all (most registers): no cell to look at one by one
        return
    for m in _CELL.finditer(text):
        letter, row, inner = m.group(1).decode(), int(m.group(2)), m.group(3)
        if letter not in letters or row <= header_row or b"<f" not in inner:
            continue
        cached = re.search(rb"<v>([^<]*)</v>", inner)
        if cached is None or not cached.group(1) or never_calculated:
            header = letters[letter]
            shown = "无" if cached is None or not cached.group(1) else cached.group(1).decode(errors="replace")
            raise SourceError(
                origin,
                "formula",
                f"{letter}{row}",
                f"列 {header} ({letter} 列) 是未计算的公式 (如 {letter}{row}: 缓存值 {shown}); "
                "请在 Excel 中打开并保存 (自动重算), 或先运行 renewal-xl recalc",
            )


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> tuple[str | None, bool]:
    """The zip part of the worksheet named ``sheet`` and whether the workbook asks to be
    fully calculated on load (``fullCalcOnLoad``: its cached values were never computed)."""
    book = archive.read("xl/workbook.xml").decode("utf-8", errors="replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    never = re.search(r'<calcPr[^>]*fullCalcOnLoad="(1|true)"', book) is not None
    for tag in re.findall(r"<sheet\s[^>]*>", book):
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if name and rid and _unescape(name.group(1)) == sheet:
            for rel in re.findall(r"<Relationship\s[^>]*>", rels):
                if f'Id="{rid.group(1)}"' in rel:
                    target = re.search(r'Target="([^"]*)"', rel)
                    if target:
                        t = target.group(1).lstrip("/")
                        return (t if t.startswith("xl/") else f"xl/{t}"), never
    return None, never


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def tidy(frame: pd.DataFrame | Register, columns: dict[str, str], required: Iterable[str], origin: str) -> Register:
    """The canonical :class:`Register` of a raw table (a frame with its headers on sheet row
    1, or a :func:`read_rows` result, whose header row and warnings it keeps): headers
    renamed to keys, text cells folded (:func:`~renewal_xl.folding.fold`), empty rows
    dropped, index = sheet row numbers, missing optional columns of ``columns`` added as
    blanks (``added_columns``). Raises SourceError when a required column is missing or a
    column appears twice (e.g. 保单号 and policy_no)."""
    raw = frame if isinstance(frame, Register) else Register(frame, origin)
    frame, header_row = raw.frame, raw.header_row
    frame = frame.rename(columns=lambda c: "" if c is None else fold(str(c)).strip())
    frame = canonical(frame, columns)
    twice = doubled(c for c in frame.columns if c in columns)
    if twice:
        shown = " ".join(f"{columns[k]}({k})" for k in twice)
        raise SourceError(origin, "columns", shown, f"列重复: {shown}")
    missing = [k for k in required if k not in frame.columns]
    if missing:
        shown = " ".join(f"{columns[k]}({k})" for k in missing)
        where = f"表头取第 {header_row} 行: 前 {HEADER_SCAN_ROWS} 行中含已知列名最多的一行"
        raise SourceError(origin, "columns", shown, f"缺少必填列: {shown} ({where})")
    frame = frame.reset_index(drop=True)
    frame.index = frame.index + header_row + 1
    for name in frame.columns:
        frame[name] = fold_series(frame[name])
    if len(frame.columns):
        empty = np.ones(len(frame), dtype=bool)
        for name in frame.columns:  # each column looks only at the rows still empty so far
            candidates = np.flatnonzero(empty)
            if not candidates.size:
                break
            empty[candidates] = blank_mask(frame[name].iloc[candidates])
        if empty.any():  # a copy of every column only when there is a row to drop
            frame = frame[~empty]
    added = [key for key in columns if key not in frame.columns]
    for key in added:
        frame[key] = pd.Series(None, index=frame.index, dtype=object)
    return replace(raw, frame=frame, origin=origin, added_columns=tuple(added))


def read_register(path: Path, required: Iterable[str] = REGISTER_REQUIRED, *, own_columns: bool = True) -> Register:
    """The :class:`Register` of a file (sheet 保单台账, else the first sheet): its ``frame``
    has the canonical keys of :data:`renewal_xl.columns.REGISTER` (the file's other columns
    kept unless ``own_columns`` is False) and the sheet row numbers as index; ``warnings``
    are for the user."""
    raw = read_rows(Path(path), REGISTER_SHEET, first_sheet=True, columns=REGISTER, own_columns=own_columns)
    return tidy(raw, REGISTER, required, raw.origin)


def read_tracking(path: Path, *, first_sheet: bool = True) -> Register | None:
    """The tracking table of a file (sheet 续保跟踪, else the first sheet when
    ``first_sheet``); None when a workbook has no such sheet and ``first_sheet`` is off."""
    return _read_table(Path(path), TRACKING_SHEET, TRACKING, TRACKING_REQUIRED, first_sheet)


def read_targets(path: Path, *, first_sheet: bool = True) -> Register | None:
    """The targets table of a file (sheet 目标, else the first sheet when ``first_sheet``;
    columns 业务员, 续保件数目标, 续保率目标 optional); None when a workbook has no such sheet
    and ``first_sheet`` is off."""
    return _read_table(Path(path), TARGETS_SHEET, TARGETS, TARGETS_REQUIRED, first_sheet)


def _read_table(
    path: Path, sheet: str, columns: dict[str, str], required: tuple[str, ...], first_sheet: bool
) -> Register | None:
    if path.suffix.lower() in EXCEL_SUFFIXES and not first_sheet:
        if sheet not in open_workbook(path)[0].sheet_names:
            return None
    raw = read_rows(path, sheet, first_sheet=first_sheet, columns=columns)
    return tidy(raw, columns, required, raw.origin)


def empty_tracking() -> pd.DataFrame:
    """The frame of a tracking table with no rows (all columns present)."""
    return tidy(pd.DataFrame({k: pd.Series(dtype=object) for k in TRACKING}), TRACKING, (), "续保跟踪").frame
