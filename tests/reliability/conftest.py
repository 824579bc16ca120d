"""A real gunicorn for the reliability tests: started on a free loopback port, watched, stopped."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.support import GUNICORN, ROOT, free_port, server_env


@dataclass
class Gunicorn:
    process: subprocess.Popen
    url: str
    fixtures: Path
    log: Path

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def readiness(self) -> dict:
        status, body = self.get("/readyz")
        assert status == 200, body
        return json.loads(body)

    def master_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def reload(self, done: Callable[[dict], object], what: str, polls: int = 600) -> dict:
        """Send SIGHUP and wait, bounded, until /readyz passes ``done``."""
        before = self.readiness()
        self.process.send_signal(signal.SIGHUP)
        return self.wait_for(lambda: _passes(self, before, done), what, polls)

    def wait_for(self, check: Callable[[], object], what: str, polls: int = 600):
        for _ in range(polls):
            assert self.process.poll() is None, f"gunicorn exited while waiting for {what}"
            if result := check():
                return result
            time.sleep(0.05)
        pytest.fail(f"gave up waiting for {what}")


def _passes(server: Gunicorn, before: dict, done) -> dict | None:
    try:
        body = server.readiness()
    except OSError:
        return None
    return body if body != before and done(body) else None


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[Gunicorn]:
    """gunicorn with the production config and two workers, on a copy of the bundled data."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(BUNDLED, fixtures)
    bind = f"127.0.0.1:{free_port()}"
    log = tmp_path / "gunicorn.log"
    env = server_env(PARLEY_FIXTURES=str(fixtures), PARLEY_BIND=bind, PARLEY_LOG_LEVEL="WARNING")
    with log.open("wb") as out:
        process = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, stdout=out, stderr=out)
    server = Gunicorn(process, f"http://{bind}", fixtures, log)
    try:
        server.wait_for(lambda: _up(server), "gunicorn to answer")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert "Traceback" not in log.read_text("utf-8", "replace")


def _up(server: Gunicorn) -> bool:
    try:
        return server.get("/healthz", timeout=2)[0] == 200
    except OSError:
        return False


@dataclass
class Traffic:
    """Requests looping in a thread (bounded in count), each answer or failure recorded."""

    server: Gunicorn
    path: str = "/api/v1/meta"
    limit: int = 20_000
    answers: list = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        for _ in range(self.limit):
            if self.stop.is_set():
                return
            try:
                status, body = self.server.get(self.path)
            except Exception as error:  # refused, reset, cut short: what must never happen
                self.answers.append(("failed", repr(error)))
                continue
            self.answers.append((status, json.loads(body)) if status == 200 else ("failed", status))

    def __enter__(self) -> Traffic:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        self.server.wait_for(lambda: len(self.answers) >= 5, "the first answers")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


