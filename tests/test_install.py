"""``renewal-xl install``: explains and exits 2 off Windows; on Windows (simulated) runs
``xlwings addin install`` and writes the xlwings config."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from click.testing import CliRunner

from renewal_xl.cli.install import XLWINGS_VERSION, install, udfs_root, write_config
from renewal_xl.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def test_off_windows_it_explains_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["install"])
    assert result.exit_code == 2
    assert "renewal-xl install 只能在 Windows 上为 Excel 安装" in result.output
    assert '"UDF Modules","udfs"' in result.output and f'"Interpreter_Win","{sys.executable}"' in result.output
    assert "xlwings.cli addin install" in result.output and "Import Functions" in result.output
    assert "本机未做任何改动" in result.output
    assert not (tmp_path / ".xlwings").exists()


class Runner:
    def __init__(self, returncode: int = 0):
        self.calls: list[list[str]] = []
        self.returncode = returncode

    def __call__(self, command):
        self.calls.append(command)
        return subprocess.CompletedProcess(command, self.returncode)


def windows(tmp_path, run, version=XLWINGS_VERSION, out=None):
    out = [] if out is None else out
    code = install(platform="win32", run=run, echo=out.append, home=tmp_path, xlwings_version=lambda: version)
    return code, "\n".join(out)


def test_on_windows_it_installs_the_add_in_and_writes_the_config(tmp_path):
    conf = tmp_path / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir()
    conf.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"LICENSE_KEY","keep-me"\n\n')
    run = Runner()
    code, text = windows(tmp_path, run)
    assert code == 0
    assert run.calls == [[sys.executable, "-m", "xlwings.cli", "addin", "install"]]
    assert conf.read_text().splitlines() == [
        '"LICENSE_KEY","keep-me"',
        f'"Interpreter_Win","{sys.executable}"',
        '"UDF Modules","udfs"',
        f'"PYTHONPATH","{ROOT}"',
    ]
    assert "信任对 VBA 工程对象模型的访问" in text and "Import Functions" in text


def test_wrong_or_missing_xlwings_stops_before_changing_anything(tmp_path):
    run = Runner()
    code, text = windows(tmp_path, run, version="0.30.0")
    assert code == 1 and run.calls == [] and "需要 xlwings 0.37.8 (当前为 0.30.0)" in text
    code, text = windows(tmp_path, run, version=None)
    assert code == 1 and "尚未安装" in text and 'pip install "renewal-xl[excel]"' in text
    assert not (tmp_path / ".xlwings").exists()


def test_a_failed_add_in_install_writes_no_config(tmp_path):
    code, text = windows(tmp_path, Runner(returncode=1))
    assert code == 1 and "退出码 1" in text and not (tmp_path / ".xlwings").exists()


def test_write_config_creates_the_file(tmp_path):
    path = tmp_path / "a" / "xlwings.conf"
    write_config(path, {"UDF Modules": "udfs"})
    assert path.read_text() == '"UDF Modules","udfs"\n'


def test_udfs_package_is_found_without_importing_it():
    assert udfs_root() == ROOT


def test_xlwings_is_pinned_to_the_version_the_add_in_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert f"xlwings=={XLWINGS_VERSION}" in extras["excel"] and f"xlwings=={XLWINGS_VERSION}" in extras["test"]
    assert not any("xlwings" in d for d in project["dependencies"])  # the core runs without it


def test_the_core_never_imports_xlwings():
    code = (
        "import pkgutil, importlib, sys, renewal_xl\n"
        "from renewal_xl.calc import IN_LIBREOFFICE\n"
        "for m in pkgutil.walk_packages(renewal_xl.__path__, 'renewal_xl.'):\n"
        "    if m.name not in IN_LIBREOFFICE and not m.name.endswith('.__main__'):  # a __main__ runs the program\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('xlwings')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
