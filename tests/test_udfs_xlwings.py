"""The UDFs as xlwings itself sees them on Windows: its real ``xlwings.udfs`` module,
loaded on Linux with pywin32 stand-ins (tests/xlwings_windows.py), records each
function's name, arguments, optional defaults and help, and its ``import_udfs`` writes
the VBA module "Import Functions" creates. That module is committed as
``udfs/renewal_xl_udfs.bas`` and must match."""

from __future__ import annotations

import inspect

import pytest
from xlwings_windows import BAS, import_functions, windows_udfs

R = inspect.Parameter.empty  # required
QUOTE = [
    ("new_car_price", R),
    ("vehicle_age_months", R),
    ("seats", R),
    ("coverage", R),
    ("claim_free_years", R),
    ("claims_last_year", R),
    ("deductible", None),
    ("multi_accident", None),
    ("underwriting_coef", None),
    ("channel_coef", None),
    ("is_renewal", True),
    ("imported", None),
    ("insured_amount", None),
    ("policy_start", None),
]

# excel-contract §1: name -> arguments in order, with the default of each optional one
CONTRACT = {
    "RENEWAL_PREMIUM": QUOTE,
    "PREMIUM_BREAKDOWN": QUOTE,
    "PACKAGE_PRICE": [
        ("package", R),
        ("new_car_price", R),
        ("vehicle_age_months", R),
        ("seats", R),
        ("claim_free_years", 0),
        ("claims_last_year", 0),
        ("deductible", None),
        ("imported", None),
        ("is_renewal", False),
    ],
    "PACKAGE_RECOMMEND": [
        ("customer_type", R),
        ("driving_years", R),
        ("new_car_price", R),
        ("vehicle_age_months", R),
        ("price_sensitivity", R),
    ],
    "ACTUAL_VALUE": [("new_car_price", R), ("vehicle_age_months", R)],
    "NCD_FACTOR": [("claim_free_years", R), ("claims_last_year", R)],
    "DEDUCTIBLE_FACTOR": [("deductible", R), ("new_car_price", R)],
    "RENEWAL_VOUCHER": [("claim_free_years", R), ("is_renewal", True)],
    "COMMISSION_RATE": [("channel", R), ("is_renewal", R), ("agency", None)],
    "COMMISSION": [("premium", R), ("channel", R), ("is_renewal", R), ("agency", None)],
    "PERFORMANCE_PAY": [("premium", R), ("channel", R), ("commission_rate", R), ("is_renewal", R)],
    "RENEWAL_BONUS": [("renewed_count", R), ("target_count", R), ("renewal_premium", R)],
    "MONTHS_BETWEEN": [("from_date", R), ("to_date", R)],
    "DAYS_TO_EXPIRY": [("end_date", R), ("as_of", None)],
    "RENEWAL_DUE": [("end_date", R), ("as_of", None), ("window_days", 30)],
    "RENEWAL_PREMIUMS": [("table", R)],
    "RENEWAL_OPTIONS": [
        *QUOTE[:7],
        ("imported", None),
        ("insured_amount", None),
        ("policy_start", None),
    ],
}
MACROS = [
    "generate_renewal_list",
    "monthly_review",
    "check_data",
    "commission_statement",
    "renewal_progress",
    "collect_followups",
]


@pytest.fixture(scope="module")
def xlwings_view():
    with windows_udfs() as (xl_udfs, module):
        yield xl_udfs, module, import_functions(xl_udfs)


def test_exactly_the_contracts_functions_and_macros_are_registered(xlwings_view):
    _, module, _ = xlwings_view
    registered = {name for name in dir(module) if hasattr(getattr(module, name), "__xlfunc__")}
    assert registered == set(CONTRACT) | set(MACROS)
    assert set(module.FUNCTIONS) == set(CONTRACT) and set(module.MACROS) == set(MACROS)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_function_metadata(xlwings_view, name):
    _, module, _ = xlwings_view
    xlf = getattr(module, name).__xlfunc__
    assert xlf["name"] == name and xlf["sub"] is False
    assert xlf["category"] == "renewal-xl 续保" and xlf["volatile"] is False
    args = xlf["args"]
    assert [a["name"] for a in args] == [n for n, _ in CONTRACT[name]]
    for arg, (arg_name, default) in zip(args, CONTRACT[name]):
        if default is R:
            assert "optional" not in arg, arg_name
            assert not arg["doc"].startswith("[可选]")
        else:
            assert arg["optional"] == default and arg["doc"].startswith("[可选]"), arg_name
        assert arg_name in arg["doc"] and len(arg["doc"]) < 255
        assert not arg["vararg"] and arg["vba"] is None
        assert arg["options"]["err_to_str"] is True  # cell errors arrive as text, not as blanks
    doc = xlf["ret"]["doc"]
    assert doc.split(" ", 1)[1].startswith(name + ":") and len(doc) < 255 and "\n" not in doc
    assert "expand" not in xlf["ret"]["options"]  # native dynamic arrays spill by themselves


def test_array_function_reads_its_range_as_rows(xlwings_view):
    _, module, _ = xlwings_view
    (table,) = module.RENEWAL_PREMIUMS.__xlfunc__["args"]
    assert table["options"]["ndim"] == 2


@pytest.mark.parametrize("name", MACROS)
def test_macro_metadata(xlwings_view, name):
    _, module, _ = xlwings_view
    xlf = getattr(module, name).__xlfunc__
    assert xlf["name"] == name and xlf["sub"] is True and xlf["args"] == []
    assert name in xlf["ret"]["doc"]


def test_import_functions_writes_a_vba_wrapper_for_every_function_and_macro(xlwings_view):
    _, _, book = xlwings_view
    vba = book.vba
    assert vba.startswith('Attribute VB_Name = "xlwings_udfs"')
    assert (
        "Function RENEWAL_PREMIUM(new_car_price, vehicle_age_months, seats, coverage, claim_free_years, "
        "claims_last_year, Optional deductible, Optional multi_accident, Optional underwriting_coef, "
        "Optional channel_coef, Optional is_renewal, Optional imported, Optional insured_amount, "
        "Optional policy_start)"
    ) in vba
    for name, args in CONTRACT.items():
        signature = ", ".join(("Optional " if d is not R else "") + n for n, d in args)
        assert f"Function {name}({signature})\n" in vba
        assert (
            f'{name} = XLPy.CallUDF("udfs", "{name}", Array({", ".join(n for n, _ in args)}), ThisWorkbook, '
            "Application.Caller)" in vba
        )
    for name in MACROS:
        assert f"Sub {name}()\n" in vba and f'XLPy.CallUDF "udfs", "{name}", Array(), ThisWorkbook' in vba


def test_function_wizard_help_reaches_excel(xlwings_view):
    _, module, book = xlwings_view
    assert set(book.macro_options) == set(CONTRACT) | set(MACROS)
    options = book.macro_options["COMMISSION"]
    assert options["Description"] == module.COMMISSION.__doc__
    assert options["Category"] == "renewal-xl 续保"
    assert options["ArgumentDescriptions"] == [
        "保费 premium: 元",
        "渠道 channel: 直销/个人代理/专业代理/兼业代理/经纪 (DIRECT/AGENT/AGENCY/DEALER/BROKER)",
        "是否续保 is_renewal: 是/否 (TRUE/FALSE, 1/0, Y/N)",
        "[可选] 代理机构 agency: 代理机构代码, 如 AG001 (有单独费率的机构按其费率); 留空 = 无 (按渠道标准费率)",
    ]
    assert (
        book.macro_options["RENEWAL_DUE"]["ArgumentDescriptions"][2]
        == "[可选] 提前天数 window_days: 整数 0–3660; 留空 = 30"
    )


def test_committed_vba_module_is_current(xlwings_view):
    _, _, book = xlwings_view
    committed = BAS.read_bytes()
    assert committed.count(b"\n") == committed.count(b"\r\n") > 0, "udfs/renewal_xl_udfs.bas must have CRLF line ends"
    assert committed.decode() == book.vba.replace("\n", "\r\n"), (
        "udfs/renewal_xl_udfs.bas is out of date with the UDFs. Refresh it with "
        "`.venv/bin/python tests/xlwings_windows.py` and commit it."
    )


def test_the_decorated_functions_still_compute(xlwings_view):
    _, module, _ = xlwings_view
    assert module.RENEWAL_PREMIUM(150000, 30, 5, "经济", 2, 0) == 3253.15
    assert module.COMMISSION(5000, "专业代理", True) == 700.0


def test_everything_is_restored_afterwards():
    import sys

    import xlwings

    before = {m: sys.modules.get(m) for m in ("pythoncom", "pywintypes", "xlwings.udfs", "udfs", "udfs.worksheet")}
    func = xlwings.func
    with windows_udfs() as (_, module):
        assert sys.modules["udfs"] is module and module is not before["udfs"]
    assert {m: sys.modules.get(m) for m in before} == before and xlwings.func is func
