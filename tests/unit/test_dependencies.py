"""Locked dependencies: the lock files (`make lock`) pin, with hashes, a version of every
dependency pyproject.toml names, within its bounds."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement

from tests.support import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n +--hash=sha256:[0-9a-f]{64}", re.M)
TEST = PROJECT["optional-dependencies"]["test"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    return {canonical(name): found for name, found in PIN.findall((ROOT / lock).read_text())}


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        ("requirements-test.lock", PROJECT["dependencies"] + TEST),
    ],
)
def test_every_dependency_is_pinned_within_its_bounds(lock, requirements):
    pinned = pins(lock)
    for requirement in map(Requirement, requirements):
        name = canonical(requirement.name)
        assert name in pinned, f"{lock} does not pin {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name]), (
            f"{lock}: {name}=={pinned[name]} is outside {requirement.specifier}: run `make lock`"
        )
    # every pin has its hashes (pip then installs in hash-checking mode)
    assert len(pinned) == (ROOT / lock).read_text().count("=="), f"{lock}: a pin without hashes"
