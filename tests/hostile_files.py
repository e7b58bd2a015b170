"""Hostile register and tariff files (issue 8), built small and fast, and the outcome of
reading each one: ``python tests/hostile_files.py DIR`` builds them in DIR, reads each as a
register and prints one JSON line per file (the tests run it in a subprocess with a memory
limit, so a file the checks miss would kill that process, not the test run)."""

from __future__ import annotations

import functools
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

HEADER = [
    "保单号",
    "车架号",
    "车牌号",
    "客户名称",
    "联系电话",
    "客户类型",
    "VIP",
    "业务员",
    "代理机构",
    "渠道",
    "起保日期",
    "终保日期",
    "保费",
    "险种组合",
    "新车购置价",
    "初登日期",
    "座位数",
    "进口车",
    "绝对免赔额",
    "连续未出险年数",
    "本期出险次数",
]
ROW = [
    "P1",
    "LSVAU2180N0000011",
    "鄂A·10001",
    "客户1",
    "13800000001",
    "个人",
    "否",
    "王芳",
    "",
    "直销",
    "2025-02-05",
    "2026-02-04",
    3000,
    "经济",
    150000,
    "2020-01-15",
    5,
    "否",
    0,
    2,
    0,
]


def _register_book(path: Path, **extra_parts: bytes) -> Path:
    """A valid register .xlsx (openpyxl), with ``extra_parts`` added to the zip."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(HEADER)
    ws.append(ROW)
    wb.save(path)
    if extra_parts:
        with zipfile.ZipFile(path, "a") as z:
            for name, data in extra_parts.items():
                z.writestr(name, data)
    return path


def _replace_part(path: Path, part: str, data: bytes, level: int = 6) -> Path:
    """Rewrite the zip at ``path`` with ``part`` replaced by ``data``."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return path


def _sheet(rows_xml: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10 if k > 1 else "&lol;" * 10}">' for k in range(1, 10))
    + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><si><t>&lol9;</t></si></sst>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
)


def zip_bomb(path: Path) -> Path:
    """A worksheet part of 64 MiB of blanks, deflated about 1000 times."""
    return _replace_part(_register_book(path), SHEET, _sheet("") + b" " * (64 * 2**20), level=9)


def lying_directory(path: Path) -> Path:
    """Two parts whose central-directory entries claim 3.75 GiB each."""
    _register_book(path)
    data = bytearray(path.read_bytes())
    at, patched = 0, 0
    while patched < 2 and (at := data.find(b"PK\x01\x02", at + 1)) > 0:
        struct.pack_into("<I", data, at + 24, 0xF0000000)  # uncompressed size
        patched += 1
    path.write_bytes(bytes(data))
    return path


def cell_at_the_last_cell(path: Path) -> Path:
    """One value at A1 and one at XFD1048576: the reader would allocate the whole grid."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "保单台账"
    wb.active.append(HEADER)
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    return path


def too_many_rows(path: Path) -> Path:
    return _replace_part(
        _register_book(path),
        SHEET,
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>保单号</t></is></c></row>'
            '<row r="2000000"><c r="A2000000"><v>1</v></c></row>'
        ),
    )


def cell_below_its_row(path: Path) -> Path:
    """A cell whose position is far below the row it stands in."""
    return _replace_part(
        _register_book(path),
        SHEET,
        _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>保单号</t></is></c><c r="AAA900000"><v>1</v></c></row>'),
    )


def unplaced_cells(path: Path) -> Path:
    """Cells without a position (r attribute): their place is only implied."""
    return _replace_part(
        _register_book(path), SHEET, _sheet('<row r="1"><c t="inlineStr"><is><t>保单号</t></is></c></row>')
    )


def billion_laughs(path: Path) -> Path:
    return _register_book(path, **{"xl/sharedStrings.xml": LAUGHS.encode()})


def billion_laughs_utf16(path: Path) -> Path:
    return _register_book(
        path, **{"xl/sharedStrings.xml": LAUGHS.replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16")}
    )


def external_entity(path: Path) -> Path:
    return _register_book(path, **{"xl/sharedStrings.xml": XXE.encode()})


def external_link(path: Path) -> Path:
    return _register_book(
        path,
        **{
            "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"/>',
            "xl/externalLinks/_rels/externalLink1.xml.rels": b'<Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>',
        },
    )


def macros(path: Path) -> Path:
    """An .xlsm register with a VBA project (an Auto_Open macro)."""
    return _register_book(
        path,
        **{
            "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Attribute VB_Name = "
            b'"Module1"\r\nSub Auto_Open()\r\nShell "calc.exe"\r\nEnd Sub\r\n'
        },
    )


def embedded_object(path: Path) -> Path:
    return _register_book(path, **{"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1payload"})


def too_many_parts(path: Path) -> Path:
    return _register_book(path, **{f"xl/media/p{k}.bin": b"" for k in range(10_001)})


def not_a_zip(path: Path) -> Path:
    """An old .xls (OLE compound file, also what an encrypted .xlsx is) named .xlsx."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return path


def truncated(path: Path) -> Path:
    data = _register_book(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def wide_csv(path: Path) -> Path:
    path.write_text(",".join(f"c{k}" for k in range(20_000)) + "\n", encoding="utf-8")
    return path


def huge_csv(path: Path) -> Path:
    """A sparse file of 3 GiB: nothing is written to disk."""
    with path.open("wb") as f:
        f.truncate(3 * 2**30)
    return path


def binary_csv(path: Path) -> Path:
    path.write_bytes(b"\x00\xff\xfe garbage \x80\x81")
    return path


def header_in_row_two(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "保单台账"
    wb.active.append(["2026 年保单台账"])
    wb.active.append(HEADER)
    wb.active.append(ROW)
    wb.save(path)
    return path


def truncated_sheet_xml(path: Path) -> Path:
    """A valid zip whose worksheet XML stops in the middle of a row."""
    _register_book(path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read(SHEET)
    return _replace_part(path, SHEET, sheet[: len(sheet) * 2 // 3])


def latin1_sheet(path: Path) -> Path:
    """A worksheet declared ISO-8859-1 holding a Latin-1 byte (what some exporters write)."""
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>保单号</t></is></c></row>'
    xml = _sheet(rows).decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("保单号", "Caf\xe9")
    return _replace_part(_register_book(path), SHEET, xml.encode("latin-1"))


def semicolon_csv(path: Path) -> Path:
    path.write_text(";".join(HEADER) + "\n" + ";".join(map(str, ROW)) + "\n", encoding="utf-8-sig")
    return path


def gbk_csv(path: Path) -> Path:
    path.write_bytes((",".join(HEADER) + "\r\n" + ",".join(map(str, ROW)) + "\r\n").encode("gbk"))
    return path


def uncalculated_formulas(path: Path) -> Path:
    """XlsxWriter formulas for 起保日期 and 终保日期: cached value 0, never calculated."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("保单台账")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ROW)
    start = HEADER.index("起保日期")
    sheet.write_formula(1, start, "=DATE(2025,2,5)")
    sheet.write_formula(1, start + 1, "=EDATE(K2,12)-1")
    book.close()
    return path


# name → (what it is, file name, builder)
FILES: dict[str, tuple[str, str, Callable[[Path], Path]]] = {
    "zip_bomb": ("压缩炸弹: 64 MiB 的工作表压缩约 1000 倍", "bomb.xlsx", zip_bomb),
    "lying_directory": ("压缩包目录谎报解压大小 (共 7.5 GiB)", "lying.xlsx", lying_directory),
    "last_cell": ("A1 与 XFD1048576 两个单元格 (读取器会分配整张表)", "lastcell.xlsx", cell_at_the_last_cell),
    "too_many_rows": ("第 2,000,000 行", "rows.xlsx", too_many_rows),
    "cell_below_row": ("单元格位置 AAA900000 写在第 1 行中", "below.xlsx", cell_below_its_row),
    "unplaced_cells": ("单元格无位置 (r 属性)", "unplaced.xlsx", unplaced_cells),
    "billion_laughs": ("实体扩展 (billion laughs) 于 sharedStrings.xml", "laughs.xlsx", billion_laughs),
    "billion_laughs_utf16": ("实体扩展, UTF-16 编码", "laughs16.xlsx", billion_laughs_utf16),
    "xxe": ("外部实体 (XXE) 引用 /etc/passwd", "xxe.xlsx", external_entity),
    "external_link": ("外部链接 (externalLinks)", "link.xlsx", external_link),
    "macros": (".xlsm 含 vbaProject.bin (Auto_Open)", "macros.xlsm", macros),
    "embedded_object": ("嵌入 OLE 对象", "ole.xlsx", embedded_object),
    "too_many_parts": ("压缩包含 10,001 个文件", "parts.xlsx", too_many_parts),
    "not_a_zip": (".xls / 加密工作簿改名为 .xlsx", "old.xlsx", not_a_zip),
    "truncated": ("截断一半的 .xlsx", "half.xlsx", truncated),
    "wide_csv": ("CSV 表头 20,000 列", "wide.csv", wide_csv),
    "huge_csv": ("CSV 文件 3 GiB", "huge.csv", huge_csv),
    "binary_csv": ("二进制内容的 .csv", "binary.csv", binary_csv),
    "header_in_row_two": ("表头在第 2 行 (第 1 行是标题)", "title.xlsx", header_in_row_two),
    "truncated_sheet_xml": ("工作表 XML 截断 (zip 完好)", "cut.xlsx", truncated_sheet_xml),
    "latin1_sheet": ("工作表 XML 声明为 ISO-8859-1", "latin1.xlsx", latin1_sheet),
    "semicolon_csv": ("分号分隔的 CSV", "semicolon.csv", semicolon_csv),
    "gbk_csv": ("GBK 编码的 CSV (Excel “CSV (逗号分隔)”)", "gbk.csv", gbk_csv),
    "uncalculated_formulas": ("未计算的公式 (XlsxWriter, 缓存值 0)", "formulas.xlsx", uncalculated_formulas),
}


def outcome(path: Path) -> dict:
    """Read ``path`` as a register: rows read and warnings, or the refusal's message."""
    from renewal_xl.errors import RenewalError
    from renewal_xl.io.register import read_register

    try:
        frame = read_register(path, required=("policy_no",))
    except RenewalError as exc:
        return {"refused": str(exc)}
    return {"rows": len(frame.frame), "warnings": list(frame.warnings)}


MEMORY_LIMIT = 4 * 2**30
TIME_LIMIT = 120  # seconds; the whole batch takes about one


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@functools.cache
def file_outcomes(sliced: bool = False) -> dict[str, dict]:
    """name → outcome of every file of :data:`FILES`, read in a subprocess limited to
    :data:`MEMORY_LIMIT` of address space and :data:`TIME_LIMIT` seconds. ``sliced``: with
    row slices of :data:`TINY_SLICE` bytes, so every worksheet part is left by the
    pre-flight to the slices' read, which scans it as it goes."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, __file__, folder, *(["sliced"] if sliced else [])],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            preexec_fn=_limit_memory,
            env=env,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return {line["name"]: line for line in map(json.loads, done.stdout.splitlines())}


TINY_SLICE = 64  # bytes of sheet XML per slice: any worksheet part is larger


def main(folder: str, sliced: bool = False) -> None:
    root = Path(folder)
    left: list[str] = []  # the worksheet parts the pre-flight left to the slices' read
    if sliced:
        from renewal_xl.io import arrow_sheet, register, safety

        arrow_sheet.SLICE_BYTES = register.SLICE_BYTES = TINY_SLICE
        check = safety._check_workbook

        def spy(path, leave_above):
            found = check(path, leave_above)
            left.extend(sorted(found[1]))
            return found

        safety._check_workbook = spy
    for name, (_, file_name, build) in FILES.items():
        left.clear()
        got = outcome(build(root / file_name))
        print(json.dumps({"name": name, **got, **({"left": left} if sliced else {})}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(sys.argv[1], sliced=sys.argv[2:] == ["sliced"])
