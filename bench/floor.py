"""Floors of the whole-register commands: the fastest reader and the fastest writer found
(``bench/libraries.py``) doing only the reading and the writing of the same cells.

Readers, fastest first: fastexcel (calamine → Arrow), python-calamine to Python objects.
Writers, fastest first: jetxl (Arrow), rvgsrust-xlsxwriter (Arrow), XlsxWriter constant memory.
Each floor uses the fastest one installed (``pip install -e '.[bench]'`` brings them all) and
says which in its label. The cells to write are taken from the command's own output, read
back before the clock starts.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path


def reader() -> str:
    try:
        import fastexcel  # noqa: F401
    except ImportError:
        return "calamine"
    return "fastexcel"


def writer() -> str:
    for name, module in (("jetxl", "jetxl"), ("rvgsrust-xlsxwriter", "rvgsrust_xlsxwriter")):
        try:
            __import__(module)
            return name
        except ImportError:
            continue
    return "xlsxwriter"


def read(path: Path) -> float:
    """CPU seconds of reading every sheet of ``path`` with the fastest reader."""
    start = time.process_time()
    if reader() == "fastexcel":
        import fastexcel

        book = fastexcel.read_excel(str(path))
        for name in book.sheet_names:
            book.load_sheet(name, header_row=None).to_arrow()
    else:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.process_time() - start


def write(source: Path, out: Path) -> float:
    """CPU seconds of writing the cells of every sheet of ``source`` again to ``out`` with the
    fastest writer (plain cells, a date format for dates)."""
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(source))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        width = max(map(len, rows), default=0)
        columns = [[r[j] if j < len(r) else None for r in rows] for j in range(width)]
        sheets.append((name, pa.table({f"c{j}": _arrow(c) for j, c in enumerate(columns)})))
    start = time.process_time()
    chosen = writer()
    if chosen == "jetxl":
        import jetxl

        jetxl.write_sheets_arrow(
            [{"data": t, "name": n, "write_header_row": False} for n, t in sheets], str(out), 1
        )  # one thread: CPU time is the clock
    elif chosen == "rvgsrust-xlsxwriter":
        import rvgsrust_xlsxwriter as rx

        wb = rx.Workbook()
        for name, table in sheets:
            wb.add_worksheet(name, constant_memory=True).write_dataframe(0, 0, table, write_header=False)
        wb.close(str(out))
    else:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        for name, table in sheets:
            ws = wb.add_worksheet(name)
            for i, row in enumerate(zip(*(c.to_pylist() for c in table.columns))):
                ws.write_row(i, 0, row)
        wb.close()
    return time.process_time() - start


def _arrow(cells: list):
    """One column as Arrow: its main kind, other cells as text (a floor keeps every cell)."""
    import pyarrow as pa

    kinds = {type(v) for v in cells if v not in (None, "")}
    if kinds and kinds <= {dt.date}:
        return pa.array([v or None for v in cells], type=pa.date32())
    if kinds <= {float, int}:
        return pa.array([None if v in (None, "") else float(v) for v in cells], type=pa.float64())
    return pa.array([None if v is None else str(v) for v in cells], type=pa.string())


def main(argv: list[str]) -> int:
    """``python bench/floor.py SOURCE OUTPUT``: the floor of one run as a program of its own,
    measured as the command is (a fresh process, the same one-thread pools as the command's
    entry point, :func:`renewal_xl.cli.entry.one_thread_pools`): prints the CPU seconds of its
    start (the interpreter and the reader's and writer's imports), of reading SOURCE and of
    writing OUTPUT's cells again. Taking OUTPUT's cells out of the file first is not counted."""
    import tempfile

    from renewal_xl.cli.entry import one_thread_pools

    one_thread_pools()
    reader(), writer()  # each imports its library
    import pyarrow  # noqa: F401  (the writers' input)

    start_time = time.process_time()  # the process's CPU so far
    source, output = map(Path, argv)
    read_time = read(source)
    with tempfile.TemporaryDirectory() as tmp:
        write_time = write(output, Path(tmp) / "floor.xlsx")
    print(f"{start_time} {read_time} {write_time}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
