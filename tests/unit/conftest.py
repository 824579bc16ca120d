"""Unit-test fixtures: a small fixture directory to break, one file at a time."""

from __future__ import annotations

import shutil

import pytest

from tests.support import DATA


@pytest.fixture
def fixtures_dir(tmp_path, monkeypatch):
    """A `fixtures/` directory holding the small valid catalogue, reached by a relative path."""
    directory = tmp_path / "fixtures"
    directory.mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", directory)
    shutil.copytree(DATA / "archive", directory / "archive")
    monkeypatch.chdir(tmp_path)
    return directory


@pytest.fixture
def broken_fixtures(fixtures_copy):
    """A copy of the bundled fixtures with one bad stance: the path, and the file:line."""
    fixtures = fixtures_copy
    path = fixtures / "2022-03-01-round-1.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.strip().startswith("stance: "))
    lines[line - 1] = "    stance: insists\n"
    path.write_text("".join(lines), "utf-8")
    return fixtures, f"{path}:{line}"
