"""Building blocks shared by the template workbooks: header rows, instructions sheet,
``xlwings.conf`` sheet, drop-down lists, number formats, due-date highlighting.

Everything here writes plain openpyxl objects; formulas use only functions Excel and
LibreOffice both know, plus our worksheet functions written plainly (no ``_xlfn.``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from renewal_xl.render.openpyxl_book import apply_plan
from renewal_xl.reports.layout import display_width
from renewal_xl.reports.printing import plan
from renewal_xl.spreadsheet import UDF_MODULES
from renewal_xl.vocabulary import FIELDS

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a user fills in
FORMULA_FILL = PatternFill("solid", fgColor="E2EFDA")  # cells computed by formulas
# policies due within 30 days: a conditional format's (dxf) solid fill takes its colour from
# bgColor in Excel (the reverse of cell fills), fgColor in LibreOffice: both are given
DUE_FILL = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
TITLE_FONT = Font(bold=True, size=14)

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
RATE = "0.00%"
FACTOR = "0.00##"
KIND_FORMATS = {"date": DATE, "money": MONEY, "rate": RATE}  # a column's number format by its field's kind
ENTRY_ROWS = 500  # rows prepared for entry: formulas, fills, validation, highlighting (Excel's table goes on)

YES_NO = ("是", "否")
CUSTOMER_TYPES = ("个人", "企业", "大型企业", "机关事业")
SENSITIVITIES = ("高", "中", "低")
INSTRUCTIONS = "说明"
CONF_SHEET = "xlwings.conf"


SETUP = (
    "准备",
    "公式调用 renewal-xl 的工作表函数 (RENEWAL_PREMIUM 等)。Windows 版 Excel: 先运行 renewal-xl install, "
    "再在 xlwings 选项卡点 Import Functions; LibreOffice: 运行 renewal-xl install --libreoffice 安装 Calc 扩展。"
    "未安装时这些单元格显示 #NAME?。",
)


def template(
    title: str, paragraphs: Sequence[tuple[str, str]], parts: Iterable[Callable[[Workbook], None]]
) -> Workbook:
    """A template workbook: the sheets ``parts`` add, then the instructions sheet (first)
    and the ``xlwings.conf`` sheet (last)."""
    book = new_book()
    for part in parts:
        part(book)
    instructions(book, title, paragraphs)
    xlwings_conf(book)
    print_setup(book, title)
    return book


def print_setup(book: Workbook, title: str) -> None:
    """Every sheet prints as report sheets do (:mod:`renewal_xl.reports.printing`): A4
    landscape, one page wide when that is legible (else at a legible scale, several pages
    wide, an entry table's first column repeated), ``title`` and the sheet name on top, page
    numbers below; a frozen header repeats on every page."""
    for ws in book.worksheets:
        rows = coordinate_from_string(ws.freeze_panes)[1] - 1 if ws.freeze_panes else 0
        widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, ws.max_column + 1)]
        repeat = 1 if ws.tables else 0  # an entry table's first column (保单号) on every page of several wide
        titles = (rows, rows) if rows else None
        apply_plan(ws, plan(title.removesuffix(" 使用说明"), title_rows=titles, widths=widths, repeat=repeat))


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "renewal-xl build-workbooks"
    return book


def header(ws: Worksheet, headers: Sequence[str], row: int = 1, *, formula_from: int | None = None) -> None:
    """Bold header cells; columns from ``formula_from`` (1-based) on are marked computed."""
    for j, text in enumerate(headers, start=1):
        c = ws.cell(row=row, column=j, value=text)
        c.font = HEADER_FONT
        c.fill = FORMULA_FILL if formula_from and j >= formula_from else HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def widths(
    ws: Worksheet, values_by_column: dict[int, Iterable[object]], minimum: float = 8, maximum: float = 48
) -> None:
    """Column widths fitting the given values (CJK characters count double)."""
    for j, values in values_by_column.items():
        wide = max((display_width(v) for v in values if v is not None and not str(v).startswith("=")), default=0)
        ws.column_dimensions[get_column_letter(j)].width = min(max(wide + 2, minimum), maximum)


def table_sheet(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    formats: dict[str, str] | None = None,
    formula_from: int | None = None,
    total: bool = False,
) -> None:
    """A summary table: header row, data rows, number formats per header, frozen header,
    autofilter; with ``total`` the last row is a bold 合计 row, left out of the filter
    (sorting must not move it into the data)."""
    header(ws, headers, formula_from=formula_from)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
    _formats(ws, headers, formats, ENTRY_ROWS + 1)  # rows a user adds (a tariff table) keep the format
    ws.freeze_panes = "A2"
    data_rows = len(rows) - 1 if total else len(rows)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(data_rows, 1) + 1}"
    if total:
        for j in range(1, len(headers) + 1):
            ws.cell(row=len(rows) + 1, column=j).font = HEADER_FONT
    widths(ws, {j: [h, *(r[j - 1] for r in rows)] for j, h in enumerate(headers, start=1)})


def field_formats(columns: dict[str, str]) -> dict[str, str]:
    """Header → number format of the columns (field key → header) by their fields' kinds."""
    return {
        header: KIND_FORMATS[FIELDS[key].kind] for key, header in columns.items() if FIELDS[key].kind in KIND_FORMATS
    }


def _formats(ws: Worksheet, headers: Sequence[str], formats: dict[str, str] | None, last: int) -> None:
    for j, h in enumerate(headers, start=1):
        fmt = (formats or {}).get(h)
        if fmt:
            for i in range(2, last + 1):
                ws.cell(row=i, column=j).number_format = fmt


Formula = Callable[[int], str]  # the formula of a computed column for sheet row r, without "="


def guarded(formula: Formula, r: int) -> str:
    """``formula`` of row ``r`` returning "" while the row's first column (its key) is empty."""
    return f'IF($A{r}="","",{formula(r)})'


def entry_table(
    ws: Worksheet,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    computed: Sequence[tuple[str, Formula]] = (),
    formats: dict[str, str] | None = None,
    text: Sequence[str] = (),
) -> None:
    """A sheet people fill in, as an Excel table ``name`` over the header row and
    :data:`ENTRY_ROWS` entry rows: ``headers`` are input columns (yellow), ``computed``
    (header, formula) columns follow (green), ``text`` columns keep what is typed (leading
    zeros, long digits). Sample ``rows`` hold the input columns.

    Every entry row carries the formulas, each "" until the row's key (column A) is typed:
    LibreOffice keeps the table (a database range) but does not extend its formulas to new
    rows, so they are written down the whole range; Excel also has them as the table's
    ``calculatedColumnFormula``, and fills them (and the formats) into rows added below it.
    Summaries read whole columns, so they count every row either program adds."""
    all_headers = [*headers, *(h for h, _ in computed)]
    header(ws, all_headers, formula_from=len(headers) + 1 if computed else None)
    last_row = ENTRY_ROWS + 1
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
    for i in range(2, last_row + 1):
        for j in range(1, len(all_headers) + 1):
            ws.cell(row=i, column=j).fill = INPUT_FILL if j <= len(headers) else FORMULA_FILL
        for k, (_, formula) in enumerate(computed, start=len(headers) + 1):
            ws.cell(row=i, column=k, value="=" + guarded(formula, i))
    _formats(ws, all_headers, {**{h: "@" for h in text}, **(formats or {})}, last_row)
    ws.freeze_panes = "A2"
    ref = f"A1:{get_column_letter(len(all_headers))}{last_row}"
    columns = [TableColumn(id=j, name=h) for j, h in enumerate(headers, start=1)]
    columns += [
        TableColumn(id=j, name=h, calculatedColumnFormula=TableFormula(attr_text=guarded(formula, 2)))
        for j, (h, formula) in enumerate(computed, start=len(headers) + 1)
    ]
    table = Table(
        displayName=name,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableColumns=columns,
        tableStyleInfo=TableStyleInfo(name="TableStyleLight1", showRowStripes=False),
    )
    ws.add_table(table)
    print_typed_rows(ws, len(all_headers))
    widths(ws, {j: [h, *(r[j - 1] for r in rows if j <= len(r))] for j, h in enumerate(all_headers, start=1)})


PRINT_AREA = "_xlnm.Print_Area"


def print_typed_rows(ws: Worksheet, columns: int) -> None:
    """Excel prints the header and the rows typed so far (column A filled), not the empty
    entry rows that only hold formulas: the print area is a formula Excel evaluates when it
    prints. LibreOffice keeps only fixed print ranges, so it prints every entry row."""
    typed = f"MAX(COUNTA('{ws.title}'!$A:$A),2)"  # the header and at least one row
    ws.defined_names[PRINT_AREA] = DefinedName(PRINT_AREA, attr_text=f"OFFSET('{ws.title}'!$A$1,0,0,{typed},{columns})")


def drop_down(ws: Worksheet, choices: Sequence[object], cells: str, *, strict: bool = True, prompt: str = "") -> None:
    """A list validation on ``cells``; ``strict=False`` only warns (e.g. a coverage list may
    be typed instead of a package name)."""
    formula = '"' + ",".join(str(c) for c in choices) + '"'
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,
        errorStyle="stop" if strict else "warning",
        showErrorMessage=True,
        showInputMessage=bool(prompt),
    )
    dv.error = "请从下拉列表中选择: " + " ".join(str(c) for c in choices)
    dv.errorTitle = "输入有误"
    if prompt:
        dv.prompt = prompt[:255]
    dv.add(cells)
    ws.add_data_validation(dv)


def column_range(ws: Worksheet, headers: Sequence[str], name: str, first: int = 2, last: int = ENTRY_ROWS + 1) -> str:
    """``E2:E501`` for the column headed ``name``."""
    letter = get_column_letter(list(headers).index(name) + 1)
    return f"{letter}{first}:{letter}{last}"


def highlight_due(
    ws: Worksheet, end_column: str, last_column: str, *, first: int = 2, last: int = ENTRY_ROWS + 1
) -> None:
    """Colour the rows whose end date lies within the next 30 days."""
    rule = FormulaRule(formula=[f"AND(${end_column}{first}>TODAY(),${end_column}{first}<=TODAY()+30)"], fill=DUE_FILL)
    ws.conditional_formatting.add(f"A{first}:{last_column}{last}", rule)


def hide_errors(ws: Worksheet, cells: str) -> None:
    """White text on error cells of ``cells`` (the unused rows of a fixed-size array formula)."""
    first = cells.split(":")[0]
    ws.conditional_formatting.add(cells, FormulaRule(formula=[f"ISERROR({first})"], font=Font(color="FFFFFF")))


def instructions(book: Workbook, title: str, paragraphs: Sequence[tuple[str, str]]) -> Worksheet:
    """The first sheet: a title and (heading, text) paragraphs in Chinese."""
    ws = book.create_sheet(INSTRUCTIONS, 0)
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(wrap_text=False)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100
    for i, (heading, text) in enumerate(paragraphs, start=3):
        label = ws.cell(row=i, column=1, value=heading)
        label.font = HEADER_FONT
        label.alignment = Alignment(vertical="top")  # beside the first line of its text, on screen and on paper
        c = ws.cell(row=i, column=2, value=text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-display_width(text) // 96)  # column B holds about 96 narrow characters a line
        ws.row_dimensions[i].height = 16 * lines + 4  # not every program sizes wrapped rows itself
    return ws


def xlwings_conf(book: Workbook) -> Worksheet:
    """The workbook's xlwings settings (read by the xlwings add-in before the user's own):
    key in column A, value in column B, no header. The interpreter is left to the user's
    config written by ``renewal-xl install``."""
    ws = book.create_sheet(CONF_SHEET)
    ws["A1"], ws["B1"] = "UDF Modules", UDF_MODULES
    ws["A2"], ws["B2"] = "Show Console", "False"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 24
    return ws
