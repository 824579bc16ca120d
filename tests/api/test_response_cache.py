"""The response cache (service/replay.py) replays exactly what the app answered, for the same
request only; it holds successes only, is bounded, and can be turned off."""

from __future__ import annotations

import gc
import gzip
import itertools
import threading
import tracemalloc
from datetime import date, timedelta

import pytest

from service import create_app
from tests.support import write_synthetic

URL = "/api/v1/snapshot?as_of=2022-03-02&issue=neutrality"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


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


def test_size_zero_disables_the_cache(make_app, monkeypatch):
    app = make_app(PARLEY_RESPONSE_CACHE_MB=0)
    client = app.test_client()
    assert cached(app) is None
    first = client.get("/api/v1/positions")
    assert first.headers["ETag"] == client.get("/api/v1/positions").headers["ETag"]
    monkeypatch.setattr(app.extensions["parley"].dataset, "filter_positions", explode)
    with pytest.raises(AssertionError, match="the view ran"):
        client.get("/api/v1/positions")


# -- the budget in bytes, and keys by what the app answers -------------------------------

BUDGET_MB = 1
BUDGET = BUDGET_MB * 2**20


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """2,000 synthetic positions over a month: 24 parties, 120 issues."""
    return write_synthetic(tmp_path_factory.mktemp("synthetic"), 2000, seed=7)


@pytest.fixture
def small_cache(synthetic):
    """An app on the synthetic data whose response cache has a budget of 1 MiB."""
    return create_app(
        {"PARLEY_FIXTURES": str(synthetic), "TESTING": True, "PARLEY_RESPONSE_CACHE_MB": BUDGET_MB}
    )


def cache(app):
    return app.extensions["parley.replay"]


def distinct_urls(app, count: int) -> list[str]:
    """``count`` different CSV queries of the positions: one party, a window of days."""
    meta = app.test_client().get("/api/v1/meta").get_json()
    first, last = date.fromisoformat(meta["first_date"]), date.fromisoformat(meta["last_date"])
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    windows = [(a, b) for a, b in itertools.combinations_with_replacement(days, 2)]
    parties = list(app.extensions["parley"].dataset.parties)
    queries = itertools.product(windows, parties)
    return [
        f"/api/v1/positions?format=csv&since={since}&until={until}&party={party}"
        for (since, until), party in itertools.islice(queries, count)
    ]


def test_many_distinct_urls_keep_the_cache_within_its_budget_in_bytes(small_cache):
    client, replay = small_cache.test_client(), cache(small_cache)
    assert replay.entries.maxsize == BUDGET
    served = 0
    for url in distinct_urls(small_cache, 2000):
        response = client.get(url)
        assert response.status_code == 200, url
        served += len(response.get_data())
        assert replay.entries.currsize <= BUDGET
        client.get(url, headers=GZIP)  # and its gzip copy, made and kept beside it
        assert replay.entries.currsize <= BUDGET
    assert served > 4 * BUDGET  # enough to have blown an unbounded cache
    kept = list(replay.entries.values())
    assert 10 < len(kept) < 2000  # full, and the oldest gave way
    assert any(r.gzipped for r in kept)
    # what is charged covers at least the bodies and headers it holds
    held = [v for r in kept for v in (r.plain, r.gzipped) if v is not None]
    assert sum(len(v.body) + sum(len(k) + len(x) for k, x in v.headers) for v in held) <= sum(
        r.size for r in kept
    ) == replay.entries.currsize


def test_what_the_cache_is_charged_covers_the_memory_it_holds(small_cache):
    client, replay = small_cache.test_client(), cache(small_cache)
    urls = distinct_urls(small_cache, 150)
    client.get(urls[0])  # the app's own first-request allocations, outside the measure
    replay.entries.clear()
    gc.collect()
    tracemalloc.start()
    try:
        for url in urls:
            client.get(url).close()
            client.get(url, headers=GZIP).close()
        charged = replay.entries.currsize
        gc.collect()
        holding = tracemalloc.get_traced_memory()[0]
        replay.entries.clear()
        gc.collect()
        held = holding - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert 0 < held <= charged


def test_a_response_over_an_eighth_of_the_budget_is_served_but_not_kept(small_cache):
    client, replay = small_cache.test_client(), cache(small_cache)
    whole = client.get("/api/v1/positions?format=csv")
    assert whole.status_code == 200
    assert len(whole.get_data()) > BUDGET / 8
    assert len(replay.entries) == 0
    assert client.get("/api/v1/positions?format=csv").get_data() == whole.get_data()


JSON_ACCEPTS = [
    None,
    "application/json",
    "*/*",
    "application/*",
    "application/json, text/plain;q=0.5",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/xml",  # neither offered: JSON, as without a header
]
CSV_ACCEPTS = ["text/csv", "text/csv, application/json;q=0.9", "text/*", "TEXT/CSV"]


def test_equivalent_accept_headers_share_one_entry_per_representation(app):
    client, replay = app.test_client(), cache(app)
    url = "/api/v1/snapshot?as_of=2022-03-02"
    bodies = {}
    for accept in JSON_ACCEPTS + CSV_ACCEPTS:
        response = client.get(url, headers={"Accept": accept} if accept else {})
        assert response.status_code == 200, accept
        bodies.setdefault(response.mimetype, set()).add(response.get_data())
    assert {mimetype: len(seen) for mimetype, seen in bodies.items()} == {
        "application/json": 1,
        "text/csv": 1,
    }
    assert len(replay.entries) == 2


@pytest.mark.parametrize(
    "query",
    [
        "party=ukraine&issue=neutrality&page_size=2",
        "page_size=2&issue=neutrality&party=ukraine",
        "party=%75kraine&issue=neutr%61lity&page_size=2",
        "issue=neutrality&page_size=2&party=ukraine",
    ],
)
def test_the_same_parameters_in_another_order_or_encoding_are_one_entry(app, query):
    client, replay = app.test_client(), cache(app)
    first = client.get("/api/v1/positions?party=ukraine&issue=neutrality&page_size=2")
    again = client.get(f"/api/v1/positions?{query}")
    assert again.get_json()["items"] == first.get_json()["items"]
    assert len(replay.entries) == 1


def test_a_query_that_is_not_utf8_is_passed_to_the_app_uncached(app):
    client, replay = app.test_client(), cache(app)
    response = client.get("/api/v1/positions?party=%ff")
    assert response.status_code == 400
    assert len(replay.entries) == 0


def test_threads_share_one_cache_safely(small_cache):
    """gunicorn's threads call one cache at once: answers stay right, the budget holds."""
    urls = distinct_urls(small_cache, 120)
    reference = create_app(
        {"PARLEY_FIXTURES": small_cache.config["PARLEY_FIXTURES"], "PARLEY_RESPONSE_CACHE_MB": 0}
    ).test_client()
    expected = {url: reference.get(url).get_data() for url in urls}
    replay, failures = cache(small_cache), []

    def hammer(offset: int) -> None:
        client = small_cache.test_client()
        for n in range(300):
            url = urls[(offset * 7 + n) % len(urls)]
            if client.get(url).get_data() != expected[url]:
                failures.append(url)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert 0 < replay.entries.currsize <= BUDGET
    assert sum(r.size for r in replay.entries.values()) == replay.entries.currsize


def test_a_client_that_accepts_gzip_gets_the_stored_response_compressed_once(app, monkeypatch):
    client = app.test_client()
    url = "/api/v1/positions?party=ukraine"
    first = client.get(url, headers=GZIP)  # rendered by the app: sent as it is
    assert "Content-Encoding" not in first.headers
    assert "Accept-Encoding" in first.headers["Vary"] and "Accept" in first.headers["Vary"]
    plain = first.get_data()
    compressions = []
    real = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda *a, **k: compressions.append(1) or real(*a, **k))
    zipped = [client.get(url, headers=GZIP) for _ in range(3)]
    assert len(compressions) == 1  # made once, then replayed
    for answer in zipped:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert answer.headers["Vary"] == first.headers["Vary"]
        body = answer.get_data()
        assert int(answer.headers["Content-Length"]) == len(body) < len(plain)
        assert gzip.decompress(body) == plain
        assert answer.headers["ETag"] == first.headers["ETag"][:-1] + '-gzip"'
    # a client that does not take gzip, or refuses it, still gets the plain bytes
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
        answer = client.get(url, headers=headers)
        assert "Content-Encoding" not in answer.headers
        assert answer.get_data() == plain
        assert answer.headers["ETag"] == first.headers["ETag"]


def test_either_etag_revalidates_and_the_304_names_the_copy_held(app):
    client = app.test_client()
    url = "/api/v1/positions?party=russia"
    plain = client.get(url).headers["ETag"]
    zipped = client.get(url, headers=GZIP).headers["ETag"]
    assert zipped != plain
    for held in (plain, zipped):
        again = client.get(url, headers={**GZIP, "If-None-Match": held})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == held
        assert "Content-Encoding" not in again.headers


@pytest.mark.parametrize("url", ["/api/v1/positions?party=russia", "/issues/neutrality"])
def test_a_worker_without_the_entry_answers_the_gzip_copys_etag_with_a_304(make_app, url):
    held = make_app().test_client()
    held.get(url, headers=GZIP)
    zipped = held.get(url, headers=GZIP).headers["ETag"]
    assert zipped.endswith('-gzip"')
    fresh = make_app()  # another worker: its cache has never seen the URL
    again = fresh.test_client().get(url, headers={**GZIP, "If-None-Match": zipped})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == zipped
    other = fresh.test_client().get(url, headers={**GZIP, "If-None-Match": '"other-gzip"'})
    assert other.status_code == 200


def test_short_bodies_are_not_compressed(app):
    client = app.test_client()
    url = "/api/v1/parties/ukraine"
    assert len(client.get(url).get_data()) < 1024
    answer = client.get(url, headers=GZIP)
    assert "Content-Encoding" not in answer.headers


def test_a_body_gzip_does_not_shorten_is_sent_plain_and_compressed_only_once(app, monkeypatch):
    client = app.test_client()
    url = "/api/v1/positions?party=ukraine"
    plain = client.get(url).get_data()
    tries = []
    monkeypatch.setattr(gzip, "compress", lambda body, **k: tries.append(1) or body + b"more")
    for _ in range(3):
        answer = client.get(url, headers=GZIP)
        assert "Content-Encoding" not in answer.headers
        assert answer.get_data() == plain
    assert len(tries) == 1
