"""``parley reload``: this server, and only this one, serves the changed fixtures.

The server is the one the ``PARLEY_*`` settings describe: its gunicorn master's pid is in
``PARLEY_PIDFILE`` (by default named after the port of ``PARLEY_BIND``), and it answers
``/readyz`` on ``PARLEY_BIND``. The command sends that master ``SIGHUP``, then asks
``/readyz`` until a fresh worker reports a reload newer than the one before, and says
whether the new fixtures were taken (exit 0) or refused (exit 1, with where each problem is).
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import click

from service import config
from service.commands import CommandError, settings
from service.model import RECORD_KINDS

POLL = 0.1  # seconds between two questions to /readyz


def readyz_url(bind: str) -> str:
    """``/readyz`` of a server listening on ``bind``; a wildcard host is asked on loopback."""
    host, _, port = bind.rpartition(":")
    host = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "": "127.0.0.1"}.get(host, host)
    return f"http://{host}:{port}/readyz"


def readiness(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def master_pid(pidfile: str) -> int:
    """The pid in ``pidfile``, once it is known to be a live gunicorn; else CommandError."""
    try:
        pid = int(Path(pidfile).read_text("ascii").strip())
    except FileNotFoundError:
        raise CommandError(
            f"no server: {pidfile} does not exist (is one running with these PARLEY_* settings?)"
        ) from None
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read a pid from {pidfile}: {error}") from None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        raise CommandError(f"no server: {pidfile} names pid {pid}, which has ended") from None
    except PermissionError:
        pass  # someone else's process: kill() below says so
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and b"gunicorn" not in cmdline.read_bytes():
        raise CommandError(f"{pidfile} names pid {pid}, which is not a gunicorn server")
    return pid


def _wait(url: str, before, seconds: float) -> dict:
    """The first /readyz answer whose ``last_reload`` differs from ``before``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            body = readiness(url)
        except (OSError, ValueError):  # workers being replaced: ask again
            body = None
        if body is not None and body.get("last_reload") != before:
            return body
        time.sleep(POLL)
    raise CommandError(f"no outcome on {url} within {seconds:g} s; see the server's log")


@click.command("reload")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    help="Seconds to wait for the outcome. Default: PARLEY_LOAD_SECONDS + PARLEY_TIMEOUT.",
)
def reload_command(timeout):
    """Reload the fixtures of the server these PARLEY_* settings describe, and say how it went."""
    current = settings()
    pidfile = config.pidfile(current)
    url = readyz_url(str(current["PARLEY_BIND"]))
    pid = master_pid(pidfile)
    try:
        before = readiness(url).get("last_reload")
    except (OSError, ValueError) as error:
        raise CommandError(f"no answer from {url} ({error}); is pid {pid} this server?") from None
    try:
        os.kill(pid, signal.SIGHUP)
    except PermissionError:
        raise CommandError(f"not allowed to signal pid {pid} (from {pidfile})") from None
    seconds = timeout or float(current["PARLEY_LOAD_SECONDS"]) + float(current["PARLEY_TIMEOUT"])
    body = _wait(url, before, seconds)
    last = body["last_reload"]
    if last["outcome"] == "reloaded":
        counts = body["counts"]  # in the order of the record kinds, as `fixtures check` says them
        counts = ", ".join(f"{counts[kind]} {kind}" for kind in RECORD_KINDS if kind in counts)
        click.echo(f"reloaded: data version {last['data_version']} ({counts})")
        return
    failure = body.get("last_reload_error") or {}
    count = failure.get("count", 0)
    click.echo(
        f"refused: still serving data version {last['data_version']}; {count} "
        f"problem{'s' if count != 1 else ''} (parley fixtures check shows them):",
        err=True,
    )
    for error in failure.get("errors", []):
        click.echo(f"  {error}", err=True)
    raise SystemExit(1)
