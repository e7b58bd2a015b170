"""The XML step of :mod:`renewal_xl.render.jet_writer`: what jetxl has no option for, added to
the parts it wrote without parsing the cell data.

- A sheet part's head (:func:`sheet_head`): ``sheetPr`` fit to page, the dimension, the column
  widths, the pane of a header-only split, the notes as the first rows.
- Its tail after ``</sheetData>`` (:func:`sheet_tail`): filter range, data validations, page
  margins, page setup, header and footer, page breaks, in the order of Excel's ``CT_Worksheet``.
- ``styles.xml`` (:func:`finish_styles`): every cell look the renderer needs (number format,
  quote prefix, bold, top-aligned, wrapped) was handed to jetxl as a marker number format
  (:meth:`Looks.marker`); each style jetxl made of one is rewritten to the look itself, with
  the rendered number formats, as the rust writer writes it. The header style gets the
  header fill, and a bold style for the first note is added.
- ``workbook.xml`` (:func:`defined_names`): each sheet's filter range, print titles and marker,
  scoped to the sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from renewal_xl.arrow_bytes import text_bytes
from renewal_xl.io.safety import column_letters
from renewal_xl.render.arrow_writer import excel_serial
from renewal_xl.reports import style
from renewal_xl.reports.layout import Block, file_width
from renewal_xl.reports.spec import Sheet

MARKER = "renewal-xl-look-"  # the number format jetxl is given for look k: MARKER + str(k)
# jetxl's style of a styled header row (bold, the third cell style), its grey fill, its bold font
_JETXL_HEADER = '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/>'
_JETXL_GREY = "FFD9D9D9"
_JETXL_BOLD = '<font><b/><sz val="11"/><name val="Calibri"/></font>'
_FIRST_CUSTOM = 164  # the first number format id of a workbook's own formats


@dataclass(frozen=True)
class Look:
    """How a data cell looks: its number format (None: General), Excel's quote prefix, bold
    (a total row), ``align`` ``top`` (a table with wrapped text) or ``wrap`` (its wrapped
    columns)."""

    fmt: str | None = None
    quoted: bool = False
    bold: bool = False
    align: str = ""


@dataclass
class Looks:
    """The looks handed to jetxl, numbered in the order first asked for."""

    items: list[Look] = field(default_factory=list)

    def marker(self, look: Look) -> str:
        """The number format that stands for ``look`` in jetxl's options."""
        if look not in self.items:
            self.items.append(look)
        return MARKER + str(self.items.index(look))


@dataclass(frozen=True)
class Styles:
    """``styles.xml`` finished and the style index of the first note."""

    xml: str
    note: int


def finish_styles(styles_xml: str, looks: Looks) -> Styles:
    """jetxl's ``styles.xml`` with every marker style made its look (see the module docstring)."""
    fonts = re.search(r"<fonts [^>]*>(.*?)</fonts>", styles_xml, flags=re.S)
    items = re.findall(r"<font>.*?</font>|<font/>", fonts.group(1) if fonts else "", flags=re.S)
    if _JETXL_BOLD not in items:
        raise ValueError("jetxl's bold font has changed")  # a jetxl upgrade: the tests show it
    bold = items.index(_JETXL_BOLD)
    marked = {
        int(m.group(1)): looks.items[int(m.group(2))]
        for m in re.finditer(r'<numFmt numFmtId="(\d+)" formatCode="' + MARKER + r'(\d+)"/>', styles_xml)
    }
    styles_xml = re.sub(r'\s*<numFmt numFmtId="\d+" formatCode="' + MARKER + r'\d+"/>', "", styles_xml)
    codes = {
        _unescape(code): int(n)
        for n, code in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/>', styles_xml)
    }
    added = []
    for look in marked.values():
        if look.fmt and look.fmt not in codes:
            codes[look.fmt] = max([*codes.values(), _FIRST_CUSTOM - 1]) + 1
            added.append(f'<numFmt numFmtId="{codes[look.fmt]}" formatCode={quoteattr(look.fmt)}/>')
    styles_xml = re.sub(r'<numFmts count="\d+">', f'<numFmts count="{len(codes)}">', styles_xml, count=1)
    styles_xml = styles_xml.replace("</numFmts>", "".join(added) + "</numFmts>", 1)
    start = styles_xml.index("<cellXfs")
    end = styles_xml.index("</cellXfs>")
    xfs = re.findall(r"<xf [^>]*/>|<xf [^>]*[^/]>.*?</xf>", styles_xml[start:end], flags=re.S)
    for k, xf in enumerate(xfs):
        found = re.match(r'<xf numFmtId="(\d+)"', xf)
        if found and int(found.group(1)) in marked:
            look = marked[int(found.group(1))]
            xfs[k] = _xf(codes.get(look.fmt or "", 0), bold if look.bold else 0, look)
    note = len(xfs)
    xfs.append(_xf(0, bold, Look(bold=True)))
    cell_xfs = f'<cellXfs count="{len(xfs)}">' + "".join(xfs)
    styles_xml = styles_xml[:start] + cell_xfs + styles_xml[end:]
    return Styles(header_fill(styles_xml), note)


def _xf(fmt_id: int, font_id: int, look: Look) -> str:
    """One cell style of ``look`` (number format ``fmt_id``, font ``font_id``), as rust_xlsxwriter writes it."""
    attrs = f'numFmtId="{fmt_id}" fontId="{font_id}" fillId="0" borderId="0"'
    attrs += ' applyNumberFormat="1"' * bool(fmt_id) + ' applyFont="1"' * bool(font_id)
    attrs += ' quotePrefix="1"' * look.quoted
    if not look.align:
        return f"<xf {attrs}/>"
    wrap = ' wrapText="1"' if look.align == "wrap" else ""
    return f'<xf {attrs} applyAlignment="1"><alignment vertical="top"{wrap}/></xf>'


def _unescape(code: str) -> str:
    return code.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def header_fill(styles_xml: str) -> str:
    """``styles.xml`` with the style of jetxl's header row (bold) on the header fill, wrapped
    and top-aligned (:data:`renewal_xl.reports.style.HEADER_FILL`, in jetxl's grey fill,
    written as XlsxWriter writes a fill)."""
    fill = f'<fgColor rgb="{_JETXL_GREY}"/>'
    if _JETXL_HEADER not in styles_xml or fill not in styles_xml:
        raise ValueError("jetxl's header style has changed")  # a jetxl upgrade: the tests show it
    styles_xml = styles_xml.replace(fill, f'<fgColor rgb="FF{style.HEADER_FILL}"/><bgColor indexed="64"/>', 1)
    return styles_xml.replace(
        _JETXL_HEADER,
        _JETXL_HEADER.replace('fillId="0"', 'fillId="2"')[:-2]
        + ' applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
        1,
    )


def column_elements(widths: list[float]) -> str:
    """The ``<cols>`` element of column ``widths`` (characters), neighbours of one width in
    one range, as XlsxWriter writes it.

    >>> column_elements([20, 8, 8])
    '<cols><col min="1" max="1" width="20.7109375" customWidth="1"/><col min="2" max="3" width="8.7109375" customWidth="1"/></cols>'
    """
    ranges: list[list] = []
    for k, width in enumerate(widths, start=1):
        if ranges and ranges[-1][2] == width:
            ranges[-1][1] = k
        else:
            ranges.append([k, k, width])
    items = "".join(f'<col min="{a}" max="{b}" width="{file_width(w)}" customWidth="1"/>' for a, b, w in ranges)
    return f"<cols>{items}</cols>" if items else ""


ESCAPE_MARK = "_x"  # every text Excel's XML escape changes holds it, or a carriage return
_ESCAPE = r"_(x[0-9A-Fa-f]{4}_)"  # a literal escape code, itself escaped as _x005F_xHHHH_


def excel_text(text: str) -> str:
    """``text`` as Excel's XML holds it, as XlsxWriter and rust_xlsxwriter write it: a
    literal escape code ``_xHHHH_`` escaped, a carriage return as ``_x000D_`` (an XML reader
    would read a plain one as a line feed).

    >>> excel_text("a\\rb_x0041_")
    'a_x000D_b_x005F_x0041_'
    """
    return re.sub(_ESCAPE, r"_x005F_\1", text).replace("\r", "_x000D_")


def escape_codes(array):
    """The Arrow text ``array`` with its literal escape codes escaped (:func:`excel_text`; the
    careful cells, carriage returns among them, are blank in it and go through
    :func:`excel_text` one by one)."""
    import pyarrow.compute as pc

    data, (under, x) = text_bytes(array)[0], ESCAPE_MARK.encode()
    if not ((data[:-1] == under) & (data[1:] == x)).any():  # no "_x" in the column's bytes: nothing to escape
        return array
    return pc.replace_substring_regex(array, _ESCAPE, r"_x005F_\1")


def note_rows(notes: list[str], bold: int) -> str:
    """The notes as the sheet's first rows, one a row, the first in the bold style ``bold``."""
    rows = []
    for k, note in enumerate(notes, start=1):
        s = f' s="{bold}"' if k == 1 else ""
        space = ' xml:space="preserve"' if note != note.strip() else ""
        text = escape(excel_text(note))
        rows.append(f'<row r="{k}"><c r="A{k}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c></row>')
    return "".join(rows)


def sheet_head(steps: dict, last: str, cols: str, freeze: int, notes: str, table: bool):
    """The rewrite of a sheet part's first bytes: fit-to-page sheet properties, the used
    range up to ``last``, the column widths ``cols``, a pane of the top ``freeze`` rows as
    Excel writes it, the ``notes`` rows first in the sheet data (in place of jetxl's one
    placeholder row when the sheet has no ``table``)."""

    def head(chunk: bytes) -> bytes:
        text = chunk.decode("utf-8", errors="surrogateescape")
        props = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if "fit" in steps else ""
        text = re.sub(r'<dimension ref="[^"]*"/>', f'{props}<dimension ref="A1:{last}"/>', text, count=1)
        text = re.sub(r"(<sheetFormatPr [^>]*/>)(<cols>.*?</cols>)?", lambda m: m.group(1) + cols, text, count=1)
        if freeze:
            top = f"A{freeze + 1}"
            text = re.sub(
                r"<pane [^>]*/>",
                f'<pane ySplit="{freeze}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>',
                text,
                count=1,
            )
        if table:
            text = text.replace("<sheetData>", "<sheetData>" + notes, 1)
        else:
            text = re.sub(
                r"<sheetData>.*?</sheetData>", lambda m: f"<sheetData>{notes}</sheetData>", text, count=1, flags=re.S
            )
        return text.encode("utf-8", errors="surrogateescape")

    return head


def sheet_tail(sheet: Sheet, steps: dict, block: Block | None) -> bytes:
    """What follows ``</sheetData>``: the filter of the table, its data validations, page
    margins, the page setup, header and footer, the manual page breaks (in the order the
    sheet schema wants)."""
    parts = []
    if sheet.freeze and block and block.columns:
        parts.append(f'<autoFilter ref="A{block.header_row}:{cell(block.last_row, len(block.columns))}"/>')
    if block:
        parts.append(validations(block))
    left, right, top, bottom, header_, footer_ = steps.get("margins", (0.7, 0.7, 0.75, 0.75, 0.3, 0.3))
    parts.append(
        f'<pageMargins left="{left:g}" right="{right:g}" top="{top:g}" bottom="{bottom:g}" '
        f'header="{header_:g}" footer="{footer_:g}"/>'
    )
    setup = [f'paperSize="{steps["paper"][0]}"'] if "paper" in steps else []
    if "scale" in steps:
        setup += [f'scale="{steps["scale"][0]}"']
    if "fit" in steps:
        wide, tall = steps["fit"]
        setup += [f'fitToWidth="{wide}"'] if wide != 1 else []
        setup += [f'fitToHeight="{tall}"'] if tall != 1 else []
    setup += ['orientation="landscape"'] if "landscape" in steps else ['orientation="portrait"'] * ("portrait" in steps)
    parts.append(f"<pageSetup {' '.join(setup)}/>")
    header = steps.get("header", ("",))[0]
    footer = steps.get("footer", ("",))[0]
    if header or footer:
        odd = (f"<oddHeader>{escape(excel_text(header))}</oddHeader>" if header else "") + (
            f"<oddFooter>{escape(excel_text(footer))}</oddFooter>" if footer else ""
        )
        parts.append(f"<headerFooter>{odd}</headerFooter>")
    breaks = steps.get("breaks", ([],))[0]
    if breaks:
        items = "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in breaks)
        parts.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">{items}</rowBreaks>')
    return ("".join(parts) + "</worksheet>").encode()


def validations(block: Block) -> str:
    """The ``dataValidations`` of a table on its data rows (none on an empty table), as the
    rust writer writes them: blanks allowed, the error title and message shown; a date range
    as serial numbers."""
    if block.last_row == block.header_row or not block.table.validations:
        return ""
    items = []
    for header, rule in block.table.validations.items():
        letters = column_letters(block.column(header))
        sqref = f"{letters}{block.first_row}:{letters}{block.last_row}"
        if rule.dates:
            kind = "date"
            formulas = "".join(f"<formula{k}>{excel_serial(d):g}</formula{k}>" for k, d in enumerate(rule.dates, 1))
        else:
            kind, formulas = "list", f"<formula1>{escape(rule.list_formula())}</formula1>"
        items.append(
            f'<dataValidation type="{kind}" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
            f"errorTitle={quoteattr(rule.title)} error={quoteattr(rule.error)} "
            f'sqref="{sqref}">{formulas}</dataValidation>'
        )
    return f'<dataValidations count="{len(items)}">{"".join(items)}</dataValidations>'


def defined_names(sheets: list[tuple[Sheet, Block | None, dict]], marker_name: str, marker_value: str) -> str:
    """The defined names of ``sheets`` (each with its table's block and page steps) as
    ``workbook.xml`` holds them, scoped to their sheet: the filter's range, the rows and
    columns repeated on every page, the marker; sorted by name, then sheet, as Excel writes them."""
    items = []
    for index, (sheet, block, steps) in enumerate(sheets):
        name = "'" + sheet.name + "'"
        names = []
        if sheet.freeze and block and block.columns:
            end = cell(block.last_row, len(block.columns), absolute=True)
            names.append(("_xlnm._FilterDatabase", f"{name}!$A${block.header_row}:{end}", ' hidden="1"'))
        titles = []
        if "repeat_columns" in steps:
            first, last = (column_letters(k + 1) for k in steps["repeat_columns"])
            titles.append(f"{name}!${first}:${last}")
        if "repeat_rows" in steps:
            first, last = steps["repeat_rows"]
            titles.append(f"{name}!${first + 1}:${last + 1}")
        if titles:  # columns first, as Excel writes both
            names.append(("_xlnm.Print_Titles", ",".join(titles), ""))
        if marker_name:
            names.append((marker_name, marker_value.removeprefix("="), ""))
        items += [(n.removeprefix("_xlnm.").lower(), index, n, v, h) for n, v, h in names]
    xml = "".join(
        f'<definedName name={quoteattr(n)} localSheetId="{index}"{h}>{escape(v)}</definedName>'
        for _, index, n, v, h in sorted(items)
    )
    return f"<definedNames>{xml}</definedNames>" if xml else ""


def cell(row: int, columns: int, absolute: bool = False) -> str:
    """The reference of the last column of ``columns`` in ``row`` (``AR100003``)."""
    letters = column_letters(columns)
    return f"${letters}${row}" if absolute else f"{letters}{row}"
