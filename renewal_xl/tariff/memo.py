"""Values worked out once per tariff object: bounds, lookup maps, message texts.

A worksheet cell must not rebuild them per call, and a reloaded or user tariff is a new
:class:`~renewal_xl.tariff.Tariff` object, so remembering by object identity can never
serve another tariff's values.

>>> from renewal_xl.tariff import default_tariff
>>> ids = per_tariff(lambda t: t.id)
>>> ids(default_tariff())
'default'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from renewal_xl.tariff.model import Tariff

T = TypeVar("T")
MAX_TARIFFS = 64  # remembered tariff objects per function (a process reloads few)


def per_tariff(build: Callable[[Tariff], T]) -> Callable[[Tariff], T]:
    """``build`` remembered for each tariff object (by identity, the object kept with it)."""
    memo: dict[int, tuple[Tariff, T]] = {}

    def get(t: Tariff) -> T:
        found = memo.get(id(t))
        if found is not None and found[0] is t:
            return found[1]
        if len(memo) >= MAX_TARIFFS:
            memo.clear()
        value = build(t)
        memo[id(t)] = (t, value)
        return value

    get.__doc__ = build.__doc__
    return get
