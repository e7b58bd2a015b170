"""Writing large reports of plain tables with jetxl, then the parts jetxl lacks by a small XML step.

``write_report`` of :mod:`renewal_xl.render.xlsx_writer` hands a large report here first when
this renderer :func:`renders` it: the priced register of ``renewal-xl price`` (one sheet) and
the renewal lists of ``renewal-xl renewals`` (13 sheets: notes, at most one untitled table a
sheet with number formats, follow-up drop-downs and date checks, a bold total row, wrapped
columns on top-aligned rows, the header frozen and filtered, the page setup). The result looks
as :mod:`renewal_xl.render.arrow_writer` draws it. ``bench/README.md`` ("Writing the priced
register with jetxl", "The renewal lists with jetxl") measured the choice.

jetxl draws the cells (each column one Arrow array of its kind, from
:func:`renewal_xl.render.arrow_writer.column`, all sheets in one call), a style per column and
for the few cells of another look (quoted text, the total row), the bold header, the frozen
rows and the row heights. The rest is the XML step of :mod:`renewal_xl.render.jet_xml`, done
while the parts are copied into the final zip (each sheet part inflated and deflated again, by
ISA-L where python-isal is installed: :mod:`renewal_xl.io.zip_parts`): the notes, widths,
validations, filter, page setup, the looks in ``styles.xml`` and the defined names. jetxl
writes a blank cell of a styled column with the column's style, where the rust writer writes
only those of the columns people fill in (validated). They are left in: nothing shows, nothing
reads a value, a number typed there takes the column's format, and taking them out again cost
a regex over the whole part (0.8 s of the priced register's 3.4 s write, 100,000 rows; the
file is 7 % larger with them: ``bench/README.md``, "Styled blank cells").
A report with a cell jetxl cannot hold in its column's array (a number in a text column and
the like) is left to the rust writer (:func:`write_report` returns False).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from renewal_xl.io import zip_parts
from renewal_xl.io.atomic import atomic_path
from renewal_xl.io.text import cell_text, needs_quote
from renewal_xl.render import arrow_writer, jet_xml
from renewal_xl.render.jet_xml import Look, Looks
from renewal_xl.reports.layout import Block, column_widths, frozen_rows, header_height, layout, row_heights
from renewal_xl.reports.printing import page_steps
from renewal_xl.reports.spec import Report, Sheet, Table

SHEET_PART = "xl/worksheets/sheet{}.xml"  # jetxl's part of the n-th sheet (from 1)
DRAWN = {
    Report: {"sheets"},
    Sheet: {"name", "tables", "notes", "freeze", "page", "title"},
    Table: {"frame", "formats", "validations", "total", "wrap"},
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
_COMPRESSION = 1  # deflate level of the rewritten sheet parts (jetxl's own files compress about as much)
_CHUNK = 1 << 20
_PLACEHOLDER = "_"  # the one-cell column jetxl is given for a sheet of notes only


def available() -> bool:
    """True when jetxl and pyarrow can be imported."""
    return arrow_writer.importable("jetxl", "pyarrow")


def renders(report: Report) -> bool:
    """True when every sheet of ``report`` is notes and at most one untitled table with data
    rows that this renderer draws: only the spec fields of :data:`DRAWN` set, no charts,
    distinct text-safe headers, notes that need no quote prefix, a sheet name its defined
    names can hold, page steps it knows."""
    return bool(report.sheets) and arrow_writer.known(report, DRAWN) and all(map(_renders, report.sheets))


def _renders(sheet: Sheet) -> bool:
    drawn = arrow_writer.known(sheet, DRAWN) and not sheet.charts and len(sheet.tables) <= 1
    if not drawn or set(sheet.name) & {"!", "'"}:
        return False
    headers = []
    for table in sheet.tables:
        if not arrow_writer.known(table, DRAWN) or table.frame.empty:  # jetxl refuses a table without rows
            return False
        headers = [str(h) for h in table.frame.columns]
    texts = headers + list(sheet.notes)
    return (
        len(set(headers)) == len(headers)
        and all(cell_text(t) == t and not needs_quote(t) for t in texts)
        and all(jet_xml.excel_text(h) == h for h in headers)  # jetxl writes headers as they are
        and {step for step, _ in page_steps(sheet)} <= STEPS
    )


@dataclass
class _Plan:
    """One sheet as jetxl is given it (``config``) and what the XML step adds: its table's
    block and its page steps."""

    sheet: Sheet
    block: Block | None
    steps: dict
    config: dict


def write_report(report: Report, path: Path, marker_name: str, marker_value: str, advance=None) -> bool:
    """Write ``report`` to a new workbook at ``path`` (atomically), ``marker_name`` set to
    ``marker_value`` on every sheet unless empty. False, with nothing written, when
    :func:`renders` refuses the report or a cell does not fit its column's array."""
    import jetxl

    if not renders(report):
        return False
    looks, plans = Looks(), []
    for sheet in report.sheets:
        plan = _plan(sheet, looks)
        if plan is None:
            return False
        plans.append(plan)
    data = jetxl.write_sheets_arrow_to_bytes([p.config for p in plans], num_threads=1)  # one thread: CPU is the cost
    with atomic_path(Path(path)) as temp:
        _finish(data, temp, plans, looks, marker_name, marker_value)
    if advance:
        advance(sum(len(t.frame) for s in report.sheets for t in s.tables))
    return True


def _plan(sheet: Sheet, looks: Looks) -> _Plan | None:
    """The jetxl options of ``sheet``: one Arrow array per column with its look, the looks of
    the cells of another (quoted text, the total row), the header frozen, the row heights of
    a wrapped header and of wrapped rows; None when a cell does not fit its column's array."""
    import pyarrow as pa

    steps = dict(page_steps(sheet))
    if not sheet.tables:
        config = {"data": pa.table({_PLACEHOLDER: pa.array([None], pa.string())}), "name": sheet.name}
        return _Plan(sheet, None, steps, config | {"write_header_row": False})
    block = layout(sheet)[0]
    table = block.table
    last = len(table.frame) - 1
    arrays, column_looks, cells = [], {}, []
    for j, header in enumerate(block.columns):
        align = ("wrap" if header in table.wrap else "top") if table.wrap else ""
        array, fmt, odd = arrow_writer.column(table.frame.iloc[:, j], table.formats.get(header))
        if pa.types.is_string(array.type):
            array = jet_xml.escape_codes(array)
        if odd:
            if not pa.types.is_string(array.type) or fmt or not all(isinstance(v, str) for _, v in odd):
                return None
            array = _texts_back(array, odd)
        if fmt or align:
            column_looks[header] = looks.marker(Look(fmt, align=align))
        total = table.total and array[last].is_valid
        quoted = {i for i, v in odd if needs_quote(cell_text(v))}  # judged on the text, not its XML escape
        for i in sorted(quoted | ({last} if total else set())):
            own = Look(fmt, i in quoted, bold=table.total and i == last, align=align)
            cells.append({"row": block.first_row + i, "col": j, "number_format": looks.marker(own)})
        arrays.append(array)
    heights = row_heights(block)
    if height := header_height(block, column_widths(sheet)):
        heights[block.header_row] = height
    config = {
        "data": pa.table(arrays, names=block.columns),
        "name": sheet.name,
        "write_header_row": True,
        "styled_headers": True,  # bold; the XML step adds the fill
        "data_start_row": block.header_row,
        "freeze_rows": frozen_rows(sheet),
        "column_formats": column_looks,
        "cell_styles": cells,
        "row_heights": heights,
    }
    return _Plan(sheet, block, steps, config)


def _texts_back(array, odd: list):
    """The text column ``array`` with its careful cells (``odd``: row, raw text) put back as
    a cell holds them (:func:`cell_text`), in Excel's XML escape (:func:`jet_xml.excel_text`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    mask = np.zeros(len(array), dtype=bool)
    mask[[i for i, _ in odd]] = True
    return pc.replace_with_mask(
        array, pa.array(mask), pa.array([jet_xml.excel_text(cell_text(v)) for _, v in odd], type=pa.string())
    )


def _finish(data: bytes, path: Path, plans: list[_Plan], looks: Looks, marker_name: str, marker_value: str) -> None:
    """Copy jetxl's workbook ``data`` to ``path`` with each sheet's head and tail, the styles
    and the workbook part completed (see the module docstring)."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=_COMPRESSION) as out,
    ):
        styles = jet_xml.finish_styles(source.read("xl/styles.xml").decode(), looks)
        parts = {SHEET_PART.format(k + 1): plan for k, plan in enumerate(plans)}
        for info in source.infolist():
            plan = parts.get(info.filename)
            if plan:
                with out.open(info.filename, "w", force_zip64=True) as target:
                    zip_parts.faster_deflate(target, _COMPRESSION)  # ISA-L deflates where installed
                    _copy_sheet(zip_parts.chunks(source, info, _CHUNK), target, plan, styles)
                continue
            text = source.read(info)
            if info.filename == "xl/styles.xml":
                text = styles.xml.encode()
            elif info.filename == "xl/workbook.xml":
                names = jet_xml.defined_names([(p.sheet, p.block, p.steps) for p in plans], marker_name, marker_value)
                text = text.decode().replace("<calcPr", names + "<calcPr", 1).encode()
            out.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)


def _copy_sheet(chunks: Iterator[bytes], target, plan: _Plan, styles: jet_xml.Styles) -> None:
    """Stream a sheet part's ``chunks`` through, the head rewritten in the first, the tail
    after ``</sheetData>`` replaced (the cell data is copied as it is)."""
    sheet, block = plan.sheet, plan.block
    last = jet_xml.cell(block.last_row, len(block.columns)) if block else f"A{max(len(sheet.notes), 1)}"
    notes = jet_xml.note_rows(sheet.notes, styles.note)
    cols = jet_xml.column_elements(column_widths(sheet))
    head = jet_xml.sheet_head(plan.steps, last, cols, frozen_rows(sheet), notes, block is not None)
    tail = jet_xml.sheet_tail(sheet, plan.steps, block)
    end = b"</sheetData>"
    first, held = True, b""
    for chunk in chunks:
        if not chunk:
            continue
        if first:
            chunk, first = head(chunk), False
        # the end is kept back (the tail is replaced whole), cut before an element (none is split);
        # written as views of the chunk: the part's bytes are not copied again on the way
        cut = chunk.rfind(b"<", 0, max(len(chunk) - 4096, 0))
        if cut <= 0:
            held += chunk
            continue
        view = memoryview(chunk)
        target.write(held)
        target.write(view[:cut])
        held = bytes(view[cut:])
    at = held.rfind(end)
    if first or at < 0:
        raise ValueError("jetxl wrote a sheet part without its data")  # not expected: a bug to see
    target.write(held[: at + len(end)] + tail)
