"""The response cache replays exactly what the app answered, for the same request only."""

from __future__ import annotations

URL = "/api/v1/snapshot?as_of=2022-03-02&issue=neutrality"


def entries(app) -> int:
    return len(app.extensions["parley.replay"].entries)


def test_a_replay_is_the_response_the_app_gave(app):
    client = app.test_client()
    first = client.get(URL)
    second = client.get(URL)
    assert entries(app) == 1
    assert second.get_data() == first.get_data()
    assert sorted(second.headers.items()) == sorted(first.headers.items())


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
    assert entries(app) == 1


def test_with_a_list_of_origins_each_origin_gets_its_own_cors_answer(make_app):
    app = make_app(PARLEY_CORS_ORIGINS=["https://a.example", "https://b.example"])
    client = app.test_client()
    a = client.get(URL, headers={"Origin": "https://a.example"})
    b = client.get(URL, headers={"Origin": "https://b.example"})
    other = client.get(URL, headers={"Origin": "https://evil.example"})
    assert a.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert b.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert entries(app) == 3


def test_errors_and_other_methods_pass_through(app):
    client = app.test_client()
    assert client.get("/api/v1/snapshot?as_of=yesterday").status_code == 400
    assert client.options(URL).status_code == 200
    assert client.get("/healthz").status_code == 200  # outside the API: never cached
    assert entries(app) == 0


def test_a_reload_of_unchanged_files_shows_the_new_load_time(make_app):
    app = make_app()  # not the `app` fixture, whose pushed context would pin one dataset
    client = app.test_client()
    holder = app.extensions["parley"]
    before = client.get("/api/v1/meta").get_json()
    fresh = holder.dataset
    holder._dataset = type(fresh).__new__(type(fresh))
    holder._dataset.__dict__.update(fresh.__dict__, loaded_at=fresh.loaded_at.replace(year=2030))
    after = client.get("/api/v1/meta").get_json()
    assert after["data_version"] == before["data_version"]
    assert after["loaded_at"].startswith("2030-") and not before["loaded_at"].startswith("2030-")

