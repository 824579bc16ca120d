"""The ``parley`` command: check the fixtures, export the data, serve them with gunicorn.

It loads nothing until a command runs, so ``parley --help`` and ``parley --version`` are
instant and quiet. Settings come from the same ``PARLEY_*`` variables as the server.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import version as package_version

import click

from service import config
from service.commands import FIXTURES_ARGUMENT, load_or_exit, settings
from service.editors import diff, reference, reload, scaffold


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_version("parley"), "--version", "-V", prog_name="parley")
def cli():
    """Parley: positions of the parties in peace negotiations, backed by quotes."""


@cli.group("fixtures")
def fixtures_group():
    """Check the fixture files that Parley serves."""


fixtures_group.add_command(reference.schema_command)
fixtures_group.add_command(scaffold.new_group)
fixtures_group.add_command(diff.diff_command)
cli.add_command(reload.reload_command)


@fixtures_group.command("check")
@click.argument("directory", type=FIXTURES_ARGUMENT, required=False)
@click.option(
    "--strict",
    is_flag=True,
    help="A quote that cannot be verified (its source has no archived text) is an error.",
)
def check_command(directory, strict):
    """Validate a fixture directory; print a summary, or every error and exit 1.

    Every quote is checked against its source's archived text; quotes of sources without
    one are counted as unverified (errors with --strict).
    """
    directory = directory or config.bundled_fixtures()
    dataset = load_or_exit(directory, strict)
    counts = ", ".join(f"{n} {name}" for name, n in dataset.counts().items())
    click.echo(f"{directory}: OK: {counts} (data version {dataset.version})")
    unverified = dataset.unverified_quotes()
    if unverified:
        sources = ", ".join(sorted({source for source, _ in unverified}))
        click.echo(
            f"{len(unverified)} quote{'s' if len(unverified) != 1 else ''} not verified: "
            f"no archived text for {sources} (--strict makes this an error)"
        )
    against = diff.summary_against_head(directory, dataset)
    if against:  # in a git checkout: what the change does, in one line (parley fixtures diff)
        click.echo(against)


@cli.command("export")
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
@click.option("--fixtures", "directory", type=FIXTURES_ARGUMENT, help="Default: PARLEY_FIXTURES.")
def export_command(format_, output, directory):
    """Write the whole dataset as one JSON document or a SQLite database, or positions as CSV."""
    from service.exports.document import export_document
    from service.exports.sqlite import write_sqlite
    from service.exports.tables import POSITION_COLUMNS, position_row, to_csv

    if format_ == "sqlite" and output == "-":
        raise click.UsageError("--format sqlite needs --output FILE (a database is not text)")
    dataset = load_or_exit(directory or str(settings()["PARLEY_FIXTURES"]))
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


@cli.command("serve")
def serve_command():
    """Serve the fixtures with gunicorn, exactly as the Docker image does (PARLEY_* settings)."""
    settings()  # a bad setting is one line here, before gunicorn starts
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]
    os.execv(sys.executable, [*argv, "service:create_app()"])


def main():
    """Console-script entry point."""
    cli(prog_name="parley")
