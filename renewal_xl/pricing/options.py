"""Retention options 续保方案 (tariff manual §12): the renewal quote on the same terms and
the programme's options 方案一–四, each priced by the one pricing path
(:func:`renewal_xl.pricing.price.price_arrays`, every line of §5–§7 as usual), and the
suggested one.

The option table and the suggestion rules are tariff data (``retention_options``,
``retention_rules``; :class:`~renewal_xl.tariff.model.RetentionOption`). Offered:

- BASE 原方案续保: always;
- DEDUCTIBLE 方案一: one option per tariff deductible above the current one, when 车损 is in the cover;
- MULTI 方案二: multi_accident → yes, when 车损 is in the cover and it is not chosen already;
- UNDER 方案三: insured amount → round2(share × actual value), when 车损 is in the cover
  and insured at the actual value;
- REDUCE 方案四: the table's item (车上人员) taken out of the cover, when it is in it and
  something is left.

saving = BASE premium − option premium. Suggested: the first rule that holds (on the
quote's claim_free_years and claims_last_year) and whose option is offered (DEDUCTIBLE: the
rule's deductible, else the smallest offered above it); else BASE.

All rows of a table are priced in two batches: the BASE quotes, then every option of every
row. The offers and the suggestion are found a whole column at a time (one numpy step per
option of the tariff, not per row), so a worksheet cell and a register of 10^6 rows take the
same code. Money in fen.

>>> o = retention_options(pd.DataFrame({"new_car_price": [150000], "vehicle_age_months": [30],
...     "seats": [5], "coverage": ["经济"], "claim_free_years": [2], "claims_last_year": [0]}))
>>> o.rows.loc[o.rows["suggested"], ["code", "deductible", "premium", "saving"]].values.tolist()
[['DEDUCTIBLE', 1000, 297045, 28270]]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from renewal_xl.money import RATE, mul_round
from renewal_xl.pricing.price import DEFAULTS, Priced, price_arrays, read_inputs
from renewal_xl.readers import Errors
from renewal_xl.tariff import Catalogue, Tariff
from renewal_xl.tariff import catalogue as default_catalogue
from renewal_xl.tariff.coverage import Coverage

SUGGESTED = "★推荐"
# coverage field emptied when REDUCE takes an item out
_REMOVED = {"SEATS": ("seats", None), "THEFT": ("theft", False), "GLASS": ("glass", None)}
_REMOVED |= {"SCRATCH": ("scratch", None), "REPAIR": ("repair", False)}
_ITEM_NAMES = {"SEATS": "车上人员", "THEFT": "盗抢", "GLASS": "玻璃", "SCRATCH": "划痕", "REPAIR": "修理厂"}
_CHANGED = ("coverage", "deductible", "multi_accident", "insured_amount")  # quote inputs an option changes
_READ = ("coverage", "deductible", "multi_accident", "insured_amount", "claim_free_years", "claims_last_year")


@dataclass
class RetentionOptions:
    """``rows``: one row per offered option, input rows in order and options in the
    table's order; columns row (input position), code, name, terms, deductible (yuan, for
    DEDUCTIBLE, else 0), premium, saving (fen), suggested (bool). ``base``: the BASE
    pricing of every input row (its ``errors``: rows without options)."""

    rows: pd.DataFrame
    base: Priced


@dataclass
class _Offers:
    """Offered options, one array entry each. ``columns``: the input ``row``; ``order``
    within the row (the option's place in the table, then the deductible's); code, name,
    terms, deductible (yuan); ``rule``: the place of the first suggestion rule of the row
    that this option answers (:data:`_NO_RULE` when none). ``changes``: quote input → its
    new value (None where the option keeps it)."""

    columns: dict[str, np.ndarray]
    changes: dict[str, np.ndarray]

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    @staticmethod
    def joined(parts: list[_Offers]) -> _Offers:
        """All offers of ``parts`` in one, input rows in order, each row's in their order."""
        columns = {k: np.concatenate([p.columns[k] for p in parts]) for k in parts[0].columns}
        changes = {k: np.concatenate([p.changes[k] for p in parts]) for k in parts[0].changes}
        at = np.lexsort((columns["order"], columns["row"]))
        return _Offers({k: v[at] for k, v in columns.items()}, {k: v[at] for k, v in changes.items()})


_NO_RULE = np.iinfo(np.int64).max


def retention_options(
    quotes: pd.DataFrame,
    *,
    tariffs: Catalogue | None = None,
    today: dt.date | None = None,
    errors: Errors | None = None,
) -> RetentionOptions:
    """The options of every row of ``quotes`` (quote columns as for
    :func:`~renewal_xl.pricing.price.price_arrays`); rows in error get none."""
    tariffs = tariffs or default_catalogue()
    today = today or dt.date.today()
    quotes = quotes.reset_index(drop=True)
    base = price_arrays(quotes, tariffs=tariffs, today=today, errors=errors)
    ok = np.array([e is None for e in base.errors], dtype=bool)
    parts = [
        _offers(tariffs.by_id(tariff_id), quotes.iloc[rows], rows, base)
        for tariff_id in pd.unique(base.tariff_id[ok])
        if len(rows := np.flatnonzero(ok & (base.tariff_id == tariff_id)))
    ]
    if not parts:
        return RetentionOptions(_empty(), base)
    offered = _Offers.joined(parts)
    priced = price_arrays(_changed(quotes, offered), tariffs=tariffs, today=today)
    failed = [e for e in priced.errors if e is not None]
    if failed:  # an option of a row that priced is built from valid inputs
        raise failed[0]
    premium = priced.money["premium"]
    rows = pd.DataFrame(
        {
            "row": offered.row,
            "code": offered.code,
            "name": offered.name,
            "terms": offered.terms,
            "deductible": offered.deductible,
            "premium": premium,
            "saving": base.money["premium"][offered.row] - premium,
            "suggested": _suggested(offered),
        }
    )
    return RetentionOptions(rows, base)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.Series(dtype=np.int64),
            **{c: pd.Series(dtype=object) for c in ("code", "name", "terms")},
            **{c: pd.Series(dtype=np.int64) for c in ("deductible", "premium", "saving")},
            "suggested": pd.Series(dtype=bool),
        }
    )


def _offers(t: Tariff, quotes: pd.DataFrame, rows: np.ndarray, base: Priced) -> _Offers:
    """The options offered for the rows of one tariff (module rules), one option of the
    table at a time over all rows."""
    v = read_inputs(quotes, t, Errors(len(quotes)), DEFAULTS, fields=_READ)
    covers: list[Coverage | None] = list(v["coverage_list"])
    which = np.asarray(v["coverage"], dtype=np.int64)
    damage = np.array([c is not None and c.damage for c in covers], dtype=bool)[which]
    actual = base.money["actual_value"][rows].astype(np.int64)
    at_actual = (v["insured_amount"] < 0) | (v["insured_amount"] == actual)
    current = np.asarray(v["deductible"], dtype=np.int64)
    multi = np.asarray(v["multi_accident"], dtype=bool)
    holds = _rules_holding(t, np.asarray(v["claim_free_years"]), np.asarray(v["claims_last_year"]))
    blocks: list[_Offers] = []

    def offer(at: np.ndarray, order: int, option, terms, shown: int = 0, **change) -> None:
        """Offer ``option`` on the rows ``at``; ``terms`` and each ``change`` are one value,
        or one a row of ``at``; ``shown``: the deductible of a DEDUCTIBLE offer (yuan)."""
        count = int(at.sum())
        if not count:
            return
        rule = np.full(count, _NO_RULE, dtype=np.int64)
        for k, r in reversed(list(enumerate(t.option_rules))):  # the first rule of the row it answers
            if r.option == option.code and (option.code != "DEDUCTIBLE" or shown >= (r.deductible or 0)):
                rule[holds[k][at]] = k
        columns = {
            "row": rows[at],
            "order": np.full(count, order, dtype=np.int64),
            "code": np.full(count, option.code, dtype=object),
            "name": np.full(count, f"{option.name_zh} {shown}" if shown else option.name_zh, dtype=object),
            "terms": _filled(terms, count),
            "deductible": np.full(count, shown, dtype=np.int64),
            "rule": rule,
        }
        blocks.append(_Offers(columns, {key: _filled(change.get(key), count) for key in _CHANGED}))

    step = len(t.deductibles) + 1  # places within the row: one per deductible of DEDUCTIBLE
    for place, option in enumerate(t.options):
        order = place * step
        if option.code == "BASE":
            offer(np.ones(len(rows), dtype=bool), order, option, "同条件续保")
        elif option.code == "DEDUCTIBLE":
            for k, d in enumerate(t.deductibles):
                offer(damage & (d > current), order + k, option, f"绝对免赔额 {d} 元", d, deductible=d)
        elif option.code == "MULTI":
            offer(damage & ~multi, order, option, "加多次事故免赔特约", multi_accident=True)
        elif option.code == "UNDER":
            at = damage & at_actual
            insured = mul_round(actual[at], np.full(int(at.sum()), option.share, dtype=np.int64), RATE)
            share = f"{option.share / 10**RATE:.0%}"
            amounts = pd.Series(insured / 100, dtype=float).map("{:,.2f}".format).to_numpy(dtype=object)
            offer(
                at, order, option, "车损保险金额 " + amounts + f" 元 (实际价值 {share})", insured_amount=insured / 100
            )
        elif option.code == "REDUCE":
            reduced = np.array([c and _without(c, option.item) for c in covers], dtype=object)[which]
            if (at := pd.notna(reduced)).any():
                offer(at, order, option, f"去掉 {_ITEM_NAMES[str(option.item)]}", coverage=reduced[at])
    return _Offers.joined(blocks)


def _filled(value, count: int) -> np.ndarray:
    """``value`` for ``count`` offers: an array of one value a row as objects, else the one
    value repeated (None: the option keeps that input)."""
    if isinstance(value, np.ndarray):
        return value.astype(object)
    out = np.empty(count, dtype=object)
    out[:] = value
    return out


def _changed(quotes: pd.DataFrame, offered: _Offers) -> pd.DataFrame:
    """The quote of each offer: its row's inputs with what the option changes."""
    changed = quotes.iloc[offered.row].reset_index(drop=True)
    for name, values in offered.changes.items():
        given = pd.notna(values)
        if given.any():
            old = changed[name].to_numpy(dtype=object) if name in changed.columns else np.full(len(changed), None)
            new = pd.Series(np.where(given, values, old), dtype=object)
            # numbers stay a numeric column (read a column at a time), text stays as it is
            changed[name] = new if name == "coverage" else new.infer_objects()
    return changed


def _without(cover: Coverage, item: str | None) -> str | None:
    """The coverage list with ``item`` taken out; None when it is not in the cover or no
    main item (车损, 三者, 车上人员, 盗抢) would be left."""
    if item is None:
        return None
    field, empty = _REMOVED[item]
    if getattr(cover, field) in (None, False):
        return None
    reduced = dataclasses.replace(cover, package=None, **{field: empty})  # type: ignore[arg-type]
    if not (reduced.damage or reduced.tpl is not None or reduced.seats is not None or reduced.theft):
        return None  # 不计免赔 alone is no cover (manual §4)
    return reduced.canonical


def _rules_holding(t: Tariff, claim_free_years: np.ndarray, claims: np.ndarray) -> list[np.ndarray]:
    """For each suggestion rule of ``t``, in order, the rows it holds on."""
    return [
        (claim_free_years >= r.claim_free_from)
        & (claims >= r.claims_from)
        & (claims <= (r.claims_to if r.claims_to is not None else np.iinfo(np.int64).max))
        for r in t.option_rules
    ]


def _suggested(offered: _Offers) -> np.ndarray:
    """True on the suggested option of each input row: among the row's offers answering
    the first rule that any of them answers, the first one (DEDUCTIBLE offers come in
    ascending deductible: the rule's one, else the smallest above); a row whose rules no
    offer answers gets BASE. ``offered`` is in row order."""
    flags = np.zeros(len(offered.row), dtype=bool)
    by_rule = np.lexsort((np.arange(len(offered.row)), offered.rule, offered.row))
    rows, first = np.unique(offered.row[by_rule], return_index=True)
    best = by_rule[first]  # per input row: its offer of the smallest rule place, first in order
    answered = offered.rule[best] != _NO_RULE
    flags[best[answered]] = True
    unanswered = np.isin(offered.row, rows[~answered]) & (offered.code == "BASE")
    first_base = np.unique(offered.row[unanswered], return_index=True)[1]
    flags[np.flatnonzero(unanswered)[first_base]] = True
    return flags
