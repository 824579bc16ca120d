"""README.md's API examples are true: each `$ curl` is asked of the app, and its answer compared."""

from __future__ import annotations

import json
import re

import pytest

from service.model import STATUS_TABLE
from tests.support import ROOT

README = (ROOT / "README.md").read_text("utf-8")
EXAMPLE = re.compile(r"^\$ curl '127\.0\.0\.1:8000(?P<url>[^']+)'\n(?P<body>(?:.+\n)+)", re.M)
EXAMPLES = [(m["url"], m["body"]) for m in EXAMPLE.finditer(README)]


def test_the_readme_has_its_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("url", "body"), EXAMPLES, ids=[url for url, _ in EXAMPLES])
def test_each_example_is_what_the_app_answers(client, url, body):
    response = client.get(url)
    if response.mimetype == "text/csv":
        assert response.get_data(as_text=True).replace("\r\n", "\n") == body
    else:
        assert response.get_json() == json.loads(body)


def test_an_old_issue_id_says_which_issue_replaced_it(client):
    response = client.get("/api/v1/issues/military-aid")
    assert response.headers["Parley-Replaced-Ids"] == "military-aid=arms-supplies"


def test_the_compare_status_table_is_the_models(client):
    assert STATUS_TABLE in README
    spec = client.get("/openapi.json").get_json()
    statuses = spec["components"]["schemas"]["Comparison"]["properties"]["status"]
    assert statuses["description"] == STATUS_TABLE
