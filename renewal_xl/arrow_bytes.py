"""The bytes of Arrow text arrays, read by numpy without a Python object per text.

A look at a whole column's UTF-8 bytes settles most questions asked of every text (does any
hold a full-width form, a ``#``, a control character, ``_x``?) at a hundredth of a regex over
every text; the regex then runs only for the columns the look cannot clear.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def text_bytes(array: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The UTF-8 bytes of the texts of an Arrow (large) string ``array`` as one numpy view
    (no copy), and each text's start and end in it. A blank's range may hold any bytes (Arrow
    leaves them undefined): what is read from them can only send a column the slower way. A
    chunked array is joined first (a copy: callers that can, look at its chunks one by one)."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    offsets_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offsets_type)[array.offset : array.offset + len(array) + 1]
    if data_buffer is None or not len(offsets):
        return np.zeros(0, np.uint8), np.zeros(len(array), np.int64), np.zeros(len(array), np.int64)
    first = int(offsets[0])
    data = np.frombuffer(data_buffer, dtype=np.uint8)[first : int(offsets[-1])]
    return data, offsets[:-1] - first, offsets[1:] - first
