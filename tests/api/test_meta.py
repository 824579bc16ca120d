"""/meta: the data version, counts, files and date range of the dataset served."""

from __future__ import annotations

from datetime import datetime


def test_meta(client, bundled):
    body = client.get("/api/v1/meta").get_json()
    assert body["data_version"] == bundled.version
    assert body["counts"] == {
        "parties": 6, "actors": 8, "issues": 15, "sources": 4, "rounds": 2, "positions": 32
    }
    assert body["files"] == [  # relative to the fixture directory: no server paths
        "2022-02-25-invasion.yaml",
        "2022-03-01-round-1.yaml",
        "2022-03-03-round-2.yaml",
        "catalogue.yaml",
    ]
    assert (body["first_date"], body["last_date"]) == ("2022-02-23", "2022-03-03")
    assert datetime.fromisoformat(body["loaded_at"]).tzinfo is not None
