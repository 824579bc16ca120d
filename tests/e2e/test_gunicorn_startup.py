"""gunicorn starting up: its settings from PARLEY_*, one-line refusals, a reload that breaks."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.support import GUNICORN, ROOT, free_port, server_env


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"PARLEY_LOG_LEVEL": "loud"},
            "Error: PARLEY_LOG_LEVEL: 'loud' is not a log level; "
            "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        ),
        ({"PARLEY_FIXTURES": "/no/such"}, "Error: PARLEY_FIXTURES: '/no/such' is not a directory"),
        ({"PARLEY_WORKERS": "none"}, "Error: PARLEY_WORKERS: 'none' is not a whole number"),
        ({"PARLEY_BIND": "8000"}, "Error: PARLEY_BIND: '8000' is not HOST:PORT"),
    ],
)
def test_a_bad_setting_stops_gunicorn_with_one_line(settings, expected):
    result = subprocess.run(GUNICORN, cwd=ROOT, env=server_env(**settings), capture_output=True)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == expected
    assert b"Traceback" not in result.stdout + result.stderr


def test_invalid_fixtures_stop_gunicorn_with_one_line_naming_file_and_line(fixtures_copy):
    fixtures = fixtures_copy
    (fixtures / "zz-broken.yaml").write_text("positions:\n  - id: [unclosed\n", "utf-8")
    env = server_env(PARLEY_FIXTURES=str(fixtures), PARLEY_BIND=f"127.0.0.1:{free_port()}")
    result = subprocess.run(GUNICORN, cwd=ROOT, env=env, capture_output=True)
    assert result.returncode == 1
    assert b"Traceback" not in result.stdout + result.stderr
    [line] = result.stderr.decode().strip().splitlines()
    assert line.startswith(f"Error: PARLEY_FIXTURES: invalid fixtures in {fixtures}: ")
    assert re.search(rf"{re.escape(str(fixtures))}/zz-broken\.yaml:\d+: yaml: ", line)


def test_gunicorn_takes_its_settings_from_the_parley_variables():
    env = server_env(PARLEY_WORKERS="3", PARLEY_BIND="127.0.0.1:9999", PARLEY_TIMEOUT="45")
    result = subprocess.run(
        [*GUNICORN, "--print-config"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    printed = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert {
        name: printed[name]
        for name in ("bind", "workers", "timeout", "graceful_timeout", "preload_app", "accesslog")
    } == {
        "bind": "['127.0.0.1:9999']",
        "workers": "3",
        "timeout": "45",
        "graceful_timeout": "45",
        "preload_app": "True",
        "accesslog": "-",
    }
