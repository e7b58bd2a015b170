"""An independent reading of the tariff manual in plain Decimal arithmetic.

Written from ``shared/spec/tariff-manual.md`` with its tables copied by hand, sharing no
code or data with the engine, so tests can compare the two on random quotes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from decimal import Decimal as D


def r2(x: D) -> D:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


TPL = {
    "small": dict(
        zip([50000, 100000, 150000, 200000, 300000, 500000, 1000000], [660, 954, 1088, 1182, 1335, 1602, 2086])
    ),
    "large": dict(
        zip([50000, 100000, 150000, 200000, 300000, 500000, 1000000], [698, 983, 1112, 1199, 1342, 1598, 2081])
    ),
}
DED_BANDS = [0, 50000, 100000, 200000, 300000, 500000]
DED = {
    0: ["1"] * 6,
    300: ["0.89", "0.92", "0.94", "0.96", "0.97", "0.98"],
    500: ["0.79", "0.85", "0.89", "0.93", "0.95", "0.96"],
    1000: ["0.68", "0.74", "0.84", "0.88", "0.90", "0.93"],
    2000: ["0.54", "0.58", "0.70", "0.78", "0.86", "0.89"],
}
SCRATCH = {  # (age ≥ 24, price band) -> limits 2000 5000 10000 20000
    (False, 0): [400, 570, 760, 1140],
    (False, 1): [585, 900, 1170, 1780],
    (False, 2): [850, 1100, 1500, 2250],
    (True, 0): [610, 850, 1300, 1900],
    (True, 1): [900, 1350, 1800, 2600],
    (True, 2): [1100, 1500, 2000, 3000],
}
PACKAGES = {
    "BASIC": dict(tpl=200000, seats=(10000, 10000), waiver=True),
    "ECONOMY": dict(damage=True, tpl=200000, theft=True, waiver=True),
    "COMPREHENSIVE": dict(damage=True, tpl=500000, theft=True, seats=(10000, 10000), waiver=True),
    "COMPLETE": dict(
        damage=True, tpl=1000000, theft=True, seats=(20000, 20000), glass=True, scratch=5000, repair=True, waiver=True
    ),
}


def ncd(claim_free: int, claims: int) -> D:
    if claims:
        return D({1: "1.0", 2: "1.25", 3: "1.5", 4: "1.75"}.get(claims, "2.0"))
    return D({0: "1.0", 1: "0.85", 2: "0.7"}.get(claim_free, "0.6"))


def premium(
    price,
    months,
    seats,
    cover: dict,
    claim_free=0,
    claims=0,
    deductible=0,
    multi=False,
    uw="1",
    ch="1",
    renewal=True,
    imported=False,
    insured=None,
) -> dict:
    """Every step of §3–§7 for one quote; ``cover`` as in PACKAGES."""
    P = D(str(price))
    band = "small" if seats <= 5 else "large"
    A = r2(P * (1 - min(months * D("0.006"), D("0.80"))))
    I = A if insured is None else D(str(insured))  # noqa: E741 (the manual's own letter)
    out = {"A": A}
    if cover.get("damage"):
        base, rate = (
            (593, "0.0141")
            if months < 12
            else (564, "0.0134")
            if months < 24
            else (559, "0.0133")
            if months < 72
            else (576, "0.0137")
        )
        pband = max(i for i, b in enumerate(DED_BANDS) if P >= b)
        f = D(DED[deductible][pband]) * (D("0.98") if multi else 1)
        out["damage"] = r2((base + D(rate) * I) * f)
    if cover.get("tpl"):
        out["tpl"] = D(TPL[band][cover["tpl"]])
    if cover.get("seats"):
        rd, rp = (D("0.0040"), D("0.0026")) if band == "small" else (D("0.0038"), D("0.0025"))
        drv, pas = cover["seats"]
        out["seats"] = r2(drv * rd + pas * rp * (seats - 1))
    if cover.get("theft"):
        out["theft"] = r2(120 + D("0.0042") * A)
    if cover.get("glass"):
        g = D("0.0019") if not imported else (D("0.0031") if band == "small" else D("0.0030"))
        out["glass"] = r2(P * g)
    if cover.get("scratch"):
        pb = 0 if P < 300000 else 1 if P < 500000 else 2
        out["scratch"] = D(SCRATCH[(months >= 24, pb)][[2000, 5000, 10000, 20000].index(cover["scratch"])])
    if cover.get("repair"):
        out["repair"] = r2(out["damage"] * (D("0.15") if imported else D("0.10")))
    if cover.get("waiver"):
        base = sum(out.get(k, 0) for k in ("damage", "tpl", "seats", "scratch"))
        out["waiver"] = r2(D("0.15") * base + D("0.20") * out.get("theft", 0))
    items = sum(v for k, v in out.items() if k != "A")
    waived = out.get("glass", 0) if renewal and claim_free >= 1 else 0
    total = items - waived
    out["total"] = total
    coef = D(str(uw)).quantize(D("0.0001"), ROUND_HALF_UP) * D(str(ch)).quantize(D("0.0001"), ROUND_HALF_UP)
    out["premium"] = r2(total * ncd(claim_free, claims) * coef)
    out["voucher"] = D(min(claim_free, 3) * 100) if renewal else D(0)
    return out
