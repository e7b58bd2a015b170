"""The scale a worksheet prints at, read from the .xlsx XML alone (no office program):
what a test needs to prove that no report or template sheet prints too small to read.

The printed width of a sheet is the width of its used columns (``<cols>`` widths, else the
default width) together with the right edge of its drawings (charts) and of text running
over the empty cells right of a row's last cell (unless it wraps), in points; a column
``w`` characters wide is ``trunc(w × 7 + 0.5)`` pixels of 0.75 points (Excel's rule for its
default font, Calibri 11), times :data:`LIBREOFFICE_WIDTH` in LibreOffice on a machine
without Calibri or Carlito, which draws the default font as DejaVu Sans (digit 7 points
against Calibri's 7 pixels): this machine's PDFs measure 1.34–1.39, so that is the scale
computed. The page is the paper (A4 only) in its orientation less the left and right
margins (``<pageMargins>``, inches).

- ``fitToPage`` with ``fitToWidth`` N (default 1, 0 = no limit) and ``fitToHeight`` 0:
  the program shrinks the sheet until it fits N pages wide, columns repeated on every page
  (``Print_Titles``) counted on each: scale = N × page ÷ (rest + N × repeated), at most 100 %.
- otherwise the ``scale`` of ``<pageSetup>`` (default 100 %).

The result rounds down to a whole percent, as both Excel and LibreOffice do. It ignores that
a column never splits across pages (a multi-page sheet may need a little more), so a sheet
is held to a bar with some room.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from renewal_xl.reports.layout import display_width

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}
A4 = (595.28, 841.89)  # points, portrait
DEFAULT_WIDTH = 9.140625  # a column of Excel's default width (8.43 characters, 64 pixels) as files store it
EMU_PER_POINT = 12700
LIBREOFFICE_WIDTH = 4 / 3


@dataclass(frozen=True)
class Printed:
    """How one sheet prints: ``scale`` (whole percent), ``orientation``, the content width
    and the printable page width (points), ``pages_wide`` asked for (0: by scale), the
    repeated columns (``"$A:$B"`` or ``""``) and rows."""

    sheet: str
    scale: int
    orientation: str
    content: float
    page: float
    pages_wide: int
    repeat_columns: str
    repeat_rows: str
    font_size: float
    breaks: tuple[int, ...] = ()  # rows a page ends after (1-based)
    drawings: tuple[tuple[int, int], ...] = ()  # first and last row (1-based) of each two-cell anchored drawing

    @property
    def text_points(self) -> float:
        """The printed size of the default font."""
        return self.font_size * self.scale / 100


def column_points(width: float) -> float:
    """Points of a column ``width`` characters wide (7 pixels a character, 0.75 pt a pixel)."""
    return int(width * 7 + 0.5) * 0.75


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def printed(path: Path) -> list[Printed]:
    """How every worksheet of the workbook at ``path`` prints."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = _rels(z, "xl/workbook.xml")
        styles = ET.fromstring(z.read("xl/styles.xml"))
        wraps = [
            (xf.find("m:alignment", NS) is not None and xf.find("m:alignment", NS).get("wrapText") in ("1", "true"))
            for xf in styles.iterfind("m:cellXfs/m:xf", NS)
        ]
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS):
                strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        size = styles.find("m:fonts/m:font/m:sz", NS)
        font_size = float(size.get("val")) if size is not None else 11.0
        titles: dict[int, str] = {}
        for name in book.iterfind("m:definedNames/m:definedName", NS):
            if name.get("name") == "_xlnm.Print_Titles" and name.get("localSheetId") is not None:
                titles[int(name.get("localSheetId"))] = name.text or ""
        out = []
        for k, sheet in enumerate(book.iterfind("m:sheets/m:sheet", NS)):
            target = rels[sheet.get(f"{{{NS['r']}}}id")]
            out.append(_printed(z, target, sheet.get("name"), titles.get(k, ""), font_size, strings, wraps))
        return out


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in z.namelist():
        return {}
    root = ET.fromstring(z.read(rels_part))
    return {
        r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target")))
        if not r.get("Target").startswith("/")
        else r.get("Target").lstrip("/")
        for r in root.iterfind("rel:Relationship", NS)
    }


def _printed(
    z: zipfile.ZipFile, part: str, name: str, titles: str, font_size: float, strings: list[str], wraps: list[bool]
) -> Printed:
    root = ET.fromstring(z.read(part))
    widths: dict[int, float] = {}
    for col in root.iterfind("m:cols/m:col", NS):
        for j in range(int(col.get("min")), int(col.get("max")) + 1):
            if j <= 16384 and col.get("width") is not None:
                widths[j] = float(col.get("width"))
    used = 0
    for cell in root.iterfind("m:sheetData/m:row/m:c", NS):
        ref = cell.get("r")
        if ref and (cell.find("m:v", NS) is not None or cell.find("m:is", NS) is not None or cell.get("s")):
            used = max(used, _column_index(re.match(r"[A-Z]+", ref).group()))
    edges = [sum(column_points(widths.get(j, DEFAULT_WIDTH)) for j in range(1, used + 1))]

    def left_of(col: int) -> float:  # 1-based column's left edge
        return sum(column_points(widths.get(j, DEFAULT_WIDTH)) for j in range(1, col))

    for row in root.iterfind("m:sheetData/m:row", NS):
        cells = [c for c in row.iterfind("m:c", NS) if c.find("m:v", NS) is not None or c.find("m:is", NS) is not None]
        if not cells:
            continue
        last = cells[-1]
        if wraps and int(last.get("s", 0)) < len(wraps) and wraps[int(last.get("s", 0))]:
            continue
        if last.get("t") == "s":
            text = strings[int(last.find("m:v", NS).text)]
        elif last.get("t") == "inlineStr":
            text = "".join(t.text or "" for t in last.iter(f"{{{NS['m']}}}t"))
        else:
            continue
        col = _column_index(re.match(r"[A-Z]+", last.get("r")).group())
        edges.append(left_of(col) + (display_width(text) * 7 + 5) * 0.75)
    drawing = root.find("m:drawing", NS)
    if drawing is not None:
        target = _rels(z, part)[drawing.get(f"{{{NS['r']}}}id")]
        edges += _drawing_edges(ET.fromstring(z.read(target)), widths)
    content = max(edges) * LIBREOFFICE_WIDTH
    breaks = tuple(int(b.get("id")) for b in root.iterfind("m:rowBreaks/m:brk", NS))
    drawn: tuple[tuple[int, int], ...] = ()
    if drawing is not None:
        anchors = ET.fromstring(z.read(_rels(z, part)[drawing.get(f"{{{NS['r']}}}id")]))
        drawn = tuple(
            (int(a.find("xdr:from/xdr:row", NS).text) + 1, int(a.find("xdr:to/xdr:row", NS).text) + 1)
            for a in anchors
            if a.find("xdr:to", NS) is not None
        )

    setup = root.find("m:pageSetup", NS)
    setup = setup.attrib if setup is not None else {}
    assert setup.get("paperSize", "1") == "9", f"{name}: not A4 ({setup.get('paperSize')})"
    orientation = setup.get("orientation", "portrait")
    paper_width = A4[1] if orientation == "landscape" else A4[0]
    margins = root.find("m:pageMargins", NS)
    left = float(margins.get("left", 0.7)) if margins is not None else 0.7
    right = float(margins.get("right", 0.7)) if margins is not None else 0.7
    page = paper_width - (left + right) * 72

    props = root.find("m:sheetPr/m:pageSetUpPr", NS)
    fit = props is not None and props.get("fitToPage") in ("1", "true")
    repeat_columns = _repeated_columns(titles)
    repeated = sum(column_points(widths.get(j, DEFAULT_WIDTH)) for j in repeat_columns) * LIBREOFFICE_WIDTH
    if fit:
        wide = int(setup.get("fitToWidth", "1"))
        assert setup.get("fitToHeight", "1") == "0", f"{name}: fit to a number of pages tall"
        scale = (
            100.0
            if wide == 0 or not content
            else min(100.0, wide * page / (content - repeated + wide * repeated) * 100)
        )
    else:
        wide, scale = 0, float(setup.get("scale", "100"))
    text = re.findall(r"\$?([A-Z]+)\$?\d*:\$?([A-Z]+)", titles)
    return Printed(
        name,
        math.floor(scale + 1e-9),
        orientation,
        content,
        page,
        wide,
        ",".join(f"{a}:{b}" for a, b in text),
        ",".join(re.findall(r"\$\d+:\$\d+", titles)),
        font_size,
        breaks,
        drawn,
    )


def _repeated_columns(titles: str) -> list[int]:
    """Column numbers of the repeated columns of a ``Print_Titles`` reference."""
    found = re.search(r"!\$([A-Z]+):\$([A-Z]+)(?:,|$)", titles)
    if not found:
        return []
    return list(range(_column_index(found.group(1)), _column_index(found.group(2)) + 1))


def _drawing_edges(drawing: ET.Element, widths: dict[int, float]) -> list[float]:
    """The right edge (points from column A) of every anchored drawing."""

    def left_of(col: int) -> float:  # 0-based column
        return sum(column_points(widths.get(j, DEFAULT_WIDTH)) for j in range(1, col + 1))

    edges = []
    for anchor in drawing:
        start = anchor.find("xdr:from", NS)
        end = anchor.find("xdr:to", NS)
        ext = anchor.find("xdr:ext", NS)
        if end is not None:
            col = int(end.find("xdr:col", NS).text)
            edges.append(left_of(col) + int(end.find("xdr:colOff", NS).text) / EMU_PER_POINT)
        elif start is not None and ext is not None:
            col = int(start.find("xdr:col", NS).text)
            offset = int(start.find("xdr:colOff", NS).text) / EMU_PER_POINT
            edges.append(left_of(col) + offset + int(ext.get("cx")) / EMU_PER_POINT)
    return edges
