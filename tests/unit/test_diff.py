"""`parley fixtures diff`: a known change, against a directory and against a git revision."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from service.editors.diff import busiest_parties, compare
from tests.conftest import BUNDLED
from tests.support import invoke, load_dataset

ISTANBUL = """\
recorded: 2026-12-03
sources:
  - id: istanbul-2022-03-30
    title: Talks in Istanbul
    published: 2022-03-30
    archived: false
    reason: A test article, not kept.
    date_basis: {method: dateline, reasoning: The article carries its date.}

positions:
"""
POSITION = """\
  - id: {party}-{issue}-2022-03-29
    party: {party}
    issue: {issue}
    stance: {stance}
    date: 2022-03-29
    summary: A stance taken in Istanbul.
    evidence:
      - source: istanbul-2022-03-30
        quote: a stance taken in Istanbul
"""
# party, issue, stance, and the move it makes against the record as it stands (the
# second edition): Ukraine's neutrality is open (ukraine-neutrality-2022-02-25-ed2), Russia
# rejects EU membership (russia-eu-membership-2022-02-28-ed2), and neither Ukraine on Crimea
# or Donbas nor Russia on a ceasefire holds a position
CHANGE = [
    ("ukraine", "neutrality", "supports", "hardened"),  # from open
    ("ukraine", "crimea", "rejects", "new"),  # Russia demands: opposed, was unknown
    ("russia", "ceasefire", "opposes", "new"),  # Ukraine demands: opposed, was unknown
    ("ukraine", "donbas", "rejects", "new"),  # Russia demands: opposed, was unknown
    ("russia", "eu-membership", "supports", "reversed"),  # from rejects
]
SUMMARY = (
    "+5 positions, 5 moves: 3 new, 1 hardened, 1 reversed, 3 statuses of ukraine × russia "
    "flipped, 5 snapshot cells flipped"
)


def add_istanbul(directory) -> None:
    positions = "".join(
        POSITION.format(party=p, issue=i, stance=s) for p, i, s, _ in CHANGE
    )
    (directory / "2022-03-29-istanbul.yaml").write_text(ISTANBUL + positions, "utf-8")


@pytest.fixture
def repository(tmp_path):
    """A git repository whose fixtures/ holds the bundled ones, committed; then changed."""
    root = tmp_path / "repo"
    shutil.copytree(BUNDLED, root / "fixtures")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bundled"], check=True)
    add_istanbul(root / "fixtures")
    return root


def test_the_known_change_gives_its_moves_flips_and_summary(fixtures_copy):
    old = load_dataset(BUNDLED)
    add_istanbul(fixtures_copy)
    diff = compare(old, load_dataset(fixtures_copy))
    assert busiest_parties(old) == ("ukraine", "russia")
    assert str(diff.as_of) == "2022-03-29"
    # in the order of the record: date, then id
    assert [(m["party"], m["issue"], m["to"], m["change"]) for m in diff.moves] == sorted(CHANGE)
    # in catalogue order; neutrality and EU membership stay unknown (Russia's neutrality
    # position became a NATO-membership one, and Ukraine holds none on the EU)
    assert diff.statuses == [
        {"issue": "crimea", "from": "unknown", "to": "opposed"},
        {"issue": "donbas", "from": "unknown", "to": "opposed"},
        {"issue": "ceasefire", "from": "unknown", "to": "opposed"},
    ]
    assert len(diff.cells) == 5 and not diff.removed and not diff.edited
    assert diff.summary() == SUMMARY
    assert compare(old, old).summary() == "no change to the record"


def test_diff_of_two_directories_for_people(runner, fixtures_copy):
    add_istanbul(fixtures_copy)
    result = invoke(runner, "fixtures", "diff", str(BUNDLED), str(fixtures_copy))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{BUNDLED} → {fixtures_copy}: {SUMMARY}"
    assert "  2022-03-29  russia on eu-membership: reversed (rejects → supports) " \
        "russia-eu-membership-2022-03-29" in lines
    assert "Compare ukraine × russia as of 2022-03-29" in lines
    assert "  crimea: unknown → opposed" in lines
    assert "  ukraine on neutrality: open → supports" in lines


def test_diff_against_head_in_a_git_checkout_as_json(runner, repository, monkeypatch):
    monkeypatch.chdir(repository)
    result = invoke(runner, "fixtures", "diff", "HEAD", "fixtures", "--format", "json",
                    "--parties", "russia, usa")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["parties"] == ["russia", "usa"]
    assert [p["id"] for p in document["positions"]["added"]] == sorted(
        f"{p}-{i}-2022-03-29" for p, i, _, _ in CHANGE
    )
    assert [m["change"] for m in document["moves"]] == [c for *_, c in sorted(CHANGE)]
    assert document["compare"] == []  # usa has no position on the issues that moved


def test_check_ends_with_the_summary_against_head(runner, repository, monkeypatch):
    monkeypatch.chdir(repository)
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Against HEAD: {SUMMARY}"


def test_check_outside_git_says_nothing_more(runner, fixtures_copy):
    result = invoke(runner, "fixtures", "check", str(fixtures_copy))
    assert len(result.output.splitlines()) == 1


def test_an_unknown_revision_is_one_line(runner, repository, monkeypatch):
    monkeypatch.chdir(repository)
    result = invoke(runner, "fixtures", "diff", "no-such-revision", "fixtures")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no-such-revision: not a directory, nor a git revision")
