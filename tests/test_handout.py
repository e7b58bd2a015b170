"""Handing the due list out (renewal-workflow §3b): ``renewals --split salesperson|agency``
gives every owner a workbook with only their customers, nowhere else in the file either."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from registers import D, policy

from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER
from renewal_xl.reports.handout import file_names, safe_name

# policy, vehicle, salesperson, agency, customer, phone; all end in February 2026
CUSTOMERS = [
    ("P1", 1, "张伟", "AG001", "赵一", "13811110001"),
    ("P2", 2, "张伟", "", "钱二", "13822220002"),
    ("P3", 3, "王芳", "AG001", "孙三", "13933330003"),
    ("P4", 4, "李娜", "AG002", "周四", "13744440004"),
    ("P5", 5, "李娜", "", "吴五", "13655550005"),
]
EARLY = ("P6", 6, "王芳", "AG001", "郑六", "13566660006")  # renewed early by P6R: in no list
BRANCHES = {"P1": "武汉分公司", "P3": "武汉分公司", "P4": "宜昌支公司", "P6": "武汉分公司"}  # P2, P5: blank


def register(tmp_path):
    rows = [
        policy(
            no,
            v,
            D(2025, 2, v + 1),
            salesperson=sp,
            agency=ag,
            customer=name,
            phone=phone,
            channel="专业代理" if ag else "直销",
            branch=BRANCHES.get(no, ""),
        )
        for no, v, sp, ag, name, phone in [*CUSTOMERS, EARLY]
    ]
    rows.append(
        policy("P6R", 6, D(2026, 1, 10), salesperson="王芳", agency="AG001", channel="专业代理", customer="郑六")
    )
    path = tmp_path / "register.csv"
    pd.DataFrame(rows, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def split(tmp_path, by, *extra):
    out = tmp_path / f"by-{by}"
    args = [
        "renewals",
        register(tmp_path),
        "--as-of",
        "2026-01-20",
        "--hotline",
        "95500",
        "--split",
        by,
        "--out-dir",
        out,
    ]
    result = CliRunner().invoke(main, [str(a) for a in [*args, *extra]])
    assert result.exit_code == 0, result.output
    return out, result.output


def every_part(path) -> str:
    """All XML of the file (sheets, shared strings, defined names, properties) as one text."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def check_only(path, mine: set[str]) -> None:
    text = every_part(path)
    for no, _, _, _, name, phone in CUSTOMERS:
        if no in mine:
            assert name in text and phone in text, (path.name, no)
        else:
            assert name not in text and phone not in text, (path.name, no)
    assert EARLY[4] not in text and EARLY[5] not in text


def test_split_by_salesperson_gives_each_their_own_customers_only(tmp_path):
    out, output = split(tmp_path, "salesperson")
    assert sorted(p.name for p in out.iterdir()) == ["续保清单-张伟.xlsx", "续保清单-李娜.xlsx", "续保清单-王芳.xlsx"]
    check_only(out / "续保清单-张伟.xlsx", {"P1", "P2"})
    check_only(out / "续保清单-王芳.xlsx", {"P3"})
    check_only(out / "续保清单-李娜.xlsx", {"P4", "P5"})
    assert "业务员 张伟: 应续 2 件 → 已写入" in output
    wb = openpyxl.load_workbook(out / "续保清单-王芳.xlsx")
    assert wb.sheetnames == ["续保清单", "打印清单", "续保-王芳", "续保汇总", "续保通知", "续保方案"]
    # the retention options of 王芳's own policy only, under that policy (P3)
    options = [[c.value for c in row] for row in wb["续保方案"].iter_rows(min_row=4) if any(c.value for c in row)]
    header, body = options[0], options[1:]
    assert body and {dict(zip(header, r))["保单号"] for r in body} == {"P3"}
    assert wb["续保清单"]["A1"].value.startswith("续保清单 业务员 王芳 终保日期 2026-02-01 至 2026-02-28")
    summary = [[c.value for c in row] for row in wb["续保汇总"].iter_rows(min_row=4)]
    header = summary[0]
    rows = {r[0]: dict(zip(header, r)) for r in summary[1:]}
    assert set(rows) == {"王芳", "合计"}  # P3 due, P6 already renewed (counted, not listed)
    assert (rows["王芳"]["应续件数"], rows["王芳"]["已提前续保"]) == (1, 1)


def test_split_by_agency_puts_direct_business_in_its_own_file(tmp_path):
    out, _ = split(tmp_path, "agency", "--mask-phones")
    assert sorted(p.name for p in out.iterdir()) == [
        "续保清单-AG001.xlsx",
        "续保清单-AG002.xlsx",
        "续保清单-直销业务.xlsx",
    ]
    for name, mine in (("AG001", {"P1", "P3"}), ("AG002", {"P4"}), ("直销业务", {"P2", "P5"})):
        text = every_part(out / f"续保清单-{name}.xlsx")
        for no, _, _, _, customer, phone in CUSTOMERS:
            assert (customer in text) == (no in mine), (name, no)
            assert phone not in text  # masked
            assert (f"{phone[:3]}****{phone[-4:]}" in text) == (no in mine)
    wb = openpyxl.load_workbook(out / "续保清单-AG001.xlsx")
    assert wb.sheetnames == [
        "续保清单",
        "打印清单",
        "续保-王芳",
        "续保-张伟",
        "续保汇总",
        "续保通知",
        "续保方案",
    ]  # pinyin: wang < zhang


def test_an_empty_month_writes_no_file(tmp_path):
    out = tmp_path / "none"
    result = CliRunner().invoke(
        main,
        ["renewals", str(register(tmp_path)), "--month", "2030-01", "--split", "agency", "--out-dir", str(out)],
    )
    assert result.exit_code == 0 and "没有应续保单, 未生成文件" in result.output
    assert not out.exists()


def test_split_by_branch_gives_each_branch_its_own_customers_only(tmp_path):
    out, _ = split(tmp_path, "branch")
    assert sorted(p.name for p in out.iterdir()) == [
        "续保清单-宜昌支公司.xlsx",
        "续保清单-未分配.xlsx",
        "续保清单-武汉分公司.xlsx",
    ]
    for name, mine in (("武汉分公司", {"P1", "P3"}), ("宜昌支公司", {"P4"}), ("未分配", {"P2", "P5"})):
        text = every_part(out / f"续保清单-{name}.xlsx")
        for no, _, _, _, customer, phone in CUSTOMERS:
            assert (customer in text) == (no in mine), (name, no)
            assert (phone in text) == (no in mine), (name, no)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--split", "agency"], "--split 与 --out-dir 须一起使用"),
        (["--out-dir", "x"], "--split 与 --out-dir 须一起使用"),
        ([], "缺少选项 '-o' / '--output'"),
        (["--split", "agency", "--out-dir", "x", "-o", "y.xlsx"], "-o 与 --split 只能选一个"),
        (["--split", "region", "--out-dir", "x"], "'region' 不是以下之一: 'salesperson', 'agency', 'branch'"),
    ],
)
def test_split_usage_errors_are_chinese(tmp_path, args, message):
    result = CliRunner().invoke(main, ["renewals", str(register(tmp_path)), *args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_file_names_are_safe_and_unique():
    names = file_names(["张伟", "", "CON", "a:b*?", "A_B__", " .隐藏. ", "x" * 100], "salesperson")
    assert list(names.values()) == [
        "续保清单-张伟.xlsx",
        "续保清单-未分配.xlsx",
        "续保清单-CON_.xlsx",
        "续保清单-a_b__.xlsx",
        "续保清单-A_B__(2).xlsx",
        "续保清单-隐藏.xlsx",
        "续保清单-" + "x" * 60 + ".xlsx",
    ]
    assert safe_name("lpt1.txt") == "lpt1.txt_" and safe_name("...") == "_"
