"""The HTTP layer (service/http.py): ETags and 304s, Cache-Control, X-Data-Version, CORS."""

from __future__ import annotations

import pytest

from tests.support import problem

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
