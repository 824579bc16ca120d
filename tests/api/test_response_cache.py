"""The response cache (service/replay.py) replays exactly what the app answered, for the same
request only; it holds successes only, is bounded, and can be turned off."""

from __future__ import annotations

import pytest

URL = "/api/v1/snapshot?as_of=2022-03-02&issue=neutrality"


def cached(app) -> int | None:
    """How many responses the app's response cache holds; None without one."""
    cache = app.extensions.get("parley.replay")
    return None if cache is None else len(cache.entries)


def test_a_replayed_304_keeps_the_validators_and_cors_and_drops_the_body(app):
    client = app.test_client()
    first = client.get(URL)
    again = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    for name in ("ETag", "Cache-Control", "X-Data-Version", "Access-Control-Allow-Origin"):
        assert again.headers[name] == first.headers[name]
    assert "Content-Type" not in again.headers


def test_head_is_answered_from_a_cached_get_without_a_body(app):
    client = app.test_client()
    first = client.get(URL)
    head = client.head(URL)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == first.headers["ETag"]
    assert cached(app) == 1


def test_with_a_list_of_origins_each_origin_gets_its_own_cors_answer(make_app):
    app = make_app(PARLEY_CORS_ORIGINS=["https://a.example", "https://b.example"])
    client = app.test_client()
    a = client.get(URL, headers={"Origin": "https://a.example"})
    b = client.get(URL, headers={"Origin": "https://b.example"})
    other = client.get(URL, headers={"Origin": "https://evil.example"})
    assert a.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert b.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert cached(app) == 3


def explode(*args, **kwargs):
    raise AssertionError("the view ran: the response was not served from the cache")


def test_a_repeated_get_is_served_without_running_the_view(app, client, monkeypatch):
    first = client.get("/api/v1/positions?party=ukraine&issue=crimea")
    monkeypatch.setattr(app.extensions["parley"].dataset, "filter_positions", explode)
    # the same query in another order is the same entry
    again = client.get("/api/v1/positions?issue=crimea&party=ukraine")
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    assert cached(app) == 1
    assert client.get(
        "/api/v1/positions?issue=crimea&party=ukraine",
        headers={"If-None-Match": first.headers["ETag"], "Origin": "https://d.example"},
    ).status_code == 304


def test_a_cached_response_gets_cors_headers_of_its_own_request(client):
    client.get("/api/v1/meta")
    hit = client.get("/api/v1/meta", headers={"Origin": "https://dashboard.example"})
    assert hit.headers["Access-Control-Allow-Origin"] == "*"
    assert hit.headers.getlist("Vary").count("Accept") <= 1


def test_representations_are_cached_apart(client):
    as_json = client.get("/api/v1/snapshot?as_of=2022-03-02")
    as_csv = client.get("/api/v1/snapshot?as_of=2022-03-02", headers={"Accept": "text/csv"})
    again = client.get("/api/v1/snapshot?as_of=2022-03-02")
    assert (as_json.mimetype, as_csv.mimetype, again.mimetype) == (
        "application/json", "text/csv", "application/json"
    )
    assert again.get_data() == as_json.get_data()


def test_only_successful_api_gets_are_cached(app, client):
    assert client.get("/api/v1/snapshot?as_of=yesterday").status_code == 400
    client.get("/api/v1/positions?party=rusia")
    client.get("/api/v1/parties/nowhere")
    client.get("/api/v1/nope")
    client.post("/api/v1/parties")
    assert client.options(URL).status_code == 200
    assert client.get("/healthz").status_code == 200  # outside the API: never cached
    assert cached(app) == 0
    client.get("/api/v1/parties")
    assert cached(app) == 1


def test_the_cache_is_bounded(make_app):
    app = make_app(PARLEY_RESPONSE_CACHE_SIZE=2)
    client = app.test_client()
    for party in ("ukraine", "russia", "usa"):
        client.get(f"/api/v1/positions?party={party}")
    assert cached(app) == 2


def test_size_zero_disables_the_cache(make_app, monkeypatch):
    app = make_app(PARLEY_RESPONSE_CACHE_SIZE=0)
    client = app.test_client()
    assert cached(app) is None
    first = client.get("/api/v1/positions")
    assert first.headers["ETag"] == client.get("/api/v1/positions").headers["ETag"]
    monkeypatch.setattr(app.extensions["parley"].dataset, "filter_positions", explode)
    with pytest.raises(AssertionError, match="the view ran"):
        client.get("/api/v1/positions")
