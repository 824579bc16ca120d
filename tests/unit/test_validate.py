"""Fixture schemas (service/loading/validate.py, schemas/fixtures.py): a test per class of
error in one file, each with its exact `file:line: field: msg`."""

from __future__ import annotations

import pytest

from tests.support import errors_for, line_of


@pytest.mark.parametrize(
    ("case", "at", "expected"),
    [
        ("bad-stance", "stance: insists",
         "positions[0].stance: 'insists' is not a stance; "
         "expected one of demands, supports, open, opposes, rejects"),
        ("bad-date", "date: 2022-02-30",
         "positions[0].date: '2022-02-30' is not a real date; expected YYYY-MM-DD"),
        ("no-evidence", "evidence: []",
         "positions[0].evidence: needs at least one {source, quote} pair"),
        ("not-a-mapping", "- id: p-1",
         "document: expected a mapping of sections: parties, actors, issues, sources, "
         "rounds, positions, corroborations, retractions"),
    ],
)  # fmt: skip
def test_each_error_names_file_line_field_and_problem(fixtures_dir, case, at, expected):
    assert errors_for(fixtures_dir, case) == [f"{case}.yaml:{line_of(case, at)}: {expected}"]


def test_misspelt_key_reports_the_missing_field_and_the_unknown_one(fixtures_dir):
    assert errors_for(fixtures_dir, "unknown-field") == [
        f"unknown-field.yaml:{line_of('unknown-field', '- id: p-1')}: "
        "positions[0].summary: required field is missing",
        f"unknown-field.yaml:{line_of('unknown-field', 'sumary:')}: positions[0].sumary: "
        "unknown field; did you mean 'summary'?",
    ]
