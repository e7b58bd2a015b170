"""The register travels as a typed :class:`~renewal_xl.io.register.Register`, never as a
DataFrame carrying ``attrs`` (issue 11): what reading found (origin, header row, warnings,
columns the file lacked) is a named field, and no module of the package reads ``.attrs``."""

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from registers import vin

from renewal_xl.app import jobs
from renewal_xl.columns import REGISTER
from renewal_xl.io.register import REGISTER_REQUIRED, Register, read_register

PACKAGE = Path(__file__).resolve().parents[1] / "renewal_xl"


def attrs_uses(source: str) -> list[int]:
    """Line numbers of every ``<expr>.attrs`` in ``source``."""
    return [n.lineno for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute) and n.attr == "attrs"]


def test_no_module_reads_dataframe_attrs():
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := attrs_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_guard_can_fail():
    assert attrs_uses("frame.attrs['warnings'] = []\nx = f(frame).attrs.get('origin')") == [1, 2]
    assert attrs_uses("attrs = dict(pairs)") == []  # a local name is not the DataFrame attribute


def _title_register(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(["2026年11月 台账"])
    ws.append([])
    ws.append(["保单号", "车架号", "起保日期", "终保日期"])
    ws.append(["P1", vin(1), "2025-03-01", "2026-02-28"])
    ws.append(["P2", vin(2), "2025-03-02", "2026-03-01"])
    wb.save(path)
    return path


def test_read_register_returns_what_reading_found(tmp_path):
    read = read_register(_title_register(tmp_path / "r.xlsx"), required=("policy_no", "vin"))
    assert isinstance(read, Register)
    assert read.origin == "文件 r.xlsx 工作表 保单台账"
    assert read.header_row == 3
    assert read.warnings == ("表头在第 3 行 (上方 2 行为标题, 已跳过)",)
    assert read.frame.index.tolist() == [4, 5]  # the sheet's rows under a header on row 3
    assert read.frame["policy_no"].tolist() == ["P1", "P2"]
    assert "premium" in read.added_columns and "vin" not in read.added_columns
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.header_row = 1  # type: ignore[misc]


def test_check_reads_the_columns_the_file_lacked_from_the_register(tmp_path):
    read = read_register(_title_register(tmp_path / "r.xlsx"), required=("policy_no", "vin"))
    outcome = jobs.check(read, dt.date(2026, 1, 1))
    problems = outcome.report.sheets[0].tables[0].frame
    lacking = [REGISTER[k] for k in REGISTER_REQUIRED if k not in ("policy_no", "vin", "start_date", "end_date")]
    # one 缺少必填列 per required column the file lacks (17 of the 21), none for its rows
    assert problems["列"].tolist() == lacking and set(problems["问题"]) == {"缺少必填列"}
    assert outcome.messages == [f"检查 2 行: 发现 {len(lacking)} 个问题"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_job_reads_only_the_register_columns_price_keeps_the_users_own(tmp_path, suffix):
    rows = [
        ["保单号", "我的备注", "车架号", "起保日期", "终保日期"],
        ["P1", "老客户", vin(1), "2025-03-01", "2026-02-28"],
    ]
    path = tmp_path / f"r{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        wb.active.title = "保单台账"
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    everything = read_register(path, required=("policy_no",))
    needed = read_register(path, required=("policy_no",), own_columns=False)
    assert "我的备注" in everything.frame.columns and everything.frame.loc[2, "我的备注"] == "老客户"
    assert list(needed.frame.columns) == [c for c in everything.frame.columns if c != "我的备注"]
    # the same cells (a job's columns may be Arrow-backed: tests/test_arrow_readers.py)
    assert needed.frame.astype(object).equals(everything.frame.drop(columns="我的备注").astype(object))
