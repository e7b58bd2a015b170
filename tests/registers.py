"""Small hand-made registers for the workflow tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.io.register import Register, tidy
from renewal_xl.vin import with_check_digit

D = dt.date


def vin(k: int) -> str:
    """A valid VIN numbered ``k``."""
    return with_check_digit(f"LSVAU2180N{k:07d}")


def policy(no: str, v: int, start: dt.date, **fields) -> dict:
    """One register row: a one-year 经济 policy of vehicle ``v`` from ``start``."""
    end = fields.pop("end", None) or (start.replace(year=start.year + 1) - dt.timedelta(days=1))
    row = {
        "policy_no": no,
        "vin": vin(v),
        "plate": f"鄂A·{10000 + v}",
        "customer": f"客户{v}",
        "phone": f"138{v:08d}",
        "customer_type": "个人",
        "vip": "否",
        "salesperson": "王芳",
        "agency": "",
        "channel": "直销",
        "start_date": start,
        "end_date": end,
        "premium": 3000.0,
        "coverage": "经济",
        "new_car_price": 150000,
        "first_registration": D(2020, 1, 15),
        "seats": 5,
        "imported": "否",
        "deductible": 0,
        "claim_free_years": 2,
        "claims": 0,
        "commission_rate": None,
        "branch": "",
        "claims_paid": None,
        "vehicle_model": None,
        "driving_years": None,
        "delivery": "",
    }
    row.update(fields)
    return row


def register(*rows: dict) -> Register:
    """A canonical register (frame index = sheet row numbers) of ``rows``."""
    frame = pd.DataFrame(list(rows), columns=list(REGISTER)).astype(object)
    return tidy(frame, REGISTER, (), "工作表 保单台账")


def tracking(*rows: tuple) -> pd.DataFrame:
    """A canonical tracking frame of (policy_no, status, reason, next insurer, remark,
    contact date) tuples."""
    width = len(TRACKING)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], columns=list(TRACKING)).astype(object)
    return tidy(frame, TRACKING, (), "工作表 续保跟踪").frame


def register_book(path, rows: int, seed: int):
    """The demo's generated register of ``rows`` policies (``seed``) as an .xlsx at ``path``,
    sheet 保单台账, Chinese headers on row 1, dates as dates, blanks left out (XlsxWriter
    constant memory: inline strings, cells in order)."""
    import xlsxwriter

    from renewal_xl.cli.demo import generate

    reg, _ = generate(rows, dt.date(2026, 11, 24), seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("保单台账")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [REGISTER[k] for k in reg.columns])
    for r, row in enumerate(reg.itertuples(index=False), start=1):
        for c, v in enumerate(row):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
            else:
                ws.write(r, c, v)
    book.close()
    return path
