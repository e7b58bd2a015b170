"""Reading and writing the parts of a zip (an .xlsx's XML members) with ISA-L where
python-isal is installed, zipfile keeping every check of its own.

ISA-L inflates a deflate stream in about half zlib's CPU and deflates at level 1 in about a
quarter (bench/README.md: the 1.2 GB sheet part of a 10^6-row register, the 161 MB part of the
priced register). zipfile has no hook for another codec, so the codec objects of its reader and
writer are swapped for ISA-L's, each swap guarded: where isal or one of zipfile's private
attributes is missing, zipfile does the work itself, with the same bytes as the result. The
reader keeps zipfile's local-header and size checks and its CRC check (with ISA-L's crc32); a
damaged deflate stream is a :class:`zipfile.BadZipFile` whichever library inflates it.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

try:
    from isal import isal_zlib as isal
except ImportError:  # pragma: no cover - isal is a dependency; zlib reads and writes the same parts
    isal = None  # type: ignore[assignment]

_READER = ("_decompressor", "_update_crc", "_running_crc", "_expected_crc", "_eof")  # zipfile's private reader state


@contextmanager
def open_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[IO[bytes]]:
    """``archive.open(info)``, inflated and CRC-checked by ISA-L where it can be; an inflate
    error inside the ``with`` block is raised as :class:`zipfile.BadZipFile` naming the part."""
    codec = isal
    errors: tuple[type[Exception], ...] = (zlib.error,) if codec is None else (zlib.error, codec.error)  # type: ignore[assignment]
    try:
        with archive.open(info) as f:
            if (
                codec is not None
                and isinstance(f, zipfile.ZipExtFile)
                and info.compress_type == zipfile.ZIP_DEFLATED
                and all(hasattr(f, name) for name in _READER)
            ):
                f._decompressor = codec.decompressobj(-15)  # type: ignore[attr-defined]
                f._update_crc = _crc_step(f, codec.crc32)  # type: ignore[attr-defined]
            yield f
    except errors as exc:
        raise zipfile.BadZipFile(f"{info.filename}: {exc}") from exc


def chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> Iterator[bytes]:
    """The inflated part ``info`` of ``archive``, ``size`` bytes at a time (:func:`open_part`)."""
    with open_part(archive, info) as f:
        while chunk := f.read(size):
            yield chunk


def _crc_step(f: zipfile.ZipExtFile, crc32: Callable[[bytes, int], int]) -> Callable[[bytes], None]:
    """zipfile's ``ZipExtFile._update_crc`` for ``f`` with another crc32: the running CRC of
    every inflated byte, compared with the directory's at the end of the stream."""

    def update(data: bytes) -> None:
        if f._expected_crc is None:  # type: ignore[attr-defined]
            return
        f._running_crc = crc32(data, f._running_crc)  # type: ignore[attr-defined]
        if f._eof and f._running_crc != f._expected_crc:  # type: ignore[attr-defined]
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {f.name!r}")

    return update


def faster_deflate(target: Any, level: int) -> None:
    """Deflate the entry ``target`` (just opened for writing by ``ZipFile.open``) with ISA-L at
    ``level`` (0–3), its CRC-32 taken by ISA-L too, where it can be; else zipfile's zlib
    compressor stays."""
    if isal is not None and getattr(target, "_compressor", None) is not None and target._compress_size == 0:
        target._compressor = isal.compressobj(level, isal.DEFLATED, -15)
        _isal_write(target)


_WRITER = (
    "_compressor",
    "_file_size",
    "_compress_size",
    "_crc",
    "_fileobj",
    "closed",
)  # zipfile's private writer state


def faster_crc(target: Any) -> None:
    """Take the CRC-32 of the stored entry ``target`` (just opened for writing by
    ``ZipFile.open`` with ``ZIP_STORED``) with ISA-L where it can be (about a sixth of zlib's
    CPU on the 1.2 GB of a 10^6-row register's slices); else zipfile's own ``write`` stays.
    The bytes, sizes and CRC written are zipfile's."""
    if isal is not None and getattr(target, "_compressor", True) is None:
        _isal_write(target)


def _isal_write(target: Any) -> None:
    """zipfile's ``_ZipWriteFile.write`` for ``target``, the CRC-32 taken by ISA-L; left as it
    is when one of zipfile's private attributes is missing."""
    if not all(hasattr(target, name) for name in _WRITER):
        return
    crc32 = isal.crc32

    def write(data: Any) -> int:
        if target.closed:
            raise ValueError("I/O operation on closed file.")
        if isinstance(data, (bytes, bytearray)):
            size = len(data)
        else:
            data = memoryview(data)
            size = data.nbytes
        target._file_size += size
        target._crc = crc32(data, target._crc)
        if target._compressor is not None:
            data = target._compressor.compress(data)
            target._compress_size += len(data)
        target._fileobj.write(data)
        return size

    target.write = write
