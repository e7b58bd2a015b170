"""File names of handed-out due lists (``renewals --split``): ``续保清单-<owner>.xlsx``.

Rules: characters Windows, macOS or Linux refuse in a file name (``< > : " / \\ | ? *``
and control characters) become ``_``; blanks and dots at the ends are dropped; the name is
cut to :data:`MAX_NAME` characters; a Windows device name (``CON``, ``NUL``, ``COM1`` …)
gets a ``_``; names are unique ignoring case (``(2)``, ``(3)`` …). An owner without a name
is :data:`DIRECT` (no agency: direct business), else :data:`UNASSIGNED` (no salesperson,
no branch).

>>> list(file_names(["AG001", "", "A/B", "a_b"], "agency").values())
['续保清单-AG001.xlsx', '续保清单-直销业务.xlsx', '续保清单-A_B.xlsx', '续保清单-a_b(2).xlsx']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX = "续保清单-"
SUFFIX = ".xlsx"
MAX_NAME = 60  # characters of the owner part (file systems allow 255 bytes; CJK is 3 bytes in UTF-8)
UNASSIGNED = "未分配"
DIRECT = "直销业务"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)


def owner_label(owner: str, by: str) -> str:
    """The owner as people call it: its name, else 未分配 / 直销业务."""
    return owner or (DIRECT if by == "agency" else UNASSIGNED)


def safe_name(text: str) -> str:
    """``text`` as a file-name part that every common system accepts (rules above)."""
    name = _FORBIDDEN.sub("_", text).strip(" .")[:MAX_NAME].strip(" .")
    if _DEVICES.fullmatch(name):
        name += "_"
    return name or "_"


def file_names(owners: Iterable[str], by: str) -> dict[str, str]:
    """Owner → its list's file name, unique ignoring case, in the order given."""
    taken: set[str] = set()
    out = {}
    for owner in owners:
        base = PREFIX + safe_name(owner_label(owner, by))
        name, k = base, 1
        while name.casefold() in taken:
            k += 1
            name = f"{base}({k})"
        taken.add(name.casefold())
        out[owner] = name + SUFFIX
    return out
