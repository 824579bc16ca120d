"""A real gunicorn for the tests that need one: the production config on a free loopback
port, every wait bounded, stopped (and waited for) on the way out.

One harness for every process-level test (tests/e2e/, tests/reliability/): ``serve`` starts
it, ``LiveServer`` talks to it over HTTP or raw sockets and reads its JSON log, ``Traffic``
keeps requests going in a thread while a test reloads it.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import GUNICORN, ROOT, free_port, server_env

POLLS = 600  # bounded waits: at most POLLS tries, POLL seconds apart
POLL = 0.05
START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz


@dataclass
class LiveServer:
    """A running gunicorn: its process, where it listens, what it serves and its log."""

    process: subprocess.Popen
    port: int
    fixtures: Path
    log: Path
    env: dict[str, str]

    @property
    def bind(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.bind}"

    def get(self, path: str, timeout: float = 10, headers: dict | None = None):
        """(status, body bytes) of a GET; an HTTP error is an answer too."""
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def json(self, path: str, timeout: float = 10) -> tuple[int, dict]:
        """(status, parsed JSON body) of a GET; ``{}`` for an error's body."""
        status, body = self.get(path, timeout)
        return status, json.loads(body) if status == 200 else {}

    def readiness(self) -> dict:
        status, body = self.get("/readyz")
        assert status == 200, body
        return json.loads(body)

    def healthz(self, timeout: float = 10) -> int:
        return self.get("/healthz", timeout)[0]

    def hup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def wait_for(self, check: Callable[[], object], what: str, polls: int = POLLS):
        """The first truthy ``check()``, polled while gunicorn runs; fails after ``polls``."""
        for _ in range(polls):
            assert self.process.poll() is None, f"gunicorn exited while waiting for {what}"
            if result := check():
                return result
            time.sleep(POLL)
        pytest.fail(f"gave up waiting for {what}")

    def ready_when(self, check: Callable[[dict], object], what: str) -> dict:
        """The first /readyz answer that passes ``check``."""
        return self.wait_for(lambda: body if check(body := self.readiness()) else None, what)

    def reload(self, done: Callable[[dict], object], what: str, polls: int = POLLS) -> dict:
        """Send SIGHUP and wait until /readyz changes and passes ``done``."""
        before = self.readiness()
        self.hup()

        def changed() -> dict | None:
            try:
                body = self.readiness()
            except OSError:
                return None
            return body if body != before and done(body) else None

        return self.wait_for(changed, what, polls)

    def events(self) -> list[dict]:
        """Every log line so far; each must be one JSON object."""
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]

    def master_rss_kb(self) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def exchange(self, data: bytes, timeout: float = 10) -> bytes:
        """Send ``data`` on a new connection; everything the server answers until it closes."""
        with self.connect() as connection:
            connection.settimeout(timeout)
            connection.sendall(data)
            return read_to_end(connection)


def read_to_end(connection: socket.socket) -> bytes:
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    return answer


@contextlib.contextmanager
def serve(fixtures: Path, log: Path, **settings: str) -> Iterator[LiveServer]:
    """gunicorn serving ``fixtures`` with ``PARLEY_*`` ``settings``, stdout and stderr in
    ``log``; terminated on the way out, and required to exit cleanly (status 0)."""
    port = free_port()
    env = server_env(PARLEY_FIXTURES=str(fixtures), PARLEY_BIND=f"127.0.0.1:{port}", **settings)
    with log.open("wb") as out:
        process = subprocess.Popen(
            GUNICORN, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = LiveServer(process, port, fixtures, log, env)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, log.read_text("utf-8", "replace")
            try:
                if server.healthz(timeout=2) == 200:
                    break
            except OSError:  # not listening yet
                if time.monotonic() > deadline:
                    raise
            time.sleep(POLL)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text("utf-8", "replace")


@dataclass
class Traffic:
    """GETs of ``path`` looping in a thread (bounded in count): each answer, as ``read``
    makes it of the parsed JSON body, or ``("failed", why)``."""

    server: LiveServer
    path: str = "/api/v1/meta"
    read: Callable[[dict], object] = lambda body: body
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
            if status != 200:
                self.answers.append(("failed", status))
                continue
            self.answers.append(self.read(json.loads(body)))

    def __enter__(self) -> Traffic:
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        self.server.wait_for(lambda: len(self.answers) >= 5, "the first answers")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
