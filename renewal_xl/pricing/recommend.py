"""Package recommendation (tariff manual §10): which of the four packages suits a customer.

>>> from renewal_xl.tariff import default_tariff
>>> recommend(default_tariff(), "PERSONAL", 10, 150000, 30, "MEDIUM")
'ECONOMY'
"""

from __future__ import annotations

import numpy as np

from renewal_xl.errors import InputError
from renewal_xl.tariff import Tariff

CUSTOMER_TYPES = {"个人": "PERSONAL", "企业": "COMPANY", "大型企业": "LARGE_COMPANY", "机关事业": "GOVERNMENT"}
SENSITIVITIES = {"高": "HIGH", "中": "MEDIUM", "低": "LOW"}


def customer_type_code(value: object) -> str:
    """Code of a customer type given in Chinese or English (any case)."""
    return _code(value, CUSTOMER_TYPES, "customer_type")


def sensitivity_code(value: object) -> str:
    """Code of a price sensitivity given in Chinese or English (any case)."""
    return _code(value, SENSITIVITIES, "price_sensitivity")


def _code(value: object, names: dict[str, str], field: str) -> str:
    text = "" if value is None else str(value).strip()
    codes = set(names.values())
    if text in names:
        return names[text]
    if text.upper() in codes:
        return text.upper()
    raise InputError(field, value, "可选: " + " ".join(f"{zh}/{en}" for zh, en in names.items()))


def recommend(
    t: Tariff, customer_type: str, driving_years: float, new_car_price: float, vehicle_age_months: int, sensitivity: str
) -> str:
    """Package code, rules in order: government or large company → COMPLETE; new driver
    with a new high-end car → COMPLETE; high price sensitivity → BASIC; individual with
    medium sensitivity → ECONOMY; otherwise COMPREHENSIVE. Codes as returned by
    :func:`customer_type_code` and :func:`sensitivity_code`."""
    p = t.param
    if customer_type in ("GOVERNMENT", "LARGE_COMPANY"):
        return "COMPLETE"
    if (
        driving_years < p("recommend_new_driver_years")
        and vehicle_age_months < p("recommend_new_vehicle_months")
        and new_car_price >= p("recommend_high_end_price")
    ):
        return "COMPLETE"
    if sensitivity == "HIGH":
        return "BASIC"
    if customer_type == "PERSONAL" and sensitivity == "MEDIUM":
        return "ECONOMY"
    return "COMPREHENSIVE"


REGISTER_SENSITIVITY = "MEDIUM"  # the register has no price sensitivity: 中 is assumed


def recommend_rows(
    t: Tariff, customer_type: np.ndarray, driving_years: np.ndarray, new_car_price: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """Chinese package name per register row (:func:`recommend` with sensitivity
    :data:`REGISTER_SENSITIVITY`); a blank 驾龄 (NaN) never counts as a new driver; '' when
    the customer type or the price is unknown (``check`` lists those cells)."""
    names = {p.code: p.name_zh for p in t.packages}
    out = np.full(len(customer_type), "", dtype=object)
    for i, kind in enumerate(customer_type):
        try:
            code = customer_type_code(kind)
        except InputError:
            continue
        if not np.isfinite(new_car_price[i]):
            continue
        years = driving_years[i] if np.isfinite(driving_years[i]) else np.inf
        out[i] = names[recommend(t, code, years, new_car_price[i], int(months[i]), REGISTER_SENSITIVITY)]
    return out
