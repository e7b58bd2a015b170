"""The benchmark harness runs (tiny sizes): every requested target prints its row with a
baseline and a ratio. Timings are not asserted here; bench/README.md records them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str) -> list[str]:
    """The table rows ``bench/run.py ARGS`` prints (exit 1: a target not met at a tiny size)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *args], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert result.returncode in (0, 1), result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("| ") and "×" in line]


def test_bench_prints_targets_with_baselines_and_ratios():
    rows = _bench("--scale", "0.0001", "--repeat", "1", "--only", "pricing,udf")
    assert len(rows) == 2, rows
    assert rows[0].startswith("| pricing ") and "bare numpy kernel" in rows[0]
    assert rows[1].startswith("| array UDF ") and "scalar RENEWAL_PREMIUM" in rows[1]


def test_a_command_and_its_floor_take_turns_each_in_its_own_process():
    rows = _bench("--scale", "0.001", "--repeat", "2", "--only", "price-floor")
    assert len(rows) == 1 and rows[0].startswith("| renewal-xl price on 100 rows"), rows
    assert "rounds " in rows[0] and "floor " in rows[0] and " read " in rows[0]
