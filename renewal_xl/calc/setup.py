"""``renewal-xl install --libreoffice``: build the Calc add-in and install it for all users.

Builds ``renewal-xl.oxt`` (:func:`renewal_xl.calc.build.build_oxt`) in a temporary
folder, installs it with ``unopkg add --shared`` replacing an installed version, then
starts LibreOffice once to check that ``NCD_FACTOR(0;0)`` computes with this environment's
``renewal_xl``. LibreOffice missing or failing raises
:class:`~renewal_xl.errors.OfficeError` (the command line exits 2 with its message).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from renewal_xl.calc import EXTENSION_ID
from renewal_xl.calc.build import build_oxt, environment
from renewal_xl.calc.office import Office, extensions_dir, install_oxt


def install(echo: Callable[[str], None] = print) -> int:
    """Build, install and check the add-in; returns the exit code 0."""
    with tempfile.TemporaryDirectory(prefix="renewal-xl-build.") as tmp:
        oxt = build_oxt(Path(tmp))
        echo(f"已生成加载项 {oxt.name}")
        install_oxt(oxt, echo)
    where = extensions_dir() or "LibreOffice 共享扩展 (所有用户)"
    echo(f"已安装 {EXTENSION_ID} 到 {where}")
    with Office():
        pass  # starting checks that the add-in computes
    env = environment()
    echo(f"已验证: LibreOffice 中 NCD_FACTOR(0;0) 可计算。加载项使用 Python {env['python']} 环境: {env['paths'][0]}")
    echo("该环境须保留在原处; 升级 renewal-xl 后如函数或参数有变化, 请重新运行 renewal-xl install --libreoffice。")
    return 0
