"""What the ``parley`` commands share: one-line errors, the settings, a dataset or its errors."""

from __future__ import annotations

import sys

import click

from service import config
from service.dataset import Dataset
from service.loading import FixtureErrors, load_isolated
from service.state import load_limits

FIXTURES_ARGUMENT = click.Path(file_okay=False, dir_okay=True)


class CommandError(click.ClickException):
    """A command that cannot do its work: one line on stderr, exit status 1."""

    exit_code = 1


def settings() -> dict:
    """Every ``PARLEY_*`` setting, or a one-line error naming the bad one."""
    try:
        return config.from_env()
    except config.ConfigError as error:
        raise CommandError(str(error)) from None


def load(directory: str, strict: bool = False) -> Dataset:
    """The dataset of ``directory``, read in a child process; FixtureErrors if it fails."""
    limits = load_limits(settings())
    return load_isolated(directory, limits, strict=strict, build=Dataset.from_records)


def load_or_exit(directory: str, strict: bool = False) -> Dataset:
    """The dataset of ``directory``; or every error, and exit 1."""
    try:
        return load(directory, strict)
    except FixtureErrors as failure:
        for error in failure.errors:
            click.echo(error.under(directory), err=True)
        count = len(failure.errors)
        click.echo(f"{count} error{'s' if count != 1 else ''} in {directory}", err=True)
        sys.exit(1)
