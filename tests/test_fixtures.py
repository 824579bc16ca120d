"""The fixture loader: a test per class of error, each with its exact `file:line: field: msg`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.loading import FixtureErrors
from tests.conftest import DATA
from tests.support import load_dataset


@pytest.fixture
def fixtures_dir(tmp_path, monkeypatch):
    """A `fixtures/` directory holding the small valid catalogue, reached by a relative path."""
    directory = tmp_path / "fixtures"
    directory.mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", directory)
    monkeypatch.chdir(tmp_path)
    return directory


def errors_for(directory: Path, *cases: str, seeds: Path | None = None) -> list[str]:
    for case in cases:
        shutil.copy(DATA / "broken" / f"{case}.yaml", directory)
    with pytest.raises(FixtureErrors) as failure:
        load_dataset("fixtures", seeds=seeds)
    return [str(error) for error in failure.value.errors]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown-party", "8: positions[0].party: unknown party 'ukrane'; did you mean 'ukraine'?"),
        (
            "unknown-issue",
            "9: positions[0].issue: unknown issue 'neutrallity'; did you mean 'neutrality'?",
        ),
        (
            "unknown-actor",
            "12: positions[0].actor: unknown actor 'zelenski'; did you mean 'zelensky'?",
        ),
        (
            "unknown-source",
            "15: positions[0].evidence[0].source: unknown source 'article-2'; "
            "did you mean 'article-1'?",
        ),
        (
            "unknown-corroboration",
            "18: corroborations[0].position: unknown position 'p-2'; expected one of p-1",
        ),
        (
            "bad-stance",
            "10: positions[0].stance: 'insists' is not a stance; "
            "expected one of demands, supports, open, opposes, rejects",
        ),
        ("bad-date", "11: positions[0].date: '2022-02-30' is not a real date; expected YYYY-MM-DD"),
        (
            "after-source",
            "11: positions[0].date: position dated 2022-03-02 is reported by source "
            "'article-1', published earlier (2022-03-01)",
        ),
        (
            "wrong-actor-party",
            "12: positions[0].actor: actor 'peskov' speaks for russia, not ukraine",
        ),
        (
            "duplicate-id",
            "17: positions[1].id: duplicate position id 'p-1' "
            "(first declared at duplicate-id.yaml:7)",
        ),
        (
            "outside-round",
            "16: positions[0].date: 2022-02-25 is outside round 'round-1' (2022-02-28)",
        ),
        (
            "lonely-dispute",
            "13: positions[0].dispute: dispute 'not-the-time' has only this reading; a dispute "
            "needs at least two positions that contradict each other",
        ),
        ("no-evidence", "14: positions[0].evidence: needs at least one {source, quote} pair"),
        (
            "unclosed-bracket",
            "17: yaml: the list opened on line 16 is not closed: a ']' or a ',' is missing "
            "(YAML parser: did not find expected ',' or ']' (while parsing a flow sequence "
            "started on line 16))",
        ),
        (
            "duplicate-key",
            "12: yaml: the key 'party' is given twice in the mapping of line 7; keep one",
        ),
        (
            "not-a-mapping",
            "1: document: expected a mapping of sections: parties, actors, issues, sources, "
            "rounds, positions, corroborations",
        ),
    ],
)
def test_each_error_names_file_line_field_and_problem(fixtures_dir, case, expected):
    assert errors_for(fixtures_dir, case) == [f"{case}.yaml:{expected}"]


def test_misspelt_key_reports_the_missing_field_and_the_unknown_one(fixtures_dir):
    assert errors_for(fixtures_dir, "unknown-field") == [
        "unknown-field.yaml:7: positions[0].summary: required field is missing",
        "unknown-field.yaml:13: positions[0].sumary: unknown field; "
        "did you mean 'summary'?",
    ]


def test_quote_not_in_its_seed_article_is_reported(fixtures_dir):
    assert errors_for(fixtures_dir, "not-verbatim", seeds=DATA / "seeds") == [
        "not-verbatim.yaml:17: positions[0].evidence[0].quote: quote does not appear "
        "verbatim in seed 'article-1.txt' of source 'article-1'"
    ]


def test_seed_file_that_does_not_exist_is_reported(fixtures_dir, tmp_path):
    assert errors_for(fixtures_dir, "not-verbatim", seeds=tmp_path) == [
        f"not-verbatim.yaml:5: sources[0].seed: no seed file 'article-1.txt' in {tmp_path}"
    ]


def test_all_errors_of_all_files_are_reported_at_once(fixtures_dir):
    errors = errors_for(fixtures_dir, "bad-stance", "unknown-party", "bad-date")
    # The three files also declare the same source and the same position p-1: the two later
    # ones are duplicates, even of a p-1 that fails its schema.
    assert sum("duplicate source id 'article-1'" in error for error in errors) == 2
    assert sum("duplicate position id 'p-1'" in error for error in errors) == 2
    assert [error.split(": ")[0] for error in errors if "duplicate" not in error] == [
        "bad-date.yaml:11",
        "bad-stance.yaml:10",
        "unknown-party.yaml:8",
    ]


def test_errors_in_one_file_do_not_hide_cross_checks_in_another(fixtures_dir):
    # bad-stance.yaml fails its schema, yet declares p-1: the duplicate elsewhere is still found.
    errors = errors_for(fixtures_dir, "bad-stance", "duplicate-id")
    assert errors[0].startswith("bad-stance.yaml:10: positions[0].stance:")
    assert any(
        "duplicate position id 'p-1'" in error and "duplicate-id.yaml:17" in error
        for error in errors
    )


def test_a_misspelt_party_is_not_also_reported_as_an_actor_mismatch(fixtures_dir):
    assert len(errors_for(fixtures_dir, "unknown-party")) == 1


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
    dataset = load_dataset("fixtures", seeds=DATA / "seeds")
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
actors:
  - id: medinsky
    name: Vladimir Medinsky
    party: russia
    role: Head of the Russian delegation
sources:
  - id: article-2
    published: 2022-03-08
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
    (tmp_path / "fixtures" / "2022-03-07-round-3.yaml").write_text(example, "utf-8")
    dataset = load_dataset(tmp_path / "fixtures")
    assert dataset.rounds["round-3"].delegations[0].members == ("Vladimir Medinsky",)
    assert dataset.resolve_actor("Medinskiy") == "medinsky"
    assert len(dataset.positions["russia-crimea-2022-02-28"].evidence) == 2


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
