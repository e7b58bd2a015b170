"""Inputs for the benchmarks, generated once and cached in ``bench/.cache``.

Registers come from the demo generator (``renewal_xl.cli.demo.generate``, fixed seed); the
.xlsx files are written with XlsxWriter in constant-memory mode, which is only a fast way
to make a large input here (renewal-xl itself never needs it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from renewal_xl.cli.demo import generate
from renewal_xl.columns import REGISTER
from renewal_xl.io.register import REGISTER_SHEET

CACHE = Path(__file__).resolve().parent / ".cache"
AS_OF = dt.date(2026, 11, 24)
SEED = 7


def register(rows: int) -> pd.DataFrame:
    """A register of ``rows`` policies (canonical keys), cached as a pickle."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"register-{rows}.pkl"
    if not path.exists():
        reg, _ = generate(rows, AS_OF, SEED)
        reg.to_pickle(path)
    return pd.read_pickle(path)


def register_xlsx(rows: int, extra: int = 0) -> Path:
    """The register of ``rows`` policies as an .xlsx with Chinese headers, cached; with
    ``extra`` more text columns of the user's own right of the register's (notes no job
    reads: ``备注1`` …, ``客户备注 …`` in every row)."""
    path = CACHE / (f"register-{rows}.xlsx" if not extra else f"register-{rows}-wide{extra}.xlsx")
    if path.exists():
        return path
    import xlsxwriter

    reg = register(rows)
    temp = path.with_suffix(".tmp.xlsx")
    book = xlsxwriter.Workbook(str(temp), {"constant_memory": True})
    ws = book.add_worksheet(REGISTER_SHEET)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    width = len(reg.columns)
    ws.write_row(0, 0, [REGISTER[k] for k in reg.columns] + [f"备注{j + 1}" for j in range(extra)])
    date_columns = {i for i, k in enumerate(reg.columns) if k in ("start_date", "end_date", "first_registration")}
    for r, values in enumerate(reg.itertuples(index=False, name=None), start=1):
        for c, v in enumerate(values):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if c in date_columns:
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
            else:
                ws.write(r, c, v)
        for j in range(extra):
            ws.write_string(r, width + j, f"客户备注 {j + 1}-{r % 997}")
    book.close()
    temp.replace(path)
    return path


def formula_book(rows: int) -> Path:
    """A register sheet with one ``RENEWAL_PREMIUM`` formula per row (quote inputs in
    columns), as users keep in Excel, for recalculation through LibreOffice."""
    path = CACHE / f"formulas-{rows}.xlsx"
    if path.exists():
        return path
    import xlsxwriter

    from renewal_xl.dates import months_between_arrays

    reg = register(rows)
    start = reg["start_date"].to_numpy().astype("datetime64[D]")
    months = months_between_arrays(reg["first_registration"].to_numpy().astype("datetime64[D]"), start)
    temp = path.with_suffix(".tmp.xlsx")
    book = xlsxwriter.Workbook(str(temp), {"constant_memory": True})
    ws = book.add_worksheet(REGISTER_SHEET)
    ws.write_row(
        0, 0, ["新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数", "绝对免赔额", "保费"]
    )
    for r, (price, age, seats, cover, free, claims, ded) in enumerate(
        zip(
            reg["new_car_price"],
            months,
            reg["seats"],
            reg["coverage"],
            reg["claim_free_years"],
            reg["claims"],
            reg["deductible"],
        ),
        start=1,
    ):
        ws.write_row(
            r, 0, [float(price), int(age), int(seats), str(cover), int(free), 0 if free else int(claims), int(ded)]
        )
        ws.write_formula(r, 7, f"=RENEWAL_PREMIUM(A{r + 1},B{r + 1},C{r + 1},D{r + 1},E{r + 1},F{r + 1},G{r + 1})")
    book.close()
    temp.replace(path)
    return path
