"""The register as typed policy columns, the common input of every workflow step.

:func:`read_policies` reads a canonical register (see :mod:`renewal_xl.io.register`) once,
vectorized. A row the workflow cannot place is left out and counted: blank policy number
or VIN, unreadable start or end date, start after end, or a policy number already seen
higher up (the first row of a policy number wins; ``check`` lists the duplicates). Other
bad cells keep the row; the first such problem is in ``error``.

Units: money in fen (int64), dates ``datetime64[D]``. VINs are compared upper-case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from renewal_xl.errors import SourceError, show_value
from renewal_xl.folding import code_array, per_text
from renewal_xl.io.register import Register
from renewal_xl.money import CENTS, to_scaled_array
from renewal_xl.pricing.commission import read_channels
from renewal_xl.pricing.price import MAX_COUNT
from renewal_xl.readers import (
    Errors,
    dates,
    distinct_texts,
    dominant_error,
    numbers,
    text_column,
    texts_at,
    upper_texts,
    whole_numbers,
    yes_no,
)
from renewal_xl.tariff import Tariff
from renewal_xl.vocabulary import FIELDS, label

# register keys every workflow step needs
KEY_COLUMNS = ("policy_no", "vin", "start_date", "end_date")
BASE_COLUMNS = (*KEY_COLUMNS, "premium", "salesperson", "agency", "channel")
TEXT_COLUMNS = ("plate", "customer", "phone", "salesperson", "agency", "branch", "delivery")
NO_AGENCY = "(直销/无)"  # group label of business without an agency code
DELIVERY_METHODS = FIELDS["delivery"].choices  # 送单方式 (programme 四.3)
NO_DELIVERY = "未指定"  # 送单方式 left blank


@dataclass
class Policies:
    """Typed policies (``table``, RangeIndex; ``row`` = sheet row number) and the
    register rows they came from (:attr:`register`, same index); ``skipped`` counts the rows
    left out. ``source`` is the register as read and ``kept`` the positions of its rows the
    policies are (None: every row), so a step that needs a few register rows
    (:meth:`register_rows`) takes only those, not a copy of 10^6 rows less the skipped."""

    table: pd.DataFrame
    source: pd.DataFrame
    skipped: int
    kept: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.table)

    @cached_property
    def register(self) -> pd.DataFrame:
        """The register rows of the policies, in their order (RangeIndex)."""
        return self.source.reset_index(drop=True) if self.kept is None else self.register_rows(np.arange(len(self)))

    def register_rows(self, positions: np.ndarray) -> pd.DataFrame:
        """``register.iloc[positions]`` (RangeIndex), taken from the source at once."""
        rows = positions if self.kept is None else self.kept[positions]
        return self.source.iloc[rows].reset_index(drop=True)


def read_policies(read: Register, t: Tariff) -> Policies:
    """Typed columns of the register ``read`` (its frame with canonical keys, index = sheet
    rows, every column of :data:`~renewal_xl.columns.REGISTER` present as
    :func:`~renewal_xl.io.register.tidy` leaves it).

    ``table`` columns: row, policy_no, vin, plate, customer, phone, salesperson, agency,
    branch (机构), delivery (送单方式) (text, '' when blank), channel (tariff code, '' when unknown), channel_name (Chinese
    name or the text as written), start, end (datetime64[D]), premium (fen, 0 when
    unreadable), vip (bool), claims (whole number, 0 when unreadable), error (first
    problem of the row's other cells, '' when none).
    """
    register = read.frame
    n = len(register)
    key = Errors(n)
    soft = Errors(n)
    col = {name: register[name].reset_index(drop=True) for name in register.columns}
    policy_no = text_column(col["policy_no"], "policy_no", key)
    vin = upper_texts(text_column(col["vin"], "vin", key))
    start = dates(col["start_date"], "start_date", key)
    end = dates(col["end_date"], "end_date", key)
    key.add(~np.isnat(start) & ~np.isnat(end) & (start > end), "start_date", col["start_date"], "晚于终保日期")
    table = {"row": register.index.to_numpy(dtype=np.int64), "policy_no": policy_no, "vin": vin}
    refuse_unusable(key.array(), read)
    for name in TEXT_COLUMNS:  # kept as the frame keeps text, a column at a time: no Python str per cell left alive
        table[name] = text_column(col[name], name, soft, required=False)
    place, agencies = distinct_texts(table["agency"])
    table["agency"] = texts_at(code_array(agencies), place)  # agency codes match in any case (ag001 = AG001)
    # channels: read once per distinct text (a channel column holds a few), taken back per row
    place, written = distinct_texts(text_column(col["channel"], "channel", soft, required=False))
    channel_errors = Errors(len(written))
    codes = read_channels(pd.Series(written, dtype=object), "channel", channel_errors, t)
    known = channel_errors.ok & (written != "")
    names = {c.code: c.name_zh for c in t.channels.values()}
    table["channel"] = texts_at(np.where(known, codes, ""), place)
    table["channel_name"] = texts_at(np.where(known, per_text(codes, names.__getitem__), written), place)
    table["start"] = start
    table["end"] = end
    premium = numbers(col["premium"], "premium", soft)
    soft.add(np.isfinite(premium) & (premium <= 0), "premium", col["premium"], "须大于 0")
    table["premium"] = to_scaled_array(np.where(np.isfinite(premium) & (premium > 0), premium, 0.0), CENTS)
    table["vip"] = yes_no(col["vip"], "vip", soft, default=False)
    table["claims"] = whole_numbers(col["claims"], "claims", soft, 0, MAX_COUNT, default=0, unit=" 次")
    for i in np.flatnonzero(~channel_errors.ok[place]):
        soft.add_error(i, channel_errors.at(place[i]))
    table["error"] = soft.messages()
    frame = pd.DataFrame(table)
    usable = key.ok
    repeated = np.zeros(n, dtype=bool)  # a policy number of a usable row seen higher up
    repeated[usable] = seen_higher_up(pd.factorize(policy_no[usable])[0])
    keep = usable & ~repeated
    every = bool(keep.all())  # the usual case: no copy of the table
    return Policies(
        table=(frame if every else frame[keep]).reset_index(drop=True),
        source=register,
        skipped=int(n - keep.sum()),
        kept=None if every else np.flatnonzero(keep),
    )


def seen_higher_up(codes: np.ndarray) -> np.ndarray:
    """True where a code appeared higher up, for codes numbered in order of first appearance
    (``pd.factorize``): a code's first row is the one where it exceeds every code above.

    >>> seen_higher_up(np.array([0, 1, 0, 2, 1])).tolist()
    [False, False, True, False, True]
    """
    above = np.concatenate(([-1], np.maximum.accumulate(codes)))[:-1]  # the largest code above each row
    return codes <= above


def refuse_unusable(errors: np.ndarray, register: Register) -> None:
    """Stop (SourceError naming the column, an example value and what is expected) when
    one column leaves more than half of the rows unusable (``errors``: the first error of
    each row, None where fine): such a run would otherwise report an empty list with exit 0
    (dates as ``05/12/2025``, formulas never calculated)."""
    found = dominant_error(errors)
    if found is None:
        return
    error, count, first = found
    raise SourceError(
        register.origin,
        error.field,
        error.value,
        f"列 {label(error.field)}({error.field}) 在 {count}/{len(register.frame)} 行无法使用, "
        f"如第 {register.frame.index[first]} 行 {show_value(error.value)}: {error.reason}",
    )


def agency_label(agency: pd.Series) -> pd.Series:
    """Agency code for grouping; business without one is grouped as :data:`NO_AGENCY`."""
    return agency.where(agency != "", NO_AGENCY)
