"""Temporary copies of a workbook whose worksheet holds only some of its cells, so that
fastexcel (calamine), which keeps every cell of what it reads in memory until the Arrow
columns are built, never holds the others.

- **Slices** (:func:`slices`): a large worksheet part is cut at ``<row`` boundaries (byte
  slicing of the inflated XML, no work per cell) into copies of about a given size, each
  with the header row; a later slice writes it as the sheet row just above its own rows
  (the previous slice's last row: no row is lost, and calamine's range starts there rather
  than at row 1). The other parts are the workbook's (shared strings and styles too).
- **Narrowing**: a register with 27 columns of the user's own notes beside the 27 a job
  reads took twice the memory of the same register without them (bench/README.md). The
  ``<c r="…">`` elements of the dropped columns are removed below row 1 by one compiled
  pattern over each slice's XML. Row 1 is copied as it is, so the reader sees every header,
  except the header cells of the dropped columns right of all others (calamine's dense
  range would otherwise stay as wide as the sheet: an empty cell per row and column);
  their texts are known exactly (:class:`Header`) and are given back to the reader as
  names. Cells keep their ``r`` positions, so column letters in messages stay the sheet's.
  Only cells whose position is written first (``<c r="AB12"…``, as Excel and XlsxWriter
  write them) are dropped; any other cell is kept, so a cell is either removed whole or
  left as it was.

The part's bytes are checked by the pre-flight as they are read when it left them to the
slices (:func:`renewal_xl.io.safety.scanning`): a slice is written only after its bytes passed.

Copies are stored without compression (calamine reads them without inflating) in the
system's temporary folder, never next to the user's files, each removed when the next is
written and all when the ``with`` block ends, on an error or on Ctrl-C too. Whether a read
of the copies is the read of the file is :mod:`renewal_xl.io.arrow_sheet`'s to judge.
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

from renewal_xl.io import zip_parts
from renewal_xl.io.safety import column_letters, column_number, scanning

CHUNK = 2**22  # bytes of inflated XML filtered at a time
ROW_1_BYTES = 2**20  # a header row longer than this is not narrowed
_ROOT_PREFIX = re.compile(rb"<\w+:worksheet[\s>]")
_FIRST_ROW = re.compile(rb"<row[^>]*?\sr=\"(\d+)\"[^>]*>(.*?)</row>", re.S)
_HEADER_CELL = re.compile(rb'<c r="([A-Z]+)1"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_TYPE = re.compile(rb'\st="(\w+)"')
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ITEM = re.compile(rb"<si(?:\s[^>]*)?(?:/>|>(.*?)</si>)", re.S)
_ROW_1 = re.compile(rb'^(<row[^>]*?\sr=")1(")')
_CELL_1 = re.compile(rb'(<c r="[A-Z]{1,3})1(")')
_DIMENSION = re.compile(rb"<dimension\s[^>]*/>")  # the whole sheet's range: not a slice's
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')


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


class NotSliced(Exception):
    """The worksheet part is not one whose slices read as the whole part does (rows
    without a leading ``r``, rows out of order, a header row that cannot be renumbered)."""


@dataclass(frozen=True)
class Slice:
    """One stored copy of the workbook (``path``) whose worksheet holds the header row and
    the part's rows from one ``<row`` boundary to the next. The header row is written as
    sheet row ``header_at`` (1 in the first slice; in a later one the previous slice's last
    row, so the rows between the two are not lost and calamine's range starts right above
    this slice's rows); ``last_row``: the sheet row of its last ``<row>`` element
    (``header_at`` when it has none)."""

    path: Path
    header_at: int
    last_row: int


@dataclass
class Slices:
    """The slices of :func:`slices`, one at a time (each removed when the next is written),
    and, once they are all read, the last sheet row from which a cell of a ``dropped``
    column was removed (0 when none was; see :func:`slices`)."""

    each: Iterator[Slice]
    removed_below: int = 0


@contextmanager
def slices(path: Path, part: str, dropped: set[int], tail: int, width: int, size: int) -> Iterator[Slices]:
    """Copies of the workbook at ``path`` that together hold the rows of its worksheet
    ``part``, each about ``size`` bytes of sheet XML (cut at ``<row`` boundaries: no work
    per cell), every one with the header row (row 1), and without the cells of the
    ``dropped`` columns (0 = A) below row 1 or the row-1 cells from column ``tail`` to
    ``width`` (all of them dropped). A part under ``size`` bytes is one slice: the narrowed
    copy. Every copy is stored (read without inflating) in a temporary folder removed when
    the block ends, on an error or Ctrl-C too. Raises :class:`NotSliced` (while iterating)
    for a part whose slices would not read as the part does."""
    folder = Path(tempfile.mkdtemp(prefix="renewal-xl-"))
    try:
        row_1 = cell_pattern(set(range(tail, width))) if tail < width else None
        found = Slices(iter(()))
        found.each = _slices(path, folder, part, cell_pattern(dropped) if dropped else None, row_1, size, found)
        yield found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _slices(
    source: Path,
    folder: Path,
    part: str,
    pattern: re.Pattern[bytes] | None,
    row_1: re.Pattern[bytes] | None,
    size: int,
    found: Slices,
) -> Iterator[Slice]:
    """The slices of :func:`slices`, written one at a time into ``folder``: the workbook's
    other parts once into a base copy, then per slice that base and the sheet part."""
    base = folder / "base.xlsx"
    with zipfile.ZipFile(source) as zin:
        with zipfile.ZipFile(base, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                if info.filename != part:
                    with zin.open(info) as f, zout.open(_stored(info), "w", force_zip64=True) as out:
                        zip_parts.faster_crc(out)
                        shutil.copyfileobj(f, out, CHUNK)
        info = zin.getinfo(part)
        with zip_parts.open_part(zin, info) as part_file:  # ISA-L inflates where installed
            chunks = _cut(scanning(source, info, part_file), b"</row>")  # checked as read, when left so
            text = next(chunks, b"")
            start = text.find(b"<sheetData>")
            first = _FIRST_ROW.search(text, start)
            if start < 0 or first is None or first.group(1) != b"1" or text[start + 11 : first.start()].strip():
                raise NotSliced("no row 1 right after <sheetData>")
            head, header = _DIMENSION.sub(b"", text[: start + 11], count=1), text[first.start() : first.end()]
            if header.count(b"<row") != 1:
                raise NotSliced("row 1 is not one <row> element")
            if row_1 is not None:
                header = row_1.sub(b"", header)
            rest = text[first.end() :]
            number, header_at = 0, 1
            while True:  # one slice per turn
                number += 1
                copy = folder / f"slice-{number}.xlsx"
                shutil.copyfile(base, copy)
                last_row, ended = header_at, False
                with zipfile.ZipFile(copy, "a", zipfile.ZIP_STORED) as zout:
                    with zout.open(_stored(info), "w", force_zip64=True) as out:
                        zip_parts.faster_crc(out)
                        out.write(head + (header if header_at == 1 else _renumbered(header, header_at)))
                        written = 0
                        while written < size and not ended:
                            end = -1 if rest.endswith(b"</row>") else rest.find(b"</sheetData>")
                            rows, tail_xml = (rest, b"") if end < 0 else (rest[:end], rest[end:])
                            ended = end >= 0
                            if rows:
                                last_row = _checked(rows, last_row)
                                if pattern is not None:
                                    rows, removed = pattern.subn(b"", rows)
                                    if removed:
                                        found.removed_below = max(found.removed_below, last_row)
                                out.write(rows)
                                written += len(rows)
                            if not ended:
                                more = next(chunks, None)
                                if more is None:
                                    raise NotSliced("the sheet XML ends before </sheetData>")
                                rest = more
                        if ended:  # the rest of the part as it is
                            out.write(tail_xml)
                            for more in chunks:
                                out.write(more)
                        else:
                            out.write(b"</sheetData></worksheet>")
                yield Slice(copy, header_at, last_row)
                copy.unlink()
                if ended:
                    return
                header_at = last_row


def _stored(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_STORED
    return copy


def _renumbered(header: bytes, at: int) -> bytes:
    """The header row's XML written as sheet row ``at``: its ``r`` and every cell's."""
    row, rows = _ROW_1.subn(rb"\g<1>%d\g<2>" % at, header, count=1)
    cells, count = _CELL_1.subn(rb"\g<1>%d\g<2>" % at, row)
    if rows != 1 or count != header.count(b"<c "):
        raise NotSliced("a header cell without its position first")
    return cells


def _checked(rows: bytes, after: int) -> int:
    """The sheet row of the last ``<row>`` in ``rows`` (``after`` when there is none),
    which must start with its ``r``; the first must come below row ``after``. A row
    without its ``r`` is the row below the one before it (calamine's rule), in a slice as
    in the whole part, so only the ends of the slices need a number."""
    start = rows.find(b"<row")
    if start < 0:
        return after
    first = _ROW_NUMBER.match(rows, start)
    last = _ROW_NUMBER.match(rows, rows.rfind(b"<row"))
    if last is None:
        raise NotSliced("the last row has no position")
    if (first is not None and int(first.group(1)) <= after) or int(last.group(1)) <= after:
        raise NotSliced("rows out of order")
    return int(last.group(1))


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
