"""The ``renewal-xl`` command line (click): the one shell that runs on a Linux server."""

from renewal_xl.cli.main import main

__all__ = ["main"]
