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

import unicodedata

import numpy as np
import pandas as pd

_WIDE = [0x3000, *range(0xFF01, 0xFF5F), *range(0xFFE0, 0xFFE7)]
_TABLE = {c: unicodedata.normalize("NFKC", chr(c)) for c in _WIDE}


def fold(text: str) -> str:
    """``text`` with full-width letters, digits, punctuation and spaces as ASCII."""
    return text if text.isascii() else text.translate(_TABLE)


def code(text: str) -> str:
    """A code as compared: folded, without surrounding blanks, upper-case."""
    return fold(text).strip().upper()


def fold_series(series: pd.Series) -> pd.Series:
    """:func:`fold` applied to the text cells of an object column (other cells as they are);
    a column without any non-ASCII text is returned unchanged (one fast check)."""
    if series.dtype != object or not len(series):
        return series
    values = series.to_numpy(dtype=object)
    wide = np.fromiter((isinstance(v, str) and not v.isascii() for v in values), dtype=bool, count=len(values))
    if not wide.any():
        return series
    out = values.copy()
    out[wide] = [v.translate(_TABLE) for v in values[wide]]
    return pd.Series(out, index=series.index, dtype=object, name=series.name)


def code_array(values: np.ndarray) -> np.ndarray:
    """:func:`code` of each text of an object array (non-text cells as they are)."""
    return np.array([code(v) if isinstance(v, str) else v for v in values], dtype=object)
