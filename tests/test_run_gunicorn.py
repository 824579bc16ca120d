"""A live gunicorn on a free loopback port: JSON logs, the image's health check, SIGHUP reloads."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import GUNICORN, ROOT, free_port, server_env

POLLS = 400  # bounded waits: at most POLLS tries, POLL seconds apart
POLL = 0.05
NEW_POSITION = "russia-crimea-2022-03-07"
NEW_ROUND_FILE = f"""\
sources:
  - id: third-round-2022-03-08
    outlet: null
    title: Third round of talks ends without a breakthrough
    published: 2022-03-08
    seed: 004_0123456789abcdef.txt
    date_basis:
      method: inferred
      reasoning: Written "Tuesday", the day after talks held on Monday 7 March 2022.

positions:
  - id: {NEW_POSITION}
    party: russia
    issue: crimea
    stance: demands
    date: 2022-03-07
    summary: Russia repeated that Ukraine must recognise Crimea as Russian.
    evidence:
      - source: third-round-2022-03-08
        quote: Crimea must be recognised as Russian
"""


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    bind: str
    fixtures: Path
    stdout: Path

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, {}

    def readiness(self) -> dict:
        status, body = self.get("/readyz")
        assert status == 200
        return body

    def hup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def wait_for(self, done: Callable[[], object], what: str):
        for _ in range(POLLS):
            assert self.process.poll() is None, f"gunicorn exited while waiting for {what}"
            if result := done():
                return result
            time.sleep(POLL)
        pytest.fail(f"gave up waiting for {what}")

    def ready_when(self, check: Callable[[dict], object], what: str) -> dict:
        """The first /readyz answer that passes ``check``."""
        return self.wait_for(lambda: body if check(body := self.readiness()) else None, what)

    def events(self) -> list[dict]:
        """Every log line so far; each must be one JSON object."""
        return [json.loads(line) for line in self.stdout.read_text("utf-8").splitlines()]


@pytest.fixture
def server(tmp_path, fixtures_copy) -> Iterator[Server]:
    """gunicorn with the real config, two workers, serving a copy of the bundled fixtures."""
    fixtures = fixtures_copy
    bind = f"127.0.0.1:{free_port()}"
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    env = server_env(PARLEY_FIXTURES=str(fixtures), PARLEY_BIND=bind)
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, stdout=out, stderr=err)
    server = Server(process, f"http://{bind}", bind, fixtures, stdout)
    try:
        server.wait_for(lambda: _answers(server), "gunicorn to answer")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr.read_text("utf-8")


def _answers(server: Server) -> bool:
    try:
        return server.get("/healthz")[0] == 200
    except OSError:  # not listening yet
        return False


@dataclass
class Traffic:
    """Requests to /readyz looping in a thread, each answer (or failure) recorded."""

    server: Server
    limit: int = 20_000
    answers: list[tuple] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        for _ in range(self.limit):
            if self.stop.is_set():
                return
            try:
                status, body = self.server.get("/readyz")
            except Exception as error:  # refused, reset, cut short: what must never happen
                self.answers.append(("failed", repr(error)))
                continue
            if status != 200:
                self.answers.append(("failed", status))
                continue
            error = body["last_reload_error"]
            self.answers.append((body["data_version"], body["counts"]["positions"], bool(error)))

    def __enter__(self) -> Traffic:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        self.server.wait_for(lambda: len(self.answers) >= 5, "the first answers")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


def test_logs_are_json_lines_with_the_start_up_counts_and_each_request(server):
    version = server.readiness()["data_version"]
    assert server.get("/healthz?probe=1") == (200, {"status": "ok"})

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
    from tests.test_run_docker import healthcheck_command

    command = [sys.executable, *healthcheck_command()[1:]]
    alive = subprocess.run(command, env=server_env(PARLEY_BIND=server.bind), capture_output=True)
    assert alive.returncode == 0, alive.stderr
    dead = subprocess.run(
        command, env=server_env(PARLEY_BIND=f"127.0.0.1:{free_port()}"), capture_output=True
    )
    assert dead.returncode != 0


def test_a_valid_change_is_served_after_hup_and_no_request_fails_meanwhile(server):
    before = server.readiness()
    (server.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_ROUND_FILE, "utf-8")

    with Traffic(server) as traffic:
        server.hup()
        after = server.ready_when(
            lambda body: body["data_version"] != before["data_version"], "the new data version"
        )
        # until the loop itself has been answered by a new worker
        server.wait_for(lambda: after["data_version"] in {a[0] for a in traffic.answers}, "it")

    count = before["counts"]["positions"]
    # every answer whole: the old version with the old count, or the new with the new
    assert set(traffic.answers) == {
        (before["data_version"], count, False),
        (after["data_version"], count + 1, False),
    }
    assert after["counts"]["positions"] == count + 1
    assert after["last_reload_error"] is None
    assert server.get(f"/api/v1/positions/{NEW_POSITION}")[0] == 200
    reloaded = [e for e in server.events() if e.get("event") == "reloaded"]
    assert [(e["data_version"], e["counts"]["positions"]) for e in reloaded] == [
        (after["data_version"], count + 1)
    ]


def test_invalid_fixtures_on_hup_keep_the_last_good_data_served_and_say_why(server):
    before = server.readiness()
    broken = server.fixtures / "2022-03-03-round-2.yaml"
    lines = broken.read_text("utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "stance: demands")
    lines[line - 1] = lines[line - 1].replace("demands", "insists")
    broken.write_text("".join(lines), "utf-8")

    with Traffic(server) as traffic:
        server.hup()
        # new workers, forked after the master refused the fixtures, report the refusal
        server.wait_for(lambda: any(a[-1] is True for a in traffic.answers), "a new worker")

    assert {a[0] for a in traffic.answers} == {before["data_version"]}  # no failure either
    assert {a[-1] for a in traffic.answers} == {False, True}  # answered across the swap
    after = server.readiness()
    assert after["data_version"] == before["data_version"]
    assert after["counts"] == before["counts"]
    [where] = after["last_reload_error"]["errors"]
    assert re.fullmatch(rf"{broken.name}:{line}: positions\[\d+\]\.stance", where)
    failed = [e for e in server.events() if e.get("event") == "reload_failed"]
    assert len(failed) == 1
    [logged] = failed[0]["errors"]  # the log says what, too
    assert logged.startswith(f"{where}: 'insists' is not a stance")
    assert failed[0]["level"] == "ERROR"
    assert failed[0]["data_version"] == before["data_version"]


def test_a_later_valid_change_clears_the_reload_error(server):
    before = server.readiness()
    broken = server.fixtures / "catalogue.yaml"
    good = broken.read_text("utf-8")
    broken.write_text(good + "\n  - [unclosed\n", "utf-8")
    server.hup()
    server.ready_when(lambda body: body["last_reload_error"], "the refusal")
    broken.write_text(good + "\n# reviewed\n", "utf-8")
    server.hup()
    after = server.ready_when(lambda body: body["last_reload_error"] is None, "the reload")
    assert after["data_version"] != before["data_version"]
    assert [e["event"] for e in server.events() if "reload" in e.get("event", "")] == [
        "reload_failed",
        "reloaded",
    ]
