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
row. Money in fen.

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
_CHANGES = {"set_coverage": "coverage", "set_deductible": "deductible", "set_multi": "multi_accident"}
_CHANGES |= {"set_insured": "insured_amount"}  # variant column -> the quote input it replaces
_READ = ("coverage", "deductible", "multi_accident", "insured_amount", "claim_free_years", "claims_last_year")


@dataclass
class RetentionOptions:
    """``rows``: one row per offered option, input rows in order and options in the
    table's order; columns row (input position), code, name, terms, deductible (yuan, for
    DEDUCTIBLE, else 0), premium, saving (fen), suggested (bool). ``base``: the BASE
    pricing of every input row (its ``errors``: rows without options)."""

    rows: pd.DataFrame
    base: Priced


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
    variants: list[dict] = []
    for tariff_id in pd.unique(base.tariff_id[ok]):
        rows = np.flatnonzero(ok & (base.tariff_id == tariff_id))
        variants += _variants(tariffs.by_id(tariff_id), quotes.iloc[rows], rows, base)
    if not variants:
        return RetentionOptions(_empty(), base)
    offered = pd.DataFrame(variants)
    changed = quotes.iloc[offered["row"]].reset_index(drop=True).astype(object)
    for key, name in _CHANGES.items():
        given = offered[key].notna().to_numpy()
        if given.any():
            if name not in changed.columns:
                changed[name] = None
            changed.loc[given, name] = offered.loc[given, key].to_numpy()
    priced = price_arrays(changed, tariffs=tariffs, today=today)
    premium = priced.money["premium"]
    offered["premium"] = premium
    offered["saving"] = base.money["premium"][offered["row"]] - premium
    failed = [e for e in priced.errors if e is not None]
    if failed:  # an option of a row that priced is built from valid inputs
        raise failed[0]
    offered["suggested"] = _suggested(offered)
    columns = ["row", "code", "name", "terms", "deductible", "premium", "saving", "suggested"]
    return RetentionOptions(offered[columns].reset_index(drop=True), base)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.Series(dtype=np.int64),
            **{c: pd.Series(dtype=object) for c in ("code", "name", "terms")},
            **{c: pd.Series(dtype=np.int64) for c in ("deductible", "premium", "saving")},
            "suggested": pd.Series(dtype=bool),
        }
    )


def _variants(t: Tariff, quotes: pd.DataFrame, rows: np.ndarray, base: Priced) -> list[dict]:
    """The options offered for the rows of one tariff, with what each changes and the
    suggestion target of the row (``target``)."""
    v = read_inputs(quotes, t, Errors(len(quotes)), DEFAULTS, fields=_READ)
    out = []
    for k, row in enumerate(rows):
        cover: Coverage = v["coverage_list"][v["coverage"][k]]
        actual = int(base.money["actual_value"][row])
        at_actual = v["insured_amount"][k] < 0 or v["insured_amount"][k] == actual
        current = int(v["deductible"][k])
        target = _target(t, int(v["claim_free_years"][k]), int(v["claims_last_year"][k]))
        for option in t.options:
            change: dict = {}
            if option.code == "BASE":
                offers = [("同条件续保", 0, change)]
            elif option.code == "DEDUCTIBLE" and cover.damage:
                offers = [(f"绝对免赔额 {d} 元", d, {"deductible": d}) for d in t.deductibles if d > current]
            elif option.code == "MULTI" and cover.damage and not v["multi_accident"][k]:
                offers = [("加多次事故免赔特约", 0, {"multi_accident": True})]
            elif option.code == "UNDER" and cover.damage and at_actual:
                insured = int(mul_round(np.array([actual]), np.array([option.share]), RATE)[0])
                share = f"{option.share / 10**RATE:.0%}"
                terms = f"车损保险金额 {insured / 100:,.2f} 元 (实际价值 {share})"
                offers = [(terms, 0, {"insured_amount": insured / 100})]
            elif option.code == "REDUCE" and (reduced := _without(cover, option.item)) is not None:
                offers = [(f"去掉 {_ITEM_NAMES[str(option.item)]}", 0, {"coverage": reduced})]
            else:
                offers = []
            for terms, deductible, change in offers:
                out.append(
                    {
                        "row": row,
                        "code": option.code,
                        "name": f"{option.name_zh} {deductible}" if deductible else option.name_zh,
                        "terms": terms,
                        "deductible": deductible,
                        "target": target,
                        **{key: change.get(name) for key, name in _CHANGES.items()},
                    }
                )
    return out


def _without(cover: Coverage, item: str | None) -> str | None:
    """The coverage list with ``item`` taken out; None when it is not in the cover or
    nothing (or only a rider without 车损) would be left."""
    if item is None:
        return None
    field, empty = _REMOVED[item]
    if getattr(cover, field) in (None, False):
        return None
    reduced = dataclasses.replace(cover, package=None, **{field: empty})  # type: ignore[arg-type]
    return reduced.canonical or None


def _target(t: Tariff, claim_free_years: int, claims: int) -> list[tuple[str, int | None]]:
    """The suggestion rules that hold, in order: (option, deductible)."""
    return [
        (r.option, r.deductible)
        for r in t.option_rules
        if claim_free_years >= r.claim_free_from
        and claims >= r.claims_from
        and (r.claims_to is None or claims <= r.claims_to)
    ]


def _suggested(offered: pd.DataFrame) -> np.ndarray:
    """True on the suggested option of each input row (module rules)."""
    flags = np.zeros(len(offered), dtype=bool)
    for _, group in offered.groupby("row", sort=False):
        chosen = None
        for option, deductible in group["target"].iloc[0]:
            hits = group[group["code"] == option]
            if option == "DEDUCTIBLE":
                hits = hits[hits["deductible"] >= deductible]  # the rule's one, else the smallest above
            if len(hits):
                chosen = hits.index[0]
                break
        flags[chosen if chosen is not None else group.index[group["code"] == "BASE"][0]] = True
    return flags
