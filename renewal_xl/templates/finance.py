"""The finance template (财务模板): commission and performance pay per policy, totals per
agency and per salesperson with SUMIFS/COUNTIFS, the yearly targets (sheet 目标, also read
by ``statements --year`` and the commission_statement macro) and the renewal bonus against
them."""

from __future__ import annotations

from renewal_xl.columns import TARGETS as TARGET_COLUMNS
from renewal_xl.io.register import TARGETS_SHEET
from renewal_xl.tariff import Tariff
from renewal_xl.templates import style
from renewal_xl.templates.samples import FINANCE_ROWS, TARGET_RATE, TARGETS

FILE = "renewal-finance-template.xlsx"
POLICIES = "手续费明细"
AGENCIES = "机构汇总"
SALESPEOPLE = "业务员汇总"
LAST = style.ENTRY_ROWS + 1
HEADERS = ["保单号", "业务员", "代理机构", "渠道", "是否续保", "起保日期", "保费", "手续费率", "手续费", "绩效提取"]


def _span(column: str) -> str:
    return f"{POLICIES}!${column}$2:${column}${LAST}"


def _policies(book, tariff: Tariff) -> None:
    ws = book.create_sheet(POLICIES)
    rows = [
        [
            *row,
            f"=COMMISSION_RATE(D{r},E{r},C{r})",
            f"=COMMISSION(G{r},D{r},E{r},C{r})",
            f"=PERFORMANCE_PAY(G{r},D{r},H{r},E{r})",
        ]
        for r, row in enumerate((list(x) for x in FINANCE_ROWS), start=2)
    ]
    style.table_sheet(
        ws,
        HEADERS,
        rows,
        formula_from=8,
        entry=True,
        formats={
            "起保日期": style.DATE,
            "保费": style.MONEY,
            "手续费率": style.RATE,
            "手续费": style.MONEY,
            "绩效提取": style.MONEY,
        },
    )
    for i in range(2, LAST + 1):
        ws[f"A{i}"].number_format = "@"
    style.drop_down(ws, [c.name_zh for c in tariff.channels.values()], style.column_range(ws, HEADERS, "渠道"))
    style.drop_down(ws, style.YES_NO, style.column_range(ws, HEADERS, "是否续保"))


def _agencies(book, tariff: Tariff) -> None:
    ws = book.create_sheet(AGENCIES)
    headers = ["代理机构", "新保件数", "新保手续费", "续保件数", "续保手续费", "手续费合计"]
    agencies = sorted({row[2] for row in FINANCE_ROWS if row[2]} | set(tariff.agency_rates))
    rows = []
    for r, agency in enumerate(agencies, start=2):
        rows.append(
            [
                agency,
                f'=COUNTIFS({_span("C")},A{r},{_span("E")},"否")',
                f'=SUMIFS({_span("I")},{_span("C")},A{r},{_span("E")},"否")',
                f'=COUNTIFS({_span("C")},A{r},{_span("E")},"是")',
                f'=SUMIFS({_span("I")},{_span("C")},A{r},{_span("E")},"是")',
                f"=C{r}+E{r}",
            ]
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
    rows = []
    for r, person in enumerate(TARGETS, start=2):
        rows.append(
            [
                person,
                f"=SUMIFS({_span('G')},{_span('B')},A{r})",
                f"=SUMIFS({_span('J')},{_span('B')},A{r})",
                f'=COUNTIFS({_span("B")},A{r},{_span("E")},"是")',
                f'=SUMIFS({_span("G")},{_span("B")},A{r},{_span("E")},"是")',
                f"=IFERROR(VLOOKUP(A{r},{TARGETS_SHEET}!$A$2:$B${LAST},2,FALSE),0)",
                f"=IF(F{r}>0,RENEWAL_BONUS(D{r},F{r},E{r}),0)",
                f'=IF(F{r}>0,D{r}/F{r},"")',
            ]
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
    headers = list(TARGET_COLUMNS.values())
    rows = [[person, target, TARGET_RATE] for person, target in TARGETS.items()]
    style.table_sheet(ws, headers, rows, formats={TARGET_COLUMNS["target_rate"]: "0%"})
    for r in range(2, style.ENTRY_ROWS + 2):
        for c in "ABC":
            ws[f"{c}{r}"].fill = style.INPUT_FILL


INSTRUCTIONS = [
    ("用途", "财务人员使用: 每张保单的手续费和业务员绩效提取, 按代理机构和业务员汇总, 以及续保年终奖。"),
    (
        "手续费明细",
        "每行一张保单 (保单号 业务员 代理机构 渠道 是否续保 起保日期 保费)。手续费率按渠道、新保/续保和代理机构单独费率 "
        "(COMMISSION_RATE); 手续费 = 保费 × 费率, 四舍五入到分 (COMMISSION); 绩效提取按费率手册 §9 (PERFORMANCE_PAY), "
        "含续保加成和节省手续费奖励。新增保单时向下复制绿色公式列。",
    ),
    ("机构汇总", "按代理机构用 SUMIFS/COUNTIFS 汇总新保、续保手续费 (汇总范围到第 501 行)。"),
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
