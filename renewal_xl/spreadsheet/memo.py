"""A bounded cache of recent worksheet-function results, for repeated identical calls.

A spreadsheet recalculates every formula again and again with the same arguments (a
register's many rows with one package, a sheet opened twice). A result depends only on:

- the function and its arguments, compared with their types (``TRUE`` is not ``1``,
  ``" 5 "`` is not ``5``, ``-0.0`` is not ``0.0``: the error text quotes the value typed);
- the tariff catalogue in force: a new ``--tariff``/``RENEWAL_XL_TARIFF`` or a reloaded
  (changed) user tariff is a new :class:`~renewal_xl.tariff.Catalogue` object, and the
  cache is emptied when it changes;
- today's date (a blank ``policy_start`` or ``as_of`` means today): the cache is emptied
  when the day changes.

Only final cell values are kept (numbers, text, the ``#`` text of a domain error), never an
unexpected failure (that one is logged each time). Oldest entries go first past
:data:`MAX_ENTRIES`.

>>> cache = CallCache(max_entries=2)
>>> cache.key("NCD_FACTOR", (1.0, 0.0)) == cache.key("NCD_FACTOR", (True, 0.0))
False
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable

from renewal_xl.tariff import catalogue

MAX_ENTRIES = 10_000  # a filled 500-row register has 3,500 function cells; RENEWAL_PREMIUM entries ≈ 1.2 KB (measured)
_PLAIN = (str, int, bool, type(None))  # compared by value: equal values, equal results


class CallCache:
    """Least-recently-used results, valid for one catalogue and one day."""

    def __init__(self, max_entries: int = MAX_ENTRIES, today: Callable[[], dt.date] | None = None):
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._max = max_entries
        self._today = today or (lambda: dt.date.today())  # looked up at each call
        self._catalogue: object = None
        self._day: dt.date | None = None

    @staticmethod
    def key(name: str, args: tuple) -> Hashable | None:
        """The cache key of a call; None when an argument cannot be compared (a range)."""
        parts: list[object] = [name]
        for a in args:
            if isinstance(a, _PLAIN):
                parts.append((a.__class__, a))
            elif isinstance(a, (float, dt.date)):
                parts.append((a.__class__, repr(a)))
            else:
                return None
        return tuple(parts)

    def lookup(self, key: Hashable) -> tuple[bool, object]:
        """(True, result) for a call made before under the same catalogue and day."""
        self._current()
        if key in self._entries:
            self._entries.move_to_end(key)
            return True, self._entries[key]
        return False, None

    def store(self, key: Hashable, result: object) -> None:
        self._entries[key] = result
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def _current(self) -> None:
        """Empty the cache when the catalogue in force or the day has changed."""
        try:
            tariffs: object = catalogue()
        except Exception:  # noqa: BLE001 - a broken user tariff: the call itself reports it
            tariffs = None
        day = self._today()
        if tariffs is not self._catalogue or day != self._day or tariffs is None:
            self._entries.clear()
            self._catalogue, self._day = tariffs, day

    def __len__(self) -> int:
        return len(self._entries)
