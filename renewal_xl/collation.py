"""The order of Chinese names: by pinyin (as Chinese Excel sorts them), not by character
code. Latin letters and digits sort among the pinyin syllables, case-insensitively; names
with the same pinyin fall back to their characters, so the order is total.

>>> sorted(["刘洋", "张伟", "李娜", "陈静", "黄敏", "王芳"], key=pinyin_key)
['陈静', '黄敏', '李娜', '刘洋', '王芳', '张伟']
>>> sorted(["AG002", "未分配", "ag001", ""], key=pinyin_key)
['', 'ag001', 'AG002', '未分配']
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd


@lru_cache(maxsize=4096)
def pinyin_key(name: str) -> tuple[tuple[str, ...], str]:
    """Sort key of one name: its syllables (tone-less, lower case), then the name."""
    from pypinyin import lazy_pinyin  # loading its dictionaries takes about a second: only when sorting

    return tuple(s.lower() for s in lazy_pinyin(str(name))), str(name)


def pinyin_order(frame: pd.DataFrame, column: str, last: str | None = None) -> pd.DataFrame:
    """``frame`` with its rows in pinyin order of ``column``; a row whose value is ``last``
    (a 合计 row) stays at the end. The index is renumbered."""
    keys = frame[column].map(lambda v: (v == last, pinyin_key("" if v is None else str(v))))
    return frame.iloc[sorted(range(len(frame)), key=lambda i: keys.iloc[i])].reset_index(drop=True)
