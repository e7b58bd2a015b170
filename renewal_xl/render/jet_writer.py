"""Writing a large plain table report with jetxl, then the parts jetxl lacks by a small XML step.

``write_report`` of :mod:`renewal_xl.render.xlsx_writer` hands a report here first when it is
large and :func:`renders` it (the priced register of ``renewal-xl price``: notes, one table of
typed columns with number formats, the header frozen and filtered). ``bench/README.md``
("Writing the priced register with jetxl") measured the choice: jetxl and the copy below write
the 3.9 M cells of the 100,000-row priced register in about 0.4x the CPU of the rust writer.

jetxl draws the cells (each column one Arrow array of its kind, from
:func:`renewal_xl.render.arrow_writer.column`), the number formats per column, the notes, the
bold header and the frozen header rows. What it has no option for is added afterwards,
without parsing the cell data: the sheet part's head (``sheetPr`` fit to page, the
dimension, the column widths, the pane of a header-only split) and its tail after
``</sheetData>`` (filter range, page margins, page setup, header and footer, page breaks)
are rewritten while the part is copied into the final zip (inflated and deflated again,
by ISA-L where python-isal is installed: :mod:`renewal_xl.io.zip_parts`), ``styles.xml`` gets the header fill and Excel's
quote prefix on the style jetxl made for quoted text (formula-like or error-like text,
:func:`renewal_xl.io.text.needs_quote`), and ``workbook.xml`` the sheet's defined names
(filter, print titles, the marker). A report with a
cell jetxl cannot hold in its column's array (a number in a text column and the like) is left to
:mod:`renewal_xl.render.arrow_writer` (:func:`write_report` returns False).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from renewal_xl.io import zip_parts
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.safety import column_letters
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.render import arrow_writer
from renewal_xl.reports import style
from renewal_xl.reports.layout import Block, column_widths, frozen_rows, header_height, layout
from renewal_xl.reports.printing import page_steps
from renewal_xl.reports.spec import Report, Sheet, Table

SHEET_PART = "xl/worksheets/sheet1.xml"
DRAWN = {
    Report: {"sheets"},
    Sheet: {"name", "tables", "notes", "freeze", "page", "title"},
    Table: {"frame", "formats"},
}
STEPS = {
    "paper",
    "landscape",
    "portrait",
    "fit",
    "scale",
    "margins",
    "header",
    "footer",
    "repeat_rows",
    "repeat_columns",
    "breaks",
}
# the custom number format jetxl is given for quoted text; styles.xml turns it into the quote prefix
_QUOTE_MARK = "renewal-xl-quote-prefix"
# jetxl's style of a styled header row (bold, the third cell style) and its grey fill (the third fill)
_JETXL_HEADER = '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" applyFont="1"/>'
_JETXL_GREY = "FFD9D9D9"
_COMPRESSION = 1  # deflate level of the rewritten sheet part (jetxl's own files compress about as much)
_CHUNK = 1 << 20


def available() -> bool:
    """True when jetxl and pyarrow can be imported."""
    return arrow_writer.importable("jetxl", "pyarrow")


def renders(report: Report) -> bool:
    """True when ``report`` is one sheet of notes and one untitled table that this renderer
    draws: only the spec fields of :data:`DRAWN` set, distinct text-safe headers, notes that
    need no quote prefix, a sheet name its defined names can hold, page steps it knows."""
    if len(report.sheets) != 1 or not arrow_writer.known(report, DRAWN):
        return False
    sheet = report.sheets[0]
    drawn = arrow_writer.known(sheet, DRAWN) and len(sheet.tables) == 1 and arrow_writer.known(sheet.tables[0], DRAWN)
    if not drawn or set(sheet.name) & {"!", "'"}:
        return False
    headers = [str(h) for h in sheet.tables[0].frame.columns]
    texts = headers + list(sheet.notes)
    return (
        len(set(headers)) == len(headers)
        and all(cell_text(t) == t and not needs_quote(t) for t in texts)
        and {step for step, _ in page_steps(sheet)} <= STEPS
    )


def write_report(report: Report, path: Path, marker_name: str, marker_value: str, advance=None) -> bool:
    """Write ``report`` to a new workbook at ``path`` (atomically), ``marker_name`` set to
    ``marker_value`` on its sheet unless empty. False, with nothing written, when
    :func:`renders` refuses the report or a cell does not fit its column's array."""
    import jetxl
    import pyarrow as pa

    if not renders(report):
        return False
    sheet = report.sheets[0]
    block = layout(sheet)[0]
    table = block.table
    headers = block.columns
    arrays, formats, quoted = [], {}, []
    for j, header in enumerate(headers):
        array, fmt, odd = arrow_writer.column(table.frame.iloc[:, j], table.formats.get(header))
        if odd:
            if not pa.types.is_string(array.type) or fmt or not all(isinstance(v, str) for _, v in odd):
                return False
            array = _texts_back(array, odd)
            quoted += [(block.first_row + i, j) for i, v in odd if needs_quote(cell_text(v))]
        arrays.append(array)
        if fmt:  # dates come as serial numbers with their format
            formats[header] = fmt
    styles = [{"row": 1, "col": 0, "font": {"bold": True}}] if sheet.notes else []
    styles += [{"row": r, "col": c, "number_format": _QUOTE_MARK} for r, c in quoted]
    data = jetxl.write_sheet_arrow_to_bytes(
        pa.table(arrays, names=headers),
        sheet_name=sheet.name,
        write_header_row=True,
        header_content=[(k + 1, 0, note) for k, note in enumerate(sheet.notes)],
        data_start_row=block.header_row,
        freeze_rows=frozen_rows(sheet),
        styled_headers=True,  # bold; header_fill adds the fill
        column_formats=formats,
        cell_styles=styles,
    )
    with atomic_path(Path(path)) as temp:
        _finish(data, temp, sheet, block, marker_name, marker_value)
    if advance:
        advance(len(table.frame))
    return True


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
    items = "".join(f'<col min="{a}" max="{b}" width="{excel_width(w)}" customWidth="1"/>' for a, b, w in ranges)
    return f"<cols>{items}</cols>" if items else ""


def excel_width(characters: float) -> float:
    """The width Excel stores for a column of ``characters`` (Calibri 11: 7-pixel digits,
    5 pixels of padding, 1/256 of a character), as XlsxWriter and rust_xlsxwriter store it.

    >>> excel_width(20), excel_width(8)
    (20.7109375, 8.7109375)
    """
    pixels = int(characters * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


def _texts_back(array, odd: list):
    """The text column ``array`` with its careful cells (``odd``: row, raw text) put back as
    a cell holds them (:func:`cell_text`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = np.zeros(len(array), dtype=bool)
    mask[[i for i, _ in odd]] = True
    return pc.replace_with_mask(array, pa.array(mask), pa.array([cell_text(v) for _, v in odd], type=pa.string()))


def _finish(data: bytes, path: Path, sheet: Sheet, block: Block, marker_name: str, marker_value: str) -> None:
    """Copy jetxl's workbook ``data`` to ``path`` with the sheet's head and tail, the styles
    and the workbook part completed (see the module docstring)."""
    steps = dict(page_steps(sheet))
    last = _cell(block.last_row, len(block.columns))
    widths = column_widths(sheet)
    cols = column_elements(widths)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=_COMPRESSION) as out,
    ):
        for info in source.infolist():
            if info.filename == SHEET_PART:
                with out.open(SHEET_PART, "w", force_zip64=True) as target:
                    zip_parts.faster_deflate(target, _COMPRESSION)  # ISA-L deflates where installed
                    head = sheet_head(steps, last, cols, block, frozen_rows(sheet), header_height(block, widths))
                    _copy_sheet(zip_parts.chunks(source, info, _CHUNK), target, head, sheet_tail(steps, block))
                continue
            text = source.read(info)
            if info.filename == "xl/styles.xml":
                text = header_fill(quote_prefix_styles(text.decode())).encode()
            elif info.filename == "xl/workbook.xml":
                names = defined_names(sheet, block, steps, marker_name, marker_value)
                text = text.decode().replace("<calcPr", names + "<calcPr", 1).encode()
            out.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)


def _copy_sheet(chunks: Iterator[bytes], target, head, tail) -> None:
    """Stream the sheet part's ``chunks`` through, ``head`` applied to the first and ``tail``
    to the bytes after ``</sheetData>`` (the cell data in between is copied as it is)."""
    end = b"</sheetData>"
    first, held = True, b""
    for chunk in chunks:
        if not chunk:
            continue
        chunk = held + chunk
        if first:
            chunk, first = head(chunk), False
        cut = max(len(chunk) - 4096, 0)  # keep the end back: the tail is replaced whole
        target.write(chunk[:cut])
        held = chunk[cut:]
    at = held.rfind(end)
    if first or at < 0:
        raise ValueError("jetxl wrote a sheet part without its data")  # not expected: a bug to see
    target.write(held[: at + len(end)] + tail)


def sheet_head(steps: dict, last: str, cols: str, block: Block, freeze: int, header: float | None = None):
    """The rewrite of the sheet part's first bytes: fit-to-page sheet properties, the used
    range up to ``last``, the column widths ``cols``, a pane of the top ``freeze`` rows as
    Excel writes it, the ``header`` row's height (points) when its headers wrap."""

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
        if header:
            text = re.sub(
                rf'<row r="{block.header_row}"(?=[ >])',
                lambda m: f'{m.group(0)} ht="{header:g}" customHeight="1"',
                text,
                count=1,
            )
        return text.encode("utf-8", errors="surrogateescape")

    return head


def sheet_tail(steps: dict, block: Block) -> bytes:
    """What follows ``</sheetData>``: the filter of the table, page margins, the page setup,
    header and footer, the manual page breaks (in the order the sheet schema wants)."""
    ref = f"A{block.header_row}:{_cell(block.last_row, len(block.columns))}"
    parts = [f'<autoFilter ref="{ref}"/>'] if block.columns else []
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
        odd = (f"<oddHeader>{escape(header)}</oddHeader>" if header else "") + (
            f"<oddFooter>{escape(footer)}</oddFooter>" if footer else ""
        )
        parts.append(f"<headerFooter>{odd}</headerFooter>")
    breaks = steps.get("breaks", ([],))[0]
    if breaks:
        items = "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in breaks)
        parts.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">{items}</rowBreaks>')
    return ("".join(parts) + "</worksheet>").encode()


def quote_prefix_styles(styles_xml: str) -> str:
    """``styles.xml`` with the style of quoted text (jetxl's custom format :data:`_QUOTE_MARK`)
    made the General format with Excel's quote prefix."""
    found = re.search(r'<numFmt numFmtId="(\d+)" formatCode="' + re.escape(_QUOTE_MARK) + '"/>', styles_xml)
    if not found:
        return styles_xml
    styles_xml = styles_xml.replace(found.group(0), "")
    styles_xml = re.sub(r'<numFmts count="(\d+)"', lambda m: f'<numFmts count="{int(m.group(1)) - 1}"', styles_xml)
    return re.sub(
        rf'<xf numFmtId="{found.group(1)}"([^>]*?) applyNumberFormat="1"',
        r'<xf numFmtId="0"\1 quotePrefix="1"',
        styles_xml,
    )


def header_fill(styles_xml: str) -> str:
    """``styles.xml`` with the style of jetxl's header row (bold) on the header fill, wrapped and top-aligned
    (:data:`renewal_xl.reports.style.HEADER_FILL`, in jetxl's grey fill, written as
    XlsxWriter writes a fill)."""
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


def defined_names(sheet: Sheet, block: Block, steps: dict, marker_name: str, marker_value: str) -> str:
    """The sheet's defined names as ``workbook.xml`` holds them: the filter's range, the
    rows repeated on every page, the marker."""
    name = "'" + sheet.name + "'"
    names = []
    if block.columns:
        end = _cell(block.last_row, len(block.columns), absolute=True)
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
    items = "".join(
        f'<definedName name={quoteattr(n)} localSheetId="0"{h}>{escape(v)}</definedName>' for n, v, h in names
    )
    return f"<definedNames>{items}</definedNames>" if items else ""


def _cell(row: int, columns: int, absolute: bool = False) -> str:
    """The reference of the last column of ``columns`` in ``row`` (``AR100003``)."""
    letters = column_letters(columns)
    return f"${letters}${row}" if absolute else f"{letters}{row}"
