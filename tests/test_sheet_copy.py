"""A job's register read from a narrowed copy (renewal_xl/io/sheet_copy.py, used by
renewal_xl/io/arrow_sheet.read_kept_columns) is the register read from the file itself:
values, types, header row, column letters and messages; fastexcel gets only the kept
columns' cells; the copy never survives the read."""

import datetime as dt
import zipfile

import pytest
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal_xl.cli.demo import generate
from renewal_xl.columns import REGISTER
from renewal_xl.errors import SourceError
from renewal_xl.io import arrow_sheet, register, sheet_copy

AS_OF = dt.date(2026, 11, 24)
SHEET = "保单台账"
KEYS = ["policy_no", "start_date", "end_date", "premium", "agency"]
DATES = {"start_date", "end_date", "first_registration"}


def _policies(rows: int):
    reg, _ = generate(rows, AS_OF, 7)
    return reg


def _write(path, reg, layout, *, inline=True, formulas=False, notes_below=0):
    """The register ``reg`` as an .xlsx whose columns are ``layout``: a register key, or
    ``"note"`` for a text column of the user's own (``备注1`` …, ``客户备注 …`` in every row).
    ``inline``: XlsxWriter's constant-memory mode (inline strings), else shared strings.
    ``formulas``: the notes are formulas with cached text. ``notes_below``: rows of notes
    only, below the policies."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    ws = book.add_worksheet(SHEET)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    notes = 0
    for c, key in enumerate(layout):
        if key == "note":
            notes += 1
            ws.write_string(0, c, f"备注{notes}")
        else:
            ws.write_string(0, c, REGISTER[key])
    for r, row in enumerate(reg.to_dict("records"), start=1):
        for c, key in enumerate(layout):
            if key == "note":
                text = f"客户备注 {c}-{r % 7}"
                if formulas:
                    ws.write_formula(r, c, f'="客户备注 {c}-{r % 7}"', None, text)
                else:
                    ws.write_string(r, c, text)
                continue
            v = row[key]
            if v is None or (isinstance(v, float) and v != v):
                continue
            if key in DATES:
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
            else:
                ws.write(r, c, v)
    for r in range(len(reg) + 1, len(reg) + 1 + notes_below):
        ws.write_string(r, layout.index("note"), "后补备注")
    book.close()
    return path


def _reads(path, monkeypatch):
    """The job's reading of ``path`` (no user columns kept) narrowed, and without the copy;
    the paths fastexcel read in the first."""
    seen = []
    read = arrow_sheet._load

    def spy(p, *a, **k):
        seen.append(p)
        return read(p, *a, **k)

    only = register._known(REGISTER)
    with monkeypatch.context() as m:
        m.setattr(arrow_sheet, "_load", spy)
        narrowed = register._arrow_table(path, SHEET, REGISTER, only)
        whole = register.read_rows(path, SHEET, first_sheet=True, columns=REGISTER, own_columns=False)
    with monkeypatch.context() as m:
        m.setattr(arrow_sheet, "NARROW_SHARE", float("inf"))
        plain = register._arrow_table(path, SHEET, REGISTER, only)
        plain_whole = register.read_rows(path, SHEET, first_sheet=True, columns=REGISTER, own_columns=False)
    return narrowed, plain, whole, plain_whole, seen


def _same(narrowed, plain, whole, plain_whole):
    assert narrowed is not None and plain is not None
    (frame, header_row, letters), (frame0, header_row0, letters0) = narrowed, plain
    assert header_row == header_row0 == 1
    assert letters == letters0
    assert list(frame.columns) == list(frame0.columns)
    for name in frame.columns:
        got, want = frame[name].tolist(), frame0[name].tolist()
        assert got == want, name
        assert [type(v) for v in got] == [type(v) for v in want], name
        assert frame[name].dtype == frame0[name].dtype, name
    assert whole.frame.equals(plain_whole.frame)
    assert (whole.origin, whole.header_row, whole.warnings) == (
        plain_whole.origin,
        plain_whole.header_row,
        plain_whole.warnings,
    )


@pytest.mark.parametrize("inline", [True, False], ids=["inline-strings", "shared-strings"])
@pytest.mark.parametrize("where", ["left", "between", "right"])
def test_a_narrowed_read_is_the_read_of_the_file(tmp_path, monkeypatch, inline, where):
    reg = _policies(300)
    keys = list(reg.columns)
    notes = ["note"] * 12
    layout = {
        "left": notes + keys,
        "between": [c for k in keys[:12] for c in (k, "note")] + keys[12:],
        "right": keys + notes,
    }[where]
    path = _write(tmp_path / "r.xlsx", reg, layout, inline=inline)
    narrowed, plain, whole, plain_whole, seen = _reads(path, monkeypatch)
    _same(narrowed, plain, whole, plain_whole)
    assert seen[0] != path  # the copy was read
    job = register.read_register(path, own_columns=False)
    with monkeypatch.context() as m:
        m.setattr(arrow_sheet, "NARROW_SHARE", float("inf"))
        assert job.frame.equals(register.read_register(path, own_columns=False).frame)
    # the letters are the sheet's: 保单号 where the layout put it
    assert narrowed[2][register._letters(layout.index("policy_no") + 1)] == REGISTER["policy_no"]


def test_formulas_in_unused_columns(tmp_path, monkeypatch):
    reg = _policies(200)
    path = _write(tmp_path / "r.xlsx", reg, [*reg.columns, *["note"] * 10], formulas=True)
    narrowed, plain, whole, plain_whole, seen = _reads(path, monkeypatch)
    _same(narrowed, plain, whole, plain_whole)
    assert seen[0] != path


def test_fastexcel_gets_only_the_kept_columns_cells(tmp_path, monkeypatch):
    """Structural: while fastexcel reads the copy, its sheet has cells below row 1 only in
    the register's columns, and no header cells right of them."""
    reg = _policies(100)
    keys = list(reg.columns)
    path = _write(tmp_path / "r.xlsx", reg, ["note", *keys, *["note"] * 12])
    cells = {}
    read = arrow_sheet._load

    def spy(p, *a, **k):
        rows = python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_name(SHEET).to_python()
        cells[p] = ({c for row in rows[1:] for c, v in enumerate(row) if v != ""}, len(rows[0]))
        return read(p, *a, **k)

    monkeypatch.setattr(arrow_sheet, "_load", spy)
    assert register._arrow_table(path, SHEET, REGISTER, register._known(REGISTER)) is not None
    [(filled, width)] = cells.values()
    assert filled <= set(range(1, 1 + len(keys)))  # column A (a note) and the notes right: no cells
    assert width == 1 + len(keys)  # the range ends at the register's last column


def test_unused_cells_below_the_policies_are_read_from_the_file(tmp_path, monkeypatch):
    """Notes in rows below the last policy make the sheet longer than the kept columns: the
    copy's read would be shorter, so the file itself is read (same register)."""
    reg = _policies(50)
    path = _write(tmp_path / "r.xlsx", reg, [*reg.columns, *["note"] * 10], notes_below=3)
    narrowed, plain, whole, plain_whole, seen = _reads(path, monkeypatch)
    _same(narrowed, plain, whole, plain_whole)
    assert seen[-1] == path


def test_few_unused_columns_are_read_from_the_file(tmp_path, monkeypatch):
    reg = _policies(50)
    path = _write(tmp_path / "r.xlsx", reg, [*reg.columns, "note"])
    narrowed, plain, whole, plain_whole, seen = _reads(path, monkeypatch)
    _same(narrowed, plain, whole, plain_whole)
    assert set(seen) == {path}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    places=st.lists(st.integers(0, len(KEYS)), min_size=2, max_size=8),
    inline=st.booleans(),
    rows=st.integers(1, 40),
)
def test_any_placement_of_unused_columns(tmp_path_factory, places, inline, rows):
    reg = _policies(rows)[KEYS]
    layout = list(KEYS)
    for p in sorted(places, reverse=True):
        layout.insert(p, "note")
    path = _write(tmp_path_factory.mktemp("p") / "r.xlsx", reg, layout, inline=inline)
    with pytest.MonkeyPatch.context() as m:
        narrowed, plain, whole, plain_whole, _ = _reads(path, m)
    _same(narrowed, plain, whole, plain_whole)


def _left_behind(folder):
    return [p for p in folder.iterdir()]


@pytest.fixture
def temp_folder(tmp_path, monkeypatch):
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(sheet_copy.tempfile, "tempdir", str(folder))
    return folder


def test_the_copy_never_survives(tmp_path, monkeypatch, temp_folder):
    reg = _policies(50)
    path = _write(tmp_path / "r.xlsx", reg, [*reg.columns, *["note"] * 10])
    made = []
    real = sheet_copy.slices

    def each(pieces):
        for piece in pieces:
            made.append(piece.path)
            assert piece.path.parent.parent == temp_folder and piece.path.exists()
            yield piece

    def spy(*a):
        with real(*a) as copies:
            copies.each = each(copies.each)
            yield copies

    monkeypatch.setattr(arrow_sheet, "slices", sheet_copy.contextmanager(spy))
    assert len(register.read_register(path, own_columns=False).frame) == 50
    assert made and _left_behind(temp_folder) == []

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(arrow_sheet, "_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        register._arrow_table(path, SHEET, REGISTER, register._known(REGISTER))
    assert _left_behind(temp_folder) == []


def test_a_damaged_sheet_leaves_no_copy(tmp_path, temp_folder):
    reg = _policies(50)
    good = _write(tmp_path / "good.xlsx", reg, [*reg.columns, *["note"] * 10])
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # cut in the middle of the rows
            zout.writestr(info.filename, data)
    with pytest.raises(SourceError):
        register.read_register(damaged, own_columns=False)
    assert _left_behind(temp_folder) == []
