import datetime as dt
import os
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def today() -> dt.date:
    """A fixed 'today' so quotes do not depend on the day the tests run."""
    return dt.date(2026, 11, 24)


FUZZ_SEED_VAR = "RENEWAL_XL_FUZZ_SEED"


def pytest_configure(config):
    """One seed per run for the fuzz tests (tests/test_fuzz.py), random unless given."""
    os.environ.setdefault(FUZZ_SEED_VAR, str(random.SystemRandom().randrange(2**32)))


def pytest_report_header(config):
    return f"fuzz seed: {FUZZ_SEED_VAR}={os.environ[FUZZ_SEED_VAR]} (set it to replay a run)"
