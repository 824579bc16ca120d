"""Query arguments as people type them: spaces after commas, one value where one is taken,
and suggestions only when they are likely to be meant."""

from __future__ import annotations

import pytest


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()["errors"]


@pytest.mark.parametrize(
    ("spaced", "plain"),
    [
        ("/api/v1/positions?party=russia, ukraine", "/api/v1/positions?party=russia,ukraine"),
        ("/api/v1/positions?stance=open , rejects", "/api/v1/positions?stance=open,rejects"),
        ("/api/v1/snapshot?as_of=2022-03-03&issue=crimea, neutrality",
         "/api/v1/snapshot?as_of=2022-03-03&issue=crimea,neutrality"),
        ("/api/v1/compare?parties=ukraine, russia&as_of=2022-03-03",
         "/api/v1/compare?parties=ukraine,russia&as_of=2022-03-03"),
    ],
)
def test_list_parameters_accept_spaces_after_commas(client, spaced, plain):
    response = client.get(spaced)
    assert response.status_code == 200
    assert response.get_json() == client.get(plain).get_json()


@pytest.mark.parametrize("parameter", ["actor", "source", "round"])
def test_a_single_valued_parameter_says_it_takes_one_value(client, parameter):
    response = client.get(f"/api/v1/positions?{parameter}=putin,peskov")
    assert errors(response) == {parameter: ["Takes one value, not a comma-separated list."]}


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("party=rusia", "party", "Unknown party 'rusia'. Did you mean 'russia'?"),
        (
            "party=turkey",
            "party",
            "Unknown party 'turkey'. Expected one of: ukraine, russia, usa, nato, eu, belarus.",
        ),
        ("issue=deescalation", "issue", "Unknown issue 'deescalation'. See /api/v1/issues."),
        ("actor=Zelenskiy", None, None),
        ("pary=russia", "pary", "Unknown parameter. Did you mean 'party'?"),
    ],
)
def test_suggestions_only_when_close_else_what_is_allowed(client, query, parameter, message):
    response = client.get(f"/api/v1/positions?{query}")
    if parameter is None:
        assert response.status_code == 200
    else:
        assert errors(response) == {parameter: [message]}


def test_an_unknown_parameter_far_from_all_lists_them(client):
    assert errors(client.get("/api/v1/snapshot?when=2022-03-01")) == {
        "when": ["Unknown parameter. Expected one of: known_at, format, as_of, party, issue."]
    }
