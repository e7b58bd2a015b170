"""LibreOffice on this machine: finding its programs, installing the add-in with
``unopkg``, and one headless ``soffice`` that recalculates workbooks.

Programs are looked up on PATH, then next to ``soffice`` (``/usr/lib/libreoffice/program``
on Debian). A missing one raises :class:`~renewal_xl.errors.OfficeError` saying which
Debian package provides it (:data:`PACKAGES`).

Extensions are installed for all users (``unopkg add --shared``, needs root). The
environment variable :data:`EXTENSIONS_ENV` names another folder for them (LibreOffice's
``UNO_SHARED_PACKAGES_CACHE``), for users without root and for the tests; install and
recalculation then both use it.

:class:`Office` runs one ``soffice --headless`` with a throwaway profile and drives it with
:mod:`renewal_xl.calc.driver` in LibreOffice's own Python; starting costs a few
seconds, each workbook then about a second.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from renewal_xl.calc import ADDIN, EXTENSION_ID
from renewal_xl.errors import OfficeError

EXTENSIONS_ENV = "RENEWAL_XL_LO_EXTENSIONS"
PACKAGES = "libreoffice-calc-nogui python3-uno libreoffice-dev"
INSTALL_HINT = f"请安装 LibreOffice, 如 sudo apt-get install {PACKAGES}"
PROBE = f"={ADDIN}.NCD_FACTOR(0;0)"  # 1 when the add-in computes
STOP_SECONDS = 30


SYSTEM_PATH = ("/usr/local/bin", "/usr/bin", "/bin")
FOREIGN_PREFIXES = ("PYTHON", "CONDA", "PYENV", "VIRTUAL_ENV", "__PYVENV")


def office_env() -> dict[str, str]:
    """The environment LibreOffice and its Python run in: this process's, without what
    could make them load another Python (a pyenv or conda 3.11 first on PATH made
    LibreOffice's embedded Python die with ``St9bad_alloc``): no ``PYTHON*`` variables
    (PYTHONHOME, PYTHONPATH …), no conda, pyenv or virtualenv markers, no
    ``LD_LIBRARY_PATH``/``LD_PRELOAD``, and a PATH holding only the system folders and
    folders without a ``python``/``python3`` program. The add-in finds ``renewal_xl``
    through the paths recorded when it was built, not through the environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().startswith(FOREIGN_PREFIXES) and k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")
    }
    folders = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    kept = [d for d in folders if d in SYSTEM_PATH or not any(Path(d, n).exists() for n in ("python", "python3"))]
    env["PATH"] = os.pathsep.join(dict.fromkeys([*kept, *SYSTEM_PATH]))
    return env


def soffice() -> Path:
    """The ``soffice`` program (symlinks resolved, so its folder is LibreOffice's ``program``)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeError("soffice", os.environ.get("PATH", ""), f"未找到 LibreOffice; {INSTALL_HINT}")
    return Path(found).resolve()


def _program(name: str, *beside: str, package: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    path = soffice().parent.joinpath(*beside, name)
    if not path.exists():
        raise OfficeError(name, str(path), f"未找到 {name}; 请安装 {package}, 如 sudo apt-get install {package}")
    return str(path)


def unopkg() -> str:
    """LibreOffice's extension manager."""
    return _program("unopkg", package="libreoffice-core-nogui")


def unoidl_write() -> str:
    """The IDL compiler of LibreOffice's SDK (package libreoffice-dev)."""
    return _program("unoidl-write", "..", "sdk", "bin", package="libreoffice-dev")


def types_rdb() -> Path:
    """LibreOffice's own type library (what the add-in's IDL refers to)."""
    return soffice().parent / "types.rdb"


def office_python() -> str:
    """The Python LibreOffice runs components in: its own ``program/python`` where it
    bundles one (builds from libreoffice.org), else Debian's ``/usr/bin/python3``
    (package python3-uno)."""
    bundled = soffice().parent / "python"
    return str(bundled) if bundled.exists() else "/usr/bin/python3"


def extensions_dir() -> Path | None:
    """The folder of :data:`EXTENSIONS_ENV`, or None for LibreOffice's shared extensions."""
    value = os.environ.get(EXTENSIONS_ENV)
    return Path(value).resolve() if value else None


def bootstrap(profile: Path) -> list[str]:
    """``-env:`` arguments for LibreOffice programs: a private profile and, when set, the
    extensions folder of :data:`EXTENSIONS_ENV`."""
    args = [f"-env:UserInstallation={profile.resolve().as_uri()}"]
    extensions = extensions_dir()
    if extensions is not None:
        extensions.mkdir(parents=True, exist_ok=True)
        args.append(f"-env:UNO_SHARED_PACKAGES_CACHE={extensions.as_uri()}")
    return args


def install_oxt(oxt: Path, echo: Callable[[str], None] = print) -> None:
    """Install ``oxt`` for all users (``unopkg add --shared``), replacing an installed
    version of the add-in."""
    tool = unopkg()
    with tempfile.TemporaryDirectory(prefix="renewal-xl-unopkg.") as profile:
        env = bootstrap(Path(profile))
        removed = subprocess.run(
            [tool, "remove", "--shared", EXTENSION_ID, *env], capture_output=True, text=True, env=office_env()
        )
        if removed.returncode == 0:
            echo(f"已卸载旧版加载项 {EXTENSION_ID}")
        done = subprocess.run(
            [tool, "add", "--shared", str(oxt), *env], capture_output=True, text=True, env=office_env()
        )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[:300]
        hint = (
            f"; 无 root 权限时可设置环境变量 {EXTENSIONS_ENV}=目录 后重试"
            if "ermission" in detail or "denied" in detail
            else ""
        )
        raise OfficeError("unopkg", tool, f"安装加载项失败 (退出码 {done.returncode}): {detail}{hint}")


class Office:
    """One headless LibreOffice with the add-in, as a context manager::

        with Office() as office:
            office.recalc(Path("in.xlsx"), Path("out.xlsx"))

    Starting checks that the add-in computes (:data:`PROBE`); it raises
    :class:`OfficeError` when LibreOffice is missing, does not start, or the add-in is not
    installed or cannot load ``renewal_xl``."""

    def __init__(self) -> None:
        self._soffice: subprocess.Popen | None = None
        self._driver: subprocess.Popen | None = None
        self._dir: Path | None = None

    def __enter__(self) -> Office:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        program, python = soffice(), office_python()
        self._dir = Path(tempfile.mkdtemp(prefix="renewal-xl-office."))
        pipe = f"renewal_xl_{os.getpid()}_{secrets.token_hex(4)}"
        log = open(self._dir / "soffice.log", "wb")  # noqa: SIM115 - kept open for the process
        self._soffice = subprocess.Popen(
            [
                str(program),
                *bootstrap(self._dir / "profile"),
                "--headless",
                "--invisible",
                "--nocrashreport",
                "--nodefault",
                "--nologo",
                "--nofirststartwizard",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            env=office_env(),
        )
        log.close()
        with open(self._dir / "driver.log", "wb") as errors:
            self._driver = subprocess.Popen(
                [python, str(Path(__file__).with_name("driver.py")), pipe, PROBE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                encoding="utf-8",
                env=office_env(),
            )
        try:
            self._check_probe(self._answer())
        except BaseException:
            self.close()
            raise

    def _check_probe(self, ready: dict) -> None:
        if ready.get("code") == 525 or ready.get("probe") == "#NAME?":
            raise OfficeError("加载项", ADDIN, "未安装: 请先运行 renewal-xl install --libreoffice")
        probe = str(ready.get("probe", ""))
        if ready.get("code") or probe.startswith("#"):
            raise OfficeError("加载项", ADDIN, f"无法计算 (NCD_FACTOR(0;0) = {probe}, 错误码 {ready.get('code')})")

    def _answer(self) -> dict:
        line = self._driver.stdout.readline() if self._driver and self._driver.stdout else ""
        if not line:
            raise OfficeError("soffice", str(self._dir), f"LibreOffice 意外退出: {self._log_tail()}")
        answer = json.loads(line)
        if "error" in answer:
            raise OfficeError("soffice", str(self._dir), f"LibreOffice 出错: {answer['error']}")
        return answer

    def _log_tail(self) -> str:
        texts = [
            (self._dir / n).read_text(errors="replace")
            for n in ("driver.log", "soffice.log")
            if self._dir and (self._dir / n).exists()
        ]
        return " | ".join(t.strip()[-300:] for t in texts if t.strip()) or "无日志"

    def recalc(self, source: Path, target: Path) -> None:
        """Load ``source``, recalculate every formula, save it as xlsx to ``target``."""
        if self._driver is None or self._driver.stdin is None:
            raise OfficeError("soffice", None, "LibreOffice 未启动")
        request = {"input": str(Path(source).resolve()), "output": str(Path(target).resolve())}
        self._driver.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self._driver.stdin.flush()
        self._answer()

    def close(self) -> None:
        """End the driver and LibreOffice (politely, then by their ids) and remove the profile."""
        if self._driver is not None:
            try:
                if self._driver.poll() is None and self._driver.stdin:
                    self._driver.stdin.write('{"quit": true}\n')
                    self._driver.stdin.close()
                self._driver.wait(STOP_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                self._driver.kill()
                self._driver.wait()
            if self._driver.stdout:
                self._driver.stdout.close()
            self._driver = None
        if self._soffice is not None:
            try:
                self._soffice.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self._soffice.pid, signal.SIGKILL)  # our own process group: soffice and its children
                self._soffice.wait()
            self._soffice = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
