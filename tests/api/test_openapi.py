"""The OpenAPI document describes every endpoint, parameter and response."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

CSV_PATHS = {
    "/api/v1/positions",
    "/api/v1/snapshot",
    "/api/v1/changes",
    "/api/v1/compare",
    "/api/v1/convergence",
}
ATOM_PATHS = {"/api/v1/changes.atom"}
PAGED_PATHS = {
    "/api/v1/parties",
    "/api/v1/actors",
    "/api/v1/issues",
    "/api/v1/sources",
    "/api/v1/rounds",
    "/api/v1/positions",
    "/api/v1/changes",
    "/api/v1/corrections",
    "/api/v1/changes.atom",
}


@pytest.fixture
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1/"):
            yield path, item["get"], item.get("parameters", [])


def resolve(spec, node):
    while "$ref" in node:
        _, section, kind, name = node["$ref"].split("/")
        node = spec[section][kind][name]
    return node


def test_the_document_is_valid_openapi_3(spec):
    assert spec["openapi"] == "3.0.3"
    validate(spec)  # raises on the first violation of the OpenAPI 3.0 schema


def test_every_api_route_is_documented(app, spec):
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert len(routes) == 20  # 17, corrections, convergence and the Atom feed
    assert routes == {path for path, _, _ in operations(spec)}


def test_every_operation_has_a_summary_and_its_responses(spec):
    for path, operation, _ in operations(spec):
        assert operation["summary"], path
        responses = operation["responses"]
        assert {"200", "304", "400", "default"} <= set(responses), path
        ok = responses["200"]
        representation = "application/atom+xml" if path in ATOM_PATHS else "application/json"
        assert representation in ok["content"], path
        assert {"ETag", "Cache-Control", "X-Data-Version"} <= set(ok["headers"]), path
        assert ("Link" in ok["headers"]) == (path in PAGED_PATHS), path
        assert ("text/csv" in ok["content"]) == (path in CSV_PATHS), path
        if "{" in path:
            assert "404" in responses, path


def test_every_parameter_is_described_with_an_example(spec):
    count = 0
    for path, operation, path_parameters in operations(spec):
        for parameter in [*path_parameters, *operation["parameters"]]:
            parameter = resolve(spec, parameter)
            if parameter["in"] == "header":
                assert parameter["name"] == "If-None-Match"
                continue
            count += 1
            assert parameter.get("description"), (path, parameter["name"])
            example = parameter.get("example", parameter["schema"].get("example"))
            assert example is not None, (path, parameter["name"])
    assert count > 40


def test_every_read_takes_known_at(spec):
    count = 0
    for path, operation, _ in operations(spec):
        parameters = {resolve(spec, p)["name"]: resolve(spec, p) for p in operation["parameters"]}
        known_at = parameters.get("known_at")
        assert known_at is not None, path
        assert (known_at["in"], known_at["required"]) == ("query", False), path
        assert known_at["schema"]["format"] == "date", path
        assert "record" in known_at["description"], path
        count += 1
    assert count == len(list(operations(spec))) >= 18  # every operation, corrections included


def test_the_record_time_fields_are_documented(spec):
    schemas = spec["components"]["schemas"]
    position = schemas["Position"]["properties"]
    assert {"recorded", "time", "supersedes", "reason", "superseded_by", "retracted"} <= set(
        position
    )
    assert "verified" in schemas["Evidence"]["properties"]
    assert {"archived", "archive", "sha256", "reason"} <= set(schemas["Source"]["properties"])
    assert "aliases" in schemas["Issue"]["properties"]
    assert {"disputed", "rivals"} <= set(schemas["Cell"]["properties"])
    assert {"conditions", "disputed", "rivals"} <= set(schemas["Side"]["properties"])
    status = schemas["Comparison"]["properties"]["status"]
    assert status["enum"] == ["agreed", "conditional", "negotiable", "opposed", "unknown"]
    assert "`conditional`" in status["description"]
    correction = schemas["Correction"]["properties"]
    assert set(correction) == {"kind", "position", "replaced_by", "reason", "recorded"}


def test_errors_are_documented_as_problem_details(spec):
    for name in ("BAD_REQUEST", "NOT_FOUND", "DEFAULT_ERROR"):
        content = spec["components"]["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "errors"}
    assert "RFC 9457" in spec["info"]["description"]
    assert "`405` with an `Allow` header" in spec["info"]["description"]


def query_parameters(spec, path):
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"] if "name" in p}


def test_id_parameters_list_the_ids_of_the_data(spec, bundled):
    parameters = query_parameters(spec, "/api/v1/positions")
    assert parameters["party"]["schema"]["items"]["enum"] == list(bundled.parties)
    assert parameters["issue"]["schema"]["items"]["enum"] == list(bundled.issues)
    assert parameters["round"]["schema"]["enum"] == list(bundled.rounds)
    assert {"zelensky", "Zelenskiy", "Zelenskyy"} <= set(parameters["actor"]["schema"]["enum"])
    compare = query_parameters(spec, "/api/v1/compare")
    assert compare["parties"]["required"] is True
    assert compare["parties"]["schema"]["minItems"] == compare["parties"]["schema"]["maxItems"] == 2


def test_the_document_is_rendered_once_per_data_version(app, client):
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    first = client.get("/openapi.json").get_data()
    rendered = api._rendered
    assert client.get("/openapi.json?again=1").get_data() == first
    assert api._rendered is rendered
