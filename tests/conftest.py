"""Shared test fixtures: an app per test from the factory, the CLI runner, the bundled data."""

from __future__ import annotations

import shutil

import pytest

from service import create_app
from tests.support import ROOT, load_dataset

BUNDLED = ROOT / "fixtures"


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


@pytest.fixture
def make_app():
    """Builds an app on the bundled fixtures with settings overridden, e.g. the cache size."""

    def build(**settings):
        return create_app({"PARLEY_FIXTURES": str(BUNDLED), "TESTING": True, **settings})

    return build


@pytest.fixture
def fixtures_copy(tmp_path):
    """A writable copy of the bundled fixtures, for tests that edit them and reload."""
    target = tmp_path / "fixtures"
    shutil.copytree(BUNDLED, target)
    return target
