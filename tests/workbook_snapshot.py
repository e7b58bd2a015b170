"""The content of a workbook as plain data, to compare a fresh build with a committed file
(bytes differ by timestamps; content must not), or two renderers' files: cells (values, number
formats, bold, fills, quote prefix, wrap and vertical alignment), validations, conditional
formats, freeze pane, filter, widths, merged cells, row heights, print titles, page setup and
the sheet's names."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula


def _value(v):
    if isinstance(v, ArrayFormula):
        return ("array", v.ref, v.text)
    return v


def snapshot(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    out = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                style = (
                    c.number_format,
                    c.font.b,
                    c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                    bool(c.quotePrefix),
                    bool(c.alignment.wrap_text),
                    c.alignment.vertical,
                )
                if c.value is not None or style != ("General", False, None, False, False, None):
                    cells[c.coordinate] = (_value(c.value), *style)
        out[ws.title] = {
            "cells": cells,
            "validations": sorted(
                (
                    str(dv.sqref),
                    dv.type,
                    dv.formula1,
                    dv.formula2,
                    dv.errorStyle,
                    dv.allow_blank,
                    dv.errorTitle,
                    dv.error,
                )
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), tuple(r.formula or ())) for rng in ws.conditional_formatting for r in rng.rules
            ),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": {  # per column: writers group equal neighbours differently
                get_column_letter(i): d.width
                for d in ws.column_dimensions.values()
                if d.width
                for i in range(d.min or 1, (d.max or d.min or 1) + 1)
            },
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "print_titles": (ws.print_title_rows, ws.print_title_cols),
            "page": (
                ws.page_setup.paperSize,
                ws.page_setup.orientation,
                ws.page_setup.scale,
                ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
                [b.id for b in ws.row_breaks.brk],
            ),
            "names": sorted(ws.defined_names),
        }
    return out
