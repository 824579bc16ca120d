"""Derived views against the articles: snapshot, timeline, changes, compare; and meta."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.exports.tables import CELL_COLUMNS, CHANGE_COLUMNS
from tests.support import csv_rows, problem


def cell(client, as_of: str, party: str, issue: str) -> dict | None:
    body = client.get(f"/api/v1/snapshot?as_of={as_of}&party={party}&issue={issue}").get_json()
    assert body["as_of"] == as_of
    assert len(body["cells"]) <= 1
    return body["cells"][0] if body["cells"] else None


@pytest.mark.parametrize(
    ("as_of", "party", "issue", "stance", "score", "since"),
    [
        # "not afraid to talk about neutral status" (seed 000, "earlier this week")
        ("2022-02-26", "ukraine", "neutrality", "open", 0, "2022-02-25"),
        # "repeated his request for Ukraine to be accepted into NATO" (seed 002, Tuesday)
        ("2022-03-02", "ukraine", "neutrality", "opposes", -1, "2022-03-01"),
        # Putin, "before the onslaught": abandon any aspirations of joining NATO
        ("2022-02-23", "russia", "neutrality", "demands", 2, "2022-02-23"),
        ("2022-03-05", "russia", "crimea", "demands", 2, "2022-02-28"),
        # "drop its demand that Crimea be returned to Ukraine" (seed 002)
        ("2022-03-01", "ukraine", "crimea", "rejects", -2, "2022-02-28"),
        # "Sit down with me" (seed 001, Thursday): from supports to demands
        ("2022-03-02", "ukraine", "leaders-talks", "supports", 1, "2022-02-25"),
        ("2022-03-03", "ukraine", "leaders-talks", "demands", 2, "2022-03-03"),
        ("2022-03-03", "russia", "humanitarian-corridors", "supports", 1, "2022-03-03"),
    ],
)
def test_snapshot_cell(client, as_of, party, issue, stance, score, since):
    found = cell(client, as_of, party, issue)
    assert found is not None
    assert (found["stance"], found["score"], found["since"]) == (stance, score, since)
    assert found["position"] == f"{party}-{issue}-{since}"
    assert set(found) == {"issue", "party", "stance", "score", "since", "position"}


@pytest.mark.parametrize(
    ("as_of", "party", "issue"),
    [
        ("2022-02-24", "ukraine", "neutrality"),  # Zelensky's first word on it came that week
        ("2022-03-02", "russia", "humanitarian-corridors"),  # agreed in round 2, 3 March
        ("2022-03-03", "belarus", "crimea"),  # the host takes no stance
    ],
)
def test_snapshot_has_no_cell_before_a_first_position(client, as_of, party, issue):
    assert cell(client, as_of, party, issue) is None


def test_snapshot_defaults_to_today(client):
    body = client.get("/api/v1/snapshot").get_json()
    assert body["as_of"] == datetime.now(UTC).date().isoformat()
    latest = client.get("/api/v1/snapshot?as_of=2100-01-01").get_json()
    assert body["cells"] == latest["cells"]


def test_snapshot_csv(client):
    response = client.get("/api/v1/snapshot?as_of=2022-03-02&issue=crimea&format=csv")
    header, rows = csv_rows(response)
    assert header == list(CELL_COLUMNS)
    assert [(r["party"], r["stance"], r["score"]) for r in rows] == [
        ("ukraine", "rejects", "-2"),
        ("russia", "demands", "2"),
    ]
    assert rows[0]["evidence_quotes"] == "drop its demand that Crimea be returned to Ukraine."


def entries(client, issue: str, party: str) -> list[tuple]:
    body = client.get(f"/api/v1/issues/{issue}/timeline?party={party}").get_json()
    assert body["issue"] == issue
    (timeline,) = body["parties"]
    assert timeline["party"] == party
    return [(e["date"], e["stance"], e["change"]) for e in timeline["entries"]]


@pytest.mark.parametrize(
    ("issue", "party", "expected"),
    [
        # Putin before the invasion, then Moscow's delegation in round 1, as TASS reported
        ("crimea", "russia", [
            ("2022-02-23", "demands", "new"), ("2022-02-28", "demands", "reiterated")
        ]),
        # open (0) to opposes (-1): |score| grew from 0, so hardened
        ("neutrality", "ukraine", [
            ("2022-02-25", "open", "new"), ("2022-03-01", "opposes", "hardened")
        ]),
        ("leaders-talks", "ukraine", [
            ("2022-02-25", "supports", "new"), ("2022-03-03", "demands", "hardened")
        ]),
        ("no-fly-zone", "ukraine", [
            ("2022-03-01", "demands", "new"), ("2022-03-03", "demands", "reiterated")
        ]),
        ("no-fly-zone", "usa", [  # Biden "not the time" (disputed), then the White House
            ("2022-03-01", "opposes", "new"), ("2022-03-01", "rejects", "hardened")
        ]),
    ],
)
def test_timeline(client, issue, party, expected):
    assert entries(client, issue, party) == expected


def test_timeline_lists_every_party_with_positions(client):
    body = client.get("/api/v1/issues/neutrality/timeline").get_json()
    assert [p["party"] for p in body["parties"]] == ["ukraine", "russia", "usa"]
    assert body["parties"][0]["entries"][1]["position"] == "ukraine-neutrality-2022-03-01"


def test_changes_in_a_day(client):
    body = client.get("/api/v1/changes?since=2022-03-01&until=2022-03-01&party=ukraine").get_json()
    found = [(c["issue"], c["from"], c["to"], c["change"]) for c in body["items"]]
    # security guarantees were demanded again that day: a reiteration, left out
    assert found == [
        ("halt-bombing", None, "demands", "new"),
        ("neutrality", "open", "opposes", "hardened"),
        ("no-fly-zone", None, "demands", "new"),
    ]
    assert body["total"] == 3
    assert set(body["items"][1]) == {"date", "party", "issue", "from", "to", "change", "position"}


def test_changes_leave_out_reiterations(client):
    body = client.get("/api/v1/changes?page_size=500").get_json()
    positions = {c["position"] for c in body["items"]}
    reiterations = {
        "russia-crimea-2022-02-28",
        "russia-demilitarization-2022-02-25",
        "russia-denazification-2022-02-25",
        "ukraine-security-guarantees-2022-03-01",
        "ukraine-no-fly-zone-2022-03-03",
        "ukraine-troop-withdrawal-2022-03-03",
    }
    assert not positions & reiterations
    assert body["total"] == 32 - len(reiterations)
    assert all(c["change"] != "reiterated" for c in body["items"])


def test_changes_csv(client):
    response = client.get("/api/v1/changes?format=csv&issue=neutrality&party=ukraine")
    header, rows = csv_rows(response)
    assert header == list(CHANGE_COLUMNS)
    assert [(r["date"], r["from"], r["to"], r["change"]) for r in rows] == [
        ("2022-02-25", "", "open", "new"),
        ("2022-03-01", "open", "opposes", "hardened"),
    ]


def comparison(client, query: str, issue: str) -> dict:
    body = client.get(f"/api/v1/compare?parties=ukraine,russia&{query}").get_json()
    assert body["parties"] == ["ukraine", "russia"]
    return next(row for row in body["issues"] if row["issue"] == issue)


@pytest.mark.parametrize(
    ("as_of", "issue", "ukraine", "russia", "gap", "status"),
    [
        ("2022-03-02", "crimea", "rejects", "demands", 4, "opposed"),
        ("2022-02-26", "neutrality", "open", "demands", 2, "negotiable"),
        ("2022-03-02", "neutrality", "opposes", "demands", 3, "opposed"),
        ("2022-03-03", "humanitarian-corridors", "supports", "supports", 0, "agreed"),
        ("2022-03-02", "ceasefire", "demands", None, None, "unknown"),
        ("2022-02-20", "crimea", None, None, None, "unknown"),
    ],
)
def test_compare(client, as_of, issue, ukraine, russia, gap, status):
    row = comparison(client, f"as_of={as_of}", issue)
    stances = row["stances"]
    assert set(stances) == {"ukraine", "russia"}
    assert (stances["ukraine"] or {}).get("stance") == ukraine
    assert (stances["russia"] or {}).get("stance") == russia
    assert (row["gap"], row["status"]) == (gap, status)


def test_compare_lists_every_issue_in_catalogue_order(client, bundled):
    body = client.get("/api/v1/compare?parties=usa,nato&as_of=2022-03-03").get_json()
    assert [row["issue"] for row in body["issues"]] == list(bundled.issues)


def test_compare_csv(client):
    response = client.get("/api/v1/compare?parties=ukraine,russia&as_of=2022-03-02&format=csv")
    header, rows = csv_rows(response)
    assert header[:7] == ["issue", "status", "gap", "ukraine_stance", "ukraine_score",
                          "ukraine_since", "ukraine_position"]
    assert header[7:] == ["russia_stance", "russia_score", "russia_since", "russia_position"]
    crimea = next(row for row in rows if row["issue"] == "crimea")
    assert (crimea["status"], crimea["gap"]) == ("opposed", "4")
    assert (crimea["ukraine_stance"], crimea["russia_stance"]) == ("rejects", "demands")
    ceasefire = next(row for row in rows if row["issue"] == "ceasefire")
    assert (ceasefire["gap"], ceasefire["russia_stance"]) == ("", "")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Missing data for required field."),
        ("parties=ukraine", "Give exactly two parties."),
        ("parties=ukraine,russia,usa", "Give exactly two parties."),
        ("parties=ukraine,ukraine", "Give two different parties."),
        ("parties=ukraine,rusia", "Unknown party 'rusia'. Did you mean 'russia'?"),
        ("parties=", "Give exactly two parties."),
    ],
)
def test_compare_needs_two_known_parties(client, query, message):
    body = problem(client.get(f"/api/v1/compare?{query}"), 400)
    assert body["errors"] == {"parties": [message]}
