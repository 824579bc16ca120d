"""The convergence series: its points against compare and the articles, filters, CSV, errors.

(``tests/api/`` has no ``__init__.py``: ``tests/api.py``, the API tests' helpers, keeps the
name ``tests.api``; pytest imports these modules by their file names, which are unique.)
"""

from __future__ import annotations

from datetime import date

import pytest

from service.convergence import CONVERGENCE_COLUMNS, convergence
from service.model import STATUSES
from tests.support import csv_rows, load_dataset, problem, write_synthetic

URL = "/api/v1/convergence"
FIRST_EDITION = "2026-11-30"  # the record held only the first edition (recorded 2026-11-22)
# the second edition's issues that moved on 3 March (Russia: corridors; Ukraine: the rest), in
# the order of fixtures/catalogue.yaml: "Leave our land", "agreed on the need for humanitarian
# corridors", "a temporary halt to fighting in select locations", "the delivery of medicines
# and food", "will meet again next week", "Sit down with me", "appealed to Western leaders to
# impose a no-fly zone", "calling on the West to increase military aid", "give me planes!"
MOVED_ON_3_MARCH = [
    "troop-withdrawal", "humanitarian-corridors", "local-ceasefires", "aid-deliveries",
    "delegation-talks", "leaders-talks", "no-fly-zone", "arms-supplies", "combat-aircraft",
]  # fmt: skip


def points(client, query: str) -> list[dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["points"]


def test_ukraine_and_russia_point_by_point(client):
    found = points(client, "parties=ukraine,russia")
    assert [(p["date"], p["mean_gap"], p["issues"]) for p in found] == [
        ("2022-02-23", None, 0),  # Putin's demands "before the onslaught"; Kyiv not yet heard
        ("2022-02-24", None, 0),  # the invasion "aimed at dislodging 'neo-Nazis'"
        # 25 February: Peskov's offer of ministers "for talks" (delegations), Zelensky's call
        # on Putin "to sit down for talks" (the presidents): two issues, none shared yet
        ("2022-02-25", None, 0),
        ("2022-02-28", None, 0),  # the first round: each side's demands, on different issues
        # nato-membership: "repeated his request for Ukraine to be accepted into NATO"
        # (supports) against "abandon any aspirations of joining NATO" (rejects): |1 - -2|
        ("2022-03-01", 3.0, 1),
        # "The two sides said they agreed on the need for humanitarian corridors", and
        # Podolyak's "will meet again next week" beside Peskov's offer of talks between
        # delegations: both supports, gap 0 twice: (3 + 0 + 0) / 3
        ("2022-03-03", 1.0, 3),
    ]
    assert found[-1]["statuses"] == {
        "agreed": 2, "conditional": 0, "negotiable": 0, "opposed": 1, "unknown": 19
    }  # fmt: skip
    assert found[-1]["moved"] == MOVED_ON_3_MARCH


def test_the_first_editions_series(client):
    found = points(client, f"parties=ukraine,russia&known_at={FIRST_EDITION}")
    assert [(p["date"], p["mean_gap"], p["issues"]) for p in found] == [
        ("2022-02-23", None, 0),
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
    # Ukraine's corridors carried the local ceasefire as conditions: the same leaning as
    # Russia's, with conditions, which compare now calls conditional (not agreed)
    assert found[-1]["statuses"] == {
        "agreed": 0, "conditional": 1, "negotiable": 0, "opposed": 2, "unknown": 19
    }  # fmt: skip
    assert found[-1]["moved"] == [  # military-aid is now arms-supplies
        "troop-withdrawal", "humanitarian-corridors", "leaders-talks", "no-fly-zone",
        "arms-supplies",
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


@pytest.mark.parametrize("known_at", [None, FIRST_EDITION])
@pytest.mark.parametrize(
    "pair", [("ukraine", "russia"), ("ukraine", "usa"), ("usa", "nato"), ("eu", "belarus")]
)
def test_every_point_agrees_with_compare_on_its_date(client, pair, known_at):
    record = f"&known_at={known_at}" if known_at else ""
    for point in points(client, "parties=" + ",".join(pair) + record):
        compare = client.get(
            f"/api/v1/compare?parties={','.join(pair)}&as_of={point['date']}{record}"
        )
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
    found = points(client, "parties=ukraine,russia&issue=nato-membership,neutrality")
    assert [(p["date"], p["mean_gap"], p["issues"]) for p in found] == [
        ("2022-02-23", None, 0),  # "abandon any aspirations of joining NATO"
        ("2022-02-25", None, 0),  # "not afraid to talk about neutral status": Russia, none
        ("2022-03-01", 3.0, 1),  # "to be accepted into NATO": supports vs rejects
    ]
    assert sum(found[-1]["statuses"].values()) == 2
    # the first edition, which filed Putin's demand and Zelensky's request under neutrality
    query = f"parties=ukraine,russia&issue=crimea,neutrality&known_at={FIRST_EDITION}"
    found = points(client, query)
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
    assert columns[3:8] == ["agreed", "conditional", "negotiable", "opposed", "unknown"]
    assert rows[0]["mean_gap"] == ""
    assert rows[-1] == {  # as test_ukraine_and_russia_point_by_point says
        "date": "2022-03-03", "mean_gap": "1.0", "issues": "3", "agreed": "2",
        "conditional": "0", "negotiable": "0", "opposed": "1", "unknown": "19",
        "moved": "; ".join(MOVED_ON_3_MARCH),
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
        "parties", "since", "until", "issue", "format", "known_at"
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
    # no issue both hold yet (see test_ukraine_and_russia_point_by_point): all 22 unknown
    assert found[-1].statuses == {
        "agreed": 0, "conditional": 0, "negotiable": 0, "opposed": 0, "unknown": 22
    }  # fmt: skip
    # 25 February: Zelensky on sanctions ("urged European governments to do more"), neutral
    # status, security guarantees and a meeting with Putin; Peskov on demilitarisation,
    # denazification and sending ministers for talks (in the catalogue's order)
    assert found[-1].moved == (
        "neutrality", "security-guarantees", "demilitarization", "denazification",
        "delegation-talks", "leaders-talks", "sanctions-tightening",
    )  # fmt: skip
    # the record as it stood is a dataset of its own: the first edition's Kyiv was open on
    # neutrality, which Moscow demanded
    old = convergence(bundled.known_at(date(2026, 11, 30)), "ukraine", "russia",
                      until=date(2022, 2, 25))  # fmt: skip
    assert old[-1].statuses["negotiable"] == 1


def test_conditions_make_a_shared_leaning_conditional(tmp_path):
    """A synthetic record, where a fifth of the positions carry conditions: every point's
    statuses are compare's on its date, conditional among them."""
    dataset = load_dataset(write_synthetic(tmp_path / "fixtures", 400, seed=11))
    seen = 0
    for first, second in [("party-00", "party-01"), ("party-01", "party-02")]:
        for point in convergence(dataset, first, second):
            rows = dataset.compare(first, second, point.date)
            assert point.statuses == {s: sum(r.status == s for r in rows) for s in STATUSES}
            seen += point.statuses["conditional"]
    assert seen
