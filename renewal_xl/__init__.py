"""renewal-xl: pricing, commission and the renewal workflow of the renewal programme.

The public Python API is the names in ``__all__`` (pinned by ``tests/test_public_api.py``);
everything else is internal and may move. The layers, from the leaves up (ARCHITECTURE.md):

``errors money dates vin vocabulary`` ← ``tariff`` ← ``pricing`` ← ``workflow`` ← ``reports``
← ``app`` ← shells (``io``, ``spreadsheet``, ``calc``, ``templates``, ``cli``; ``udfs`` outside).

Names are imported on first use, so ``import renewal_xl.money`` stays cheap.

>>> import renewal_xl
>>> renewal_xl.quote(new_car_price=150000, vehicle_age_months=30, seats=5, coverage="经济",
...                  claim_free_years=2, claims_last_year=0).premium
Decimal('3253.15')
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RenewalError": "renewal_xl.errors",
    "InputError": "renewal_xl.errors",
    "TariffError": "renewal_xl.errors",
    "Tariff": "renewal_xl.tariff",
    "Catalogue": "renewal_xl.tariff",
    "load_catalogue": "renewal_xl.tariff",
    "default_tariff": "renewal_xl.tariff",
    "quote": "renewal_xl.pricing.price",
    "price_frame": "renewal_xl.pricing.price",
    "price_arrays": "renewal_xl.pricing.price",
    "Priced": "renewal_xl.pricing.price",
    "read_register": "renewal_xl.io.register",
    "read_tracking": "renewal_xl.io.register",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'renewal_xl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
