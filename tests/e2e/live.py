"""gunicorn with the production config on a free loopback port, for tests that need a real one."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import BUNDLED
from tests.support import GUNICORN, ROOT, free_port, server_env

START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz


@dataclass
class Live:
    """A running gunicorn: where it listens and where it logs."""

    process: subprocess.Popen
    port: int
    log: Path

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def exchange(self, data: bytes, timeout: float = 10) -> bytes:
        """Send ``data`` on a new connection; everything the server answers until it closes."""
        with self.connect() as connection:
            connection.settimeout(timeout)
            connection.sendall(data)
            return read_to_end(connection)

    def healthz(self, timeout: float) -> int:
        url = f"http://127.0.0.1:{self.port}/healthz"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status

    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]


def read_to_end(connection: socket.socket) -> bytes:
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    return answer


@contextlib.contextmanager
def serve(tmp_path: Path, **settings: str) -> Iterator[Live]:
    """gunicorn with ``PARLEY_*`` ``settings``; terminated, and waited for, on the way out."""
    port = free_port()
    env = server_env(PARLEY_FIXTURES=str(BUNDLED), PARLEY_BIND=f"127.0.0.1:{port}", **settings)
    log = tmp_path / f"gunicorn-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            GUNICORN, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    live = Live(process, port, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, log.read_text("utf-8")
            try:
                if live.healthz(timeout=2) == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
        yield live
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
