"""The renewal quote of a register row (renewal-workflow §2).

Same coverage, deductible, seats and imported flag; vehicle age = whole months from
first_registration to end_date + 1 day; claim-free years + 1 when the term had no claims,
else 0; claims last year = the term's claims; coefficients 1; is_renewal yes;
policy_start = end_date + 1 day. Register errors (a bad date, claims) name the register
column; the rest are the pricing errors of :mod:`renewal_xl.pricing.price`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.dates import months_between_arrays
from renewal_xl.pricing.options import RetentionOptions, retention_options
from renewal_xl.pricing.price import MAX_COUNT, Priced, price_arrays
from renewal_xl.readers import Errors, dates, whole_numbers


def renewal_quotes(register: pd.DataFrame, errors: Errors) -> pd.DataFrame:
    """Quote inputs for renewing each row of ``register`` (canonical column keys)."""
    n = len(register)
    reg = register.reset_index(drop=True)

    def col(name: str) -> pd.Series:
        return reg[name] if name in reg.columns else pd.Series([None] * n, dtype=object)

    end = dates(col("end_date"), "end_date", errors)
    first = dates(col("first_registration"), "first_registration", errors)
    claims = whole_numbers(col("claims"), "claims", errors, 0, MAX_COUNT, default=0, unit=" 次")
    free = whole_numbers(col("claim_free_years"), "claim_free_years", errors, 0, MAX_COUNT, default=0, unit=" 年")
    start = end + np.timedelta64(1, "D")
    ok = ~np.isnat(end) & ~np.isnat(first)
    errors.add(ok & (first > start), "first_registration", col("first_registration"), "晚于续保起保日")
    months = np.where(ok, months_between_arrays(np.where(ok, first, start), np.where(ok, start, start)), 0)
    return pd.DataFrame(
        {
            "new_car_price": col("new_car_price"),
            "vehicle_age_months": months,
            "seats": col("seats"),
            "coverage": col("coverage"),
            "claim_free_years": np.where(claims == 0, free + 1, 0),
            "claims_last_year": claims,
            "deductible": col("deductible"),
            "imported": col("imported"),
            "is_renewal": True,
            "policy_start": pd.Series(start),
        }
    )


def price_renewals(register: pd.DataFrame, **options) -> Priced:
    """Price the renewal quote of every register row; a bad row gets its first error."""
    errors = Errors(len(register))
    quotes = renewal_quotes(register, errors)
    return price_arrays(quotes, errors=errors, **options)


def renewal_options(register: pd.DataFrame, **options) -> tuple[pd.DataFrame, RetentionOptions]:
    """The renewal quote inputs of every register row and their retention options (tariff
    manual §12); ``.base`` of the options is the renewal quote itself."""
    errors = Errors(len(register))
    quotes = renewal_quotes(register, errors)
    return quotes, retention_options(quotes, errors=errors, **options)
