"""The one look of every rendered report sheet, read by every renderer (XlsxWriter,
openpyxl, xlwings) so a sheet looks the same whichever wrote it.

- the first note line is bold; table titles bold at :data:`TITLE_SIZE` points;
- header rows bold on the :data:`HEADER_FILL` fill; total (合计) rows bold;
- wrapped text aligns to the top; a wrapped row is :data:`LINE_HEIGHT` points a line;
- charts are :data:`CHART_WIDTH` × :data:`CHART_HEIGHT` pixels, :data:`CHART_ROWS` rows apart;
- the sheet-scoped marker name holds :data:`MARKER_VALUE`.

>>> chart_size_cm()
(16.93, 8.47)
>>> chart_size_points()
(480.0, 240.0)
"""

from __future__ import annotations

HEADER_FILL = "DDEBF7"  # RGB, light blue
TITLE_SIZE = 12  # points
LINE_HEIGHT = 15.0  # points per line of wrapped text
CHART_WIDTH, CHART_HEIGHT = 640, 320  # pixels (96 per inch)
ROW_PIXELS = 20  # default row height, pixels
CHART_ROWS = CHART_HEIGHT // ROW_PIXELS + 2  # rows a chart takes, with a gap below
MARKER_VALUE = '"renewal-xl"'  # formula text of the marker name, without "="


def chart_size_cm() -> tuple[float, float]:
    """Chart width and height in centimetres (openpyxl)."""
    return round(CHART_WIDTH * 2.54 / 96, 2), round(CHART_HEIGHT * 2.54 / 96, 2)


def chart_size_points() -> tuple[float, float]:
    """Chart width and height in points (xlwings)."""
    return CHART_WIDTH * 0.75, CHART_HEIGHT * 0.75
