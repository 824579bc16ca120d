"""/meta: the data version, counts, files and date range of the dataset served."""

from __future__ import annotations

from datetime import datetime

import pytest

# counted by hand in fixtures/*.yaml: the catalogue's 22 issues (second edition), and the
# positions as the record stood on each day (2026-11-22: the first edition; 2026-12-03: the
# second, 21 superseded, 4 retracted, 5 added)
COUNTS = {"parties": 6, "actors": 8, "issues": 22, "sources": 4, "rounds": 2}


def test_meta(client, bundled):
    body = client.get("/api/v1/meta").get_json()
    assert body["data_version"] == bundled.version
    assert body["counts"] == {**COUNTS, "positions": 33}
    assert body["files"] == [  # relative to the fixture directory: no server paths
        "2022-02-25-invasion.yaml",
        "2022-03-01-round-1.yaml",
        "2022-03-03-round-2.yaml",
        "2026-12-03-second-edition.yaml",
        "catalogue.yaml",
    ]
    assert (body["first_date"], body["last_date"]) == ("2022-02-23", "2022-03-03")
    assert datetime.fromisoformat(body["loaded_at"]).tzinfo is not None
    assert body["last_reload"] is None  # served as loaded at start


@pytest.mark.parametrize(
    ("known_at", "positions", "dates"),
    [
        ("2026-11-21", 0, (None, None)),  # before anything was recorded
        ("2026-11-22", 32, ("2022-02-23", "2022-03-03")),
        ("2026-11-30", 32, ("2022-02-23", "2022-03-03")),
        ("2026-12-03", 33, ("2022-02-23", "2022-03-03")),
    ],
)
def test_meta_counts_the_record_as_it_stood(client, bundled, known_at, positions, dates):
    body = client.get(f"/api/v1/meta?known_at={known_at}").get_json()
    assert body["counts"] == {**COUNTS, "positions": positions}
    assert (body["first_date"], body["last_date"]) == dates
    assert body["data_version"] == bundled.version  # one version: the files as loaded
