"""A worksheet part too large for one read is left by the pre-flight to the row slices' read,
which checks each slice's bytes before fastexcel parses that slice: the part is inflated
once (not once for the check and once for the slices), a file whose slices were all read
has passed, and a hostile cell stops the read before its slice is parsed."""

from __future__ import annotations

import re
import zipfile

import pytest
from registers import register_book

from renewal_xl.io import arrow_sheet, register, safety, sheet_copy, zip_parts
from renewal_xl.io.safety import UnsafeFileError

PART = "xl/worksheets/sheet1.xml"
SLICE = 4000  # bytes of sheet XML per slice: the register below is cut about ten times


def _register(path):
    return register_book(path, 120, 5)


@pytest.fixture
def small_slices(monkeypatch):
    monkeypatch.setattr(arrow_sheet, "SLICE_BYTES", SLICE)
    monkeypatch.setattr(register, "SLICE_BYTES", SLICE)
    monkeypatch.setattr(sheet_copy, "CHUNK", 256)  # inflated and checked a few rows at a time


@pytest.fixture
def inflates(monkeypatch):
    """The parts opened through zip_parts (the pre-flight and the slices), in order."""
    opened: list[str] = []
    real = zip_parts.open_part

    def spy(archive, info):
        opened.append(info.filename)
        return real(archive, info)

    monkeypatch.setattr(zip_parts, "open_part", spy)
    return opened


def test_the_part_is_inflated_once_and_read_as_with_the_check_first(tmp_path, small_slices, inflates, monkeypatch):
    path = _register(tmp_path / "r.xlsx")
    got = register.read_register(path)
    assert inflates.count(PART) == 1  # by the slices; the pre-flight left it to them
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(PART).file_size > 5 * SLICE
    checked = []
    monkeypatch.setattr(safety, "_check_part", lambda p, a, info: checked.append(info.filename))
    assert safety.check_file(path) == []  # the slices read the part to its end: the file has passed
    assert checked == []

    again = tmp_path / "again.xlsx"
    again.write_bytes(path.read_bytes())
    monkeypatch.undo()  # slices of 128 MiB: one read of the whole, the check first
    want = register.read_register(again)
    assert got.frame.equals(want.frame) and got.warnings == want.warnings and got.header_row == want.header_row


def _hostile(path, cell: bytes):
    """The register with ``cell`` put into its last data row."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts[PART]
    at = sheet.rfind(b"</row>")
    parts[PART] = sheet[:at] + cell + sheet[at:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_hostile_cell_in_a_late_slice_is_refused_before_that_slice_is_parsed(tmp_path, small_slices, monkeypatch):
    path = _hostile(_register(tmp_path / "r.xlsx"), b'<c r="XFD1048576"><v>1</v></c>')
    parsed: list[bytes] = []
    load = arrow_sheet._load

    def spy(p, *a, **k):
        with zipfile.ZipFile(p) as z:
            parsed.append(z.read(PART))
        return load(p, *a, **k)

    monkeypatch.setattr(arrow_sheet, "_load", spy)
    with pytest.raises(UnsafeFileError) as refused:
        register.read_register(path)
    with pytest.raises(UnsafeFileError) as checked:
        safety.check_file(tmp_path / "r.xlsx")  # the same file checked whole: the same refusal
    assert str(refused.value) == str(checked.value)
    assert "工作表过大" in str(refused.value)
    assert len(parsed) >= 3  # the earlier slices were read
    assert not any(b"XFD" in xml for xml in parsed)  # the slice holding the cell was not


def test_a_sheet_the_slices_cannot_cut_is_checked_whole_before_it_is_parsed(tmp_path, small_slices, monkeypatch):
    """Rows out of order: the slices stop, and the whole read (fastexcel or calamine) comes
    only after the whole part was checked."""
    path = _register(tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    rows = re.findall(rb"<row .*?</row>", parts[PART], re.S)
    swapped = parts[PART].replace(rows[5] + rows[6], rows[6] + rows[5])
    assert swapped != parts[PART]
    parts[PART] = swapped
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    events: list[str] = []
    check = safety._check_part
    monkeypatch.setattr(
        safety, "_check_part", lambda p, a, info: (events.append("check " + info.filename), check(p, a, info))
    )
    load = arrow_sheet._load
    monkeypatch.setattr(
        arrow_sheet, "_load", lambda p, *a, **k: (events.append(f"load {p == path}"), load(p, *a, **k))[1]
    )
    read = register.read_register(path)
    assert len(read.frame) == 120
    assert "load True" in events  # the file itself was read whole
    assert events.index("check " + PART) < events.index("load True")


def _slice_bytes(path) -> list[bytes]:
    width = sheet_copy.header_row(path, PART).width
    with sheet_copy.slices(path, PART, set(), width, width, SLICE) as made:
        return [piece.path.read_bytes() for piece in made.each]


def test_the_slices_crc_taken_by_isal_is_zipfiles(tmp_path, small_slices, monkeypatch):
    """The stored slices are the same bytes whether ISA-L or zlib takes their CRC-32, and
    each one's CRC is right (calamine's zip reader checks it)."""
    path = _register(tmp_path / "r.xlsx")
    fast = _slice_bytes(path)
    monkeypatch.setattr(zip_parts, "isal", None)  # as without python-isal
    plain = _slice_bytes(path)
    assert len(fast) > 5 and fast == plain
    for k, data in enumerate(fast):
        copy = tmp_path / f"slice-{k}.xlsx"
        copy.write_bytes(data)
        with zipfile.ZipFile(copy) as z:
            assert z.testzip() is None
