"""Shared test fixtures: an app per test from the factory, the CLI runner, the bundled data."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from service import create_app
from service.cli import cli
from tests.support import load_dataset

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


@pytest.fixture
def make_app():
    """Builds an app on the bundled fixtures with settings overridden, e.g. the cache size."""

    def build(**settings):
        return create_app({"PARLEY_FIXTURES": str(BUNDLED), "TESTING": True, **settings})

    return build


@pytest.fixture
def fixtures_copy(tmp_path):
    """A writable copy of the bundled fixtures, for tests that edit them and reload."""
    import shutil

    target = tmp_path / "fixtures"
    shutil.copytree(BUNDLED, target)
    return target


# -- running gunicorn for real (tests/test_run_*.py) -------------------------------------

GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]


def free_port() -> int:
    """A loopback port that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**settings: str) -> dict[str, str]:
    """This process's environment less the developer's PARLEY_* variables, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    return {**env, "PARLEY_WORKERS": "2", "PARLEY_LOG_LEVEL": "INFO", **settings}
