"""The quote inputs read by their kind (tariff manual §2): one reader per kind of field.

Each quote input is a :class:`~renewal_xl.vocabulary.Field` of the vocabulary; its ``kind``
picks its reader from :data:`READERS` and its bounds come from the tariff in force
(:func:`limits`: the parameters of ``tariff/schema/parameters.csv``, the tariff's own tables,
or the field's ``high``). A new quote input of an existing kind is a line in the vocabulary
(and rows in the tariff schema when it has bounds there).

- ``money``: yuan with at most two decimals, in fen; within ``low–high`` yuan, or, for an
  amount without bounds, more than 0 with a blank left to the engine (−1);
- ``count``: a whole number within ``low–high``;
- ``coef``: a coefficient (``12%`` allowed), half-up to 4 decimals, in ten-thousandths,
  within the tariff's bounds;
- ``choice``: one of the values the tariff lists (deductibles);
- ``yes_no``: TRUE/FALSE, 1/0, 是/否, Y/N;
- ``coverage``: a package or a list of items, parsed once per distinct value.

:func:`read_inputs` reads whole columns (a batch) or the :class:`~renewal_xl.readers.Cell`
of one quote with them; :func:`cell_reader` binds them once for the two or three arguments
of a look-up function, so a cell pays for its reading rules and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from renewal_xl.errors import RenewalError
from renewal_xl.money import CENTS, COEF, scaled, to_scaled_array
from renewal_xl.pricing.ops import ARRAYS, SCALARS
from renewal_xl.readers import REQUIRED, Cell, Errors, ErrorSink, OneError, numbers, texts, whole_numbers, yes_no
from renewal_xl.tariff import Tariff
from renewal_xl.tariff.coverage import Coverage, parse_coverage
from renewal_xl.tariff.memo import per_tariff
from renewal_xl.vocabulary import FIELDS, MAX_COUNT, QUOTE_INPUTS, Field

DEFAULTS: Mapping[str, object] = {
    "deductible": 0,
    "multi_accident": False,
    "underwriting_coef": 1,
    "channel_coef": 1,
    "is_renewal": True,
    "imported": False,
}
INCONSISTENT_CLAIMS = "上年出险时连续未出险年数须为 0 (两者同时大于 0 不一致)"


@dataclass(frozen=True)
class Limits:
    """What a field may hold under one tariff: ``low``–``high`` in the field's reading unit
    (yuan, whole numbers, ten-thousandths), or the ``values`` of a choice, and the
    ``reason`` an input outside them is refused with."""

    low: int = 0
    high: int | None = None
    reason: str = ""
    values: tuple[int, ...] = ()


_BY_TARIFF: Callable[[Tariff], dict[str, tuple[Field, Limits]]] = per_tariff(
    lambda t: {}
)  # field key -> (the field, its limits under that tariff)


def limits(field: Field, t: Tariff) -> Limits:
    """The bounds of ``field`` under tariff ``t`` (see :class:`~renewal_xl.vocabulary.Field`),
    worked out once per tariff object (a reloaded tariff is a new object)."""
    known = _BY_TARIFF(t)
    found = known.get(field.key)
    if found is None or found[0] is not field:
        found = known[field.key] = (field, _limits(field, t))
    return found[1]


def _limits(field: Field, t: Tariff) -> Limits:
    key, unit = field.key, field.unit
    if field.kind == "choice":
        values = tuple(getattr(t, field.in_tariff))
        return Limits(values=values, reason="可选: " + " ".join(map(str, values)) + f" {unit}")
    if field.in_tariff:
        low, high = getattr(t, f"{field.in_tariff}_min"), getattr(t, f"{field.in_tariff}_max")
        return Limits(low, high, f"费率表 {t.id} 仅适用 {low}–{high} {unit}")
    high = t.params.get(f"{key}_max", field.high)
    low = t.params.get(f"{key}_min", 0)
    if field.kind == "count":
        high = MAX_COUNT if high is None else high
        return Limits(low, high, f"须在 {low}–{high}{' ' + unit if unit else ''} 之间")
    if field.kind == "coef":
        return Limits(low, high, f"须在 {low / 10**COEF:g}–{high / 10**COEF:g} 之间 (取4位小数)")
    if high is None:  # an amount without bounds
        return Limits(reason=f"须大于 0 (空白 = {field.blank})" if field.blank else "须大于 0")
    return Limits(low, high, f"须在 {low:,}–{high:,} {unit}之间")


def _money(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    """Fen; an amount without bounds is −1 when blank (the engine's to fill in)."""
    key = field.key
    one = isinstance(col, Cell)
    where, finite = (SCALARS.where, math.isfinite) if one else (ARRAYS.where, np.isfinite)
    if lim.high is None:
        values = numbers(col, key, errors, default=np.nan)
        errors.add(finite(values) & (values <= 0), key, col, lim.reason)
        return where(finite(values) & (values > 0), to_scaled_array(where(values > 0, values, 0), CENTS), -1)
    values = numbers(col, key, errors, default=default)  # type: ignore[arg-type]
    usable = finite(values)
    errors.add(usable & ((values < lim.low) | (values > lim.high)), key, col, lim.reason)
    return to_scaled_array(where(usable & (values >= lim.low) & (values <= lim.high), values, lim.low), CENTS)


def _count(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    return whole_numbers(col, field.key, errors, lim.low, lim.high, default=default, reason=lim.reason)  # type: ignore[arg-type]


def _coef(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    """Ten-thousandths, half-up to 4 decimals, clamped into the bounds (an error when outside)."""
    key = field.key
    one = isinstance(col, Cell)
    xp, finite = (SCALARS, math.isfinite) if one else (ARRAYS, np.isfinite)
    values = numbers(col, key, errors, default=float(default or 1), percent=True)  # type: ignore[arg-type]
    usable = finite(values)
    tenths = to_scaled_array(xp.where(usable, abs(values), 1.0), COEF)
    errors.add(usable & ((values < 0) | (tenths < lim.low) | (tenths > lim.high)), key, col, lim.reason)
    return xp.minimum(xp.maximum(tenths, lim.low), lim.high)


def _choice(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    key = field.key
    one = isinstance(col, Cell)
    xp, finite = (SCALARS, math.isfinite) if one else (ARRAYS, np.isfinite)
    values = numbers(col, key, errors, default=float(default or 0))  # type: ignore[arg-type]
    allowed = xp.isin(values, lim.values)
    errors.add(xp.where(allowed, False, finite(values)), key, col, lim.reason)
    return xp.as_int(xp.where(allowed, values, 0))


def _yes_no(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    return yes_no(col, field.key, errors, default=bool(default))


def _coverage(field: Field, lim: Limits, col: Any, t: Tariff, errors: ErrorSink, default: object):
    """(codes, parsed): each row's code into the array of distinct parsed coverages."""
    return _coverages(col, t, errors, default)


# the reader of each kind of quote input: (field, its limits, column or Cell, tariff, errors, default) -> values
READERS: dict[str, Callable[[Field, Limits, Any, Tariff, ErrorSink, object], Any]] = {
    "money": _money,
    "count": _count,
    "coef": _coef,
    "choice": _choice,
    "yes_no": _yes_no,
    "coverage": _coverage,
}


def _default(field: Field, defaults: Mapping[str, object]) -> object:
    """What a blank means: the caller's default, else the field's own ``blank`` where that is
    a number (a deductible of 0, a coefficient of 1), else None (a blank is refused)."""
    value = defaults.get(field.key)
    if value is None and field.blank and field.kind in ("choice", "coef"):
        return float(field.blank)
    return value


def read_inputs(
    frame: pd.DataFrame | Mapping[str, Cell],
    t: Tariff,
    errors: ErrorSink,
    defaults: Mapping[str, object],
    fields: tuple[str, ...] = QUOTE_INPUTS,
) -> dict[str, Any]:
    """Read and range-check ``fields`` of ``frame`` against tariff ``t``, each by the reader
    of its kind (:data:`READERS`).

    Money comes back in fen, coefficients in ten-thousandths (half-up to 4 decimals),
    yes/no as bool, coverage as codes into ``coverage_list`` (an object array of
    :class:`Coverage`). ``frame`` may instead map field names to the
    :class:`~renewal_xl.readers.Cell` of one quote (``errors`` a
    :class:`~renewal_xl.readers.OneError`): the same rules then give plain values. Dates
    (``policy_start``) are not read here: the day chooses the tariff, so it is read first.
    """
    one = not isinstance(frame, pd.DataFrame)
    n = 1 if one else len(frame)
    v: dict[str, Any] = {}
    col: dict[str, Any] = {}
    for name in fields:
        field = FIELDS[name]
        if field.kind == "date":
            continue
        default = _default(field, defaults)
        if not one and name not in frame.columns:  # type: ignore[union-attr]
            filled = _absent(field, t, n, default)
            if filled is not None:  # a column left out: every cell blank, its default (fast)
                v[name] = filled
                continue
        col[name] = (frame.get(name) or Cell(None)) if one else column_of(frame, name, n)
        value = READERS[field.kind](field, limits(field, t), col[name], t, errors, default)
        if field.kind == "coverage":
            v[name], v["coverage_list"] = value
        else:
            v[name] = value
    if "claim_free_years" in v and "claims_last_year" in v:
        cells = col["claims_last_year"] if "claims_last_year" in col else column_of(frame, "claims_last_year", n)
        _consistent_claims(v["claim_free_years"], v["claims_last_year"], cells, errors)
    return v


def _consistent_claims(free, claims, cells, errors: ErrorSink) -> None:
    """Claim-free years and last year's claims cannot both be above 0 (tariff manual §6)."""
    errors.add((free > 0) & (claims > 0), "claims_last_year", cells, INCONSISTENT_CLAIMS)


def plain_count(value: object, low: int, high: int) -> int | None:
    """The ``count`` rule (:func:`~renewal_xl.readers.whole_numbers`) cut short for what a
    cell mostly holds, a plain whole number within ``low``–``high`` (``3.0`` → 3); None for
    anything else (text, a blank, a fraction, out of range, a bool), which the general rule
    reads and refuses with its message. Tested equal to the general rule by hypothesis."""
    kind = value.__class__
    if (kind is float or kind is int) and low <= value <= high and value == int(value):  # type: ignore[operator,call-overload]
        return int(value)  # type: ignore[call-overload]
    return None


def cell_reader(*fields: str, defaults: Mapping[str, object] = DEFAULTS) -> Callable[..., list]:
    """``read(t, *values)``: the typed values of ``fields`` (one cell each) by the readers of
    :func:`read_inputs`, bound once (a look-up function's two or three arguments), raising
    the first InputError. The claims rule applies when both of its fields are read.

    When every field is a ``count`` (``NCD_FACTOR``'s two), plain whole numbers within
    bounds take :func:`plain_count` and consistent claims are returned at once; any other
    value goes through the general readers, so the results and messages are the same."""
    bound = [(FIELDS[k], READERS[FIELDS[k].kind], _default(FIELDS[k], defaults)) for k in fields]
    both = "claim_free_years" in fields and "claims_last_year" in fields
    claims = (fields.index("claim_free_years"), fields.index("claims_last_year")) if both else None
    counts = all(field.kind == "count" for field, _, _ in bound)

    state: tuple = (None, [], ())  # the last call's tariff, the fields' limits and (low, high) bounds under it

    def read(t: Tariff, *values: object) -> list:
        nonlocal state
        seen, lims, bounds = state
        if seen is not t:
            lims = [limits(field, t) for field, _, _ in bound]
            bounds = tuple((lim.low, lim.high) for lim in lims) if counts else ()
            state = (t, lims, bounds)
        if bounds and len(values) == len(bounds):
            plain = [plain_count(value, low, high) for value, (low, high) in zip(values, bounds)]
            if None not in plain and (claims is None or not (plain[claims[0]] and plain[claims[1]])):
                return plain
        errors = OneError()
        cells = [Cell(value) for value in values]
        out = [
            reader(field, lim, c, t, errors, default) for (field, reader, default), lim, c in zip(bound, lims, cells)
        ]
        if claims is not None:
            _consistent_claims(out[claims[0]], out[claims[1]], cells[claims[1]], errors)
        errors.check()
        return out

    return read


def column_of(frame: pd.DataFrame, name: str, n: int) -> pd.Series:
    """Column ``name`` of ``frame`` (a column of blanks when it has none), indexed 0…n−1."""
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([None] * n, dtype=object)


def _absent(field: Field, t: Tariff, n: int, default: object) -> np.ndarray | None:
    """The typed values of a column that is not in the table at all, when a blank has a
    meaning; None when a blank is an error (the reader then reports every row)."""
    if field.kind == "money" and limits(field, t).high is None:
        return np.full(n, -1, dtype=np.int64)  # blank: the engine's (the actual value)
    if default is None or field.kind in ("money", "coverage"):
        return None
    if field.kind == "yes_no":
        return np.full(n, bool(default))
    if field.kind == "coef":
        return np.full(n, scaled(default, COEF), dtype=np.int64)  # type: ignore[arg-type]
    return np.full(n, int(default), dtype=np.int64)  # type: ignore[call-overload]


def _coverages(series: pd.Series | Cell, t: Tariff, errors: ErrorSink, default: object) -> tuple[Any, np.ndarray]:
    """Row codes into the list of distinct parsed coverages: each distinct cell value is
    read and parsed once, its error given to every row holding it. For one
    :class:`~renewal_xl.readers.Cell`: code 0 into a list of its one coverage."""
    if isinstance(series, Cell):
        value = series.value
        if default is not None and (value is None or (not isinstance(value, str) and pd.isna(value))):
            value = default  # as the batch: a missing cell takes the default, white space does not
        text = texts(Cell(value), "coverage", errors)
        if not text:
            errors.add(True, "coverage", series, REQUIRED)
            return 0, np.array([Coverage()], dtype=object)
        try:
            return 0, np.array([parse_coverage(text, t)], dtype=object)
        except RenewalError as exc:
            errors.add_error(0, exc)
            return 0, np.array([Coverage()], dtype=object)
    if default is not None:
        series = series.where(~series.isna(), default)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    errors.add(codes < 0, "coverage", series, "不能为空")
    found = Errors(len(uniques))
    text = texts(pd.Series(uniques, dtype=object), "coverage", found)
    parsed = np.full(len(uniques) + 1, Coverage(), dtype=object)  # the last entry serves blank rows
    for k, value in enumerate(text):
        if found.at(k) is None:
            try:
                parsed[k] = parse_coverage(value, t)
            except RenewalError as exc:
                found.add_error(k, exc)
        if found.at(k) is not None:
            for i in np.flatnonzero(codes == k):
                errors.add_error(i, found.at(k))
    return np.where(codes < 0, len(uniques), codes).astype(np.int64), parsed
