"""The convergence series: its points against compare and the articles, filters, CSV, errors.

(``tests/api/`` has no ``__init__.py``: ``tests/api.py``, the API tests' helpers, keeps the
name ``tests.api``; pytest imports these modules by their file names, which are unique.)
"""

from __future__ import annotations

from datetime import date

import pytest

from service.convergence import CONVERGENCE_COLUMNS, convergence
from service.model import STATUSES
from tests.support import csv_rows, problem

URL = "/api/v1/convergence"


def points(client, query: str) -> list[dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["points"]


def test_ukraine_and_russia_point_by_point(client):
    found = points(client, "parties=ukraine,russia")
    assert [(p["date"], p["mean_gap"], p["issues"]) for p in found] == [
        ("2022-02-23", None, 0),  # Putin's demands "before the onslaught"; Kyiv not yet heard
        ("2022-02-24", None, 0),
        # neutrality: Zelensky "not afraid to talk about neutral status" (open) vs demands
        ("2022-02-25", 2.0, 1),
        # crimea: Kyiv rejects, Moscow demands (first round, 28 February)
        ("2022-02-28", 3.0, 2),
        # neutrality: Zelensky "repeated his request ... to be accepted into NATO" (opposes)
        ("2022-03-01", 3.5, 2),
        # humanitarian corridors, both in favour (second round): (3 + 4 + 0) / 3
        ("2022-03-03", 2.333, 3),
    ]
    assert found[-1]["statuses"] == {"agreed": 1, "negotiable": 0, "opposed": 2, "unknown": 12}
    assert found[-1]["moved"] == [
        "no-fly-zone", "humanitarian-corridors", "troop-withdrawal", "leaders-talks", "military-aid"
    ]  # fmt: skip


def test_envelope_echoes_the_query(client):
    body = client.get(f"{URL}?parties=russia,ukraine&since=2022-02-25&until=2022-03-01").get_json()
    assert set(body) == {"parties", "since", "until", "points"}
    assert body["parties"] == ["russia", "ukraine"]
    assert (body["since"], body["until"]) == ("2022-02-25", "2022-03-01")
    assert [p["date"] for p in body["points"]] == ["2022-02-25", "2022-02-28", "2022-03-01"]
    point = body["points"][0]
    assert set(point) == {"date", "mean_gap", "issues", "statuses", "moved"}
    assert list(point["statuses"]) == sorted(STATUSES)  # JSON keys sorted, like every response


@pytest.mark.parametrize(
    "pair", [("ukraine", "russia"), ("ukraine", "usa"), ("usa", "nato"), ("eu", "belarus")]
)
def test_every_point_agrees_with_compare_on_its_date(client, pair):
    for point in points(client, "parties=" + ",".join(pair)):
        compare = client.get(f"/api/v1/compare?parties={','.join(pair)}&as_of={point['date']}")
        rows = compare.get_json()["issues"]
        gaps = [row["gap"] for row in rows if row["gap"] is not None]
        assert point["issues"] == len(gaps)
        mean = round(sum(gaps) / len(gaps), 3) if gaps else None
        assert point["mean_gap"] == mean
        for status in STATUSES:
            assert point["statuses"][status] == sum(row["status"] == status for row in rows)


def test_one_point_per_date_either_party_took_a_position(client, bundled):
    for first, second in [("ukraine", "usa"), ("nato", "eu")]:
        dates = sorted(
            {p.date.isoformat() for p in bundled.positions.values() if p.party in (first, second)}
        )
        assert [p["date"] for p in points(client, f"parties={first},{second}")] == dates


def test_an_issue_filter_compares_only_those_issues(client):
    found = points(client, "parties=ukraine,russia&issue=crimea,neutrality")
    assert [(p["date"], p["mean_gap"], p["issues"]) for p in found] == [
        ("2022-02-23", None, 0),
        ("2022-02-25", 2.0, 1),
        ("2022-02-28", 3.0, 2),  # crimea: rejects vs demands
        ("2022-03-01", 3.5, 2),  # neutrality: opposes vs demands
    ]
    assert sum(found[-1]["statuses"].values()) == 2


def test_since_keeps_what_was_said_before(client):
    whole = points(client, "parties=ukraine,russia")
    late = points(client, "parties=ukraine,russia&since=2022-03-01")
    assert late == whole[-2:]


def test_parties_without_positions_have_no_points(client):
    assert points(client, "parties=belarus,nato&issue=crimea") == []


def test_csv(client):
    response = client.get(f"{URL}?parties=ukraine,russia&format=csv")
    columns, rows = csv_rows(response)
    assert tuple(columns) == CONVERGENCE_COLUMNS
    assert columns[:3] == ["date", "mean_gap", "issues"]
    assert columns[3:7] == ["agreed", "negotiable", "opposed", "unknown"]
    assert rows[0]["mean_gap"] == ""
    assert rows[-1] == {
        "date": "2022-03-03", "mean_gap": "2.333", "issues": "3", "agreed": "1",
        "negotiable": "0", "opposed": "2", "unknown": "12",
        "moved": "no-fly-zone; humanitarian-corridors; troop-withdrawal; leaders-talks; "
        "military-aid",
    }  # fmt: skip
    by_accept = client.get(f"{URL}?parties=ukraine,russia", headers={"Accept": "text/csv"})
    assert by_accept.get_data() == response.get_data()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "parties"),
        ("parties=ukraine", "parties"),
        ("parties=ukraine,russia,usa", "parties"),
        ("parties=ukraine,ukraine", "parties"),
        ("parties=ukraine,rusia", "parties"),
        ("parties=ukraine,russia&issue=crimee", "issue"),
        ("parties=ukraine,russia&since=yesterday", "since"),
        ("parties=ukraine,russia&as_of=2022-03-01", "as_of"),  # compare's, not this one's
        ("parties=ukraine,russia&pary=x", "pary"),
        ("parties=ukraine,russia&format=xml", "format"),
    ],
)
def test_bad_arguments_are_400_naming_the_parameter(client, query, parameter):
    body = problem(client.get(f"{URL}?{query}"), 400)
    assert parameter in body["errors"]


def test_unknown_party_suggests_the_right_one(client):
    body = problem(client.get(f"{URL}?parties=ukraine,rusia"), 400)
    assert body["errors"]["parties"] == ["Unknown party 'rusia'. Did you mean 'russia'?"]


def test_http_layer(client):
    response = client.get(f"{URL}?parties=ukraine,russia")
    assert response.headers["X-Data-Version"]
    assert response.cache_control.public and response.cache_control.max_age == 60
    etag = response.headers["ETag"]
    again = client.get(f"{URL}?parties=ukraine,russia", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_documented_in_the_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"] if "name" in p} == {
        "parties", "since", "until", "issue", "format"
    }  # fmt: skip
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert spec["components"]["schemas"]["ConvergencePoint"]["required"] == sorted(
        ["date", "mean_gap", "issues", "statuses", "moved"]
    )
    statuses = spec["components"]["schemas"]["StatusCounts"]["properties"]
    assert set(statuses) == set(STATUSES)  # a status compare gains needs a field here


def test_the_query_on_its_own(bundled):
    found = convergence(bundled, "ukraine", "russia", until=date(2022, 2, 25))
    assert [p.date for p in found] == [date(2022, 2, 23), date(2022, 2, 24), date(2022, 2, 25)]
    assert found[-1].statuses == {"agreed": 0, "negotiable": 1, "opposed": 0, "unknown": 14}
    assert found[-1].moved == (
        "neutrality", "demilitarization", "denazification", "security-guarantees",
        "leaders-talks", "sanctions",
    )  # fmt: skip
