"""The ``renewal-xl`` command line (click): the one shell that runs on a Linux server.

``main`` is imported on first use, so the program's entry point
(:func:`renewal_xl.cli.entry.run`) is in place before click and pandas load."""

from __future__ import annotations

__all__ = ["main"]


def __getattr__(name: str):
    if name == "main":
        from renewal_xl.cli.main import main

        return main
    raise AttributeError(name)
