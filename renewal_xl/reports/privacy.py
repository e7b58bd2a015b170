"""Masking personal data in reports (``--mask-phones``; the macro's ``mask_phones``).

Rules, applied to every text cell and note of a report by :func:`mask_report`:

- a column headed 联系电话 is a phone number as a whole: ``13812341234`` → ``138****1234``
  (:func:`mask_phones`: first 3 and last 4 characters kept); so is
  the 值 of a data-quality row whose 列 is 联系电话;
- anywhere in text (a customer name, a remark, a notice, a column of the user's), a mobile
  number ``1[3-9]`` + 9 digits and a landline ``0xx(x)-`` + 7–8 digits keep their first 3
  and last 4 digits, and an 18-character resident ID number (6-digit region, birth date
  19xx/20xx, 3 digits, check digit 0–9/X) keeps its first 6 and last 4:
  ``110101199003074518`` → ``110101********4518``.

A number inside a longer run of digits or letters (a VIN, a policy number) is not touched.

>>> mask_text("张三 身份证110101199003074518 电话13812341234, 座机027-87654321")
'张三 身份证110101********4518 电话138****1234, 座机027****4321'
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from renewal_xl.reports.spec import Report, Sheet, Table

PHONE_HEADERS = ("联系电话",)
_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?P<id>[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])"
    r"|(?P<phone>1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})"
    r")(?![0-9A-Za-z])"
)


def mask_phones(phones: pd.Series) -> pd.Series:
    """Phone numbers with the middle hidden: ``13812341234`` → ``138****1234``; other
    numbers keep their first 3 and last 4 characters; short ones become ``****``.

    >>> mask_phones(pd.Series(["13812341234", "027-87654321", "110", ""])).tolist()
    ['138****1234', '027****4321', '****', '']
    """
    text = phones.astype(object).where(phones.notna(), "").astype(str).str.strip()
    masked = text.str[:3] + "****" + text.str[-4:]
    return masked.where(text.str.len() > 7, np.where(text == "", "", "****"))


def _masked(m: re.Match) -> str:
    text = m.group(0)
    return text[:6] + "********" + text[-4:] if m.group("id") else text[:3] + "****" + text[-4:]


def mask_text(text: str) -> str:
    """``text`` with phone and ID numbers masked (rules in the module docstring)."""
    return _PERSONAL.sub(_masked, text)


def _mask_values(values: pd.Series) -> pd.Series:
    return values.map(lambda v: mask_text(v) if isinstance(v, str) else v)


def mask_table(table: Table) -> Table:
    """A copy of ``table`` with personal data masked."""
    frame = table.frame.copy()
    for header in frame.columns:
        column = frame[header]
        if header in PHONE_HEADERS:
            frame[header] = mask_phones(column).where(column.notna(), None)
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            frame[header] = _mask_values(column)
    if {"列", "值"} <= set(frame.columns):  # a data-quality list: the value of a phone cell
        phone = frame["列"].isin(PHONE_HEADERS)
        frame.loc[phone, "值"] = mask_phones(frame.loc[phone, "值"])
    return replace(table, frame=frame, title=None if table.title is None else mask_text(table.title))


def mask_report(report: Report) -> Report:
    """A copy of ``report`` with personal data masked in every table and note."""
    return Report(
        [
            Sheet(
                s.name,
                [mask_table(t) for t in s.tables],
                notes=[mask_text(n) for n in s.notes],
                charts=s.charts,
                freeze=s.freeze,
            )
            for s in report.sheets
        ]
    )
