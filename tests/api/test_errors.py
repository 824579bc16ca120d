"""The error contract: RFC 9457 problem details for every bad request, never HTML, never 500."""

from __future__ import annotations

import pytest

from tests.support import problem

ENDPOINTS = [
    "/api/v1/parties",
    "/api/v1/parties/ukraine",
    "/api/v1/actors",
    "/api/v1/actors/zelensky",
    "/api/v1/issues",
    "/api/v1/issues/crimea",
    "/api/v1/sources",
    "/api/v1/sources/kyiv-2022-02-25",
    "/api/v1/rounds",
    "/api/v1/rounds/round-1",
    "/api/v1/positions",
    "/api/v1/positions/ukraine-neutrality-2022-03-01",
    "/api/v1/snapshot",
    "/api/v1/issues/crimea/timeline",
    "/api/v1/changes",
    "/api/v1/compare?parties=ukraine,russia",
    "/api/v1/meta",
]


def with_query(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_answers(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unknown_parameter_is_400_naming_it(client, path):
    body = problem(client.get(with_query(path, "pary=russia")), 400)
    assert list(body["errors"]) == ["pary"]
    assert body["errors"]["pary"][0].startswith("Unknown parameter.")
    assert "pary" in body["detail"]


@pytest.mark.parametrize(
    ("path", "typo", "meant"),
    [
        ("/api/v1/positions", "pary", "party"),
        ("/api/v1/positions", "pagesize", "page_size"),
        ("/api/v1/snapshot", "asof", "as_of"),
        ("/api/v1/compare?parties=ukraine,russia", "as_off", "as_of"),
        ("/api/v1/changes", "sinse", "since"),
    ],
)
def test_unknown_parameter_gets_a_did_you_mean(client, path, typo, meant):
    body = problem(client.get(with_query(path, f"{typo}=x")), 400)
    assert body["errors"][typo] == [f"Unknown parameter. Did you mean '{meant}'?"]


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/api/v1/snapshot", "as_of", "yesterday"),
        ("/api/v1/snapshot", "as_of", "2022-02-30"),
        ("/api/v1/snapshot", "as_of", "02/03/2022"),
        ("/api/v1/compare?parties=ukraine,russia", "as_of", "today"),
        ("/api/v1/positions", "since", "2022-13-01"),
        ("/api/v1/changes", "until", "soon"),
        ("/api/v1/positions", "page", "-1"),
        ("/api/v1/positions", "page", "0"),
        ("/api/v1/positions", "page", "two"),
        ("/api/v1/parties", "page", "1.5"),
        ("/api/v1/positions", "page_size", "0"),
        ("/api/v1/changes", "page_size", "501"),
        ("/api/v1/positions", "stance", "angry"),
        ("/api/v1/positions", "stance", ""),
        ("/api/v1/positions", "disputed", "maybe"),
        ("/api/v1/positions", "format", "xml"),
        ("/api/v1/snapshot", "party", "rusia"),
        ("/api/v1/snapshot", "issue", "crimia"),
        ("/api/v1/issues/crimea/timeline", "party", "rusia"),
        ("/api/v1/changes", "party", "rusia"),
        ("/api/v1/compare?parties=ukraine,russia", "issue", "crimia"),
    ],
)
def test_bad_value_is_400_naming_the_parameter(client, path, parameter, value):
    body = problem(client.get(with_query(path, f"{parameter}={value}")), 400)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter]
    assert body["detail"].startswith(f"{parameter}: ")


def test_a_parameter_given_twice_is_400(client):
    body = problem(client.get("/api/v1/positions?party=ukraine&party=russia"), 400)
    assert body["errors"] == {
        "party": ["Given more than once; give one value, or a comma-separated list."]
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v2/positions",
        "/api/v1/issues/crimea/timeline/extra",
        "/api/v1/positions/",
        "/nope",
    ],
)
def test_unknown_route_is_404(client, path):
    body = problem(client.get(path), 404)
    assert body["errors"] == {}
    assert body["instance"] == path


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path", ["/api/v1/positions", "/api/v1/parties/ukraine", "/api/v1/snapshot", "/api/v1/meta"]
)
def test_other_methods_are_405_with_allow(client, method, path):
    response = client.open(path, method=method)
    problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_server_error_is_a_problem_too(make_app, monkeypatch):
    app = make_app(TESTING=False)
    dataset = app.extensions["parley"].dataset

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, with a secret in its message")

    monkeypatch.setattr(dataset, "snapshot_cells", broken)
    body = problem(app.test_client().get("/api/v1/snapshot?as_of=2022-03-01"), 500)
    assert "secret" not in body["detail"]
    assert body["title"] == "Internal Server Error"


def test_a_page_number_too_large_for_json_is_a_400_not_a_500(client):
    response = client.get("/api/v1/parties?page=18446744073709551616")
    assert response.status_code == 400
    assert "page" in response.get_json()["errors"]
