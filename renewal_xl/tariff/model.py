"""The tariff: every table of the manual, validated and compiled into lookup arrays.

:func:`build_tariff` takes the raw tables (see :mod:`renewal_xl.tariff.source`), checks
them (complete and unique keys, rates and factors inside their bands, commission under the
cap, renewal commission ≥ new, NCD and deductible factors monotone) and returns a frozen
:class:`Tariff`. Units of the compiled arrays: money in fen (int64), rates in millionths,
factors and coefficients in ten-thousandths (see :mod:`renewal_xl.money`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from renewal_xl.errors import CoverageError, TariffError
from renewal_xl.money import CENTS, COEF, RATE
from renewal_xl.tariff.coverage import parse_coverage
from renewal_xl.tariff.rows import Row, require_grid, rows, unique
from renewal_xl.tariff.schema import PARAMETERS, TEXT_PARAMETERS
from renewal_xl.tariff.source import Table

ORIGINS = ("DOMESTIC", "IMPORTED")
WAIVER_ITEMS = ("DAMAGE", "TPL", "SEATS", "THEFT", "SCRATCH")
FREE_RIDERS = ("GLASS", "SCRATCH", "REPAIR")
PACKAGE_CODES = ("BASIC", "ECONOMY", "COMPREHENSIVE", "COMPLETE")
OPTION_CODES = ("BASE", "DEDUCTIBLE", "MULTI", "UNDER", "REDUCE")  # retention options, manual §12
REMOVABLE_ITEMS = ("SEATS", "THEFT", "GLASS", "SCRATCH", "REPAIR")  # what REDUCE may take out
DIRECT = "DIRECT"


@dataclass(frozen=True)
class Package:
    code: str
    name_zh: str
    name_en: str
    coverage: str


@dataclass(frozen=True)
class RetentionOption:
    """One row of the option table (manual §12): ``share`` (millionths) is UNDER's insured
    share of the actual value, ``item`` REDUCE's coverage item taken out."""

    code: str
    name_zh: str
    share: int | None = None
    item: str | None = None


@dataclass(frozen=True)
class OptionRule:
    """A suggestion rule (manual §12), tried in order: it holds when claim_free_years ≥
    ``claim_free_from`` and ``claims_from`` ≤ claims_last_year ≤ ``claims_to`` (None =
    open); it suggests ``option`` (for DEDUCTIBLE: ``deductible`` yuan, else the smallest
    offered above it)."""

    claim_free_from: int
    claims_from: int
    claims_to: int | None
    option: str
    deductible: int | None


@dataclass(frozen=True)
class Channel:
    code: str
    name_zh: str
    new_rate: int  # millionths
    renewal_rate: int  # millionths


@dataclass(frozen=True, eq=False)
class Tariff:
    """One tariff version. Lookup arrays are indexed by seat band, age band, price band…"""

    id: str
    region: str
    clause_set: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    origin: str
    sources: dict[str, str]
    params: dict[str, int]  # scaled as schema/parameters.csv says
    free_rider: str
    bands: tuple[str, ...]
    seats_min: int
    seats_max: int
    band_of_seats: np.ndarray  # seats -> band index (−1 outside)
    damage_age_from: np.ndarray  # months, ascending from 0
    damage_base: np.ndarray  # [band, age] fen
    damage_rate: np.ndarray  # [band, age] millionths
    deductibles: tuple[int, ...]  # yuan, ascending
    deductible_price_from: np.ndarray  # fen, ascending from 0
    deductible_factor: np.ndarray  # [deductible, price band] ten-thousandths
    tpl_limits: tuple[int, ...]
    tpl_premium: np.ndarray  # [band, limit] fen
    seats_limits: tuple[int, ...]
    seats_driver_rate: np.ndarray  # [band] millionths
    seats_passenger_rate: np.ndarray
    theft_base: np.ndarray  # [band] fen
    theft_rate: np.ndarray  # [band] millionths
    glass_rate: np.ndarray  # [band, origin] millionths
    scratch_age_from: np.ndarray
    scratch_price_from: np.ndarray  # fen
    scratch_limits: tuple[int, ...]
    scratch_premium: np.ndarray  # [age, price, limit] fen
    repair_rate: np.ndarray  # [origin] millionths
    waiver_rate: dict[str, int]  # item -> millionths
    ncd_claim_free: np.ndarray  # [claim-free years, last open-ended] ten-thousandths
    ncd_claims: np.ndarray  # [claims, index 0 unused, last open-ended]
    voucher: np.ndarray  # [claim-free years, last open-ended] fen
    packages: tuple[Package, ...]
    channels: dict[str, Channel]
    agency_rates: dict[str, tuple[int, int]]  # agency -> (new, renewal) millionths
    performance_rate_to: np.ndarray  # ascending upper bounds, millionths
    performance_factor: np.ndarray  # ten-thousandths
    options: tuple[RetentionOption, ...]  # in the order offered
    option_rules: tuple[OptionRule, ...]  # in the order tried
    coverage_cache: dict = field(default_factory=dict, repr=False)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def param(self, name: str) -> int:
        return self.params[name]


def build_tariff(tables: dict[str, Table], origin: str) -> Tariff:
    """Validate the raw tables and compile them. Raises TariffError on the first problem."""
    meta = _key_values(tables, "tariff", ("key", "value"))
    for key in ("id", "effective_from", "source"):
        if not meta.get(key, ("", None))[0]:
            raise TariffError(tables["tariff"].origin, None, key, "", "tariff 表缺少此项")
    effective_from = _date(tables["tariff"], meta["effective_from"])
    effective_to = _date(tables["tariff"], meta["effective_to"]) if meta.get("effective_to", ("",))[0] else None
    if effective_to is not None and effective_to < effective_from:
        raise TariffError(
            tables["tariff"].origin,
            meta["effective_to"][1],
            "effective_to",
            meta["effective_to"][0],
            "早于 effective_from",
        )
    sources = {k: r.text("source") for (k,), r in unique(rows(tables, "tables", ("table", "source")), ("table",))}
    for name in tables:
        if name not in ("tariff", "tables") and name not in sources:
            raise TariffError(tables[name].origin, None, "table", name, "tables 表未注明此表的来源")
    params, free_rider = _parameters(tables)
    if params["new_car_price_min"] > params["new_car_price_max"]:
        raise TariffError(
            tables["parameters"].origin,
            None,
            "new_car_price_min",
            params["new_car_price_min"],
            "大于 new_car_price_max",
        )

    bands, band_of_seats, seats_min, seats_max = _seat_bands(tables)
    damage_age_from, damage_base, damage_rate = _damage(tables, bands)
    deductibles, ded_price_from, ded_factor = _deductible(tables)
    tpl_limits, tpl_premium = _by_band_and_limit(tables, "tpl", bands)
    seats_rows = dict(
        unique(rows(tables, "seats_cover", ("seat_band", "driver_rate", "passenger_rate")), ("seat_band",))
    )
    require_grid(tables["seats_cover"], seats_rows, [bands])
    seats_limits = tuple(
        sorted(
            r.integer("limit", 100, 10**7)
            for _, r in unique(rows(tables, "seats_cover_limits", ("limit",)), ("limit",))
        )
    )
    theft_rows = dict(unique(rows(tables, "theft", ("seat_band", "base", "rate")), ("seat_band",)))
    require_grid(tables["theft"], theft_rows, [bands])
    glass_rows = dict(unique(rows(tables, "glass", ("seat_band", "origin", "rate")), ("seat_band", "origin")))
    require_grid(tables["glass"], glass_rows, [bands, ORIGINS])
    repair_rows = dict(unique(rows(tables, "repair", ("origin", "rate")), ("origin",)))
    require_grid(tables["repair"], repair_rows, [ORIGINS])
    waiver_rows = dict(unique(rows(tables, "waiver", ("item", "rate")), ("item",)))
    scratch = _scratch(tables)
    ncd_claim_free, ncd_claims = _ncd(tables)
    voucher = _open_ended(tables, "voucher", "claim_free_years", lambda r: r.scaled("amount", CENTS, 0, 100000))
    channels, agency_rates = _commission(tables, params["commission_cap"])
    perf_to, perf_factor = _performance(tables, params["commission_cap"])
    packages = tuple(
        Package(code, r.text("name_zh"), r.text("name_en"), r.text("coverage"))
        for (code,), r in unique(rows(tables, "packages", ("code", "name_zh", "name_en", "coverage")), ("code",))
    )
    require_grid(tables["packages"], [(p.code,) for p in packages], [PACKAGE_CODES])
    options, option_rules = _retention(tables, deductibles)

    for item, r in waiver_rows.items():
        if item[0] not in WAIVER_ITEMS:
            raise r.error("item", "可选值: " + " ".join(WAIVER_ITEMS))

    def per_band(table_rows: dict, column: str, scale: int, low, high) -> np.ndarray:
        return np.array([table_rows[(b,)].scaled(column, scale, low, high) for b in bands], dtype=np.int64)

    tariff = Tariff(
        id=meta["id"][0],
        region=meta.get("region", ("",))[0],
        clause_set=meta.get("clause_set", ("",))[0],
        effective_from=effective_from,
        effective_to=effective_to,
        source=meta["source"][0],
        origin=origin,
        sources=sources,
        params=params,
        free_rider=free_rider,
        bands=bands,
        seats_min=seats_min,
        seats_max=seats_max,
        band_of_seats=band_of_seats,
        damage_age_from=damage_age_from,
        damage_base=damage_base,
        damage_rate=damage_rate,
        deductibles=deductibles,
        deductible_price_from=ded_price_from,
        deductible_factor=ded_factor,
        tpl_limits=tpl_limits,
        tpl_premium=tpl_premium,
        seats_limits=seats_limits,
        seats_driver_rate=per_band(seats_rows, "driver_rate", RATE, 0, Decimal("0.1")),
        seats_passenger_rate=per_band(seats_rows, "passenger_rate", RATE, 0, Decimal("0.1")),
        theft_base=per_band(theft_rows, "base", CENTS, 0, 100000),
        theft_rate=per_band(theft_rows, "rate", RATE, 0, Decimal("0.1")),
        glass_rate=np.array(
            [[glass_rows[(b, o)].scaled("rate", RATE, 0, Decimal("0.1")) for o in ORIGINS] for b in bands],
            dtype=np.int64,
        ),
        scratch_age_from=scratch[0],
        scratch_price_from=scratch[1],
        scratch_limits=scratch[2],
        scratch_premium=scratch[3],
        repair_rate=np.array([repair_rows[(o,)].scaled("rate", RATE, 0, 1) for o in ORIGINS], dtype=np.int64),
        waiver_rate={k[0]: r.scaled("rate", RATE, 0, 1) for k, r in waiver_rows.items()},
        ncd_claim_free=ncd_claim_free,
        ncd_claims=ncd_claims,
        voucher=voucher,
        packages=packages,
        channels=channels,
        agency_rates=agency_rates,
        performance_rate_to=perf_to,
        performance_factor=perf_factor,
        options=options,
        option_rules=option_rules,
    )
    _check_packages(tariff, tables["packages"])
    return tariff


def _key_values(tables: dict[str, Table], name: str, columns: tuple[str, str]) -> dict[str, tuple[str, int]]:
    return {k: (r.values.get(columns[1], ""), r.line) for (k,), r in unique(rows(tables, name, columns), columns[:1])}


def _date(table: Table, entry: tuple[str, int]) -> dt.date:
    row = Row(table, entry[1], {"value": entry[0]})
    day = row.date("value")
    if day is None:
        raise row.error("value", "日期不能为空")
    return day


def _parameters(tables: dict[str, Table]) -> tuple[dict[str, int], str]:
    found = dict(unique(rows(tables, "parameters", ("name", "value")), ("name",)))
    params: dict[str, int] = {}
    for name, spec in PARAMETERS.items():
        found_row = found.get((name,))
        if found_row is None:
            raise TariffError(tables["parameters"].origin, None, name, "", "缺少此参数")
        _check_unit(found_row, spec.unit)
        row = _named(found_row, name)
        low, high = spec.low, spec.high
        params[name] = (
            row.integer(name, int(low), int(high)) if spec.scale is None else row.scaled(name, spec.scale, low, high)
        )
    for kind in ("underwriting_coef", "channel_coef"):
        if params[f"{kind}_min"] > params[f"{kind}_max"]:
            raise _named(found[(f"{kind}_min",)], f"{kind}_min").error(f"{kind}_min", f"大于 {kind}_max")
    rider_row = found.get(("free_rider",))
    if rider_row is None:
        raise TariffError(tables["parameters"].origin, None, "free_rider", "", "缺少此参数")
    _check_unit(rider_row, TEXT_PARAMETERS["free_rider"])
    known = set(PARAMETERS) | set(TEXT_PARAMETERS)
    for (name,), row in found.items():
        if name not in known:
            raise row.error("name", "未知参数")
    return params, _named(rider_row, "free_rider").text("free_rider", FREE_RIDERS)


def _check_unit(row: Row, unit: str) -> None:
    """A parameter row's ``unit`` (when the table has the column and the cell is filled) must be
    the schema's: a tariff that says ``yuan`` where the engine reads a ratio is refused."""
    given = row.values.get("unit", "").strip()
    if given and given != unit:
        raise row.error("unit", f"应为 {unit} (renewal_xl/tariff/schema/parameters.csv)")


def _named(row: Row, name: str) -> Row:
    """A parameter row whose value is addressed by the parameter's name (for messages)."""
    return Row(row.table, row.line, {name: row.values.get("value", "")})


def _seat_bands(tables: dict[str, Table]) -> tuple[tuple[str, ...], np.ndarray, int, int]:
    spans = []
    for (band,), r in unique(rows(tables, "seat_bands", ("band", "seats_from", "seats_to")), ("band",)):
        lo, hi = r.integer("seats_from", 1, 99), r.integer("seats_to", 1, 99)
        if hi < lo:
            raise r.error("seats_to", "小于 seats_from")
        spans.append((lo, hi, band, r))
    if not spans:
        raise TariffError(tables["seat_bands"].origin, None, "band", "", "至少需要一个座位档")
    spans.sort()
    for (_, prev_hi, _, _), (lo, _, _, r) in zip(spans, spans[1:]):
        if lo != prev_hi + 1:
            raise r.error("seats_from", f"座位档须连续且不重叠(上一档止于 {prev_hi})")
    bands = tuple(s[2] for s in spans)
    band_of = np.full(spans[-1][1] + 1, -1, dtype=np.int64)
    for i, (lo, hi, _, _) in enumerate(spans):
        band_of[lo : hi + 1] = i
    return bands, band_of, spans[0][0], spans[-1][1]


def _bounds(table: Table, values: list[int], what: str) -> np.ndarray:
    """Sorted lower bounds of a banded table; the first must be 0."""
    bounds = sorted(set(values))
    if not bounds or bounds[0] != 0:
        raise TariffError(table.origin, None, what, bounds[0] if bounds else "", "分档下限须从 0 开始")
    return np.array(bounds, dtype=np.int64)


def _damage(tables: dict[str, Table], bands: tuple[str, ...]):
    found = {}
    for (band, _), r in unique(
        rows(tables, "damage", ("seat_band", "age_from_months", "base", "rate")), ("seat_band", "age_from_months")
    ):
        r.text("seat_band", bands)
        found[(band, r.integer("age_from_months", 0, 1200))] = r
    ages = _bounds(tables["damage"], [a for _, a in found], "age_from_months")
    require_grid(tables["damage"], found, [bands, ages.tolist()])
    base = np.array([[found[(b, a)].scaled("base", CENTS, 0, 100000) for a in ages] for b in bands], dtype=np.int64)
    rate = np.array(
        [[found[(b, a)].scaled("rate", RATE, 0, Decimal("0.1"), low_open=True) for a in ages] for b in bands],
        dtype=np.int64,
    )
    return ages, base, rate


def _deductible(tables: dict[str, Table]):
    found = {}
    for _, r in unique(
        rows(tables, "deductible", ("deductible", "price_from", "factor")), ("deductible", "price_from")
    ):
        found[(r.integer("deductible", 0, 100000), r.scaled("price_from", CENTS, 0, 10**9))] = r
    deductibles = sorted({d for d, _ in found})
    if 0 not in deductibles:
        raise TariffError(tables["deductible"].origin, None, "deductible", 0, "须包含免赔额 0")
    prices = _bounds(tables["deductible"], [p for _, p in found], "price_from")
    require_grid(tables["deductible"], found, [deductibles, prices.tolist()])
    factor = np.array(
        [[found[(d, p)].scaled("factor", COEF, 0, 1, low_open=True) for p in prices] for d in deductibles],
        dtype=np.int64,
    )
    for j, p in enumerate(prices):
        for i in range(1, len(deductibles)):
            if factor[i, j] > factor[i - 1, j]:
                raise found[(deductibles[i], int(p))].error("factor", "免赔额越高系数不能越大")
    return tuple(deductibles), prices, factor


def _by_band_and_limit(tables: dict[str, Table], name: str, bands: tuple[str, ...]):
    found = {}
    for (band, _), r in unique(rows(tables, name, ("seat_band", "limit", "premium")), ("seat_band", "limit")):
        r.text("seat_band", bands)
        found[(band, r.integer("limit", 1, 10**8))] = r
    limits = sorted({lim for _, lim in found})
    require_grid(tables[name], found, [bands, limits])
    premium = np.array(
        [[found[(b, lim)].scaled("premium", CENTS, 0, 100000, low_open=True) for lim in limits] for b in bands],
        dtype=np.int64,
    )
    return tuple(limits), premium


def _scratch(tables: dict[str, Table]):
    found = {}
    cols = ("age_from_months", "price_from", "limit", "premium")
    for _, r in unique(rows(tables, "scratch", cols), cols[:3]):
        found[
            (
                r.integer("age_from_months", 0, 1200),
                r.scaled("price_from", CENTS, 0, 10**9),
                r.integer("limit", 1, 10**6),
            )
        ] = r
    ages = _bounds(tables["scratch"], [k[0] for k in found], "age_from_months")
    prices = _bounds(tables["scratch"], [k[1] for k in found], "price_from")
    limits = sorted({k[2] for k in found})
    require_grid(tables["scratch"], found, [ages.tolist(), prices.tolist(), limits])
    premium = np.array(
        [
            [[found[(a, p, lim)].scaled("premium", CENTS, 0, 100000, low_open=True) for lim in limits] for p in prices]
            for a in ages
        ],
        dtype=np.int64,
    )
    return ages, prices, tuple(limits), premium


def _open_ended(tables: dict[str, Table], name: str, key: str, value) -> np.ndarray:
    """A table keyed 0, 1, …, n; the last row applies to every larger key."""
    found = {}
    for _, r in unique(rows(tables, name, (key,)), (key,)):
        found[r.integer(key, 0, 100)] = r
    if sorted(found) != list(range(len(found))) or not found:
        raise TariffError(tables[name].origin, None, key, " ".join(map(str, sorted(found))), "须从 0 起连续")
    return np.array([value(found[k]) for k in range(len(found))], dtype=np.int64)


def _ncd(tables: dict[str, Table]):
    table = tables["ncd"]
    found: dict[tuple[int, int], tuple[int, Row]] = {}
    for _, r in unique(
        rows(tables, "ncd", ("claims_last_year", "claim_free_years", "factor")),
        ("claims_last_year", "claim_free_years"),
    ):
        claims, free = r.integer("claims_last_year", 0, 100), r.integer("claim_free_years", 0, 100)
        if claims and free:
            raise r.error("claim_free_years", "上年有出险时连续未出险年数须为 0")
        found[(claims, free)] = r.scaled("factor", COEF, 0, 5, low_open=True), r
    free_keys = sorted(f for c, f in found if c == 0)
    claim_keys = sorted(c for c, _ in found if c > 0)
    if (
        free_keys != list(range(len(free_keys)))
        or not free_keys
        or claim_keys != list(range(1, len(claim_keys) + 1))
        or not claim_keys
    ):
        raise TariffError(table.origin, None, "key", "", "无赔款优待表须含未出险年数 0…n 及出险次数 1…m,连续")
    claim_free = np.array([found[(0, f)][0] for f in free_keys], dtype=np.int64)
    by_claims = np.array([found[(0, 0)][0]] + [found[(c, 0)][0] for c in claim_keys], dtype=np.int64)
    for series, keys, rising in (
        (claim_free, [(0, f) for f in free_keys], False),
        (by_claims, [(0, 0)] + [(c, 0) for c in claim_keys], True),
    ):
        for i in range(1, len(series)):
            if (series[i] < series[i - 1]) if rising else (series[i] > series[i - 1]):
                raise found[keys[i]][1].error(
                    "factor", "出险次数越多系数不能越低" if rising else "未出险年数越多系数不能越高"
                )
    return claim_free, by_claims


def _check_rate_pair(r: Row, cap: int) -> tuple[int, int]:
    new = r.scaled("new_rate", RATE, 0, 1)
    renewal = r.scaled("renewal_rate", RATE, 0, 1)
    for column, rate in (("new_rate", new), ("renewal_rate", renewal)):
        if rate > cap:
            raise r.error(column, f"超过报备上限 {Decimal(cap).scaleb(-RATE).normalize():%}")
    if renewal < new:
        raise r.error("renewal_rate", "续保手续费率不能低于新保")
    return new, renewal


def _commission(tables: dict[str, Table], cap: int):
    channels = {}
    for (code,), r in unique(
        rows(tables, "commission", ("channel", "name_zh", "new_rate", "renewal_rate")), ("channel",)
    ):
        channels[code] = Channel(code, r.text("name_zh"), *_check_rate_pair(r, cap))
    if DIRECT not in channels:
        raise TariffError(tables["commission"].origin, None, "channel", DIRECT, "须包含直销渠道")
    agencies = {
        code: _check_rate_pair(r, cap)
        for (code,), r in unique(rows(tables, "agency_commission", ("agency", "new_rate", "renewal_rate")), ("agency",))
    }
    return channels, agencies


def _performance(tables: dict[str, Table], cap: int):
    bands = sorted(
        (r.scaled("commission_rate_to", RATE, 0, 1), r.scaled("factor", COEF, 0, 5), r)
        for _, r in unique(rows(tables, "performance", ("commission_rate_to", "factor")), ("commission_rate_to",))
    )
    if not bands or bands[-1][0] < cap:
        raise TariffError(tables["performance"].origin, None, "commission_rate_to", "", "最后一档须覆盖手续费率上限")
    return np.array([b[0] for b in bands], dtype=np.int64), np.array([b[1] for b in bands], dtype=np.int64)


def _retention(tables: dict[str, Table], deductibles: tuple[int, ...]):
    """The retention options (every code of :data:`OPTION_CODES` once) and the suggestion
    rules (unique order; a known option; a DEDUCTIBLE rule names a deductible of the
    tariff)."""
    options = []
    for (code,), r in unique(rows(tables, "retention_options", ("code", "name_zh", "parameter")), ("code",)):
        r.text("code", OPTION_CODES)
        share = r.scaled("parameter", RATE, 0, 1, low_open=True) if code == "UNDER" else None
        item = r.text("parameter", REMOVABLE_ITEMS) if code == "REDUCE" else None
        if share == 10**RATE:
            raise r.error("parameter", "不足额比例须小于 1")
        options.append(RetentionOption(code, r.text("name_zh"), share, item))
    require_grid(tables["retention_options"], [(o.code,) for o in options], [OPTION_CODES])
    columns = ("order", "claim_free_years_from", "claims_from", "claims_to", "option", "deductible")
    found = []
    for _, r in unique(rows(tables, "retention_rules", columns), ("order",)):
        option = r.text("option", OPTION_CODES)
        claims_from = r.integer("claims_from", 0, 100)
        claims_to = r.integer("claims_to", claims_from, 100) if r.values.get("claims_to") else None
        deductible = None
        if option == "DEDUCTIBLE":
            deductible = r.integer("deductible", 0, 100000)
            if deductible not in deductibles:
                raise r.error("deductible", "可选值: " + " ".join(map(str, deductibles)))
        rule = OptionRule(r.integer("claim_free_years_from", 0, 100), claims_from, claims_to, option, deductible)
        found.append((r.integer("order", 0, 1000), rule))
    return tuple(options), tuple(rule for _, rule in sorted(found, key=lambda x: x[0]))


def _check_packages(tariff: Tariff, table: Table) -> None:
    for line, values in table.rows:
        try:
            parse_coverage(values["coverage"], tariff, packages=False)
        except CoverageError as exc:
            raise TariffError(table.origin, line, "coverage", values["coverage"], exc.reason) from None
