"""The app factory (service/app.py): an app per call, its dataset loaded once and logged;
invalid fixtures stop it with one line."""

from __future__ import annotations

import logging

import pytest

from service import create_app
from service.config import ConfigError
from tests.conftest import BUNDLED


def test_start_up_logs_what_was_loaded(app, caplog, bundled):
    caplog.set_level(logging.INFO, "parley")
    from service import create_app

    create_app({"PARLEY_FIXTURES": str(BUNDLED), "TESTING": True})
    [started] = [r for r in caplog.records if getattr(r, "event", None) == "started"]
    assert started.data_version == bundled.version
    assert started.counts == bundled.counts()
    assert started.fixtures == str(BUNDLED)


def test_invalid_fixtures_at_start_up_are_one_line_with_the_first_file_and_line(broken_fixtures):
    fixtures, where = broken_fixtures
    with pytest.raises(ConfigError) as raised:
        create_app({"PARLEY_FIXTURES": str(fixtures), "TESTING": True})
    message = str(raised.value)
    assert message.startswith(f"PARLEY_FIXTURES: invalid fixtures in {fixtures}: {where}: ")
    assert "'insists' is not a stance" in message
    assert "\n" not in message
