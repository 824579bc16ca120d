"""Synthetic fixtures: valid for the loader, of the requested size, byte-identical for a seed.

The benchmark's self-check (`bench/run --check`): it tests bench/synth.py, so it lives with
the benchmark; the service's own suite (tests/) never imports bench.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench import synth
from service.cli import cli
from service.dataset import Dataset
from service.loading import DEFAULT_LIMITS, load_records
from service.loading.files import find

ROOT = Path(__file__).resolve().parent.parent.parent


def load_dataset(directory: Path) -> Dataset:
    return Dataset.from_records(load_records(directory, DEFAULT_LIMITS))


def fixture_files(directory: Path) -> list[Path]:
    return [file.path for file in find(directory, 1 << 40)[0]]


def _run(output: Path, *args: str, hash_seed: str = "0") -> subprocess.CompletedProcess:
    """``bench/synth.py`` run as a script, as the benchmark and a user run it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synth.py"), "--output", str(output), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        check=False,
        timeout=120,
    )


def _contents(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in fixture_files(directory)}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """300 positions written by the script, and the dataset the loader makes of them."""
    directory = tmp_path_factory.mktemp("synth")
    result = _run(directory, "--positions", "300", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return directory, load_dataset(directory)


def test_output_loads_with_the_requested_counts(small):
    directory, dataset = small
    counts = dataset.counts()
    assert counts["positions"] == 300
    assert (counts["parties"], counts["issues"]) == (24, 120)
    assert counts["actors"] == 4 * counts["parties"]
    assert counts["rounds"] >= 2 and counts["sources"] >= 2 * counts["rounds"]
    # one file per round, plus the catalogue
    assert len(fixture_files(directory)) == counts["rounds"] + 1


def test_output_passes_fixtures_check(small):
    directory, _ = small
    result = CliRunner().invoke(cli, ["fixtures", "check", str(directory)])
    assert result.exit_code == 0, result.output
    assert "OK: 24 parties" in result.output and "300 positions" in result.output


@pytest.mark.parametrize(("parties", "issues"), [(20, 100), (30, 135)])
def test_party_and_issue_counts_are_configurable(tmp_path, parties, issues):
    synth.write(tmp_path, synth.generate(250, seed=1, n_parties=parties, n_issues=issues))
    counts = load_dataset(tmp_path).counts()
    assert (counts["parties"], counts["issues"], counts["positions"]) == (parties, issues, 250)


@pytest.mark.parametrize("bad", [["--parties", "19"], ["--issues", "99"], ["--positions", "-1"]])
def test_too_small_a_catalogue_is_refused(tmp_path, bad):
    arguments = ["--positions", "100", *bad]
    result = _run(tmp_path / "out", *arguments)
    assert result.returncode == 2
    assert "must be" in result.stderr


def test_same_arguments_give_byte_identical_output(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    # different hash seeds: no output may depend on set or dict-of-str iteration order
    assert _run(first, "--positions", "500", "--seed", "9", hash_seed="1").returncode == 0
    assert _run(second, "--positions", "500", "--seed", "9", hash_seed="2").returncode == 0
    assert _run(other, "--positions", "500", "--seed", "10").returncode == 0
    assert _contents(first) == _contents(second)
    assert _contents(first) != _contents(other)


def test_existing_fixtures_are_replaced_only_with_force(tmp_path):
    assert synth.main(["--positions", "600", "--output", str(tmp_path)]) == 0
    with pytest.raises(SystemExit) as refused:
        synth.main(["--positions", "300", "--output", str(tmp_path)])
    assert refused.value.code == 2
    assert synth.main(["--positions", "300", "--output", str(tmp_path), "--force"]) == 0
    # no round file of the larger set is left behind to be loaded with the smaller one
    assert load_dataset(tmp_path).counts()["positions"] == 300


@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """3,000 positions: enough for every kind of change, dispute and corroboration."""
    directory = tmp_path_factory.mktemp("medium")
    synth.write(directory, synth.generate(3000, seed=5))
    return load_dataset(directory)


def test_stances_move_over_time(medium):
    dataset = medium
    changes = Counter(entry.change for entry in dataset.changes())
    assert set(changes) == {"new", "hardened", "softened", "reversed"}
    # most statements reiterate: a tracker's changes are the interesting minority
    assert sum(changes.values()) < 0.75 * len(dataset.positions)
    busiest = max(
        (dataset.timeline(issue) for issue in dataset.issues),
        key=lambda parties: sum(len(entries) for _, entries in parties),
    )
    assert max(len(entries) for _, entries in busiest) >= 20


def test_positions_use_rounds_disputes_corroborations_and_conditions(medium):
    dataset = medium
    positions = list(dataset.positions.values())
    disputes = Counter(p.dispute for p in positions if p.dispute)
    assert disputes and set(disputes.values()) == {2}
    assert any(p.round for p in positions) and any(not p.round for p in positions)
    assert any(len(p.evidence) > 1 for p in positions)
    assert any(p.conditions for p in positions)
    assert {p.date_precision for p in positions} == {"day", "month", "approximate"}
    for position in positions:
        if position.round:
            round_ = dataset.rounds[position.round]
            assert round_.start <= position.date <= round_.end
            assert position.actor == f"{position.party}-delegation"
