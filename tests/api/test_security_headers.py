"""Every response carries the security headers; HTML pages get the page CSP, the rest none."""

from __future__ import annotations

import pytest

from service.security import DATA_CSP, PAGE_CSP

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DATA = [
    ("GET", "/api/v1/parties", 200),
    ("GET", "/api/v1/positions?party=ukraine&format=csv", 200),
    ("GET", "/api/v1/snapshot?as_of=2022-03-02", 200),
    ("HEAD", "/api/v1/meta", 200),
    ("GET", "/openapi.json", 200),
    ("GET", "/healthz", 200),
    ("GET", "/readyz", 200),
    ("GET", "/docs/assets/docs.js", 200),
    ("GET", "/docs/assets/swagger-ui/swagger-ui.css", 200),
    ("GET", "/api/v1/positions?pary=russia", 400),
    ("GET", "/api/v1/parties/nowhere", 404),
    ("GET", "/nowhere", 404),
    ("GET", "/docs/assets/swagger-ui/index.html", 404),
    ("POST", "/api/v1/parties", 405),
    ("OPTIONS", "/api/v1/parties", 200),
    ("OPTIONS", "/docs", 200),
]


def assert_secured(response, csp: str) -> None:
    for name, value in {**COMMON, "Content-Security-Policy": csp}.items():
        assert response.headers.get(name) == value, name


@pytest.mark.parametrize(("method", "path", "status"), DATA)
def test_data_and_errors_may_load_and_run_nothing(client, method, path, status):
    with client.open(path, method=method) as response:
        assert response.status_code == status
        assert_secured(response, DATA_CSP)


def test_the_docs_page_gets_the_page_policy(client):
    response = client.get("/docs")
    assert response.mimetype == "text/html"
    assert_secured(response, PAGE_CSP)


def test_the_page_policy_allows_this_server_only_and_no_inline_or_eval():
    directives = dict(d.split(" ", 1) for d in PAGE_CSP.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in PAGE_CSP
    assert "http" not in PAGE_CSP and "*" not in PAGE_CSP


def test_a_500_carries_them(make_app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    app = make_app(TESTING=False)
    monkeypatch.setattr(app.extensions["parley"].dataset, "snapshot_cells", broken)
    response = app.test_client().get("/api/v1/snapshot?as_of=2022-03-01")
    assert response.status_code == 500
    assert_secured(response, DATA_CSP)


@pytest.mark.parametrize("cache_mb", [0, 1], ids=["from the app", "replayed"])
@pytest.mark.parametrize("path", ["/api/v1/parties", "/api/v1/snapshot?as_of=2022-03-02"])
def test_a_200_and_its_304_carry_them_whether_rendered_or_replayed(make_app, cache_mb, path):
    client = make_app(PARLEY_RESPONSE_CACHE_MB=cache_mb).test_client()
    first = client.get(path)
    again = client.get(path)  # from the cache, when there is one
    not_modified = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert (first.status_code, again.status_code, not_modified.status_code) == (200, 200, 304)
    for response in (first, again, not_modified):
        assert_secured(response, DATA_CSP)


def test_a_static_file_s_304_carries_them(client):
    with client.get("/docs/assets/docs.js") as first:
        etag = first.headers["ETag"]
    with client.get("/docs/assets/docs.js", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert_secured(again, DATA_CSP)


def test_a_replayed_304_is_the_app_s_own_304(make_app):
    """Rendered or replayed, a 304 has the same headers (werkzeug drops the entity headers)."""
    path = "/api/v1/parties"
    plain = make_app(PARLEY_RESPONSE_CACHE_MB=0).test_client()
    cached = make_app().test_client()
    tag = plain.get(path).headers["ETag"]
    cached.get(path)
    one = plain.get(path, headers={"If-None-Match": tag})
    two = cached.get(path, headers={"If-None-Match": tag})
    assert (one.status_code, two.status_code) == (304, 304)
    assert sorted(one.headers.keys()) == sorted(two.headers.keys())
    assert "Content-Type" not in two.headers
