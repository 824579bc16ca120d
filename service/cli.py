"""The ``parley`` command: Flask's CLI bound to the app factory, plus fixture tools."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import FlaskGroup, NoAppException

from service import create_app
from service.config import ConfigError, bundled_fixtures
from service.fixtures import FixtureErrors, load_dataset
from service.tables import POSITION_COLUMNS, position_row, to_csv

FIXTURES_ARGUMENT = click.Path(file_okay=False, dir_okay=True)
SEEDS_OPTION = click.option(
    "--seeds",
    type=click.Path(exists=True, file_okay=False),
    help="Directory of the articles' text: also check every quote appears in it verbatim.",
)


class StartupError(NoAppException):
    """Settings or fixtures the app cannot start with; FlaskGroup shows these as one line."""

    exit_code = 1

    def show(self, file=None):
        # the command was used correctly, so no usage text: the one line that says what is wrong
        click.ClickException.show(self, file)


def _create_app():
    # FlaskGroup prints a traceback for any other exception raised while loading the app
    try:
        return create_app()
    except ConfigError as error:
        raise StartupError(str(error)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, set_debug_flag=False)
def cli():
    """Parley: positions of the parties in peace negotiations, backed by quotes."""


def _load_or_exit(directory: str, seeds: str | None = None):
    try:
        return load_dataset(directory, seeds=seeds)
    except FixtureErrors as failure:
        for error in failure.errors:
            click.echo(str(error), err=True)
        count = len(failure.errors)
        click.echo(f"{count} error{'s' if count != 1 else ''} in {directory}", err=True)
        sys.exit(1)


@cli.group("fixtures")
def fixtures_group():
    """Check the fixture files that Parley serves."""


@fixtures_group.command("check", with_appcontext=False)
@click.argument("directory", type=FIXTURES_ARGUMENT, required=False)
@SEEDS_OPTION
def check_command(directory, seeds):
    """Validate a fixture directory; print a summary, or every error and exit 1."""
    directory = directory or bundled_fixtures()
    dataset = _load_or_exit(directory, seeds)
    counts = ", ".join(f"{n} {name}" for name, n in dataset.counts().items())
    click.echo(f"{directory}: OK: {counts} (data version {dataset.version})")


@cli.command("export", with_appcontext=False)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["json", "csv", "sqlite"]),
    default="json",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Default: standard output; a file is required for sqlite.",
)
@click.option("--fixtures", "directory", type=FIXTURES_ARGUMENT, help="Default: bundled fixtures.")
def export_command(format_, output, directory):
    """Write the whole dataset as one JSON document or a SQLite database, or positions as CSV."""
    from service.export import export_document
    from service.sqlite_export import write_sqlite

    if format_ == "sqlite" and output == "-":
        raise click.UsageError("--format sqlite needs --output FILE (a database is not text)")
    dataset = _load_or_exit(directory or bundled_fixtures())
    if format_ == "sqlite":
        write_sqlite(dataset, output)
        return
    with click.open_file(output, "w", encoding="utf-8") as stream:
        if format_ == "csv":
            rows = (position_row(p) for p in dataset.positions.values())
            stream.write(to_csv(rows, POSITION_COLUMNS))
        else:
            json.dump(export_document(dataset), stream, ensure_ascii=False, indent=2)
            stream.write("\n")


def main():
    """Console-script entry point."""
    cli(prog_name="parley")
