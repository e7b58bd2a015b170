"""The text encoding and delimiter of a CSV file, as Excel and core systems write them.

Chinese Excel saves "CSV (逗号分隔)" in the ANSI code page (GBK, read as its superset
GB18030) and "CSV UTF-8" with a byte-order mark; core systems write UTF-8 without one;
"Unicode 文本" is UTF-16 with a BOM. :func:`encoding_of` tells them apart from the BOM, else
from the first :data:`SNIFF_BYTES` (strict UTF-8 first: GBK text is almost never valid UTF-8).
A file that is neither is refused by name (:class:`~renewal_xl.errors.SourceError`).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from renewal_xl.errors import SourceError

SNIFF_BYTES = 2**20
DELIMITERS = {",": "逗号", ";": "分号", "\t": "制表符", "|": "竖线"}
ENCODING_HELP = "在 Excel 中另存为 “CSV UTF-8 (逗号分隔)” 或 “CSV (逗号分隔)”"


def encoding_of(path: Path) -> str:
    """The Python codec of ``path``: ``utf-8-sig``, ``utf-16`` or ``gb18030``.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "r.csv"
    ...     _ = p.write_bytes("保单号,车架号\\n".encode("gbk"))
    ...     encoding_of(p)
    'gb18030'
    """
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for name in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(name)().decode(head, final=len(head) < SNIFF_BYTES)
        except UnicodeDecodeError:
            continue
        if name == "gb18030" and b"\x00" in head:
            break  # binary content decodes as GB18030 too; text never holds NUL bytes
        return name
    raise SourceError(f"文件 {path.name}", "encoding", "", f"不是 UTF-8 或 GB18030/GBK 编码的文本 ({ENCODING_HELP})")


def decode_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> SourceError:
    """The refusal of a file that stops decoding as ``encoding`` part way through."""
    return SourceError(
        f"文件 {Path(path).name}",
        "encoding",
        "",
        f"文件中途出现不是 {encoding.upper()} 编码的内容 ({exc.reason}), 可能混用了编码 ({ENCODING_HELP})",
    )
