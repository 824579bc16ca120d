"""The load (service/loading/load.py): a directory in, a record set or every problem at once out."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from service.loading import FixtureErrors
from tests.support import DATA, errors_for, line_of, load_dataset


def test_all_errors_of_all_files_are_reported_at_once(fixtures_dir):
    errors = errors_for(fixtures_dir, "bad-stance", "unknown-party", "bad-date")
    # The three files also declare the same source and the same position p-1: the two later
    # ones are duplicates, even of a p-1 that fails its schema.
    assert sum("duplicate position id 'p-1'" in error for error in errors) == 2
    assert sum("duplicate source id 'article-1'" in error for error in errors) == 2
    assert [error.split(": ")[0] for error in errors if "duplicate" not in error] == [
        f"bad-date.yaml:{line_of('bad-date', 'date: 2022-02-30')}",
        f"bad-stance.yaml:{line_of('bad-stance', 'stance: insists')}",
        f"unknown-party.yaml:{line_of('unknown-party', 'party: ukrane')}",
    ]






@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", ".: directory: no such directory"),
        (lambda root: root, ".: directory: no fixture files (*.yaml) found"),
    ],
)
def test_directory_problems(tmp_path, make, message):
    directory = make(tmp_path)
    with pytest.raises(FixtureErrors) as failure:
        load_dataset(directory)
    assert str(failure.value) == message


def test_valid_fixtures_load_into_a_dataset(fixtures_dir):
    shutil.copy(DATA / "valid" / "round-1.yaml", fixtures_dir)
    dataset = load_dataset("fixtures", strict=True)
    assert dataset.counts() == {
        "parties": 3, "actors": 2, "issues": 2, "sources": 1, "rounds": 1, "positions": 2
    }
    assert dataset.files == ("catalogue.yaml", "round-1.yaml")  # served by meta: no server paths
    assert dataset.rounds["round-1"].end == dataset.rounds["round-1"].start


def test_data_version_changes_with_content_only(fixtures_dir):
    shutil.copy(DATA / "valid" / "round-1.yaml", fixtures_dir)
    first = load_dataset("fixtures").version
    assert load_dataset("fixtures").version == first
    path = fixtures_dir / "round-1.yaml"
    path.write_text(path.read_text().replace("No progress.", "No progress at all."))
    assert load_dataset("fixtures").version != first


def test_a_new_round_file_needs_no_other_file_edited(fixtures_dir):
    """A later file can add an actor, a source, a round, positions and more evidence."""
    shutil.copy(DATA / "valid" / "round-1.yaml", fixtures_dir)
    (fixtures_dir / "round-2.yaml").write_text(
        """
recorded: 2026-12-01
actors:
  - id: medinsky
    name: Vladimir Medinsky
    party: russia
    role: Head of the Russian delegation
sources:
  - id: article-2
    published: 2022-03-08
    archived: false
    reason: A test article with no text.
    date_basis: {method: inferred, reasoning: Published on the third round's day.}
rounds:
  - id: round-3
    number: 3
    start: 2022-03-07
    place: Belarus
positions:
  - id: russia-crimea-2022-03-07
    party: russia
    issue: crimea
    stance: demands
    date: 2022-03-07
    actor: medinsky
    round: round-3
    summary: Russia still demands recognition of Crimea.
    evidence:
      - {source: article-2, quote: Crimea must be recognised}
corroborations:
  - position: russia-crimea-2022-02-28
    evidence:
      - {source: article-2, quote: as demanded in the first round}
"""
    )
    dataset = load_dataset("fixtures")
    assert dataset.actors["medinsky"].party == "russia"
    assert [e.source for e in dataset.positions["russia-crimea-2022-02-28"].evidence] == [
        "article-1",
        "article-2",
    ]
    assert [p.id for p, in [(e.position,) for _, es in dataset.timeline("crimea") for e in es]] == [
        "russia-crimea-2022-02-28",
        "russia-crimea-2022-03-07",
    ]


def test_the_annotated_example_in_the_format_guide_loads(tmp_path):
    """README.md's example of a new round's file is itself valid."""
    from tests.conftest import BUNDLED

    guide = (BUNDLED / "README.md").read_text("utf-8")
    example = next(
        block for block in guide.split("```yaml\n")[1:] if "2022-03-07-round-3.yaml" in block
    ).split("```")[0]
    shutil.copytree(BUNDLED, tmp_path / "fixtures")
    # the article the example quotes, archived as the guide says, and its real hash
    article = (
        b"Talks did not bring any improvement. Crimea must be recognised as Russian, "
        b"as Putin had demanded before the invasion. On 23 February Putin demanded that "
        b"Ukraine give up all its weapons.\n"
    )
    (tmp_path / "fixtures" / "archive" / "third-round-2022-03-08.txt").write_bytes(article)
    digest = hashlib.sha256(article).hexdigest()
    example = re.sub(r"sha256: 9f2c\.\.\.", f"sha256: {digest}", example)
    (tmp_path / "fixtures" / "2022-03-07-round-3.yaml").write_text(example, "utf-8")
    dataset = load_dataset(tmp_path / "fixtures", strict=True)
    assert dataset.rounds["round-3"].delegations[0].members == ("Vladimir Medinsky",)
    assert dataset.resolve_actor("Medinskiy") == "medinsky"
    assert len(dataset.position("russia-crimea-2022-02-23").evidence) == 2
    assert dataset.correction("russia-demilitarization-2022-02-23").replaced_by == (
        "russia-demilitarization-2022-02-23-ed2"
    )
    assert dataset.correction("russia-denazification-2022-02-24").kind == "retraction"


def test_an_unreadable_file_is_an_error_not_a_crash(fixtures_dir, monkeypatch):
    shutil.copy(DATA / "valid" / "round-1.yaml", fixtures_dir)
    real = Path.read_bytes

    def read_bytes(path):
        if path.name == "round-1.yaml":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(FixtureErrors) as failure:
        load_dataset("fixtures")
    assert [str(e) for e in failure.value.errors] == [
        "round-1.yaml:1: document: cannot read: Permission denied"
    ]
