"""Turning raw cell and column values into typed arrays, with one error per bad row.

Registers and worksheet cells hold blanks, numbers stored as text (``"150,000"``), yes/no
words (TRUE, 1, 是, Y), dates as text, datetimes or Excel serial numbers. Each coercer
takes a pandas Series and an :class:`Errors` collector and returns a numpy array; a value it
cannot read records an :class:`~renewal_xl.errors.InputError` for that row (the first error
of a row wins) and leaves a harmless placeholder in the array.

>>> import pandas as pd
>>> errors = Errors(3)
>>> numbers(pd.Series(["150,000", None, "abc"]), "new_car_price", errors, default=0.0).tolist()
[150000.0, 0.0, 0.0]
>>> str(errors.at(2))
'新车购置价 new_car_price=abc: 不是数字'
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError

YES = frozenset({"TRUE", "1", "是", "Y", "YES", "T", "1.0"})
NO = frozenset({"FALSE", "0", "否", "N", "NO", "F", "0.0"})
# Excel's error values, as a cell holding one reaches us (xlwings' err_to_str, CSV text)
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
CELL_ERROR = "单元格为错误值"
MAX_MAGNITUDE = 1e12  # numbers must be smaller: fen, rates and coefficients stay exact int64
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 date system)
YYYYMMDD = (19000101, 22001231)  # dates written as eight digits
_NUMBER_NOISE = re.compile(r"[,\s¥￥元]")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")
_DAY_MONTH_YEAR = re.compile(r"\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}\s*(?:[ T].*)?")
AMBIGUOUS_DATE = "须写成 年-月-日, 如 2025-12-05 (日/月/年 与 月/日/年 随 Excel 地区设置而异, 不予猜测)"


class Errors:
    """The first InputError of each row (None where the row is fine)."""

    def __init__(self, n: int):
        self._errors = np.full(n, None, dtype=object)
        self._ok = np.ones(n, dtype=bool)

    def add(self, mask: np.ndarray, field: str, values, reason: str) -> None:
        """Record ``reason`` for rows in ``mask`` that have no error yet."""
        todo = np.flatnonzero(np.asarray(mask, dtype=bool) & self._ok)
        for i in todo:
            self._errors[i] = InputError(field, _raw(values, i), reason)
        self._ok[todo] = False

    def add_error(self, i: int, error: InputError) -> None:
        if self._ok[i]:
            self._errors[i] = error
            self._ok[i] = False

    @property
    def ok(self) -> np.ndarray:
        """True for the rows without an error (a copy)."""
        return self._ok.copy()

    def at(self, i: int) -> InputError | None:
        return self._errors[i]

    def array(self) -> np.ndarray:
        return self._errors


def dominant_error(errors: np.ndarray) -> tuple[InputError, int, int] | None:
    """For an array of row errors (None where a row is fine): the first error of the field
    that fails in more than half of the rows, how many rows it fails in and the position of
    that first error; None when no field does."""
    n = len(errors)
    fields = pd.Series([getattr(e, "field", None) for e in errors], dtype=object)
    counts = fields.dropna().value_counts()
    if not n or counts.empty or int(counts.iloc[0]) * 2 <= n:
        return None
    first = int(np.flatnonzero((fields == counts.index[0]).to_numpy(dtype=bool))[0])
    return errors[first], int(counts.iloc[0]), first


def _raw(values, i: int):
    if isinstance(values, pd.Series):
        return values.iloc[i]
    return values[i]


def is_excel_error(value: object) -> bool:
    """True for an Excel error value such as ``#N/A`` (any case, surrounding blanks)."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def blank_mask(series: pd.Series) -> np.ndarray:
    """True where a cell is empty: None, NaN, NaT or only white space."""
    mask = series.isna().to_numpy(dtype=bool)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        try:
            stripped = series.astype(object).str.strip()  # NaN for values that are not text
        except AttributeError:  # no text at all in the column
            return mask
        mask = mask | (stripped == "").to_numpy(dtype=bool)
    return mask


def numbers(
    series: pd.Series, field: str, errors: Errors, *, default: float | None = None, percent: bool = False
) -> np.ndarray:
    """Float values; blank → ``default`` (or an error when there is none). Text may carry
    thousands separators and ¥/元; a trailing ``%`` (``"12%"`` → 0.12) only where
    ``percent`` is set (rates and coefficients: 12% of a premium is no money). NaN and infinity
    are refused, and so is any magnitude of :data:`MAX_MAGNITUDE` or more: no field of the
    manual comes near it, and scaled to fen or millionths it would no longer fit int64."""
    blank = blank_mask(series)
    if pd.api.types.is_bool_dtype(series.dtype):
        errors.add(~blank, field, series, "须为数字, 不是是/否")
        return np.zeros(len(series))
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        kind = np.array([_number_kind(v) for v in series.astype(object)], dtype=np.int8)
        errors.add(kind == _ERROR, field, series, CELL_ERROR)
        errors.add(kind == _BOOL, field, series, "须为数字, 不是是/否")
        if not percent:
            errors.add(kind == _PERCENT, field, series, "须为数字, 不能写成百分数")
        obj = series.astype(object).where((kind == _NUMBER) | (kind == _TEXT) | (kind == _PERCENT), np.nan)
        cleaned = obj.map(lambda v: _NUMBER_NOISE.sub("", v).rstrip("%") if isinstance(v, str) else v)
        values = pd.to_numeric(cleaned.where(~blank, np.nan), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        values = np.where(kind == _PERCENT, values / 100, values)
        errors.add(np.isnan(values) & ~blank, field, series, "不是数字")
    errors.add(np.isinf(values), field, series, "不是有限数字")
    errors.add(
        np.isfinite(values) & (np.abs(values) >= MAX_MAGNITUDE),
        field,
        series,
        "数值过大 (绝对值须小于 1,000,000,000,000)",
    )
    if default is None:
        errors.add(blank, field, series, "不能为空")
    usable = np.isfinite(values) & (np.abs(values) < MAX_MAGNITUDE)
    return np.where(usable, values, np.nan if default is None else default)


_OTHER, _NUMBER, _TEXT, _PERCENT, _BOOL, _ERROR = range(6)


def _number_kind(value: object) -> int:
    """What a cell of a number column holds: a number, text (maybe a number), text ending
    in ``%``, a yes/no value, an Excel error value, or something else (a date, a time …),
    which is no number."""
    if isinstance(value, (bool, np.bool_)):
        return _BOOL
    if isinstance(value, (int, float, np.integer, np.floating, Decimal)):
        return _NUMBER
    if isinstance(value, str):
        return _ERROR if is_excel_error(value) else _PERCENT if value.strip().endswith("%") else _TEXT
    return _OTHER


def whole_numbers(
    series: pd.Series, field: str, errors: Errors, low: int, high: int, *, default: int | None = None, unit: str = ""
) -> np.ndarray:
    """Whole numbers in [low, high] as int64; ``5.0`` is accepted, ``5.5`` is not."""
    values = numbers(series, field, errors, default=None if default is None else float(default))
    finite = np.isfinite(values)
    errors.add(finite & (values != np.round(values)), field, series, "须为整数")
    errors.add(finite & ((values < low) | (values > high)), field, series, f"须在 {low}–{high}{unit} 之间")
    safe = np.where(finite & (values >= low) & (values <= high), values, low)
    return np.round(safe).astype(np.int64)


def yes_no(series: pd.Series, field: str, errors: Errors, *, default: bool) -> np.ndarray:
    """Booleans from TRUE/FALSE, 1/0, 是/否, Y/N (any case); blank → ``default``."""
    if pd.api.types.is_bool_dtype(series.dtype) and not series.isna().any():
        return series.to_numpy(dtype=bool)
    blank = blank_mask(series)
    out = np.full(len(series), default, dtype=bool)
    bad = np.zeros(len(series), dtype=bool)
    for i, v in enumerate(series.astype(object)):
        if blank[i]:
            continue
        word = str(v).strip().upper() if not isinstance(v, (bool, np.bool_)) else ("TRUE" if v else "FALSE")
        if word in YES:
            out[i] = True
        elif word in NO:
            out[i] = False
        else:
            bad[i] = True
    errors.add(
        bad & np.array([is_excel_error(v) for v in series.astype(object)], dtype=bool), field, series, CELL_ERROR
    )
    errors.add(bad, field, series, "须为 是/否 (TRUE/FALSE, 1/0, Y/N)")
    return out


def texts(series: pd.Series, field: str, errors: Errors, *, required: bool = True) -> np.ndarray:
    """Stripped text (object array); blank → '' or an error when required. One pass over
    the cells (registers reach 10^6 rows of many text columns)."""
    out = np.array([_text(v) for v in series.astype(object).to_numpy()], dtype=object)
    if required:
        errors.add(out == "", field, series, "不能为空")
    return out


def _text(value: object) -> str:
    """A cell as text: blank (None, NaN, NaT, NA, white space) → '', whole floats without
    their ``.0``, everything else stripped."""
    if isinstance(value, str):
        return value.strip()
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def dates(series: pd.Series, field: str, errors: Errors, *, default: dt.date | None = None) -> np.ndarray:
    """``datetime64[D]`` values from dates, datetimes, ISO or Chinese date text, Excel
    serial numbers (1900 system) and ``20251205`` (number or text, see :func:`to_date`).
    Years outside 1900–2200 are refused; ``05/12/2025`` is refused as ambiguous
    (:data:`AMBIGUOUS_DATE`: Excel writes it as 5 December or as May 12 by locale)."""
    blank = blank_mask(series)
    n = len(series)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series.to_numpy().astype("datetime64[D]")
    else:
        obj = series.astype(object)
        todo = _vectorized_dates(obj, blank, out)
        bad = np.zeros(n, dtype=bool)
        cell_error = np.zeros(n, dtype=bool)
        ambiguous = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(todo):
            v = obj.iloc[i]
            day = to_date(v)
            if day is None:
                bad[i] = True
                cell_error[i] = is_excel_error(v)
                ambiguous[i] = isinstance(v, str) and _DAY_MONTH_YEAR.fullmatch(v) is not None
            else:
                out[i] = np.datetime64(day, "D")
        errors.add(cell_error, field, series, CELL_ERROR)
        errors.add(ambiguous, field, series, AMBIGUOUS_DATE)
        errors.add(bad, field, series, "不是有效日期 (如 2026-01-31 或 Excel 日期)")
    if default is None:
        errors.add(blank, field, series, "不能为空")
    else:
        out[blank] = np.datetime64(default, "D")
    years = out.astype("datetime64[Y]").astype(np.int64) + 1970
    errors.add(~np.isnat(out) & ((years < 1900) | (years > 2200)), field, series, "年份须在 1900–2200 之间")
    return out


def _vectorized_dates(obj: pd.Series, blank: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` in one pandas step where a column holds only date objects or ISO text
    (``2026-01-31``); returns the rows still to read one by one."""
    kind = pd.api.types.infer_dtype(obj, skipna=True)
    if kind not in ("date", "datetime", "string"):
        return ~blank
    todo = ~blank
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d") if kind == "string" else (None,):
        if not todo.any():
            break
        try:
            parsed = pd.to_datetime(obj.where(todo, None), format=fmt, errors="coerce" if fmt else "raise")
        except (ValueError, OverflowError, TypeError):
            return todo
        days = parsed.to_numpy().astype("datetime64[D]")
        done = ~np.isnat(days)
        out[done] = days[done]
        todo &= ~done
    return todo


def to_date(value: object) -> dt.date | None:
    """One date from a cell value; None when it is not a date. A whole number of eight
    digits from 19000101 to 22001231 (beyond every Excel serial, which ends at 2958465)
    is a date written YYYYMMDD, as core systems export it.

    >>> to_date(46000), to_date("2026/1/5"), to_date("2026年01月05日")
    (datetime.date(2025, 12, 9), datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    >>> to_date(20251205), to_date("20251205"), to_date(20251305), to_date("05/12/2025")
    (datetime.date(2025, 12, 5), datetime.date(2025, 12, 5), None, None)
    """
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        serial = float(value)
        if YYYYMMDD[0] <= serial <= YYYYMMDD[1] and serial.is_integer():
            whole = int(serial)
            try:
                return dt.date(whole // 10000, whole // 100 % 100, whole % 100)
            except ValueError:
                return None
        if not np.isfinite(serial) or serial < 1 or serial >= 2958466:
            return None
        return EXCEL_EPOCH + dt.timedelta(days=int(serial))
    if isinstance(value, str):
        text = value.strip()
        m = _DATE_TEXT.fullmatch(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
        if re.fullmatch(r"\d+(\.0+)?", text):
            return to_date(float(text))
    return None
