"""Every text of the command line is Chinese, click's own messages included (excel-contract
§4), tried on the mistakes people make; option names stay English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from renewal_xl.cli.chinese import MESSAGES
from renewal_xl.cli.main import main

ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Show this message|Missing (option|argument)|Invalid value|No such (command|option)"
    r"|is a directory|does not exist|Error:|Try '|\[required\]|\[default|Did you mean|unexpected extra"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def click_texts() -> set[str]:
    """Every text click passes to ``_()`` or ``ngettext()`` in its source."""
    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_every_click_text_has_its_chinese():
    missing = click_texts() - set(MESSAGES)
    assert not missing, f"click texts without Chinese (a click upgrade?): {sorted(missing)}"
    assert all(CJK.search(chinese) for chinese in MESSAGES.values())
    fields = re.compile(r"\{[^}]*\}|%\([a-z]+\)s")
    for english, chinese in MESSAGES.items():  # placeholders kept (the English type name may go)
        assert set(fields.findall(chinese)) <= set(fields.findall(english)), english
        assert set(fields.findall(english)) - set(fields.findall(chinese)) <= {"{number_type}"}, english


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("保单号\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args, expected",
    [
        (["review", "{reg}", "-o", "x.xlsx"], "用法错误: 缺少选项 '--month'。 (帮助: main review --help)"),
        (["renewals"], "用法错误: 缺少参数 'REGISTER'。 (帮助: main renewals --help)"),
        (["renewal", "{reg}"], "用法错误: 没有命令 'renewal'。 (是否要输入以下之一: 'recalc', 'renewals', 'review'?)"),
        (
            ["renewals", "{reg}", "--mouth", "2026-01"],
            "用法错误: 没有选项 '--mouth'。 (是否要输入以下之一: '--month', '--out-dir', '--output'?)",
        ),
        (
            ["statements", "{reg}", "--month", "2026-01", "--target", "0", "-o", "x.xlsx"],
            "'--target' 的值无效: 0 不在范围 1<=x<=100000 内。",
        ),
        (
            ["statements", "{reg}", "--month", "2026-01", "--target", "abc", "-o", "x.xlsx"],
            "'--target' 的值无效: 'abc' 不是有效的数字。",
        ),
        (["--tariff", "/nonexistent", "check", "{reg}"], "错误: 费率表 /nonexistent: tariff=/nonexistent: 路径不存在"),
        (
            ["renewals", "{dir}", "-o", "x.xlsx"],  # a folder is a partitioned Parquet register
            "错误: 文件夹 {dir}: 文件夹中没有 .parquet 文件 (台账须为 .xlsx、.xlsm、.csv 文件或 Parquet 文件夹)",
        ),
        (["renewals", "{reg}", "-o", "{dir}"], "'-o' / '--output' 的值无效: 文件 '{dir}' 是目录, 须为文件。"),
        (
            ["renewals", "{reg}", "--as-of", "01/12/2026", "-o", "x.xlsx"],
            "错误: 基准日期 as_of=01/12/2026: 须为日期, 如 2026-01-31",
        ),
        (["renewals", "{tmp}/nosuch.xlsx", "-o", "{tmp}/x.xlsx"], "错误: 文件 {tmp}/nosuch.xlsx: 文件不存在"),
        (["renewals", "{reg}", "-o"], "用法错误: 选项 '-o' 后面须跟一个值。"),
        (
            ["renewals", "{reg}", "--split", "agency", "--out-dir", "{reg}"],
            "'--out-dir' 的值无效: 目录 '{reg}' 是文件, 须为目录。",
        ),
        (["renewals", "{reg}", "extra", "-o", "x.xlsx"], "用法错误: 多余的参数 (extra)"),
    ],
)
def test_typical_mistakes_get_one_chinese_line(register, tmp_path, args, expected):
    fill = {"reg": str(register), "dir": str(tmp_path), "tmp": str(tmp_path)}
    result = run(*[a.format(**fill) for a in args])
    assert result.exit_code == 2, result.output
    assert expected.format(**fill) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not ENGLISH.search(result.stderr), result.stderr


@pytest.mark.parametrize(
    "command",
    [
        "",
        "renewals",
        "review",
        "price",
        "statements",
        "check",
        "demo",
        "build-workbooks",
        "install",
        "recalc",
        "collect",
        "progress",
        "mix",
    ],
)
def test_help_is_chinese(command):
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("用法: ") and "选项:" in text and "显示本帮助并退出。" in text
    assert not ENGLISH.search(text), text
    description = text.split("\n\n")[1]
    assert CJK.search(description), description
    if command == "":
        assert "命令:" in text and "[选项] 命令 [参数]..." in text
        for line in text.split("命令:\n")[1].strip().splitlines():  # every command described, none cut short
            assert CJK.search(line) and not line.endswith("..."), line


def test_no_arguments_shows_the_help_without_an_error_line():
    result = run()
    assert result.exit_code == 2
    assert result.stdout.startswith("用法: ") and "用法错误" not in result.output
