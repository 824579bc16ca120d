"""Shared test fixtures: an app per test from the factory, the CLI runner, the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service import create_app
from service.cli import cli
from service.fixtures import load_dataset

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(os.environ.get("PARLEY_SEEDS", ROOT.parent / "shared" / "seeds"))


@pytest.fixture
def app():
    """A fresh app serving the bundled fixtures."""
    return create_app({"PARLEY_FIXTURES": str(BUNDLED), "TESTING": True})


@pytest.fixture
def runner(app):
    """Invokes the ``parley`` command group, as a user would from a shell."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def bundled():
    """The bundled dataset, loaded once: it is immutable, so tests may share it."""
    return load_dataset(BUNDLED)


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)
