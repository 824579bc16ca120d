"""Fixture schemas (service/loading/validate.py, schemas/fixtures.py): a test per class of
error in one file, each with its exact `file:line: field: msg`."""

from __future__ import annotations

import pytest

from tests.support import errors_for


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "bad-stance",
            "10: positions[0].stance: 'insists' is not a stance; "
            "expected one of demands, supports, open, opposes, rejects",
        ),
        ("bad-date", "11: positions[0].date: '2022-02-30' is not a real date; expected YYYY-MM-DD"),
        ("no-evidence", "14: positions[0].evidence: needs at least one {source, quote} pair"),
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
