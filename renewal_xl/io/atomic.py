"""Writing output files atomically, keeping the previous version: no run loses data.

Rules:

- The content goes to a hidden temporary file in the target's directory,
  ``.NAME.PID.XXXXXXXX.tmp`` (same file system, so the final :func:`os.replace` is atomic):
  at every moment the target's name holds either the complete old file or the complete new
  one, never a part.
- When the new file is complete and the target already exists, the old file is kept as
  ``STEM.bak.SUFFIX`` (``renewals.xlsx`` → ``renewals.bak.xlsx``; one generation, an older
  backup is replaced) before the new one takes the name.
- On an error the temporary file is removed and the target is left as it was. A run
  killed outright (SIGKILL, power loss) cannot clean up: its temporary file stays hidden,
  and the next write to the same target removes it once its process is gone (POSIX).
- Inputs are never written: :func:`check_not_input` refuses an output path that is one of
  the input files.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from renewal_xl.errors import SourceError

BACKUP_TAG = ".bak"


def backup_path(target: Path) -> Path:
    """Where the previous version of ``target`` is kept: ``STEM.bak.SUFFIX``."""
    target = Path(target)
    return target.with_name(f"{target.stem}{BACKUP_TAG}{target.suffix}")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success the previous ``target`` is
    kept as :func:`backup_path` and the temporary file takes its name."""
    target = Path(target)
    if not target.parent.is_dir():
        raise SourceError(f"文件 {target}", "output", str(target), f"输出目录 {target.parent} 不存在")
    remove_stale_temporaries(target)
    temp = _temporary(target, ".tmp")
    try:
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        if target.exists():
            _keep_backup(target)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def _temporary(target: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=suffix)
    os.close(fd)
    return Path(name)


def _keep_backup(target: Path) -> None:
    """Hard-link (or copy) ``target`` to its backup name, replacing an older backup
    atomically; ``target`` itself stays in place until the new file replaces it."""
    staged = _temporary(target, ".bak.tmp")
    try:
        staged.unlink()
        try:
            os.link(target, staged)
        except OSError:  # no hard links on this file system
            shutil.copy2(target, staged)
        os.replace(staged, backup_path(target))
    finally:
        if staged.exists():
            staged.unlink()


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by runs that no longer exist (killed
    mid-write); returns them. Only on POSIX, where a process can be asked whether it lives."""
    target = Path(target)
    if os.name != "posix" or not target.parent.is_dir():
        return []
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[^.]+\.(?:bak\.)?tmp")
    removed = []
    for path in target.parent.iterdir():
        m = pattern.fullmatch(path.name)
        if m and not _alive(int(m.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def check_not_input(output: Path, inputs: Iterable[Path | None]) -> None:
    """Raise SourceError when ``output`` or its backup name is one of ``inputs``, or lies
    inside an input folder (a partitioned Parquet register): an input is never touched, not
    even by keeping the previous output."""
    out = Path(output).resolve()
    for source in inputs:
        if source is None:
            continue
        if Path(source).resolve() == out:
            raise SourceError(
                f"文件 {output}", "output", str(output), "输出文件不能与输入文件相同 (输入文件不会被修改)"
            )
        if Path(source).is_dir() and Path(source).resolve() in out.parents:
            raise SourceError(
                f"文件 {output}",
                "output",
                str(output),
                f"输出不能写在输入文件夹 {Path(source).name} 中 (输入不会被修改)",
            )
        if Path(source).resolve() == backup_path(out):
            raise SourceError(
                f"文件 {output}",
                "output",
                str(output),
                f"输入文件 {Path(source).name} 是该输出的备份文件名, 会被覆盖; 请换一个输出文件名",
            )
