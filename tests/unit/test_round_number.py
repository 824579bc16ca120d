"""A round's number is optional: the sources do not always number the rounds."""

from __future__ import annotations

import sqlite3

import pytest

from service import create_app
from service.exports.sqlite import write_sqlite
from service.loading import FixtureErrors
from tests.support import load_dataset

ROUNDS = """\
recorded: 2026-12-03
rounds:
  - id: istanbul
    start: 2022-03-29
    place: Istanbul, Turkey
    host: null
  - id: video-talks
    start: 2022-03-29
    place: by video link
"""


def test_rounds_without_a_number_load_and_are_served_with_null(fixtures_copy, tmp_path):
    (fixtures_copy / "2022-03-29-istanbul.yaml").write_text(ROUNDS, "utf-8")
    dataset = load_dataset(fixtures_copy)
    assert [r.number for r in dataset.rounds.values()] == [1, 2, None, None]
    app = create_app({"PARLEY_FIXTURES": str(fixtures_copy), "TESTING": True})
    body = app.test_client().get("/api/v1/rounds/istanbul").get_json()
    assert body["number"] is None
    write_sqlite(dataset, tmp_path / "parley.sqlite")
    with sqlite3.connect(tmp_path / "parley.sqlite") as db:
        assert db.execute("select count(*) from rounds where number is null").fetchone() == (2,)


def test_a_number_given_twice_is_still_an_error(fixtures_copy):
    text = ROUNDS.replace("    place: by video link\n", "    place: by video link\n    number: 2\n")
    (fixtures_copy / "2022-03-29-istanbul.yaml").write_text(text, "utf-8")
    with pytest.raises(FixtureErrors) as failure:
        load_dataset(fixtures_copy)
    [error] = failure.value.errors
    assert error.field == "rounds[1].number"
    assert error.message.startswith("duplicate round number 2 (also round 'round-2'")
