"""The ``renewal-xl`` command line (excel-contract §4). Commands live in their own
modules; this module holds the group and the options every command shares."""

from __future__ import annotations

import os

import click

from renewal_xl.tariff.catalogue import ENV_VAR


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--tariff", "tariff", type=click.Path(exists=True), default=None,
              help="User tariff: a folder of CSV tables or an .xlsx tariff workbook (also RENEWAL_XL_TARIFF).")
@click.version_option(package_name="renewal-xl")
def main(tariff: str | None) -> None:
    """renewal-xl: 续保推动方案 pricing, renewal lists, reviews and statements."""
    if tariff:
        os.environ[ENV_VAR] = tariff


@main.command()
@click.pass_context
def install(ctx: click.Context) -> None:
    """Windows: install the xlwings add-in and config for Excel. Elsewhere: say what it would do, exit 2."""
    from renewal_xl.excel_setup import install as run_install

    ctx.exit(run_install(echo=click.echo))


if __name__ == "__main__":  # pragma: no cover
    main()
