"""The command line (excel-contract §4): outputs, exit codes, Chinese errors, atomic writes."""

import gc
import os

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from registers import D, policy

from renewal_xl.cli.main import main
from renewal_xl.columns import REGISTER, TRACKING


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_csv(path, *rows):
    frame = pd.DataFrame(list(rows), columns=list(REGISTER)).rename(columns=REGISTER)
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def rows():
    return [
        policy("P1", 1, D(2025, 2, 5), salesperson="张伟", phone="13812341234"),
        policy("P2", 2, D(2025, 2, 10), salesperson="王芳", channel="专业代理", agency="AG001"),
        policy("P2R", 2, D(2026, 2, 10), salesperson="王芳", channel="专业代理", agency="AG001"),
        policy("P3", 3, D(2025, 1, 20), salesperson="张伟"),
    ]


@pytest.fixture
def csv(tmp_path):
    return write_csv(tmp_path / "register.csv", *rows())


def sheets(path):
    return openpyxl.load_workbook(path).sheetnames


def test_renewals(csv, tmp_path):
    out = tmp_path / "list.xlsx"
    result = invoke("renewals", csv, "--as-of", "2026-01-20", "--mask-phones", "--hotline", "95500", "-o", out)
    assert result.exit_code == 0, result.output
    assert "续保清单 2026-02-01 至 2026-02-28: 应续 1 件, 已提前续保 1 件, 报价失败 0 件" in result.stdout
    assert sheets(out) == ["续保清单", "打印清单", "续保-张伟", "续保汇总", "续保通知", "续保方案"]
    ws = openpyxl.load_workbook(out)["续保清单"]
    values = [c.value for c in ws[5]] + [c.value for c in ws[6]]
    assert "P1" in values and "138****1234" in values


def test_renewals_days_window(csv, tmp_path):
    out = tmp_path / "list.xlsx"
    assert invoke("renewals", csv, "--as-of", "2026-01-10", "--days", "10", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["续保清单"]
    assert ws["B6"].value == "P3"  # ends 2026-01-19 (row 5 holds the headers)


def test_review_with_tracking_file(csv, tmp_path):
    tracking = tmp_path / "track.csv"
    pd.DataFrame([["P3", "未续保", "价格", "平安产险", "", ""]], columns=list(TRACKING.values())).to_csv(
        tracking, index=False
    )
    out = tmp_path / "review.xlsx"
    result = invoke("review", csv, "--month", "2026-01", "--tracking", tracking, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2026-01 续保分析: 应续 1 件, 实续 0 件")
    ws = openpyxl.load_workbook(out)["续保分析"]
    assert len(ws._charts) == 2
    assert "价格" in [c.value for row in ws.iter_rows() for c in row]


def test_price_and_statements(csv, tmp_path):
    out = tmp_path / "price.xlsx"
    assert invoke("price", csv, "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["续保报价"]
    header = [c.value for c in ws[3]]
    assert header[:2] == ["保单号", "车架号"] and {"续保报价", "代金券", "车损", "不计免赔", "报价说明"} <= set(header)
    out = tmp_path / "st.xlsx"
    result = invoke("statements", csv, "--month", "2026-02", "--target", "1", "-o", out)
    assert result.exit_code == 0, result.output
    assert sheets(out) == ["手续费结算", "绩效提取"]


def test_check_exit_codes(csv, tmp_path):
    result = invoke("check", csv)
    assert result.exit_code == 0 and "未发现问题" in result.stdout
    bad = write_csv(tmp_path / "bad.csv", *rows(), policy("P4", 4, D(2025, 3, 1), vin="LSVAU2180N0000004"))
    out = tmp_path / "check.xlsx"
    result = invoke("check", bad, "-o", out)
    assert result.exit_code == 1
    assert "第 6 行 P4 车架号=LSVAU2180N0000004: 校验位应为" in result.stdout
    assert sheets(out) == ["数据质量"]


def test_missing_columns_exit_2_with_a_chinese_line(tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame({"保单号": ["P1"]}).to_csv(path, index=False)
    result = invoke("renewals", path, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误: 文件 r.csv: 缺少必填列: 车架号(vin) 车牌号(plate)")
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize(
    "args, text",
    [
        (["--month", "2026-13"], "错误: 月份 month=2026-13: 须为 YYYY-MM 格式的月份"),
        (["--month", "2026-02", "--days", "5"], "用法错误: --month 与 --days 只能选一个"),
        (["--as-of", "yesterday"], "错误: 基准日期 as_of=yesterday: 须为日期"),
    ],
)
def test_usage_errors_exit_2(csv, tmp_path, args, text):
    result = invoke("renewals", csv, *args, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and result.stderr.startswith(text)


def test_missing_option_is_a_usage_error(csv):
    result = invoke("review", csv, "-o", "x.xlsx")
    assert result.exit_code == 2 and result.stderr.startswith("用法错误: 缺少选项 '--month'")


def test_output_may_not_be_the_input(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "保单台账"
    wb.active.append(list(REGISTER.values()))
    path = tmp_path / "r.xlsx"
    wb.save(path)
    before = path.read_bytes()
    result = invoke("price", path, "-o", path)
    assert result.exit_code == 2 and "输出文件不能与输入文件相同" in result.stderr
    assert path.read_bytes() == before


def test_a_failed_write_leaves_no_partial_file_and_keeps_the_old_one(csv, tmp_path, monkeypatch):
    import xlsxwriter

    out = tmp_path / "list.xlsx"
    out.write_bytes(b"old content")

    def broken_close(self):
        with open(self.filename, "wb") as f:
            f.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    result = invoke("renewals", csv, "--as-of", "2026-01-20", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == "错误: 文件读写失败, 未生成输出 (disk full)\n"
    assert out.read_bytes() == b"old content"
    assert sorted(os.listdir(tmp_path)) == ["list.xlsx", "register.csv"]
    monkeypatch.undo()
    gc.collect()  # the abandoned writer's temporary files go here


def test_xlsx_register_and_its_tracking_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "保单台账"
    ws.append(list(REGISTER.values()))
    for row in rows():
        ws.append([None if row[k] == "" else row[k] for k in REGISTER])
    track = wb.create_sheet("续保跟踪")
    track.append(list(TRACKING.values()))
    track.append(["P3", "未续保", "停驶"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    out = tmp_path / "review.xlsx"
    result = invoke("review", path, "--month", "2026-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert "停驶" in [c.value for row in openpyxl.load_workbook(out)["续保分析"].iter_rows() for c in row]


def test_demo_end_to_end(tmp_path):
    out = tmp_path / "demo"
    result = invoke("demo", "--out", out, "--policies", "400", "--as-of", "2026-05-20")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == [
        "check.xlsx",
        "mix.xlsx",
        "price.xlsx",
        "progress.xlsx",
        "register.xlsx",
        "renewals.xlsx",
        "review.xlsx",
        "statements.xlsx",
        "year.xlsx",
    ]
    register_book = openpyxl.load_workbook(out / "register.xlsx")
    assert register_book.sheetnames == ["保单台账", "续保跟踪", "目标"]
    assert [c.value for c in register_book["保单台账"][1]] == list(REGISTER.values())
    assert register_book["保单台账"].max_row == 401
    renewals = openpyxl.load_workbook(out / "renewals.xlsx")
    assert renewals.sheetnames[0] == "续保清单" and renewals.sheetnames[-3:] == ["续保汇总", "续保通知", "续保方案"]
    assert any(n.startswith("续保-") for n in renewals.sheetnames)
    assert [c.value for c in renewals["续保清单"][5]][:3] == ["优先级", "保单号", "终保日期"]
    review = openpyxl.load_workbook(out / "review.xlsx")["续保分析"]
    # 2026-04 of 400 policies: 7 due, 6 renewed, 1 待核实, no 脱保: the lapse-reason pie has
    # nothing to plot and is left out; the renewal-rate bar stays
    assert len(review._charts) == 1
    assert {"手续费结算", "绩效提取"} == set(openpyxl.load_workbook(out / "statements.xlsx").sheetnames)
    assert openpyxl.load_workbook(out / "check.xlsx").sheetnames == ["数据质量"]
    assert len(openpyxl.load_workbook(out / "year.xlsx")["年度绩效"]._charts) == 1
    assert len(openpyxl.load_workbook(out / "mix.xlsx")["业务结构"]._charts) == 5
    # 400 rows: one planted mistake of each of the 4 kinds and a duplicate policy; the check finds them all
    assert "样例台账中故意写入了 5 处常见录入错误" in result.output and "发现 5 个问题" in result.output
    again = tmp_path / "again"
    invoke("demo", "--out", again, "--policies", "400", "--as-of", "2026-05-20")
    first = pd.read_excel(out / "register.xlsx", sheet_name="保单台账", engine="calamine")
    assert first.equals(pd.read_excel(again / "register.xlsx", sheet_name="保单台账", engine="calamine"))  # fixed seed


def test_the_entry_point_gives_idle_thread_pools_one_thread_unless_told(monkeypatch):
    """OpenBLAS and rayon spin a worker per core while the command computes on one thread;
    the program's entry point sets their size to 1 before numpy loads, a user's own setting kept."""
    import sys

    from renewal_xl.cli import entry

    seen = {}
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("RAYON_NUM_THREADS", "2")
    monkeypatch.setattr(sys.modules["renewal_xl.cli.main"], "main", lambda: seen.update(os.environ))
    entry.run()
    assert (seen["OPENBLAS_NUM_THREADS"], seen["RAYON_NUM_THREADS"]) == ("1", "2")


def test_python_m_renewal_xl_cli_runs_the_entry_point_before_numpy_loads():
    """``python -m renewal_xl.cli`` is the program: its entry point (the pools' size, the
    Ctrl-C line) is in place before numpy is imported (``-X importtime`` lists each module as
    its import ends)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "renewal_xl.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert done.returncode == 0 and done.stdout.startswith("用法: "), done.stderr[-2000:]
    assert loaded.index("renewal_xl.cli.entry") < loaded.index("numpy")
