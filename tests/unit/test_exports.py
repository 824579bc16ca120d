"""Exports (service/exports): the JSON document and CSV table of `parley export`, and the SQLite
export: same records as the dataset, valid keys, and SQL views that agree with it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta

import pytest

from service.cli import cli
from service.exports.sqlite import SNAPSHOT_SQL, TABLES, connect, write_sqlite
from tests.support import invoke, load_dataset, write_synthetic


def test_export_json_has_every_resource_with_the_api_field_names(runner, bundled):
    result = invoke(runner, "export", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert list(document) == ["parties", "actors", "issues", "sources", "rounds", "positions"]
    # the record as it stands: 32 first-edition positions, less 21 superseded and 4
    # retracted, plus 21 corrections and 5 new positions of the second edition
    assert len(document["positions"]) == 32 - 21 - 4 + 21 + 5 == 33
    assert set(document["positions"][0]) == {
        "id", "party", "issue", "stance", "score", "date", "date_precision", "actor",
        "summary", "conditions", "round", "disputed", "dispute", "evidence", "time",
        "recorded", "supersedes", "reason", "superseded_by", "retracted",
    }  # fmt: skip
    assert set(document["sources"][0]) == {
        "id", "outlet", "title", "published", "url", "date_basis", "archived", "archive",
        "sha256", "reason",
    }  # fmt: skip
    by_id = {p["id"]: p for p in document["positions"]}
    # "Zelensky also repeated his request for Ukraine to be accepted into NATO" (1 March):
    # a request to join NATO supports NATO membership; the first edition filed it as
    # opposing neutrality, and the second edition's correction supersedes that
    assert by_id["ukraine-nato-membership-2022-03-01"] | {"reason": None} == {
        "id": "ukraine-nato-membership-2022-03-01",
        "party": "ukraine",
        "issue": "nato-membership",
        "stance": "supports",
        "score": 1,
        "date": "2022-03-01",
        "date_precision": "day",
        "actor": "zelensky",
        "summary": "Zelensky repeated his request for Ukraine to be accepted into NATO.",
        "conditions": None,
        "round": None,
        "disputed": False,
        "dispute": None,
        "evidence": [
            {
                "source": "bombing-must-stop-2022-03-01",
                "quote": "Zelensky also repeated his request for Ukraine to be accepted into NATO",
                "verified": True,
            }
        ],
        "time": None,
        "recorded": "2026-12-03",
        "supersedes": "ukraine-neutrality-2022-03-01",
        "reason": None,
        "superseded_by": None,
        "retracted": False,
    }
    assert "ukraine-neutrality-2022-03-01" not in by_id
    archives = {s["archive"]: s["published"] for s in document["sources"]}
    assert archives == {
        "archive/kyiv-2022-02-25.txt": "2022-02-25",
        "archive/direct-talks-2022-03-03.txt": "2022-03-03",
        "archive/bombing-must-stop-2022-03-01.txt": "2022-03-01",
        "archive/no-talks-until-bombing-stops-2022-03-01.txt": "2022-03-01",
    }


def test_export_csv_is_the_positions_table(runner, tmp_path):
    target = tmp_path / "positions.csv"
    result = invoke(runner, "export", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0 and result.output == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert len(rows) == 33
    assert list(rows[0]) == [
        "id", "party", "issue", "stance", "score", "date", "date_precision", "actor",
        "summary", "conditions", "round", "disputed", "dispute", "evidence_sources",
        "evidence_quotes",
    ]
    halt = next(r for r in rows if r["id"] == "ukraine-halt-bombing-2022-03-01-ed2")
    assert halt["evidence_sources"] == (
        "bombing-must-stop-2022-03-01; no-talks-until-bombing-stops-2022-03-01"
    )
    assert len(halt["evidence_quotes"].split("\n")) == 2
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A small synthetic dataset: many parties, issues and stance changes."""
    return load_dataset(write_synthetic(tmp_path_factory.mktemp("synth"), 400, seed=7))


@pytest.fixture(params=["bundled", "synthetic"])
def exported(request, tmp_path):
    """(dataset, connection to its export), for the bundled fixtures and a synthetic set."""
    dataset = request.getfixturevalue(request.param)
    path = tmp_path / "parley.db"
    write_sqlite(dataset, path)
    connection = connect(path)
    yield dataset, connection
    connection.close()


def _count(connection, table: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_every_record_kind_has_a_table_with_the_same_count(exported):
    dataset, connection = exported
    for table, count in dataset.counts().items():
        assert _count(connection, table) == count, table
    assert set(TABLES) <= {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }


def test_evidence_rows_match_each_positions_evidence_in_order(exported):
    dataset, connection = exported
    rows = connection.execute("SELECT position, source, quote FROM evidence ORDER BY position, seq")
    stored = [tuple(row) for row in rows]
    expected = sorted(
        ((p.id, e.source, e.quote) for p in dataset.positions.values() for e in p.evidence),
        key=lambda row: row[0],
    )
    assert stored == expected


def test_positions_columns_round_trip(exported):
    dataset, connection = exported
    for row in connection.execute("SELECT * FROM positions"):
        position = dataset.positions[row["id"]]
        assert (row["party"], row["issue"], row["stance"], row["score"], row["date"]) == (
            position.party,
            position.issue,
            position.stance.value,
            position.score,
            position.date.isoformat(),
        )
        assert (row["actor"], row["round"], row["dispute"], bool(row["disputed"])) == (
            position.actor,
            position.round,
            position.dispute,
            position.disputed,
        )


def test_foreign_keys_are_declared_and_hold(exported):
    _, connection = exported
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, row["from"], row["table"])
        for table in TABLES
        for row in connection.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert {
        ("actors", "party", "parties"),
        ("positions", "party", "parties"),
        ("positions", "issue", "issues"),
        ("positions", "actor", "actors"),
        ("positions", "round", "rounds"),
        ("evidence", "position", "positions"),
        ("evidence", "source", "sources"),
    } <= declared


def test_foreign_keys_are_enforced(tmp_path, bundled):
    path = tmp_path / "parley.db"
    write_sqlite(bundled, path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "INSERT INTO evidence VALUES (?, 0, ?, 'x', 0)",
            ("no-such-position", "no-such-source"),
        )
    connection.close()


def test_positions_are_indexed_by_party_issue_and_order(exported):
    _, connection = exported
    index = connection.execute("PRAGMA index_info(positions_party_issue_seq)")
    assert [row["name"] for row in index][:3] == ["party", "issue", "seq"]
    plan = connection.execute("EXPLAIN QUERY PLAN " + SNAPSHOT_SQL, {"as_of": "2022-03-01"})
    assert "positions_party_issue_seq" in " ".join(row["detail"] for row in plan)


def test_the_snapshot_view_is_the_apis_snapshot_as_the_record_stands(exported):
    dataset, connection = exported
    rows = connection.execute("SELECT issue, party, position FROM snapshot").fetchall()
    expected = [(p.issue, p.party, p.id) for p in dataset.snapshot(date.max)]
    assert [(r["issue"], r["party"], r["position"]) for r in rows] == expected


def _dates(dataset, count: int = 6) -> list[date]:
    first, last = dataset.date_range()
    step = max(1, (last - first).days // (count - 1))
    return (
        [first - timedelta(days=1)]
        + [first + timedelta(days=n * step) for n in range(count)]
        + [last + timedelta(days=1)]
    )


def test_snapshot_sql_equals_dataset_snapshot(exported):
    dataset, connection = exported
    for as_of in _dates(dataset):
        rows = connection.execute(SNAPSHOT_SQL, {"as_of": as_of.isoformat()}).fetchall()
        expected = [
            (c.issue, c.party, c.id, c.stance.value, c.date.isoformat())
            for c in dataset.snapshot(as_of)
        ]
        assert [
            (r["issue"], r["party"], r["position"], r["stance"], r["since"]) for r in rows
        ] == expected, as_of


def test_export_command_writes_sqlite_and_needs_an_output_file(runner, tmp_path):
    path = tmp_path / "out.db"
    result = invoke(runner, "export", "--format", "sqlite", "--output", str(path))
    assert result.exit_code == 0, result.output
    with closing(connect(path)) as connection:
        assert _count(connection, "positions") > 0
    refused = runner.invoke(cli, ["export", "--format", "sqlite"])
    assert refused.exit_code == 2
    assert "--output" in refused.output


def test_export_replaces_an_existing_file(tmp_path, bundled):
    path = tmp_path / "parley.db"
    path.write_bytes(b"not a database")
    write_sqlite(bundled, path)
    with closing(connect(path)) as connection:
        assert _count(connection, "parties") == len(bundled.parties)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parley.db"]
