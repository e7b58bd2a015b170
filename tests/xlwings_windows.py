"""xlwings' real Windows UDF machinery (``xlwings.udfs``) on Linux, for tests.

``xlwings/udfs.py`` imports pywin32 when it loads; with small stand-ins for those modules
in ``sys.modules`` it loads here, and its real decorators (``xlfunc``, ``xlarg``,
``xlret``, ``xlsub``) record on each UDF the metadata "Import Functions" uses. Its own
``import_udfs`` then writes the VBA module into a fake workbook that keeps the file and
the Function Wizard help (``MacroOptions``) it is given.

Refresh the committed VBA module after changing a function's name or arguments:

    .venv/bin/python tests/xlwings_windows.py
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAS = ROOT / "udfs" / "renewal_xl_udfs.bas"
WORKBOOK = "续保报价.xlsm"  # imported into a workbook, not an add-in: wrappers use ThisWorkbook


class ComError(Exception):
    """Stand-in for ``pywintypes.com_error``."""

    hresult = -2147352567


def _stand_ins() -> dict[str, types.ModuleType]:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = object()
    pythoncom.CoMarshalInterThreadInterfaceInStream = lambda *a: None
    pythoncom.CoGetInterfaceAndReleaseStream = lambda *a: None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = ComError
    client = types.ModuleType("win32com.client")

    def dispatch(*args, **kwargs):
        raise NotImplementedError("no COM on this machine")

    client.Dispatch = dispatch
    win32com = types.ModuleType("win32com")
    win32com.client = client
    return {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com, "win32com.client": client}


@dataclass
class FakeWorkbook:
    """The parts of an Excel workbook (COM) that ``xlwings.udfs.import_udfs`` touches."""

    Name: str = WORKBOOK
    vba: str | None = None
    macro_options: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        book = self

        class Components:
            def __call__(self, name):
                raise ComError("no such module yet")

            def Remove(self, component):  # noqa: N802 - COM name
                pass

            def Import(self, path):  # noqa: N802 - COM name
                book.vba = Path(path).read_text()

        class Application:
            Version = "16.0"

            def MacroOptions(self, macro, **options):  # noqa: N802 - COM name
                book.macro_options[macro.rsplit("!", 1)[-1]] = options

        self.VBProject = types.SimpleNamespace(VBComponents=Components())
        self.Application = Application()


@contextlib.contextmanager
def windows_udfs():
    """Yield ``(xlwings.udfs, udfs)``: xlwings' UDF module and our ``udfs`` package
    freshly imported under xlwings' real decorators. Everything is restored afterwards."""
    import xlwings

    decorators = ("func", "arg", "ret", "script", "sub")
    saved_attrs = {name: getattr(xlwings, name) for name in decorators}
    stand_ins = _stand_ins()
    ours = [m for m in sys.modules if m == "udfs" or m.startswith("udfs.")]
    saved_modules = {m: sys.modules.get(m) for m in [*stand_ins, "xlwings.udfs", *ours]}
    try:
        sys.modules.update(stand_ins)
        sys.modules.pop("xlwings.udfs", None)
        xl_udfs = importlib.import_module("xlwings.udfs")
        xlwings.func, xlwings.arg, xlwings.ret = xl_udfs.xlfunc, xl_udfs.xlarg, xl_udfs.xlret
        xlwings.script = xlwings.sub = xl_udfs.xlsub
        for m in ours:
            del sys.modules[m]
        module = importlib.import_module("udfs")
        xl_udfs.udf_modules["udfs"] = {"filename": module.__file__, "filetime": None, "module": module}
        yield xl_udfs, module
    finally:
        for name, value in saved_attrs.items():
            setattr(xlwings, name, value)
        for m in [m for m in sys.modules if m == "udfs" or m.startswith("udfs.")]:
            del sys.modules[m]
        for m, value in saved_modules.items():
            if value is None:
                sys.modules.pop(m, None)
            else:
                sys.modules[m] = value
        if saved_modules["xlwings.udfs"] is None and hasattr(xlwings, "udfs"):
            del xlwings.udfs


def import_functions(xl_udfs) -> FakeWorkbook:
    """Run xlwings' own "Import Functions" for ``udfs`` into a fake workbook."""
    book = FakeWorkbook()
    xl_udfs.import_udfs("udfs", book)
    return book


if __name__ == "__main__":
    with windows_udfs() as (xl_udfs, _):
        BAS.write_text(import_functions(xl_udfs).vba, newline="\r\n")  # the VBA editor expects CRLF
    print(f"wrote {BAS.relative_to(ROOT)}")
