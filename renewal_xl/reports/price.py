"""The priced register (`renewal-xl price`): every register column as written, then the
renewal quote of the row and its breakdown (tariff manual §3–§7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.columns import REGISTER
from renewal_xl.io.register import Register
from renewal_xl.money import COEF
from renewal_xl.pricing.breakdown import TOTAL_LABEL
from renewal_xl.pricing.price import ITEM_CODES, ITEM_COLUMNS, Priced
from renewal_xl.readers import Errors, dates, numbers
from renewal_xl.reports.spec import Page, Report, Sheet, Table
from renewal_xl.reports.tables import FORMATS, convert
from renewal_xl.tariff.coverage import ITEMS

PRICE_SHEET = "续保报价"
ERROR_HEADER = "报价说明"  # the quote column holding why a row failed ('' when it priced)
DATE_KEYS = ("start_date", "end_date", "first_registration")
NUMBER_KEYS = ("premium", "new_car_price", "seats", "deductible", "claim_free_years", "claims", "commission_rate")
MONEY_KEYS = ("premium", "new_car_price")


def _typed(values: pd.Series, key: str) -> pd.Series:
    """Register cells as numbers or dates where they read as such, else as written (in a
    date column as text: a number there would show as a nonsense date). A column that reads
    whole stays a float or ``datetime64`` column, blanks NaN or NaT (the writers take it a
    column at a time); in a column with cells that do not read, dates are ``datetime.date``."""
    errors = Errors(len(values))
    raw = values.reset_index(drop=True)  # as read: a typed column takes the readers' typed path
    if key in DATE_KEYS:
        parsed = dates(raw, key, errors)
        good = errors.ok & ~np.isnat(parsed)
    else:
        parsed = numbers(raw, key, errors, default=np.nan)
        good = errors.ok & np.isfinite(parsed)
    empty = (raw == "").to_numpy(dtype=bool) if not pd.api.types.is_numeric_dtype(raw.dtype) else False
    if (good | raw.isna().to_numpy() | empty).all():
        return pd.Series(parsed)  # NaN or NaT where blank
    out = parsed.astype(object)
    kept = raw[~good].astype(object)
    if key in DATE_KEYS:
        kept = kept.map(lambda v: v if v is None or isinstance(v, str) or v != v else str(v))
    out[~good] = kept.to_numpy()
    return pd.Series(out, dtype=object)


def price_report(read: Register, priced: Priced) -> Report:
    """The register ``read`` (canonical keys; other columns kept, the columns it lacked left
    out) with the renewal quote columns."""
    data: dict[str, object] = {}
    formats: dict[str, str] = {}
    register = read.frame
    for key in register.columns:
        header = REGISTER.get(key, str(key))
        if key in read.added_columns:
            continue
        values = register[key]
        if key in DATE_KEYS or key in NUMBER_KEYS:
            values = _typed(values, key)
            if key in DATE_KEYS:
                formats[header] = FORMATS["date"]
            elif key in MONEY_KEYS:
                formats[header] = FORMATS["fen"]
            elif key == "commission_rate":
                formats[header] = FORMATS["rate"]  # a fraction, shown as the templates show it (10.00%)
        data[header] = values.reset_index(drop=True)  # as read: no conversion of text to another string type
    for header, (kind, values, shown) in quote_columns(priced).items():
        if header in data:
            header = f"{header}(续保)"
        if kind == "fen":
            data[header] = np.where(shown, convert(pd.Series(values), "fen").to_numpy(), np.nan)
            formats[header] = FORMATS["fen"]
        elif kind == "coef":
            data[header] = np.where(shown, values / 10**COEF, np.nan)
            formats[header] = "0.00##"
        else:
            data[header] = values
    frame = pd.DataFrame(data, index=range(len(register)))
    failed = int((~priced.ok).sum())
    notes = [f"{len(frame)} 行保单的续保报价 (同险种、起保日 = 终保日次日); 报价失败 {failed} 行 (见 报价说明)"]
    page = Page(repeat_columns=1)  # 保单号 on every page of the sheet's several pages wide
    return Report([Sheet(PRICE_SHEET, [Table(frame, formats=formats)], notes=notes, page=page)])


def quote_columns(priced: Priced) -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """The quote columns added to the register: header → (kind, values, shown). Kinds:
    ``fen`` (money in fen), ``coef`` (ten-thousandths), ``text``; ``shown`` is False where
    the row failed or lacks the coverage (the cell stays blank). One list for the workbook
    and the Parquet output."""
    ok = priced.ok
    columns = {
        "续保报价": ("fen", priced.money["premium"], ok),
        "代金券": ("fen", priced.money["voucher"], ok),
        "无赔款优待系数": ("coef", priced.ncd, ok),
        "实际价值": ("fen", priced.money["actual_value"], ok),
        "车损保险金额": ("fen", priced.money["insured_amount"], ok & priced.present["insured_amount"]),
    }
    for column, code in zip(ITEM_COLUMNS, ITEM_CODES):
        columns[ITEMS[code][0]] = ("fen", priced.money[column], ok & priced.present[column])
    columns["免费附加险减免"] = ("fen", priced.money["waived"], ok)
    columns[TOTAL_LABEL] = ("fen", priced.money["total"], ok)
    columns["费率表"] = ("text", priced.tariff_id, ok)
    columns[ERROR_HEADER] = ("text", np.array(["" if e is None else str(e) for e in priced.errors], dtype=object), ok)
    return columns
