"""Pre-flight checks of the files renewal-xl opens, before any library parses them.

A register, tracking file, tariff workbook or workbook opened by a macro comes from
outside and may be hostile. An .xlsx/.xlsm is a zip of XML parts; before python-calamine
or openpyxl reads one, :func:`check_file` looks at the zip directory and streams the
worksheet parts, and refuses (:class:`UnsafeFileError`, a Chinese message naming the file
and the limit) a file that would take unbounded memory or time:

- not a zip at all (an .xls, an encrypted workbook, a damaged or truncated file), or a
  part that does not inflate or whose CRC-32 is not its directory entry's;
- more than :data:`MAX_MEMBERS` parts, more than :data:`MAX_UNCOMPRESSED` bytes in all,
  or a part larger than 1 MiB that inflates more than :data:`MAX_RATIO` times (zip bombs),
  or a part that inflates to more than its directory entry says;
- a DOCTYPE or ENTITY declaration in any XML part (entity expansion, XXE: Office never
  writes one);
- a worksheet whose used area reaches beyond :data:`MAX_ROWS` rows, :data:`MAX_COLUMNS`
  columns or :data:`MAX_CELLS` cells (a single cell at XFD1048576 would make the reader
  allocate the whole grid: hundreds of GB), or whose cells or rows carry no position.

What is only read past is reported as a warning (Chinese text) for the caller to show:
macros (``vbaProject.bin``; data are read, the macros never run), external links (the
values saved in the file are used, the links are not followed) and embedded objects.
A CSV file is refused beyond :data:`MAX_CSV_BYTES` or :data:`MAX_COLUMNS` columns.

These are counts of the file itself, so a check needs bounded memory (one chunk of XML
at a time) and time proportional to the file: ISA-L inflates the parts where python-isal is
installed (:mod:`renewal_xl.io.zip_parts`), and numpy reads every position of a chunk at once (bench/README.md, "A
pre-flight at a fraction of the read"). A file that passed is not scanned again while
it is unchanged (same path, inode, size and modification and change times): one run reads
the register workbook for several tables (保单台账 and 续保跟踪, or first its sheet names),
and each read would otherwise inflate every part again.

A worksheet part too large for one read (more than 128 MiB of XML, a register of about 10^6
rows) is read in row slices (:mod:`renewal_xl.io.sheet_copy`), which inflate it anyway. The
register reader asks :func:`check_file` to leave such parts to the slices
(``leave_sheets_above``): their directory entries are checked here, their bytes by
:func:`scanning` as the slices read them, each slice before fastexcel parses it, so the part
is inflated once, not twice (bench/README.md, "One inflate for the pre-flight and the
slices"). Opening a workbook with python-calamine parses no worksheet; any other reader of
the file (the whole-file read when slicing stops, the row reader, another table of the same
workbook) calls :func:`check_file` without it first, which checks the whole file unless the
slices read every part left to them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import IO

import numpy as np

from renewal_xl.errors import SourceError
from renewal_xl.io import zip_parts

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 4 * 2**30  # 4 GiB: a priced register of 10^6 rows is about 1.7 GiB
MAX_RATIO = 200  # legitimate sheets inflate about 10 times; deflate bombs about 1000
RATIO_FLOOR = 2**20  # parts smaller than 1 MiB may inflate more (styles, themes)
MAX_ROWS = 1_048_576  # Excel's own limits: a file Excel wrote never exceeds them
MAX_COLUMNS = 16_384
MAX_CELLS = 50_000_000  # rows × columns of the used area (10^6 rows × 50 columns)
MAX_CSV_BYTES = 2 * 2**30
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".zip")
CHUNK = 2**20  # bytes inflated at a time
SCAN_BYTES = 2**19  # bytes of XML scanned at a time: numpy's arrays stay in cache (bench/README.md)
_HEAD = 2**16  # bytes of an XML part in which a DOCTYPE would stand
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UNPLACED_CELL = re.compile(rb'<c(?=[\s>/])(?![^>]*\sr=")[^>]*>')  # whole tags only: a chunk may end inside one
_UNPLACED_ROW = re.compile(rb'<row(?=[\s>/])(?![^>]*\sr=")[^>]*>')
_FIRST_NOT_R_CELL = re.compile(rb'<c(?! r=")[\s>/]')
_FIRST_NOT_R_ROW = re.compile(rb'<row(?! r=")[\s>/]')
_OVERLAP = 64  # bytes carried from one chunk to the next, so no tag is cut in two


class UnsafeFileError(SourceError):
    """A file refused before parsing: it is not what it claims or exceeds a limit."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"文件 {Path(path).name}", "file", str(path), reason)


def check_file(path: Path, *, leave_sheets_above: int | None = None) -> list[str]:
    """Check a file by its suffix (.xlsx/.xlsm/.zip as a workbook, .csv as text); return
    the warnings; raise :class:`UnsafeFileError` when it must not be opened. An unchanged
    file (same path, device, inode, size, modification and change times) that passed
    before gives its warnings again without a second scan.

    ``leave_sheets_above`` (bytes): a workbook's worksheet parts larger than this are
    checked by their directory entry only and left to the reader that streams them in
    slices to scan as it reads them (:func:`scanning`: each slice is checked before any
    library parses it, and one inflate serves both). Until that scan has ended, a call
    without ``leave_sheets_above`` checks the whole file; after it, the file has passed."""
    path = Path(path)
    key = _state(path)
    if key is None:  # missing or unreadable: the checks below give their own refusal
        return _check(path)
    if key in _PASSED:
        return list(_PASSED[key])
    if leave_sheets_above is not None and key in _LEFT:
        return list(_LEFT[key][0])
    if leave_sheets_above is not None and path.suffix.lower() in ZIP_SUFFIXES:
        warnings, left = _check_workbook(path, leave_sheets_above)
        if left:
            _keep(_LEFT, key, (tuple(warnings), left))
            return warnings
    else:
        warnings = _check(path)
    _passed(key, warnings)
    return warnings


_KEPT = 32  # files remembered: a run opens a few; a refusal raises and is not kept
_PASSED: dict[tuple, tuple[str, ...]] = {}  # (path, state) of a file that passed: its warnings
_LEFT: dict[tuple, tuple[tuple[str, ...], set[str]]] = {}  # passed but for these worksheet parts


def _state(path: Path) -> tuple | None:
    """The key of ``path`` in its present state (device, inode, size, modification and change
    times: any write gives another key, so another scan); None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (path, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))


def _keep(cache: dict, key: tuple, value) -> None:
    if key not in cache and len(cache) >= _KEPT:
        del cache[next(iter(cache))]
    cache[key] = value


def _passed(key: tuple, warnings: list[str]) -> None:
    _LEFT.pop(key, None)
    _keep(_PASSED, key, tuple(warnings))


def scanning(path: Path, info: zipfile.ZipInfo, f: IO[bytes]) -> IO[bytes]:
    """``f`` (the inflated part ``info`` of the workbook at ``path``, opened by a reader that
    hands its bytes to a library) checking what is read from it as :func:`check_file`
    checks a part, when :func:`check_file` left this part: :class:`UnsafeFileError` as soon
    as a chunk read breaks a limit. Once ``f`` is read to its end the part has passed (and
    the file, when it was the last part left). Any other ``f`` is returned as it is."""
    key = _state(Path(path))
    left = None if key is None else _LEFT.get(key)
    if key is None or left is None or info.filename not in left[1]:
        return f
    return _Scanned(f, _PartScan(Path(path), info), partial(_scanned, key, info.filename))  # type: ignore[return-value]


def _scanned(key: tuple, part: str) -> None:
    left = _LEFT.get(key)
    if left is not None:
        left[1].discard(part)
        if not left[1]:
            _passed(key, list(left[0]))


class _Scanned:
    """A part being read whose bytes go through a :class:`_PartScan` as they are read."""

    def __init__(self, f: IO[bytes], scan: _PartScan, done: Callable[[], None]):
        self._f, self._scan, self._done = f, scan, done

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        if data:
            self._scan.feed(data)
        elif size != 0:  # the end of the part (zipfile has checked its CRC)
            self._done()
        return data


def _check(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return check_workbook(path)
    if suffix == ".csv":
        return check_csv(path)
    return []


def check_workbook(path: Path) -> list[str]:
    """The checks of the module docstring for a zip-based workbook."""
    return _check_workbook(path, None)[0]


def _check_workbook(path: Path, leave_above: int | None) -> tuple[list[str], set[str]]:
    """:func:`check_workbook`'s warnings and the worksheet parts larger than ``leave_above``
    bytes (when given), whose directory entries are checked but not their bytes."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise UnsafeFileError(
            path, "不是有效的 .xlsx/.xlsm 工作簿 (可能是 .xls、已加密或已损坏; 请在 Excel 中另存为 .xlsx)"
        )
    left: set[str] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(path, members)
            for info in members:
                if leave_above is not None and info.file_size > leave_above and _is_worksheet(info.filename):
                    left.add(info.filename)
                elif _is_xml(info.filename):
                    _check_part(path, archive, info)
            return _warnings(archive.namelist()), left
    except UnsafeFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise UnsafeFileError(path, f"工作簿已损坏, 无法读取 ({type(exc).__name__})") from exc


def check_csv(path: Path) -> list[str]:
    """A CSV register: at most :data:`MAX_CSV_BYTES` bytes and :data:`MAX_COLUMNS` columns
    in its header line."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UnsafeFileError(path, f"文件过大 ({size / 2**20:,.0f} MiB, 上限 {MAX_CSV_BYTES // 2**20:,} MiB)")
    with path.open("rb") as f:
        head = f.read(CHUNK).split(b"\n", 1)[0]
    if head.count(b",") + 1 > MAX_COLUMNS:
        raise UnsafeFileError(path, f"列数过多 (上限 {MAX_COLUMNS:,} 列)")
    return []


def _check_directory(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnsafeFileError(path, f"压缩包内文件过多 ({len(members):,} 个, 上限 {MAX_MEMBERS:,}), 不是正常的工作簿")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise UnsafeFileError(
            path, f"解压后过大 ({total / 2**30:,.1f} GiB, 上限 {MAX_UNCOMPRESSED // 2**30} GiB), 可能是压缩炸弹"
        )
    encrypted = next((m.filename for m in members if m.flag_bits & 0x1), None)
    if encrypted is not None:  # zipfile would stop at it with a RuntimeError asking for a password
        raise UnsafeFileError(path, f"压缩包内的文件已加密 ({encrypted}), 无法读取; 请在 Excel 中另存为无密码的 .xlsx")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise UnsafeFileError(
                path,
                f"压缩比异常 ({m.filename}: {m.file_size // max(m.compress_size, 1):,} 倍, "
                f"上限 {MAX_RATIO} 倍), 可能是压缩炸弹",
            )


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _is_worksheet(name: str) -> bool:
    return re.fullmatch(r"xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml", name, re.IGNORECASE) is not None


def _check_part(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """One XML part: no DOCTYPE/ENTITY in its head; a worksheet also inside the limits."""
    scan = _PartScan(path, info)
    for chunk in zip_parts.chunks(archive, info, CHUNK):  # ISA-L inflates where installed
        if scan.feed(chunk):
            return


class _PartScan:
    """The checks of one XML part, fed its inflated bytes in order, a chunk at a time."""

    def __init__(self, path: Path, info: zipfile.ZipInfo):
        self.path, self.info = path, info
        self.sheet = _Extent() if _is_worksheet(info.filename) else None
        self.read = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> bool:
        """Check the next ``chunk`` (any length: checked :data:`SCAN_BYTES` at a time); True
        when the rest of the part need not be read."""
        for at in range(0, len(chunk), SCAN_BYTES):
            if self._piece(chunk[at : at + SCAN_BYTES]):
                return True
        return False

    def _piece(self, chunk: bytes) -> bool:
        name = self.info.filename
        self.read += len(chunk)
        if self.read > self.info.file_size:
            raise UnsafeFileError(self.path, f"压缩包目录与内容不符 ({name}), 文件可能被篡改")
        head = (self.carry + chunk)[: _HEAD + _OVERLAP]
        if self.read - len(chunk) < _HEAD and _DECLARATION.search(head.replace(b"\x00", b"")):
            raise UnsafeFileError(self.path, f"XML 中含 DOCTYPE/ENTITY 声明 ({name}), 可能是实体扩展攻击, 拒绝读取")
        if self.sheet is not None:
            self.sheet.scan(self.carry, chunk, self.path, name)
        self.carry = chunk[-_OVERLAP:]
        return self.sheet is None and self.read >= _HEAD


class _Extent:
    """The used area of a worksheet, seen one chunk of its XML at a time: the largest row
    and column of the cells' positions (``r="XFD1048576"``) and rows (``r="5"``)."""

    def __init__(self):
        self.rows = 0
        self.columns = 0
        self._buffer = np.zeros(0, dtype=np.uint8)  # the chunks' bytes, :func:`_padded`'s layout, reused

    def scan(self, carry: bytes, chunk: bytes, path: Path, part: str) -> None:
        """Read the positions of ``carry + chunk`` (the previous chunk's last bytes and this
        one); refuse the sheet when its area so far passes a limit or a tag has no position."""
        n = len(carry) + len(chunk)
        if len(self._buffer) < _FRONT + n + _WINDOW:  # one buffer for every chunk: no fresh pages to fault in
            self._buffer = np.zeros(_FRONT + n + _WINDOW, dtype=np.uint8)
        data = self._buffer[: _FRONT + n + _WINDOW]
        data[_FRONT : _FRONT + len(carry)] = np.frombuffer(carry, dtype=np.uint8)
        data[_FRONT + len(carry) : _FRONT + n] = np.frombuffer(chunk, dtype=np.uint8)
        data[_FRONT + n :] = 0
        text = memoryview(data)[_FRONT : _FRONT + n]
        at = _positions(data, n)
        columns, rows = _extent_at(data, at)
        self.columns = max(self.columns, columns)
        self.rows = max(self.rows, rows)
        if _unplaced(text, data, at):
            raise UnsafeFileError(path, f"工作表 {part} 的单元格缺少位置 (r 属性); 请在 Excel 中打开后另存为 .xlsx")
        if self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.rows * self.columns > MAX_CELLS:
            raise UnsafeFileError(
                path,
                f"工作表过大 ({part}: 至少 {self.rows:,} 行 × {self.columns:,} 列; 上限 "
                f"{MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列、共 {MAX_CELLS:,} 个单元格)",
            )


_FRONT = 8  # zero bytes before the text in :func:`_padded`: every look back from a position stays inside
_WINDOW = 12  # bytes read after r=": 3 letters and 7 digits reach Excel's limits; longer spellings exceed them
_TOO_LARGE = 10**9  # stands for a spelling longer than the window: beyond every limit
_BLANK = np.zeros(256, dtype=bool)  # the bytes a position's r=" must follow
_BLANK[list(b" \t\n\r\x0b\x0c")] = True
_TAG_PAIR = 0x733C  # "<" then "b", "c", "r" or "s" as a little-endian 2-byte word with 0x1100 or-ed in
_TAIL = 8  # tags starting in a text's last 8 bytes may be cut (``<row r="`` is 8 bytes): the regex decides them


def _padded(text: bytes) -> np.ndarray:
    """``text`` as bytes behind :data:`_FRONT` and before :data:`_WINDOW` zero bytes, so that
    the byte ``c`` places after text index ``i`` is ``data[_FRONT + c:][i]`` for every
    ``-_FRONT <= c <= _WINDOW``: one gather, no index arithmetic, zeros outside the text."""
    return np.frombuffer(bytes(_FRONT) + text + bytes(_WINDOW), dtype=np.uint8)


def _unplaced(text: bytes | memoryview, data: np.ndarray, at: np.ndarray) -> bool:
    """Whether a cell or row tag of ``text`` has no position: a ``<c`` or ``<row`` followed by
    a blank, ``>`` or ``/`` but not by `` r="``, in a whole tag (today's regexes decide).
    Most chunks are decided by counting instead: when every ``<b``/``<c``/``<r``/``<s`` pair
    before the last :data:`_TAIL` bytes is the start of a ``<c r="`` or ``<row r="`` at one of
    the positions ``at`` (:func:`_positions`), no tag there can match the regexes, and only
    the tail is searched; otherwise (a sheet's head and tail: ``<cols>``, ``<sheetViews>``,
    rich text) the whole chunk is."""
    tail = max(len(text) - _TAIL, 0)
    if _tag_pairs(data, tail) != _placed_tags(data, at, tail):
        tail = 0
    return bool(
        _FIRST_NOT_R_CELL.search(text, tail)
        and _UNPLACED_CELL.search(text, tail)
        or _FIRST_NOT_R_ROW.search(text, tail)
        and _UNPLACED_ROW.search(text, tail)
    )


def _tag_pairs(data: np.ndarray, before: int) -> int:
    """How many ``<`` followed by ``b``, ``c``, ``r`` or ``s`` start before text index
    ``before``: two aligned views of 2-byte words (even and odd starts), one compare each."""
    pairs = 0
    for odd in (0, 1):
        words = (before + 1 - odd) // 2  # the pairs starting at text index odd, odd + 2, … below ``before``
        view = data[_FRONT + odd : _FRONT + odd + 2 * words].view("<u2")
        pairs += int(np.count_nonzero((view | 0x1100) == _TAG_PAIR))
    return pairs


def _placed_tags(data: np.ndarray, at: np.ndarray, before: int) -> int:
    """How many of the positions ``at`` are the `` r="`` of a ``<c r="`` or ``<row r="`` whose
    ``<`` stands before text index ``before``."""

    def back(c: int) -> np.ndarray:  # the byte c places before each position's blank
        return data[_FRONT - c :][at]

    blank = back(0) == 0x20
    cells = np.count_nonzero(blank & (back(1) == 0x63) & (back(2) == 0x3C) & (at < before + 2))
    row = blank & (back(1) == 0x77)
    if row.any():
        rows = at[row]
        row_tags = (data[_FRONT - 2 :][rows] == 0x6F) & (data[_FRONT - 3 :][rows] == 0x72)
        row_tags &= (data[_FRONT - 4 :][rows] == 0x3C) & (rows < before + 4)
        cells += np.count_nonzero(row_tags)
    return int(cells)


def extent(text: bytes) -> tuple[int, int]:
    """The largest column and row that the positions ``r="…"`` after a blank in ``text``
    spell: a column from ``r="<letters><digit>`` (cells), a row from
    ``r="<letters><digits>"`` (cells and rows); 0 when there is none. A spelling cut at
    the end of ``text`` counts in the next chunk (the chunks overlap); one running past
    :data:`_WINDOW` bytes counts as too large. All positions at once with numpy, where a
    regex would visit 22 million cells one at a time.

    >>> extent(b'<row r="7"><c r="B7" t="n"><v>1</v></c><c r="AA7"/></row> r="XFD9" r="Q12')
    (16384, 9)
    """
    if len(text) < 4:
        return 0, 0
    data = _padded(text)
    return _extent_at(data, _positions(data, len(text)))


def _positions(data: np.ndarray, n: int) -> np.ndarray:
    """The positions in the text of ``data`` (:func:`_padded`, ``n`` bytes): the index of the
    blank before each `` r="``. Found from the ``=`` bytes, the rarest of the three."""
    blank = np.flatnonzero(data[_FRONT + 2 : _FRONT + n] == 0x3D)  # index of "=" minus 2
    keep = data[_FRONT + 1 :][blank] == 0x72
    keep &= data[_FRONT + 3 :][blank] == 0x22
    keep &= _BLANK[data[_FRONT:][blank]]
    return blank[keep]


def _extent_at(data: np.ndarray, at: np.ndarray) -> tuple[int, int]:
    """:func:`extent` of the positions ``at`` in ``data``. Byte k of every spelling is read
    at once (runs counted in int8, no int64 array per position), until every spelling has
    ended; then only the spellings that can hold the maximum are read further: the column
    from those with the most letters, the row from those with the most characters after
    their letters (:func:`_largest_spelling`)."""
    if not at.size:
        return 0, 0
    byte = data[_FRONT + 4 :][at]  # the spelling's first byte: 4 after the blank
    in_letters = (byte - 0x41) < 26  # still inside the [A-Z]* run (uint8 wraps below "A")
    in_spelling = in_letters | ((byte - 0x30) < 10)  # still inside the [A-Z0-9]* run
    letters = in_letters.astype(np.int8)
    end = in_spelling.astype(np.int8)
    alphas = letters.copy()  # letters anywhere in the spelling: more than its leading run in hostile text only
    for k in range(1, _WINDOW):
        if not in_spelling.any():
            break
        byte = data[_FRONT + 4 + k :][at]
        letter = (byte - 0x41) < 26
        in_letters &= letter
        in_spelling &= letter | ((byte - 0x30) < 10)
        letters += in_letters
        end += in_spelling
        alphas += letter & in_spelling
    unseen = end >= _WINDOW  # the spelling runs past the window: beyond every limit
    count = end - letters
    return (
        _largest_column(data, at, letters, count > 0, unseen),
        _largest_row(data, at, letters, end, unseen, None if np.array_equal(alphas, letters) else alphas == letters),
    )


def _largest_spelling(data: np.ndarray, begin: np.ndarray, width: int) -> list[int]:
    """The bytes of the largest of the ``width``-byte strings that start 4 bytes after each
    index of ``begin``, compared byte by byte: only the strings holding the largest byte so
    far are read on (a column's letters or a row's digits, all of one length, compare as
    their numbers do)."""
    largest = []
    for k in range(width):
        byte = data[_FRONT + 4 + k :][begin]
        top = byte.max()
        largest.append(int(top))
        if len(begin) > 1:
            begin = begin[byte == top]
    return largest


def _largest_column(
    data: np.ndarray, at: np.ndarray, letters: np.ndarray, digit_follows: np.ndarray, unseen: np.ndarray
) -> int:
    """The largest column among the spellings whose letters are followed by a digit (or
    that run past the window); beyond 4 letters (AAAA = 18,279 > XFD) or past the window it
    counts as :data:`_TOO_LARGE`. More letters spell a larger column; of equal counts the
    largest letters, one by one."""
    wanted = (digit_follows | unseen) & (letters > 0)
    if not wanted.any():
        return 0
    if (wanted & (unseen | (letters > 4))).any():
        return _TOO_LARGE
    most = int(letters[wanted].max())
    return column_number(bytes(_largest_spelling(data, at[wanted & (letters == most)], most)).decode("ascii"))


def _largest_row(
    data: np.ndarray,
    at: np.ndarray,
    letters: np.ndarray,
    end: np.ndarray,
    unseen: np.ndarray,
    pure: np.ndarray | None,
) -> int:
    """The largest row among the spellings with characters after their letters that end
    with ``"`` (or run past the window): the largest row has the most characters there, so
    only those are read, each as a digit (its byte minus ``0``); one running past the window
    counts as :data:`_TOO_LARGE`. Digits only (``pure``: no letter after the leading ones)
    compare digit by digit (``pure`` None: every spelling is so); hostile spellings with
    letters among them are summed up whole."""
    count = end - letters
    longest = int(count.max())
    if longest <= 0:
        return 0
    chosen = np.flatnonzero(count == longest)  # the most characters; counted if closed or past the window
    chosen = chosen[unseen[chosen] | (data[_FRONT + 4 :][at[chosen] + np.minimum(end[chosen], _WINDOW - 1)] == 0x22)]
    if not chosen.size:  # none of the longest counts: the longest of those that do
        closed = data[_FRONT + 4 :][at + np.minimum(end, _WINDOW - 1)] == 0x22
        counted = (count > 0) & (closed | unseen)
        if not counted.any():
            return 0
        longest = int(count[counted].max())
        chosen = np.flatnonzero(counted & (count == longest))
    if unseen[chosen].any():
        return _TOO_LARGE
    first = at[chosen] + letters[chosen]  # the blank's index + letters: the digits start 4 further
    if pure is None or pure[chosen].all():
        return int(bytes(_largest_spelling(data, first, longest)))
    rows = np.zeros(len(first), dtype=np.int64)
    for k in range(longest):  # within the window: letters + longest = end < _WINDOW
        rows *= 10
        rows += data[_FRONT + 4 + k :][first]
    return int(rows.max()) - 0x30 * (10**longest - 1) // 9  # each byte minus "0", place by place


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """Inverse of :func:`column_number` (n ≥ 1)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _warnings(names: list[str]) -> list[str]:
    lower = [n.lower() for n in names]
    found = []
    if any(n.endswith("vbaproject.bin") for n in lower):
        found.append("工作簿含宏 (VBA): 只读取数据, 不会运行宏")
    if any(n.startswith("xl/externallinks/") for n in lower):
        found.append("工作簿含外部链接: 使用文件中保存的值, 不会打开链接的文件")
    if any(n.startswith(("xl/embeddings/", "xl/activex/")) for n in lower):
        found.append("工作簿含嵌入对象或 ActiveX 控件: 已忽略")
    return found
