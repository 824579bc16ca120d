"""/healthz and /readyz: cheap JSON probes, the reload error with its file:line, the spec."""

from __future__ import annotations

from datetime import datetime

import pytest


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


@pytest.mark.parametrize(("path", "schema"), [("/healthz", "Health"), ("/readyz", "Readiness")])
def test_both_probes_are_in_the_openapi_document_with_their_schema(app, path, schema):
    api = app.extensions["flask-smorest"]["blp_name_to_api"]["health"]
    spec = api.spec.to_dict()
    response = spec["paths"][path]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{schema}"
    }
    assert spec["paths"][path]["get"]["summary"]
