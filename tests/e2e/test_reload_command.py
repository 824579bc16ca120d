"""`parley reload` against two gunicorns started side by side: it reaches only its own."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.live import LiveServer, serve
from tests.support import ROOT, load_dataset, server_env

NEW_FILE = """\
recorded: 2026-12-03
sources:
  - id: third-round-2022-03-08
    title: Third round of talks ends without a breakthrough
    published: 2022-03-08
    archived: false
    reason: A test article, never published.
    date_basis: {method: dateline, reasoning: The article carries its date.}
positions:
  - id: russia-crimea-2022-03-07
    party: russia
    issue: crimea
    stance: demands
    date: 2022-03-07
    summary: Russia repeated that Ukraine must recognise Crimea as Russian.
    evidence:
      - source: third-round-2022-03-08
        quote: Crimea must be recognised as Russian
"""


def parley_reload(server: LiveServer) -> subprocess.CompletedProcess:
    """`parley reload` run with this server's settings, as its operator would."""
    command = [sys.executable, "-c", "from service.cli import main; main()", "reload"]
    return subprocess.run(
        [*command, "--timeout", "60"], env=server.env, cwd=ROOT, capture_output=True,
        text=True, timeout=90,
    )  # fmt: skip


def readyz(server: LiveServer) -> dict:
    return server.readiness()


def meta(server: LiveServer) -> dict:
    status, body = server.json("/api/v1/meta")
    assert status == 200
    return body


@pytest.fixture
def servers(tmp_path):
    """Two gunicorns side by side, each with its own fixtures and pid file."""
    with contextlib.ExitStack() as stack:
        started = []
        for name in ("a", "b"):
            fixtures = tmp_path / name / "fixtures"
            shutil.copytree(BUNDLED, fixtures)
            pidfile = str(tmp_path / name / "gunicorn.pid")
            log = tmp_path / name / "server.log"
            server = stack.enter_context(
                serve(fixtures, log, PARLEY_PIDFILE=pidfile, PARLEY_WORKERS="1")
            )
            server.wait_for(lambda p=pidfile: Path(p).exists(), f"{name}'s pid file")
            started.append(server)
        yield started


def test_reload_reaches_only_the_server_its_settings_name(servers):
    a, b = servers
    assert int(Path(a.env["PARLEY_PIDFILE"]).read_text()) == a.process.pid
    versions = [readyz(server)["data_version"] for server in servers]
    for server in servers:  # both change, only a is told
        (server.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_FILE, "utf-8")
    assert readyz(a)["last_reload"] is None and meta(a)["last_reload"] is None

    result = parley_reload(a)
    assert result.returncode == 0, result.stderr
    after = readyz(a)
    assert after["data_version"] != versions[0]
    counts = load_dataset(BUNDLED).counts()  # and the new file's source and position
    counts.update(sources=counts["sources"] + 1, positions=counts["positions"] + 1)
    assert result.stdout == (
        f"reloaded: data version {after['data_version']} "
        f"({', '.join(f'{n} {name}' for name, n in counts.items())})\n"
    )
    assert after["last_reload"]["outcome"] == "reloaded"
    assert meta(a)["last_reload"] == after["last_reload"]
    assert readyz(b)["data_version"] == versions[1] and readyz(b)["last_reload"] is None

    # a refused reload: exit 1, the old data still served, and the outcome on /meta too
    (a.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_FILE.replace("demands", "insists"))
    result = parley_reload(a)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"refused: still serving data version {after['data_version']}; 1 problem "
    )
    stance = 1 + NEW_FILE.splitlines().index("    stance: demands")
    assert f"  2022-03-07-round-3.yaml:{stance}: positions[0].stance\n" in result.stderr
    refused = readyz(a)["last_reload"]
    assert refused["outcome"] == "refused" and refused["at"] > after["last_reload"]["at"]
    assert meta(a)["last_reload"] == refused
    assert readyz(b)["last_reload"] is None


def test_without_a_running_server_reload_says_so(tmp_path):
    env = server_env(PARLEY_PIDFILE=str(tmp_path / "none.pid"), PARLEY_BIND="127.0.0.1:1")
    command = [sys.executable, "-c", "from service.cli import main; main()", "reload"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: no server: {tmp_path / 'none.pid'} does not exist (is one running with these "
        "PARLEY_* settings?)\n"
    )
