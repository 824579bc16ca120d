"""Collections, pages and items: /parties, /actors, /issues, /sources, /rounds, /positions,
and the record's own history: /corrections, superseded and retracted positions, old ids."""

from __future__ import annotations

import hashlib
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import BUNDLED
from tests.support import ids, links, problem

FIRST = "known_at=2026-11-30"  # the first edition: after 2026-11-22, before 2026-12-03

# BUG (service/loading/load.py, _records): RecordSet.issues is built from the cross-check
# index, into which check_issue_aliases (service/loading/crosscheck.py) inserts the alias
# keys (military-aid, sanctions) before the ids: arms-supplies and sanctions-tightening come
# first, and twice, instead of in their catalogue places (19th and 22nd).
ISSUE_ORDER_BUG = (
    "issues are not in catalogue order: service/loading/load.py _records builds them from "
    "the cross-check index, whose alias keys (military-aid, sanctions) come first"
)

# totals and first items counted by hand in fixtures/*.yaml, as the record stands
COLLECTIONS = [
    ("/api/v1/parties", 6, "ukraine"),
    ("/api/v1/actors", 8, "zelensky"),
    ("/api/v1/issues", 22, "neutrality"),  # the catalogue's first issue
    ("/api/v1/sources", 4, "kyiv-2022-02-25"),
    ("/api/v1/rounds", 2, "round-1"),
    ("/api/v1/positions", 33, "russia-crimea-2022-02-23"),  # earliest date, then id
]


@pytest.mark.parametrize(("path", "total", "first"), COLLECTIONS)
def test_collection_envelope(client, path, total, first):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "page_size"}
    assert (body["total"], body["page"], body["page_size"]) == (total, 1, 50)
    assert len(body["items"]) == total
    assert body["items"][0]["id"] == first, ISSUE_ORDER_BUG if "issues" in path else None
    assert set(links(response)) == {"first", "last"}


@pytest.mark.parametrize(("path", "total", "first"), COLLECTIONS)
def test_page_size_one_walks_every_item_once(client, path, total, first):
    seen, url = [], f"{path}?page_size=1"
    while url:
        response = client.get(url)
        seen.extend(ids(response))
        url = links(response).get("next")
    assert len(seen) == len(set(seen)) == total
    assert seen[0] == first, ISSUE_ORDER_BUG if "issues" in path else None


def test_pages_of_the_first_edition_keep_known_at_in_their_links(client):
    seen, url = [], f"/api/v1/positions?page_size=5&{FIRST}"
    while url:
        response = client.get(url)
        assert response.get_json()["total"] == 32
        seen.extend(ids(response))
        url = links(response).get("next")
        if url:
            assert parse_qs(urlsplit(url).query)["known_at"] == ["2026-11-30"]
    assert len(seen) == len(set(seen)) == 32
    assert "ukraine-crimea-2022-02-28" in seen and "ukraine-crimea-2022-02-28" not in ids(
        client.get("/api/v1/positions?page_size=100")
    )


@pytest.mark.parametrize(
    ("page", "count", "expected"),
    [
        (1, 10, {"first": 1, "next": 2, "last": 4}),
        (2, 10, {"first": 1, "prev": 1, "next": 3, "last": 4}),
        (4, 3, {"first": 1, "prev": 3, "last": 4}),  # 33 positions: 10 + 10 + 10 + 3
        (9, 0, {"first": 1, "prev": 4, "last": 4}),  # past the end: empty, prev is the last
    ],
)
def test_link_header_pages(client, page, count, expected):
    response = client.get(f"/api/v1/positions?page={page}&page_size=10")
    body = response.get_json()
    assert (body["page"], body["page_size"], body["total"]) == (page, 10, 33)
    assert len(body["items"]) == count
    found = {
        rel: int(parse_qs(urlsplit(url).query)["page"][0]) for rel, url in links(response).items()
    }
    assert found == expected


@pytest.mark.parametrize(("known_at", "total"), [("", 4), (f"&{FIRST}", 11)])
def test_links_keep_the_filters(client, known_at, total):
    # counted in the fixtures. As the record stands Ukraine demands only: "demanded a
    # cease-fire and a withdrawal of Russian troops" (round 1), "the bombardment of people
    # must stop" (1 March) and "Leave our land" (3 March); the first edition also scored
    # seven appeals and requests ("urged", "plead", "asked", "appealed") as demands.
    response = client.get(f"/api/v1/positions?party=ukraine&stance=demands&page_size=3{known_at}")
    assert response.get_json()["total"] == total
    for url in links(response).values():
        query = parse_qs(urlsplit(url).query)
        assert urlsplit(url).path == "/api/v1/positions"
        assert query["party"] == ["ukraine"]
        assert query["stance"] == ["demands"]
        assert query["page_size"] == ["3"]
        assert query.get("known_at") == (["2026-11-30"] if known_at else None)


@pytest.mark.parametrize("known_at", ["", FIRST])
def test_positions_are_in_time_order_then_id(client, known_at):
    """Date, then time (none in the bundled articles), then the first publication of the
    sources that report the position; the id only to list the positions that tie."""
    sources = client.get("/api/v1/sources").get_json()["items"]
    published = {source["id"]: source["published"] for source in sources}
    items = client.get(f"/api/v1/positions?page_size=500&{known_at}").get_json()["items"]
    keys = [
        (item["date"], item["time"] or "", min(published[e["source"]] for e in item["evidence"]),
         item["id"])
        for item in items
    ]  # fmt: skip
    assert len(keys) in (32, 33)
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("path", "field", "expected"),
    [
        ("/api/v1/parties/ukraine", "aliases", ["Kyiv", "Kiev"]),
        ("/api/v1/actors/zelensky", "aliases", [
            "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"
        ]),
        # the second edition of the catalogue: one positive proposition per issue
        ("/api/v1/issues/crimea", "proposition", "Ukraine recognises Crimea as part of Russia."),
        ("/api/v1/issues/crimea-return", "proposition", "Crimea is returned to Ukraine."),
        ("/api/v1/issues/neutrality", "proposition", "Ukraine adopts a neutral status."),
        ("/api/v1/issues/nato-membership", "proposition", "Ukraine joins NATO."),
        ("/api/v1/issues/eu-membership", "proposition", "Ukraine joins the European Union."),
        ("/api/v1/issues/neutrality", "aliases", []),
        ("/api/v1/issues/arms-supplies", "aliases", ["military-aid"]),
        ("/api/v1/issues/sanctions-tightening", "aliases", ["sanctions"]),
        ("/api/v1/sources/bombing-must-stop-2022-03-01", "archive",
         "archive/bombing-must-stop-2022-03-01.txt"),
        ("/api/v1/sources/bombing-must-stop-2022-03-01", "archived", True),
        ("/api/v1/sources/bombing-must-stop-2022-03-01", "reason", None),
        ("/api/v1/sources/kyiv-2022-02-25", "published", "2022-02-25"),
        # the first edition's reading of "repeated his request for Ukraine to be accepted into
        # NATO" (opposes neutrality) is still served by its id, with what corrected it
        ("/api/v1/positions/ukraine-neutrality-2022-03-01", "stance", "opposes"),
        ("/api/v1/positions/ukraine-neutrality-2022-03-01", "superseded_by",
         "ukraine-nato-membership-2022-03-01"),
        ("/api/v1/positions/ukraine-nato-membership-2022-03-01", "stance", "supports"),
        ("/api/v1/positions/ukraine-nato-membership-2022-03-01", "supersedes",
         "ukraine-neutrality-2022-03-01"),
        ("/api/v1/positions/ukraine-nato-membership-2022-03-01", "recorded", "2026-12-03"),
        ("/api/v1/positions/ukraine-crimea-2022-02-28", "score", -2),
        ("/api/v1/positions/ukraine-crimea-2022-02-28", "retracted", True),
        ("/api/v1/positions/ukraine-crimea-2022-02-28", "recorded", "2026-11-22"),
        ("/api/v1/positions/usa-no-fly-zone-2022-03-01-biden", "dispute", "biden-not-the-time"),
        ("/api/v1/positions/usa-no-fly-zone-2022-03-01-biden", "superseded_by", None),
        ("/api/v1/positions/usa-no-fly-zone-2022-03-01-biden", "time", None),
    ],
)
def test_item_by_id(client, path, field, expected):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json()[field] == expected


@pytest.mark.parametrize(
    "position", ["ukraine-neutrality-2022-03-01", "ukraine-nato-membership-2022-03-01"]
)
def test_position_quotes_are_verbatim_from_the_archived_article(client, position):
    found = client.get(f"/api/v1/positions/{position}").get_json()
    (evidence,) = found["evidence"]
    source = client.get(f"/api/v1/sources/{evidence['source']}").get_json()
    data = (BUNDLED / source["archive"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"]
    quote = "Zelensky also repeated his request for Ukraine to be accepted into NATO"
    assert evidence["quote"] == quote
    assert evidence["quote"] in data.decode("utf-8")
    assert evidence["verified"] is True


def test_every_source_is_archived_and_every_quote_verified(client):
    sources = client.get("/api/v1/sources").get_json()["items"]
    for source in sources:
        assert (source["archived"], source["reason"]) == (True, None), source["id"]
        assert source["archive"] == f"archive/{source['id']}.txt"
        digest = hashlib.sha256((BUNDLED / source["archive"]).read_bytes()).hexdigest()
        assert digest == source["sha256"], source["id"]
    for known_at in ("", FIRST):
        items = client.get(f"/api/v1/positions?page_size=100&{known_at}").get_json()["items"]
        pieces = [e for item in items for e in item["evidence"]]
        assert len(pieces) > 40
        assert all(piece["verified"] is True for piece in pieces)


# -- record time: corrections, superseded and retracted positions ---------------------------

SUPERSEDED = {  # the second edition's supersessions: old id → correcting id
    "russia-neutrality-2022-02-23": "russia-nato-membership-2022-02-23",
    "russia-demilitarization-2022-02-25": "russia-demilitarization-2022-02-25-ed2",
    "ukraine-sanctions-2022-02-25": "ukraine-sanctions-tightening-2022-02-25",
    "ukraine-neutrality-2022-02-25": "ukraine-neutrality-2022-02-25-ed2",
    "ukraine-security-guarantees-2022-02-25": "ukraine-security-guarantees-2022-02-25-ed2",
    "russia-eu-membership-2022-02-28": "russia-eu-membership-2022-02-28-ed2",
    "russia-donbas-2022-02-28": "russia-donbas-2022-02-28-ed2",
    "russia-crimea-2022-02-28": "russia-crimea-return-2022-02-28",
    "ukraine-ceasefire-2022-02-28": "ukraine-ceasefire-2022-02-28-ed2",
    "ukraine-troop-withdrawal-2022-02-28": "ukraine-troop-withdrawal-2022-02-28-ed2",
    "ukraine-halt-bombing-2022-03-01": "ukraine-halt-bombing-2022-03-01-ed2",
    "ukraine-no-fly-zone-2022-03-01": "ukraine-no-fly-zone-2022-03-01-ed2",
    "ukraine-neutrality-2022-03-01": "ukraine-nato-membership-2022-03-01",
    "ukraine-security-guarantees-2022-03-01": "ukraine-security-guarantees-2022-03-01-ed2",
    "usa-neutrality-2022-03-01-biden": "usa-nato-membership-2022-03-01-biden",
    "usa-no-fly-zone-2022-03-01-white-house": "usa-no-fly-zone-2022-03-01-white-house-ed2",
    "ukraine-humanitarian-corridors-2022-03-03": "ukraine-humanitarian-corridors-2022-03-03-ed2",
    "russia-humanitarian-corridors-2022-03-03": "russia-humanitarian-corridors-2022-03-03-ed2",
    "ukraine-leaders-talks-2022-03-03": "ukraine-leaders-talks-2022-03-03-ed2",
    "ukraine-military-aid-2022-03-03": "ukraine-arms-supplies-2022-03-03",
    "ukraine-no-fly-zone-2022-03-03": "ukraine-no-fly-zone-2022-03-03-ed2",
}
RETRACTED = {  # "Western allies", "the West", "NATO members": no party named; and an inference
    "usa-sanctions-2022-02-25",
    "eu-sanctions-2022-02-25",
    "nato-military-aid-2022-03-01",
    "ukraine-crimea-2022-02-28",
}


def test_corrections_list_every_supersession_and_retraction_with_its_reason(client):
    response = client.get("/api/v1/corrections?page_size=100")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 25
    items = body["items"]
    assert Counter(item["kind"] for item in items) == {"supersession": 21, "retraction": 4}
    assert {i["position"]: i["replaced_by"] for i in items if i["kind"] == "supersession"} == (
        SUPERSEDED
    )
    retracted = [i for i in items if i["kind"] == "retraction"]
    assert {i["position"] for i in retracted} == RETRACTED
    assert all(i["replaced_by"] is None for i in retracted)
    assert {item["recorded"] for item in items} == {"2026-12-03"}
    assert all(len(item["reason"]) > 40 for item in items)  # a reason, not a placeholder
    assert set(items[0]) == {"kind", "position", "replaced_by", "reason", "recorded"}
    # each supersession's reason is the correcting position's own
    for item in items:
        if item["replaced_by"]:
            found = client.get(f"/api/v1/positions/{item['replaced_by']}").get_json()
            assert (found["supersedes"], found["reason"]) == (item["position"], item["reason"])


def test_the_biden_correction_says_why_in_the_articles_words(client):
    items = client.get("/api/v1/corrections?page_size=100").get_json()["items"]
    (biden,) = [i for i in items if i["position"] == "usa-neutrality-2022-03-01-biden"]
    assert biden["replaced_by"] == "usa-nato-membership-2022-03-01-biden"
    # "President Biden had told him that now was not the time to make that move"
    # (bombing-must-stop-2022-03-01): the move is being accepted into NATO
    quoted = "now was not the time to make that move"
    assert quoted in biden["reason"]
    assert quoted in (BUNDLED / "archive" / "bombing-must-stop-2022-03-01.txt").read_text("utf-8")


def test_corrections_are_paged_and_none_was_made_in_the_first_edition(client):
    response = client.get("/api/v1/corrections?page_size=10&page=3")
    body = response.get_json()
    assert (body["total"], len(body["items"])) == (25, 5)
    assert set(links(response)) == {"first", "prev", "last"}
    first = client.get(f"/api/v1/corrections?{FIRST}").get_json()
    assert (first["total"], first["items"]) == (0, [])


@pytest.mark.parametrize(("old", "new"), sorted(SUPERSEDED.items()))
def test_a_superseded_position_names_what_superseded_it_from_that_day(client, old, new):
    found = client.get(f"/api/v1/positions/{old}").get_json()
    assert (found["superseded_by"], found["retracted"]) == (new, False)
    assert found["recorded"] == "2026-11-22"
    before = client.get(f"/api/v1/positions/{old}?{FIRST}").get_json()
    assert (before["superseded_by"], before["retracted"]) == (None, False)
    assert before["stance"] == found["stance"]  # the record is never edited in place
    correction = client.get(f"/api/v1/positions/{new}").get_json()
    assert (correction["supersedes"], correction["recorded"]) == (old, "2026-12-03")
    assert correction["reason"]
    # the correction was not in the record before it was recorded
    body = problem(client.get(f"/api/v1/positions/{new}?{FIRST}"), 404)
    assert body["errors"]["position_id"][0].startswith(f"Unknown position '{new}'.")


def test_biden_remark_is_neutrality_in_the_first_edition_and_nato_membership_after(client):
    # "President Biden had told him that now was not the time to make that move": the move
    # is Ukraine's being "accepted into NATO". The first edition filed it under neutrality
    # as open; the second, under NATO membership, as opposes (against it now, not ruled out).
    old = client.get("/api/v1/positions/usa-neutrality-2022-03-01-biden").get_json()
    new = client.get("/api/v1/positions/usa-nato-membership-2022-03-01-biden").get_json()
    assert (old["issue"], old["stance"], old["score"]) == ("neutrality", "open", 0)
    assert (new["issue"], new["stance"], new["score"]) == ("nato-membership", "opposes", -1)
    assert old["evidence"] == new["evidence"]  # one quote, read again
    assert "now was not the time to make that move" in new["evidence"][0]["quote"]
    assert (new["dispute"], new["disputed"]) == ("biden-not-the-time", True)


@pytest.mark.parametrize("position", sorted(RETRACTED))
def test_a_retracted_position_says_so_from_that_day(client, position):
    found = client.get(f"/api/v1/positions/{position}").get_json()
    assert (found["retracted"], found["superseded_by"]) == (True, None)
    before = client.get(f"/api/v1/positions/{position}?{FIRST}").get_json()
    assert (before["retracted"], before["superseded_by"]) == (False, None)
    assert position not in ids(client.get("/api/v1/positions?page_size=100"))
    assert position in ids(client.get(f"/api/v1/positions?page_size=100&{FIRST}"))


def test_nothing_is_known_before_the_first_day_of_the_record(client):
    """known_at before 2026-11-22, when the first edition was recorded: an empty record."""
    before = "known_at=2026-11-21"
    assert client.get(f"/api/v1/positions?{before}").get_json()["total"] == 0
    assert client.get(f"/api/v1/meta?{before}").get_json()["counts"]["positions"] == 0
    found = client.get(f"/api/v1/corrections?{before}").get_json()["total"]
    old = client.get(f"/api/v1/positions/usa-neutrality-2022-03-01-biden?{before}")
    new = client.get(f"/api/v1/positions/usa-nato-membership-2022-03-01-biden?{before}")
    # BUG (service/dataset.py, Dataset.__init__): a view made by known_at() for a day before
    # any record day has state None, which the constructor replaces by history.latest; so
    # its lists are empty but position(), correction() and corrections() answer as the
    # record stands.
    bug = "known_at before the first record day answers items and corrections as of today"
    assert (found, old.status_code, new.status_code) == (0, 404, 404), bug


@pytest.mark.parametrize(
    ("path", "replaced", "issue"),
    [
        ("/api/v1/issues/military-aid", "military-aid=arms-supplies", "arms-supplies"),
        ("/api/v1/issues/sanctions", "sanctions=sanctions-tightening", "sanctions-tightening"),
        (f"/api/v1/issues/military-aid?{FIRST}", "military-aid=arms-supplies", "arms-supplies"),
    ],
)
def test_an_old_issue_id_answers_with_the_issue_that_replaced_it(client, path, replaced, issue):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Parley-Replaced-Ids"] == replaced
    assert "Parley-Replaced-Ids" in response.headers["Access-Control-Expose-Headers"]
    body = response.get_json()
    assert body["id"] == issue
    assert replaced.split("=")[0] in body["aliases"]


def test_a_kept_issue_id_is_not_reported_as_replaced(client):
    # neutrality kept its id when NATO membership was split off
    response = client.get("/api/v1/issues/neutrality")
    assert response.get_json()["id"] == "neutrality"
    assert "Parley-Replaced-Ids" not in response.headers


@pytest.mark.parametrize(
    ("round_id", "first", "second", "outcomes", "place", "host"),
    [
        (
            "round-1",
            [
                "russia-crimea-2022-02-28",
                "russia-donbas-2022-02-28",
                "russia-eu-membership-2022-02-28",
                "ukraine-ceasefire-2022-02-28",
                "ukraine-crimea-2022-02-28",
                "ukraine-troop-withdrawal-2022-02-28",
            ],
            [
                "russia-crimea-return-2022-02-28",
                "russia-donbas-2022-02-28-ed2",
                "russia-eu-membership-2022-02-28-ed2",
                "ukraine-ceasefire-2022-02-28-ed2",
                "ukraine-troop-withdrawal-2022-02-28-ed2",
            ],
            ["not_agreed", "agreed"],
            # neither article of 1 March names a place: corrected in place (rounds have no
            # record time, so the first edition's known_at sees the correction too)
            "not reported",
            None,
        ),
        (
            "round-2",
            [
                "russia-humanitarian-corridors-2022-03-03",
                "ukraine-humanitarian-corridors-2022-03-03",
            ],
            [
                "russia-humanitarian-corridors-2022-03-03-ed2",
                "ukraine-aid-deliveries-2022-03-03",
                "ukraine-delegation-talks-2022-03-03",
                "ukraine-humanitarian-corridors-2022-03-03-ed2",
                "ukraine-local-ceasefires-2022-03-03",
            ],
            ["agreed", "agreed", "agreed", "agreed", "not_agreed"],
            # "Russian and Ukrainian delegations met for negotiations in Belarus"
            "Belarus",
            "belarus",
        ),
    ],
)
def test_round_lists_its_positions_and_outcomes(
    client, round_id, first, second, outcomes, place, host
):
    for known_at, positions in ((FIRST, first), ("", second)):
        body = client.get(f"/api/v1/rounds/{round_id}?{known_at}").get_json()
        assert [p["id"] for p in body["positions"]] == positions, known_at
        assert all(p["round"] == round_id for p in body["positions"])
        assert [o["status"] for o in body["outcomes"]] == outcomes
        assert (body["place"], body["host"]) == (place, host)


def test_round_two_outcomes_say_whose_account_they_are(client):
    body = client.get("/api/v1/rounds/round-2").get_json()
    # "The two sides said they agreed on the need for humanitarian corridors" is reported;
    # the rest is what Podolyak "said"
    assert [o["according_to"] for o in body["outcomes"]] == [
        None, "podolyak", "podolyak", "podolyak", "podolyak"
    ]


def test_round_one_lasted_five_hours(client):
    # "Russia and Ukraine engaged in talks for five hours this week" (bombing-must-stop-2022-03-01)
    assert client.get("/api/v1/rounds/round-1").get_json()["duration"] == "five hours"


@pytest.mark.parametrize(
    ("path", "parameter", "hint"),
    [
        ("/api/v1/parties/kyiv", "party_id", "Did you mean 'ukraine'?"),  # an alias
        ("/api/v1/parties/rusia", "party_id", "Did you mean 'russia'?"),
        ("/api/v1/actors/Zelenskiy", "actor_id", "Did you mean 'zelensky'?"),
        ("/api/v1/issues/crimia", "issue_id", "Did you mean 'crimea'?"),
        ("/api/v1/sources/nowhere", "source_id", "Unknown source 'nowhere'."),
        ("/api/v1/rounds/round-3", "round_id", "Unknown round 'round-3'."),
        ("/api/v1/positions/ukraine-neutrality-2022-03-02", "position_id", "Did you mean"),
        ("/api/v1/issues/crimia/timeline", "issue_id", "Did you mean 'crimea'?"),
    ],
)
def test_unknown_id_is_404_with_a_hint(client, path, parameter, hint):
    body = problem(client.get(path), 404)
    assert list(body["errors"]) == [parameter]
    assert hint in body["errors"][parameter][0]
    assert hint in body["detail"]
    assert body["instance"] == path
