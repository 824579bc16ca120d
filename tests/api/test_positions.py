"""/positions: every filter, ids checked against the data, and the CSV table."""

from __future__ import annotations

import pytest

from service.exports.tables import POSITION_COLUMNS
from tests.support import csv_rows, ids, links, problem

ZELENSKY = [  # every position whose actor is zelensky, by date then id
    "ukraine-leaders-talks-2022-02-25",
    "ukraine-neutrality-2022-02-25",
    "ukraine-sanctions-2022-02-25",
    "ukraine-security-guarantees-2022-02-25",
    "ukraine-halt-bombing-2022-03-01",
    "ukraine-neutrality-2022-03-01",
    "ukraine-no-fly-zone-2022-03-01",
    "ukraine-security-guarantees-2022-03-01",
    "ukraine-leaders-talks-2022-03-03",
    "ukraine-military-aid-2022-03-03",
    "ukraine-no-fly-zone-2022-03-03",
    "ukraine-troop-withdrawal-2022-03-03",
]
ROUND_ONE = [
    "russia-crimea-2022-02-28",
    "russia-donbas-2022-02-28",
    "russia-eu-membership-2022-02-28",
    "ukraine-ceasefire-2022-02-28",
    "ukraine-crimea-2022-02-28",
    "ukraine-troop-withdrawal-2022-02-28",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("party=ukraine&issue=neutrality", [
            "ukraine-neutrality-2022-02-25", "ukraine-neutrality-2022-03-01"
        ]),
        ("party=usa,eu&issue=sanctions", ["eu-sanctions-2022-02-25", "usa-sanctions-2022-02-25"]),
        ("issue=crimea", [
            "russia-crimea-2022-02-23", "russia-crimea-2022-02-28", "ukraine-crimea-2022-02-28"
        ]),
        ("actor=zelensky", ZELENSKY),
        ("actor=Zelenskiy", ZELENSKY),  # Reuters' spelling
        ("actor=ZELENSKYY", ZELENSKY),  # Al Jazeera's, shouted
        ("actor=volodymyr%20zelenskiy", ZELENSKY),
        ("actor=White%20House", ["usa-no-fly-zone-2022-03-01-white-house"]),
        ("actor=Peskov", [
            "russia-demilitarization-2022-02-25", "russia-denazification-2022-02-25"
        ]),
        ("source=no-talks-until-bombing-stops-2022-03-01", [  # corroborations count too
            "eu-sanctions-2022-02-25",
            "usa-sanctions-2022-02-25",
            "nato-military-aid-2022-03-01",
            "ukraine-halt-bombing-2022-03-01",
            "ukraine-no-fly-zone-2022-03-01",
            "usa-no-fly-zone-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-white-house",
        ]),
        ("round=round-1", ROUND_ONE),
        ("round=round-2", [
            "russia-humanitarian-corridors-2022-03-03", "ukraine-humanitarian-corridors-2022-03-03"
        ]),
        ("stance=rejects", ["ukraine-crimea-2022-02-28", "usa-no-fly-zone-2022-03-01-white-house"]),
        ("stance=open,opposes", [
            "ukraine-neutrality-2022-02-25",
            "ukraine-neutrality-2022-03-01",
            "usa-neutrality-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-biden",
        ]),
        ("until=2022-02-24", [
            "russia-crimea-2022-02-23",
            "russia-demilitarization-2022-02-23",
            "russia-neutrality-2022-02-23",
            "russia-denazification-2022-02-24",
        ]),
        ("since=2022-02-28&until=2022-02-28", ROUND_ONE),
        ("since=2022-03-03&party=ukraine&stance=demands", [
            "ukraine-leaders-talks-2022-03-03",
            "ukraine-military-aid-2022-03-03",
            "ukraine-no-fly-zone-2022-03-03",
            "ukraine-troop-withdrawal-2022-03-03",
        ]),
        ("disputed=true", ["usa-neutrality-2022-03-01-biden", "usa-no-fly-zone-2022-03-01-biden"]),
        ("since=2022-03-04", []),
        ("since=2022-03-03&until=2022-03-01", []),  # an empty window is empty, not an error
        ("party=belarus", []),  # the host has no stance of its own
    ],
)
def test_filters(client, query, expected):
    response = client.get(f"/api/v1/positions?{query}")
    assert response.status_code == 200
    assert ids(response) == expected
    assert response.get_json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "total"),
    [("disputed=false", 30), ("since=2022-03-03", 6), ("party=ukraine,russia,usa,nato,eu", 32)],
)
def test_filter_totals(client, query, total):
    assert client.get(f"/api/v1/positions?{query}").get_json()["total"] == total


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("party=rusia", "party", "Unknown party 'rusia'. Did you mean 'russia'?"),
        ("party=Kyiv", "party", "Unknown party 'Kyiv'. Did you mean 'ukraine'?"),
        ("party=ukraine,moskow", "party", "Unknown party 'moskow'."),
        ("issue=neutral", "issue", "Unknown issue 'neutral'. Did you mean 'neutrality'?"),
        ("actor=Zelenski", "actor", "Unknown actor 'Zelenski'. Did you mean 'zelensky'?"),
        ("source=reuters", "source", "Unknown source 'reuters'."),
        ("round=round-3", "round", "Unknown round 'round-3'."),
    ],
)
def test_unknown_ids_are_400_naming_them(client, query, parameter, message):
    body = problem(client.get(f"/api/v1/positions?{query}"), 400)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0].startswith(message)


def test_every_unknown_id_is_named_at_once(client):
    body = problem(client.get("/api/v1/positions?party=rusia&issue=crimia&round=r9"), 400)
    assert set(body["errors"]) == {"party", "issue", "round"}


def test_csv_has_a_header_row_and_every_row(client):
    response = client.get("/api/v1/positions?format=csv")
    header, rows = csv_rows(response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert header == list(POSITION_COLUMNS)
    assert len(rows) == 32  # no page_size given: the whole table
    assert "Link" not in response.headers


def test_csv_flattens_evidence(client):
    _, rows = csv_rows(client.get("/api/v1/positions?format=csv&issue=leaders-talks&party=ukraine"))
    first = rows[0]
    assert first["id"] == "ukraine-leaders-talks-2022-02-25"
    assert first["evidence_sources"] == "kyiv-2022-02-25; kyiv-2022-02-25"
    quotes = first["evidence_quotes"].split("\n")
    assert len(quotes) == 2
    assert quotes[1].startswith("“I want to address the president of the Russian Federation")
    assert (first["stance"], first["score"], first["disputed"]) == ("supports", "1", "false")


def test_csv_pages_when_asked(client):
    response = client.get("/api/v1/positions?format=csv&page=2&page_size=5")
    _, rows = csv_rows(response)
    json_ids = ids(client.get("/api/v1/positions?page=2&page_size=5"))
    assert [row["id"] for row in rows] == json_ids
    assert set(links(response)) == {"first", "prev", "next", "last"}


@pytest.mark.parametrize(
    ("accept", "query", "mimetype"),
    [
        ("text/csv", "", "text/csv"),
        ("text/csv, application/json;q=0.5", "", "text/csv"),
        ("application/json, text/csv;q=0.5", "", "application/json"),
        ("text/csv", "format=json", "application/json"),  # the parameter wins
        ("application/json", "format=csv", "text/csv"),
        ("*/*", "", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "", "application/json"),  # a browser
    ],
)
def test_content_negotiation(client, accept, query, mimetype):
    response = client.get(f"/api/v1/positions?{query}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]
