"""The servers under test, gunicorn serving Parley and Datasette, started on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address a benchmark ever sends traffic to
START_TIMEOUT = 300.0  # seconds; a 100,000-position preload is far quicker than this


class ServerError(RuntimeError):
    """A server did not start, or stopped while it was being measured."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30.0):
    """(status, headers, body) of one GET; HTTP errors are answers too, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@dataclass
class Server:
    """One server process that this benchmark started, and the log it writes."""

    name: str
    process: subprocess.Popen
    base: str
    log: Path

    def wait_ready(self, path: str, children: int = 0, timeout: float = START_TIMEOUT) -> float:
        """Seconds until ``path`` answers 200 and ``children`` workers run; bounded in time."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise ServerError(f"{self.name} exited ({self.process.returncode}); see {self.log}")
            try:
                status = get(self.base + path, timeout=5)[0]
            except OSError:
                status = None
            if status == 200 and len(self.children()) >= children:
                return time.monotonic() - started
            time.sleep(0.2)
        self.stop()
        raise ServerError(
            f"{self.name} did not answer {path} within {timeout:.0f} s; see {self.log}"
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_lines(self, since: int) -> list[str]:
        with self.log.open("rb") as stream:
            stream.seek(since)
            return stream.read().decode("utf-8", "replace").splitlines()

    def trim_log(self, to: int) -> None:
        # the log is opened for appending, so the server carries on writing at the new end;
        # without this, access lines of a full run would fill gigabytes
        os.truncate(self.log, to)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the process we started (gunicorn stops its own workers), then SIGKILL."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def _spawn(name: str, command: list[str], log: Path, env: dict[str, str], base: str) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as stream:
        stream.truncate(0)
        process = subprocess.Popen(
            command,
            stdout=stream,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
    return Server(name, process, base, log)


def start_parley(fixtures: Path, *, workers: int | None, cache_mb: int, log: Path) -> Server:
    """gunicorn with the production config (service/gunicorn_conf.py), set by PARLEY_* only."""
    port = free_port()
    env = {
        **os.environ,
        "PARLEY_FIXTURES": str(fixtures),
        "PARLEY_BIND": f"{HOST}:{port}",
        "PARLEY_RESPONSE_CACHE_MB": str(cache_mb),
    }
    if workers:
        env["PARLEY_WORKERS"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]
    return _spawn("gunicorn", command, log, env, f"http://{HOST}:{port}")


def start_noop(*, workers: int | None, log: Path) -> Server:
    """The no-op Flask app (bench/noop.py) under the same gunicorn config as Parley."""
    port = free_port()
    env = {**os.environ, "PARLEY_BIND": f"{HOST}:{port}"}
    if workers:
        env["PARLEY_WORKERS"] = str(workers)
    command = [
        sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf",
        "bench.noop:app",
    ]  # fmt: skip
    return _spawn("gunicorn (no-op)", command, log, env, f"http://{HOST}:{port}")


def start_datasette(venv: Path, database: Path, metadata: dict, log: Path) -> Server:
    """Datasette serving the SQLite export read-only (immutable), with canned queries."""
    port = free_port()
    settings = database.with_suffix(".metadata.json")
    settings.write_text(json.dumps(metadata, indent=2))
    command = [
        str(venv / "bin" / "datasette"),
        "serve",
        "--immutable",
        str(database),
        "--host",
        HOST,
        "--port",
        str(port),
        "--metadata",
        str(settings),
        # a snapshot is ~one row per issue × party: let Datasette return all of them
        "--setting",
        "max_returned_rows",
        "10000",
        "--setting",
        "sql_time_limit_ms",
        "10000",
    ]
    return _spawn("datasette", command, log, dict(os.environ), f"http://{HOST}:{port}")


def memory(pid: int) -> dict[str, int]:
    """Resident (now and peak) and proportional set size of a process, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                found["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return {"rss_kb": found["VmRSS"], "peak_rss_kb": found["VmHWM"], "pss_kb": found.get("Pss", 0)}
