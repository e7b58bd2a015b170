"""Coverage lists and packages (tariff manual §4).

A coverage list joins items with ``+``; an item may carry a parameter after ``:``.
Chinese and English names are both accepted, and a package name stands for its list:

>>> from renewal_xl.tariff import default_tariff
>>> c = parse_coverage("经济", default_tariff())
>>> c.canonical, c.package
('车损+三者:20万+盗抢+不计免赔', 'ECONOMY')
>>> parse_coverage("damage+tpl:500000+glass:进口", default_tariff()).glass
'IMPORTED'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from renewal_xl import vocabulary
from renewal_xl.errors import CoverageError

# code: (Chinese name, accepted aliases), from the vocabulary
ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {item.code: (item.label, item.aliases) for item in vocabulary.ITEMS}
ORDER = tuple(ITEMS)
RIDERS_OF_DAMAGE = ("GLASS", "SCRATCH", "REPAIR")
MAIN_ITEMS = ("DAMAGE", "TPL", "SEATS", "THEFT")
GLASS_ORIGINS = {"国产": "DOMESTIC", "DOMESTIC": "DOMESTIC", "进口": "IMPORTED", "IMPORTED": "IMPORTED"}

_NAMES = {code: code for code in ITEMS} | {
    alias.upper(): code for code, (zh, aliases) in ITEMS.items() for alias in (zh, *aliases)
}
_WIDE = str.maketrans({"＋": "+", "：": ":", "／": "/", "，": ",", "　": " "})


@dataclass(frozen=True)
class Coverage:
    """A parsed coverage list. Limits are in yuan; ``glass`` is DOMESTIC, IMPORTED or
    DEFAULT (follows the imported flag); ``package`` is the package code when one was named."""

    damage: bool = False
    tpl: int | None = None
    seats: tuple[int, int] | None = None
    theft: bool = False
    glass: str | None = None
    scratch: int | None = None
    repair: bool = False
    waiver: bool = False
    package: str | None = None

    @property
    def canonical(self) -> str:
        """The list in the manual's order and notation, e.g. ``车损+三者:20万+不计免赔``."""
        parts = []
        if self.damage:
            parts.append("车损")
        if self.tpl is not None:
            parts.append(f"三者:{_yuan_text(self.tpl)}")
        if self.seats is not None:
            parts.append(f"车上人员:{_yuan_text(self.seats[0])}/{_yuan_text(self.seats[1])}")
        if self.theft:
            parts.append("盗抢")
        if self.glass is not None:
            parts.append({"DEFAULT": "玻璃", "DOMESTIC": "玻璃:国产", "IMPORTED": "玻璃:进口"}[self.glass])
        if self.scratch is not None:
            parts.append(f"划痕:{self.scratch}")
        if self.repair:
            parts.append("修理厂")
        if self.waiver:
            parts.append("不计免赔")
        return "+".join(parts)


def parse_coverage(text: object, tariff, packages: bool = True) -> Coverage:
    """Parse a coverage list or package name against ``tariff``'s limits; cached per tariff."""
    key = (str(text), packages)
    cache = tariff.coverage_cache
    if key not in cache:
        if len(cache) > 10_000:
            cache.clear()
        cache[key] = _parse(str(text), tariff, packages)
    return cache[key]


def package_names(tariff) -> str:
    return " ".join(f"{p.name_zh}/{p.name_en}" for p in tariff.packages)


def _parse(raw: str, tariff, packages: bool) -> Coverage:
    text = raw.translate(_WIDE).strip()
    if not text:
        raise CoverageError("coverage", raw, "不能为空; 可填套餐 " + package_names(tariff) + " 或险种列表")
    if packages:
        for p in tariff.packages:
            if text.upper() in (p.name_zh.upper(), p.name_en.upper(), p.code.upper()):
                return _with_package(_parse(p.coverage, tariff, packages=False), p.code)
    found: dict[str, object] = {}
    for part in (s.strip() for s in text.split("+")):
        name, _, param = (s.strip() for s in part.partition(":"))
        code = _NAMES.get(name.upper())
        if code is None:
            valid = " ".join(f"{zh}/{c}" for c, (zh, _) in ITEMS.items())
            extra = f"; 套餐: {package_names(tariff)}" if packages else ""
            raise CoverageError("coverage", raw, f"未知险种 {name or '(空)'}; 可选: {valid}{extra}")
        if code in found:
            raise CoverageError("coverage", raw, f"险种 {ITEMS[code][0]} 重复")
        found[code] = _param(code, param, raw, tariff)
    for rider in RIDERS_OF_DAMAGE:
        if rider in found and "DAMAGE" not in found:
            raise CoverageError("coverage", raw, f"{ITEMS[rider][0]} 是车损的附加险, 须同时投保车损")
    if "WAIVER" in found and not any(item in found for item in MAIN_ITEMS):
        raise CoverageError("coverage", raw, "不计免赔须附加在车损、三者、车上人员或盗抢上")
    return Coverage(
        damage="DAMAGE" in found,
        tpl=found.get("TPL"),  # type: ignore[arg-type]
        seats=found.get("SEATS"),  # type: ignore[arg-type]
        theft="THEFT" in found,
        glass=found.get("GLASS"),  # type: ignore[arg-type]
        scratch=found.get("SCRATCH"),  # type: ignore[arg-type]
        repair="REPAIR" in found,
        waiver="WAIVER" in found,
    )


def _with_package(c: Coverage, code: str) -> Coverage:
    return Coverage(c.damage, c.tpl, c.seats, c.theft, c.glass, c.scratch, c.repair, c.waiver, code)


def _param(code: str, param: str, raw: str, tariff) -> object:
    zh = ITEMS[code][0]
    if code == "TPL":
        return _limit(param, tariff.tpl_limits, zh, raw)
    if code == "SCRATCH":
        return _limit(param, tariff.scratch_limits, zh, raw)
    if code == "SEATS":
        pieces = param.split("/") if param else []
        if len(pieces) not in (1, 2):
            raise CoverageError("coverage", raw, f"{zh} 须写限额, 如 车上人员:1万/1万 (司机/每座乘客)")
        limits = [_limit(p, tariff.seats_limits, zh, raw) for p in pieces]
        return (limits[0], limits[-1])
    if code == "GLASS":
        if not param:
            return "DEFAULT"
        origin = GLASS_ORIGINS.get(param.upper())
        if origin is None:
            raise CoverageError("coverage", raw, "玻璃 可选 国产/DOMESTIC 或 进口/IMPORTED")
        return origin
    if param:
        raise CoverageError("coverage", raw, f"{zh} 不带参数")
    return True


def _limit(param: str, allowed: tuple[int, ...], zh: str, raw: str) -> int:
    choices = " ".join(_yuan_text(v) for v in allowed)
    value = _yuan(param)
    if value not in allowed:
        shown = param or "(未填)"
        raise CoverageError("coverage", raw, f"{zh} 限额 {shown} 不在费率表中; 可选: {choices}")
    return value


def _yuan(text: str) -> int | None:
    """'20万' → 200000, '500000' → 500000, '1.5万' → 15000; None when unreadable."""
    m = re.fullmatch(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万|W|元)?", text.strip().upper())
    if not m:
        return None
    try:
        value = Decimal(m.group(1).replace(",", "")) * (10000 if m.group(2) in ("万", "W") else 1)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None


def _yuan_text(value: int) -> str:
    return f"{value // 10000}万" if value >= 10000 and value % 10000 == 0 else str(value)
