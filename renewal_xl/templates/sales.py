"""The sales quote and renewal template (销售报价与续保模板).

Sheets: 说明; 保单台账 (the register of the contract with renewal formulas per row);
报价单 (one customer: inputs, premium, breakdown, the four packages side by side and the
recommendation); 续保跟踪 (follow-up of lapsed renewals); xlwings.conf.
"""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.io.register import REGISTER_SHEET, TRACKING_SHEET
from renewal_xl.reports.layout import display_width
from renewal_xl.tariff import Tariff
from renewal_xl.templates import style
from renewal_xl.templates.samples import register_rows
from renewal_xl.workflow.review import LAPSE_REASONS

FILE = "renewal-sales-template.xlsx"
QUOTE_SHEET = "报价单"
PACKAGE_WIDTH = 22  # characters: a package's column on 报价单
WRAP = Alignment(wrap_text=True, vertical="top")
TRACKING_STATUSES = ("已续保", "未续保", "跟进中")


def _col(key: str) -> str:
    return get_column_letter(list(REGISTER).index(key) + 1)


# computed columns after the register's own: (header, formula for row r without "=", number format)
def _register_formulas() -> list[tuple[str, style.Formula, str | None]]:
    c = {key: (lambda r, key=key: f"{_col(key)}{r}") for key in REGISTER}
    # the first two computed columns: vehicle age at renewal and claim-free years at renewal
    age, free = ((lambda r, k=k: f"{get_column_letter(len(REGISTER) + k)}{r}") for k in (1, 2))
    return [
        ("续保车龄(月)", lambda r: f"MONTHS_BETWEEN({c['first_registration'](r)},{c['end_date'](r)}+1)", "0"),
        ("续保未出险年数", lambda r: f"IF({c['claims'](r)}=0,{c['claim_free_years'](r)}+1,0)", "0"),
        ("无赔款优待系数", lambda r: f"NCD_FACTOR({free(r)},{c['claims'](r)})", style.FACTOR),
        (
            "续保报价",
            lambda r: (
                f"RENEWAL_PREMIUM({c['new_car_price'](r)},{age(r)},{c['seats'](r)},{c['coverage'](r)},{free(r)},"
                f'{c["claims"](r)},{c["deductible"](r)},FALSE,1,1,TRUE,{c["imported"](r)},"",{c["end_date"](r)}+1)'
            ),
            style.MONEY,
        ),
        (
            "基本套餐续保价",
            lambda r: (
                f'PACKAGE_PRICE("基本",{c["new_car_price"](r)},{age(r)},{c["seats"](r)},{free(r)},{c["claims"](r)},'
                f"{c['deductible'](r)},{c['imported'](r)},TRUE)"
            ),
            style.MONEY,
        ),
        ("代金券", lambda r: f"RENEWAL_VOUCHER({free(r)},TRUE)", style.MONEY),
        ("距到期天数", lambda r: f"DAYS_TO_EXPIRY({c['end_date'](r)},TODAY())", "0"),
        ("30天内到期", lambda r: f"RENEWAL_DUE({c['end_date'](r)},TODAY(),30)", None),
    ]


def _register(book, tariff: Tariff) -> None:
    ws = book.create_sheet(REGISTER_SHEET)
    headers = list(REGISTER.values())
    computed = _register_formulas()
    all_headers = headers + [h for h, _, _ in computed]
    formats = style.field_formats(REGISTER) | {h: fmt for h, _, fmt in computed if fmt}
    style.entry_table(
        ws,
        "Register",
        headers,
        register_rows(),
        computed=[(h, f) for h, f, _ in computed],
        formats=formats,
        text=[REGISTER[key] for key in ("vin", "phone", "policy_no", "plate")],  # leading zeros, long digits
    )
    last = get_column_letter(len(all_headers))
    style.highlight_due(ws, _col("end_date"), last)
    rng = lambda key: style.column_range(ws, headers, REGISTER[key])  # noqa: E731
    style.drop_down(ws, style.CUSTOMER_TYPES, rng("customer_type"))
    style.drop_down(ws, style.YES_NO, rng("vip"))
    style.drop_down(ws, style.YES_NO, rng("imported"))
    style.drop_down(ws, [c.name_zh for c in tariff.channels.values()], rng("channel"))
    style.drop_down(ws, tariff.deductibles, rng("deductible"))
    style.drop_down(
        ws,
        [p.name_zh for p in tariff.packages],
        rng("coverage"),
        strict=False,
        prompt="选择套餐, 或输入险种清单, 如 车损+三者:50万+盗抢+不计免赔",
    )


# the quote sheet: (label, sample value, number format, drop-down choices)
def _quote_inputs(tariff: Tariff) -> list[tuple[str, object, str | None, tuple | None]]:
    return [
        ("客户名称", "武汉长江物流有限公司", None, None),
        ("客户类型", "大型企业", None, style.CUSTOMER_TYPES),
        ("驾龄(年)", 8, "0.0", None),
        ("价格敏感度", "低", None, style.SENSITIVITIES),
        ("新车购置价", 320000, style.MONEY, None),
        ("车龄(月)", 13, "0", None),
        ("座位数", 7, "0", None),
        ("险种组合", "完全", None, tuple(p.name_zh for p in tariff.packages)),
        ("连续未出险年数", 1, "0", None),
        ("上年出险次数", 0, "0", None),
        ("绝对免赔额", 0, "0", tariff.deductibles),
        ("多次事故免赔特约", "否", None, style.YES_NO),
        ("自主核保系数", 0.9, "0.0000", None),
        ("自主渠道系数", 0.95, "0.0000", None),
        ("是否续保", "是", None, style.YES_NO),
        ("进口车", "否", None, style.YES_NO),
        ("车损保险金额", None, style.MONEY, None),
        ("起保日期", None, style.DATE, None),
    ]


FIRST_INPUT = 4  # row of the first input on the quote sheet
BREAKDOWN_ROWS = 20


def _quote(book, tariff: Tariff) -> None:
    ws = book.create_sheet(QUOTE_SHEET)
    ws["A1"] = "续保报价单"
    ws["A1"].font = style.TITLE_FONT
    ws["A2"] = "黄色单元格填写报价输入; 绿色单元格由公式计算。套餐价不含自主核保/渠道系数。"
    style.header(ws, ["项目", "填写"], row=3)
    inputs = _quote_inputs(tariff)
    cell = {}
    for i, (label, value, fmt, choices) in enumerate(inputs):
        r = FIRST_INPUT + i
        ws.cell(row=r, column=1, value=label)
        c = ws.cell(row=r, column=2, value=value)
        c.fill = style.INPUT_FILL
        if fmt:
            c.number_format = fmt
        if choices:
            style.drop_down(ws, choices, f"B{r}", strict=label != "险种组合")
        cell[label] = f"$B${r}"
    quote_args = ",".join(
        cell[k]
        for k in (
            "新车购置价",
            "车龄(月)",
            "座位数",
            "险种组合",
            "连续未出险年数",
            "上年出险次数",
            "绝对免赔额",
            "多次事故免赔特约",
            "自主核保系数",
            "自主渠道系数",
            "是否续保",
            "进口车",
            "车损保险金额",
            "起保日期",
        )
    )
    results = [
        (
            "推荐套餐",
            f"=PACKAGE_RECOMMEND({cell['客户类型']},{cell['驾龄(年)']},{cell['新车购置价']},{cell['车龄(月)']},{cell['价格敏感度']})",
            None,
        ),
        ("保费", f"=RENEWAL_PREMIUM({quote_args})", style.MONEY),
        ("代金券", f"=RENEWAL_VOUCHER({cell['连续未出险年数']},{cell['是否续保']})", style.MONEY),
        ("实际价值", f"=ACTUAL_VALUE({cell['新车购置价']},{cell['车龄(月)']})", style.MONEY),
        ("无赔款优待系数", f"=NCD_FACTOR({cell['连续未出险年数']},{cell['上年出险次数']})", style.FACTOR),
        ("免赔额系数", f"=DEDUCTIBLE_FACTOR({cell['绝对免赔额']},{cell['新车购置价']})", style.FACTOR),
    ]
    top = FIRST_INPUT + len(inputs) + 1
    style.header(ws, ["结果", "金额/系数"], row=top)
    for i, (label, formula, fmt) in enumerate(results, start=top + 1):
        ws.cell(row=i, column=1, value=label)
        c = ws.cell(row=i, column=2, value=formula)
        c.fill = style.FORMULA_FILL
        if fmt:
            c.number_format = fmt
    recommended = f"$B${top + 1}"

    for j, text in ((4, "保费明细"), (5, "金额/系数")):
        c = ws.cell(row=3, column=j, value=text)
        c.font = style.HEADER_FONT
        c.fill = style.FORMULA_FILL
    last = FIRST_INPUT + BREAKDOWN_ROWS - 1
    ref = f"D{FIRST_INPUT}:E{last}"
    ws[f"D{FIRST_INPUT}"] = ArrayFormula(ref, f"=PREMIUM_BREAKDOWN({quote_args})")
    style.hide_errors(ws, ref)  # the rows the breakdown does not fill show #N/A
    for r in range(FIRST_INPUT, last + 1):
        ws[f"E{r}"].number_format = "#,##0.00##"

    ws["G3"] = "四种套餐"
    ws["G3"].font = style.HEADER_FONT
    labels = ("套餐", "险种", "套餐价", "推荐")
    for i, text in enumerate(labels, start=FIRST_INPUT):
        ws.cell(row=i, column=7, value=text).font = style.HEADER_FONT
    for j, package in enumerate(tariff.packages, start=8):
        col = get_column_letter(j)
        ws[f"{col}{FIRST_INPUT}"] = package.name_zh
        ws[f"{col}{FIRST_INPUT}"].font = style.HEADER_FONT
        ws[f"{col}{FIRST_INPUT + 1}"] = package.coverage
        ws[f"{col}{FIRST_INPUT + 1}"].alignment = WRAP  # a long coverage list would run off the printed page
        price = ws[f"{col}{FIRST_INPUT + 2}"]
        price.value = (
            f"=PACKAGE_PRICE({col}${FIRST_INPUT},{cell['新车购置价']},{cell['车龄(月)']},{cell['座位数']},"
            f"{cell['连续未出险年数']},{cell['上年出险次数']},{cell['绝对免赔额']},{cell['进口车']},{cell['是否续保']})"
        )
        price.number_format = style.MONEY
        price.fill = style.FORMULA_FILL
        ws[f"{col}{FIRST_INPUT + 3}"] = f'=IF({col}${FIRST_INPUT}={recommended},"★ 推荐","")'
        ws.column_dimensions[col].width = PACKAGE_WIDTH
    for col, width in (("A", 18), ("B", 22), ("C", 2), ("D", 20), ("E", 14), ("F", 2), ("G", 10)):
        ws.column_dimensions[col].width = width
    lines = max(-(-display_width(p.coverage) // (PACKAGE_WIDTH - 2)) for p in tariff.packages)
    ws.row_dimensions[FIRST_INPUT + 1].height = 15.0 * lines + 3.75  # the coverage lists, wrapped
    ws.freeze_panes = "A4"


def _tracking(book) -> None:
    ws = book.create_sheet(TRACKING_SHEET)
    headers = list(TRACKING.values())
    rows = [
        ["PDAA2026420100007", "未续保", "价格", "平安产险", "客户比价后转保"],
        ["PDAA2026420100002", "跟进中", None, None, "已发续保通知, 约下周回复"],
        ["PDAA2026420100001", "已续保", None, None, None],
    ]
    rows = [r + [None] * (len(headers) - len(r)) for r in rows]  # 联系日期 left blank
    style.entry_table(
        ws, "Tracking", headers, rows, text=[TRACKING["policy_no"]], formats=style.field_formats(TRACKING)
    )
    style.drop_down(ws, TRACKING_STATUSES, style.column_range(ws, headers, TRACKING["status"]))
    style.drop_down(ws, LAPSE_REASONS, style.column_range(ws, headers, TRACKING["lapse_reason"]))


INSTRUCTIONS = [
    (
        "用途",
        "业务员和销售经理使用: 在 保单台账 登记保单, 自动计算续保报价、无赔款优待系数、代金券和到期天数; "
        "在 报价单 为一位客户报价, 并排比较四种套餐; 在 续保跟踪 记录未续保原因。",
    ),
    style.SETUP,
    (
        "保单台账",
        "每行一张保单, 表头不可修改 (中英文表头均可被识别)。黄色为填写列, 绿色为公式列 (已填到第 501 行, 保单号为空的行显示为空): 这是一个 Excel 表格, 在下方接着输入时 Excel 自动带出公式、格式和下拉列表; LibreOffice 中超过第 501 行时把上一行向下复制。"
        "30 天内到期的保单整行标红。车架号、电话按文本填写。",
    ),
    (
        "报价单",
        "黄色单元格填写; 保费含无赔款优待系数和自主系数; 保费明细列出各险种保费、续保免费附加险和各系数; "
        "四种套餐价格按同一车辆计算 (不含自主系数), 并标出推荐套餐。",
    ),
    (
        "续保跟踪",
        "每张到期未续的保单一行: 跟进状态 (已续保/未续保/跟进中) 和脱保原因 (下拉选择), 转投公司, 备注。"
        "月度分析中未填写原因的计为 未填写。",
    ),
    (
        "宏 (按钮)",
        "导入函数后, 按 Alt+F8 运行: generate_renewal_list (生成 续保清单、续保-业务员、续保汇总、续保通知), "
        "monthly_review (续保分析), renewal_progress (本月 续保进度), check_data (数据质量), "
        "commission_statement (上月 手续费结算、绩效提取 和当年 年度绩效)。"
        "宏不会覆盖您自己建的同名工作表, 会写到新名称并提示。",
    ),
    (
        "命令行",
        "没有 Excel 时: renewal-xl renewals/review/check/statements 本文件.xlsx -o 结果.xlsx; "
        "业务结构 (按车龄、车型等的出险频率和赔付率): renewal-xl mix 本文件.xlsx --year 2026 -o 业务结构.xlsx",
    ),
]


def build(tariff: Tariff):
    """The workbook (openpyxl) of the sales template for ``tariff``."""
    return style.template(
        "销售报价与续保模板 使用说明",
        INSTRUCTIONS,
        [lambda b: _register(b, tariff), lambda b: _quote(b, tariff), _tracking],
    )
