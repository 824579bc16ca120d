"""Collections, pages and items: /parties, /actors, /issues, /sources, /rounds, /positions."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import ids, links, problem

# totals and first items counted by hand in fixtures/*.yaml
COLLECTIONS = [
    ("/api/v1/parties", 6, "ukraine"),
    ("/api/v1/actors", 8, "zelensky"),
    ("/api/v1/issues", 15, "neutrality"),
    ("/api/v1/sources", 4, "kyiv-2022-02-25"),
    ("/api/v1/rounds", 2, "round-1"),
    ("/api/v1/positions", 32, "russia-crimea-2022-02-23"),  # earliest date, then id
]


@pytest.mark.parametrize(("path", "total", "first"), COLLECTIONS)
def test_collection_envelope(client, path, total, first):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "page_size"}
    assert (body["total"], body["page"], body["page_size"]) == (total, 1, 50)
    assert len(body["items"]) == total
    assert body["items"][0]["id"] == first
    assert set(links(response)) == {"first", "last"}


@pytest.mark.parametrize(("path", "total", "first"), COLLECTIONS)
def test_page_size_one_walks_every_item_once(client, path, total, first):
    seen, url = [], f"{path}?page_size=1"
    while url:
        response = client.get(url)
        seen.extend(ids(response))
        url = links(response).get("next")
    assert len(seen) == len(set(seen)) == total
    assert seen[0] == first


@pytest.mark.parametrize(
    ("page", "count", "expected"),
    [
        (1, 10, {"first": 1, "next": 2, "last": 4}),
        (2, 10, {"first": 1, "prev": 1, "next": 3, "last": 4}),
        (4, 2, {"first": 1, "prev": 3, "last": 4}),
        (9, 0, {"first": 1, "prev": 4, "last": 4}),  # past the end: empty, prev is the last
    ],
)
def test_link_header_pages(client, page, count, expected):
    response = client.get(f"/api/v1/positions?page={page}&page_size=10")
    body = response.get_json()
    assert (body["page"], body["page_size"], body["total"]) == (page, 10, 32)
    assert len(body["items"]) == count
    found = {
        rel: int(parse_qs(urlsplit(url).query)["page"][0]) for rel, url in links(response).items()
    }
    assert found == expected


def test_links_keep_the_filters(client):
    response = client.get("/api/v1/positions?party=ukraine&stance=demands&page_size=3")
    assert response.get_json()["total"] == 11  # counted in the fixtures
    for url in links(response).values():
        query = parse_qs(urlsplit(url).query)
        assert urlsplit(url).path == "/api/v1/positions"
        assert query["party"] == ["ukraine"]
        assert query["stance"] == ["demands"]
        assert query["page_size"] == ["3"]


def test_positions_are_sorted_by_date_then_id(client):
    items = client.get("/api/v1/positions?page_size=500").get_json()["items"]
    keys = [(item["date"], item["id"]) for item in items]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("path", "field", "expected"),
    [
        ("/api/v1/parties/ukraine", "aliases", ["Kyiv", "Kiev"]),
        ("/api/v1/actors/zelensky", "aliases", [
            "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"
        ]),
        ("/api/v1/issues/crimea", "proposition", "Ukraine recognises Crimea as part of Russia"),
        ("/api/v1/sources/bombing-must-stop-2022-03-01", "seed", "002_ccee9ae403eb08da.txt"),
        ("/api/v1/sources/kyiv-2022-02-25", "published", "2022-02-25"),
        ("/api/v1/positions/ukraine-neutrality-2022-03-01", "stance", "opposes"),
        ("/api/v1/positions/ukraine-crimea-2022-02-28", "score", -2),
        ("/api/v1/positions/usa-no-fly-zone-2022-03-01-biden", "dispute", "biden-not-the-time"),
    ],
)
def test_item_by_id(client, path, field, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json()[field] == expected


def test_position_quotes_are_verbatim_from_the_article(client):
    from tests.conftest import SEEDS

    position = client.get("/api/v1/positions/ukraine-neutrality-2022-03-01").get_json()
    (evidence,) = position["evidence"]
    source = client.get(f"/api/v1/sources/{evidence['source']}").get_json()
    text = (SEEDS / source["seed"]).read_text(encoding="utf-8")
    quote = "Zelensky also repeated his request for Ukraine to be accepted into NATO"
    assert evidence["quote"] == quote
    assert evidence["quote"] in text


@pytest.mark.parametrize(
    ("round_id", "positions", "outcomes"),
    [
        (
            "round-1",
            [
                "russia-crimea-2022-02-28",
                "russia-donbas-2022-02-28",
                "russia-eu-membership-2022-02-28",
                "ukraine-ceasefire-2022-02-28",
                "ukraine-crimea-2022-02-28",
                "ukraine-troop-withdrawal-2022-02-28",
            ],
            ["not_agreed", "agreed"],
        ),
        (
            "round-2",
            [
                "russia-humanitarian-corridors-2022-03-03",
                "ukraine-humanitarian-corridors-2022-03-03",
            ],
            ["agreed", "agreed", "agreed", "agreed", "not_agreed"],
        ),
    ],
)
def test_round_lists_its_positions_and_outcomes(client, round_id, positions, outcomes):
    body = client.get(f"/api/v1/rounds/{round_id}").get_json()
    assert [p["id"] for p in body["positions"]] == positions
    assert all(p["round"] == round_id for p in body["positions"])
    assert [o["status"] for o in body["outcomes"]] == outcomes
    assert body["host"] == "belarus"


def test_round_one_lasted_five_hours(client):
    # "Russia and Ukraine engaged in talks for five hours this week" (seed 002)
    assert client.get("/api/v1/rounds/round-1").get_json()["duration"] == "five hours"


@pytest.mark.parametrize(
    ("path", "parameter", "hint"),
    [
        ("/api/v1/parties/kyiv", "party_id", "Did you mean 'ukraine'?"),  # an alias
        ("/api/v1/parties/rusia", "party_id", "Did you mean 'russia'?"),
        ("/api/v1/actors/Zelenskiy", "actor_id", "Did you mean 'zelensky'?"),
        ("/api/v1/issues/crimia", "issue_id", "Did you mean 'crimea'?"),
        ("/api/v1/sources/nowhere", "source_id", "Unknown source 'nowhere'."),
        ("/api/v1/rounds/round-3", "round_id", "Unknown round 'round-3'."),
        ("/api/v1/positions/ukraine-neutrality-2022-03-02", "position_id", "Did you mean"),
        ("/api/v1/issues/crimia/timeline", "issue_id", "Did you mean 'crimea'?"),
    ],
)
def test_unknown_id_is_404_with_a_hint(client, path, parameter, hint):
    body = problem(client.get(path), 404)
    assert list(body["errors"]) == [parameter]
    assert hint in body["errors"][parameter][0]
    assert hint in body["detail"]
    assert body["instance"] == path
