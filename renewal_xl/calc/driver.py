"""Drives a running headless LibreOffice over UNO. Runs as a script in LibreOffice's own
Python (it needs ``uno``; only the standard library besides), started by
:class:`renewal_xl.calc.office.Office`:

    python3 driver.py PIPE_NAME PROBE_FORMULA

It connects to ``soffice --accept=pipe,name=PIPE_NAME;urp;``, then answers one JSON
object per line on stdin with one JSON line on stdout:

- at start (no request): ``{"ready": true, "probe": TEXT, "code": N}``, the result of
  PROBE_FORMULA in a new sheet (N is Calc's error code, 0 when none), or ``{"error": TEXT}``;
- ``{"input": PATH, "output": PATH}``: loads the workbook (hidden, no macros, no link
  updates), recalculates every formula (``calculateAll``), saves it as xlsx:
  ``{"done": true}`` or ``{"error": TEXT}``;
- ``{"quit": true}``: ends LibreOffice and this script.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 90
XLSX_FILTER = "Calc Office Open XML"


def props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe):
    """The Desktop of the LibreOffice listening on ``pipe``; retries while it starts (a
    new profile makes it restart once)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            desktop.getComponents()  # a call that fails while LibreOffice restarts
            return desktop
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def probe(desktop, formula):
    """The text and error code of ``formula`` computed in a new, unsaved sheet."""
    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, props(Hidden=True))
    try:
        cell = doc.Sheets.getByIndex(0).getCellByPosition(0, 0)
        cell.setFormula(formula)
        doc.calculateAll()
        return {"ready": True, "probe": cell.getString(), "code": cell.getError()}
    finally:
        doc.close(True)


def recalc(desktop, source, target):
    """Load ``source``, recalculate everything, save as xlsx to ``target``."""
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, props(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0)
    )
    if doc is None:
        return {"error": "无法打开 (不是有效的 xlsx 文件?)"}
    try:
        doc.calculateAll()
        doc.storeToURL(uno.systemPathToFileUrl(target), props(FilterName=XLSX_FILTER, Overwrite=True))
        return {"done": True}
    finally:
        doc.close(True)


def answer(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(pipe, formula):
    try:
        desktop = connect(pipe)
        answer(probe(desktop, formula))
    except Exception as exc:
        answer({"error": "%s: %s" % (type(exc).__name__, exc)})
        return 1
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            try:
                desktop.terminate()
            except Exception:  # noqa: BLE001 - the bridge goes down with LibreOffice
                pass
            return 0
        try:
            answer(recalc(desktop, request["input"], request["output"]))
        except Exception as exc:
            answer({"error": "%s: %s" % (type(exc).__name__, exc)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
