"""``renewal-xl install``: make Excel on Windows find the worksheet functions and macros.

On Windows it installs the xlwings add-in (``xlwings addin install``, xlwings pinned to
:data:`XLWINGS_VERSION` because the add-in's VBA names that version's DLL), writes the
user's xlwings config (``~/.xlwings/xlwings.conf``: ``UDF Modules = udfs``,
``Interpreter_Win`` = this Python, ``PYTHONPATH`` = where ``udfs`` lives) and says what the
user does next in Excel. Elsewhere it prints the same plan and exits with 2: xlwings'
worksheet functions exist only in Excel for Windows.

This module runs xlwings as a separate program and never imports it (the core stays free
of xlwings).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from renewal_xl.spreadsheet import UDF_MODULES

XLWINGS_VERSION = "0.37.8"


@dataclass(frozen=True)
class Plan:
    """What ``install`` does on this machine."""

    command: list[str]
    config_file: Path
    settings: dict[str, str]


def plan(home: Path | None = None, interpreter: str = sys.executable) -> Plan:
    """The add-in command and the config entries for this interpreter."""
    return Plan(
        command=[interpreter, "-m", "xlwings.cli", "addin", "install"],
        config_file=(home or Path.home()) / ".xlwings" / "xlwings.conf",
        settings={"Interpreter_Win": interpreter, "UDF Modules": UDF_MODULES, "PYTHONPATH": str(udfs_root())},
    )


def udfs_root() -> Path:
    """The folder that holds the ``udfs`` package (found without importing it)."""
    spec = importlib.util.find_spec(UDF_MODULES)
    if spec is None or not spec.submodule_search_locations:
        return Path(__file__).resolve().parents[1]
    return Path(next(iter(spec.submodule_search_locations))).resolve().parent


def describe(p: Plan) -> str:
    """The plan in Chinese, one step a line."""
    lines = ["1. 安装 xlwings 加载项:", "   " + " ".join(p.command), f"2. 写入 xlwings 配置 {p.config_file}:"]
    lines += [f'   "{k}","{v}"' for k, v in p.settings.items()]
    lines += NEXT_STEPS
    return "\n".join(lines)


NEXT_STEPS = [
    "3. 在 Excel 中 (只需一次): 文件 > 选项 > 信任中心 > 信任中心设置 > 宏设置,",
    "   勾选「信任对 VBA 工程对象模型的访问」。",
    "4. 打开要使用函数的工作簿 (另存为 .xlsm), 在 xlwings 选项卡点「Import Functions」。",
    "   之后可输入 =RENEWAL_PREMIUM(...) 等函数; 宏 generate_renewal_list 等可用 Alt+F8 运行或指定给按钮。",
]


def write_config(path: Path, settings: dict[str, str]) -> None:
    """Set ``settings`` in an xlwings config file (``"KEY","VALUE"`` lines), keeping its
    other entries; keys compare ignoring case, as the add-in reads them."""
    keys = {k.lower() for k in settings}
    kept = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            key = line.split(",", 1)[0].strip().strip('"').lower()
            if line.strip() and key not in keys:
                kept.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*kept, *(f'"{k}","{v}"' for k, v in settings.items())]) + "\n", encoding="utf-8")


def install(
    *,
    platform: str = sys.platform,
    run: Callable = subprocess.run,
    echo: Callable[[str], None] = print,
    home: Path | None = None,
    xlwings_version: Callable[[], str | None] | None = None,
) -> int:
    """Install on Windows (exit code 0, or 1 when a step fails); elsewhere explain and
    return 2. ``run``, ``echo``, ``home`` and ``xlwings_version`` are for tests."""
    p = plan(home)
    if not platform.startswith("win"):
        echo("renewal-xl install 只能在 Windows 上为 Excel 安装 (xlwings 工作表函数仅支持 Windows 版 Excel)。")
        echo("在 Windows 上它会:")
        echo(describe(p))
        echo("本机未做任何改动。命令行 (renewal-xl demo/renewals/...) 在任何系统上都可使用。")
        return 2
    version = (xlwings_version or _xlwings_version)()
    if version != XLWINGS_VERSION:
        found = f"当前为 {version}" if version else "尚未安装"
        echo(f'需要 xlwings {XLWINGS_VERSION} ({found})。请先运行: pip install "renewal-xl[excel]"')
        return 1
    echo("正在安装 xlwings 加载项 …")
    result = run(p.command)
    if result.returncode != 0:
        echo(f"xlwings 加载项安装失败 (退出码 {result.returncode})。请关闭 Excel 后重试。")
        return 1
    write_config(p.config_file, p.settings)
    echo(f"已写入 xlwings 配置 {p.config_file}。")
    echo("接下来:")
    echo("\n".join(NEXT_STEPS))
    return 0


def _xlwings_version() -> str | None:
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return None
