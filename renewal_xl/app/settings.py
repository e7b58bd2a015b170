"""Settings of the workflow that are not tariff data: the customer-service hotline printed
on renewal notices (programme 四: one hotline on every policy).

The hotline comes from the environment variable ``RENEWAL_XL_HOTLINE`` (or the
``--hotline`` option of ``renewal-xl renewals``, or the ``hotline`` argument of the macro).
There is deliberately no real-looking default: an unset hotline prints
:data:`UNSET_HOTLINE` in the notices and the run says so.
"""

from __future__ import annotations

import os

HOTLINE_ENV = "RENEWAL_XL_HOTLINE"
UNSET_HOTLINE = "(未设置客服热线)"


def hotline(given: str | None = None) -> str:
    """``given`` when set, else ``RENEWAL_XL_HOTLINE``, else :data:`UNSET_HOTLINE`."""
    return (given or os.environ.get(HOTLINE_ENV) or UNSET_HOTLINE).strip()
