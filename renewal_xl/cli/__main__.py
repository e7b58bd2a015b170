"""``python -m renewal_xl.cli``: the ``renewal-xl`` program, by its entry point."""

from renewal_xl.cli.entry import run

run()
