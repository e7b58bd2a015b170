"""Personal data (issue 8): with ``--mask-phones`` no phone or ID number appears in any
output of any command, nor in the macro's sheets; and none is ever written to the logs,
even at DEBUG level."""

from __future__ import annotations

import logging

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from registers import D, policy

from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER, TRACKING
from renewal_xl.reports.privacy import mask_text

ID = "110101199003074518"
ID_X = "44030519851231002X"
PERSONAL = ("13812341234", "13912345678", "027-87654321", "1381234123", ID, ID_X)


def _register(tmp_path):
    rows = [
        policy("P1", 1, D(2025, 2, 5), phone="13812341234", customer=f"张三 (身份证 {ID})"),
        policy(
            "P2",
            2,
            D(2025, 2, 10),
            phone="027-87654321",
            customer="李四 13912345678",
            channel="专业代理",
            agency="AG001",
        ),
        policy("P3", 3, D(2025, 2, 20), phone="1381234123", customer="王五"),  # a malformed phone: check lists it
        policy("P3R", 3, D(2026, 2, 20), phone="1381234123", customer="王五", salesperson="张伟"),
    ]
    frame = pd.DataFrame(rows, columns=list(REGISTER)).rename(columns=REGISTER)
    frame["备注"] = [f"证件 {ID_X}", "", "", ""]
    path = tmp_path / "r.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    track = tmp_path / "t.csv"
    pd.DataFrame(
        [["P1", "未续保", "价格", "", f"客户说 13812341234 {ID}", ""]], columns=list(TRACKING.values())
    ).to_csv(track, index=False, encoding="utf-8-sig")
    return path, track


COMMANDS = {
    "renewals": ["renewals", "{reg}", "--as-of", "2026-01-20"],
    "review": ["review", "{reg}", "--month", "2026-02", "--tracking", "{track}"],
    "price": ["price", "{reg}", "--as-of", "2026-01-20"],
    "statements": ["statements", "{reg}", "--month", "2025-02"],
    "check": ["check", "{reg}", "--as-of", "2026-01-20"],
}


def _run(tmp_path, command, *extra):
    reg, track = _register(tmp_path)
    out = tmp_path / f"{command}.xlsx"
    args = [a.format(reg=reg, track=track) for a in COMMANDS[command]] + [*extra, "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    book = openpyxl.load_workbook(out)
    text = "\n".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    )
    return text, result.output


@pytest.mark.parametrize("command", list(COMMANDS))
def test_masked_outputs_show_no_phone_or_id_number(tmp_path, command):
    text, printed = _run(tmp_path, command, "--mask-phones")
    for value in PERSONAL:
        assert value not in text and value not in printed, (command, value)


def test_masked_values_keep_their_ends(tmp_path):
    text, printed = _run(tmp_path, "price", "--mask-phones")
    assert "138****1234" in text and "027****4321" in text and "张三 (身份证 110101********4518)" in text
    assert "李四 139****5678" in text and "证件 440305********002X" in text
    text, printed = _run(tmp_path, "check", "--mask-phones")
    assert "第 4 行 P3 联系电话=138****4123: 须为手机号" in printed  # the malformed phone, masked too


def test_without_the_option_the_data_are_shown(tmp_path):
    text, _ = _run(tmp_path, "price")
    assert "13812341234" in text and ID in text


def test_the_macro_masks_names_and_remarks_too(tmp_path):
    import datetime as dt

    from renewal_xl.app.macros import generate_renewal_list
    from renewal_xl.render.openpyxl_book import OpenpyxlBook

    reg, _ = _register(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    frame = pd.read_csv(reg, dtype=object, keep_default_na=False)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    wb.save(tmp_path / "book.xlsx")
    book = OpenpyxlBook(tmp_path / "book.xlsx")
    generate_renewal_list(book, dt.date(2026, 1, 20), mask_phones=True)
    text = "\n".join(
        str(c.value)
        for name in book.sheet_names()
        if name != "保单台账"
        for row in book.workbook[name].iter_rows()
        for c in row
        if c.value is not None
    )
    assert "张三 (身份证 110101********4518)" in text
    assert not any(value in text for value in PERSONAL)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_personal_data_in_the_logs_even_at_debug(tmp_path, command, caplog):
    logging.captureWarnings(True)
    try:
        with caplog.at_level(logging.DEBUG):
            _run(tmp_path, command)
    finally:
        logging.captureWarnings(False)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for value in PERSONAL:
        assert value not in logged, (command, value)


def test_worksheet_functions_log_nothing_of_their_arguments(caplog, monkeypatch):
    import udfs.worksheet as w
    from renewal_xl.spreadsheet import functions

    secret = " ".join(["customer", ID, "phone", PERSONAL[0]])  # the traceback shows source lines: no data in them

    def broken(*args, **kwargs):
        raise RuntimeError(secret)

    with caplog.at_level(logging.DEBUG):
        assert w.COMMISSION(f"{ID}", "13812341234", True).startswith("#保费 premium=")  # domain errors: not logged
        monkeypatch.setattr(functions, "commission", broken)
        assert w.COMMISSION(5000, "直销", True).startswith("#错误 内部错误 (RuntimeError)")
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "RuntimeError" in logged and ID not in logged and "13812341234" not in logged


def test_mask_rules():
    assert mask_text(f"P2026{ID}") == f"P2026{ID}"  # inside a longer number: a policy number, not an ID
    assert mask_text("LSVAU2180N0000011 13812341234") == "LSVAU2180N0000011 138****1234"
    assert mask_text("电话：0755-12345678。") == "电话：075****5678。"
    assert mask_text(f"{ID_X}，{ID}") == "440305********002X，110101********4518"
