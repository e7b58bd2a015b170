"""Registers as offices produce them (issue 13): one register written eight ways gives the
same due list, quotes and commissions, and every failure path is one Chinese line with
its documented exit code."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from click.testing import CliRunner
from registers import policy, register

from renewal_xl.app import jobs
from renewal_xl.columns import REGISTER
from renewal_xl.errors import SourceError
from renewal_xl.folding import fold
from renewal_xl.io.register import Register, read_register
from renewal_xl.render.xlsx_writer import write_report
from renewal_xl.spreadsheet import functions
from renewal_xl.workflow.due import Window

D = dt.date
AS_OF = D(2026, 1, 20)
DUE = Window(D(2026, 2, 1), D(2026, 2, 28))
STARTED = Window(D(2025, 2, 1), D(2025, 2, 28))


def _rows() -> list[dict]:
    """Six policies started in February 2025 (due in February 2026): agency and direct
    business, a coverage list, a VIP."""
    return [
        policy("P001", 1, D(2025, 2, 5), agency="AG001", channel="专业代理", premium=3253.15),
        policy("P002", 2, D(2025, 2, 10), agency="AG002", channel="AGENCY", premium=4100.0, coverage="车损+三者:20万"),
        policy("P003", 3, D(2025, 2, 15), premium=2890.5, vip="是", customer_type="企业"),
        policy("P004", 4, D(2025, 2, 20), agency="AG001", channel="专业代理", premium=5000.0, claims=1),
        policy("P005", 5, D(2025, 2, 25), premium=3600.0, new_car_price=127900),
        policy("P006", 6, D(2025, 2, 27), agency="AG003", channel="兼业代理", premium=2200.0, claim_free_years=0),
    ]


def _cells(rows: list[dict], change=lambda key, value: value) -> list[list]:
    return [[change(key, r[key]) for key in REGISTER] for r in rows]


def _date_text(key, value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _xlsx(path: Path, header: list[str], body: list[list], above: list[list] = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    for row in (*above, header, *body):
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path, header: list[str], body: list[list], encoding: str) -> Path:
    frame = pd.DataFrame(body, columns=header)
    path.write_bytes(frame.to_csv(index=False, lineterminator="\r\n").encode(encoding))
    return path


_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def _wide(value):
    text = value.isoformat() if isinstance(value, dt.date) else "" if value is None else str(value)
    return "".join(_WIDE.get(ch, ch) for ch in text)


def _yyyymmdd(key, value):
    return int(value.strftime("%Y%m%d")) if isinstance(value, dt.date) else value


def _lower(key, value):
    if key == "agency" and value:
        return value.lower()
    if key == "channel":
        return {"专业代理": "agency", "AGENCY": "agency", "兼业代理": "dealer"}.get(value, value)
    if key == "customer_type":
        return value
    return value


def _written(kind: str, tmp: Path) -> Path:
    rows = _rows()
    zh = list(REGISTER.values())
    if kind == "clean xlsx":
        return _xlsx(tmp / "r.xlsx", zh, _cells(rows))
    if kind == "GB18030 CSV":
        return _csv(tmp / "r.csv", zh, _cells(rows, _date_text), "gb18030")
    if kind == "BOM CSV":
        return _csv(tmp / "r.csv", list(REGISTER), _cells(rows, _date_text), "utf-8-sig")
    if kind == "title rows":
        return _xlsx(tmp / "r.xlsx", zh, _cells(rows), above=[["2025年2月 保单台账"], ["制表: 业务部"], []])
    if kind == "full-width text":
        wide = [
            [_wide(v) if k not in ("customer", "salesperson") else v for k, v in zip(REGISTER, r)] for r in _cells(rows)
        ]
        return _xlsx(tmp / "r.xlsx", [_wide(h) for h in zh], wide)
    if kind == "lower-case codes":
        return _csv(tmp / "r.csv", zh, _cells(rows, lambda k, v: _lower(k, _date_text(k, v))), "utf-8")
    if kind == "20251205 dates":
        path = _xlsx(tmp / "r.xlsx", zh, _cells(rows, _yyyymmdd))
        return path
    if kind == "20251205 dates as text":
        return _csv(
            tmp / "r.csv", zh, _cells(rows, lambda k, v: str(_yyyymmdd(k, v)) if isinstance(v, dt.date) else v), "utf-8"
        )
    if kind == "price output":
        clean = read_register(_xlsx(tmp / "clean.xlsx", zh, _cells(rows)))
        path = tmp / "price.xlsx"
        write_report(jobs.price(clean, AS_OF).report, path)
        return path
    raise AssertionError(kind)


KINDS = [
    "clean xlsx",
    "GB18030 CSV",
    "BOM CSV",
    "title rows",
    "full-width text",
    "lower-case codes",
    "20251205 dates",
    "20251205 dates as text",
    "price output",
]


def _results(reg: Register) -> dict:
    """What a user gets: the due list, the quotes and the commissions, row numbers left out
    (title rows move them)."""
    out = {}
    for name, outcome in (
        ("renewals", jobs.renewals(reg, AS_OF, DUE, hotline="95500")),
        ("price", jobs.price(reg, AS_OF)),
        ("statements", jobs.statement(reg, STARTED)),
    ):
        out[name + " messages"] = outcome.messages
        for sheet in outcome.report.sheets:
            for k, table in enumerate(sheet.tables):
                # the price sheet repeats the register's cells as each file holds them (150000 or
                # "150000"): compared are the columns it computes
                echoed = {"行号", *REGISTER.values()} if name == "price" else {"行号"}
                frame = table.frame.drop(columns=[c for c in table.frame.columns if c in echoed])
                out[f"{name}/{sheet.name}/{k}"] = frame.astype(str).to_numpy().tolist()
    return out


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict:
    return _results(register(*_rows()))


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_register_written_as_offices_do_gives_the_same_results(kind, expected, tmp_path):
    reg = read_register(_written(kind, tmp_path))
    got = _results(reg)
    assert got.keys() == expected.keys()
    price_only = {"price output"}  # its extra columns (续保报价 …) are not register columns and are dropped
    for key in expected:
        if kind in price_only and key.startswith("price/"):
            continue
        assert got[key] == expected[key], (kind, key)


def test_the_reference_register_has_real_money():
    results = _results(register(*_rows()))
    # commission, all new business (manual §8, agency rates override the channel's):
    # P001 AG001 3253.15 × 13% = 422.9095 → 422.91; P002 AG002 4100 × 11% = 451.00;
    # P004 AG001 5000 × 13% = 650.00; P006 兼业代理 2200 × 15% = 330.00; total 1,853.91
    assert results["statements messages"][0].startswith("2025-02 结算: 6 份保单, 手续费合计 1,853.91 元")
    assert results["renewals messages"][0].startswith("续保清单 2026-02-01 至 2026-02-28: 应续 6 件")


def test_lower_case_agency_pays_as_upper_case():
    # COMMISSION_RATE of an agency with its own rate (agency_commission.csv): AG001 renewals of 专业代理 15%,
    # where the channel's own renewal rate is 14%
    rate = functions.commission_rate
    assert rate("专业代理", True, "AG001", today=AS_OF) == Decimal("0.15")
    assert rate("专业代理", True, "ag001", today=AS_OF) == Decimal("0.15")
    assert rate("专业代理", True, "ＡＧ００１", today=AS_OF) == Decimal("0.15")
    assert rate("专业代理", True, "", today=AS_OF) == Decimal("0.14")


def test_full_width_folding_is_limited_to_width_forms():
    assert fold("车损＋三者：２０万") == "车损+三者:20万"
    assert fold("①号 ㎡") == "①号 ㎡"  # NFKC would rewrite these; they are not width forms


def _one_row_register(tmp: Path, change) -> Path:
    rows = [policy(f"P{k}", k, D(2025, 2, k)) for k in range(1, 5)]
    return _csv(tmp / "r.csv", list(REGISTER.values()), _cells(rows, change), "utf-8")


def test_ambiguous_dates_stop_the_run_naming_the_column(tmp_path):
    path = _one_row_register(tmp_path, lambda k, v: v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v)
    with pytest.raises(SourceError) as info:
        jobs.renewals(read_register(path), AS_OF, DUE)
    assert str(info.value) == (
        "文件 r.csv: 列 起保日期(start_date) 在 4/4 行无法使用, 如第 2 行 01/02/2025: "
        "须写成 年-月-日, 如 2025-12-05 (日/月/年 与 月/日/年 随 Excel 地区设置而异, 不予猜测)"
    )


def test_unusable_column_in_most_rows_exits_2_with_one_line(tmp_path):
    path = _one_row_register(tmp_path, lambda k, v: "待定" if k == "end_date" else _date_text(k, v))
    result = CliRunner().invoke(
        __import__("renewal_xl.cli.main", fromlist=["main"]).main,
        ["renewals", str(path), "--as-of", "2026-01-20", "-o", str(tmp_path / "out.xlsx")],
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "错误: 文件 r.csv: 列 终保日期(end_date) 在 4/4 行无法使用, 如第 2 行 待定: 不是有效日期 (如 2026-01-31 或 Excel 日期)"
    ]
    assert not (tmp_path / "out.xlsx").exists()


def test_uncalculated_formulas_without_cached_values_are_refused(tmp_path):
    rows = _cells([policy("P1", 1, D(2025, 2, 5))])
    path = _xlsx(tmp_path / "r.xlsx", list(REGISTER.values()), rows)
    wb = openpyxl.load_workbook(path)
    wb["保单台账"]["M2"] = "=3000+253.15"  # 保费 as a formula openpyxl writes without a value
    wb.save(path)
    with pytest.raises(SourceError, match=r"列 保费 \(M 列\) 是未计算的公式 \(如 M2: 缓存值 无\)"):
        read_register(path)


def test_calculated_formulas_are_read(tmp_path):
    """A formula with a real cached value, in a workbook not flagged fullCalcOnLoad, is data."""
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("保单台账")
    sheet.write_row(0, 0, list(REGISTER.values()))
    sheet.write_row(1, 0, _cells([policy("P1", 1, D(2025, 2, 5))], _date_text)[0])
    sheet.write_formula(1, 12, "=3000+253.15", None, 3253.15)
    book.set_calc_mode("auto")
    book.close()
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert read_register(path).frame.loc[2, "premium"] == 3253.15


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from renewal_xl.cli.entry import run; run()", *args],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard only: on a loaded 2-core machine a cold start can take minutes
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def clean_register(tmp_path) -> Path:
    return _xlsx(tmp_path / "r.xlsx", list(REGISTER.values()), _cells(_rows()))


def test_disk_full_and_no_permission_are_one_line_exit_1(clean_register, tmp_path, monkeypatch):
    from renewal_xl.cli.main import main

    def full(*args, **kwargs):
        raise xlsxwriter.exceptions.FileCreateError(OSError(errno.ENOSPC, "No space left on device", "out.xlsx"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full)
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["price", str(clean_register), "--as-of", "2026-01-20", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == "错误: 磁盘空间不足, 未生成输出: out.xlsx (No space left on device)\n"
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    # no permission: as root (CI) the mode of a folder is not enforced, so the refusal the
    # operating system gives an ordinary user is raised where the output file is created
    import renewal_xl.io.atomic as atomic

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "locked" / "o.xlsx"))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    result = CliRunner().invoke(main, ["price", str(clean_register), "--as-of", "2026-01-20", "-o", str(out)])
    assert result.exit_code == 1 and result.stderr.startswith("错误: 没有权限, 未生成输出"), result.stderr


def test_interrupt_is_one_line_exit_130(clean_register, tmp_path, monkeypatch):
    from renewal_xl.cli.main import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(jobs, "price", interrupted)
    result = CliRunner().invoke(main, ["price", str(clean_register), "-o", str(tmp_path / "o.xlsx")])
    assert (result.exit_code, result.stderr) == (130, "已中断 (Ctrl-C), 未生成输出\n")


def test_interrupt_while_the_modules_load_is_one_line_exit_130(tmp_path):
    """SIGINT in the first moment: the entry point is in place before pandas loads."""
    code = (
        "import os, signal, sys, builtins\n"
        "real = builtins.__import__\n"
        "def slow(name, *a, **k):\n"
        "    if name == 'pandas': os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = slow\n"
        "from renewal_xl.cli.entry import run\n"
        "sys.argv = ['renewal-xl', '--help']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (130, "已中断 (Ctrl-C), 未生成输出\n")


def test_tariff_paths_as_documented(clean_register, tmp_path):
    from renewal_xl.tariff.catalogue import BUILTIN

    data = Path(__file__).parent / "data" / "tariffs"
    ok = _cli(
        "--tariff",
        f"{data / 'v2026'}{os.pathsep}{BUILTIN}",
        "price",
        str(clean_register),
        "--as-of",
        "2026-01-20",
        "-o",
        str(tmp_path / "p.xlsx"),
    )
    assert ok.returncode == 0, ok.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _cli("--tariff", str(empty), "price", str(clean_register), "-o", str(tmp_path / "q.xlsx"))
    assert done.returncode == 2 and "文件夹中没有费率表" in done.stderr and len(done.stderr.splitlines()) == 1
    (empty / "t.xlsx").write_bytes(b"")
    done = _cli("--tariff", str(empty), "price", str(clean_register), "-o", str(tmp_path / "q.xlsx"))
    assert done.returncode == 2 and "文件夹中只有工作簿 t.xlsx" in done.stderr
    book = tmp_path / "t.xlsx"
    book.write_bytes(b"PK")
    done = _cli("--tariff", str(book), "price", str(clean_register), "-o", str(book))
    assert done.returncode == 2 and "输出文件不能与输入文件相同" in done.stderr
    assert book.read_bytes() == b"PK"


def test_gbk_tariff_csv_is_read(tmp_path):
    import shutil

    from renewal_xl.tariff.catalogue import load_tariff

    source = Path(__file__).parent / "data" / "tariffs" / "v2026"
    copy = tmp_path / "v2026"
    shutil.copytree(source, copy)
    for p in copy.glob("*.csv"):
        p.write_bytes(p.read_text(encoding="utf-8-sig").encode("gb18030"))
    gbk, utf8 = load_tariff(copy), load_tariff(source)
    assert (gbk.id, gbk.channels, gbk.agency_rates) == (utf8.id, utf8.channels, utf8.agency_rates)
    assert "专业代理" in {c.name_zh for c in gbk.channels.values()}


def test_recalc_runs_libreoffice_without_a_foreign_python(monkeypatch, tmp_path):
    from renewal_xl.calc.office import office_env

    fake = tmp_path / "pyenv" / "shims"
    fake.mkdir(parents=True)
    (fake / "python3").write_text("#!/bin/sh\n")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}/usr/bin")
    monkeypatch.setenv("PYTHONHOME", "/opt/conda")
    monkeypatch.setenv("PYTHONPATH", "/opt/conda/lib")
    monkeypatch.setenv("CONDA_PREFIX", "/opt/conda")
    env = office_env()
    assert not {"PYTHONHOME", "PYTHONPATH", "CONDA_PREFIX"} & set(env)
    assert str(fake) not in env["PATH"].split(os.pathsep) and "/usr/bin" in env["PATH"].split(os.pathsep)


def test_a_sheet_declared_iso_8859_1_is_read_by_recalc(tmp_path):
    import zipfile

    import hostile_files

    from renewal_xl.calc.formulas import to_addin
    from renewal_xl.calc.recalc import rewrite_xlsx

    path = hostile_files.latin1_sheet(tmp_path / "latin1.xlsx")
    out = tmp_path / "o.xlsx"
    rewrite_xlsx(path, out, to_addin)
    with zipfile.ZipFile(out) as z:
        text = z.read(hostile_files.SHEET).decode("utf-8")
    assert "Café" in text and 'encoding="UTF-8"' in text
