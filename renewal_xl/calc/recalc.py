"""Recalculate xlsx workbooks in LibreOffice with the add-in (``renewal-xl recalc``).

For each workbook: its worksheet formulas are rewritten for the add-in
(:func:`renewal_xl.calc.formulas.to_addin`) into a temporary copy, LibreOffice loads
that copy, recalculates every formula and saves it as xlsx, the formulas are written back
with the plain names (:func:`~renewal_xl.calc.formulas.to_plain`), the frozen panes of
the input are put back (LibreOffice headless saves no view settings, so every frozen
header would be lost: :func:`restore_panes`), and the result replaces the output atomically (:mod:`renewal_xl.io.atomic`). The input is only read.

The output holds the formulas with their computed values, so Excel, openpyxl
(``data_only=True``) and pandas read the numbers. Cells whose formula ended in an error
(a Calc error such as ``#VALUE!``, or a function's ``#…`` text) are returned as
:class:`CellError`.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from renewal_xl.calc.formulas import rewrite_sheet_xml, to_addin, to_plain
from renewal_xl.calc.office import Office
from renewal_xl.errors import InputError, SourceError
from renewal_xl.io.atomic import atomic_path, check_not_input
from renewal_xl.io.safety import check_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.S)
_ATTR = re.compile(r'\b(r|t)="([^"]*)"')
_VALUE = re.compile(r"<v>([^<]*)</v>")
_PANE = re.compile(r"<pane\b[^>]*/>")
_SHEET_VIEW = re.compile(r"<sheetView\b([^>]*?)(/?)>")


@dataclass(frozen=True)
class CellError:
    """A formula cell whose value is an error: ``sheet!cell: value``."""

    sheet: str
    cell: str
    value: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.value}"


@dataclass(frozen=True)
class Recalculated:
    """One workbook done: where it was written and which cells ended in an error."""

    source: Path
    output: Path
    errors: list[CellError] = field(default_factory=list)


def recalc_files(
    paths: Iterable[Path],
    out_dir: Path | None = None,
    *,
    outputs: Iterable[Path] | None = None,
    office: Office | None = None,
) -> list[Recalculated]:
    """Recalculate each workbook of ``paths`` into ``out_dir`` (same file name) or into
    the matching path of ``outputs``. One LibreOffice serves them all: ``office`` when
    given (kept running), else one started and ended here. Raises
    :class:`~renewal_xl.errors.RenewalError` before any work when an input is missing or
    not .xlsx/.xlsm, or an output is not .xlsx or is one of the inputs."""
    sources = [Path(p) for p in paths]
    if outputs is not None:
        targets = [Path(p) for p in outputs]
    elif out_dir is not None:
        targets = [Path(out_dir) / (s.stem + ".xlsx") for s in sources]
    else:
        raise InputError("output", "", "须给出输出文件或输出目录")
    if len(targets) != len(sources):
        raise InputError("output", len(targets), f"输出文件数须与输入文件数 ({len(sources)}) 相同")
    _check(sources, targets)
    if office is not None:
        return [recalc_one(office, s, t) for s, t in zip(sources, targets)]
    with Office() as started:
        return [recalc_one(started, s, t) for s, t in zip(sources, targets)]


def _check(sources: list[Path], targets: list[Path]) -> None:
    for source in sources:
        if not source.is_file():
            raise SourceError(f"文件 {source}", "input", str(source), "文件不存在")
        if source.suffix.lower() not in WORKBOOK_SUFFIXES or not zipfile.is_zipfile(source):
            raise SourceError(f"文件 {source}", "input", str(source), "须为 .xlsx 或 .xlsm 工作簿")
        check_workbook(source)  # zip bombs, entity expansion, oversized sheets: refused before LibreOffice opens it
    for target in targets:
        if target.suffix.lower() != ".xlsx":
            raise InputError("output", str(target), "输出文件须为 .xlsx")
        check_not_input(target, sources)
    if len({t.resolve() for t in targets}) != len(targets):
        raise InputError("output", " ".join(t.name for t in targets), "两个输入会写到同一个输出文件")


def recalc_one(office: Office, source: Path, target: Path) -> Recalculated:
    """Recalculate ``source`` into ``target`` with a running ``office``."""
    with tempfile.TemporaryDirectory(prefix="renewal-xl-recalc.") as tmp:
        prepared, computed = Path(tmp) / "in.xlsx", Path(tmp) / "out.xlsx"
        rewrite_xlsx(source, prepared, to_addin)
        office.recalc(prepared, computed)
        panes = _panes(source)
        with zipfile.ZipFile(computed) as z:
            views = {part: panes[sheet] for sheet, part in _sheet_parts(z) if sheet in panes}
        with atomic_path(target) as temp:
            rewrite_xlsx(computed, temp, to_plain, views)
            errors = error_cells(temp)
    return Recalculated(Path(source), Path(target), errors)


def rewrite_xlsx(source: Path, target: Path, change: Callable[[str], str], panes: dict[str, str] | None = None) -> None:
    """Copy the xlsx ``source`` to ``target`` with every worksheet formula passed through
    ``change`` and the ``<pane>`` of ``panes`` (by part name) restored; every other part
    is copied as it is."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if _is_worksheet(info.filename):
                xml = rewrite_sheet_xml(xml_text(data, source, info.filename), change)
                if panes and info.filename in panes:
                    xml = restore_panes(xml, panes[info.filename])
                data = xml.encode("utf-8")
            zout.writestr(info, data)


def _panes(path: Path) -> dict[str, str]:
    """The ``<pane>`` element (frozen rows or columns) of each sheet of ``path`` that has one."""
    with zipfile.ZipFile(path) as z:
        found = {sheet: _PANE.search(xml_text(z.read(part), path, part)) for sheet, part in _sheet_parts(z)}
    return {sheet: m.group(0) for sheet, m in found.items() if m}


def restore_panes(xml: str, pane: str) -> str:
    """Sheet ``xml`` with ``pane`` as the first child of its sheet view, unless it has a pane.

    >>> restore_panes('<sheetViews><sheetView workbookViewId="0"/></sheetViews>', '<pane ySplit="1" state="frozen"/>')
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" state="frozen"/></sheetView></sheetViews>'
    >>> restore_panes('<sheetView tabSelected="1"><selection sqref="A1"/></sheetView>', '<pane ySplit="1"/>')
    '<sheetView tabSelected="1"><pane ySplit="1"/><selection sqref="A1"/></sheetView>'
    """
    view = _SHEET_VIEW.search(xml)
    if view is None or _PANE.search(xml):
        return xml
    opened = f"<sheetView{view.group(1)}>{pane}" + ("</sheetView>" if view.group(2) else "")
    return xml[: view.start()] + opened + xml[view.end() :]


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding=["']([A-Za-z0-9._-]+)["']""")


def xml_text(data: bytes, source: Path, part: str) -> str:
    """An XML part as text, decoded as its declaration says (UTF-8 when it says nothing;
    some exporters declare ISO-8859-1) and declared UTF-8 from then on, as it is written
    back in UTF-8. Raises SourceError for an unknown or wrong encoding."""
    declared = _DECLARED.match(data[:200])
    encoding = declared.group(1).decode() if declared else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise SourceError(
            f"文件 {Path(source).name}",
            "encoding",
            encoding,
            f"工作表 {part} 的编码 {encoding} 无法读取, 请在 Excel 中另存为 .xlsx",
        ) from exc
    if declared:
        text = re.sub(r"""encoding=["'][A-Za-z0-9._-]+["']""", 'encoding="UTF-8"', text, count=1)
    return text


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and name.count("/") == 2


def error_cells(path: Path) -> list[CellError]:
    """The formula cells of an xlsx whose cached value is an error value (``t="e"``) or
    a text starting with ``#`` (a worksheet function's error text), sheet by sheet."""
    found: list[CellError] = []
    with zipfile.ZipFile(path) as z:
        for sheet, part in _sheet_parts(z):
            for m in _CELL.finditer(z.read(part).decode("utf-8")):
                attrs = dict(_ATTR.findall(m.group(1)))
                value = _VALUE.search(m.group(2))
                if "<f" not in m.group(2) or value is None:
                    continue
                text = ElementTree.fromstring(f"<v>{value.group(1)}</v>").text or ""
                if attrs.get("t") == "e" or (attrs.get("t") == "str" and text.startswith("#")):
                    found.append(CellError(sheet, attrs.get("r", "?"), text))
    return found


def _sheet_parts(z: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(sheet name, part name) of each worksheet, in workbook order."""
    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        if _is_worksheet(part) and part in z.namelist():
            yield sheet.get("name", "?"), part
