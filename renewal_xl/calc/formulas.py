"""The formulas of an xlsx as LibreOffice needs them for the add-in, and back for Excel.

LibreOffice finds an add-in function in a file only under its programmatic name
(:data:`~renewal_xl.calc.ADDIN` + ``.`` + name) and writes that name back on save;
Excel and openpyxl know the plain name. And LibreOffice hands a bare reference to a blank
cell to an add-in as 0, where Excel passes a blank (so ``is_renewal`` left blank would read
as FALSE, not its default TRUE); a one-cell range (``G2:G2``) arrives as a blank.

:func:`to_addin` therefore renames the contract's functions and turns each argument of
theirs that is a bare cell reference into a one-cell range; :func:`to_plain` undoes both.
Everything else (other functions, text in quotes, sheet names) is left as it is.

>>> print(to_addin("RENEWAL_PREMIUM(A2,$B$2,'S 1'!C3,\\"RENEWAL_DUE(\\",SUM(D1))+NCD_FACTOR(E1:E2,0)"))
ORG.RENEWALXL.CALC.RENEWALFUNCTIONS.RENEWAL_PREMIUM(A2:A2,$B$2:$B$2,'S 1'!C3:C3,"RENEWAL_DUE(",SUM(D1))+ORG.RENEWALXL.CALC.RENEWALFUNCTIONS.NCD_FACTOR(E1:E2,0)
>>> to_plain(to_addin("RENEWAL_PREMIUM(A2,$B$2,'S 1'!C3, SUM(D1))"))
"RENEWAL_PREMIUM(A2,$B$2,'S 1'!C3, SUM(D1))"
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from renewal_xl.calc import ADDIN
from renewal_xl.spreadsheet.worksheet import FUNCTIONS

NAMES = frozenset(f.__name__ for f in FUNCTIONS)
PREFIX = ADDIN.upper() + "."
_UDF_PREFIX = "_XLUDF."  # how Excel may write a user-defined function it did not know
_SHEET = r"(?:'(?:[^']|'')+'|[^'!:()]+)!"
_CELL_REF = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_CELL = re.compile(rf"^({_SHEET})?({_CELL_REF})$")
_ONE_CELL_RANGE = re.compile(rf"^({_SHEET})?({_CELL_REF}):({_CELL_REF})$")
_MENTION = re.compile("|".join(sorted(NAMES)), re.IGNORECASE)  # cheap test before tokenizing
_F = re.compile(r"(<(?:\w+:)?f\b[^>]*(?<!/)>)([^<]*)(</(?:\w+:)?f>)")


def _plain_name(function: str) -> str | None:
    """The contract name of a function token's name (plain, ``_xludf.`` or programmatic)."""
    name = function.upper()
    for prefix in (PREFIX, _UDF_PREFIX):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name if name in NAMES else None


def _rewrite(formula: str, rename: Callable[[str], str], argument: Callable[[str], str]) -> str:
    """``formula`` with each contract function renamed by ``rename`` and each argument of
    theirs that is a single reference operand passed through ``argument``."""
    if not _MENTION.search(formula):
        return formula
    try:
        tokens = Tokenizer("=" + formula).items
    except TokenizerError:
        return formula  # LibreOffice will say what is wrong with it
    stack: list[tuple[bool, list[Token]]] = []  # per open bracket: is it ours, the tokens of its current argument

    def end_argument() -> None:
        ours, arg = stack[-1]
        operands = [t for t in arg if t.type != Token.WSPACE]
        if ours and len(operands) == 1 and operands[0].type == Token.OPERAND and operands[0].subtype == Token.RANGE:
            operands[0].value = argument(operands[0].value)
        arg.clear()

    for token in tokens:
        if token.subtype == Token.OPEN:
            plain = _plain_name(token.value[:-1]) if token.type == Token.FUNC else None
            if plain:
                token.value = rename(plain) + "("
            if stack:
                stack[-1][1].append(token)
            stack.append((plain is not None, []))
        elif token.subtype == Token.CLOSE and stack:
            end_argument()
            stack.pop()
            if stack:
                stack[-1][1].append(token)
        elif token.type == Token.SEP and token.subtype == Token.ARG and stack:
            end_argument()
        elif stack:
            stack[-1][1].append(token)
    return "".join(token.value for token in tokens)


def to_addin(formula: str) -> str:
    """Contract names → programmatic names; bare cell-reference arguments → one-cell ranges."""
    return _rewrite(formula, lambda name: PREFIX + name, _as_range)


def to_plain(formula: str) -> str:
    """Programmatic names → contract names; one-cell-range arguments → cell references."""
    return _rewrite(formula, lambda name: name, _as_cell)


def _as_range(ref: str) -> str:
    m = _CELL.match(ref)
    return f"{m.group(1) or ''}{m.group(2)}:{m.group(2)}" if m else ref


def _as_cell(ref: str) -> str:
    m = _ONE_CELL_RANGE.match(ref)
    return f"{m.group(1) or ''}{m.group(2)}" if m and m.group(2) == m.group(3) else ref


def rewrite_sheet_xml(xml: str, change: Callable[[str], str]) -> str:
    """A worksheet part with the text of every ``<f>`` element passed through ``change``
    (XML entities decoded before, re-escaped after; unchanged formulas keep their bytes)."""

    def one(m: re.Match) -> str:
        text = html.unescape(m.group(2))
        new = change(text)
        return m.group(0) if new == text else m.group(1) + escape(new) + m.group(3)

    return _F.sub(one, xml)
