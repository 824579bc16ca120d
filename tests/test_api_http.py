"""The HTTP layer: ETags and 304s, Cache-Control, X-Data-Version, CORS, the response cache."""

from __future__ import annotations

import pytest

from tests.api import problem

PATHS = [
    "/api/v1/parties",
    "/api/v1/positions?party=ukraine&format=csv",
    "/api/v1/snapshot?as_of=2022-03-02",
    "/api/v1/issues/neutrality/timeline",
    "/api/v1/changes?since=2022-03-01",
    "/api/v1/compare?parties=ukraine,russia",
    "/api/v1/meta",
    "/openapi.json",
]


def cached(app) -> int | None:
    """How many responses the app's response cache holds; None without one."""
    cache = app.extensions.get("parley.replay")
    return None if cache is None else len(cache.entries)


@pytest.mark.parametrize("path", PATHS)
def test_strong_etag_and_304(client, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.status_code == 200
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_cache_control_and_data_version(client, bundled, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["X-Data-Version"] == bundled.version


def test_max_age_comes_from_config(make_app):
    response = make_app(PARLEY_CACHE_MAX_AGE=5).test_client().get("/api/v1/meta")
    assert response.headers["Cache-Control"] == "public, max-age=5"


def test_etag_differs_per_representation(client):
    tags = {
        client.get(path).headers["ETag"]
        for path in (
            "/api/v1/positions",
            "/api/v1/positions?format=csv",
            "/api/v1/positions?party=ukraine",
            "/api/v1/positions?page=2&page_size=5",
        )
    }
    assert len(tags) == 4


def test_errors_carry_the_data_version_but_no_etag(client, bundled):
    response = client.get("/api/v1/parties/nowhere")
    problem(response, 404)
    assert response.headers["X-Data-Version"] == bundled.version
    assert "ETag" not in response.headers
    assert "public" not in response.headers.get("Cache-Control", "")


def test_head_has_the_headers_and_no_body(client):
    response = client.head("/api/v1/positions")
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["ETag"] == client.get("/api/v1/positions").headers["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/positions", "/api/v1/nope", "/openapi.json"])
def test_cors_allows_any_origin_by_default(client, path):
    response = client.get(path, headers={"Origin": "https://dashboard.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_exposes_the_caching_and_paging_headers(client):
    response = client.get("/api/v1/positions", headers={"Origin": "https://dashboard.example"})
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "X-Data-Version"} <= exposed


def test_cors_origins_from_config(make_app):
    client = make_app(PARLEY_CORS_ORIGINS="https://dashboard.example").test_client()
    allowed = client.get("/api/v1/meta", headers={"Origin": "https://dashboard.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://dashboard.example"
    other = client.get("/api/v1/meta", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_cors_preflight(client):
    response = client.options(
        "/api/v1/positions",
        headers={"Origin": "https://dashboard.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


# -- the response cache --------------------------------------------------------------------


def explode(*args, **kwargs):
    raise AssertionError("the view ran: the response was not served from the cache")


def test_a_repeated_get_is_served_without_running_the_view(app, client, monkeypatch):
    first = client.get("/api/v1/positions?party=ukraine&issue=crimea")
    monkeypatch.setattr(app.extensions["parley"].dataset, "filter_positions", explode)
    # the same query in another order is the same entry
    again = client.get("/api/v1/positions?issue=crimea&party=ukraine")
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Link"] == first.headers["Link"]
    assert again.headers["X-Data-Version"] == first.headers["X-Data-Version"]
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


def test_only_successes_are_cached(app, client):
    client.get("/api/v1/positions?party=rusia")
    client.get("/api/v1/parties/nowhere")
    client.get("/api/v1/nope")
    client.post("/api/v1/parties")
    assert cached(app) == 0
    client.get("/api/v1/parties")
    assert cached(app) == 1


def test_size_zero_disables_the_cache(make_app, monkeypatch):
    app = make_app(PARLEY_RESPONSE_CACHE_MB=0)
    client = app.test_client()
    assert cached(app) is None
    first = client.get("/api/v1/positions")
    assert first.headers["ETag"] == client.get("/api/v1/positions").headers["ETag"]
    monkeypatch.setattr(app.extensions["parley"].dataset, "filter_positions", explode)
    with pytest.raises(AssertionError, match="the view ran"):
        client.get("/api/v1/positions")


def test_a_reload_is_never_answered_from_the_old_version(make_app, fixtures_copy):
    app = make_app(PARLEY_FIXTURES=str(fixtures_copy))
    client = app.test_client()
    url = "/api/v1/snapshot?as_of=2022-03-02&party=ukraine&issue=neutrality"
    before = client.get(url)
    assert before.get_json()["cells"][0]["stance"] == "opposes"

    path = fixtures_copy / "2022-03-01-round-1.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "issue: neutrality\n    stance: opposes", "issue: neutrality\n    stance: rejects"
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert app.extensions["parley"].reload()

    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["cells"][0]["stance"] == "rejects"
    assert after.headers["X-Data-Version"] != before.headers["X-Data-Version"]
    assert after.headers["X-Data-Version"] == app.extensions["parley"].dataset.version
    assert after.headers["ETag"] != before.headers["ETag"]
