"""The finance template (财务模板): commission and performance pay per policy, totals per
agency and per salesperson with SUMIFS/COUNTIFS, the yearly targets (sheet 目标, also read
by ``statements --year`` and the commission_statement macro) and the renewal bonus against
them."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from renewal_xl.columns import FINANCE, FINANCE_FORMULAS
from renewal_xl.columns import TARGETS as TARGET_COLUMNS
from renewal_xl.io.register import FINANCE_SHEET, TARGETS_SHEET
from renewal_xl.tariff import Tariff
from renewal_xl.templates import style
from renewal_xl.templates.samples import FINANCE_ROWS, TARGET_RATE, TARGETS

FILE = "renewal-finance-template.xlsx"
POLICIES = FINANCE_SHEET
AGENCIES = "机构汇总"
SALESPEOPLE = "业务员汇总"
HEADERS = [*FINANCE.values(), *FINANCE_FORMULAS.values()]


def _col(key: str) -> str:
    """Column letter of a field of 手续费明细."""
    return get_column_letter([*FINANCE, *FINANCE_FORMULAS].index(key) + 1)


def _span(key: str) -> str:
    """The whole column of a field of 手续费明细: a summary counts every row, however many
    are added (its header never matches an agency, a name or 是/否)."""
    column = _col(key)
    return f"{POLICIES}!${column}:${column}"


def _policies(book, tariff: Tariff) -> None:
    ws = book.create_sheet(POLICIES)
    c = {key: (lambda r, key=key: f"{_col(key)}{r}") for key in [*FINANCE, *FINANCE_FORMULAS]}
    computed = [
        (
            FINANCE_FORMULAS["commission_rate"],
            lambda r: f"COMMISSION_RATE({c['channel'](r)},{c['is_renewal'](r)},{c['agency'](r)})",
        ),
        (
            FINANCE_FORMULAS["commission"],
            lambda r: f"COMMISSION({c['premium'](r)},{c['channel'](r)},{c['is_renewal'](r)},{c['agency'](r)})",
        ),
        (
            FINANCE_FORMULAS["performance_pay"],
            lambda r: (
                f"PERFORMANCE_PAY({c['premium'](r)},{c['channel'](r)},{c['commission_rate'](r)},{c['is_renewal'](r)})"
            ),
        ),
    ]
    style.entry_table(
        ws,
        "Policies",
        list(FINANCE.values()),
        [[row[k] for k in FINANCE] for row in FINANCE_ROWS],
        computed=computed,
        text=[FINANCE["policy_no"]],
        formats=style.field_formats(FINANCE | FINANCE_FORMULAS),
    )
    style.drop_down(
        ws, [c.name_zh for c in tariff.channels.values()], style.column_range(ws, HEADERS, FINANCE["channel"])
    )
    style.drop_down(ws, style.YES_NO, style.column_range(ws, HEADERS, FINANCE["is_renewal"]))


def _per(keys, formulas: list[style.Formula]) -> list[list[object]]:
    """Summary rows: each key in column A (from row 2), then a formula of its row per column."""
    return [[key, *("=" + f(r) for f in formulas)] for r, key in enumerate(keys, start=2)]


def _agencies(book, tariff: Tariff) -> None:
    ws = book.create_sheet(AGENCIES)
    headers = ["代理机构", "新保件数", "新保手续费", "续保件数", "续保手续费", "手续费合计"]
    agencies = sorted({row["agency"] for row in FINANCE_ROWS if row["agency"]} | set(tariff.agency_rates))
    by = lambda r, renewal: f'{_span("agency")},A{r},{_span("is_renewal")},"{renewal}"'  # noqa: E731
    rows = _per(
        agencies,
        [
            lambda r: f"COUNTIFS({by(r, '否')})",
            lambda r: f"SUMIFS({_span('commission')},{by(r, '否')})",
            lambda r: f"COUNTIFS({by(r, '是')})",
            lambda r: f"SUMIFS({_span('commission')},{by(r, '是')})",
            lambda r: f"C{r}+E{r}",
        ],
    )
    total = len(rows) + 2
    rows.append(["合计", *(f"=SUM({c}2:{c}{total - 1})" for c in "BCDEF")])
    style.table_sheet(
        ws,
        headers,
        rows,
        formula_from=2,
        formats={"新保手续费": style.MONEY, "续保手续费": style.MONEY, "手续费合计": style.MONEY},
        total=True,
    )


def _salespeople(book) -> None:
    ws = book.create_sheet(SALESPEOPLE)
    headers = ["业务员", "保费合计", "绩效提取合计", "续保件数", "续保保费", "续保目标件数", "续保奖金", "目标完成率"]
    person = lambda r: f"{_span('salesperson')},A{r}"  # noqa: E731
    renewed = lambda r: f'{person(r)},{_span("is_renewal")},"是"'  # noqa: E731
    rows = _per(
        TARGETS,
        [
            lambda r: f"SUMIFS({_span('premium')},{person(r)})",
            lambda r: f"SUMIFS({_span('performance_pay')},{person(r)})",
            lambda r: f"COUNTIFS({renewed(r)})",
            lambda r: f"SUMIFS({_span('premium')},{renewed(r)})",
            lambda r: f"IFERROR(VLOOKUP(A{r},{TARGETS_SHEET}!$A:$B,2,FALSE),0)",
            lambda r: f"IF(F{r}>0,RENEWAL_BONUS(D{r},F{r},E{r}),0)",
            lambda r: f'IF(F{r}>0,D{r}/F{r},"")',
        ],
    )
    style.table_sheet(
        ws,
        headers,
        rows,
        formula_from=2,
        formats={
            "保费合计": style.MONEY,
            "绩效提取合计": style.MONEY,
            "续保保费": style.MONEY,
            "续保奖金": style.MONEY,
            "目标完成率": "0.0%",
        },
    )


def _targets(book) -> None:
    ws = book.create_sheet(TARGETS_SHEET)
    rows = [[person, target, TARGET_RATE] for person, target in TARGETS.items()]
    style.entry_table(ws, "Targets", list(TARGET_COLUMNS.values()), rows, formats={TARGET_COLUMNS["target_rate"]: "0%"})


INSTRUCTIONS = [
    ("用途", "财务人员使用: 每张保单的手续费和业务员绩效提取, 按代理机构和业务员汇总, 以及续保年终奖。"),
    (
        "手续费明细",
        "每行一张保单 (保单号 业务员 代理机构 渠道 是否续保 起保日期 保费)。手续费率按渠道、新保/续保和代理机构单独费率 "
        "(COMMISSION_RATE); 手续费 = 保费 × 费率, 四舍五入到分 (COMMISSION); 绩效提取按费率手册 §9 (PERFORMANCE_PAY), "
        "含续保加成和节省手续费奖励。公式列已填到第 501 行, 保单号为空的行显示为空; Excel 中在表格下方接着输入时自动带出公式和格式, LibreOffice 中超过第 501 行时把上一行向下复制。",
    ),
    ("机构汇总", "按代理机构用 SUMIFS/COUNTIFS 汇总新保、续保手续费 (按整列汇总, 新增的行都计入)。"),
    (
        "业务员汇总",
        "保费、绩效提取、续保件数与保费; 续保目标件数取自 目标 工作表; 续保件数达到目标时, 续保奖金 = 续保保费 × 2% (RENEWAL_BONUS)。",
    ),
    (
        "目标",
        "黄色单元格填写每名业务员的年度 续保件数目标 和 续保率目标 (如 80%)。命令行 statements --year 和 "
        "commission_statement 宏的 年度绩效 也读取此表。",
    ),
    style.SETUP,
    (
        "命令行",
        "整月结算: renewal-xl statements 保单台账.xlsx --month 2026-11 -o 结算.xlsx; "
        "年度绩效: renewal-xl statements 保单台账.xlsx --year 2026 --targets 财务模板.xlsx -o 年度.xlsx",
    ),
]


def build(tariff: Tariff):
    """The workbook (openpyxl) of the finance template for ``tariff``."""
    return style.template(
        "财务模板 (手续费与绩效) 使用说明",
        INSTRUCTIONS,
        [lambda b: _policies(b, tariff), lambda b: _agencies(b, tariff), _salespeople, _targets],
    )
