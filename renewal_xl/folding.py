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

import numpy as np
import pandas as pd

_WIDE = [0x3000, *range(0xFF01, 0xFF5F), *range(0xFFE0, 0xFFE7)]
_TABLE = {c: unicodedata.normalize("NFKC", chr(c)) for c in _WIDE}
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
    common case: none), so a column of 10^6 Chinese names costs one pass in C."""
    if series.dtype != object or not len(series):
        return series
    values = series.to_numpy(dtype=object)
    try:
        joined = "\x00".join(values)
    except TypeError:  # numbers, dates or blanks among the text
        joined = "\x00".join(v for v in values if isinstance(v, str))
    if _WIDE_FORM.search(joined) is None:
        return series
    out = np.array([v.translate(_TABLE) if isinstance(v, str) else v for v in values], dtype=object)
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def code_array(values: np.ndarray) -> np.ndarray:
    """:func:`code` of each text of an object array (non-text cells as they are)."""
    return np.array([code(v) if isinstance(v, str) else v for v in values], dtype=object)
