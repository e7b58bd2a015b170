"""Writing output files atomically: a run either leaves the complete new file or none.

The content goes to a temporary file in the target's directory (same file system, so the
final :func:`os.replace` is atomic); on any error the temporary file is removed and an
existing target is left as it was. Inputs are never written: :func:`check_not_input`
refuses an output path that is one of the input files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from renewal_xl.errors import SourceError


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target``."""
    target = Path(target)
    if not target.parent.is_dir():
        raise SourceError(f"文件 {target}", "output", str(target), f"输出目录 {target.parent} 不存在")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def check_not_input(output: Path, inputs: Iterable[Path | None]) -> None:
    """Raise SourceError when ``output`` is one of ``inputs`` (an input is never touched)."""
    out = Path(output).resolve()
    for source in inputs:
        if source is not None and Path(source).resolve() == out:
            raise SourceError(f"文件 {output}", "output", str(output), "输出文件不能与输入文件相同 (输入文件不会被修改)")
