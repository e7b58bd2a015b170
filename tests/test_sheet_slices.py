"""A sheet read by fastexcel in row slices (renewal_xl/io/sheet_copy.slices, joined by
renewal_xl/io/arrow_sheet.read_sheet) is the sheet read whole: the same headers, column
positions, values, value types, column dtypes and first rows, or the same refusal; rows
between slices, empty rows, a column empty in a whole slice, strict typing, shared strings,
formulas and narrowing are the cases where a slice could read differently. Slices are made
tiny here (a few rows each) so that small sheets are cut many times."""

import datetime as dt
import re
import zipfile

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registers import register_book

from renewal_xl.columns import REGISTER
from renewal_xl.io import arrow_sheet, register, sheet_copy

SHEET = "台账"
PART = "xl/worksheets/sheet1.xml"
KINDS = ["text", "number", "date", "datetime", "yes_no", "empty"]


def _value(kind: str, r: int, c: int):
    if kind == "text":
        return f"客户{c}-{r % 13} "
    if kind == "number":
        return r * 1.25 - c
    if kind == "date":
        return dt.datetime(2026, 1 + r % 12, 1 + r % 28)
    if kind == "datetime":
        return dt.datetime(2026, 1 + r % 12, 1 + r % 28, r % 24, 30)
    if kind == "yes_no":
        return r % 3 == 0
    return None


def _book(path, kinds, rows, blank, *, inline=True, formulas=False, odd=None):
    """A sheet with a header ``列{c}`` per column of ``kinds`` and ``rows`` data rows;
    ``blank(r, c)`` leaves a cell out (a row of blanks only is not written at all, so the
    sheet's row numbers jump). ``odd``: (row, column) of a text cell in a column of another
    kind (strict typing refuses such a sheet)."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    ws = book.add_worksheet(SHEET)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for c in range(len(kinds)):
        ws.write_string(0, c, f"列{c}")
    for r in range(1, rows + 1):
        for c, kind in enumerate(kinds):
            v = _value(kind, r, c)
            if (r, c) == odd:
                ws.write_string(r, c, "不是数字")
            elif v is None or blank(r, c):
                continue
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date)
            elif formulas and kind == "text":
                ws.write_formula(r, c, f'="{v}"', None, v)
            else:
                ws.write(r, c, v)
    book.close()
    return path


def _sliced(path, wanted=None, *, size=600, arrow=True, head_rows=5):
    """``read_sheet`` with slices of about ``size`` bytes of XML, and the paths fastexcel
    read."""
    seen = []
    load = arrow_sheet._load

    def spy(p, *a, **k):
        seen.append(p)
        return load(p, *a, **k)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(arrow_sheet, "SLICE_BYTES", size)
        m.setattr(sheet_copy, "CHUNK", 256)
        m.setattr(arrow_sheet, "_load", spy)
        m.setattr(arrow_sheet, "check_file", lambda p: [])  # the slices' own fallbacks, the pre-flight aside
        found = arrow_sheet.read_sheet(path, PART, SHEET, wanted, arrow=arrow, head_rows=head_rows)
    return found, seen


def _same(got, want):
    if want is None:
        assert got is None
        return
    assert got is not None
    assert got.names == want.names
    assert got.positions == want.positions
    assert got.head == want.head
    assert [type(v) for row in got.head for v in row] == [type(v) for row in want.head for v in row]
    for a, b in zip(got.columns, want.columns, strict=True):
        assert getattr(a, "dtype", None) == getattr(b, "dtype", None)
        assert list(a) == list(b)
        assert [type(v) for v in a] == [type(v) for v in b]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=6),
    rows=st.integers(0, 60),
    holes=st.sets(st.tuples(st.integers(1, 60), st.integers(0, 5)), max_size=80),
    gaps=st.sets(st.integers(1, 60), max_size=20),
    inline=st.booleans(),
    arrow=st.booleans(),
    size=st.integers(200, 3000),
)
def test_a_sliced_read_is_the_whole_read(tmp_path_factory, kinds, rows, holes, gaps, inline, arrow, size):
    """Any kinds of column, blank cells anywhere (``holes``), whole rows left out
    (``gaps``: empty rows between or at the ends of slices), inline or shared strings."""
    path = _book(
        tmp_path_factory.mktemp("s") / "r.xlsx", kinds, rows, lambda r, c: (r, c) in holes or r in gaps, inline=inline
    )
    got, seen = _sliced(path, size=size, arrow=arrow)
    _same(got, arrow_sheet.read_columns(path, SHEET, arrow=arrow, head_rows=5))


def test_many_slices_are_read_and_none_is_the_file(tmp_path):
    path = _book(tmp_path / "r.xlsx", ["text", "number", "date", "yes_no"], 200, lambda r, c: False)
    got, seen = _sliced(path)
    assert len(seen) > 10 and path not in seen
    _same(got, arrow_sheet.read_columns(path, SHEET, arrow=True, head_rows=5))
    assert len(got.columns[0]) == 200


def test_a_slice_holds_the_header_row_and_its_own_rows_only(tmp_path):
    """Structural: every slice's sheet has row 1's headers right above its own rows (no
    empty rows allocated from row 2 down), and together the slices hold every row once."""
    path = _book(tmp_path / "r.xlsx", ["text", "number"], 120, lambda r, c: False)
    import python_calamine

    ranges = []
    load = arrow_sheet._load

    def spy(p, *a, **k):
        sheet = python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_name(SHEET)
        rows = sheet.to_python()
        ranges.append((sheet.start[0], rows[0], len(rows) - 1))
        return load(p, *a, **k)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(arrow_sheet, "SLICE_BYTES", 800)
        m.setattr(sheet_copy, "CHUNK", 256)
        m.setattr(arrow_sheet, "_load", spy)
        assert arrow_sheet.read_sheet(path, PART, SHEET, arrow=True) is not None
    assert len(ranges) > 3
    assert all(header == ["列0", "列1"] for _, header, _ in ranges)
    assert sum(n for _, _, n in ranges) == 120
    starts = [start for start, _, _ in ranges]
    assert starts[0] == 0 and starts == sorted(starts) and len(set(starts)) == len(starts)


def test_a_column_empty_in_whole_slices_keeps_its_kind(tmp_path):
    """A number column with cells only in the last rows: the first slices read it as a
    column of no kind, the joined column is the whole read's float column."""
    path = _book(tmp_path / "r.xlsx", ["text", "number", "date"], 80, lambda r, c: c > 0 and r < 70)
    got, seen = _sliced(path)
    assert len(seen) > 3
    want = arrow_sheet.read_columns(path, SHEET, arrow=True, head_rows=5)
    _same(got, want)
    assert got.columns[1].iloc[-1] == 80 * 1.25 - 1


def test_empty_rows_between_slices_are_kept(tmp_path):
    """Rows 20–59 have no cells (not written): whichever slice they fall between, the read
    has them as empty rows, as the whole read does."""
    path = _book(tmp_path / "r.xlsx", ["text", "number"], 90, lambda r, c: 20 <= r < 60)
    for size in (200, 500, 900):
        got, _ = _sliced(path, size=size)
        _same(got, arrow_sheet.read_columns(path, SHEET, arrow=True, head_rows=5))
        assert len(got.columns[0]) == 90 and list(got.columns[0][19:59]) == [""] * 40


@pytest.mark.parametrize("at", [3, 150])
def test_strict_typing_refuses_as_the_whole_read_does(tmp_path, at):
    """A text cell in a number column, in the first slice or a late one: refused like the
    whole read (None: the row reader decides), without reading the file whole as well."""
    path = _book(tmp_path / "r.xlsx", ["text", "number"], 200, lambda r, c: False, odd=(at, 1))
    assert arrow_sheet.read_columns(path, SHEET, arrow=True) is None
    got, seen = _sliced(path)
    assert got is None and path not in seen


def test_a_column_of_two_kinds_across_slices_is_refused(tmp_path):
    """Dates in the first rows, numbers in the last: no slice mixes them, the whole does."""
    book = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"), {"constant_memory": True})
    ws = book.add_worksheet(SHEET)
    ws.write_row(0, 0, ["列0", "列1"])
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for r in range(1, 120):
        ws.write_string(r, 0, f"x{r}")
        if r < 60:
            ws.write_datetime(r, 1, dt.datetime(2026, 1, 1), date)
        else:
            ws.write_number(r, 1, r)
    book.close()
    path = tmp_path / "r.xlsx"
    assert arrow_sheet.read_columns(path, SHEET, arrow=True) is None
    got, seen = _sliced(path)
    assert got is None and len(seen) > 1 and path not in seen


def test_shared_strings_and_formulas(tmp_path):
    path = _book(tmp_path / "r.xlsx", ["text", "number", "text"], 150, lambda r, c: r % 7 == c, inline=False)
    got, seen = _sliced(path)
    assert len(seen) > 3
    _same(got, arrow_sheet.read_columns(path, SHEET, arrow=True, head_rows=5))
    path = _book(tmp_path / "f.xlsx", ["text", "number", "text"], 150, lambda r, c: False, formulas=True)
    got, seen = _sliced(path)
    assert len(seen) > 3
    _same(got, arrow_sheet.read_columns(path, SHEET, arrow=True, head_rows=5))


def test_narrowed_slices(tmp_path):
    """Columns not wanted are left out of every slice; the read is the whole file's read
    of the wanted columns."""
    kinds = ["text", "number", "text", "date", "text", "yes_no"]
    path = _book(tmp_path / "r.xlsx", kinds, 150, lambda r, c: r % 5 == c)

    def wanted(h):
        return h in {"列1", "列3"}

    got, seen = _sliced(path, wanted)
    assert len(seen) > 3 and path not in seen
    _same(got, arrow_sheet.read_columns(path, SHEET, wanted, arrow=True, head_rows=5))
    assert got.positions == [1, 3]


def _rewritten(path, target, change):
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == PART else data)
    return target


def test_rows_without_positions_are_read_whole(tmp_path):
    """Rows that do not say which they are: the slices cannot say where they end, so the
    file is read whole (the same result)."""
    path = _book(tmp_path / "r.xlsx", ["text", "number"], 100, lambda r, c: False)
    odd = _rewritten(path, tmp_path / "odd.xlsx", lambda x: re.sub(rb'<row r="([2-9]|\d\d+)"', b"<row", x))
    got, seen = _sliced(odd)
    want = arrow_sheet.read_columns(odd, SHEET, arrow=True, head_rows=5)
    assert want is not None
    _same(got, want)
    assert seen[-1] == odd


def test_a_register_read_in_slices_is_the_register(tmp_path):
    """Through the job's reading (`read_register`): frame, header row, warnings and
    column letters the same with slices as without."""
    path = register_book(tmp_path / "r.xlsx", 150, 7)
    whole = register.read_register(path, own_columns=False)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(arrow_sheet, "SLICE_BYTES", 2000)
        m.setattr(sheet_copy, "CHUNK", 512)
        sliced = register.read_register(path, own_columns=False)
        table = register._arrow_table(path, "保单台账", REGISTER, register._known(REGISTER))
    assert table is not None
    assert sliced.frame.equals(whole.frame)
    assert [sliced.frame[c].dtype for c in sliced.frame] == [whole.frame[c].dtype for c in whole.frame]
    assert (sliced.header_row, sliced.warnings) == (whole.header_row, whole.warnings)
