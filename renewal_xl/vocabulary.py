"""The domain vocabulary, declared once: every field users meet (quote inputs, register and
tracking columns, worksheet-function arguments) and every coverage item.

A :class:`Field` carries its English key, its Chinese label, its kind (which reader reads it),
its unit, and the Function Wizard help. Everything else is derived from here: the labels in
messages (:func:`label`), the register and tracking columns (:mod:`renewal_xl.columns`), the
quote inputs of the pricing engine, the per-argument help of Excel and Calc
(:mod:`renewal_xl.spreadsheet.help`, ranges filled in from the tariff in force), the template
columns and the coverage grammar's item names.

>>> label("seats"), FIELDS["seats"].kind, FIELDS["seats"].unit
('座位数', 'count', '座')
>>> [item.code for item in ITEMS][:3]
['DAMAGE', 'TPL', 'SEATS']
>>> REGISTER_COLUMNS[:3]
('policy_no', 'vin', 'plate')
"""

from __future__ import annotations

from dataclasses import dataclass

# what each kind of field holds; the readers of renewal_xl.readers read them
KINDS = {
    "money": "元, 至多两位小数",
    "count": "整数",
    "coef": "系数, 取 4 位小数",
    "choice": "费率表所列取值之一",
    "rate": "比率, 如 0.12 或 12%",
    "yes_no": "是/否",
    "date": "日期",
    "text": "文字",
    "code": "代码或名称 (不分大小写)",
    "coverage": "套餐或险种清单",
    "table": "区域",
}


@dataclass(frozen=True)
class Field:
    """One field. ``help`` is the Function Wizard text after ``label key:``; ``{name}``
    placeholders in it are filled from the tariff in force (so a user tariff shows its own
    ranges). ``blank`` says what a blank optional argument means when the engine, not the
    function's signature, decides; ``optional`` marks a register column that may be left out;
    ``header`` is its column header where that differs from the label.

    A quote input's bounds come from the tariff in force: the parameters ``<key>_min`` and
    ``<key>_max`` of ``tariff/schema/parameters.csv`` when the tariff has them (lower bound 0
    when only the maximum is given), else ``high`` (a count without one: 0–:data:`MAX_COUNT`;
    an amount without one: more than 0, a blank left to the engine). ``in_tariff`` names
    the tariff's own tables instead: for a count the ``Tariff.<in_tariff>_min``/``_max``
    it covers (the seats of its seat bands), for a ``choice`` the attribute listing the
    allowed values (its deductibles)."""

    key: str
    label: str
    kind: str = "text"
    unit: str = ""
    help: str = ""
    blank: str = ""
    optional: bool = False
    header: str = ""  # the column header where it differs from the label (a register's 驾龄)
    high: int | None = None  # a whole number's or an amount's upper bound (lower bound 0)
    choices: tuple[str, ...] = ()  # the values a code may take
    in_tariff: str = ""  # the Tariff attribute(s) bounding a quote input (see below)

    @property
    def heading(self) -> str:
        """The header of the field's column in a register or table."""
        return self.header or self.label

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.key}: unknown kind {self.kind!r}")


MAX_COUNT = 100  # a count without bounds of its own (claim-free years, claims): whole numbers 0–100
MAX_AMOUNT = 10**9  # yuan: the largest premium a function accepts
_YES_NO = "是/否 (TRUE/FALSE, 1/0, Y/N)"

_FIELDS = (
    # quote inputs, tariff manual §2 (in the contract's argument order)
    Field("new_car_price", "新车购置价", "money", "元", "元, {new_car_price}"),
    Field(
        "vehicle_age_months",
        "车龄(月)",
        "count",
        "个月",
        "初次登记至起保的整月数, {vehicle_age_months}; 可用 MONTHS_BETWEEN 计算",
    ),
    Field("seats", "座位数", "count", "座", "{seats} 座 (以费率表为准)", in_tariff="seats"),
    Field(
        "coverage",
        "险种组合",
        "coverage",
        "",
        "套餐名 {packages}, 或用 + 连接的险种清单, 如 车损+三者:50万+盗抢+不计免赔",
    ),
    Field("claim_free_years", "连续未出险年数", "count", "年", "整数 ≥ 0"),
    Field("claims_last_year", "上年出险次数", "count", "次", "整数 ≥ 0; 与连续未出险年数不能同时大于 0"),
    Field("deductible", "绝对免赔额", "choice", "元", "{deductibles} 元", blank="0", in_tariff="deductibles"),
    Field("multi_accident", "多次事故免赔特约", "yes_no", "", _YES_NO, blank="否"),
    Field("underwriting_coef", "自主核保系数", "coef", "", "{underwriting_coef}, 取 4 位小数", blank="1"),
    Field("channel_coef", "自主渠道系数", "coef", "", "{channel_coef}, 取 4 位小数", blank="1"),
    Field("is_renewal", "是否续保", "yes_no", "", _YES_NO),
    Field("imported", "进口车", "yes_no", "", _YES_NO, blank="否"),
    Field(
        "insured_amount",
        "车损保险金额",
        "money",
        "元",
        "元, 大于 0 且不超过实际价值 (低于实际价值为不足额投保)",
        blank="实际价值",
    ),
    Field("policy_start", "起保日期", "date", "", "日期, 决定适用的费率表版本", blank="今天"),
    # other worksheet-function arguments
    Field("package", "套餐", "code", "", "{packages}"),
    Field(
        "customer_type",
        "客户类型",
        "code",
        "",
        "个人/企业/大型企业/机关事业 (PERSONAL/COMPANY/LARGE_COMPANY/GOVERNMENT)",
    ),
    Field("driving_years", "驾龄(年)", "count", "年", "0–80", optional=True, header="驾龄", high=80),
    Field("price_sensitivity", "价格敏感度", "code", "", "高/中/低 (HIGH/MEDIUM/LOW)"),
    Field("channel", "渠道", "code", "", "{channels}"),
    Field(
        "agency",
        "代理机构",
        "code",
        "",
        "代理机构代码, 如 AG001 (有单独费率的机构按其费率)",
        blank="无 (按渠道标准费率)",
    ),
    Field("premium", "保费", "money", "元", "元", high=MAX_AMOUNT),
    Field(
        "commission_rate",
        "手续费率",
        "rate",
        "",
        "这张保单的手续费率, 如 0.12 或 12%; 空单元格 = 渠道标准费率",
        optional=True,
    ),
    Field("commission", "手续费", "money", "元", "元, 保费 × 手续费率, 四舍五入到分"),
    Field("performance_pay", "绩效提取", "money", "元", "元, 费率手册 §9"),
    Field("renewed_count", "续保件数", "count", "件", "整数 ≥ 0"),
    Field("target_count", "目标件数", "count", "件", "整数 > 0", header="续保件数目标"),
    Field("renewal_premium", "续保保费", "money", "元", "元, 续保保单的保费合计", high=MAX_AMOUNT),
    Field("from_date", "起始日期", "date", "", "日期, 如初次登记日期"),
    Field("to_date", "截止日期", "date", "", "日期, 如起保日期"),
    Field("end_date", "终保日期", "date", "", "保险期间的最后一天"),
    Field("as_of", "基准日期", "date", "", "日期", blank="计算当天 (需每天刷新时填 TODAY())"),
    Field("window_days", "提前天数", "count", "天", "整数 0–3660"),
    Field(
        "table",
        "表格",
        "table",
        "",
        "含表头行的区域; 表头为报价输入 (新车购置价 车龄(月) 座位数 险种组合 连续未出险年数 上年出险次数 …) "
        "或保单台账 (终保日期 初登日期 新车购置价 座位数 险种组合 …), 中英文均可",
    ),
    # command-line options
    Field("month", "月份", "date"),
    Field("days", "天数", "count", "天"),
    Field("output", "输出文件"),
    # register columns, excel-contract §3 (those not above)
    Field("policy_no", "保单号"),
    Field("vin", "车架号"),
    Field("plate", "车牌号"),
    Field("customer", "客户名称"),
    Field("phone", "联系电话"),
    Field("vip", "VIP", "yes_no"),
    Field("salesperson", "业务员"),
    Field("start_date", "起保日期", "date"),
    Field("first_registration", "初登日期", "date"),
    Field("claims", "本期出险次数", "count", "次"),
    Field("branch", "机构", "text", "", "保单所属机构 (分支机构或业务单元)", optional=True),
    Field(
        "delivery",
        "送单方式",
        "code",
        "",
        "自取/业务员送达/邮寄; 空白 = 未指定",
        optional=True,
        choices=("自取", "业务员送达", "邮寄"),  # programme 四.3
    ),
    Field("claims_paid", "赔款金额", "money", "元", "本期已付赔款, 元; 空白 = 未知 (不计入赔付率)", optional=True),
    Field("vehicle_model", "车型", "text", "", "厂牌车型, 用于业务结构分析", optional=True),
    # renewal tracking 续保跟踪, excel-contract §3
    Field("status", "跟进状态", "code"),
    Field("lapse_reason", "脱保原因", "code"),
    Field("next_insurer", "转投公司"),
    Field("contact_date", "联系日期", "date", optional=True),
    Field("remark", "备注"),
    # targets of the year, excel-contract §4
    Field("target_rate", "续保率目标", "rate", "", "按保费计的续保率目标, 如 0.7 或 70%"),
    Field("year", "年份", "count"),
    # tariff tables
    Field("tariff", "费率表"),
)
FIELDS: dict[str, Field] = {f.key: f for f in _FIELDS}

# the inputs of one quote, tariff manual §2, in the worksheet functions' argument order
QUOTE_INPUTS = (
    "new_car_price",
    "vehicle_age_months",
    "seats",
    "coverage",
    "claim_free_years",
    "claims_last_year",
    "deductible",
    "multi_accident",
    "underwriting_coef",
    "channel_coef",
    "is_renewal",
    "imported",
    "insured_amount",
    "policy_start",
)
# the policy register 保单台账, excel-contract §3, in its column order
REGISTER_COLUMNS = (
    "policy_no",
    "vin",
    "plate",
    "customer",
    "phone",
    "customer_type",
    "vip",
    "salesperson",
    "agency",
    "channel",
    "start_date",
    "end_date",
    "premium",
    "coverage",
    "new_car_price",
    "first_registration",
    "seats",
    "imported",
    "deductible",
    "claim_free_years",
    "claims",
    "commission_rate",
    "branch",
    "claims_paid",
    "vehicle_model",
    "driving_years",
    "delivery",
)
# renewal tracking 续保跟踪, excel-contract §3
TRACKING_COLUMNS = ("policy_no", "status", "lapse_reason", "next_insurer", "remark", "contact_date")
# the finance template's policies 手续费明细 (read by statements): typed columns, then the computed ones
FINANCE_COLUMNS = ("policy_no", "salesperson", "agency", "channel", "is_renewal", "start_date", "premium")
FINANCE_COMPUTED = ("commission_rate", "commission", "performance_pay")
# salesperson targets of the year 目标, excel-contract §4
TARGET_COLUMNS = ("salesperson", "target_count", "target_rate")


@dataclass(frozen=True)
class Item:
    """A coverage item of tariff manual §4: code, premium column of the pricing results,
    Chinese name and the other names accepted in a coverage list."""

    code: str
    column: str
    label: str
    aliases: tuple[str, ...]


ITEMS: tuple[Item, ...] = (
    Item("DAMAGE", "damage", "车损", ("车损险", "机动车损失险")),
    Item("TPL", "tpl", "三者", ("三者险", "第三者", "第三者责任险")),
    Item("SEATS", "seats_cover", "车上人员", ("车上人员险", "车上人员责任险", "座位险")),
    Item("THEFT", "theft", "盗抢", ("盗抢险", "全车盗抢险")),
    Item("GLASS", "glass", "玻璃", ("玻璃险", "玻璃单独破碎险")),
    Item("SCRATCH", "scratch", "划痕", ("划痕险", "车身划痕损失险")),
    Item("REPAIR", "repair", "修理厂", ("修理厂特约", "指定修理厂")),
    Item("WAIVER", "waiver", "不计免赔", ("不计免赔率", "不计免赔险")),
)
ITEM_BY_CODE: dict[str, Item] = {item.code: item for item in ITEMS}


def label(field: str) -> str:
    """Chinese label of a field key; the key itself when it has none.

    >>> label("seats")
    '座位数'
    """
    found = FIELDS.get(field)
    return found.label if found else field
