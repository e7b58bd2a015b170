"""`renewal-xl demo`: a realistic sample register with a fixed seed, and every report.

The register holds multi-year policy histories of vehicles of one branch (鄂A plates):
valid VINs (ISO 3779 check digit), phones, eight salespeople, direct business and the
agencies AG001–AG004 over the manual's channels, claims that move the NCD, renewals on
time, signed early (a policy that starts after the as-of day), late (some more than 30 days
after expiry, which the review does not count as renewed), taken over by another
salesperson (抢户), and lost customers with and without a tracked lapse reason. Premiums
come from the pricing engine. Claims follow the programme's business-mix pattern (一.7): a
car in its first year claims more often (:data:`NEW_CAR_CLAIM_RATE` against
:data:`CLAIM_RATE` a term) and dearer (severity :data:`NEW_CAR_SEVERITY` of the new-car
price against :data:`SEVERITY`), so new cars show the higher loss ratio; 赔款金额 is left
blank on a few rows and 车型 on some (the mix uses them where given). The sheet 目标
holds the targets of the year before ``as_of``'s (:func:`demo_targets`). A few cells are deliberately wrong (check
digit, phone, plate, a repeated policy, a coverage typo) so the data-quality report has
something to show. The year and mix workbooks cover the calendar year before ``as_of``'s:
a settled year (the bonus is paid at year end) of complete terms. The same ``seed``, ``policies`` and ``as_of`` give the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from renewal_xl.app import jobs
from renewal_xl.columns import REGISTER, TARGETS, TRACKING
from renewal_xl.dates import month_before, month_bounds, months_between_arrays
from renewal_xl.io.register import (
    REGISTER_SHEET,
    TARGETS_SHEET,
    TRACKING_SHEET,
    Register,
    read_register,
    read_targets,
    read_tracking,
)
from renewal_xl.pricing.price import price_arrays
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.spec import Page, Report, Sheet, Table
from renewal_xl.reports.tables import FORMATS
from renewal_xl.vin import with_check_digits
from renewal_xl.workflow.due import Window
from renewal_xl.workflow.policies import DELIVERY_METHODS, read_policies
from renewal_xl.workflow.review import LAPSE_REASONS
from renewal_xl.workflow.statements import statements

SALESPEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
AGENCIES = ("AG001", "AG002", "AG003", "AG004")
CHANNELS = ("直销", "个人代理", "专业代理", "兼业代理", "经纪")
CHANNEL_SHARE = (0.35, 0.20, 0.25, 0.15, 0.05)
CUSTOMER_TYPES = ("个人", "企业", "大型企业", "机关事业")
CUSTOMER_SHARE = (0.75, 0.15, 0.05, 0.05)
PACKAGES = ("经济", "周到", "基本", "完全")
PACKAGE_SHARE = (0.40, 0.30, 0.15, 0.15)
BRANCHES = ("武汉分公司", "宜昌支公司", "襄阳支公司")
INSURERS = ("平安产险", "太平洋产险", "国寿财险", "大地保险", "阳光产险")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
WMIS = ("LSV", "LFV", "LGB", "LHG", "LVS", "LBV", "LDC", "LGW")
VIN_CHARS = np.array(list("0123456789ABCDEFGHJKLMNPRSTUVWXYZ"))
PLATE_CHARS = np.array(list("0123456789"))
HOTLINE = "400-000-0000 (示例)"
FILES = {
    "register": "register.xlsx",
    "renewals": "renewals.xlsx",
    "review": "review.xlsx",
    "progress": "progress.xlsx",
    "statements": "statements.xlsx",
    "check": "check.xlsx",
    "price": "price.xlsx",
    "year": "year.xlsx",
    "mix": "mix.xlsx",
}
TARGET_GROWTH = 1.4  # demo targets: the previous year's renewals + 40 % (a growing book), rounded up
TARGET_RATE = 0.7  # demo 续保率目标

# claims per term (Poisson means) and mean claim cost as a share of the new-car price
CLAIM_RATE, NEW_CAR_CLAIM_RATE = 0.22, 0.40
SEVERITY, NEW_CAR_SEVERITY = 0.035, 0.06
CLAIMS_PAID_BLANK, MODEL_BLANK = 0.05, 0.10  # shares of rows without 赔款金额 / 车型
# 车型 by seats and new-car price: (price below, model)
MODELS = {
    5: ((100_000, "吉利帝豪"), (150_000, "大众朗逸"), (250_000, "丰田凯美瑞"), (400_000, "奥迪A6L"), (None, "宝马5系")),
    7: ((120_000, "五菱宏光"), (300_000, "别克GL8"), (None, "丰田埃尔法")),
}

# what happens when a term ends (shares): renewed on time, renewed late, lost
RENEW_ON_TIME, RENEW_LATE, LOST = 0.68, 0.10, 0.22
POACHED = 0.06  # renewals written by another salesperson
CROSS_BRANCH = 0.02  # renewals booked in another branch (跨机构)
AGENCY_TO_DIRECT = 0.04  # agency renewals rewritten as direct business (机构变更)
CLAIMED_RENEWED = 0.08  # lost policies whose tracking says 已续保 (待核实)
CLAIMED_LOST = 0.03  # renewed policies whose tracking says 未续保 (跟踪不一致)
SIGNED_EARLY = 0.35  # renewals starting within 45 days after as_of already in the register
LATE_DAYS = (1, 45)  # days after end + 1 a late renewal starts (over 30: not counted as renewed)


def _pick(rng: np.random.Generator, values, shares, size: int) -> np.ndarray:
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=size, p=shares)]


def _vehicles(rng: np.random.Generator, v: int, as_of: dt.date) -> pd.DataFrame:
    """One row per vehicle: identity, owner, risk and the start of its first policy here."""
    serial = rng.integers(0, 10**6, size=v)
    vds = ["".join(c) for c in VIN_CHARS[rng.integers(0, len(VIN_CHARS), size=(v, 5))]]
    wmi = np.asarray(WMIS, dtype=object)[rng.integers(0, len(WMIS), size=v)]
    year = VIN_CHARS[rng.integers(0, 33, size=v)]
    raw = [
        f"{w}{d}0{y}{p}{s:06d}" for w, d, y, p, s in zip(wmi, vds, year, VIN_CHARS[rng.integers(0, 33, size=v)], serial)
    ]
    letters = np.array(list("ABCDEFGHJK"))[rng.integers(0, 10, size=v)]
    plates = [
        "鄂" + letter + "·" + "".join(d) for letter, d in zip(letters, PLATE_CHARS[rng.integers(0, 10, size=(v, 5))])
    ]
    names = [
        SURNAMES[a] + GIVEN[b] + (GIVEN[c] if c < len(GIVEN) else "")
        for a, b, c in zip(
            rng.integers(0, len(SURNAMES), v), rng.integers(0, len(GIVEN), v), rng.integers(0, len(GIVEN) * 2, v)
        )
    ]
    kind = _pick(rng, CUSTOMER_TYPES, CUSTOMER_SHARE, v)
    company = kind != "个人"
    names = np.where(
        company,
        [
            n[0] + "氏" + ("商贸有限公司" if k == "企业" else "集团" if k == "大型企业" else "市交通局")
            for n, k in zip(names, kind)
        ],
        names,
    )
    mobile = [f"1{p}{n:09d}"[:11] for p, n in zip(rng.choice([3, 5, 8, 9], v), rng.integers(0, 10**9, v))]
    landline = [f"027-8{n:07d}" for n in rng.integers(0, 10**7, v)]
    phone = np.where(rng.random(v) < 0.05, landline, mobile)
    first_start = np.datetime64(as_of, "D") - rng.integers(0, 4 * 365, size=v).astype(
        "timedelta64[D]"
    )  # incl. new business
    first_reg = first_start - rng.integers(0, 8 * 365, size=v).astype("timedelta64[D]")
    channel = _pick(rng, CHANNELS, CHANNEL_SHARE, v)
    agency = np.where(channel == "直销", "", np.asarray(AGENCIES, dtype=object)[rng.integers(0, len(AGENCIES), v)])
    package = _pick(rng, PACKAGES, PACKAGE_SHARE, v)
    package = np.where(np.isin(kind, ["大型企业", "机关事业"]), "完全", package)
    deductible = np.where(np.isin(package, ["基本"]), 0, rng.choice([0, 0, 0, 0, 0, 0, 0, 500, 1000, 2000], v))
    price = np.clip(np.round(rng.lognormal(np.log(140_000), 0.5, v), -2), 40_000, 900_000)
    return pd.DataFrame(
        {
            "vin": with_check_digits(raw),
            "plate": plates,
            "customer": names,
            "phone": phone,
            "customer_type": kind,
            "vip": np.where((rng.random(v) < 0.08) | (kind == "机关事业"), "是", "否"),
            "salesperson": np.asarray(SALESPEOPLE, dtype=object)[rng.integers(0, len(SALESPEOPLE), v)],
            "agency": agency,
            "channel": channel,
            "coverage": package,
            "new_car_price": price,
            "first_registration": first_reg,
            "seats": np.where(rng.random(v) < 0.2, 7, 5),
            "imported": np.where(rng.random(v) < 0.05, "是", "否"),
            "deductible": deductible,
            "first_start": first_start,
            "claim_free_years": rng.choice([0, 0, 1, 2, 3, 4], v),
        }
    )


def _histories(rng: np.random.Generator, cars: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Policy terms of every vehicle (one year each) until it is lost or its next term is
    not signed yet; a lost or late renewal, or one by another salesperson, at random."""
    today = np.datetime64(as_of, "D")
    terms = []
    active = np.arange(len(cars))
    start = cars["first_start"].to_numpy().astype("datetime64[D]")
    salesperson = cars["salesperson"].to_numpy(dtype=object).copy()
    free = cars["claim_free_years"].to_numpy().copy()
    registered = cars["first_registration"].to_numpy().astype("datetime64[D]")
    last_claims = np.zeros(len(cars), dtype=np.int64)
    renewal = np.zeros(len(cars), dtype=bool)
    while len(active):
        s = start[active]
        end = s.astype("datetime64[D]") + np.timedelta64(365, "D")
        new_car = months_between_arrays(registered[active], s) < 12
        claims = np.minimum(rng.poisson(np.where(new_car, NEW_CAR_CLAIM_RATE, CLAIM_RATE)), 3)
        terms.append(
            pd.DataFrame(
                {
                    "car": active,
                    "start_date": s,
                    "end_date": end - np.timedelta64(1, "D"),
                    "salesperson": salesperson[active],
                    "claim_free_years": free[active],
                    "claims_last_year": last_claims[active],
                    "claims": claims,
                    "is_renewal": renewal[active],
                }
            )
        )
        fate = rng.random(len(active))
        late = (fate >= RENEW_ON_TIME) & (fate < RENEW_ON_TIME + RENEW_LATE)
        lost = fate >= RENEW_ON_TIME + RENEW_LATE
        next_start = end + np.where(late, rng.integers(*LATE_DAYS, len(active)), 0).astype("timedelta64[D]")
        signed = (next_start <= today) | (
            (next_start - today <= np.timedelta64(45, "D")) & (rng.random(len(active)) < SIGNED_EARLY)
        )
        go = ~lost & signed
        poach = go & (rng.random(len(active)) < POACHED)
        others = np.asarray(SALESPEOPLE, dtype=object)[rng.integers(0, len(SALESPEOPLE), len(active))]
        salesperson[active] = np.where(poach & (others != salesperson[active]), others, salesperson[active])
        free[active] = np.where(claims == 0, free[active] + 1, 0)
        last_claims[active] = claims
        start[active] = next_start
        renewal[active] = ~late | (next_start - end <= np.timedelta64(30, "D"))
        active = active[go]
    return pd.concat(terms, ignore_index=True)


def generate(policies: int, as_of: dt.date, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register (canonical keys, exactly ``policies`` rows) and the tracking table."""
    rng = np.random.default_rng(seed)
    cars = _vehicles(rng, policies, as_of)  # more than enough: histories average 2–3 terms
    terms = _histories(rng, cars, as_of)
    terms = terms.sort_values(["car", "start_date"], kind="stable").iloc[:policies].reset_index(drop=True)
    reg = terms.join(cars.drop(columns=["salesperson", "claim_free_years", "first_start"]), on="car")
    reg = _owners_and_service(np.random.default_rng([seed, 15]), reg, len(cars))
    months = months_between_arrays(
        reg["first_registration"].to_numpy().astype("datetime64[D]"),
        reg["start_date"].to_numpy().astype("datetime64[D]"),
    )
    quotes = pd.DataFrame(
        {
            "new_car_price": reg["new_car_price"],
            "vehicle_age_months": months,
            "seats": reg["seats"],
            "coverage": reg["coverage"],
            "claim_free_years": np.where(reg["claims_last_year"] > 0, 0, reg["claim_free_years"]),
            "claims_last_year": reg["claims_last_year"],
            "deductible": reg["deductible"],
            "imported": reg["imported"] == "是",
            "is_renewal": reg["is_renewal"],
            "policy_start": reg["start_date"],
        }
    )
    priced = price_arrays(quotes, today=as_of)
    reg["premium"] = priced.premium / 100.0
    reg["claim_free_years"] = quotes["claim_free_years"]
    order = np.argsort(reg["start_date"].to_numpy(), kind="stable")
    numbers = np.empty(len(reg), dtype=object)
    numbers[order] = [
        f"PDAA{str(d)[:4]}4201{k:06d}"
        for k, d in enumerate(reg["start_date"].to_numpy()[order].astype("datetime64[D]"), 1)
    ]
    reg["policy_no"] = numbers
    agency_policy = reg["agency"] != ""
    negotiated = agency_policy & (rng.random(len(reg)) < 0.1)
    reg["commission_rate"] = np.where(negotiated, 0.10, None)
    for key in ("start_date", "end_date", "first_registration"):
        reg[key] = reg[key].to_numpy().astype("datetime64[D]").astype(object)
    reg["claims_paid"] = _claims_paid(rng, reg["claims"].to_numpy(), reg["new_car_price"].to_numpy(), months < 12)
    reg["vehicle_model"] = _models(rng, reg["seats"].to_numpy(), reg["new_car_price"].to_numpy())
    reg = reg[list(REGISTER)].copy()
    tracking = _tracking(rng, reg, as_of, np.random.default_rng([seed, 16]))
    return _with_mistakes(rng, reg), tracking


def _claims_paid(rng: np.random.Generator, claims: np.ndarray, price: np.ndarray, new_car: np.ndarray) -> np.ndarray:
    """Yuan paid in the term: per claim a gamma-distributed cost (shape 2) with mean
    :data:`SEVERITY` (:data:`NEW_CAR_SEVERITY` for a car in its first year) × the new-car
    price; 0 without claims; blank (None) on :data:`CLAIMS_PAID_BLANK` of the rows."""
    mean = price * np.where(new_car, NEW_CAR_SEVERITY, SEVERITY)
    paid = np.round(rng.gamma(2.0 * np.maximum(claims, 1), mean / 2.0) * (claims > 0), 2)
    return np.where(rng.random(len(claims)) < CLAIMS_PAID_BLANK, None, paid).astype(object)


def _models(rng: np.random.Generator, seats: np.ndarray, price: np.ndarray) -> np.ndarray:
    """车型 of :data:`MODELS` by seats and new-car price; blank on :data:`MODEL_BLANK` of the rows."""
    out = np.full(len(seats), None, dtype=object)
    for n, bands in MODELS.items():
        todo = seats == n
        for below, model in bands:
            hit = todo & (True if below is None else price < below)
            out[hit] = model
            todo &= ~hit
    return np.where(rng.random(len(seats)) < MODEL_BLANK, None, out)


def _owners_and_service(rng: np.random.Generator, reg: pd.DataFrame, cars: int) -> pd.DataFrame:
    """The optional register columns and the owner changes the review checks, drawn from
    their own random stream (the rest of the demo stays as it was): 机构 per vehicle, a
    few renewals booked in another branch (跨机构) or moved from an agency to direct
    business by the same salesperson (机构变更); 驾龄 per vehicle (some blank); 送单方式
    per policy (some blank = 未指定)."""
    reg = reg.copy()
    n = len(reg)
    car = reg["car"].to_numpy()
    branch = rng.integers(0, len(BRANCHES), cars)[car]
    renewal = reg["is_renewal"].to_numpy(dtype=bool)
    branch = np.where(renewal & (rng.random(n) < CROSS_BRANCH), (branch + 1) % len(BRANCHES), branch)
    reg["branch"] = np.asarray(BRANCHES, dtype=object)[branch]
    to_direct = renewal & (reg["agency"] != "").to_numpy() & (rng.random(n) < AGENCY_TO_DIRECT)
    reg["agency"] = np.where(to_direct, "", reg["agency"])
    reg["channel"] = np.where(to_direct, "直销", reg["channel"])
    years = rng.integers(0, 31, cars).astype(object)
    years[rng.random(cars) < 0.1] = None
    reg["driving_years"] = years[car]
    delivery = _pick(rng, DELIVERY_METHODS, (0.4, 0.45, 0.15), n)
    reg["delivery"] = np.where(rng.random(n) < 0.15, "", delivery)
    return reg


def _tracking(rng: np.random.Generator, reg: pd.DataFrame, as_of: dt.date, extra: np.random.Generator) -> pd.DataFrame:
    """Follow-up of the policies that ended in the four months before ``as_of`` and were
    not renewed within 30 days: most have a status and a reason, some have none, a few say
    已续保 (待核实 in the review); a few renewed policies say 未续保 (跟踪不一致); some
    policies due soon are being followed up (跟进中, contacted two days ago). ``extra``
    draws the cases added for the review's checks, so ``rng``'s draws stay as they were."""
    from renewal_xl.tariff import catalogue
    from renewal_xl.workflow.history import renewal_of

    p = read_policies(Register(reg.set_index(pd.RangeIndex(2, len(reg) + 2))), catalogue().for_date(as_of))
    end = p.table["end"].to_numpy().astype("datetime64[D]")
    today = np.datetime64(as_of, "D")
    recent = (end < today) & (end >= today - np.timedelta64(120, "D"))
    lost = recent & (renewal_of(p.table) < 0)
    pos = np.flatnonzero(lost & (rng.random(len(end)) < 0.75))
    reasons = np.asarray(LAPSE_REASONS, dtype=object)[
        rng.choice(len(LAPSE_REASONS), size=len(pos), p=(0.05, 0.05, 0.08, 0.25, 0.05, 0.07, 0.1, 0.1, 0.2, 0.05))
    ]
    blank = rng.random(len(pos)) < 0.1
    moved = np.isin(reasons, ["转投他司", "价格"]) & ~blank
    insurers = np.asarray(INSURERS, dtype=object)[rng.integers(0, len(INSURERS), len(pos))]
    due_soon = np.flatnonzero((end >= today) & (end < today + np.timedelta64(40, "D")) & (rng.random(len(end)) < 0.3))
    status = np.where(blank, "跟进中", "未续保").astype(object)
    first, last = month_before(as_of)
    last_month = (end >= np.datetime64(first, "D")) & (end <= np.datetime64(last, "D"))
    claimed = _at_least_one(extra.random(len(pos)) < CLAIMED_RENEWED, last_month[pos])  # 已续保, no renewal
    status[claimed] = "已续保"
    reasons = np.where(blank | claimed, "", reasons)
    found = recent & (renewal_of(p.table) >= 0)
    renewed = np.flatnonzero(found & _at_least_one(extra.random(len(end)) < CLAIMED_LOST, found & last_month))
    numbers = p.table["policy_no"].to_numpy()
    return pd.DataFrame(
        {
            "policy_no": np.concatenate([numbers[pos], numbers[due_soon], numbers[renewed]]),
            "status": np.concatenate([status, np.full(len(due_soon), "跟进中"), np.full(len(renewed), "未续保")]),
            "lapse_reason": np.concatenate([reasons, np.full(len(due_soon), ""), np.full(len(renewed), "价格")]),
            "next_insurer": np.concatenate(
                [np.where(moved & ~claimed, insurers, ""), np.full(len(due_soon), ""), np.full(len(renewed), "")]
            ),
            "remark": np.concatenate(
                [
                    np.where(blank, "客户未回复", np.where(claimed, "业务员称已续保", "")),
                    np.full(len(due_soon), "已发续保通知"),
                    np.full(len(renewed), "客户称不续保"),
                ]
            ),
            "contact_date": np.concatenate(
                [
                    np.full(len(pos), None),
                    np.full(len(due_soon), as_of - dt.timedelta(days=2)),
                    np.full(len(renewed), None),
                ]
            ),
        }
    ).astype(object)


def planted(n: int) -> int:
    """Mistakes :func:`_with_mistakes` plants in a register of ``n`` rows: one bad VIN,
    phone, plate and coverage each per 400 rows (at least one of each), and one policy
    entered twice (registers over 10 rows)."""
    return min(4 * max(n // 400, 1), n) + (n > 10)


def _at_least_one(chosen: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``chosen`` with its first ``where`` position added when none of ``where`` is chosen
    (so the review of last month shows the case)."""
    if where.any() and not (chosen & where).any():
        chosen = chosen.copy()
        chosen[np.argmax(where)] = True
    return chosen


def _with_mistakes(rng: np.random.Generator, reg: pd.DataFrame) -> pd.DataFrame:
    """A handful of typical register mistakes for the data-quality report."""
    reg = reg.copy()
    n = len(reg)
    rows = rng.choice(n, size=planted(n) - (n > 10), replace=False)
    bad_vin, bad_phone, bad_plate, bad_cover = np.array_split(rows, 4)
    for i in bad_vin:
        vin = reg.at[i, "vin"]
        reg.at[i, "vin"] = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
    reg.loc[bad_phone, "phone"] = "1381234567"
    reg.loc[bad_plate, "plate"] = ""
    reg.loc[bad_cover, "coverage"] = "车损+三者:25万+不计免赔"  # no such TPL limit
    if n > 10:
        reg.iloc[n - 1] = reg.iloc[n // 2]  # a policy entered twice
    return reg


def demo_targets(reg: pd.DataFrame, year: int) -> pd.DataFrame:
    """Targets of ``year`` per salesperson (canonical keys): the renewal policies each wrote
    the year before × :data:`TARGET_GROWTH`, rounded up (at least 1), and :data:`TARGET_RATE`."""
    from renewal_xl.tariff import catalogue

    last_year = Window(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    st = statements(
        read_policies(Register(reg.set_index(pd.RangeIndex(2, len(reg) + 2))), catalogue().for_date(last_year.last)),
        last_year,
        catalogue().for_date(last_year.first),
    )
    renewals = st.salespeople.set_index("salesperson")["renewals"].reindex(list(SALESPEOPLE), fill_value=0)
    return pd.DataFrame(
        {
            "salesperson": list(SALESPEOPLE),
            "target_count": np.maximum(np.ceil(renewals.to_numpy() * TARGET_GROWTH), 1).astype(int),
            "target_rate": TARGET_RATE,
        }
    )


def register_report(reg: pd.DataFrame, tracking: pd.DataFrame, targets: pd.DataFrame) -> Report:
    """The register workbook: 保单台账, 续保跟踪 and 目标 with Chinese headers."""
    register = reg.rename(columns=REGISTER)
    formats = {REGISTER[k]: FORMATS["date"] for k in ("start_date", "end_date", "first_registration")}
    formats |= {REGISTER[k]: FORMATS["fen"] for k in ("premium", "new_car_price", "claims_paid")}
    return Report(
        [
            Sheet(REGISTER_SHEET, [Table(register, formats=formats)], page=Page(repeat_columns=1)),  # 保单号
            Sheet(TRACKING_SHEET, [Table(tracking.rename(columns=TRACKING))]),
            Sheet(TARGETS_SHEET, [Table(targets.rename(columns=TARGETS), formats={TARGETS["target_rate"]: "0%"})]),
        ]
    )


def run_demo(out: Path, policies: int, as_of: dt.date, seed: int) -> list[str]:
    """Generate the register into ``out`` and every report from it; returns the messages."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    reg, tracking = generate(policies, as_of, seed)
    register_path = out / FILES["register"]
    write_report(register_report(reg, tracking, demo_targets(reg, as_of.year - 1)), register_path, marker=False)
    messages = [
        f"样例台账 {len(reg)} 份保单 (种子 {seed}, 基准日 {as_of:%Y-%m-%d}): {register_path}",
        f"样例台账中故意写入了 {planted(len(reg))} 处常见录入错误 (车架号校验位、手机号位数、空车牌、"
        "无此限额的险种、重复保单), 用来演示 check 的问题清单和报价失败; 不是程序出错",
    ]
    read = read_register(register_path)
    last_month = Window(*month_before(as_of))
    tracking_read = read_tracking(register_path, first_sheet=False)
    outcomes = {
        "renewals": jobs.renewals(read, as_of, Window.of(as_of), hotline=HOTLINE),
        "review": jobs.review(read, last_month, tracking_read, as_of),
        "progress": jobs.progress(read, Window(*month_bounds(f"{as_of:%Y-%m}")), tracking_read, as_of),
        "statements": jobs.statement(read, last_month),
        "check": jobs.check(read, as_of),
        "price": jobs.price(read, as_of),
        "year": jobs.year(read, as_of.year - 1, as_of, read_targets(register_path, first_sheet=False)),
        "mix": jobs.mix(read, Window(dt.date(as_of.year - 1, 1, 1), dt.date(as_of.year - 1, 12, 31))),
    }
    for name, outcome in outcomes.items():
        path = out / FILES[name]
        write_report(outcome.report, path)
        messages += [*outcome.messages, f"已写入 {path}"]
    return messages
