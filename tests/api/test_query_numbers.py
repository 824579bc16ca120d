"""Numeric query parameters take plain ASCII digits only, whatever else int() would read."""

from __future__ import annotations

import pytest

from tests.support import problem

SPELLINGS = [
    "%2B1",  # +1
    "+1",  # " 1": a "+" in a query is a space
    "1_0",
    "%D9%A1",  # ١ ARABIC-INDIC DIGIT ONE
    "%EF%BC%95",  # ５ FULLWIDTH DIGIT FIVE
    "%E2%91%A0",  # ① CIRCLED DIGIT ONE
    "1%0A",
    "0x10",
    "1e1",
    "",
]


@pytest.mark.parametrize("value", SPELLINGS)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/positions", "page"),
        ("/api/v1/positions", "page_size"),
        ("/api/v1/changes", "page"),
        ("/api/v1/parties", "page_size"),
    ],
)
def test_a_number_not_in_plain_digits_is_a_400_naming_the_parameter(
    client, path, parameter, value
):
    body = problem(client.get(f"{path}?{parameter}={value}"), 400)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0].endswith("is not a whole number; expected digits 0-9.")


@pytest.mark.parametrize(("value", "page"), [("2", 2), ("02", 2), ("1", 1)])
def test_plain_digits_are_a_page_number(client, value, page):
    response = client.get(f"/api/v1/actors?page_size=2&page={value}")
    assert response.status_code == 200
    assert response.get_json()["page"] == page


def test_the_document_still_describes_them_as_integers(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/positions"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if "name" in p}
    assert parameters["page"]["schema"]["type"] == "integer"
    assert parameters["page_size"]["schema"]["type"] == "integer"
