"""/healthz and /readyz: cheap JSON probes, the reload error with its file:line, the spec."""

from __future__ import annotations

from datetime import datetime

import pytest

from service import create_app


@pytest.fixture
def editable(fixtures_copy):
    """An app serving a copy of the bundled fixtures, which the test may change and reload."""
    return create_app({"PARLEY_FIXTURES": str(fixtures_copy), "TESTING": True}), fixtures_copy


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_json_that_no_cache_keeps(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_ok(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_names_the_dataset_served(client, bundled):
    body = client.get("/readyz").json
    assert body["status"] == "ready"
    assert body["data_version"] == bundled.version
    assert body["counts"] == bundled.counts()
    assert datetime.fromisoformat(body["loaded_at"]).tzinfo is not None
    assert body["last_reload_error"] is None


def test_readyz_reports_a_refused_reload_with_file_and_line_and_keeps_the_old_data(editable):
    app, fixtures = editable
    client = app.test_client()
    before = client.get("/readyz").json
    broken = fixtures / "2022-03-03-round-2.yaml"
    good = broken.read_text("utf-8")
    broken.write_text(good.replace("stance: supports", "stance: keen", 1), "utf-8")
    line = 1 + good[: good.index("stance: supports")].count("\n")

    assert app.extensions["parley"].reload() is False

    body = client.get("/readyz").json
    assert (body["data_version"], body["counts"]) == (before["data_version"], before["counts"])
    error = body["last_reload_error"]
    assert datetime.fromisoformat(error["at"]).tzinfo is not None
    # where, never what: a message may quote the file, and /readyz is public
    assert error["count"] == 1
    assert error["errors"] == [f"{broken.name}:{line}: positions[1].stance"]

    broken.write_text(good + "\n# reviewed\n", "utf-8")
    assert app.extensions["parley"].reload() is True
    body = client.get("/readyz").json
    assert body["last_reload_error"] is None
    assert body["data_version"] != before["data_version"]


@pytest.mark.parametrize(("path", "schema"), [("/healthz", "Health"), ("/readyz", "Readiness")])
def test_both_probes_are_in_the_openapi_document_with_their_schema(app, path, schema):
    api = app.extensions["flask-smorest"]["blp_name_to_api"]["health"]
    spec = api.spec.to_dict()
    response = spec["paths"][path]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{schema}"
    }
    assert spec["paths"][path]["get"]["summary"]
