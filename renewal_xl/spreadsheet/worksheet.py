"""The worksheet functions of the contract (excel-contract §1) as cell-level Python, for
every spreadsheet front end (xlwings in Excel, the LibreOffice Calc add-in).

Each function is a thin shell over :mod:`renewal_xl.spreadsheet.functions`. Names, argument names,
order and optional defaults are the contract's: users' workbooks depend on them. A
function's docstring is its one-line description in the Function Wizard (≤ 255
characters); the per-argument help comes from :mod:`renewal_xl.spreadsheet.help`.

These bodies take values already read by :func:`renewal_xl.spreadsheet.cells.cell`;
:func:`cell_function` wraps one so it takes raw cell values and never raises:

- every argument cell goes through :func:`~renewal_xl.spreadsheet.cells.cell` (the ``table``
  argument of an array function is passed as rows);
- the result goes through :func:`~renewal_xl.spreadsheet.cells.to_cell`;
- a :class:`~renewal_xl.errors.RenewalError` becomes its short ``#`` text; any other
  exception becomes ``#错误 …`` and is logged with its type and stack only (the message
  may hold a customer's data, so it is not logged).

>>> cell_function(RENEWAL_PREMIUM, logging.getLogger("doc"))(150000.0, "30", 5, "经济", 2, 0, "", None)
3253.15
>>> cell_function(NCD_FACTOR, logging.getLogger("doc"))("#N/A", 0)
'#连续未出险年数 claim_free_years=#N/A: 单元格为错误值'
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback
from collections.abc import Callable

from renewal_xl.errors import InputError, RenewalError
from renewal_xl.spreadsheet import functions as f
from renewal_xl.spreadsheet.cells import as_rows, cell, error_text, is_blank, short, to_cell
from renewal_xl.spreadsheet.memo import CallCache
from renewal_xl.vocabulary import FIELDS, QUOTE_INPUTS

TABLE_ARG = "table"  # the argument an array function reads as a whole range of rows
CACHE = CallCache()  # recent results of the functions returning one value, shared by every shell


def quote_function(name: str, doc: str, body: Callable, fields: tuple[str, ...] = QUOTE_INPUTS, **defaults) -> Callable:
    """A worksheet function ``name`` whose arguments are the quote inputs ``fields`` of the
    vocabulary, in that order (the contract's): optional where the engine gives a blank its
    meaning (the field's ``blank``) or where ``defaults`` names a signature default, required
    otherwise. ``body`` (of :mod:`renewal_xl.spreadsheet.functions`) gets every argument by
    position. The signature is declared here once; Excel (xlwings), Calc and the contract
    table read it with :func:`inspect.signature`."""
    empty = inspect.Parameter.empty
    parameters = [
        inspect.Parameter(
            key,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=defaults[key] if key in defaults else (None if FIELDS[key].blank else empty),
        )
        for key in fields
    ]
    signature = inspect.Signature(parameters)
    tail = tuple(p.default for p in parameters)
    required = sum(p.default is empty for p in parameters)

    def function(*args, **kwargs):
        if kwargs or not required <= len(args) <= len(tail):
            bound = signature.bind(*args, **kwargs)  # a TypeError as Python gives for a wrong call
            bound.apply_defaults()
            return body(*bound.args)
        return body(*args, *tail[len(args) :])

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    function.__module__ = __name__
    function.__signature__ = signature  # type: ignore[attr-defined]
    return function


RENEWAL_PREMIUM = quote_function(
    "RENEWAL_PREMIUM",
    "续保保费 RENEWAL_PREMIUM: 一张保单的保费 (费率手册 §7, 元, 四舍五入到分)。参数有误时返回以 # 开头的说明。",
    lambda *values: f.renewal_premium(*values),  # looked up at each call, as the other functions do
    is_renewal=True,
)
PREMIUM_BREAKDOWN = quote_function(
    "PREMIUM_BREAKDOWN",
    "保费明细 PREMIUM_BREAKDOWN: 两列数组 (项目, 金额): 各险种保费、续保免费附加险、无赔款优待系数、自主系数、保费、代金券、足额比例。参数同 RENEWAL_PREMIUM。",
    lambda *values: f.premium_breakdown(*values),  # looked up at each call, as the other functions do
    is_renewal=True,
)


def PACKAGE_PRICE(
    package,
    new_car_price,
    vehicle_age_months,
    seats,
    claim_free_years=0,
    claims_last_year=0,
    deductible=None,
    imported=None,
    is_renewal=False,
):
    """套餐价格 PACKAGE_PRICE: 四个套餐 (基本/经济/周到/完全) 之一对这辆车的保费 (元); 默认按新保计。"""
    return f.package_price(
        package,
        new_car_price,
        vehicle_age_months,
        seats,
        claim_free_years,
        claims_last_year,
        deductible,
        imported,
        is_renewal,
    )


def PACKAGE_RECOMMEND(customer_type, driving_years, new_car_price, vehicle_age_months, price_sensitivity):
    """套餐推荐 PACKAGE_RECOMMEND: 按客户类型、驾龄、新车购置价、车龄和价格敏感度推荐套餐 (费率手册 §10), 返回套餐中文名。"""
    return f.package_recommend(customer_type, driving_years, new_car_price, vehicle_age_months, price_sensitivity)


def ACTUAL_VALUE(new_car_price, vehicle_age_months):
    """实际价值 ACTUAL_VALUE: 新车购置价按车龄折旧后的车辆实际价值 (费率手册 §3, 元)。"""
    return f.actual_value(new_car_price, vehicle_age_months)


def NCD_FACTOR(claim_free_years, claims_last_year):
    """无赔款优待系数 NCD_FACTOR: 按连续未出险年数和上年出险次数查表 (费率手册 §6)。"""
    return f.ncd_factor(claim_free_years, claims_last_year)


def DEDUCTIBLE_FACTOR(deductible, new_car_price):
    """免赔额系数 DEDUCTIBLE_FACTOR: 绝对免赔额对车损保费的系数, 按新车购置价分档 (费率手册 §5)。"""
    return f.deductible_factor(deductible, new_car_price)


def RENEWAL_VOUCHER(claim_free_years, is_renewal=True):
    """续保代金券 RENEWAL_VOUCHER: 续保按连续未出险年数给的代金券金额 (元); 新保为 0。不从保费中扣减。"""
    return f.renewal_voucher(claim_free_years, is_renewal)


def COMMISSION_RATE(channel, is_renewal, agency=None):
    """手续费率 COMMISSION_RATE: 按渠道、新保/续保和代理机构的手续费率 (0.14 即 14%, 费率手册 §8)。"""
    return f.commission_rate(channel, is_renewal, agency)


def COMMISSION(premium, channel, is_renewal, agency=None):
    """手续费 COMMISSION: 保费 × 手续费率, 四舍五入到分 (元, 费率手册 §8)。"""
    return f.commission(premium, channel, is_renewal, agency)


def PERFORMANCE_PAY(premium, channel, commission_rate, is_renewal):
    """绩效提取 PERFORMANCE_PAY: 业务员每张保单的绩效提取加节省手续费奖励 (费率手册 §9, 元)。"""
    return f.performance_pay(premium, channel, commission_rate, is_renewal)


def RENEWAL_BONUS(renewed_count, target_count, renewal_premium):
    """续保奖励 RENEWAL_BONUS: 续保件数达到目标件数时按续保保费计提的年终奖励 (费率手册 §9, 元), 否则 0。"""
    return f.renewal_bonus(renewed_count, target_count, renewal_premium)


def MONTHS_BETWEEN(from_date, to_date):
    """相隔月数 MONTHS_BETWEEN: 两个日期之间的整月数, 与计算车龄的口径相同。"""
    return f.months_between(from_date, to_date)


def DAYS_TO_EXPIRY(end_date, as_of=None):
    """距到期天数 DAYS_TO_EXPIRY: 从基准日期到终保日期的天数; 已过期为负数。"""
    return f.days_to_expiry(end_date, as_of)


def RENEWAL_DUE(end_date, as_of=None, window_days=30):
    """是否应续保 RENEWAL_DUE: 基准日期 < 终保日期 ≤ 基准日期 + 提前天数 时为 TRUE。"""
    return f.renewal_due(end_date, as_of, window_days)


def RENEWAL_PREMIUMS(table):
    """批量保费 RENEWAL_PREMIUMS: 对含表头行的表格逐行计算保费, 返回一列 (自动溢出); 有误的行显示以 # 开头的说明, 其他行照常计算; 空行留空。"""
    rows = as_rows(table)
    if len(rows) < 2:
        raise InputError("table", f"{len(rows)} 行", "须包含表头行和至少一行数据")
    header, body = rows[0], rows[1:]
    filled = [i for i, row in enumerate(body) if not all(is_blank(v) for v in row)]
    out: list[object] = [None] * len(body)
    for i, premium in zip(filled, f.renewal_premiums([header] + [body[i] for i in filled])):
        out[i] = premium
    return [[v] for v in out]


RENEWAL_OPTIONS = quote_function(
    "RENEWAL_OPTIONS",
    "续保方案 RENEWAL_OPTIONS: 五列数组 (方案, 条件, 保费, 节省, 推荐): 原方案续保及方案一至四 (增设免赔额、多次事故免赔、车损不足额投保、减少险种), 推荐的一行标 ★推荐 (费率手册 §12)。",
    lambda *values: f.renewal_options(*values),  # looked up at each call, as the other functions do
    f.OPTION_INPUTS,
)


# every worksheet function of the contract, in the contract's order
FUNCTIONS: tuple[Callable, ...] = (
    RENEWAL_PREMIUM,
    PREMIUM_BREAKDOWN,
    PACKAGE_PRICE,
    PACKAGE_RECOMMEND,
    ACTUAL_VALUE,
    NCD_FACTOR,
    DEDUCTIBLE_FACTOR,
    RENEWAL_VOUCHER,
    COMMISSION_RATE,
    COMMISSION,
    PERFORMANCE_PAY,
    RENEWAL_BONUS,
    MONTHS_BETWEEN,
    DAYS_TO_EXPIRY,
    RENEWAL_DUE,
    RENEWAL_PREMIUMS,
    RENEWAL_OPTIONS,
)
# the functions that return a 2-D array (a column of rows) rather than one value
ARRAY_FUNCTIONS = frozenset({"PREMIUM_BREAKDOWN", "RENEWAL_PREMIUMS", "RENEWAL_OPTIONS"})


def cell_function(body: Callable, logger: logging.Logger, cache: CallCache | None = CACHE) -> Callable:
    """``body`` taking raw cell values and returning a cell value or a ``#`` text, never
    raising; unexpected errors are logged on ``logger`` (see the module doc). Results of a
    function returning one value are kept in ``cache`` (:mod:`renewal_xl.spreadsheet.memo`)."""
    names = list(inspect.signature(body).parameters)
    function = body.__name__
    table = TABLE_ARG in names
    if function in ARRAY_FUNCTIONS:
        cache = None

    @functools.wraps(body)
    def call(*args):
        key = cache.key(function, args) if cache is not None else None
        if key is not None:
            hit, result = cache.lookup(key)  # type: ignore[union-attr]
            if hit:
                return result
        try:
            values = (
                [v if name == TABLE_ARG else cell(name, v) for name, v in zip(names, args)]
                if table
                else [cell(name, v) for name, v in zip(names, args)]
            )
            result = to_cell(body(*values))
        except RenewalError as exc:
            result = error_text(exc)
        except Exception as exc:  # noqa: BLE001 - a cell must never show a traceback
            return unexpected(function, exc, logger)
        if key is not None:
            cache.store(key, result)  # type: ignore[union-attr]
        return result

    return call


def unexpected(where: str, exc: Exception, logger: logging.Logger) -> str:
    """Log an unexpected exception without its message (it may carry personal data) and
    return the short text a user sees."""
    logger.error("%s: %s\n%s", where, type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
    return short(f"#错误 内部错误 ({type(exc).__name__}), 请联系管理员查看日志")


__all__ = [  # the contract's functions by the one list of them, and the helpers of every shell
    *(function.__name__ for function in FUNCTIONS),
    "ARRAY_FUNCTIONS",
    "FUNCTIONS",
    "TABLE_ARG",
    "cell_function",
    "quote_function",
    "unexpected",
]
