"""Excel sheet-name rules: at most 31 characters, none of ``: \\ / ? * [ ]`` nor control
characters, not starting or ending with an apostrophe, unique ignoring case.

>>> sheet_name("续保-张三/李四")
'续保-张三_李四'
>>> unique_sheet_name("续保清单", ["续保清单", "续保清单(2)"])
'续保清单(3)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LEN = 31
_FORBIDDEN = re.compile(r"[:\\/?*\[\]\x00-\x1f\x7f]")


def sheet_name(text: str) -> str:
    """A valid sheet name for ``text`` (forbidden characters → ``_``, cut to 31)."""
    name = _FORBIDDEN.sub("_", str(text)).strip().strip("'")
    return (name or "Sheet")[:MAX_LEN]


def numbered_name(text: str, k: int) -> str:
    """The ``k``-th alternative name of ``text``: ``续保清单(2)`` (cut to fit 31 characters)."""
    suffix = f"({k})"
    return sheet_name(text)[: MAX_LEN - len(suffix)] + suffix


def numbered_names(text: str, taken: Iterable[str]) -> list[str]:
    """The names in ``taken`` that are numbered alternatives of ``text`` (``续保清单(2)`` …),
    in order, as spelled in ``taken``.

    >>> numbered_names("续保清单", ["续保清单", "续保清单(3)", "续保清单(2)", "其他"])
    ['续保清单(2)', '续保清单(3)']
    """
    spelled = {t.casefold(): t for t in taken}
    found = []
    for k in range(2, len(spelled) + 2):
        name = numbered_name(text, k).casefold()
        if name in spelled:
            found.append(spelled[name])
    return found


def unique_sheet_name(text: str, taken: Iterable[str]) -> str:
    """A valid name not in ``taken`` (compared ignoring case), adding ``(2)``, ``(3)``…"""
    used = {t.casefold() for t in taken}
    base = sheet_name(text)
    if base.casefold() not in used:
        return base
    k = 2
    while numbered_name(base, k).casefold() in used:
        k += 1
    return numbered_name(base, k)
