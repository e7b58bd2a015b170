"""Pre-flight checks of the files renewal-xl opens, before any library parses them.

A register, tracking file, tariff workbook or workbook opened by a macro comes from
outside and may be hostile. An .xlsx/.xlsm is a zip of XML parts; before python-calamine
or openpyxl reads one, :func:`check_file` looks at the zip directory and streams the
worksheet parts, and refuses (:class:`UnsafeFileError`, a Chinese message naming the file
and the limit) a file that would take unbounded memory or time:

- not a zip at all (an .xls, an encrypted workbook, a damaged or truncated file);
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
at a time) and time proportional to the file. A file that passed is not scanned again while
it is unchanged (same path, inode, size and modification and change times): one run reads
the register workbook for several tables (保单台账 and 续保跟踪, or first its sheet names),
and each read would otherwise inflate every part again.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np

from renewal_xl.errors import SourceError

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 4 * 2**30  # 4 GiB: a priced register of 10^6 rows is about 1.7 GiB
MAX_RATIO = 200  # legitimate sheets inflate about 10 times; deflate bombs about 1000
RATIO_FLOOR = 2**20  # parts smaller than 1 MiB may inflate more (styles, themes)
MAX_ROWS = 1_048_576  # Excel's own limits: a file Excel wrote never exceeds them
MAX_COLUMNS = 16_384
MAX_CELLS = 50_000_000  # rows × columns of the used area (10^6 rows × 50 columns)
MAX_CSV_BYTES = 2 * 2**30
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".zip")
CHUNK = 2**20
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


def check_file(path: Path) -> list[str]:
    """Check a file by its suffix (.xlsx/.xlsm/.zip as a workbook, .csv as text); return
    the warnings; raise :class:`UnsafeFileError` when it must not be opened. An unchanged
    file that passed before gives its warnings again without a second scan."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:  # missing or unreadable: the checks below give their own refusal
        return _check(path)
    return list(_passed(path, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)))


@lru_cache(maxsize=32)  # a run opens a few files; a refusal raises and is not kept
def _passed(path: Path, state: tuple[int, ...]) -> tuple[str, ...]:
    """The warnings of ``path`` in ``state`` (device, inode, size, modification and change
    times: any write gives another state, so another scan)."""
    return tuple(_check(path))


def _check(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return check_workbook(path)
    if suffix == ".csv":
        return check_csv(path)
    return []


def check_workbook(path: Path) -> list[str]:
    """The checks of the module docstring for a zip-based workbook."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise UnsafeFileError(
            path, "不是有效的 .xlsx/.xlsm 工作簿 (可能是 .xls、已加密或已损坏; 请在 Excel 中另存为 .xlsx)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(path, members)
            for info in members:
                if _is_xml(info.filename):
                    _check_part(path, archive, info)
            return _warnings(archive.namelist())
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
    sheet = _Extent() if _is_worksheet(info.filename) else None
    read = 0
    carry = b""
    for chunk in _chunks(archive, info):
        read += len(chunk)
        if read > info.file_size:
            raise UnsafeFileError(path, f"压缩包目录与内容不符 ({info.filename}), 文件可能被篡改")
        if read - len(chunk) < _HEAD and _DECLARATION.search((carry + chunk)[: _HEAD + _OVERLAP].replace(b"\x00", b"")):
            raise UnsafeFileError(path, f"XML 中含 DOCTYPE/ENTITY 声明 ({info.filename}), 可能是实体扩展攻击, 拒绝读取")
        if sheet is None:
            if read >= _HEAD:
                return
        else:
            sheet.scan(carry + chunk, path, info.filename)
        carry = chunk[-_OVERLAP:]


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as f:
        while chunk := f.read(CHUNK):
            yield chunk


class _Extent:
    """The used area of a worksheet, seen one chunk of its XML at a time: the largest row
    and column of the cells' positions (``r="XFD1048576"``) and rows (``r="5"``)."""

    def __init__(self):
        self.rows = 0
        self.columns = 0

    def scan(self, text: bytes, path: Path, part: str) -> None:
        columns, rows = extent(text)
        self.columns = max(self.columns, columns)
        self.rows = max(self.rows, rows)
        # fast: every tag starts with its position (as Excel writes); else the exact check
        if (
            _FIRST_NOT_R_CELL.search(text)
            and _UNPLACED_CELL.search(text)
            or _FIRST_NOT_R_ROW.search(text)
            and _UNPLACED_ROW.search(text)
        ):
            raise UnsafeFileError(path, f"工作表 {part} 的单元格缺少位置 (r 属性); 请在 Excel 中打开后另存为 .xlsx")
        if self.rows > MAX_ROWS or self.columns > MAX_COLUMNS or self.rows * self.columns > MAX_CELLS:
            raise UnsafeFileError(
                path,
                f"工作表过大 ({part}: 至少 {self.rows:,} 行 × {self.columns:,} 列; 上限 "
                f"{MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列、共 {MAX_CELLS:,} 个单元格)",
            )


_WINDOW = 12  # bytes read after r=": 3 letters and 7 digits reach Excel's limits; longer spellings exceed them
_TOO_LARGE = 10**9  # stands for a spelling longer than the window: beyond every limit
_BLANK = np.zeros(256, dtype=bool)  # the bytes a position's r=" must follow
_BLANK[list(b" \t\n\r\x0b\x0c")] = True


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
    n = len(text)
    if n < 4:
        return 0, 0
    data = np.frombuffer(text + bytes(_WINDOW), dtype=np.uint8)
    at = np.flatnonzero((data[1 : n - 2] == 0x72) & (data[2 : n - 1] == 0x3D) & (data[3:n] == 0x22)) + 1  # r="
    at = at[_BLANK[data[at - 1]]]
    if not at.size:
        return 0, 0
    start = at + 3
    in_letters = np.ones(len(at), dtype=bool)  # still inside the [A-Z]* run
    in_spelling = np.ones(len(at), dtype=bool)  # still inside the [A-Z0-9]* run
    letters = np.zeros(len(at), dtype=np.int64)
    end = np.zeros(len(at), dtype=np.int64)
    for k in range(_WINDOW):  # byte k of every spelling at once (one gather, no window per position)
        byte = data[start + k]
        letter = (byte >= 0x41) & (byte <= 0x5A)
        in_letters &= letter
        in_spelling &= letter | ((byte >= 0x30) & (byte <= 0x39))
        letters += in_letters
        end += in_spelling
    count = end - letters
    unseen = end >= _WINDOW  # the spelling runs past the window: beyond every limit
    closed = data[start + np.minimum(end, _WINDOW - 1)] == 0x22
    columns = np.zeros(len(at), dtype=np.int64)
    for k in range(4):  # AAAA = 18,279 is already beyond XFD; longer spellings count as too large
        columns = np.where(k < letters, columns * 26 + data[start + k] - 64, columns)
    columns[(letters > 4) | unseen] = _TOO_LARGE
    column = int(columns[((count > 0) | unseen) & (letters > 0)].max(initial=0))
    counted = (count > 0) & (closed | unseen)
    if not counted.any():
        return column, 0
    longest = count[counted].max()  # the largest row has the most digits: read only those
    chosen = counted & (count == longest)
    rows = np.zeros(int(chosen.sum()), dtype=np.int64)
    first, begin = letters[chosen], start[chosen]
    for k in range(min(int(longest), _WINDOW)):
        rows = rows * 10 + data[begin + np.minimum(first + k, _WINDOW - 1)] - 0x30
    row = _TOO_LARGE if unseen[chosen].any() else int(rows.max())
    return column, row


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
