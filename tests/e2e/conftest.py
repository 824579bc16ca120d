"""The end-to-end tests' live gunicorn (tests/live.py) on a copy of the bundled fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import LiveServer, serve


@pytest.fixture
def server(tmp_path, fixtures_copy) -> Iterator[LiveServer]:
    """gunicorn with the real config, two workers, serving a copy of the bundled fixtures."""
    with serve(fixtures_copy, tmp_path / "gunicorn.log") as live:
        yield live
