"""click's own words in Chinese: usage errors, help headings, type checks (excel-contract §4:
every message of the command line, usage errors included, is Chinese).

click marks every text it shows with ``gettext`` (``_()``, ``ngettext()``) from the
standard library, looked up in each click module's globals when the text is shown.
:func:`install` points those names at :data:`MESSAGES`, a table of every such text of click
(a test parses click's source and fails when a click upgrade adds one). Option names stay
English (``--month``); placeholders are kept as click formats them (``'--month'``).

>>> gettext("Missing option")
'缺少选项'
>>> ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2)
'(是否要输入以下之一: {possibilities}?)'
"""

from __future__ import annotations

import importlib
import re

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "click.shell_completion",
    "click._termui_impl",
)
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."

MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "required": "必填",
    "default: {default}": "默认: {default}",
    "env var: {var}": "环境变量: {var}",
    "(dynamic)": "(动态)",
    "deprecated": "已弃用",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示: 命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提示: {param_type} {name!r} 已弃用。{extra_message}"
    ),
    # usage errors
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数: {param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效: {message}",
    "Invalid value: {message}": "值无效: {message}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否要输入 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是否要输入以下之一: {possibilities}?)",
    "Got unexpected extra argument ({args})": "多余的参数 ({args})",
    "Got unexpected extra arguments ({args})": "多余的参数 ({args})",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面须跟一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面须跟 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 须有 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的首字符无效 ({option})",
    "Takes {nargs} values but 1 was given.": "须有 {nargs} 个值, 只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "须有 {nargs} 个值, 给了 {len} 个。",
    "Value must be an iterable.": "值须为一组值。",
    "Error: {message}": "错误: {message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已取消!",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}: {message}",
    # value types
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录, 须为文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件, 须为目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取 (没有权限)。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入 (没有权限)。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一: {choices}。",
    "Choose from:\n\t{choices}": "可选:\n\t{choices}",
    "Choice({choices})": "可选({choices})",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是是/否值。可用: {states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式: {formats}。",
    "{len_type} values are required, but {len_value} was given.": "须有 {len_type} 个值, 给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "须有 {len_type} 个值, 给了 {len_value} 个。",
    # prompts and terminal
    "Do you want to continue?": "是否继续?",
    "Confirm the action without prompting.": "不询问, 直接确认。",
    "Press any key to continue...": "按任意键继续...",
    "Repeat for confirmation": "请再输入一次确认",
    "Error: The two entered values do not match.": "错误: 两次输入不一致。",
    "Error: invalid input": "错误: 输入无效",
    "Unknown color {colour!r}": "未知颜色 {colour!r}",
    "Windows error: {error}": "Windows 错误: {error}",
    "{editor}: Editing failed": "{editor}: 编辑失败",
    "{editor}: Editing failed: {e}": "{editor}: 编辑失败: {e}",
    "d": "天",
    "Unknown standard stream '{name}'": "未知的标准流 '{name}'",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 版本, 不支持命令补全。",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以下版本不支持命令补全。",
    # mistakes in a program's own definition of its options (developers see these)
    "Could not determine name for option with declarations {decls!r}": "无法确定选项名称: {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": "没有定义选项却给了名称 ({name}): 应声明为参数, 或写作 '--{name}'",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "参数只能有一个声明, 给了 {length} 个: {decls}。",
    "Name '{name}' defined twice": "名称 '{name}' 定义了两次",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "是/否选项 {decl!r} 不能用同一个开关表示是和否。",
}


def gettext(message: str) -> str:
    """The Chinese of one click text (the text itself when it is not in the table)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Chinese of a click text with singular and plural forms."""
    return gettext(singular if n == 1 else plural)


def full_stops(message: str) -> str:
    """click's own full stop after a quoted name (``缺少选项 '--month'.``) as ``。``.

    >>> full_stops("缺少选项 '--month'. 须为 YYYY-MM")
    "缺少选项 '--month'。 须为 YYYY-MM"
    """
    return re.sub(r"(['）)])\.(?= |$)", r"\1。", message)


def install() -> None:
    """Make click show its texts in Chinese (for this process)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        for attr, translate in (("_", gettext), ("ngettext", ngettext)):
            if hasattr(module, attr):
                setattr(module, attr, translate)


def chinese_placeholders(group) -> None:
    """``[选项]`` and ``命令 [参数]...`` in the usage lines of ``group`` and its commands."""
    group.options_metavar = OPTIONS_METAVAR
    group.subcommand_metavar = SUBCOMMAND_METAVAR
    for command in group.commands.values():
        command.options_metavar = OPTIONS_METAVAR
