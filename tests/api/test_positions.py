"""/positions: every filter, ids checked against the data, record time, and the CSV table.

Each filter is asked twice: with ``known_at=2026-11-30``, the record as it stood before
the second edition (recorded 2026-12-03) corrected the first (recorded 2026-11-22), and
as the record stands. Expected ids are worked out from the fixtures and the archived
articles (fixtures/archive/), quoted where the reading matters.
"""

from __future__ import annotations

import pytest

from service.exports.tables import POSITION_COLUMNS
from tests.support import csv_rows, ids, links, problem

FIRST = "known_at=2026-11-30"  # the first edition: after 2026-11-22, before 2026-12-03

ZELENSKY_FIRST = [  # every position whose actor is zelensky, by date then id
    "ukraine-leaders-talks-2022-02-25",
    "ukraine-neutrality-2022-02-25",
    "ukraine-sanctions-2022-02-25",
    "ukraine-security-guarantees-2022-02-25",
    "ukraine-halt-bombing-2022-03-01",
    "ukraine-neutrality-2022-03-01",
    "ukraine-no-fly-zone-2022-03-01",
    "ukraine-security-guarantees-2022-03-01",
    "ukraine-leaders-talks-2022-03-03",
    "ukraine-military-aid-2022-03-03",
    "ukraine-no-fly-zone-2022-03-03",
    "ukraine-troop-withdrawal-2022-03-03",
]
ZELENSKY = [  # the second edition: "Give me planes!" is a position of its own
    "ukraine-leaders-talks-2022-02-25",
    "ukraine-neutrality-2022-02-25-ed2",
    "ukraine-sanctions-tightening-2022-02-25",
    "ukraine-security-guarantees-2022-02-25-ed2",
    "ukraine-halt-bombing-2022-03-01-ed2",
    "ukraine-nato-membership-2022-03-01",
    "ukraine-no-fly-zone-2022-03-01-ed2",
    "ukraine-security-guarantees-2022-03-01-ed2",
    "ukraine-arms-supplies-2022-03-03",
    "ukraine-combat-aircraft-2022-03-03",
    "ukraine-leaders-talks-2022-03-03-ed2",
    "ukraine-no-fly-zone-2022-03-03-ed2",
    "ukraine-troop-withdrawal-2022-03-03",
]
ROUND_ONE_FIRST = [
    "russia-crimea-2022-02-28",
    "russia-donbas-2022-02-28",
    "russia-eu-membership-2022-02-28",
    "ukraine-ceasefire-2022-02-28",
    "ukraine-crimea-2022-02-28",
    "ukraine-troop-withdrawal-2022-02-28",
]
ROUND_ONE = [  # no Ukrainian position on Crimea: the article reports none (retracted)
    "russia-crimea-return-2022-02-28",
    "russia-donbas-2022-02-28-ed2",
    "russia-eu-membership-2022-02-28-ed2",
    "ukraine-ceasefire-2022-02-28-ed2",
    "ukraine-troop-withdrawal-2022-02-28-ed2",
]


@pytest.mark.parametrize(
    ("query", "first", "second"),
    [
        # "not afraid to talk about neutral status" (25 Feb) is on neutral status; "repeated
        # his request for Ukraine to be accepted into NATO" (1 Mar) is, since the split, on
        # NATO membership, not on neutrality
        ("party=ukraine&issue=neutrality",
         ["ukraine-neutrality-2022-02-25", "ukraine-neutrality-2022-03-01"],
         ["ukraine-neutrality-2022-02-25-ed2"]),
        ("party=ukraine&issue=nato-membership", [], ["ukraine-nato-membership-2022-03-01"]),
        # "the sanctions by Western allies were not enough": the West, no party named;
        # both positions retracted by the collective-actor rule (asked by the old id)
        ("party=usa,eu&issue=sanctions", ["eu-sanctions-2022-02-25", "usa-sanctions-2022-02-25"],
         []),
        # "recognize Crimea, which Moscow annexed in 2014, as part of Russia" stays; "drop its
        # demand that Crimea be returned to Ukraine" is on crimea-return, and Ukraine said
        # nothing the article reports
        ("issue=crimea",
         ["russia-crimea-2022-02-23", "russia-crimea-2022-02-28", "ukraine-crimea-2022-02-28"],
         ["russia-crimea-2022-02-23"]),
        ("issue=crimea-return", [], ["russia-crimea-return-2022-02-28"]),
        ("actor=zelensky", ZELENSKY_FIRST, ZELENSKY),
        ("actor=Zelenskiy", ZELENSKY_FIRST, ZELENSKY),  # Reuters' spelling
        ("actor=ZELENSKYY", ZELENSKY_FIRST, ZELENSKY),  # Al Jazeera's, shouted
        ("actor=volodymyr%20zelenskiy", ZELENSKY_FIRST, ZELENSKY),
        # "the White House says it is not willing to enforce a no-fly zone"
        ("actor=White%20House", ["usa-no-fly-zone-2022-03-01-white-house"],
         ["usa-no-fly-zone-2022-03-01-white-house-ed2"]),
        # "Moscow was ready to send its foreign and defense ministers ... for talks, but made
        # clear that Russia still insists on the “demilitarization and denazification”"
        ("actor=Peskov",
         ["russia-demilitarization-2022-02-25", "russia-denazification-2022-02-25"],
         ["russia-delegation-talks-2022-02-25", "russia-demilitarization-2022-02-25-ed2",
          "russia-denazification-2022-02-25"]),
        ("source=no-talks-until-bombing-stops-2022-03-01", [  # corroborations count too
            "eu-sanctions-2022-02-25",
            "usa-sanctions-2022-02-25",
            "nato-military-aid-2022-03-01",
            "ukraine-halt-bombing-2022-03-01",
            "ukraine-no-fly-zone-2022-03-01",
            "usa-no-fly-zone-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-white-house",
        ], [
            "ukraine-halt-bombing-2022-03-01-ed2",
            "ukraine-no-fly-zone-2022-03-01-ed2",
            "usa-no-fly-zone-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-white-house-ed2",
        ]),
        ("round=round-1", ROUND_ONE_FIRST, ROUND_ONE),
        # "The two sides said they agreed on the need for humanitarian corridors"; a halt to
        # fighting "possible", deliveries "seen eye-to-eye on", "will meet again": Podolyak's
        ("round=round-2",
         ["russia-humanitarian-corridors-2022-03-03", "ukraine-humanitarian-corridors-2022-03-03"],
         ["russia-humanitarian-corridors-2022-03-03-ed2", "ukraine-aid-deliveries-2022-03-03",
          "ukraine-delegation-talks-2022-03-03", "ukraine-humanitarian-corridors-2022-03-03-ed2",
          "ukraine-local-ceasefires-2022-03-03"]),
        # demands for the opposite of a proposition are rejects (the sign rule): "abandon any
        # aspirations of joining NATO", "drop its demand that Crimea be returned", "keeping
        # the country out of the European Union"; and "not willing to enforce"
        ("stance=rejects",
         ["ukraine-crimea-2022-02-28", "usa-no-fly-zone-2022-03-01-white-house"],
         ["russia-nato-membership-2022-02-23", "russia-crimea-return-2022-02-28",
          "russia-eu-membership-2022-02-28-ed2", "usa-no-fly-zone-2022-03-01-white-house-ed2"]),
        # "not afraid to talk about neutral status", "now was not the time" (twice, disputed),
        # a halt to fighting "possible ... only in those places" (Podolyak)
        ("stance=open,opposes", [
            "ukraine-neutrality-2022-02-25",
            "ukraine-neutrality-2022-03-01",
            "usa-neutrality-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-biden",
        ], [
            "ukraine-neutrality-2022-02-25-ed2",
            "usa-nato-membership-2022-03-01-biden",
            "usa-no-fly-zone-2022-03-01-biden",
            "ukraine-local-ceasefires-2022-03-03",
        ]),
        ("until=2022-02-24", [
            "russia-crimea-2022-02-23",
            "russia-demilitarization-2022-02-23",
            "russia-neutrality-2022-02-23",
            "russia-denazification-2022-02-24",
        ], [
            "russia-crimea-2022-02-23",
            "russia-demilitarization-2022-02-23",
            "russia-nato-membership-2022-02-23",
            "russia-denazification-2022-02-24",
        ]),
        ("since=2022-02-28&until=2022-02-28", ROUND_ONE_FIRST, ROUND_ONE),
        # of Zelenskyy's appeals of 3 March only "Leave our land", a bare imperative, demands;
        # "urged", "calling on", "appealed" are supports
        ("since=2022-03-03&party=ukraine&stance=demands", [
            "ukraine-leaders-talks-2022-03-03",
            "ukraine-military-aid-2022-03-03",
            "ukraine-no-fly-zone-2022-03-03",
            "ukraine-troop-withdrawal-2022-03-03",
        ], ["ukraine-troop-withdrawal-2022-03-03"]),
        # "now was not the time to make that move" / "to introduce such a measure"
        ("disputed=true",
         ["usa-neutrality-2022-03-01-biden", "usa-no-fly-zone-2022-03-01-biden"],
         ["usa-nato-membership-2022-03-01-biden", "usa-no-fly-zone-2022-03-01-biden"]),
        ("since=2022-03-04", [], []),
        ("since=2022-03-03&until=2022-03-01", [], []),  # an empty window is empty, not an error
        ("party=belarus", [], []),  # the host has no stance of its own
    ],
)
def test_filters(client, query, first, second):
    for known_at, expected in ((f"&{FIRST}", first), ("", second)):
        response = client.get(f"/api/v1/positions?{query}{known_at}")
        assert response.status_code == 200
        assert ids(response) == expected, known_at or "as the record stands"
        assert response.get_json()["total"] == len(expected)


@pytest.mark.parametrize(
    ("query", "first", "second"),
    [
        ("", 32, 33),
        ("disputed=false", 30, 31),
        ("since=2022-03-03", 6, 10),
        ("party=ukraine,russia,usa,nato,eu", 32, 33),
    ],
)
def test_filter_totals(client, query, first, second):
    assert client.get(f"/api/v1/positions?{query}&{FIRST}").get_json()["total"] == first
    assert client.get(f"/api/v1/positions?{query}").get_json()["total"] == second


@pytest.mark.parametrize(
    ("query", "replaced", "first", "second"),
    [
        # military-aid is an alias of arms-supplies ("Western states supply Ukraine with
        # weapons."). The first edition filed two positions under military-aid, and they
        # answer to it still; as the record stands, "calling on the West to increase military
        # aid to Kyiv" (Zelenskyy, 3 March) is the only one.
        ("issue=military-aid", {"military-aid=arms-supplies"},
         ["nato-military-aid-2022-03-01", "ukraine-military-aid-2022-03-03"],
         ["ukraine-arms-supplies-2022-03-03"]),
        # two old ids at once, each named; "He urged European governments to do more" is the
        # tightening of sanctions, and the usa and eu positions are retracted
        ("issue=military-aid,sanctions",
         {"military-aid=arms-supplies", "sanctions=sanctions-tightening"},
         ["eu-sanctions-2022-02-25", "ukraine-sanctions-2022-02-25", "usa-sanctions-2022-02-25",
          "nato-military-aid-2022-03-01", "ukraine-military-aid-2022-03-03"],
         ["ukraine-sanctions-tightening-2022-02-25", "ukraine-arms-supplies-2022-03-03"]),
    ],
)
@pytest.mark.parametrize("edition", ["first", "second"])
def test_an_old_issue_id_filters_on_the_issue_that_replaced_it(
    client, query, replaced, first, second, edition
):
    # one request per test: pytest-flask keeps one app context, so one ``g``, for a whole
    # test, and the header's record of replaced ids would carry over to a second request
    known_at, expected = (f"&{FIRST}", first) if edition == "first" else ("", second)
    response = client.get(f"/api/v1/positions?{query}{known_at}")
    assert set(response.headers["Parley-Replaced-Ids"].split(", ")) == replaced
    assert ids(response) == expected
    issues = {item["issue"] for item in response.get_json()["items"]}
    assert issues <= {"arms-supplies", "sanctions-tightening"}  # served by the new ids


def test_a_current_issue_id_is_not_reported_as_replaced(client):
    response = client.get("/api/v1/positions?issue=arms-supplies,sanctions-tightening")
    assert response.status_code == 200
    assert "Parley-Replaced-Ids" not in response.headers


def test_known_at_takes_the_record_of_its_day(client):
    def listed(known_at: str) -> list[str]:
        return ids(client.get(f"/api/v1/positions?page_size=100&known_at={known_at}"))

    as_it_stands = ids(client.get("/api/v1/positions?page_size=100"))
    first = listed("2026-11-30")
    assert listed("2021-01-01") == listed("2026-11-21") == []  # nothing recorded yet
    assert listed("2026-11-22") == listed("2026-12-02") == first  # the day it was recorded
    assert listed("2026-12-03") == listed("2100-01-01") == as_it_stands
    assert (len(first), len(as_it_stands)) == (32, 33)
    # 21 superseded and 4 retracted are gone; 21 corrections and 5 new positions came in
    assert len(set(first) - set(as_it_stands)) == 25
    assert len(set(as_it_stands) - set(first)) == 26
    items = client.get("/api/v1/positions?page_size=100").get_json()["items"]
    assert {item["recorded"] for item in items} == {"2026-11-22", "2026-12-03"}
    assert not any(item["superseded_by"] or item["retracted"] for item in items)


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-12-3"])
def test_a_bad_known_at_is_a_400_naming_it(client, value):
    body = problem(client.get(f"/api/v1/positions?known_at={value}"), 400)
    assert list(body["errors"]) == ["known_at"]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("party=rusia", "party", "Unknown party 'rusia'. Did you mean 'russia'?"),
        ("party=Kyiv", "party", "Unknown party 'Kyiv'. Did you mean 'ukraine'?"),
        ("party=ukraine,moskow", "party", "Unknown party 'moskow'."),
        ("issue=neutral", "issue", "Unknown issue 'neutral'. Did you mean 'neutrality'?"),
        ("actor=Zelenski", "actor", "Unknown actor 'Zelenski'. Did you mean 'zelensky'?"),
        ("source=reuters", "source", "Unknown source 'reuters'."),
        ("round=round-3", "round", "Unknown round 'round-3'."),
    ],
)
def test_unknown_ids_are_400_naming_them(client, query, parameter, message):
    body = problem(client.get(f"/api/v1/positions?{query}"), 400)
    assert list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0].startswith(message)


def test_every_unknown_id_is_named_at_once(client):
    body = problem(client.get("/api/v1/positions?party=rusia&issue=crimia&round=r9"), 400)
    assert set(body["errors"]) == {"party", "issue", "round"}


def test_csv_has_a_header_row_and_every_row(client):
    response = client.get("/api/v1/positions?format=csv")
    header, rows = csv_rows(response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert header == list(POSITION_COLUMNS)
    assert len(rows) == 33  # no page_size given: the whole table
    assert "Link" not in response.headers
    _, first = csv_rows(client.get(f"/api/v1/positions?format=csv&{FIRST}"))
    assert len(first) == 32
    assert "ukraine-crimea-2022-02-28" in {row["id"] for row in first}
    assert "ukraine-crimea-2022-02-28" not in {row["id"] for row in rows}


def test_csv_flattens_evidence(client):
    _, rows = csv_rows(client.get("/api/v1/positions?format=csv&issue=leaders-talks&party=ukraine"))
    first = rows[0]
    assert first["id"] == "ukraine-leaders-talks-2022-02-25"
    assert first["evidence_sources"] == "kyiv-2022-02-25; kyiv-2022-02-25"
    quotes = first["evidence_quotes"].split("\n")
    assert len(quotes) == 2
    assert quotes[1].startswith("“I want to address the president of the Russian Federation")
    assert (first["stance"], first["score"], first["disputed"]) == ("supports", "1", "false")


def test_csv_pages_when_asked(client):
    response = client.get("/api/v1/positions?format=csv&page=2&page_size=5")
    _, rows = csv_rows(response)
    json_ids = ids(client.get("/api/v1/positions?page=2&page_size=5"))
    assert [row["id"] for row in rows] == json_ids
    assert set(links(response)) == {"first", "prev", "next", "last"}


@pytest.mark.parametrize(
    ("accept", "query", "mimetype"),
    [
        ("text/csv", "", "text/csv"),
        ("text/csv, application/json;q=0.5", "", "text/csv"),
        ("application/json, text/csv;q=0.5", "", "application/json"),
        ("text/csv", "format=json", "application/json"),  # the parameter wins
        ("application/json", "format=csv", "text/csv"),
        ("*/*", "", "application/json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "", "application/json"),  # a browser
    ],
)
def test_content_negotiation(client, accept, query, mimetype):
    response = client.get(f"/api/v1/positions?{query}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]
