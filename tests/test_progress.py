"""Long runs show what they do from the start (on a terminal); short ones stay quiet."""

import io

from renewal_xl.cli.progress import LONG_FILE, step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_large_input_shows_its_step_from_the_start(tmp_path):
    big = tmp_path / "register.xlsx"
    big.write_bytes(b"\0" * LONG_FILE)
    screen = Terminal()
    with step(big, "检查并读取 register.xlsx", file=screen):
        shown = screen.getvalue()  # before the work ends
    assert "检查并读取 register.xlsx … 00:00" in shown


def test_small_inputs_and_pipes_stay_quiet(tmp_path):
    small = tmp_path / "small.xlsx"
    small.write_bytes(b"\0" * 100)
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"\0" * LONG_FILE)
    screen, pipe = Terminal(), io.StringIO()
    with step(small, "读取", file=screen), step(big, "读取", file=pipe), step(tmp_path / "missing.xlsx", "读取"):
        pass
    assert screen.getvalue() == "" and pipe.getvalue() == ""
