"""renewal-xl in LibreOffice Calc: the worksheet functions as a Calc add-in, and
recalculation of xlsx workbooks in a headless LibreOffice (GitHub issue #6).

- :mod:`~renewal_xl.calc.calls`: each function of :mod:`renewal_xl.spreadsheet.worksheet` as
  Calc calls it (same cell conversion and ``#`` texts as in Excel, results as UNO values).
- :mod:`~renewal_xl.calc.build`: generates the IDL, ``CalcAddIns.xcu`` (Chinese
  help from the same source as Excel's), ``.components``, manifest and description,
  compiles the type library with ``unoidl-write`` and zips the ``.oxt``.
- :mod:`~renewal_xl.calc.component`: the UNO component inside the ``.oxt``; it runs
  in LibreOffice's own Python and imports ``renewal_xl`` from the environment that built it.
- :mod:`~renewal_xl.calc.office`: finds LibreOffice, installs the ``.oxt`` with
  ``unopkg``, runs one headless ``soffice`` driven by :mod:`~renewal_xl.calc.driver`.
- :mod:`~renewal_xl.calc.formulas`: rewrites an xlsx's formulas to the add-in's
  programmatic names for LibreOffice and back to the plain names for Excel.
- :mod:`~renewal_xl.calc.recalc`: recalculates xlsx files (``renewal-xl recalc``).

Nothing here imports xlwings.
"""

from __future__ import annotations

# The add-in's UNO implementation name. LibreOffice knows each function by its
# programmatic name, this prefix + "." + the plain name (e.g. ...RenewalFunctions.NCD_FACTOR).
ADDIN = "org.renewalxl.calc.RenewalFunctions"
INTERFACE = "org.renewalxl.calc.XRenewalFunctions"
EXTENSION_ID = "org.renewalxl.calc"
# modules that run only in LibreOffice's own Python (they import uno): never imported here
IN_LIBREOFFICE = frozenset({"renewal_xl.calc.component", "renewal_xl.calc.driver"})
