"""What text may go into a cell of any file renewal-xl writes.

Register text is data, never code. Two rules, shared by the openpyxl writer, the xlwings
Book and any CSV writer:

- **Formula injection** (OWASP "CSV injection"): text starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return could be read as a formula by Excel or by a
  spreadsheet importing a CSV (:func:`formula_like`), and text such as ``#N/A`` would
  become an error value. :func:`needs_quote` tells such text; writers store it as text
  (openpyxl: a string cell with Excel's quote prefix; xlwings: a leading apostrophe,
  :func:`excel_entry`).
- **Characters a cell cannot hold**: control characters other than tab, line feed and
  carriage return are not allowed in the XML of an .xlsx (openpyxl refuses them); they
  become U+FFFD. Excel holds at most 32,767 characters in a cell; longer text is cut
  (ending in …). :func:`cell_text` applies both.

>>> formula_like("=HYPERLINK(\\"http://x\\")"), formula_like("-5 元"), formula_like("张三")
(True, True, False)
>>> needs_quote("#N/A"), needs_quote("@SUM(A1)"), needs_quote("P001")
(True, True, False)
>>> cell_text("A\\x07B"), excel_entry("@SUM(A1)")
('A\\ufffdB', "'@SUM(A1)")
"""

from __future__ import annotations

import re

from renewal_xl.readers import is_excel_error

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit of characters in one cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE


def formula_like(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula."""
    return text.startswith(FORMULA_PREFIXES)


def needs_quote(text: str) -> bool:
    """True when a spreadsheet would not keep ``text`` as the text it is: formula-like
    text or an Excel error value."""
    return formula_like(text) or is_excel_error(text)


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: illegal control characters → U+FFFD, at most
    :data:`MAX_CELL_TEXT` characters."""
    text = _ILLEGAL.sub("\ufffd", text)
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def excel_entry(text: str) -> str:
    """``text`` to assign to an Excel cell's value so that it stays text: formula-like
    text gets Excel's quote prefix ``'`` (not part of the cell's value)."""
    text = cell_text(text)
    return "'" + text if needs_quote(text) else text
