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
from typing import Any, Protocol, SupportsIndex

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError, RenewalError

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
# the characters str.strip() removes (str.isspace), for stripping Arrow text the same way in C
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


class ErrorSink(Protocol):
    """Where readers record errors: :class:`Errors` for a column, :class:`OneError` for one cell."""

    def add(self, mask: Any, field: str, values: Any, reason: str) -> None: ...

    def add_error(self, i: SupportsIndex, error: RenewalError | None) -> None: ...

    @property
    def ok(self) -> Any: ...

    def at(self, i: SupportsIndex) -> RenewalError | None: ...


class Errors:
    """The first InputError of each row (None where the row is fine)."""

    def __init__(self, n: int):
        self._errors = np.full(n, None, dtype=object)
        self._ok = np.ones(n, dtype=bool)

    def add(self, mask: Any, field: str, values: Any, reason: str) -> None:
        """Record ``reason`` for rows in ``mask`` that have no error yet."""
        todo = np.flatnonzero(np.asarray(mask, dtype=bool) & self._ok)
        for i in todo:
            self._errors[i] = InputError(field, _raw(values, i), reason)
        self._ok[todo] = False

    def add_error(self, i: SupportsIndex, error: RenewalError | None) -> None:
        """Record ``error`` for row ``i`` unless it has one already (None: nothing to record).
        A caught error is kept without its traceback: the traceback's frames would hold the
        whole batch alive through this object array, which the garbage collector cannot
        traverse (a batch-by-batch run of 10^7 rows grew by 65 MB a batch)."""
        if error is not None and self._ok[i]:
            self._errors[i] = error.with_traceback(None)
            self._ok[i] = False

    @property
    def ok(self) -> np.ndarray:
        """True for the rows without an error (a copy)."""
        return self._ok.copy()

    def at(self, i: SupportsIndex) -> RenewalError | None:
        return self._errors[i]

    def array(self) -> np.ndarray:
        return self._errors

    def messages(self) -> Any:
        """The message of each row's error ('' where the row is fine) as a pandas ``str``
        array: one ``str()`` per failed row, the rest one empty text taken in Arrow."""
        failed = np.flatnonzero(~self._ok)
        place = np.zeros(len(self._ok), dtype=np.int64)
        place[failed] = np.arange(1, len(failed) + 1)
        return texts_at(np.array(["", *(str(e) for e in self._errors[failed])], dtype=object), place)


class Cell:
    """One cell's value given to a reader instead of a column: the reader then applies the
    same rule to that value alone and returns a plain value (float, int, bool, str, date)
    rather than an array; errors go to a :class:`OneError`. A worksheet function reads its
    arguments this way, without building a pandas Series per call."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value


class OneError:
    """The :class:`Errors` of one cell: the first InputError found, or None."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: RenewalError | None = None

    def add(self, mask: Any, field: str, values: Any, reason: str) -> None:
        """Record ``reason`` when ``mask`` (one truth value) holds and no error is recorded yet."""
        if mask and self.error is None:
            self.error = InputError(field, values.value if isinstance(values, Cell) else values, reason)

    def add_error(self, i: SupportsIndex, error: RenewalError | None) -> None:
        if self.error is None:
            self.error = error

    @property
    def ok(self) -> bool:
        return self.error is None

    def at(self, i: SupportsIndex) -> RenewalError | None:
        return self.error

    def check(self) -> None:
        """Raise the recorded error, if any."""
        if self.error is not None:
            raise self.error


def dominant_error(errors: np.ndarray) -> tuple[RenewalError, int, int] | None:
    """For an array of row errors (None where a row is fine): the first error of the field
    that fails in more than half of the rows, how many rows it fails in and the position of
    that first error; None when no field does."""
    n = len(errors)
    failed = np.flatnonzero(~pd.isna(errors))
    if not n or failed.size * 2 <= n:  # the usual case: no field can fail in half of the rows
        return None
    fields = pd.Series([getattr(e, "field", None) for e in errors[failed]], dtype=object)
    counts = fields.dropna().value_counts()
    if counts.empty or int(counts.iloc[0]) * 2 <= n:
        return None
    first = int(failed[np.flatnonzero((fields == counts.index[0]).to_numpy(dtype=bool))[0]])
    return errors[first], int(counts.iloc[0]), first


def _raw(values, i: SupportsIndex):
    if isinstance(values, pd.Series):
        return values.iloc[i]
    return values[i]


def arrow_text(series: Any) -> Any:
    """The Arrow array of a pandas Arrow text column without empty (null) cells, as
    :mod:`renewal_xl.io.arrow_sheet` keeps a sheet's text columns (or a pandas ``str``
    column, as :func:`text_column` gives); None for any other column (those are read one
    Python value at a time)."""
    dtype = getattr(series, "dtype", None)
    if isinstance(dtype, pd.StringDtype):
        if dtype.storage != "pyarrow":
            return None
    elif not isinstance(dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa  # loaded already: the column is an Arrow one

    if isinstance(dtype, pd.ArrowDtype) and not (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    ):
        return None
    array = pa.array(series.array)
    return None if array.null_count else array


def stripped_text(array: Any) -> Any:
    """Arrow text stripped as :meth:`str.strip` strips (the :data:`SPACES`), in C."""
    import pyarrow.compute as pc

    return pc.utf8_trim(array, characters=SPACES)


def _by_distinct(series: pd.Series, errors: ErrorSink, read: Any) -> np.ndarray | None:
    """For an Arrow text column (:func:`arrow_text`): ``read(values, found)`` of its distinct
    values (an object Series; ``found`` the Errors of those values), each row given its
    value's reading and error; None for any other column. The rule applied to a value does
    not depend on the other values, so this is the object column's reading, value for value
    and message for message, with Python only once per distinct value (a yes/no or code
    column holds a few) and per row that fails."""
    array = arrow_text(series)
    if array is None:
        return None
    codes, distinct = distinct_texts(array)
    values = pd.Series(distinct, dtype=object)
    found = Errors(len(values))
    out = read(values, found)[codes]
    failed = ~found.ok
    if failed.any():
        for i in np.flatnonzero(failed[codes]):
            errors.add_error(i, found.at(codes[i]))
    return out


def distinct_texts(column: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each row's place among the distinct texts of a text column without empty (null)
    cells (an Arrow array as :func:`arrow_text` gives, or a pandas ``str`` array as
    :func:`text_column` gives) and those texts (an object array, in order of first
    appearance), hashed in C: a column of a few distinct texts (codes, channels, yes/no
    words) is then read once per text and taken back with :func:`texts_at`.

    >>> place, distinct = distinct_texts(pd.array(["AG1", "", "AG1"], dtype="str"))
    >>> place.tolist(), distinct.tolist()
    ([0, 1, 0], ['AG1', ''])
    """
    import pyarrow as pa

    encoded = pa.array(column).dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_numpy(zero_copy_only=False)


def texts_at(distinct: np.ndarray, place: np.ndarray) -> Any:
    """``distinct[place]`` (an object array of texts and positions in it) as a pandas
    ``str`` array, taken in Arrow: no conversion per row."""
    import pyarrow as pa

    return pd.array(pa.array(distinct, type=pa.large_string()).take(place), dtype="str")


def is_excel_error(value: object) -> bool:
    """True for an Excel error value such as ``#N/A`` (any case, surrounding blanks)."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def blank_mask(series: pd.Series) -> np.ndarray:
    """True where a cell is empty: None, NaN, NaT or only white space."""
    array = arrow_text(series)
    if array is not None:  # Arrow text: stripped and compared in C
        return (stripped_text(array).to_numpy(zero_copy_only=False) == "").astype(bool)
    mask = series.isna().to_numpy(dtype=bool)
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        try:
            stripped = series.astype(object).str.strip()  # NaN for values that are not text
        except AttributeError:  # no text at all in the column
            return mask
        mask = mask | (stripped == "").to_numpy(dtype=bool)
    return mask


def numbers(
    series: pd.Series, field: str, errors: ErrorSink, *, default: float | None = None, percent: bool = False
) -> np.ndarray:
    """Float values; blank → ``default`` (or an error when there is none). Text may carry
    thousands separators and ¥/元; a trailing ``%`` (``"12%"`` → 0.12) only where
    ``percent`` is set (rates and coefficients: 12% of a premium is no money). NaN and infinity
    are refused, and so is any magnitude of :data:`MAX_MAGNITUDE` or more: no field of the
    manual comes near it, and scaled to fen or millionths it would no longer fit int64."""
    if isinstance(series, Cell):
        x, reason = number_reading(series.value, default, percent)
        if reason:
            errors.add(True, field, series, reason)
        return x  # type: ignore[return-value]
    by_value = _by_distinct(series, errors, lambda v, e: numbers(v, field, e, default=default, percent=percent))
    if by_value is not None:  # numbers written as text, in an Arrow text column
        return by_value
    fill = np.nan if default is None else float(default)
    raw = series  # errors quote the cell as it was
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in _PLAIN_NUMBERS:
        series = pd.Series(series.to_numpy(dtype=np.float64, na_value=np.nan), index=series.index)  # fast path
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        cells = series.astype(object).to_numpy()
        values, ordinary = _plain_numbers(cells, default)
        for i in np.flatnonzero(~ordinary):  # the rule, one cell at a time, where it is more than float()
            values[i], reason = number_reading(cells[i], default, percent)
            if reason:
                errors.add_error(i, InputError(field, cells[i], reason))
        return values
    # a typed number column (fast path, same rule): blanks are NaN, every other cell a number
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    blank = np.isnan(values)
    errors.add(np.isinf(values), field, raw, NOT_FINITE)
    errors.add(np.isfinite(values) & (np.abs(values) >= MAX_MAGNITUDE), field, raw, TOO_LARGE)
    if default is None:
        errors.add(blank, field, raw, REQUIRED)
    usable = np.isfinite(values) & (np.abs(values) < MAX_MAGNITUDE)
    return np.where(usable, values, fill)


_PLAIN_SCALARS = (float, int)  # exactly these types (bool is no number here)
_TYPE_OF = np.frompyfunc(type, 1, 1)


def _plain_numbers(cells: np.ndarray, default: float | None) -> tuple[np.ndarray, np.ndarray]:
    """The float values of the cells of an object array that are plain finite numbers
    (exactly float or int, of magnitude below :data:`MAX_MAGNITUDE`: what
    :func:`number_reading` reads as ``float(value)``) and, when there is a ``default``, of
    the empty cells (None or ''), all at once, and where they are; the other cells (text, NaN,
    yes/no, dates …) are left to the rule one at a time."""
    values = np.empty(len(cells))
    kinds: Any = _TYPE_OF(cells) if len(cells) else cells  # each cell's type, compared elementwise below
    plain = np.asarray((kinds == float) | (kinds == int), dtype=bool)  # noqa: E721
    try:
        values[plain] = cells[plain].astype(np.float64)
    except OverflowError:  # an int beyond every float: every cell by the rule
        return values, np.zeros(len(cells), dtype=bool)
    ordinary = plain.copy()
    ordinary[plain] = np.abs(values[plain]) < MAX_MAGNITUDE  # NaN, infinity and huge values: the rule
    if default is not None:  # None and '' (an empty text cell): the default, without a word
        text = np.asarray(kinds == str, dtype=bool)  # noqa: E721
        empty = np.asarray(kinds == type(None), dtype=bool)  # noqa: E721
        empty[text] = cells[text] == ""
        values[empty] = float(default)
        ordinary |= empty
    return values, ordinary


_PLAIN_NUMBERS = ("floating", "integer", "mixed-integer-float")  # object columns of numbers and blanks only
NOT_FINITE = "不是有限数字"
TOO_LARGE = "数值过大 (绝对值须小于 1,000,000,000,000)"
REQUIRED = "不能为空"


def number_reading(value: object, default: float | None = None, percent: bool = False) -> tuple[float, str | None]:
    """One cell of a number column by the rule of :func:`numbers`: its float value and
    None, or (``default`` or NaN) and the reason it is refused (blank without a default
    is refused too)."""
    if value.__class__ in _PLAIN_SCALARS and -MAX_MAGNITUDE < value < MAX_MAGNITUDE:  # type: ignore[operator,unused-ignore]
        return float(value), None  # a plain finite number (what a cell mostly holds): the rule below, cut short
    fill = np.nan if default is None else float(default)
    if is_blank(value):
        return fill, (REQUIRED if default is None else None)
    kind = _number_kind(value)
    if kind == _NUMBER:
        x = float(value)  # type: ignore[arg-type]
    elif kind in (_TEXT, _PERCENT):
        x = _text_number(_NUMBER_NOISE.sub("", value).rstrip("%"))  # type: ignore[call-overload]
        if kind == _PERCENT:
            x = x / 100
            if not percent:  # refused, though its value is kept (as it always was)
                return (x if abs(x) < MAX_MAGNITUDE else fill), "须为数字, 不能写成百分数"
        if x != x:
            return fill, "不是数字"
    elif kind == _BOOL:
        return fill, "须为数字, 不是是/否"
    elif kind == _ERROR:
        return fill, CELL_ERROR
    else:
        return fill, "不是数字"
    if x != x:
        return fill, "不是数字"
    if x in (np.inf, -np.inf):
        return fill, NOT_FINITE
    if abs(x) >= MAX_MAGNITUDE:
        return fill, TOO_LARGE
    return x, None


def _text_number(text: str) -> float:
    """A number written as ASCII text (``+5``, ``1e5``, ``.5``); NaN when it is none.
    Digit separators (``1_000``) and non-ASCII digits are no numbers."""
    if not text.isascii() or "_" in text:
        return np.nan
    try:
        return float(text)
    except ValueError:
        return np.nan


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, NaT, NA or text of blanks only."""
    if isinstance(value, str):
        return not value.strip()
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating, Decimal)):
        return value != value
    return isinstance(value, (np.datetime64, np.timedelta64)) and np.isnat(value)


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
    series: pd.Series,
    field: str,
    errors: ErrorSink,
    low: int,
    high: int,
    *,
    default: int | None = None,
    unit: str = "",
    reason: str = "",
) -> np.ndarray:
    """Whole numbers in [low, high] as int64; ``5.0`` is accepted, ``5.5`` is not. Out of
    range is refused as ``须在 low–high unit 之间`` unless a ``reason`` is given."""
    if isinstance(series, Cell):  # the rule of numbers() for one cell, then the same checks
        x, refused = number_reading(series.value, None if default is None else float(default))
        if refused:
            errors.add(True, field, series, refused)
        whole = x == x and x == round(x)
        if x == x and not whole:
            errors.add(True, field, series, "须为整数")
        if whole and not low <= x <= high:
            errors.add(True, field, series, reason or f"须在 {low}–{high}{unit} 之间")
        return int(x) if whole and low <= x <= high else low  # type: ignore[return-value]
    values = numbers(series, field, errors, default=None if default is None else float(default))
    reason = reason or f"须在 {low}–{high}{unit} 之间"
    finite = np.isfinite(values)
    errors.add(finite & (values != np.round(values)), field, series, "须为整数")
    errors.add(finite & ((values < low) | (values > high)), field, series, reason)
    safe = np.where(finite & (values >= low) & (values <= high), values, low)
    return np.round(safe).astype(np.int64)


def yes_no(series: pd.Series, field: str, errors: ErrorSink, *, default: bool) -> np.ndarray:
    """Booleans from TRUE/FALSE, 1/0, 是/否, Y/N (any case); blank → ``default``."""
    if isinstance(series, Cell):
        answer, reason = yes_no_reading(series.value, default)
        if reason:
            errors.add(True, field, series, reason)
        return answer  # type: ignore[return-value]
    if pd.api.types.is_bool_dtype(series.dtype) and not series.isna().any():
        return series.to_numpy(dtype=bool)
    by_value = _by_distinct(series, errors, lambda v, e: yes_no(v, field, e, default=default))
    if by_value is not None:
        return by_value
    out = np.full(len(series), default, dtype=bool)
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "boolean":
        cells = series.to_numpy()  # truth values and blanks only (a retention option's 多次事故): at once
        given = ~pd.isna(cells)
        out[given] = cells[given].astype(bool)
        return out
    seen: dict = {}  # (type, value) -> its reading: a column holds few distinct words
    for i, v in enumerate(series.astype(object).to_numpy()):
        key = (v.__class__, v)
        try:
            out[i], reason = seen[key]
        except KeyError:
            out[i], reason = seen[key] = yes_no_reading(v, default)
        except TypeError:  # a value that cannot be a key (a list)
            out[i], reason = yes_no_reading(v, default)
        if reason:
            errors.add_error(i, InputError(field, v, reason))
    return out


def yes_no_reading(value: object, default: bool) -> tuple[bool, str | None]:
    """One cell by the rule of :func:`yes_no`: its truth value and None, or ``default`` and
    the reason it is refused."""
    if is_blank(value):
        return default, None
    if isinstance(value, (bool, np.bool_)):
        return bool(value), None
    word = str(value).strip().upper()
    if word in YES:
        return True, None
    if word in NO:
        return False, None
    return default, (CELL_ERROR if word in EXCEL_ERRORS else "须为 是/否 (TRUE/FALSE, 1/0, Y/N)")


def texts(series: pd.Series, field: str, errors: ErrorSink, *, required: bool = True) -> np.ndarray:
    """Stripped text (object array); blank → '' or an error when required. One pass over
    the cells (registers reach 10^6 rows of many text columns)."""
    if isinstance(series, Cell):
        text = _text(series.value)
        if required and not text:
            errors.add(True, field, series, REQUIRED)
        return text  # type: ignore[return-value]
    array = arrow_text(series)
    if array is not None:  # Arrow text: stripped in C, one str per cell only for the result
        out = stripped_text(array).to_numpy(zero_copy_only=False).astype(object, copy=False)
    else:
        out = np.array([_text(v) for v in series.astype(object).to_numpy()], dtype=object)
    if required:
        errors.add(out == "", field, series, REQUIRED)
    return out


def text_column(series: pd.Series, field: str, errors: ErrorSink, *, required: bool = True) -> Any:
    """:func:`texts` as a pandas ``str`` array, the dtype frames keep text in. An Arrow text
    column stays Arrow: stripped in C, without a Python ``str`` per cell (10^6 rows of a
    text column: about 0.3 s less than :func:`texts` and converting back)."""
    array = arrow_text(series)
    if array is None:
        return pd.array(texts(series, field, errors, required=required), dtype="str")
    out = pd.array(stripped_text(array), dtype="str")
    if required:
        errors.add(out == "", field, series, REQUIRED)
    return out


def upper_texts(column: Any) -> Any:
    """:meth:`str.upper` of each text of a pandas ``str`` array (:func:`text_column`), as
    such an array: in C when every text is ASCII (VINs, codes), where Arrow's upper-casing
    is exactly Python's; else one text at a time.

    >>> upper_texts(pd.array(["lsvab1", "ß"], dtype="str")).tolist()
    ['LSVAB1', 'SS']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(column)
    if pc.all(pc.string_is_ascii(array)).as_py() is not False:
        return pd.array(pc.ascii_upper(array), dtype="str")
    return pd.array([v.upper() for v in column.to_numpy(dtype=object)], dtype="str")


def text_array(values: np.ndarray) -> Any:
    """An object array of texts as a pandas ``str`` array, built in Arrow from its distinct
    texts: for a column of a few (codes, names, messages) one hash and one take instead of
    a conversion per cell (10^6 rows: about 0.05 s against 0.25 s).

    >>> text_array(np.array(["AG1", "", "AG1"], dtype=object)).tolist()
    ['AG1', '', 'AG1']
    """
    positions, distinct = pd.factorize(values)
    return texts_at(distinct, positions)


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


def dates(series: pd.Series, field: str, errors: ErrorSink, *, default: dt.date | None = None) -> np.ndarray:
    """``datetime64[D]`` values from dates, datetimes, ISO or Chinese date text, Excel
    serial numbers (1900 system) and ``20251205`` (number or text, see :func:`to_date`).
    Years outside 1900–2200 are refused; ``05/12/2025`` is refused as ambiguous
    (:data:`AMBIGUOUS_DATE`: Excel writes it as 5 December or as May 12 by locale)."""
    if isinstance(series, Cell):
        day, reason = date_reading(series.value, default)
        if reason:
            errors.add(True, field, series, reason)
        return day  # type: ignore[return-value]
    by_value = _by_distinct(series, errors, lambda v, e: dates(v, field, e, default=default))
    if by_value is not None:  # dates written as text, in an Arrow text column
        return by_value
    day_cells = _day_cells(series)
    blank = blank_mask(series) if day_cells is None else np.isnat(day_cells)
    n = len(series)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if day_cells is not None:
        out = day_cells
    elif pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series.to_numpy().astype("datetime64[D]")
    else:
        obj = series.astype(object)
        todo = _vectorized_dates(obj, blank, out)
        for i in np.flatnonzero(todo):
            v = obj.iloc[i]
            day = to_date(v)
            if day is None:
                errors.add_error(i, InputError(field, v, _not_a_date(v)))
            else:
                out[i] = np.datetime64(day, "D")
    if default is None:
        errors.add(blank, field, series, REQUIRED)
    else:
        out[blank] = np.datetime64(default, "D")
    first, last = np.datetime64(dt.date(YEARS[0], 1, 1), "D"), np.datetime64(dt.date(YEARS[1], 12, 31), "D")
    errors.add((out < first) | (out > last), field, series, BAD_YEAR)  # NaT is neither
    return out


NO_DATE = "不是有效日期 (如 2026-01-31 或 Excel 日期)"
BAD_YEAR = "年份须在 1900–2200 之间"
YEARS = (1900, 2200)  # the years a date may have


def date_reading(value: object, default: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """One cell by the rule of :func:`dates`: its date and None, or None and the reason it
    is refused; blank → ``default`` (refused when there is none)."""
    if is_blank(value):
        return default, (REQUIRED if default is None else None)
    day = to_date(value)
    if day is None:
        return None, _not_a_date(value)
    if not YEARS[0] <= day.year <= YEARS[1]:
        return None, BAD_YEAR
    return day, None


def _not_a_date(value: object) -> str:
    """Why a non-blank cell is no date: an Excel error value, a day/month/year date (which
    order is not known), or no date at all."""
    if is_excel_error(value):
        return CELL_ERROR
    if isinstance(value, str) and _DAY_MONTH_YEAR.fullmatch(value) is not None:
        return AMBIGUOUS_DATE
    return NO_DATE


def _day_cells(series: pd.Series) -> np.ndarray | None:
    """The days of an object column holding only dates and blanks (None, NaN, NaT), as
    calamine gives a column of date cells, converted in Arrow at once (``datetime64[D]``,
    NaT where blank: a date is never blank, a blank never a date); None for any other
    column, or one Arrow does not take."""
    if series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) != "date":
        return None
    import pyarrow as pa

    try:
        days = pa.array(series.to_numpy(), type=pa.date32(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return np.array(days.to_numpy(zero_copy_only=False), dtype="datetime64[D]")


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
