"""Hostile files as registers, tariff workbooks and macro workbooks (issue 8): refused with
a Chinese message or read with a warning, within bounded memory and time.

The files of :mod:`hostile_files` are read in a subprocess limited to 4 GiB of address
space and 120 s: a file the checks of :mod:`renewal_xl.io.safety` missed (a cell at
XFD1048576 makes the reader allocate 512 GB) would end that process, not pass."""

from __future__ import annotations

import re

import hostile_files
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from position_texts import cell_texts

from renewal_xl.cli.main import main
from renewal_xl.errors import TariffError
from renewal_xl.io import safety
from renewal_xl.io.safety import UnsafeFileError, check_file, column_letters, column_number
from renewal_xl.render.openpyxl_book import OpenpyxlBook
from renewal_xl.tariff.catalogue import load_tariff


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict]:
    return hostile_files.file_outcomes()


EXPECTED = {
    "zip_bomb": "文件 bomb.xlsx: 压缩比异常 (xl/worksheets/sheet1.xml: 1,026 倍, 上限 200 倍), 可能是压缩炸弹",
    "lying_directory": "文件 lying.xlsx: 解压后过大 (7.5 GiB, 上限 4 GiB), 可能是压缩炸弹",
    "last_cell": "文件 lastcell.xlsx: 工作表过大 (xl/worksheets/sheet1.xml: 至少 1,048,576 行 × 16,384 列; "
    "上限 1,048,576 行、16,384 列、共 50,000,000 个单元格)",
    "too_many_rows": "文件 rows.xlsx: 工作表过大 (xl/worksheets/sheet1.xml: 至少 2,000,000 行 × 1 列; "
    "上限 1,048,576 行、16,384 列、共 50,000,000 个单元格)",
    "cell_below_row": "文件 below.xlsx: 工作表过大 (xl/worksheets/sheet1.xml: 至少 900,000 行 × 703 列; "
    "上限 1,048,576 行、16,384 列、共 50,000,000 个单元格)",
    "unplaced_cells": "文件 unplaced.xlsx: 工作表 xl/worksheets/sheet1.xml 的单元格缺少位置 (r 属性); 请在 Excel 中打开后另存为 .xlsx",
    "billion_laughs": "文件 laughs.xlsx: XML 中含 DOCTYPE/ENTITY 声明 (xl/sharedStrings.xml), 可能是实体扩展攻击, 拒绝读取",
    "billion_laughs_utf16": "文件 laughs16.xlsx: XML 中含 DOCTYPE/ENTITY 声明 (xl/sharedStrings.xml), 可能是实体扩展攻击, 拒绝读取",
    "xxe": "文件 xxe.xlsx: XML 中含 DOCTYPE/ENTITY 声明 (xl/sharedStrings.xml), 可能是实体扩展攻击, 拒绝读取",
    "too_many_parts": "文件 parts.xlsx: 压缩包内文件过多 (10,010 个, 上限 10,000), 不是正常的工作簿",
    "not_a_zip": "文件 old.xlsx: 不是有效的 .xlsx/.xlsm 工作簿 (可能是 .xls、已加密或已损坏; 请在 Excel 中另存为 .xlsx)",
    "truncated": "文件 half.xlsx: 不是有效的 .xlsx/.xlsm 工作簿 (可能是 .xls、已加密或已损坏; 请在 Excel 中另存为 .xlsx)",
    "wide_csv": "文件 wide.csv: 列数过多 (上限 16,384 列)",
    "huge_csv": "文件 huge.csv: 文件过大 (3,072 MiB, 上限 2,048 MiB)",
    "binary_csv": "文件 binary.csv: 不是 UTF-8 或 GB18030/GBK 编码的文本 "
    "(在 Excel 中另存为 “CSV UTF-8 (逗号分隔)” 或 “CSV (逗号分隔)”)",
    "truncated_sheet_xml": "文件 cut.xlsx: 工作簿已损坏或编码异常, 无法读取 (XmlError); 请在 Excel 中打开后另存为 .xlsx",
    "latin1_sheet": "文件 latin1.xlsx: 工作簿已损坏或编码异常, 无法读取 (XmlError); 请在 Excel 中打开后另存为 .xlsx",
    "semicolon_csv": "文件 semicolon.csv: 列以分号 (';') 分隔, 不是逗号: 请在 Excel 中另存为 “CSV UTF-8 (逗号分隔)”",
    "uncalculated_formulas": "文件 formulas.xlsx 工作表 保单台账: 列 起保日期 (K 列) 是未计算的公式 (如 K2: 缓存值 0); "
    "请在 Excel 中打开并保存 (自动重算), 或先运行 renewal-xl recalc",
}
READ = {  # files offices produce, read as they are (with a note where the reader adapted)
    "header_in_row_two": ["表头在第 2 行 (上方 1 行为标题, 已跳过)"],
    "gbk_csv": [],
}
WARNED = {
    "external_link": "工作簿含外部链接: 使用文件中保存的值, 不会打开链接的文件",
    "macros": "工作簿含宏 (VBA): 只读取数据, 不会运行宏",
    "embedded_object": "工作簿含嵌入对象或 ActiveX 控件: 已忽略",
}


def test_every_hostile_file_is_tried(outcomes):
    assert set(outcomes) == set(hostile_files.FILES) == set(EXPECTED) | set(WARNED) | set(READ)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_hostile_file_is_refused_with_a_chinese_message(outcomes, name):
    assert outcomes[name] == {"name": name, "refused": EXPECTED[name]}


@pytest.mark.parametrize("name", list(WARNED))
def test_file_with_active_content_is_read_as_data_with_a_warning(outcomes, name):
    assert outcomes[name] == {"name": name, "rows": 1, "warnings": [WARNED[name]]}


@pytest.mark.parametrize("name", list(READ))
def test_office_file_is_read(outcomes, name):
    assert outcomes[name] == {"name": name, "rows": 1, "warnings": READ[name]}


def test_sheets_left_to_the_slices_read_give_every_file_the_same_outcome(outcomes):
    """With slices of 64 bytes every worksheet part over that size is left by the pre-flight
    to the slices' read, which scans each slice before fastexcel parses it: every hostile file
    is refused with the same message, and every other read alike (in the limited process)."""
    sliced = hostile_files.file_outcomes(sliced=True)
    assert {name: {k: v for k, v in got.items() if k != "left"} for name, got in sliced.items()} == outcomes
    for name in ("last_cell", "too_many_rows", "cell_below_row", "unplaced_cells", "header_in_row_two"):
        assert sliced[name]["left"] == ["xl/worksheets/sheet1.xml"], name  # refused or read by the slices' scan


def test_openpyxl_parses_with_defusedxml(tmp_path):
    assert openpyxl.DEFUSEDXML is True
    from defusedxml import EntitiesForbidden

    laughs = (
        hostile_files.LAUGHS.split("]>")[0]
        + "]>"
        + hostile_files._sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>')
        .decode()
        .split("?>", 1)[1]
    )
    path = hostile_files._replace_part(
        hostile_files._register_book(tmp_path / "laughs.xlsx"), hostile_files.SHEET, laughs.encode()
    )
    with pytest.raises(UnsafeFileError, match="DOCTYPE"):
        check_file(path)
    with pytest.raises(ValueError) as info:  # even when a caller skips the pre-flight check
        openpyxl.load_workbook(path)
    assert isinstance(info.value.__context__, EntitiesForbidden)


def test_tariff_workbooks_and_macro_workbooks_are_checked_too(tmp_path):
    bomb = hostile_files.zip_bomb(tmp_path / "tariff.xlsx")
    with pytest.raises(UnsafeFileError, match="压缩比异常"):
        load_tariff(bomb)
    last = hostile_files.cell_at_the_last_cell(tmp_path / "book.xlsx")
    with pytest.raises(UnsafeFileError, match="工作表过大"):
        OpenpyxlBook(last)
    with pytest.raises(TariffError):  # a tariff check error is still a domain error the CLI reports
        load_tariff(tmp_path / "missing.xlsx")


def test_the_command_line_shows_the_warning_and_runs(tmp_path):
    path = hostile_files.macros(tmp_path / "register.xlsm")
    result = CliRunner().invoke(main, ["price", str(path), "--as-of", "2026-01-20", "-o", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.stderr == "警告: 工作簿含宏 (VBA): 只读取数据, 不会运行宏\n"
    bomb = hostile_files.zip_bomb(tmp_path / "bomb.xlsx")
    result = CliRunner().invoke(main, ["check", str(bomb)])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误: 文件 bomb.xlsx: 压缩比异常")


def test_an_unchanged_file_is_scanned_once_and_a_rewritten_one_again(tmp_path, monkeypatch):
    scans = []
    real = safety.check_workbook
    monkeypatch.setattr(safety, "check_workbook", lambda p: scans.append(p) or real(p))
    path = hostile_files.macros(tmp_path / "register.xlsm")
    warning = ["工作簿含宏 (VBA): 只读取数据, 不会运行宏"]
    assert check_file(path) == check_file(path) == warning and len(scans) == 1  # 保单台账, then 续保跟踪
    check_file(path).append("changed by a caller")  # each caller gets its own list
    assert check_file(path) == warning and len(scans) == 1
    bomb = hostile_files.zip_bomb(tmp_path / "bomb.xlsx")
    path.write_bytes(bomb.read_bytes())  # the same path, another file
    for _ in range(2):  # a refusal is never remembered as a pass
        with pytest.raises(UnsafeFileError, match="压缩比异常"):
            check_file(path)
    assert len(scans) == 3


def test_registers_written_by_the_add_in_pass(tmp_path):
    import datetime as dt

    from renewal_xl.cli.demo import run_demo

    run_demo(tmp_path, 300, dt.date(2026, 5, 20), 1)
    for path in sorted(tmp_path.glob("*.xlsx")):
        assert check_file(path) == [], path


def test_the_limits_leave_room_for_a_register_of_a_million_rows():
    register_row = 1_050  # bytes of sheet XML per register row as openpyxl writes it
    assert safety.MAX_ROWS >= 1_000_001 and safety.MAX_CELLS >= 1_000_001 * 44  # the priced register's columns
    assert safety.MAX_UNCOMPRESSED >= 1_000_001 * register_row * 1.6


def test_column_spelling():
    assert [column_number(c) for c in ("A", "Z", "AA", "ZZ", "AAA", "XFD")] == [1, 26, 27, 702, 703, 16384]
    assert all(column_number(column_letters(n)) == n for n in range(1, 20_000))


REFERENCE = re.compile(rb'\sr="([A-Z]*)(\d+)"')  # the plain regex reading of a position, one cell at a time


@settings(max_examples=200, deadline=None)
@given(
    cell_texts(["<c ", "<c\t", "<c\n", "<cx", "<c c"], 2_000_000, ['"', '" t="n"', "", "/"], max_size=40),
    st.integers(0, 30),
)
def test_extent_reads_positions_as_a_regex_does(text, cut):
    text = text[: len(text) - cut]  # a chunk may end inside a position
    found = [(m.group(1).decode(), int(m.group(2))) for m in REFERENCE.finditer(text)]
    columns = re.findall(rb'\sr="([A-Z]+)\d', text)
    assert safety.extent(text) == (
        max((column_number(c.decode()) for c in columns), default=0),
        max((row for _, row in found), default=0),
    )
