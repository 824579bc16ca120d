"""Cross-file checks (service/loading/crosscheck.py): references, dates, actors, disputes,
quotes; each with its exact `file:line: field: msg`."""

from __future__ import annotations

import pytest

from tests.support import errors_for, line_of


@pytest.mark.parametrize(
    ("case", "at", "expected"),
    [
        ("unknown-party", "party: ukrane",
         "positions[0].party: unknown party 'ukrane'; did you mean 'ukraine'?"),
        ("unknown-issue", "issue: neutrallity",
         "positions[0].issue: unknown issue 'neutrallity'; did you mean 'neutrality'?"),
        ("unknown-actor", "actor: zelenski",
         "positions[0].actor: unknown actor 'zelenski'; did you mean 'zelensky'?"),
        ("unknown-source", "source: article-2",
         "positions[0].evidence[0].source: unknown source 'article-2'; "
         "did you mean 'article-1'?"),
        # 'p-2' is not close enough to 'p-1' to guess: the known ids are listed instead
        ("unknown-corroboration", "position: p-2",
         "corroborations[0].position: unknown position 'p-2'; expected one of p-1"),
        ("after-source", "date: 2022-03-02",
         "positions[0].date: position dated 2022-03-02 is reported by source "
         "'article-1', published earlier (2022-03-01)"),
        ("wrong-actor-party", "actor: peskov",
         "positions[0].actor: actor 'peskov' speaks for russia, not ukraine"),
        ("outside-round", "date: 2022-02-25",
         "positions[0].date: 2022-02-25 is outside round 'round-1' (2022-02-28)"),
        ("lonely-dispute", "dispute: not-the-time",
         "positions[0].dispute: dispute 'not-the-time' has only this reading; a dispute "
         "needs at least two positions that contradict each other"),
    ],
)  # fmt: skip
def test_each_error_names_file_line_field_and_problem(fixtures_dir, case, at, expected):
    assert errors_for(fixtures_dir, case) == [f"{case}.yaml:{line_of(case, at)}: {expected}"]


def test_a_duplicate_id_names_where_the_first_was_declared(fixtures_dir):
    first, second = line_of("duplicate-id", "id: p-1"), line_of("duplicate-id", "id: p-1", 2)
    assert errors_for(fixtures_dir, "duplicate-id") == [
        f"duplicate-id.yaml:{second}: positions[1].id: duplicate position id 'p-1' "
        f"(first declared at duplicate-id.yaml:{first})"
    ]


def test_a_quote_not_in_its_archived_article_is_reported(fixtures_dir):
    line = line_of("not-verbatim", "quote: not afraid to discuss")
    assert errors_for(fixtures_dir, "not-verbatim") == [
        f"not-verbatim.yaml:{line}: positions[0].evidence[0].quote: quote does not appear "
        "verbatim in the archived text of source 'article-1' (archive/article-1.txt)"
    ]


def test_an_archive_whose_text_changed_is_reported_with_its_hash(fixtures_dir):
    archive = fixtures_dir / "archive" / "article-1.txt"
    archive.write_text(archive.read_text("utf-8") + "An added line.\n", "utf-8")
    line = line_of("not-verbatim", "sha256:")
    errors = errors_for(fixtures_dir, "not-verbatim")
    assert errors[0].startswith(
        f"not-verbatim.yaml:{line}: sources[0].sha256: does not match archive/article-1.txt "
        "(its SHA-256 is "
    )


def test_a_missing_archive_is_reported(fixtures_dir):
    (fixtures_dir / "archive" / "article-1.txt").unlink()
    line = line_of("not-verbatim", "archive: archive/article-1.txt")
    assert errors_for(fixtures_dir, "not-verbatim") == [
        f"not-verbatim.yaml:{line}: sources[0].archive: no archived text at archive/article-1.txt"
    ]


def test_errors_in_one_file_do_not_hide_cross_checks_in_another(fixtures_dir):
    # bad-stance.yaml fails its schema, yet declares p-1: the duplicate elsewhere is still found.
    errors = errors_for(fixtures_dir, "bad-stance", "duplicate-id")
    assert errors[0].startswith(f"bad-stance.yaml:{line_of('bad-stance', 'stance:')}: ")
    second = line_of("duplicate-id", "id: p-1", 2)
    assert any(
        "duplicate position id 'p-1'" in error and f"duplicate-id.yaml:{second}" in error
        for error in errors
    )


def test_a_misspelt_party_is_not_also_reported_as_an_actor_mismatch(fixtures_dir):
    assert len(errors_for(fixtures_dir, "unknown-party")) == 1
