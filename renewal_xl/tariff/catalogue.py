"""Tariff versions, chosen by effective date, loaded once per process.

The built-in tariffs live in ``renewal_xl/tariff/data/<version>/``. A user adds their own with
the environment variable ``RENEWAL_XL_TARIFF`` (or ``--tariff`` on the command line): one or
more paths separated by ``os.pathsep``, each a tariff folder, a folder of tariff folders, or
an .xlsx tariff workbook. For a policy start date the version in force with the latest
``effective_from`` is used; on a tie, a user's tariff wins over a built-in one.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from renewal_xl.errors import NoTariffError, TariffError
from renewal_xl.tariff.model import Tariff, build_tariff
from renewal_xl.tariff.source import Table, base_id, read_tables, with_base

BUILTIN = Path(__file__).resolve().parent / "data"
ENV_VAR = "RENEWAL_XL_TARIFF"


@dataclass(frozen=True)
class Catalogue:
    """Tariff versions ordered by precedence (user tariffs first)."""

    tariffs: tuple[Tariff, ...]
    _by_day: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # for_date's answers

    def for_date(self, day: dt.date) -> Tariff:
        """The version in force on ``day`` (remembered per day: a worksheet asks per cell)."""
        found = self._by_day.get(day)
        if found is None:
            found = self._by_day[day] = self._in_force(day)
        return found

    def _in_force(self, day: dt.date) -> Tariff:
        candidates = [t for t in self.tariffs if t.in_force(day)]
        if not candidates:
            spans = "; ".join(f"{t.id} {t.effective_from}–{t.effective_to or ''}" for t in self.tariffs)
            raise NoTariffError("policy_start", day.isoformat(), f"该日无有效费率表 (已有: {spans})")
        latest = max(t.effective_from for t in candidates)
        return next(t for t in candidates if t.effective_from == latest)

    def by_id(self, tariff_id: str) -> Tariff:
        for t in self.tariffs:
            if t.id == tariff_id:
                return t
        raise NoTariffError("tariff", tariff_id, "无此费率表; 已有: " + " ".join(t.id for t in self.tariffs))


def load_tariff(path: Path, bases: dict[str, dict[str, Table]] | None = None) -> Tariff:
    """Read and validate one tariff (folder of CSV files or .xlsx workbook); a version with a
    ``base`` is completed from ``bases`` (tables by tariff id; the built-in ones by default)."""
    tables = read_tables(path)
    base = base_id(tables)
    if base is not None:
        known = _builtin_tables() if bases is None else bases
        if base not in known:
            raise TariffError(str(path), None, "base", base, "无此基础费率表; 已有: " + " ".join(sorted(known)))
        tables = with_base(tables, known[base])
    return build_tariff(tables, str(path))


@functools.cache
def _builtin_tables() -> dict[str, dict[str, Table]]:
    """The tables of every complete built-in tariff, by id (the bases a delta may name)."""
    found = {}
    for p in sorted(BUILTIN.iterdir()):
        if (p / "tariff.csv").exists():
            tables = read_tables(p)
            if base_id(tables) is None:
                found[_meta_id(tables)] = tables
    return found


def _meta_id(tables: dict[str, Table]) -> str:
    return next((v["value"] for _, v in tables["tariff"].rows if v.get("key") == "id"), "")


def load_catalogue(paths: tuple[Path, ...] = ()) -> Catalogue:
    """User tariffs at ``paths`` (first) plus the built-in ones; refuses two versions of
    the same precedence with one id or one effective_from."""
    user = [t for p in paths for t in _tariffs_at(Path(p))]
    builtin = [t for t in _tariffs_at(BUILTIN)]
    for group in (user, builtin):
        seen: dict[object, Tariff] = {}
        for t in group:
            for key in (("id", t.id), ("effective_from", t.effective_from)):
                if key in seen:
                    raise TariffError(t.origin, None, key[0], key[1], f"与 {seen[key].origin} 重复")
                seen[key] = t
    return Catalogue(tuple(user + builtin))


@functools.cache
def _catalogue_for(env_value: str) -> Catalogue:
    return load_catalogue(tuple(Path(p) for p in env_value.split(os.pathsep) if p))  # as tariff_paths()


def _env_reader() -> Callable[[], str]:
    """``os.environ.get(ENV_VAR, "")`` read straight from the mapping ``os.environ`` keeps
    (CPython's ``_data``, which every assignment and ``del`` updates), without its per-call
    key encoding: a worksheet cell asks for the catalogue on every call. Falls back to
    ``os.environ.get`` where that mapping is not there."""
    data = getattr(os.environ, "_data", None)
    encode, decode = getattr(os.environ, "encodekey", None), getattr(os.environ, "decodevalue", None)
    if not isinstance(data, dict) or encode is None or decode is None:
        return lambda: os.environ.get(ENV_VAR, "")
    key = encode(ENV_VAR)

    def read() -> str:
        raw = data.get(key)
        return "" if raw is None else decode(raw)

    return read


_env = _env_reader()


def catalogue() -> Catalogue:
    """The process-wide catalogue (built-in + ``RENEWAL_XL_TARIFF``), loaded once per value of
    the variable (a new value, a new catalogue)."""
    return _catalogue_for(_env())


def default_tariff() -> Tariff:
    """The built-in tariff with id ``default``."""
    return catalogue().by_id("default")


def tariff_paths() -> tuple[Path, ...]:
    """The user tariff paths of ``RENEWAL_XL_TARIFF`` (``--tariff``), in order."""
    return tuple(Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)


def _tariffs_at(path: Path) -> list[Tariff]:
    """The tariffs at ``path``: a tariff folder, a folder of tariff folders or a workbook.
    A folder holding none is refused (a user tariff never silently falls back to the
    built-in one), naming the workbooks it holds instead when it holds some."""
    if not path.exists():
        raise TariffError(str(path), None, "tariff", str(path), "路径不存在")
    if path.is_dir() and not (path / "tariff.csv").exists():
        found = [load_tariff(p) for p in sorted(path.iterdir()) if p.is_dir() and (p / "tariff.csv").exists()]
        if not found and path != BUILTIN:
            books = sorted(p.name for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
            hint = (
                f"文件夹中只有工作簿 {' '.join(books)}: 请用 --tariff {path / books[0]} 指向工作簿"
                if books
                else "文件夹中没有费率表 (需要 tariff.csv 等 CSV 表, 或含这些表的子文件夹)"
            )
            raise TariffError(str(path), None, "tariff", path.name, hint)
        return found
    return [load_tariff(path)]
