"""No data lost (issue 8): every write is atomic and keeps the previous file; a run killed
mid-write leaves the input and the previous output intact, and its hidden temporary file
is removed by the next write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from registers import D, policy

from renewal_xl.columns import REGISTER
from renewal_xl.errors import SourceError
from renewal_xl.io.atomic import atomic_path, backup_path, check_not_input, remove_stale_temporaries

KILL_TIMEOUT = 120  # seconds; a generous guard, the run takes a few


def test_success_keeps_the_previous_file_as_backup(tmp_path):
    target = tmp_path / "out.xlsx"
    with atomic_path(target) as temp:
        temp.write_bytes(b"first")
    assert sorted(os.listdir(tmp_path)) == ["out.xlsx"]
    with atomic_path(target) as temp:
        temp.write_bytes(b"second")
    with atomic_path(target) as temp:
        temp.write_bytes(b"third")
    assert target.read_bytes() == b"third" and backup_path(target).read_bytes() == b"second"
    assert sorted(os.listdir(tmp_path)) == ["out.bak.xlsx", "out.xlsx"]


def test_a_failure_leaves_the_target_and_no_temporary(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old" and sorted(os.listdir(tmp_path)) == ["out.xlsx"]


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    stale = tmp_path / f".out.xlsx.{dead}.abcd1234.tmp"
    live = tmp_path / f".out.xlsx.{os.getpid()}.abcd1234.tmp"  # a run still writing: left alone
    other = tmp_path / f".other.xlsx.{dead}.abcd1234.tmp"  # another target's: left alone
    for p in (stale, live, other):
        p.write_bytes(b"partial")
    assert remove_stale_temporaries(tmp_path / "out.xlsx") == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


def test_an_input_is_never_the_output_nor_its_backup(tmp_path):
    with pytest.raises(SourceError, match="输出文件不能与输入文件相同"):
        check_not_input(tmp_path / "r.xlsx", [tmp_path / "r.xlsx"])
    with pytest.raises(SourceError, match="输入文件 r.bak.xlsx 是该输出的备份文件名"):
        check_not_input(tmp_path / "r.xlsx", [tmp_path / "r.bak.xlsx"])


def _big_register(path: Path, rows: int) -> Path:
    one = [policy(f"P{k:06d}", k, D(2025, 2, 5) + pd.Timedelta(days=k % 300)) for k in range(rows)]
    pd.DataFrame(one, columns=list(REGISTER)).rename(columns=REGISTER).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _price(register: Path, out: Path) -> subprocess.Popen:
    # XlsxWriter streams the workbook into its temporary file, which gives the test a moment
    # to kill the run in mid-write; the Rust writer (large reports) writes it at once at the
    # end, through the same atomic_path
    env = {**os.environ, "RENEWAL_XL_WRITER": "xlsxwriter"}
    return subprocess.Popen(
        [sys.executable, "-m", "renewal_xl.cli", "price", str(register), "--as-of", "2026-01-20", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


@pytest.mark.parametrize("moment", ["while the new file is written", "before the new file is started"])
def test_a_run_killed_mid_write_loses_nothing(tmp_path, moment):
    register = _big_register(tmp_path / "register.csv", 5000)
    out = tmp_path / "price.xlsx"
    out.write_bytes(b"last month's report")
    before = register.read_bytes()
    run = _price(register, out)
    deadline = time.monotonic() + KILL_TIMEOUT
    try:
        if moment == "while the new file is written":
            # the hidden temporary file appears when openpyxl starts zipping the workbook
            while not any(p.stat().st_size > 0 for p in _temporaries(tmp_path) if p.exists()):
                assert run.poll() is None, "the run ended before it was killed"
                assert time.monotonic() < deadline
                time.sleep(0.002)
        else:
            time.sleep(0.5)  # still starting or reading: whenever it is killed, the rules hold
            assert run.poll() is None
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=KILL_TIMEOUT)
    assert run.returncode == -signal.SIGKILL
    assert register.read_bytes() == before
    assert out.read_bytes() == b"last month's report"
    left = _temporaries(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"register.csv", "price.xlsx", *(p.name for p in left)}
    assert len(left) <= 1  # hidden (.price.xlsx.<pid>.….tmp), never under the output's name
    # the next run completes, keeps the previous output and removes the dead run's file
    again = _price(register, out)
    assert again.wait(timeout=KILL_TIMEOUT) == 0, again.stderr.read().decode()
    assert sorted(os.listdir(tmp_path)) == ["price.bak.xlsx", "price.xlsx", "register.csv"]
    assert backup_path(out).read_bytes() == b"last month's report"
    assert out.read_bytes()[:2] == b"PK"


def test_macros_never_overwrite_a_users_sheet_and_keep_the_previous_workbook(tmp_path):
    """Every report sheet name (and a numbered one) already taken by a sheet of the user:
    after two runs of every macro their cells are as the user left them."""
    import datetime as dt

    import openpyxl

    from renewal_xl.app import macros
    from renewal_xl.render.openpyxl_book import OpenpyxlBook

    names = [
        "续保清单",
        "续保清单(2)",
        "续保-王芳",
        "续保汇总",
        "续保通知",
        "续保分析",
        "数据质量",
        "手续费结算",
        "绩效提取",
        "年度绩效",
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(list(REGISTER.values()))
    for k in range(1, 4):
        ws.append([None if v in ("", None) else v for v in policy(f"P{k}", k, D(2025, 2, 5)).values()])
    for name in names:
        wb.create_sheet(name)["A1"] = f"用户的 {name}"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    for _ in range(2):
        for macro in (
            macros.generate_renewal_list,
            macros.monthly_review,
            macros.check_data,
            macros.commission_statement,
            macros.renewal_progress,
        ):
            book = OpenpyxlBook(path)
            macro(book, dt.date(2026, 1, 20))
            book.save()
    saved = openpyxl.load_workbook(path)
    assert [saved[name]["A1"].value for name in names] == [f"用户的 {name}" for name in names]
    assert all(saved[name].max_row == 1 and saved[name].max_column == 1 for name in names)
    assert {"续保清单(3)", "续保分析(2)", "数据质量(2)"} <= set(saved.sheetnames)
    # 12 report sheets (续保清单 with 打印清单 …); reruns reuse their sheets
    assert len(saved.sheetnames) == len(set(saved.sheetnames)) == 1 + len(names) + 12
    assert sorted(os.listdir(tmp_path)) == ["book.bak.xlsx", "book.xlsx"]  # the workbook before the last save
