"""The reliability tests' live gunicorn (tests/live.py) on a copy of the bundled data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import BUNDLED
from tests.live import LiveServer, serve


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[LiveServer]:
    """gunicorn with the production config and two workers, on a copy of the bundled data;
    whatever the test did to it, it never logged a traceback."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(BUNDLED, fixtures)
    log = tmp_path / "gunicorn.log"
    with serve(fixtures, log, PARLEY_LOG_LEVEL="WARNING") as live:
        yield live
    assert "Traceback" not in log.read_text("utf-8", "replace")
