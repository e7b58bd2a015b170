"""Width and case folding of the text people type into registers (excel-contract §3).

Chinese input methods switch to full-width forms: ``１２７９００``, ``ＶＩＰ``,
``车损＋三者：２０万``, an ideographic space. :func:`fold` maps them to their ASCII forms,
which is what Unicode NFKC does for these characters; NFKC is applied only to them (the
full-width block U+FF01–U+FF5E, U+3000 and the full-width signs U+FFE0–U+FFE6), because
NFKC of everything would also rewrite ``①`` as ``1`` and ``²`` as ``2`` in remarks and names.
Codes (agency, channel, customer type) match in any case: :func:`code` folds and upper-cases.

>>> fold("ＶＩＰ"), fold("车损＋三者：２０万"), fold("１２７９００")
('VIP', '车损+三者:20万', '127900')
>>> code(" ａｇ００１ "), fold("①"), fold("鄂Ａ·10001")
('AG001', '①', '鄂A·10001')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from renewal_xl.arrow_bytes import text_bytes

_WIDE = [0x3000, *range(0xFF01, 0xFF5F), *range(0xFFE0, 0xFFE7)]
_TABLE = {c: unicodedata.normalize("NFKC", chr(c)) for c in _WIDE}
_NO_TEXT = frozenset({"empty", "floating", "integer", "mixed-integer-float", "boolean", "date", "datetime", "time"})
_WIDE_FORM = re.compile("[\u3000\uff01-\uff5e\uffe0-\uffe6]")


def fold(text: str) -> str:
    """``text`` with full-width letters, digits, punctuation and spaces as ASCII."""
    return text if text.isascii() else text.translate(_TABLE)


def code(text: str) -> str:
    """A code as compared: folded, without surrounding blanks, upper-case."""
    return fold(text).strip().upper()


def fold_series(series: pd.Series) -> pd.Series:
    """:func:`fold` applied to the text cells of an object column (other cells as they are).
    One regex search over the column's joined text finds whether any cell needs it (the
    common case: none), so a column of 10^6 Chinese names costs one pass in C; an Arrow text
    column is searched in C without a Python object per cell."""
    if isinstance(series.dtype, pd.ArrowDtype) and len(series):
        return _fold_arrow(series)
    if series.dtype != object or not len(series):
        return series
    if pd.api.types.infer_dtype(series, skipna=True) in _NO_TEXT:  # one pass in C: no text cell at all
        return series
    values = series.to_numpy(dtype=object)
    try:
        joined = "\x00".join(values)
    except TypeError:  # numbers, dates or blanks among the text
        joined = "\x00".join([v for v in values if isinstance(v, str)])  # a list: a third of a generator's CPU
    if _WIDE_FORM.search(joined) is None:
        return series
    out = np.array([v.translate(_TABLE) if isinstance(v, str) else v for v in values], dtype=object)
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def _fold_arrow(series: pd.Series) -> pd.Series:
    """:func:`fold_series` of a pandas Arrow column: unchanged unless it is text holding a
    full-width form; then the text cells are folded (empty cells stay empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(series.array)
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        return series
    if not _may_hold_wide_forms(array) or not pc.any(pc.match_substring_regex(array, _WIDE_FORM.pattern)).as_py():
        return series
    folded = pa.array([None if v is None else v.translate(_TABLE) for v in array.to_pylist()], type=array.type)
    return pd.Series(pd.arrays.ArrowExtensionArray(folded), index=series.index, name=series.name, copy=False)


def _may_hold_wide_forms(array: Any) -> bool:
    """False when no text of an Arrow text array can hold a full-width form: its UTF-8 bytes
    have no 0xEF (the lead byte of U+F000–U+FFFF, where U+FF01–U+FFE6 lie) and no
    E3 80 80 (U+3000). One numpy pass over the bytes (about 100 times cheaper than the
    regex over every text, which runs only when this says True)."""
    for chunk in getattr(array, "chunks", [array]):
        data = text_bytes(chunk)[0]
        if (data == 0xEF).any():
            return True
        at = np.flatnonzero(data[:-2] == 0xE3)
        if ((data[at + 1] == 0x80) & (data[at + 2] == 0x80)).any():
            return True
    return False


def code_array(values: np.ndarray) -> np.ndarray:
    """:func:`code` of each text of an object array (non-text cells as they are)."""
    return per_text(values, code)


def per_text(values: Any, rule: Callable[[str], object]) -> np.ndarray:
    """``rule`` of each text of an object array (non-text cells as they are). A column of
    text only is read once per distinct text (a code or channel column holds a few).

    >>> per_text(np.array(["ag1", "AG1", "ag1", 5], dtype=object), str.upper).tolist()
    ['AG1', 'AG1', 'AG1', 5]
    """
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        positions, distinct = pd.factorize(values)
        return np.array([rule(v) for v in distinct], dtype=object)[positions]
    return np.array([rule(v) if isinstance(v, str) else v for v in values], dtype=object)
