"""A live gunicorn for the end-to-end tests: started on a free loopback port, stopped cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import GUNICORN, ROOT, free_port, server_env

POLLS = 400  # bounded waits: at most POLLS tries, POLL seconds apart
POLL = 0.05


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
