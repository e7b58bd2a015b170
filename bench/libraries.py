"""Readers and writers of register-shaped .xlsx compared in one run (CPU seconds, min of
``--repeat``): the data behind the choice of writer in ``renewal_xl/render/arrow_writer.py``.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/libraries.py --rows 20000

The cells are the bench register (``bench/data.py``: 22 columns, 13 of Chinese text, 3 of
dates, numbers) plus the 8 quote columns of a priced register. Libraries not installed are
left out. What each writer keeps of what report sheets need is listed after the timings
(from each binding's API as installed; a reason why some are only floors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

# what report sheets need, and which writer's API offers it (checked against the installed bindings)
FEATURES = {
    "number formats, bold/shaded headers": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"},
    "quote prefix (text never a formula)": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter"},
    "freeze panes, autofilter": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"},
    "page setup, print titles, header/footer": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter"},
    "data validation drop-downs": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"},
    "Excel tables, conditional formats": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"},
    "charts": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"},
    "sheet-scoped defined name (the marker)": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter"},
    "constant memory": {"xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter"},
    "edit an existing workbook": {"openpyxl"},
}


def frame(rows: int) -> pd.DataFrame:
    reg = data.register(rows)
    for k in range(8):
        reg[f"quote{k}"] = np.round(reg["premium"].astype(float) * (0.5 + k / 10), 2)
    return reg


def cpu(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        runs.append(time.process_time() - start)
    return min(runs)


def writers(reg: pd.DataFrame, out: Path) -> dict:
    rows = list(reg.itertuples(index=False, name=None))
    dates = {j for j, c in enumerate(reg.columns) if c in ("start_date", "end_date", "first_registration")}
    found = {}

    def xlsxwriter_write():
        import xlsxwriter

        book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        ws, date = book.add_worksheet("s"), book.add_format({"num_format": "yyyy-mm-dd"})
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if j in dates and v is not None:
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), date)
                elif isinstance(v, str):
                    ws.write_string(i, j, v)
                elif v is not None and v == v:
                    ws.write_number(i, j, float(v))
        book.close()

    found["xlsxwriter"] = xlsxwriter_write

    def openpyxl_write():
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        ws = book.create_sheet("s")
        for row in rows:
            ws.append([None if isinstance(v, float) and v != v else v for v in row])
        book.save(out)

    found["openpyxl"] = openpyxl_write
    try:
        import pyarrow as pa

        table = pa.Table.from_pandas(reg.astype({c: "datetime64[ms]" for c in reg.columns[list(dates)]}))
    except ImportError:
        return found
    try:
        import rvgsrust_xlsxwriter as rx

        def rust_write():
            book = rx.Workbook()
            book.add_worksheet("s", constant_memory=True).write_dataframe(0, 0, table)
            book.close(str(out))

        found["rvgsrust-xlsxwriter"] = rust_write
    except ImportError:
        pass
    try:
        import jetxl

        found["jetxl"] = lambda: jetxl.write_sheet_arrow(table, str(out), sheet_name="s")
    except ImportError:
        pass
    return found


def readers(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    found = {
        "python-calamine (to_python)": lambda: CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    }
    try:
        import fastexcel

        found["fastexcel (Arrow)"] = lambda: fastexcel.read_excel(str(path)).load_sheet(0).to_arrow()
    except ImportError:
        pass

    def openpyxl_read():
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()

    found["openpyxl (read-only)"] = openpyxl_read
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    reg = frame(args.rows)
    cells = int(reg.notna().to_numpy().sum())
    print(f"# {args.rows:,} rows × {reg.shape[1]} columns, {cells:,} non-empty cells; CPU s, min of {args.repeat}")
    print("| writer | CPU s | cells/s | × XlsxWriter |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "w.xlsx"
        times = {name: cpu(fn, args.repeat) for name, fn in writers(reg, out).items()}
        for name, t in times.items():
            print(f"| {name} | {t:.2f} | {cells / t:,.0f} | {t / times['xlsxwriter']:.3f} |")
        path = data.register_xlsx(args.rows)
        print("\n| reader | CPU s | rows/s | × calamine |\n|---|---|---|---|")
        times = {name: cpu(fn, args.repeat) for name, fn in readers(path).items()}
        base = times["python-calamine (to_python)"]
        for name, t in times.items():
            print(f"| {name} | {t:.2f} | {args.rows / t:,.0f} | {t / base:.2f} |")
    names = ["xlsxwriter", "openpyxl", "rvgsrust-xlsxwriter", "jetxl"]
    print("\n| what report sheets need | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for feature, having in FEATURES.items():
        print(f"| {feature} | " + " | ".join("yes" if n in having else "no" for n in names) + " |")


if __name__ == "__main__":
    main()
