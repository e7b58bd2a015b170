"""The hardening report (issue 8): every class of bad input and every hostile file tried,
with its outcome, as a markdown file, ``tests/hardening_report.md``.

The report is computed from the same runs as the tests (:mod:`hostile`,
:mod:`hostile_files`) and compared with the committed file: a change of behaviour shows up
as a diff to review. When they differ the test writes the new report and fails; commit it
once the diff is right. (The fuzzing totals change with each run's seed and are printed by
``tests/test_fuzz.py`` instead.)
"""

from __future__ import annotations

from pathlib import Path

import hostile_files
import pandas as pd
from hostile import BAD_VALUES, RANGES, register_run, udf_calls

from renewal_xl.columns import REGISTER
from renewal_xl.errors import show_value
from renewal_xl.io.text import needs_quote
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.reports.spec import Report, Sheet, Table

REPORT = Path(__file__).with_name("hardening_report.md")
INJECTION = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "#DIV/0!"]


def _cell(text: object) -> str:
    return show_value(text).replace("|", "\\|") if not isinstance(text, str) else text.replace("|", "\\|")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _functions_section() -> list[str]:
    calls = udf_calls()
    rows = []
    for kind in [*BAD_VALUES, "区域 range"]:
        mine = [c for c in calls if c.kind == kind]
        refused = [c for c in mine if c.refused]
        example = next(
            (c for c in refused if (c.function, c.param) == ("RENEWAL_PREMIUM", "new_car_price")),
            refused[0] if refused else None,
        )
        values = RANGES if kind == "区域 range" else BAD_VALUES[kind]
        rows.append(
            [
                kind,
                " · ".join(
                    show_value(repr(v) if isinstance(v, str) else str(v) if isinstance(v, list) else v) for v in values
                ),
                len(mine),
                len(refused),
                len(mine) - len(refused),
                sum(c.internal for c in mine),
                f"{example.function}: {example.result}" if example else "",
            ]
        )
    return [
        "## 1. 工作表函数 Worksheet functions",
        "",
        f"Every one-cell function × every argument × every value: {len(calls):,} calls. "
        "Refused = a `#` text naming the argument; accepted = a value (e.g. `150,000` read as 150000).",
        "",
        *_table(["class", "values", "calls", "refused", "accepted", "internal errors", "example"], rows),
        "",
    ]


def _register_section() -> list[str]:
    run = register_run()
    listed = {(int(r), c) for r, c in zip(run.problems["行号"], run.problems["列"])}
    rows = []
    for kind in BAD_VALUES:
        cells = [(row, key) for row, (key, k, _) in run.spoiled.items() if k == kind]
        flagged = [(row, key) for row, key in cells if (row, REGISTER[key]) in listed]
        columns = sorted(
            {REGISTER[key] for row, key in cells if (row, REGISTER[key]) not in listed},
            key=list(REGISTER.values()).index,
        )
        rows.append([kind, len(cells), len(flagged), " ".join(columns) or "-"])
    jobs = ", ".join(f"{name}: {o.messages[0]}" for name, o in run.outcomes.items())
    return [
        "## 2. 保单台账 Register columns",
        "",
        f"One register of {len(run.spoiled):,} rows, one spoiled cell per row (every column × every value), "
        f"through every job; each wrote its workbook. {jobs}.",
        "",
        *_table(["class", "cells", "listed by check", "accepted in (column)"], rows),
        "",
    ]


def _files_section() -> list[str]:
    outcomes = hostile_files.file_outcomes()
    rows = []
    for name, (what, file_name, _) in hostile_files.FILES.items():
        o = outcomes[name]
        result = (
            f"refused: {o['refused']}"
            if "refused" in o
            else f"read {o['rows']} row(s); warning: {'; '.join(o['warnings'])}"
        )
        rows.append([what, file_name, result])
    return [
        "## 3. 恶意文件 Hostile files",
        "",
        "Read as a register in a subprocess limited to 4 GiB and 120 s (renewal_xl.io.safety checks first).",
        "",
        *_table(["file", "name", "outcome"], rows),
        "",
    ]


def _injection_section(tmp: Path) -> list[str]:
    path = tmp / "injection.xlsx"
    write_report(Report([Sheet("s", [Table(pd.DataFrame({"text": INJECTION}))])]), path)
    import openpyxl

    ws = openpyxl.load_workbook(path)["s"]
    rows = [
        [repr(text), c.data_type, "yes" if c.quotePrefix else "no", "yes" if needs_quote(text) else "no"]
        for text, c in zip(INJECTION, ws["A"][1:])
    ]
    return [
        "## 4. 公式注入 Formula injection",
        "",
        "Register text written by the openpyxl writer, read back with openpyxl (the xlwings writer puts a "
        "leading `'`):",
        "",
        *_table(["text", "cell type", "quote prefix", "formula- or error-like"], rows),
        "",
    ]


def _office_section(tmp: Path) -> list[str]:
    """Issue 13: one register written as offices write it, and every failure path of the
    command line with its line and exit code."""
    import os
    from unittest import mock

    import hostile_files
    import test_office_registers as office
    import xlsxwriter
    from click.testing import CliRunner

    from renewal_xl.app import jobs
    from renewal_xl.cli.main import main
    from renewal_xl.io.register import read_register

    forms = []
    for kind in office.KINDS:
        folder = tmp / kind.replace(" ", "_")
        folder.mkdir()
        path = office._written(kind, folder)
        reg = read_register(path)
        forms.append([kind, path.name, jobs.statement(reg, office.STARTED).messages[0], "; ".join(reg.warnings)])
    clean = office._written("clean xlsx", tmp)
    bad_dates = office._one_row_register(
        tmp, lambda k, v: v.strftime("%d/%m/%Y") if isinstance(v, office.dt.date) else v
    )
    empty = tmp / "empty_tariff"
    empty.mkdir()
    books = tmp / "books_tariff"
    books.mkdir()
    (books / "tariff.xlsx").write_bytes(b"")
    gbk = tmp / "gbk_tariff"
    gbk.mkdir()
    (gbk / "tariff.csv").write_bytes("id,名称\n".encode("gbk")[:-1] + b"\xff\xfe\n")
    book = tmp / "t.xlsx"
    book.write_bytes(b"PK")
    out = str(tmp / "out.xlsx")
    price = ["price", str(clean), "--as-of", "2026-01-20", "-o", out]

    def full(*args, **kwargs):
        raise xlsxwriter.exceptions.FileCreateError(OSError(28, "No space left on device", "out.xlsx"))

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    cases = [
        ("日期写成 05/12/2025", ["renewals", str(bad_dates), "--as-of", "2026-01-20", "-o", out], None),
        ("磁盘已满 (FileCreateError, ENOSPC)", price, mock.patch.object(xlsxwriter.Workbook, "close", full)),
        ("Ctrl-C (KeyboardInterrupt)", price, mock.patch.object(jobs, "price", interrupt)),
        ("工作表 XML 声明 ISO-8859-1 (check)", ["check", str(hostile_files.latin1_sheet(tmp / "latin1.xlsx"))], None),
        ("工作表 XML 截断 (check)", ["check", str(hostile_files.truncated_sheet_xml(tmp / "cut.xlsx"))], None),
        ("空的费率表文件夹", ["--tariff", str(empty), *price], None),
        ("费率表文件夹只有 .xlsx", ["--tariff", str(books), *price], None),
        ("无法解码的费率表 CSV", ["--tariff", str(gbk), *price], None),
        ("--tariff t.xlsx … -o t.xlsx", ["--tariff", str(book), *price[:-1], str(book)], None),
    ]
    rows = []
    for what, args, patch in cases:
        with mock.patch.dict(os.environ), patch or mock.patch.dict({}):  # --tariff sets RENEWAL_XL_TARIFF
            result = CliRunner().invoke(main, args)
        line = result.stderr.strip().replace(str(tmp) + "/", "")
        rows.append([what, result.exit_code, line])
    return [
        "## 6. 办公室导出的台账与失败路径 Registers as offices produce them; failure paths (issue 13)",
        "",
        "The same six policies written nine ways (`tests/test_office_registers.py`); each gives the same due "
        "list, quotes and commissions:",
        "",
        *_table(["form", "file", "statements", "reader's note"], forms),
        "",
        "Every failure path of the command line: one Chinese line on stderr and its exit code "
        "(2 input, 1 file operation, 130 interrupt):",
        "",
        *_table(["case", "exit", "stderr"], rows),
        "",
    ]


def render_report(tmp: Path) -> str:
    lines = [
        "# Hardening report (issues 8 and 13)",
        "",
        "Generated by `tests/test_hardening_report.py`; do not edit by hand.",
        "",
        *_functions_section(),
        *_register_section(),
        *_files_section(),
        *_injection_section(tmp),
        "## 5. 其他 Other checks",
        "",
        "- Writes: atomic, previous output kept as `NAME.bak.xlsx`; a run killed with SIGKILL while writing "
        "leaves the input and the previous output intact (`tests/test_atomic.py`).",
        "- Personal data: `--mask-phones` masks phone and ID numbers in every output; none in logs at DEBUG "
        "(`tests/test_privacy.py`).",
        "- Fuzzing: over 100,000 generated calls a run, seed in pytest's header (`tests/test_fuzz.py`).",
        "",
        *_office_section(tmp),
    ]
    return "\n".join(lines)


def test_the_hardening_report_is_current(tmp_path):
    text = render_report(tmp_path)
    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if text != old:
        REPORT.write_text(text, encoding="utf-8")
    assert text == old, f"{REPORT.name} was out of date and has been rewritten: review the diff and commit it"
    functions = [row for row in text.split("## 2.")[0].splitlines() if row.startswith("| ") and "calls" not in row]
    assert len(functions) == len(BAD_VALUES) + 1 and all(
        row.split(" | ")[5] == "0" for row in functions
    )  # no internal error
