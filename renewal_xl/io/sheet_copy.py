"""A temporary copy of a workbook whose worksheet holds no cells of the columns a job does
not use, so that fastexcel (calamine) never holds them.

calamine keeps every cell of a sheet in memory before any column is chosen; a register with
27 columns of the user's own notes beside the 27 a job reads took twice the memory of the
same register without them (bench/README.md). :func:`narrowed` writes the workbook's parts
again, unchanged except the worksheet part, from which the ``<c r="…">`` elements of the
dropped columns are removed below row 1 by one compiled pattern over the inflated XML
(streamed in chunks cut at ``</row>``; no Python work per cell). Row 1 is copied as it is,
so the reader sees every header, except the header cells of the dropped columns right of all
others (calamine's dense range would otherwise stay as wide as the sheet: an empty cell per
row and column); their texts are known exactly (:class:`Header`) and are given back to the
reader as names. Cells keep their ``r`` positions, so column letters in messages stay the
sheet's.

Only cells whose position is written first (``<c r="AB12"…``, as Excel and XlsxWriter
write them) are dropped; any other cell is kept, so a cell is either removed whole or left
as it was. The copy is stored without compression (no deflate cost) in the system's
temporary folder, never next to the user's files, and removed when the ``with`` block ends,
on an error or on Ctrl-C too.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from renewal_xl.io.safety import column_letters, column_number

CHUNK = 2**22  # bytes of inflated XML filtered at a time
ROW_1_BYTES = 2**20  # a header row longer than this is not narrowed
_ROOT_PREFIX = re.compile(rb"<\w+:worksheet[\s>]")
_FIRST_ROW = re.compile(rb"<row[^>]*?\sr=\"(\d+)\"[^>]*>(.*?)</row>", re.S)
_HEADER_CELL = re.compile(rb'<c r="([A-Z]+)1"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_TYPE = re.compile(rb'\st="(\w+)"')
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ITEM = re.compile(rb"<si(?:\s[^>]*)?(?:/>|>(.*?)</si>)", re.S)
_LAST_ROW = re.compile(rb'<row[^>]*?\sr="(\d+)"')


@dataclass(frozen=True)
class Narrowed:
    """A narrowed copy (``path``) and what was dropped: the columns (0 = A) whose cells
    below row 1 were removed, the first column from which the row-1 cells were removed as
    well (``tail``; the header row's width when none was), and a sheet row at or below the bottom-most removed cell (0
    when none was removed): a read of the copy is the read of the original when no kept
    column is among ``dropped`` and the copy's cells reach down to ``last_row``."""

    path: Path
    dropped: frozenset[int]
    tail: int
    last_row: int


@dataclass(frozen=True)
class Header:
    """Row 1 of a worksheet part: the texts of its cells that are one plain text (inline,
    shared or a formula's text, without entities, escapes or runs, no surrounding space:
    read exactly as calamine reads them), by column (0 = A), and the number of columns up
    to its last cell (``width``)."""

    texts: dict[int, str]
    width: int


def header_row(path: Path, part: str) -> Header:
    """Row 1 of the worksheet part; no texts when row 1 is not the part's first row or the
    part uses a namespace prefix."""
    with zipfile.ZipFile(path) as archive:
        with archive.open(part) as f:
            head = f.read(ROW_1_BYTES)
        if _ROOT_PREFIX.search(head[:4096]):
            return Header({}, 0)
        first = _FIRST_ROW.search(head)
        if first is None or first.group(1) != b"1":
            return Header({}, 0)
        cells: dict[int, tuple[bytes, bytes]] = {}
        for m in _HEADER_CELL.finditer(first.group(2)):
            typed = _TYPE.search(m.group(2))
            cells[column_number(m.group(1).decode()) - 1] = (typed.group(1) if typed else b"n", m.group(3) or b"")
        shared = [int(v.group(1)) for t, inner in cells.values() if t == b"s" and (v := _VALUE.search(inner))]
        strings = _shared_strings(archive, max(shared, default=-1) + 1)
    texts: dict[int, str] = {}
    for k, (t, inner) in cells.items():
        raw = _plain(t, inner, strings)
        if raw is not None:
            text = raw.decode("utf-8", "replace")
            if text and text == text.strip():
                texts[k] = text
    return Header(texts, max(cells, default=-1) + 1)


def _plain(kind: bytes, inner: bytes, strings: list[bytes]) -> bytes | None:
    """A row-1 cell's text when it is one plain text, else None."""
    if kind == b"inlineStr":
        found = _TEXT.findall(inner)
        raw = found[0] if len(found) == 1 and inner.count(b"<t") == 1 else None
    elif kind in (b"s", b"str"):
        v = _VALUE.search(inner)
        if v is None:
            return None
        if kind == b"str":
            raw = v.group(1)
        else:
            index = int(v.group(1))
            raw = strings[index] if index < len(strings) else None
    else:
        return None
    return None if raw is None or b"&" in raw or b"_x" in raw else raw


def _shared_strings(archive: zipfile.ZipFile, count: int) -> list[bytes]:
    """The first ``count`` items of the shared strings (their ``<t>`` texts joined), read
    only as far as needed."""
    if count <= 0:
        return []
    part = next((n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if part is None:
        return []
    found: list[bytes] = []
    with archive.open(part) as f:
        for text in _cut(f, b"</si>"):  # an empty <si/> item does not end a chunk: it stays in order
            found.extend(_one_text(m.group(1) or b"") for m in _ITEM.finditer(text))
            if len(found) >= count:
                break
    return found[:count]


def _one_text(item: bytes) -> bytes:
    """A shared string item's text when it is one ``<t>`` (no runs or phonetic text), else
    a text no header can be (``&``, so :func:`_plain` refuses it)."""
    found = _TEXT.findall(item)
    return found[0] if len(found) == 1 and item.count(b"<t") == 1 else b"&"


def _cut(f, end: bytes) -> Iterator[bytes]:
    """The stream in chunks of about :data:`CHUNK` bytes, each ending just after an ``end``
    (the last one: whatever is left)."""
    rest = b""
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            if rest:
                yield rest
            return
        buffer = rest + chunk
        cut = buffer.rfind(end)
        if cut < 0:
            rest = buffer
            continue
        cut += len(end)
        yield buffer[:cut]
        rest = buffer[cut:]


def cell_pattern(columns: set[int]) -> re.Pattern[bytes]:
    """A pattern matching one whole ``<c r="…">`` element of any of ``columns`` (0 = A),
    self-closing or not; the column letters are grouped by prefix (``A[B-Z]``) to keep the
    alternation short."""
    groups: dict[str, list[str]] = {}
    for letters in sorted(column_letters(k + 1) for k in columns):
        groups.setdefault(letters[:-1], []).append(letters[-1])
    alternatives = "|".join(p + (f"[{''.join(cs)}]" if len(cs) > 1 else cs[0]) for p, cs in groups.items())
    return re.compile(rb'<c r="(?:' + alternatives.encode() + rb')\d+"[^>]*(?:/>|>[^<]*(?:<(?!/c>)[^<]*)*</c>)')


@contextmanager
def narrowed(path: Path, part: str, dropped: set[int], tail: int, width: int) -> Iterator[Narrowed]:
    """A copy of the workbook at ``path`` whose worksheet ``part`` has no cells of the
    ``dropped`` columns (0 = A) below row 1, nor row-1 cells from column ``tail`` to
    ``width`` (all of them dropped), removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="renewal-xl-"))
    try:
        copy = folder / "narrowed.xlsx"
        row_1 = cell_pattern(set(range(tail, width))) if tail < width else None
        last_row = _write(path, copy, part, cell_pattern(dropped), row_1)
        yield Narrowed(copy, frozenset(dropped), tail, last_row)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write(source: Path, target: Path, part: str, pattern: re.Pattern[bytes], row_1: re.Pattern[bytes] | None) -> int:
    """Copy ``source`` to ``target`` (stored), ``part`` filtered by ``pattern`` below its
    first row and by ``row_1`` (when given) in it; the last row of the last chunk from which a cell was removed (at or below
    the bottom-most removed cell), 0 when none was."""
    last_row = 0
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                with zin.open(info) as f, zout.open(_stored(info), "w", force_zip64=True) as out:
                    shutil.copyfileobj(f, out, CHUNK)
                continue
            with zin.open(info) as f, zout.open(_stored(info), "w", force_zip64=True) as out:
                first = True
                for text in _cut(f, b"</row>"):
                    if first:  # row 1 (the headers) as it is, but for the tail's
                        first = False
                        end = text.find(b"</row>") + len(b"</row>") if b"</row>" in text else len(text)
                        out.write(text[:end] if row_1 is None else row_1.sub(b"", text[:end]))
                        text = text[end:]
                    kept, removed = pattern.subn(b"", text)
                    out.write(kept)
                    if removed:
                        rows = _LAST_ROW.findall(text[-4096:]) or _LAST_ROW.findall(text)
                        last_row = max(last_row, int(rows[-1]) if rows else 1 << 30)
    return last_row


def _stored(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_STORED
    return copy


def droppable(header: Header, wanted: Callable[[str], bool]) -> tuple[set[int], int]:
    """The columns whose row-1 text is known and not ``wanted``, and the first column of
    the header row from which every column is one of them (``header.width`` when the last
    is not): the header cells of those are dropped too, so the reader's range ends before
    them."""
    dropped = {k for k, text in header.texts.items() if not wanted(text)}
    tail = header.width
    while tail - 1 in dropped:
        tail -= 1
    return dropped, tail
