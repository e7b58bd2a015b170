"""The page every sheet prints on, and how wide its columns print: the geometry the print
plan (:mod:`renewal_xl.reports.printing`) and the chart placement
(:func:`renewal_xl.reports.layout.chart_anchors`) share.

- A4 (210 × 297 mm, 595.28 × 841.89 points), left and right margins :data:`SIDE_MARGIN`
  inches, top and bottom :data:`END_MARGIN` (header and footer :data:`HEADER_MARGIN` from
  the edge);
- a column ``w`` characters wide is ``trunc(w × 7 + 0.5) + 5`` pixels of 0.75 points, Excel's
  rule for its default font (Calibri 11; :func:`renewal_xl.reports.layout.file_width`);
- LibreOffice without Calibri or its metric twin Carlito (a stock Linux machine) draws the
  default font as DejaVu Sans, whose digit is 7 points at 11 points against Calibri's
  7 pixels: every column prints :data:`LIBREOFFICE_WIDTH` (4/3) as wide. The print plan
  sizes pages for that, the widest program, so a sheet prints no smaller than planned;
- :data:`LEGIBLE` is the smallest scale a sheet prints at: 60 %, the default 11-point font
  at 6.6 points (the 打印清单 view prints at about 76 %, a notice page at 76 %).

>>> column_points(8.0), round(printable(True), 2), round(printable(False), 2)
(45.75, 784.29, 537.68)
"""

from __future__ import annotations

A4 = (595.28, 841.89)  # points, portrait (width, height)
SIDE_MARGIN = 0.4  # inches, left and right
END_MARGIN = 0.75  # inches, top and bottom
HEADER_MARGIN = 0.3  # inches, header and footer from the paper's edge
LIBREOFFICE_WIDTH = 4 / 3  # DejaVu Sans digit (7 pt at 11 pt) ÷ Calibri's (7 px = 5.25 pt)
LEGIBLE = 60  # percent: the smallest print scale
POINTS_PER_PIXEL = 0.75


def column_points(width: float) -> float:
    """Points a column ``width`` characters wide takes on screen and at 100 % in Excel
    (:func:`renewal_xl.reports.layout.file_width`: 7 pixels a character, 5 of padding)."""
    return (int(width * 7 + 0.5) + 5) * POINTS_PER_PIXEL


def printable(landscape: bool) -> float:
    """Width (points) of the part of an A4 page inside the side margins."""
    return (A4[1] if landscape else A4[0]) - 2 * SIDE_MARGIN * 72


def one_page_scale(points: float, landscape: bool) -> float:
    """The percent a sheet ``points`` wide prints at fitted to one page wide in LibreOffice
    (at most 100)."""
    return min(100.0, printable(landscape) / (points * LIBREOFFICE_WIDTH) * 100) if points else 100.0
