import datetime as dt
import os
import random
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

# No test asserts a time (speed is measured in bench/): hypothesis's per-example deadline
# is off for every property test, since a loaded CI machine made a 1 ms example take 600 ms.
settings.register_profile("renewal-xl", deadline=None)
settings.load_profile("renewal-xl")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def today() -> dt.date:
    """A fixed 'today' so quotes do not depend on the day the tests run."""
    return dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def calc(tmp_path_factory):
    """One headless LibreOffice with the Calc add-in for the whole test session.

    The add-in is built from this checkout and installed with ``unopkg add --shared`` into
    a throwaway extensions folder (``RENEWAL_XL_LO_EXTENSIONS``), so the machine's
    LibreOffice is not changed. Recalculate workbooks with it::

        from renewal_xl.calc.recalc import recalc_files
        results = recalc_files([book], out_dir, office=calc)   # results[0].errors: cells in error

    LibreOffice is required: ``bash scripts/test`` installs it; a machine without it fails
    here with the command to run rather than skipping.
    """
    import shutil

    from renewal_xl.calc.build import build_oxt
    from renewal_xl.calc.office import EXTENSIONS_ENV, Office, install_oxt

    if shutil.which("soffice") is None:
        pytest.fail(
            "LibreOffice (soffice) is missing: run `bash scripts/test` (installs it as root) or "
            "`sudo bash scripts/ensure-libreoffice`",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("libreoffice")
    env = pytest.MonkeyPatch()
    env.setenv(EXTENSIONS_ENV, str(root / "extensions"))
    try:
        install_oxt(build_oxt(root), echo=lambda line: None)
        with Office() as office:
            yield office
    finally:
        env.undo()


FUZZ_SEED_VAR = "RENEWAL_XL_FUZZ_SEED"


def pytest_configure(config):
    """One seed per run for the fuzz tests (tests/test_fuzz.py), random unless given."""
    os.environ.setdefault(FUZZ_SEED_VAR, str(random.SystemRandom().randrange(2**32)))


def pytest_report_header(config):
    return f"fuzz seed: {FUZZ_SEED_VAR}={os.environ[FUZZ_SEED_VAR]} (set it to replay a run)"


# the long-running test files, left out of the daily fast subset (README: "Fast subset")
SLOW_FILES = frozenset({"test_fuzz.py", "test_bad_input_matrix.py", "test_hardening_report.py", "test_templates.py"})


def pytest_collection_modifyitems(config, items):
    """Mark tests for the fast subset: ``libreoffice`` for every test that uses LibreOffice
    (the ``calc`` fixture), ``slow`` for the long-running files. The README's test command
    runs them all; ``-m "not slow and not libreoffice"`` is the daily subset."""
    for item in items:
        if "calc" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.libreoffice)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def fresh_call_cache():
    """Worksheet results cached in one test must not answer the next (tests patch the core)."""
    from renewal_xl.spreadsheet.worksheet import CACHE

    CACHE.clear()


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession (2 cores, 4 shuffle partitions) for the whole test session;
    the engine's commands reuse it (an active session is taken as it is). Java is required:
    ``bash scripts/test`` installs it; without it the test fails saying so (never skipped)."""
    from renewal_xl.errors import EngineError
    from renewal_xl.spark.session import spark_session

    try:
        session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "2"})
    except EngineError as exc:
        pytest.fail(f"{exc} (run `bash scripts/test`, which installs Java as root)", pytrace=False)
    yield session
    session.stop()
