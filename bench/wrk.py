"""Runs wrk against a loopback URL for a fixed time and reads its report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s+(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)


class WrkError(RuntimeError):
    """wrk is missing, failed, or printed a report this module cannot read."""


@dataclass
class Load:
    """How hard and how long wrk drives a server."""

    threads: int
    connections: int
    duration: int  # seconds

    def __post_init__(self):
        self.threads = min(self.threads, self.connections)


@dataclass
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_responses: int  # neither 2xx nor 3xx
    socket_errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def available() -> bool:
    return shutil.which("wrk") is not None


def parse(report: str) -> Result:
    """The numbers of a ``wrk --latency`` report."""
    try:
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
        count = int(re.search(r"(\d+) requests in", report).group(1))
    except AttributeError:
        raise WrkError(f"unreadable wrk report:\n{report}") from None
    latency = {int(p): float(v) * _UNITS[unit] for p, v, unit in _LATENCY.findall(report)}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    return Result(
        requests_per_s=rate,
        p50_ms=latency.get(50, float("nan")),
        p99_ms=latency.get(99, float("nan")),
        requests=count,
        bad_responses=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def rotating_script(paths: list[str], directory: Path, name: str) -> Path:
    """A wrk Lua script that sends ``paths`` in turn, so that no two nearby requests repeat."""
    directory.mkdir(parents=True, exist_ok=True)
    quoted = ",\n  ".join(_lua_string(path) for path in paths)
    script = directory / f"{name}.lua"
    script.write_text(
        f"local paths = {{\n  {quoted}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    return script


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(
    url: str, load: Load, *, headers: dict[str, str] | None = None, script: Path | None = None
) -> Result:
    """Drive ``url`` (loopback only) with ``load``; wrk stops itself after the duration."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise WrkError(f"refusing to load {url}: benchmarks only target 127.0.0.1")
    command = [
        "wrk",
        "--latency",
        "--timeout",
        "10s",
        "-t",
        str(load.threads),
        "-c",
        str(load.connections),
        "-d",
        f"{load.duration}s",
    ]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    try:
        finished = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            check=False,
            timeout=load.duration + 60,
        )
    except subprocess.TimeoutExpired:
        raise WrkError(f"wrk did not stop after {load.duration} s against {url}") from None
    if finished.returncode != 0:
        raise WrkError(f"wrk failed against {url}: {finished.stderr.strip()}")
    return parse(finished.stdout)
