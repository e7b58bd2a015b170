"""Settings of the workflow that are not tariff data: the customer-service hotline printed
on renewal notices (programme 四: one hotline on every policy).

The hotline comes from the environment variable ``RENEWAL_XL_HOTLINE`` (or the
``--hotline`` option of ``renewal-xl renewals``, or the ``hotline`` argument of the macro).
There is deliberately no default: without a hotline no notice is written (a placeholder
could reach customers), the 续保通知 sheet says why and the run says so.
"""

from __future__ import annotations

import os

HOTLINE_ENV = "RENEWAL_XL_HOTLINE"


def hotline(given: str | None = None) -> str | None:
    """``given`` when set, else ``RENEWAL_XL_HOTLINE``, else None (blank counts as unset)."""
    return (given or os.environ.get(HOTLINE_ENV) or "").strip() or None
