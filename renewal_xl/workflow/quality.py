"""Data quality of the register (renewal-workflow §4, programme 三、1 全面清理客户数据).

Every problem is one row: sheet row number, policy number, column (Chinese header),
value as written and the problem in Chinese. Checks, column by column:

- required columns present (a missing column is one problem on row 1, the header row);
- 保单号 not blank and not repeated (a repeat names the row where it first appears);
- 车架号: 17 characters of ISO 3779 with a valid check digit (:mod:`renewal_xl.vin`);
- 车牌号: :data:`PLATE_PATTERN` (province, letter, optional ``·``, 5 characters, or 6 for
  new-energy plates; the last may be 挂/学/警/港/澳);
- 联系电话: mobile ``1[3-9]`` + 9 digits, or a landline with area code ``0xx(x)-`` + 7–8
  digits (blanks inside are ignored);
- 客户名称, 业务员 not blank; 客户类型 one of 个人 企业 大型企业 机关事业 (or the codes);
- VIP, 进口车: yes/no; 连续未出险年数, 本期出险次数: whole numbers 0–100 (blank = 0);
- dates readable; 起保日期 ≤ 终保日期; 初登日期 ≤ 起保日期;
- overlapping policies of one VIN (a policy starting on or before the end of an earlier
  policy of the same VIN; repeated policy numbers are not compared);
- 保费 > 0; 座位数, 新车购置价, 绝对免赔额 and 险种组合 as the tariff in force on ``today``
  accepts them (the pricing engine's own checks and messages);
- 驾龄 (optional): whole years 0–80; 机构 (optional): readable text; 送单方式 (optional):
  one of 自取 业务员送达 邮寄;
- 渠道 one of the tariff's channels; 手续费率 (optional) within 0 – the filed cap;
- 赔款金额 (optional): a number ≥ 0 (:func:`renewal_xl.workflow.mix.read_claims_paid`), and
  not above 0 when 本期出险次数 is 0 (money paid without a claim); 车型 (optional): any text
  but an Excel error value (a failed lookup);
- 代理机构 — *unknown agency* means: a code not of the form ``AG`` + 3 digits (the code
  system of the tariff's agency table, e.g. AG001); an agency given for 直销 business;
  or no agency for a non-direct channel (the contract: blank only for direct business).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from renewal_xl.columns import REGISTER
from renewal_xl.errors import show_value
from renewal_xl.io.register import REGISTER_REQUIRED, Register
from renewal_xl.pricing.commission import read_channels, read_rates
from renewal_xl.pricing.price import DEFAULTS, MAX_COUNT, read_inputs
from renewal_xl.pricing.recommend import CUSTOMER_TYPES
from renewal_xl.readers import CELL_ERROR, Errors, dates, is_excel_error, numbers, texts, whole_numbers, yes_no
from renewal_xl.tariff import Tariff
from renewal_xl.tariff.model import DIRECT
from renewal_xl.vocabulary import FIELDS, REGISTER_COLUMNS, Field
from renewal_xl.workflow.history import DAY_BITS, day_numbers
from renewal_xl.workflow.mix import read_claims_paid

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_PATTERN = rf"[{PROVINCES}][A-HJ-NP-Z][·.]?(?:[A-HJ-NP-Z0-9]{{5,6}}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳])"
PHONE_PATTERN = r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}"
AGENCY_PATTERN = r"AG\d{3}"
HEADER_ROW = 1
COLUMNS = ("row", "policy_no", "salesperson", "agency", "column", "value", "problem")


def _shown(value: object) -> str:
    """A register cell as the report shows it: blank for an empty cell."""
    return "" if value is None or (isinstance(value, float) and value != value) else show_value(value)


class _Problems:
    """Collects problems of a register frame (index = sheet rows) column by column."""

    def __init__(self, register: pd.DataFrame):
        self.register = register
        self.n = len(register)
        self.parts: list[pd.DataFrame] = []

    def col(self, key: str) -> pd.Series:
        return self.register[key].reset_index(drop=True)

    def add(self, mask: np.ndarray, key: str, problem) -> None:
        """Rows in ``mask`` have ``problem`` (text, or an array of texts per row) in ``key``."""
        pos = np.flatnonzero(mask)
        if len(pos):
            text = problem[pos] if isinstance(problem, np.ndarray) else np.full(len(pos), problem, dtype=object)
            self.parts.append(pd.DataFrame({"pos": pos, "key": key, "problem": text}))

    def add_errors(self, errors: Errors, key: str) -> None:
        """The reasons recorded in ``errors`` as problems of column ``key``."""
        found = errors.array()
        bad = found != None  # noqa: E711 - elementwise on an object array
        reasons = np.array([e.reason if e is not None else "" for e in found], dtype=object)
        self.add(bad, key, reasons)

    def check(self, key: str, reader, *args, **kwargs):
        """Run a batch reader on column ``key``, record its errors, return its values."""
        errors = Errors(self.n)
        values = reader(self.col(key), key, errors, *args, **kwargs)
        self.add_errors(errors, key)
        return values, errors.ok

    def _owner(self, key: str, pos: np.ndarray) -> np.ndarray:
        """Who a problem goes to (业务员, 代理机构) as the rows hold it, blank if absent."""
        if key not in self.register.columns:
            return np.full(len(pos), "", dtype=object)
        return np.array([_shown(v) for v in self.register[key].iloc[pos]], dtype=object)

    def frame(self, policy_no: np.ndarray) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        found = pd.concat(self.parts, ignore_index=True)
        order = {key: k for k, key in enumerate(REGISTER)}
        pos = found["pos"].to_numpy()
        cells = [self.register[key].iat[p] for p, key in zip(pos, found["key"])]
        values = [_shown(v) for v in cells]
        out = pd.DataFrame(
            {
                "row": self.register.index.to_numpy()[pos],
                "policy_no": policy_no[pos],
                "salesperson": self._owner("salesperson", pos),
                "agency": self._owner("agency", pos),
                "column": found["key"].map(REGISTER).to_numpy(),
                "value": values,
                "problem": found["problem"].to_numpy(),
                "_order": found["key"].map(order).to_numpy(),
            }
        )
        return out.sort_values(["row", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def check_register(read: Register, t: Tariff) -> pd.DataFrame:
    """All problems of the register ``read`` (its frame: canonical keys, index = sheet rows;
    columns the file lacked in ``added_columns``), sorted by row then column.
    Columns: row, policy_no, salesperson, agency (who the fix goes to), column, value, problem."""
    register = read.frame
    p = _Problems(register)
    missing = [k for k in read.added_columns if k in REGISTER_REQUIRED]
    present = lambda key: key not in missing  # noqa: E731

    policy_no, _ = p.check("policy_no", texts)
    repeated = pd.Series(policy_no).duplicated(keep="first").to_numpy() & (policy_no != "")
    rows = register.index.to_numpy()
    first_row = pd.Series(rows).groupby(policy_no).transform("first").to_numpy()
    p.add(repeated, "policy_no", np.array([f"保单号重复 (首次出现在第 {r} 行)" for r in first_row], dtype=object))

    if present("vin"):
        from renewal_xl.vin import vin_problems

        problems = vin_problems(p.col("vin").to_numpy(dtype=object))
        p.add(problems != "", "vin", problems)
    for key, pattern, blank_text, bad_text in (
        ("plate", PLATE_PATTERN, "车牌号为空", "车牌号格式不符 (应如 鄂A·12345)"),
        ("phone", PHONE_PATTERN, "联系电话为空", "须为手机号 (1[3-9] 开头 11 位) 或带区号的固定电话 (如 027-87654321)"),
    ):
        if present(key):
            text, _ = p.check(key, texts, required=False)
            cleaned = pd.Series(text, dtype=object).str.replace(r"\s", "", regex=True)
            if key == "plate":
                cleaned = cleaned.str.upper()
            p.add(text == "", key, blank_text)
            p.add((text != "") & ~cleaned.str.fullmatch(pattern).to_numpy(dtype=bool), key, bad_text)
    for key in ("customer", "salesperson"):
        if present(key):
            p.check(key, texts)
    if present("customer_type"):
        kind, ok = p.check("customer_type", texts)
        names = set(CUSTOMER_TYPES) | set(CUSTOMER_TYPES.values())
        known = pd.Series(kind, dtype=object).str.upper().isin(names) | pd.Series(kind, dtype=object).isin(names)
        p.add(ok & ~known.to_numpy(), "customer_type", "未知客户类型; 可选: " + " ".join(CUSTOMER_TYPES))
    for key in ("vip", "imported"):
        if present(key):
            p.check(key, yes_no, default=False)
    claims, claims_ok = np.zeros(p.n, dtype=np.int64), np.zeros(p.n, dtype=bool)
    for key in ("claim_free_years", "claims"):
        if present(key):
            values, ok = p.check(key, whole_numbers, 0, MAX_COUNT, default=0, unit=" 次" if key == "claims" else " 年")
            if key == "claims":
                claims, claims_ok = values, ok
    (paid, given), _ = p.check("claims_paid", read_claims_paid)
    p.add(given & (paid > 0) & claims_ok & (claims == 0), "claims_paid", "有赔款金额但本期出险次数为 0")
    for key in BY_KIND:
        _check_by_kind(p, FIELDS[key])

    day = {
        key: p.check(key, dates)[0] if present(key) else np.full(p.n, np.datetime64("NaT"), "datetime64[D]")
        for key in ("start_date", "end_date", "first_registration")
    }
    start, end, first = day["start_date"], day["end_date"], day["first_registration"]
    p.add(~np.isnat(start) & ~np.isnat(end) & (start > end), "start_date", "起保日期晚于终保日期")
    p.add(~np.isnat(first) & ~np.isnat(start) & (first > start), "first_registration", "初登日期晚于起保日期")
    if present("vin"):
        _overlaps(p, policy_no, repeated, start, end)

    if present("premium"):
        premium, ok = p.check("premium", numbers)
        p.add(ok & (premium <= 0), "premium", "保费须大于 0")
    for key in ("seats", "new_car_price", "deductible", "coverage"):
        if present(key):
            errors = Errors(p.n)
            read_inputs(register[[key]], t, errors, DEFAULTS, fields=(key,))
            p.add_errors(errors, key)

    channel = np.full(p.n, DIRECT, dtype=object)
    if present("channel"):
        channel, _ = p.check("channel", read_channels, t)
    if present("commission_rate"):
        p.check("commission_rate", read_rates, t)
    if present("agency"):
        agency, _ = p.check("agency", texts, required=False)
        direct = channel == DIRECT
        p.add(direct & (agency != ""), "agency", "直销业务不应填写代理机构")
        p.add(~direct & (agency == ""), "agency", "非直销业务须填写代理机构代码")
        code_ok = pd.Series(agency, dtype=object).str.upper().str.fullmatch(AGENCY_PATTERN).to_numpy(dtype=bool)
        p.add((agency != "") & ~code_ok & ~direct, "agency", "未知代理机构代码 (应为 AG+3位数字, 如 AG001)")

    out = p.frame(policy_no)
    header = pd.DataFrame(
        {
            "row": HEADER_ROW,
            "policy_no": "",
            "salesperson": "",
            "agency": "",
            "column": [REGISTER[k] for k in missing],
            "value": "",
            "problem": "缺少必填列",
        }
    )
    return pd.concat([header, out], ignore_index=True) if missing else out


def _overlaps(p: _Problems, policy_no: np.ndarray, repeated: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Policies of one VIN whose period starts on or before the latest end of the VIN's
    earlier policies (sorted by start); names the earlier policy."""
    vin = texts(p.col("vin"), "vin", Errors(p.n), required=False)
    vin = pd.Series(vin, dtype=object).str.upper().to_numpy(dtype=object)
    usable = np.flatnonzero((vin != "") & ~repeated & ~np.isnat(start) & ~np.isnat(end) & (start <= end))
    code = pd.factorize(vin[usable])[0].astype(np.int64)
    s, e = day_numbers(start[usable]), day_numbers(end[usable])
    order = np.lexsort((e, s, code))
    pos, code, s, e = usable[order], code[order], s[order], e[order]
    # running latest end within the VIN: keys grow with the VIN code, so the global running
    # maximum is the maximum within each VIN; ``holder`` is the (last) row that holds it
    key = (code << DAY_BITS) + e
    running = np.maximum.accumulate(key) if len(key) else key
    k = np.arange(len(key))
    holder = np.maximum.accumulate(np.where(key == running, k, 0)) if len(key) else k
    prev_key = np.concatenate([[-1], running[:-1]])
    prev_holder = np.concatenate([[0], holder[:-1]])
    overlap = (prev_key >> DAY_BITS == code) & (s <= (prev_key & ((1 << DAY_BITS) - 1))) & (prev_key >= 0)
    rows = p.register.index.to_numpy()
    other = pos[prev_holder[overlap]]
    problems = np.full(p.n, "", dtype=object)
    problems[pos[overlap]] = [f"与同车架号保单 {policy_no[o]} (第 {rows[o]} 行) 保险期间重叠" for o in other]
    p.add(problems != "", "start_date", problems)


# the optional register columns checked by their kind alone (vocabulary): a new optional
# column is checked as soon as it is declared there; these two have rules of their own
BY_KIND = tuple(k for k in REGISTER_COLUMNS if FIELDS[k].optional and k not in ("commission_rate", "claims_paid"))


def _check_by_kind(p, field: Field) -> None:
    """An optional column by its kind: a whole number within 0–``high``; a code one of its
    ``choices``; any text but an Excel error value."""
    if field.kind == "count":
        high = field.high if field.high is not None else MAX_COUNT
        p.check(field.key, whole_numbers, 0, high, default=0, unit=f" {field.unit}" if field.unit else "")
        return
    text, _ = p.check(field.key, texts, required=False)
    if field.choices:
        p.add(~np.isin(text, ("", *field.choices)), field.key, "可选: " + " ".join(field.choices))
    else:
        p.add(np.array([is_excel_error(v) for v in text], dtype=bool), field.key, CELL_ERROR)
