"""The renewal-list report (renewal-workflow §2, §3b, macro generate_renewal_list): sheets
``续保清单`` (all due rows), ``打印清单`` (the same rows with the dozen columns a call needs,
to print: about 35 columns of the full list would print at under half size), one
``续保-<业务员>`` per salesperson, ``续保汇总``,
``续保通知`` and ``续保方案`` (the retention options of each row, the suggested one marked
★推荐). Every list row ends with the empty follow-up columns and their drop-downs
(:func:`renewal_xl.reports.followups.with_followups`). Masking (``--mask-phones``) is applied
to the finished report by :meth:`renewal_xl.app.jobs.Outcome.masked`."""

from __future__ import annotations

import numpy as np

from renewal_xl.collation import pinyin_key
from renewal_xl.pricing.options import SUGGESTED
from renewal_xl.reports.followups import with_followups
from renewal_xl.reports.names import sheet_name, unique_sheet_name
from renewal_xl.reports.spec import Page, Report, Sheet
from renewal_xl.reports.tables import table
from renewal_xl.workflow.due import PRIORITIES, DueList, notices, summary

LIST_SHEET = "续保清单"
PRINT_SHEET = "打印清单"  # not a list sheet: collect reads the follow-ups of 续保清单 and 续保-<业务员>
SUMMARY_SHEET = "续保汇总"
NOTICE_SHEET = "续保通知"
OPTIONS_SHEET = "续保方案"
SALESPERSON_PREFIX = "续保-"
UNASSIGNED = "未分配"
LIST_PAGE = Page(repeat_columns=2)  # 优先级 and 保单号 on every page of a list several pages wide
NO_HOTLINE = "未设置客服热线: 未生成续保通知 (设置环境变量 RENEWAL_XL_HOTLINE 或 --hotline 后重新运行)"

LIST_COLUMNS = [
    ("priority", "优先级", "text"),
    ("policy_no", "保单号", "text"),
    ("end", "终保日期", "date"),
    ("days_left", "剩余天数", "int"),
    ("customer", "客户名称", "text"),
    ("plate", "车牌号", "text"),
    ("vin", "车架号", "text"),
    ("phone", "联系电话", "text"),
    ("customer_type", "客户类型", "text"),
    ("vip", "VIP", "bool"),
    ("salesperson", "业务员", "text"),
    ("agency", "代理机构", "text"),
    ("channel_name", "渠道", "text"),
    ("coverage", "险种组合", "text"),
    ("premium", "本期保费", "fen"),
    ("claims", "本期出险次数", "int"),
    ("renewal_start", "续保起保日期", "date"),
    ("quote", "续保报价", "fen"),
    ("ncd", "无赔款优待系数", "coef"),
    ("voucher", "代金券", "fen"),
    ("free_rider", "免费附加险", "text"),
    ("suggested_option", "推荐方案", "text"),
    ("package_advice", "推荐险种组合", "text"),
    ("underwriting", "核保通道", "text"),
    ("delivery_shown", "送单方式", "text"),
    ("quote_error", "报价说明", "text"),
]
# the print view: what a salesperson needs on paper for a call, in the list's order
PRINT_KEYS = (
    "priority",
    "end",
    "customer",
    "plate",
    "phone",
    "salesperson",
    "coverage",
    "quote",
    "voucher",
    "suggested_option",
)
PRINT_COLUMNS = [c for c in LIST_COLUMNS if c[0] in PRINT_KEYS]
PRINT_NOTE = "跟进记录"  # an empty column to write the call's result in by hand
# widths (characters) of the columns wrapped, so that a long name or coverage list cannot widen the page
PRINT_WRAP = {"客户名称": 14.0, "险种组合": 12.0, "推荐方案": 16.0, PRINT_NOTE: 18.0}
OPTION_COLUMNS = [
    ("policy_no", "保单号", "text"),
    ("customer", "客户名称", "text"),
    ("salesperson", "业务员", "text"),
    ("end", "终保日期", "date"),
    ("name", "续保方案", "text"),
    ("terms", "方案内容", "text"),
    ("premium", "续保保费", "fen"),
    ("saving", "较原方案节省", "fen"),
    ("mark", "推荐", "text"),
]
SUMMARY_COLUMNS = [
    ("salesperson", "业务员", "text"),
    ("count", "应续件数", "int"),
    ("premium_due", "应续保费", "fen"),
    ("quoted", "续保报价合计", "fen"),
    *[(p, f"{p}件数", "int") for p in PRIORITIES],
    ("early", "已提前续保", "int"),
]
NOTICE_WIDTH = 60.0  # characters a line of notice text (a page is about 130 wide, landscape)
NOTICE_COLUMNS = [
    ("policy_no", "保单号", "text"),
    ("salesperson", "业务员", "text"),
    ("customer", "客户名称", "text"),
    ("phone", "联系电话", "text"),
    ("plate", "车牌号", "text"),
    ("end", "终保日期", "date"),
    ("notice", "通知内容", "text"),
]


def renewals_report(due: DueList, hotline: str | None, *, owner: str = "") -> Report:
    """The sheets of the due list, in the contract's order; ``owner`` names
    whose list it is when it is handed out (``业务员 张伟``), in the first note. Without a
    ``hotline`` the 续保通知 sheet holds no notice, only the reason (a placeholder number
    must never reach a customer)."""
    rows = due.rows
    quoted = int(rows["quote_ok"].sum())
    notes = [
        f"续保清单 {owner + ' ' if owner else ''}终保日期 {due.window.label()} (基准日 {due.as_of:%Y-%m-%d})",
        f"应续 {len(rows)} 件; 已提前续保 {len(due.early)} 件 (不在清单中); 报价失败 {len(rows) - quoted} 件 (见 报价说明)",
        "优先级: P1 VIP 或保费≥1万; P2 无出险且保费≥5千; P3 无出险; P4 本期出险",
    ]
    sheets = [
        Sheet(LIST_SHEET, [with_followups(table(rows, LIST_COLUMNS))], notes=notes, page=LIST_PAGE),
        print_sheet(due, notes),
    ]
    taken = [LIST_SHEET, PRINT_SHEET, SUMMARY_SHEET, NOTICE_SHEET, OPTIONS_SHEET]
    for person, part in sorted(rows.groupby("salesperson"), key=lambda group: pinyin_key(group[0])):
        name = unique_sheet_name(sheet_name(SALESPERSON_PREFIX + (person or UNASSIGNED)), taken)
        taken.append(name)
        sheets.append(
            Sheet(
                name,
                [with_followups(table(part, LIST_COLUMNS))],
                notes=[f"业务员 {person or UNASSIGNED}: 应续 {len(part)} 件, 终保日期 {due.window.label()}"],
                page=LIST_PAGE,
            )
        )
    totals = summary(due)
    sheets.append(Sheet(SUMMARY_SHEET, [table(totals, SUMMARY_COLUMNS, total=True)], notes=notes[:2]))
    sheets.append(notices_sheet(due, hotline))
    sheets.append(options_sheet(due))
    return Report(sheets)


def print_sheet(due: DueList, notes: list[str]) -> Sheet:
    """打印清单: the due rows with :data:`PRINT_COLUMNS` and an empty 跟进记录 column,
    A4 landscape one page wide (about 75 % scale, header repeated); the full data and the
    follow-up columns that ``collect`` reads stay on 续保清单."""
    rows = due.rows.assign(print_note="")
    return Sheet(
        PRINT_SHEET,
        [table(rows, [*PRINT_COLUMNS, ("print_note", PRINT_NOTE, "text")], wrap=PRINT_WRAP)],
        notes=[notes[0], f"打印用 (电话跟进时手写 {PRINT_NOTE}); 完整数据和跟进填写见 {LIST_SHEET}"],
    )


def notices_sheet(due: DueList, hotline: str | None) -> Sheet:
    """续保通知: one notice a page; without a hotline no notice, only the reason."""
    if hotline is None:
        return Sheet(NOTICE_SHEET, [], notes=[NO_HOTLINE], freeze=False)
    letters = notices(due, hotline)
    return Sheet(
        NOTICE_SHEET,
        [table(letters, NOTICE_COLUMNS, wrap={"通知内容": NOTICE_WIDTH})],
        notes=[f"续保通知 {len(letters)} 份, 客服热线 {hotline}"],
        page=Page(break_rows=True),  # one customer's notice a page, to hand out
    )


def options_sheet(due: DueList) -> Sheet:
    """续保方案: each due row's options (tariff manual §12) under its policy, ★推荐 marked."""
    owner = due.rows[["policy_no", "customer", "salesperson", "end"]]
    options = due.options.drop(columns="policy_no").join(owner, on="row")
    options["mark"] = np.where(options["suggested"].to_numpy(dtype=bool), SUGGESTED, "").astype(object)
    notes = [
        f"续保方案 终保日期 {due.window.label()}: {options['row'].nunique()} 位客户, 每位客户的原方案续保及方案一至四",
        "节省 = 原方案续保保费 − 方案保费; ★推荐: 连续未出险≥3年 → 方案三; ≥1年且上年无出险 → 方案一 (免赔额 1000); "
        "上年出险 1 次 → 方案二; ≥2 次 → 方案四 (以费率表 retention_rules 为准)",
    ]
    return Sheet(OPTIONS_SHEET, [table(options, OPTION_COLUMNS)], notes=notes)
