import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

DATA = Path(__file__).parent / "data"


@pytest.fixture
def today() -> dt.date:
    """A fixed 'today' so quotes do not depend on the day the tests run."""
    return dt.date(2026, 11, 24)
