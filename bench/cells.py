"""Benchmarks of issue #12 (part A): worksheet functions one cell at a time.

Each cell function is called as Excel and Calc call it (through
:func:`renewal_xl.spreadsheet.worksheet.cell_function`: raw cell values in, a cell value
out), cold (no call cache, every quote distinct), against a plain-Python reading of the
manual doing the same job on the same values in the same run (``tests/manual_oracle.py``
for the premium; the same look-ups written out for the factors). Both sides must give the
same numbers; the bench asserts it. LibreOffice is measured on a formula workbook and
compared with the figure measured before this change (:data:`CALC_BEFORE`).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from decimal import Decimal as D
from pathlib import Path

import data
import numpy as np
from run import Result, quotes_of, timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import manual_oracle as oracle  # noqa: E402

from renewal_xl.spreadsheet import worksheet  # noqa: E402

LOG = logging.getLogger("bench")
PACKAGE_CODES = {"基本": "BASIC", "经济": "ECONOMY", "周到": "COMPREHENSIVE", "完全": "COMPLETE"}
# LibreOffice recalculating 5,000 RENEWAL_PREMIUM formulas before issue 12 (main at 75fb1e9,
# 2026-12-01, this machine, load average about 10): wall seconds, after a warm-up book
CALC_BEFORE = {"rows": 5_000, "seconds": 306.3}
GOAL = 10  # cold cell ≤ 10× the plain-Python reading; Calc ≥ 10× faster than before


def cold(function):
    """The cell form of a worksheet function without the call cache (every call computed)."""
    return worksheet.cell_function(function, LOG, cache=None)


def quote_cells(rows: int) -> list[tuple]:
    """Distinct quotes of the four packages as Excel hands them over (floats and text)."""
    quotes = quotes_of(data.register(rows))
    quotes = quotes[quotes["coverage"].isin(list(PACKAGE_CODES))]
    cells = {
        (
            float(q.new_car_price),
            float(q.vehicle_age_months),
            float(q.seats),
            q.coverage,
            float(q.claim_free_years),
            float(q.claims_last_year),
            float(q.deductible),
            None,
            None,
            None,
            None,
            "是" if q.imported else "否",  # the 12th argument: imported
        )
        for q in quotes.itertuples()
    }
    return sorted(cells, key=repr)


def oracle_premium(price, months, seats, cover, free, claims, deductible, _multi, _uw, _ch, _renewal, imported) -> D:
    """The manual's premium (tests/manual_oracle.py) of RENEWAL_PREMIUM's cell arguments."""
    cover_spec = oracle.PACKAGES[PACKAGE_CODES[cover]]
    return oracle.premium(
        price, int(months), int(seats), cover_spec, int(free), int(claims), int(deductible), imported=imported == "是"
    )["premium"]


def per_call(fn, calls: list[tuple], repeat: int) -> float:
    """Seconds per call, the minimum over ``repeat`` passes."""
    best, _ = timed(lambda: [fn(*args) for args in calls], repeat)
    return best / len(calls)


def bench_premium(rows: int, repeat: int) -> Result:
    calls = quote_cells(rows)
    premium = cold(worksheet.RENEWAL_PREMIUM)
    got = [premium(*c) for c in calls]
    want = [float(oracle_premium(*c)) for c in calls]
    assert got == want, "the cell and the manual must give the same premiums"
    ours = per_call(premium, calls, repeat)
    theirs = per_call(oracle_premium, calls, repeat)
    warm = worksheet.cell_function(worksheet.RENEWAL_PREMIUM, LOG)
    [warm(*c) for c in calls]  # fill the cache
    cached = per_call(warm, calls, repeat)
    return Result(
        f"RENEWAL_PREMIUM per cell, cold, {len(calls):,} distinct quotes",
        f"{ours * 1e6:.0f} µs a call (cached repeat {cached * 1e6:.1f} µs)",
        f"tests/manual_oracle.py {theirs * 1e6:.0f} µs a quote",
        ours / theirs,
        f"≤ {GOAL}× the plain Decimal reading of the manual",
        ours / theirs <= GOAL,
    )


NCD_ROWS = {0: ["1.0", "0.85", "0.7", "0.6"], 1: "1.0", 2: "1.25", 3: "1.5", 4: "1.75", 5: "2.0"}
RATES = {"专业代理": (D("0.12"), D("0.14")), "个人代理": (D("0.10"), D("0.12")), "经纪": (D("0.12"), D("0.14"))}
AGENCIES = {"AG001": (D("0.13"), D("0.15")), "AG002": (D("0.11"), D("0.13"))}


def plain_ncd(free: float, claims: float) -> D:
    """NCD_FACTOR in plain Python: whole numbers, then the table (§6)."""
    f, c = int(free), int(claims)
    if f != free or c != claims or f < 0 or c < 0:
        raise ValueError(free)
    return D(NCD_ROWS[min(c, 5)] if c else NCD_ROWS[0][min(f, 3)])


def plain_actual_value(price: float, months: float) -> D:
    """ACTUAL_VALUE in plain Python: round2(P × (1 − min(months × 0.6 %, 80 %))) (§3)."""
    return oracle.r2(D(repr(price)) * (1 - min(int(months) * D("0.006"), D("0.80"))))


def plain_commission(premium: float, channel: str, renewal: str, agency: str | None) -> D:
    """COMMISSION in plain Python: the agency's or channel's rate, round2(premium × rate) (§8)."""
    rates = AGENCIES.get(agency or "", RATES[channel])
    return oracle.r2(D(repr(premium)) * rates[renewal == "是"])


def bench_lookups(rows: int, repeat: int) -> list[Result]:
    rng = np.random.default_rng(12)
    n = max(rows, 100)
    claims = rng.integers(0, 6, n)
    ncd_calls = [(float(0 if c else f), float(c)) for f, c in zip(rng.integers(0, 8, n), claims)]
    value_calls = [(float(p), float(m)) for p, m in zip(rng.integers(20_000, 900_000, n), rng.integers(0, 240, n))]
    channels, agencies = list(RATES), [None, "AG001", "AG002", "AG777"]
    commission_calls = [
        (round(float(p) / 100, 2), channels[i % 3], "是" if i % 2 else "否", agencies[i % 4])
        for i, p in enumerate(rng.integers(50_000, 2_000_000, n))
    ]
    out = []
    for name, function, plain, calls in (
        ("NCD_FACTOR", worksheet.NCD_FACTOR, plain_ncd, ncd_calls),
        ("ACTUAL_VALUE", worksheet.ACTUAL_VALUE, plain_actual_value, value_calls),
        ("COMMISSION", worksheet.COMMISSION, plain_commission, commission_calls),
    ):
        cell = cold(function)
        assert [cell(*c) for c in calls] == [float(plain(*c)) for c in calls], f"{name}: the same results"
        ours, theirs = per_call(cell, calls, repeat), per_call(plain, calls, repeat)
        out.append(
            Result(
                f"{name} per cell, cold, {len(calls):,} calls",
                f"{ours * 1e6:.1f} µs a call",
                f"the same look-up in plain Python {theirs * 1e6:.1f} µs",
                ours / theirs,
                f"≤ {GOAL}× plain Python",
                ours / theirs <= GOAL,
            )
        )
    return out


def bench_calc(rows: int, repeat: int) -> Result:
    """LibreOffice recalculating ``rows`` RENEWAL_PREMIUM formulas with the add-in of this
    checkout (installed into a throwaway extensions folder), once, after a warm-up book."""
    from renewal_xl.calc.build import build_oxt
    from renewal_xl.calc.office import EXTENSIONS_ENV, Office, install_oxt
    from renewal_xl.calc.recalc import recalc_files

    book, small = data.formula_book(rows), data.formula_book(100)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        saved = os.environ.get(EXTENSIONS_ENV)
        os.environ[EXTENSIONS_ENV] = str(root / "extensions")
        try:
            install_oxt(build_oxt(root), echo=lambda line: None)
            with Office() as office:
                recalc_files([small], root, office=office)
                start = time.perf_counter()
                recalc_files([book], root, office=office)
                seconds = time.perf_counter() - start
        finally:
            if saved is None:
                os.environ.pop(EXTENSIONS_ENV, None)
            else:
                os.environ[EXTENSIONS_ENV] = saved
    before = CALC_BEFORE["seconds"] / CALC_BEFORE["rows"]
    ratio = before / (seconds / rows)
    return Result(
        f"LibreOffice recalculating {rows:,} RENEWAL_PREMIUM formulas",
        f"{seconds:.2f} s ({seconds / rows * 1e3:.2f} ms a formula)",
        f"before issue 12: {CALC_BEFORE['seconds']:.0f} s for {CALC_BEFORE['rows']:,} ({before * 1e3:.1f} ms a formula)",
        ratio,
        f"≥ {GOAL}× faster than before",
        ratio >= GOAL,
    )
