"""`parley reload` against two gunicorns started side by side: it reaches only its own."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.support import GUNICORN, ROOT, free_port, load_dataset, server_env

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


@dataclass
class Server:
    process: subprocess.Popen
    env: dict[str, str]
    fixtures: Path
    pidfile: Path

    def readyz(self) -> dict:
        url = f"http://{self.env['PARLEY_BIND']}/readyz"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def meta(self) -> dict:
        url = f"http://{self.env['PARLEY_BIND']}/api/v1/meta"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def reload(self) -> subprocess.CompletedProcess:
        """`parley reload` run with this server's settings, as its operator would."""
        command = [sys.executable, "-c", "from service.cli import main; main()", "reload"]
        return subprocess.run(
            [*command, "--timeout", "60"], env=self.env, cwd=ROOT, capture_output=True,
            text=True, timeout=90,
        )  # fmt: skip


def start(tmp_path: Path, name: str) -> Server:
    fixtures = tmp_path / name / "fixtures"
    shutil.copytree(BUNDLED, fixtures)
    pidfile = tmp_path / name / "gunicorn.pid"
    env = server_env(
        PARLEY_FIXTURES=str(fixtures),
        PARLEY_BIND=f"127.0.0.1:{free_port()}",
        PARLEY_PIDFILE=str(pidfile),
        PARLEY_WORKERS="1",
    )
    with (tmp_path / name / "server.log").open("wb") as log:
        process = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, stdout=log, stderr=log)
    server = Server(process, env, fixtures, pidfile)
    for _ in range(400):
        assert process.poll() is None, (tmp_path / name / "server.log").read_text("utf-8")
        try:
            server.readyz()
            if pidfile.exists():
                return server
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"server {name} did not start")


@pytest.fixture
def servers(tmp_path):
    started = []
    try:
        started.append(start(tmp_path, "a"))
        started.append(start(tmp_path, "b"))
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def test_reload_reaches_only_the_server_its_settings_name(servers):
    a, b = servers
    assert int(a.pidfile.read_text()) == a.process.pid
    versions = [server.readyz()["data_version"] for server in servers]
    for server in servers:  # both change, only a is told
        (server.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_FILE, "utf-8")
    assert a.readyz()["last_reload"] is None and a.meta()["last_reload"] is None

    result = a.reload()
    assert result.returncode == 0, result.stderr
    after = a.readyz()
    assert after["data_version"] != versions[0]
    counts = load_dataset(BUNDLED).counts()  # and the new file's source and position
    counts.update(sources=counts["sources"] + 1, positions=counts["positions"] + 1)
    assert result.stdout == (
        f"reloaded: data version {after['data_version']} "
        f"({', '.join(f'{n} {name}' for name, n in counts.items())})\n"
    )
    assert after["last_reload"]["outcome"] == "reloaded"
    assert a.meta()["last_reload"] == after["last_reload"]
    assert b.readyz()["data_version"] == versions[1] and b.readyz()["last_reload"] is None

    # a refused reload: exit 1, the old data still served, and the outcome on /meta too
    (a.fixtures / "2022-03-07-round-3.yaml").write_text(NEW_FILE.replace("demands", "insists"))
    result = a.reload()
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"refused: still serving data version {after['data_version']}; 1 problem "
    )
    stance = 1 + NEW_FILE.splitlines().index("    stance: demands")
    assert f"  2022-03-07-round-3.yaml:{stance}: positions[0].stance\n" in result.stderr
    refused = a.readyz()["last_reload"]
    assert refused["outcome"] == "refused" and refused["at"] > after["last_reload"]["at"]
    assert a.meta()["last_reload"] == refused
    assert b.readyz()["last_reload"] is None


def test_without_a_running_server_reload_says_so(tmp_path):
    env = server_env(PARLEY_PIDFILE=str(tmp_path / "none.pid"), PARLEY_BIND="127.0.0.1:1")
    command = [sys.executable, "-c", "from service.cli import main; main()", "reload"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: no server: {tmp_path / 'none.pid'} does not exist (is one running with these "
        "PARLEY_* settings?)\n"
    )
