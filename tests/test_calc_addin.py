"""The Calc add-in's generated files, formula rewriting and value conversion, checked
without starting LibreOffice (tests/test_libreoffice.py runs it for real)."""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from renewal_xl.calc import ADDIN
from renewal_xl.calc.build import calc_addins_xcu, environment, idl, idl_name
from renewal_xl.calc.calls import CALLS, as_rows, uno_rows, uno_value
from renewal_xl.calc.formulas import rewrite_sheet_xml, to_addin, to_plain
from renewal_xl.spreadsheet import worksheet
from renewal_xl.spreadsheet.help import arg_help

OOR = "{http://openoffice.org/2001/registry}"
P = ADDIN.upper() + "."


def test_idl_declares_every_function_with_any_arguments():
    text = idl()
    for f in worksheet.FUNCTIONS:
        params = list(inspect.signature(f).parameters)
        result = "sequence< sequence< any > >" if f.__name__ in worksheet.ARRAY_FUNCTIONS else "any"
        args = ", ".join(f"[in] any {idl_name(a)}" for a in params)
        assert f"        {result} {f.__name__}({args});" in text
    assert "interface XRenewalFunctions : com::sun::star::uno::XInterface" in text


def test_xcu_gives_calc_the_contract_names_and_the_chinese_help():
    root = ElementTree.fromstring(calc_addins_xcu())
    (addin,) = root.find(f"node[@{OOR}name='AddInInfo']")
    assert addin.get(f"{OOR}name") == ADDIN
    functions = addin.find(f"node[@{OOR}name='AddInFunctions']")
    assert [n.get(f"{OOR}name") for n in functions] == [f.__name__ for f in worksheet.FUNCTIONS]

    def prop(node, name):
        return [v.text for v in node.find(f"prop[@{OOR}name='{name}']")]

    for node, f in zip(functions, worksheet.FUNCTIONS):
        assert prop(node, "DisplayName") == [f.__name__] * 2
        assert prop(node, "Description") == [inspect.getdoc(f)] * 2
        assert prop(node, "Category") == ["Add-In"]
        params = node.find(f"node[@{OOR}name='Parameters']")
        signature = inspect.signature(f).parameters
        assert [p.get(f"{OOR}name") for p in params] == [idl_name(a) for a in signature]
        for p, (name, parameter) in zip(params, signature.items()):
            assert prop(p, "DisplayName") == [name] * 2
            assert prop(p, "Description") == [arg_help(name, parameter.default)] * 2
    commission = functions.find(
        f"node[@{OOR}name='COMMISSION']/node[@{OOR}name='Parameters']/node[@{OOR}name='agency']"
    )
    assert (
        prop(commission, "Description")[0]
        == "[可选] 代理机构 agency: 代理机构代码, 如 AG001 (有单独费率的机构按其费率); 留空 = 无 (按渠道标准费率)"
    )


def test_environment_records_this_python_and_where_renewal_xl_lives():
    env = environment()
    assert env["python"] == f"{sys.version_info.major}.{sys.version_info.minor}"
    assert any((Path(p) / "renewal_xl" / "spreadsheet" / "functions.py").exists() for p in env["paths"])
    assert env["functions"]["PREMIUM_BREAKDOWN"] is True and env["functions"]["RENEWAL_PREMIUM"] is False
    assert set(env["functions"]) == {f.__name__ for f in worksheet.FUNCTIONS}


@pytest.mark.parametrize(
    "plain, for_addin",
    [
        ("RENEWAL_PREMIUM(A2,B2,C2,D2,E2,F2)", f"{P}RENEWAL_PREMIUM(A2:A2,B2:B2,C2:C2,D2:D2,E2:E2,F2:F2)"),
        ("RENEWAL_PREMIUMS(A1:H20)", f"{P}RENEWAL_PREMIUMS(A1:H20)"),
        ("RENEWAL_DUE(A1, , 30)", f"{P}RENEWAL_DUE(A1:A1, , 30)"),
        ('IF(A1>0,COMMISSION(A1,"专业代理",TRUE()),"")', f'IF(A1>0,{P}COMMISSION(A1:A1,"专业代理",TRUE()),"")'),
        ("NCD_FACTOR('保单 台账'!A1,$C$1)*2", f"{P}NCD_FACTOR('保单 台账'!A1:A1,$C$1:$C$1)*2"),
        ("NCD_FACTOR(A1+0,SUM(B1))", f"{P}NCD_FACTOR(A1+0,SUM(B1))"),
        ('CONCAT("NCD_FACTOR(A1)",A1)', 'CONCAT("NCD_FACTOR(A1)",A1)'),
        ("SUM(A1,B1)", "SUM(A1,B1)"),
    ],
)
def test_formulas_for_the_add_in_and_back(plain, for_addin):
    assert to_addin(plain) == for_addin
    assert to_plain(for_addin) == plain


def test_excel_udf_prefix_and_lower_case_names_are_recognized():
    assert to_addin("_xludf.ncd_factor(A1,B1)") == f"{P}NCD_FACTOR(A1:A1,B1:B1)"
    assert to_plain(f"{P.lower()}ncd_factor(A1:A1,B1:B2)") == "NCD_FACTOR(A1,B1:B2)"


def test_sheet_xml_formulas_are_rewritten_with_xml_escaping():
    xml = (
        '<row><c r="A1"><f t="shared" ref="A1:A3" si="0">NCD_FACTOR(B1,&quot;x&quot;&amp;C1)</f><v>1</v></c>'
        '<c r="A2"><f t="shared" si="0"/></c><c r="A4"><f>SUM(B1)</f></c></row>'
    )
    out = rewrite_sheet_xml(xml, to_addin)
    assert f'<f t="shared" ref="A1:A3" si="0">{P}NCD_FACTOR(B1:B1,"x"&amp;C1)</f>' in out
    assert '<f t="shared" si="0"/>' in out and "<f>SUM(B1)</f>" in out
    assert rewrite_sheet_xml(out, to_plain) == xml.replace("&quot;", '"')


def test_values_as_calc_takes_them():
    assert [uno_value(v) for v in (None, True, False, 3, 2.5, "x")] == ["", 1.0, 0.0, 3.0, 2.5, "x"]
    assert uno_value(dt.datetime(2026, 1, 1)) == 46023.0
    assert uno_value(dt.datetime(2026, 1, 1, 12)) == 46023.5
    assert uno_rows([["车损", 2194.9], ["代金券", None]]) == (("车损", 2194.9), ("代金券", ""))
    assert uno_rows("#表格 table=…") == (("#表格 table=…",),)
    assert as_rows(((1.0, "a"), ("", 2.0))) == [[1.0, "a"], ["", 2.0]]
    assert as_rows(5.0) == [[5.0]]


def test_calls_read_calc_arguments_like_excel_cells():
    assert (
        CALLS["RENEWAL_PREMIUM"](150000.0, 30.0, 5.0, "经济", 2.0, 0.0, (("",),), None, "", None, (("",),)) == 3253.15
    )
    assert CALLS["RENEWAL_DUE"](46022.0, 46000.0) == 1.0
    assert CALLS["MONTHS_BETWEEN"]("2024-05-31", "2026-11-30") == 29.0
    assert CALLS["NCD_FACTOR"](((1.0, 2.0),), 0.0) == "#连续未出险年数 claim_free_years=2 个单元格: 须为单个单元格"
    rows = CALLS["RENEWAL_PREMIUMS"](
        (
            ("新车购置价", "车龄(月)", "座位数", "险种组合", "连续未出险年数", "上年出险次数"),
            (150000.0, 30.0, 5.0, "经济", 2.0, 0.0),
            ("", "", "", "", "", ""),
        )
    )
    assert rows == ((3253.15,), ("",))
    assert CALLS["RENEWAL_PREMIUMS"](5.0) == (("#表格 table=1 行: 须包含表头行和至少一行数据",),)
