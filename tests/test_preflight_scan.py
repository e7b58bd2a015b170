"""The safety pre-flight's cheaper scan (issue 12) decides as the scan before it did.

:mod:`preflight_oracle` keeps the previous position reading and the previous regex check of
unplaced tags; the properties feed both hostile texts (cut spellings, lowercase, long runs,
other blanks before ``r=``, ``r="`` inside text, prefixed tags, bytes of Chinese text) and
require the same column, row and refusal. The workbook tests go through
:func:`renewal_xl.io.safety.check_workbook`: ISA-L and zlib give the same decisions, a
damaged part is refused with the Chinese line, chunks cut anywhere decide alike."""

from __future__ import annotations

import struct
import zipfile

import hostile_files
import preflight_oracle
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from position_texts import cell_texts

from renewal_xl.io import safety, zip_parts
from renewal_xl.io.safety import UnsafeFileError, check_workbook, column_letters

TOKENS = [
    b' r="',
    b'r="',
    b'\tr="',
    b'\nr="',
    b'\x0cr="',
    b' R="',
    b" r=",
    b'="',
    b'"',
    b"=",
    b" ",
    b"\n",
    b"\t",
    b"<c",
    b"<c ",
    b"<c>",
    b"<c/>",
    b"<c\t",
    b'<c r="',
    b"<row",
    b"<row ",
    b"<row>",
    b'<row r="',
    b"<rows",
    b'<x:c r="',
    b"<x:c>",
    b'<x:row r="',
    b"<cols>",
    b'<col min="1"/>',
    b"<sheetData>",
    b"<b/>",
    b"<r>",
    b'<is><t> r="',
    b"</t></is>",
    b"<v>1</v></c>",
    b"</row>",
    b'" t="s">',
    b">",
    b"/",
    b"<",
    b"\xe4\xbf\x9d",
    b'<x r="',
    b'<b r="',
    b'<s r="',
    b'<rox r="',
    b'<cow r="',
    b'<r r="',
    b"XFD",
    b"AAAA",
    b"ZZZ",
    b"a",
    b"z",
    b"1048576",
    b"1048577",
    b"0",
    b"\x00",
]
RUNS = st.one_of(
    st.sampled_from(TOKENS),
    st.integers(1, 14).map(lambda k: b"A" * k),
    st.integers(1, 14).map(lambda k: b"9" * k),
    st.integers(1, 18_300).map(lambda n: column_letters(n).encode()),
    st.integers(0, 10**13).map(lambda n: str(n).encode()),
    st.text(alphabet="AZ0129", min_size=1, max_size=12).map(str.encode),  # letters after digits too
    st.binary(max_size=3),
)
TEXTS = st.lists(RUNS, max_size=80).map(b"".join)


def _scan_of(text: bytes) -> tuple[int, int, bool]:
    data = safety._padded(text)
    at = safety._positions(data, len(text))
    return (*safety._extent_at(data, at), safety._unplaced(text, data, at))


@settings(max_examples=1500)
@given(TEXTS, st.integers(0, 12))
def test_positions_and_unplaced_tags_are_read_as_before(text, cut):
    text = text[: max(len(text) - cut, 0)]  # a chunk ends anywhere, also inside a position
    assert safety.extent(text) == preflight_oracle.extent(text)
    assert _scan_of(text) == (*preflight_oracle.extent(text), preflight_oracle.unplaced(text))


@pytest.mark.parametrize(
    ("text", "area"),
    [
        (b' r="A1Z" r="A29"', (1, 52)),  # a letter after a digit counts as its byte minus "0": 1 × 10 + 42
        (b' r="B9" r="AA10" r="Z99"', (27, 99)),
        (b' r="A123456789012"', (10**9, 10**9)),  # past the window
        (b' r="XFD1048576" r="XFE1"', (16385, 1048576)),
    ],
)
def test_hostile_spellings_are_read_as_before(text, area):
    assert safety.extent(text) == preflight_oracle.extent(text) == area


@pytest.mark.parametrize(
    "text",
    [
        b'<x r="A1"><c t="s">',  # a position after another tag does not stand for a cell's
        b'xc r="A1"><c>',
        b'<xow r="1"><row>',
        b'<rxw r="1"><row>',
        b'<rox r="1"><row >',
        b'xrow r="1"><row/>',
        b'<c r="A1"><c/>',
        b'<row r="1"><c r="A1"/></row><row><c r="A2"/></row>',
        b'<c t="s" r="A1"><v>1</v></c><c>',
    ],
)
def test_counting_never_passes_a_tag_the_regex_refuses(text):
    for tail in (b"", b" " * 20):  # the tag inside the last 8 bytes (the regex) or before them (the counts)
        assert preflight_oracle.unplaced(text + tail) and _scan_of(text + tail)[2]


@settings(max_examples=300)
@given(
    cell_texts(
        ["<c ", "<c\t", "<x:c ", "<row ", " "], 20_000_000, ['"', '" t="s"', "", "/", '"/'], min_size=1, max_size=300
    ),
    st.integers(0, 40),
)
def test_sheet_like_texts_are_read_as_before(text, cut):
    """Texts shaped as a sheet's data: the counted path decides most of these (every tag
    placed), the regex the rest."""
    text = text[: len(text) - cut]
    assert _scan_of(text) == (*preflight_oracle.extent(text), preflight_oracle.unplaced(text))


@settings(max_examples=200)
@given(st.lists(TEXTS, min_size=1, max_size=6))
def test_a_sheet_seen_chunk_by_chunk_keeps_its_largest_position(chunks):
    """One scanner over several chunks (its buffer reused, shorter chunks after longer ones):
    the area is the largest of each chunk's, a chunk with an unplaced tag is refused."""
    sheet = safety._Extent()
    carry, columns, rows = b"", 0, 0
    for chunk in chunks:
        text = carry + chunk
        c, r = preflight_oracle.extent(text)
        columns, rows = max(columns, c), max(rows, r)
        limits = rows > safety.MAX_ROWS or columns > safety.MAX_COLUMNS or rows * columns > safety.MAX_CELLS
        if preflight_oracle.unplaced(text) or limits:
            with pytest.raises(UnsafeFileError, match="缺少位置" if preflight_oracle.unplaced(text) else "工作表过大"):
                sheet.scan(carry, chunk, hostile_files.SHEET, "sheet1.xml")
            return
        sheet.scan(carry, chunk, hostile_files.SHEET, "sheet1.xml")
        assert (sheet.columns, sheet.rows) == (columns, rows)
        carry = chunk[-safety._OVERLAP :]


def _sheet_book(tmp_path, rows_xml: str, name: str = "book.xlsx"):
    return hostile_files._replace_part(
        hostile_files._register_book(tmp_path / name), hostile_files.SHEET, hostile_files._sheet(rows_xml)
    )


def _filler(count: int, text: str = "保单") -> str:
    return "".join(
        f'<row r="{k}"><c r="A{k}" t="inlineStr"><is><t>{text}{k}</t></is></c></row>' for k in range(2, count)
    )


@pytest.mark.parametrize("small", ["CHUNK", "SCAN_BYTES"])  # 4 KiB inflated, or scanned, at a time
@pytest.mark.parametrize("where", [-9, -5, -3, -1, 0, 2, 5])
def test_a_tag_cut_between_two_chunks_is_seen(tmp_path, monkeypatch, where, small):
    """An unplaced cell and a cell at XFD1048576 standing across a chunk's end, the chunks small
    (4 KiB), refused as when they stand inside a chunk."""
    monkeypatch.setattr(safety, small, 4096)
    head = len(hostile_files._sheet("").split(b"<sheetData>")[0]) + len("<sheetData>")
    filler = _filler(200, "P")  # ASCII: one byte a character
    before = filler[: 4096 * 3 - head + where - 1]
    before = before[: before.rfind("</row>") + 6]
    pad = " " * (
        4096 * 3 - head - len(before.encode()) + where
    )  # blanks between rows: the tag starts at 3 × 4096 + where
    for tag, message in (
        ('<row r="1"><c t="s"><v>0</v></c></row>', "缺少位置"),
        ('<row r="1"><c r="XFD1048576"/></row>', "工作表过大"),
    ):
        path = _sheet_book(tmp_path, before + pad + tag + filler[len(before) :], name=f"cut{len(message)}.xlsx")
        with zipfile.ZipFile(path) as z:
            assert z.read(hostile_files.SHEET)[4096 * 3 + where :].startswith(tag.encode()[:5])
        with pytest.raises(UnsafeFileError, match=message):
            check_workbook(path)
    assert check_workbook(_sheet_book(tmp_path, before + pad + filler[len(before) :], name="fine.xlsx")) == []


def test_prefixed_tags_are_read_no_weaker_than_before(tmp_path):
    """A position is read after any tag name (``<x:c r=…>``, ``<x:row r=…>``), as before."""
    with pytest.raises(UnsafeFileError, match="至少 1,048,576 行 × 16,384 列"):
        check_workbook(_sheet_book(tmp_path, '<x:row r="1"><x:c r="XFD1048576"/></x:row>'))
    with pytest.raises(UnsafeFileError, match="至少 2,000,000 行"):
        check_workbook(_sheet_book(tmp_path, '<x:row r="2000000"><x:c r="A2000000"/></x:row>', "rows.xlsx"))


def _part_offsets(path, part: str) -> tuple[int, int, int]:
    """(start of the part's compressed bytes, their length, offset of its central directory entry)."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    names = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    central = data.find(b"PK\x01\x02")  # the first central directory entry, then on to the part's
    while data[central + 46 : central + 46 + len(part)] != part.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    return info.header_offset + 30 + sum(names), info.compress_size, central


def _damaged(tmp_path, how: str):
    path = _sheet_book(tmp_path, _filler(3000), name=f"{how}.xlsx")
    data = bytearray(path.read_bytes())
    start, size, central = _part_offsets(path, hostile_files.SHEET)
    if how == "flipped":  # a byte of the deflate stream changed
        data[start + size // 2] ^= 0xFF
    elif how == "zeroed":  # the stream replaced by zeros
        data[start : start + size] = bytes(size)
    elif how == "crc":  # the directory's CRC-32 no longer that of the content
        data[central + 16] ^= 1
    elif how == "smaller":  # the directory says the part is 10 bytes shorter than it inflates
        struct.pack_into("<I", data, central + 24, struct.unpack("<I", data[central + 24 : central + 28])[0] - 10)
    elif how == "cut":  # the stream's last bytes missing
        data[start + size - 200 : start + size] = bytes(200)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("isal", [True, False])
@pytest.mark.parametrize("how", ["flipped", "zeroed", "crc", "smaller", "cut"])
def test_a_damaged_part_is_refused_with_the_chinese_line(tmp_path, monkeypatch, how, isal):
    """With ISA-L or zlib inflating: one line naming the file, never zlib's own error."""
    if not isal:
        monkeypatch.setattr(zip_parts, "isal", None)
    path = _damaged(tmp_path, how)
    with pytest.raises(UnsafeFileError) as info:
        check_workbook(path)
    assert str(info.value) == f"文件 {how}.xlsx: 工作簿已损坏, 无法读取 (BadZipFile)"


ZIPPED = [name for name, (_, file_name, _) in hostile_files.FILES.items() if file_name.endswith((".xlsx", ".xlsm"))]


def _decision(path):
    try:
        return check_workbook(path)
    except UnsafeFileError as exc:
        return str(exc)


def test_isal_and_zlib_decide_every_hostile_workbook_alike(tmp_path, monkeypatch):
    decided = {}
    for name in ZIPPED:
        _, file_name, build = hostile_files.FILES[name]
        decided[name] = _decision(build(tmp_path / file_name))
    monkeypatch.setattr(zip_parts, "isal", None)
    assert {name: _decision(tmp_path / hostile_files.FILES[name][1]) for name in ZIPPED} == decided
    assert decided["zip_bomb"].endswith("可能是压缩炸弹") and decided["unplaced_cells"].endswith("另存为 .xlsx")
    assert decided["macros"] == ["工作簿含宏 (VBA): 只读取数据, 不会运行宏"]


def test_an_encrypted_part_is_refused_with_the_chinese_line(tmp_path):
    """A zip whose part carries the 'encrypted' flag: zipfile would raise a RuntimeError
    asking for a password; the check refuses the file first, naming the part."""
    path = tmp_path / "enc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(path.read_bytes())
    data[data.find(b"PK\x03\x04") + 6] |= 1  # general-purpose flag bit 0, local header
    data[data.find(b"PK\x01\x02") + 8] |= 1  # and central directory
    path.write_bytes(bytes(data))
    with pytest.raises(UnsafeFileError, match=r"已加密 \(xl/workbook.xml\)"):
        check_workbook(path)
