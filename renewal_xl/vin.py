"""Vehicle identification numbers (VIN, 车架号): ISO 3779 / GB 16735 check digit.

A VIN has 17 characters from ``0-9`` and ``A-Z`` without ``I``, ``O`` and ``Q``. Position 9
is the check digit: each character is transliterated to a number (digits as themselves,
A–H → 1–8, J–N → 1–5, P → 7, R → 9, S–Z → 2–9), multiplied by the weight of its position
(8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2), and the sum taken modulo 11; remainder 10 is
written ``X``.

>>> check_digit("1M8GDM9AXKP042788")
'X'
>>> with_check_digit("LSVAU2180N2183294")
'LSVAU218XN2183294'
>>> vin_problem("LSVAU218XN2183294"), vin_problem("LSVAU2180N2183294")
('', '校验位应为 X, 实为 0')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.errors import InputError

LENGTH = 17
CHECK_POSITION = 8  # 0-based index of the check digit (position 9)
WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_PATTERN = r"[0-9A-HJ-NPR-Z]{17}"
_LETTER_VALUES = (
    dict(zip("ABCDEFGH", range(1, 9)))
    | dict(zip("JKLMN", range(1, 6)))
    | {"P": 7, "R": 9}
    | dict(zip("STUVWXYZ", range(2, 10)))
)
_VALUE = np.zeros(256, dtype=np.int64)
for _c in ALPHABET:
    _VALUE[ord(_c)] = int(_c) if _c.isdigit() else _LETTER_VALUES[_c]
_CHECK_CHARS = np.frombuffer(b"0123456789X", dtype=np.uint8)


def _normalise(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object), dtype=object).fillna("").astype(str).str.strip().str.upper()


def _expected(well_formed: pd.Series) -> np.ndarray:
    """Check characters (uint8) of VINs already known to match the pattern."""
    if well_formed.empty:
        return np.zeros(0, dtype=np.uint8)
    codes = np.frombuffer("".join(well_formed).encode("ascii"), dtype=np.uint8).reshape(-1, LENGTH)
    return _CHECK_CHARS[(_VALUE[codes] * WEIGHTS).sum(axis=1) % 11]


def vin_problems(values) -> np.ndarray:
    """Per VIN, '' when valid, else the problem in Chinese (length, characters, check digit).

    Vectorized: the check digits of all well-formed VINs are computed in one numpy step.
    """
    s = _normalise(values)
    out = np.full(len(s), "", dtype=object)
    length = s.str.len().to_numpy()
    blank = length == 0
    formed = s.str.fullmatch(_PATTERN).to_numpy(dtype=bool)
    out[blank] = "车架号为空"
    out[~blank & (length != LENGTH)] = "须为 17 位"
    out[(length == LENGTH) & ~formed] = "只能含数字和字母 (不含 I O Q)"
    idx = np.flatnonzero(formed)
    want = _expected(s.iloc[idx])
    got = np.frombuffer("".join(s.iloc[idx].str[CHECK_POSITION]).encode("ascii"), dtype=np.uint8)
    for k in np.flatnonzero(want != got):
        out[idx[k]] = f"校验位应为 {chr(want[k])}, 实为 {chr(got[k])}"
    return out


def vin_problem(vin: str) -> str:
    """:func:`vin_problems` of one VIN."""
    return vin_problems([vin])[0]


def check_digit(vin: str) -> str:
    """The check digit a 17-character VIN must carry at position 9."""
    s = _normalise([vin])
    if not s.str.fullmatch(_PATTERN).iloc[0]:
        raise InputError("vin", vin, "须为 17 位数字和字母 (不含 I O Q)")
    return chr(_expected(s)[0])


def with_check_digits(values) -> np.ndarray:
    """The VINs with position 9 replaced by their check digit (all must be well formed)."""
    s = _normalise(values)
    bad = ~s.str.fullmatch(_PATTERN).to_numpy(dtype=bool)
    if bad.any():
        raise InputError("vin", s.iloc[int(np.flatnonzero(bad)[0])], "须为 17 位数字和字母 (不含 I O Q)")
    want = _expected(s).view("S1").astype(str)
    return (s.str[:CHECK_POSITION] + want + s.str[CHECK_POSITION + 1 :]).to_numpy(dtype=object)


def with_check_digit(vin: str) -> str:
    """:func:`with_check_digits` of one VIN."""
    return with_check_digits([vin])[0]
