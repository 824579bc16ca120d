"""Cross-file checks (service/loading/crosscheck.py): references, dates, actors, disputes,
quotes; each with its exact `file:line: field: msg`."""

from __future__ import annotations

import pytest

from tests.support import DATA, errors_for


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
    ],
)
def test_each_error_names_file_line_field_and_problem(fixtures_dir, case, expected):
    assert errors_for(fixtures_dir, case) == [f"{case}.yaml:{expected}"]


def test_quote_not_in_its_seed_article_is_reported(fixtures_dir):
    assert errors_for(fixtures_dir, "not-verbatim", seeds=DATA / "seeds") == [
        "not-verbatim.yaml:17: positions[0].evidence[0].quote: quote does not appear "
        "verbatim in seed 'article-1.txt' of source 'article-1'"
    ]


def test_seed_file_that_does_not_exist_is_reported(fixtures_dir, tmp_path):
    assert errors_for(fixtures_dir, "not-verbatim", seeds=tmp_path) == [
        f"not-verbatim.yaml:5: sources[0].seed: no seed file 'article-1.txt' in {tmp_path}"
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
