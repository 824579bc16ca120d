"""A live gunicorn's log lines and the image's health check against it."""

from __future__ import annotations

import subprocess
import sys

from tests.support import free_port, healthcheck_command, server_env


def test_logs_are_json_lines_with_the_start_up_counts_and_each_request(server):
    version = server.readiness()["data_version"]
    assert server.json("/healthz?probe=1") == (200, {"status": "ok"})

    events = server.wait_for(
        lambda: [e for e in server.events() if e.get("path") == "/healthz" and e["query"]],
        "the access log line",
    )
    assert events[0] | {"time": None, "duration_ms": None, "bytes": None} == {
        "time": None,
        "level": "INFO",
        "logger": "gunicorn.access",
        "message": "GET /healthz 200",
        "event": "request",
        "method": "GET",
        "path": "/healthz",
        "query": "probe=1",
        "status": 200,
        "duration_ms": None,
        "bytes": None,
        "remote_addr": "127.0.0.1",
        "user_agent": f"Python-urllib/{sys.version_info.major}.{sys.version_info.minor}",
        "data_version": version,
    }
    assert events[0]["duration_ms"] >= 0
    assert events[0]["bytes"] > 0
    started = [e for e in server.events() if e.get("event") == "started"]
    assert len(started) == 1  # once, in the master: the workers fork with the dataset built
    assert started[0]["data_version"] == version
    assert started[0]["counts"]["positions"] == server.readiness()["counts"]["positions"] > 0
    assert {"gunicorn.error", "parley.app"} <= {e["logger"] for e in server.events()}


def test_the_image_health_check_passes_against_a_live_server_and_fails_without_one(server):
    """The Dockerfile's HEALTHCHECK command, run here with this interpreter."""
    command = [sys.executable, *healthcheck_command()[1:]]
    alive = subprocess.run(command, env=server_env(PARLEY_BIND=server.bind), capture_output=True)
    assert alive.returncode == 0, alive.stderr
    dead = subprocess.run(
        command, env=server_env(PARLEY_BIND=f"127.0.0.1:{free_port()}"), capture_output=True
    )
    assert dead.returncode != 0
