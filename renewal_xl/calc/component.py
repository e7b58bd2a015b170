"""The UNO component of the Calc add-in. It is copied into the .oxt as
``renewal_addin.py`` and runs inside LibreOffice, in LibreOffice's own Python: it needs
``uno`` and the add-in's type library, so it is never imported by renewal_xl itself.

On load it puts the ``sys.path`` entries recorded in ``renewal_addin.json`` (the
environment that built the add-in, see :func:`renewal_xl.calc.build.environment`)
in front of LibreOffice's own and imports :mod:`renewal_xl.calc.calls`. Each
method of ``XRenewalFunctions`` calls the function of the same name. When that
environment cannot be used (another Python version, moved or deleted), every function
returns one ``#错误`` text saying so, instead of Calc's bare ``#NAME?``.
"""

import json
import os
import site
import sys

import uno
import unohelper

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "renewal_addin.json"), encoding="utf-8") as _file:
    CONFIG = json.load(_file)

XRenewalFunctions = uno.getClass(CONFIG["interface"])  # from the .oxt's type library


def _use_environment(paths):
    """Put ``paths`` (and what their .pth files add) first on sys.path."""
    before = list(sys.path)
    for path in paths:
        site.addsitedir(path)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + before


def _load():
    """(the add-in's methods by name, None) or (None, the text every function returns)."""
    have = "%d.%d" % sys.version_info[:2]
    if CONFIG["python"] != have:
        return None, (
            "#错误 LibreOffice 的 Python 为 %s, 加载项由 Python %s 构建: 请在 Python %s 的虚拟环境中"
            "重新运行 renewal-xl install --libreoffice" % (have, CONFIG["python"], have)
        )
    try:
        _use_environment(CONFIG["paths"])
        from renewal_xl.calc.calls import CALLS

        return CALLS, None
    except Exception as exc:  # noqa: BLE001 - shown in the cell, not as a crash of Calc
        text = "#错误 加载项无法导入 renewal_xl (%s: %s); 请重新运行 renewal-xl install --libreoffice" % (
            type(exc).__name__,
            exc,
        )
        return None, text[:254] + ("…" if len(text) > 254 else "")


CALLS, PROBLEM = _load()


class RenewalFunctions(unohelper.Base, XRenewalFunctions):
    """The add-in object; its methods are added below, one per function."""

    def __init__(self, ctx):
        self.ctx = ctx


def _method(name, array):
    def method(self, *args):
        if PROBLEM is not None:
            return ((PROBLEM,),) if array else PROBLEM
        return CALLS[name](*args)

    method.__name__ = name
    return method


for _name, _array in CONFIG["functions"].items():
    setattr(RenewalFunctions, _name, _method(_name, _array))

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(RenewalFunctions, CONFIG["implementation"], ("com.sun.star.sheet.AddIn",))
