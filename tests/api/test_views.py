"""Derived views against the articles: snapshot, timeline, changes, compare, in record time.

Where the second edition (recorded 2026-12-03) corrected the first (recorded 2026-11-22),
a test asks twice: with ``known_at=2026-11-30``, the record as it stood, and as the record
stands. Each expected value rests on the quote in its comment (fixtures/archive/).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from service.exports.tables import CELL_COLUMNS, CHANGE_COLUMNS
from tests.conftest import BUNDLED
from tests.support import csv_rows, problem

FIRST = "known_at=2026-11-30"  # the first edition: after 2026-11-22, before 2026-12-03
SCORES = {"demands": 2, "supports": 1, "open": 0, "opposes": -1, "rejects": -2}  # DESIGN.md
BOTH = pytest.mark.parametrize("known_at", [FIRST, ""], ids=["first-edition", "as-it-stands"])


def get(client, path: str, known_at: str = "") -> dict:
    response = client.get(f"{path}&{known_at}" if known_at else path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def cell(client, as_of: str, party: str, issue: str, known_at: str = "") -> dict | None:
    body = get(client, f"/api/v1/snapshot?as_of={as_of}&party={party}&issue={issue}", known_at)
    assert body["as_of"] == as_of
    assert len(body["cells"]) <= 1
    return body["cells"][0] if body["cells"] else None


@pytest.mark.parametrize(
    ("as_of", "party", "issue", "first", "second"),
    [
        # "not afraid to talk about neutral status" (kyiv-2022-02-25, "earlier this week")
        ("2022-02-26", "ukraine", "neutrality",
         ("ukraine-neutrality-2022-02-25", "open", "2022-02-25"),
         ("ukraine-neutrality-2022-02-25-ed2", "open", "2022-02-25")),
        # "repeated his request for Ukraine to be accepted into NATO" (1 March): the first
        # edition read it as opposing neutrality; now it is on NATO membership, and neutral
        # status is still where the 25 February comment left it
        ("2022-03-02", "ukraine", "neutrality",
         ("ukraine-neutrality-2022-03-01", "opposes", "2022-03-01"),
         ("ukraine-neutrality-2022-02-25-ed2", "open", "2022-02-25")),
        ("2022-03-02", "ukraine", "nato-membership",
         None,
         ("ukraine-nato-membership-2022-03-01", "supports", "2022-03-01")),
        # Putin, "before the onslaught": "demanded that Ukraine abandon any aspirations of
        # joining NATO": demands (neutrality, first edition); the opposite of "Ukraine joins
        # NATO", so rejects (second)
        ("2022-02-23", "russia", "neutrality",
         ("russia-neutrality-2022-02-23", "demands", "2022-02-23"),
         None),
        ("2022-02-23", "russia", "nato-membership",
         None,
         ("russia-nato-membership-2022-02-23", "rejects", "2022-02-23")),
        # "recognize Crimea, which Moscow annexed in 2014, as part of Russia" (23 Feb); "drop its
        # demand that Crimea be returned to Ukraine" (round 1) is now on crimea-return
        ("2022-03-05", "russia", "crimea",
         ("russia-crimea-2022-02-28", "demands", "2022-02-28"),
         ("russia-crimea-2022-02-23", "demands", "2022-02-23")),
        ("2022-03-05", "russia", "crimea-return",
         None,
         ("russia-crimea-return-2022-02-28", "rejects", "2022-02-28")),
        # inferred from Russia's demand in the first edition; no Ukrainian word reported
        ("2022-03-01", "ukraine", "crimea",
         ("ukraine-crimea-2022-02-28", "rejects", "2022-02-28"),
         None),
        # "demanded that Ukraine’s parliament commits to keeping the country out of the
        # European Union": demands toward "staying out", rejects toward "joins" (sign trap)
        ("2022-03-01", "russia", "eu-membership",
         ("russia-eu-membership-2022-02-28", "demands", "2022-02-28"),
         ("russia-eu-membership-2022-02-28-ed2", "rejects", "2022-02-28")),
        # "Zelensky called on Russian President Vladimir Putin to sit down for talks"
        ("2022-03-02", "ukraine", "leaders-talks",
         ("ukraine-leaders-talks-2022-02-25", "supports", "2022-02-25"),
         ("ukraine-leaders-talks-2022-02-25", "supports", "2022-02-25")),
        # "has urged his Russian counterpart ... to sit down for direct talks", "Sit down with
        # me": an appeal, supports (the first edition scored it demands)
        ("2022-03-03", "ukraine", "leaders-talks",
         ("ukraine-leaders-talks-2022-03-03", "demands", "2022-03-03"),
         ("ukraine-leaders-talks-2022-03-03-ed2", "supports", "2022-03-03")),
        # "The two sides said they agreed on the need for humanitarian corridors"
        ("2022-03-03", "russia", "humanitarian-corridors",
         ("russia-humanitarian-corridors-2022-03-03", "supports", "2022-03-03"),
         ("russia-humanitarian-corridors-2022-03-03-ed2", "supports", "2022-03-03")),
    ],
)
def test_snapshot_cell(client, as_of, party, issue, first, second):
    for known_at, expected in ((FIRST, first), ("", second)):
        found = cell(client, as_of, party, issue, known_at)
        if expected is None:
            assert found is None, known_at
            continue
        position, stance, since = expected
        assert found is not None, known_at
        assert (found["position"], found["stance"], found["since"]) == expected, known_at
        assert found["score"] == SCORES[stance]
        assert (found["disputed"], found["rivals"]) == (False, [])
        assert set(found) == {
            "issue", "party", "stance", "score", "since", "position", "disputed", "rivals"
        }


@BOTH
@pytest.mark.parametrize(
    ("as_of", "party", "issue"),
    [
        ("2022-02-24", "ukraine", "neutrality"),  # Zelensky's first word on it came that week
        ("2022-03-02", "russia", "humanitarian-corridors"),  # agreed in round 2, 3 March
        ("2022-03-03", "belarus", "crimea"),  # the host takes no stance
    ],
)
def test_snapshot_has_no_cell_before_a_first_position(client, as_of, party, issue, known_at):
    assert cell(client, as_of, party, issue, known_at) is None


def test_snapshot_defaults_to_today(client):
    body = client.get("/api/v1/snapshot").get_json()
    assert body["as_of"] == datetime.now(UTC).date().isoformat()
    latest = client.get("/api/v1/snapshot?as_of=2100-01-01").get_json()
    assert body["cells"] == latest["cells"]


def test_snapshot_csv(client):
    url = "/api/v1/snapshot?as_of=2022-03-02&issue=crimea&format=csv"
    header, rows = csv_rows(client.get(f"{url}&{FIRST}"))
    assert header == list(CELL_COLUMNS)
    assert [(r["party"], r["stance"], r["score"]) for r in rows] == [
        ("ukraine", "rejects", "-2"),
        ("russia", "demands", "2"),
    ]
    assert rows[0]["evidence_quotes"] == "drop its demand that Crimea be returned to Ukraine."
    # as the record stands, only Putin's demand is on the recognition of Crimea as Russian
    header, rows = csv_rows(client.get(url))
    assert header == list(CELL_COLUMNS)
    assert [(r["party"], r["stance"], r["score"], r["since"]) for r in rows] == [
        ("russia", "demands", "2", "2022-02-23"),
    ]
    assert rows[0]["evidence_quotes"] == (
        "recognize Crimea, which Moscow annexed in 2014, as part of Russia."
    )


@BOTH
def test_a_disputed_cell_is_marked_and_names_its_rivals(client, known_at):
    # Biden's "now was not the time to introduce such a measure" (no-talks-until-bombing-
    # stops, disputed) and the White House "says it is not willing to enforce a no-fly zone"
    # (same article, no time): the articles do not say which came first, so neither is the
    # cell's certain latest stance
    found = cell(client, "2022-03-02", "usa", "no-fly-zone", known_at)
    white_house = "usa-no-fly-zone-2022-03-01-white-house" + ("" if known_at else "-ed2")
    move = {"usa-no-fly-zone-2022-03-01-biden", white_house}
    assert found["position"] in move  # the cell shows one of them...
    assert found["disputed"] is True
    assert move - {found["position"]} <= set(found["rivals"])  # ...and names the other
    assert found["position"] not in found["rivals"]


@BOTH
def test_a_cell_built_from_a_rival_reading_is_marked(client, known_at):
    """DESIGN.md: rival readings of one statement are one uncertain move, and "cells built
    from them are marked". The bundled dispute (biden-not-the-time) puts its two readings on
    two issues: the no-fly zone, and NATO membership (first edition: neutrality)."""
    issue = "neutrality" if known_at else "nato-membership"
    found = cell(client, "2022-03-02", "usa", issue, known_at)
    reading = f"usa-{issue}-2022-03-01-biden"
    assert found["position"] == reading
    position = client.get(f"/api/v1/positions/{reading}?{known_at}").get_json()
    assert position["disputed"] is True  # the position itself is served as disputed
    assert (found["disputed"], found["rivals"]) == (True, ["usa-no-fly-zone-2022-03-01-biden"])
    # and so is the compare side built from it
    url = f"/api/v1/compare?parties=usa,ukraine&as_of=2022-03-02&issue={issue}"
    (row,) = get(client, url, known_at)["issues"]
    side = row["stances"]["usa"]
    assert (side["position"], side["disputed"]) == (reading, True)
    assert side["rivals"] == ["usa-no-fly-zone-2022-03-01-biden"]


def entries(client, issue: str, party: str, known_at: str = "") -> list[tuple] | None:
    body = get(client, f"/api/v1/issues/{issue}/timeline?party={party}", known_at)
    assert body["issue"] == issue
    if not body["parties"]:
        return None
    (timeline,) = body["parties"]
    assert timeline["party"] == party
    found = [(e["date"], e["stance"], e["change"]) for e in timeline["entries"]]
    assert [e[0] for e in found] == sorted(e[0] for e in found)  # in date order
    assert all(e["score"] == SCORES[e["stance"]] for e in timeline["entries"])
    return found


@pytest.mark.parametrize(
    ("issue", "party", "first", "second"),
    [
        # Putin before the invasion, then Moscow's delegation in round 1 as TASS reported it:
        # "drop its demand that Crimea be returned", now on crimea-return
        ("crimea", "russia",
         [("2022-02-23", "demands", "new"), ("2022-02-28", "demands", "reiterated")],
         [("2022-02-23", "demands", "new")]),
        ("crimea-return", "russia", None, [("2022-02-28", "rejects", "new")]),
        # open (0) to opposes (-1): |score| grew from 0, so hardened; the 1 March request to
        # join NATO is no longer on neutral status
        ("neutrality", "ukraine",
         [("2022-02-25", "open", "new"), ("2022-03-01", "opposes", "hardened")],
         [("2022-02-25", "open", "new")]),
        ("nato-membership", "ukraine", None, [("2022-03-01", "supports", "new")]),
        # "called on ... Putin to sit down for talks", then "has urged ... to sit down for
        # direct talks": two appeals, supports twice (the first edition: demands the second)
        ("leaders-talks", "ukraine",
         [("2022-02-25", "supports", "new"), ("2022-03-03", "demands", "hardened")],
         [("2022-02-25", "supports", "new"), ("2022-03-03", "supports", "reiterated")]),
        # "plead with members of NATO to impose a no-fly zone", "once again appealed"
        ("no-fly-zone", "ukraine",
         [("2022-03-01", "demands", "new"), ("2022-03-03", "demands", "reiterated")],
         [("2022-03-01", "supports", "new"), ("2022-03-03", "supports", "reiterated")]),
        # Biden "not the time" (disputed) and the White House "not willing": same day, no time,
        # one article: no order, so no "hardened" between them (an uncertain move)
        ("no-fly-zone", "usa",
         [("2022-03-01", "opposes", "new"), ("2022-03-01", "rejects", "new")],
         [("2022-03-01", "opposes", "new"), ("2022-03-01", "rejects", "new")]),
        # "Moscow demanded that Ukraine’s parliament commits to keeping the country out of the
        # European Union": demands toward "staying out", rejects toward "joins"
        ("eu-membership", "russia",
         [("2022-02-28", "demands", "new")], [("2022-02-28", "rejects", "new")]),
    ],
)
def test_timeline(client, issue, party, first, second):
    for known_at, expected in ((FIRST, first), ("", second)):
        found = entries(client, issue, party, known_at)
        if expected is None:
            assert found is None, known_at
        else:  # same-day entries have no order of their own
            assert sorted(found) == sorted(expected), known_at


def test_timeline_lists_every_party_with_positions(client):
    first = get(client, "/api/v1/issues/neutrality/timeline?", FIRST)
    assert [p["party"] for p in first["parties"]] == ["ukraine", "russia", "usa"]
    assert first["parties"][0]["entries"][1]["position"] == "ukraine-neutrality-2022-03-01"
    # as the record stands only Zelensky spoke of neutral status; NATO membership has three
    body = client.get("/api/v1/issues/neutrality/timeline").get_json()
    assert [(p["party"], [e["position"] for e in p["entries"]]) for p in body["parties"]] == [
        ("ukraine", ["ukraine-neutrality-2022-02-25-ed2"])
    ]
    body = client.get("/api/v1/issues/nato-membership/timeline").get_json()
    assert [(p["party"], [e["position"] for e in p["entries"]]) for p in body["parties"]] == [
        ("ukraine", ["ukraine-nato-membership-2022-03-01"]),
        ("russia", ["russia-nato-membership-2022-02-23"]),
        ("usa", ["usa-nato-membership-2022-03-01-biden"]),
    ]
    assert get(client, "/api/v1/issues/nato-membership/timeline?", FIRST)["parties"] == []


@BOTH
def test_timeline_by_an_old_issue_id(client, known_at):
    response = client.get(f"/api/v1/issues/military-aid/timeline?{known_at}")
    assert response.headers["Parley-Replaced-Ids"] == "military-aid=arms-supplies"
    body = response.get_json()
    assert body["issue"] == "arms-supplies"
    found = [(p["party"], [(e["position"], e["stance"]) for e in p["entries"]])
             for p in body["parties"]]  # fmt: skip
    if known_at:  # "Ukraine is receiving weapons shipments from NATO members" was nato's then
        assert found == [
            ("ukraine", [("ukraine-military-aid-2022-03-03", "demands")]),
            ("nato", [("nato-military-aid-2022-03-01", "supports")]),
        ]
    else:  # "calling on the West to increase military aid to Kyiv": an appeal
        assert found == [("ukraine", [("ukraine-arms-supplies-2022-03-03", "supports")])]


def changes(client, query: str, known_at: str = "") -> tuple[list[tuple], dict]:
    body = get(client, f"/api/v1/changes?{query}", known_at)
    return [(c["issue"], c["from"], c["to"], c["change"]) for c in body["items"]], body


def test_changes_in_a_day(client):
    query = "since=2022-03-01&until=2022-03-01&party=ukraine"
    found, body = changes(client, query, FIRST)
    # security guarantees were demanded again that day: a reiteration, left out
    assert found == [
        ("halt-bombing", None, "demands", "new"),
        ("neutrality", "open", "opposes", "hardened"),
        ("no-fly-zone", None, "demands", "new"),
    ]
    assert body["total"] == 3
    assert set(body["items"][1]) == {"date", "party", "issue", "from", "to", "change", "position"}
    # as it stands: "the bombardment of people must stop" (demands), "repeated his request for
    # Ukraine to be accepted into NATO" and "plead ... to impose a no-fly zone" (supports);
    # "Zelensky asked" for guarantees again (supports, as on 25 Feb): left out
    found, body = changes(client, query)
    assert found == [
        ("halt-bombing", None, "demands", "new"),
        ("nato-membership", None, "supports", "new"),
        ("no-fly-zone", None, "supports", "new"),
    ]
    assert body["total"] == 3


@pytest.mark.parametrize(
    ("known_at", "total", "reiterations"),
    [
        (FIRST, 32, {
            "russia-crimea-2022-02-28",
            "russia-demilitarization-2022-02-25",
            "russia-denazification-2022-02-25",
            "ukraine-security-guarantees-2022-03-01",
            "ukraine-no-fly-zone-2022-03-03",
            "ukraine-troop-withdrawal-2022-03-03",
        }),
        ("", 33, {
            "russia-demilitarization-2022-02-25-ed2",  # "still insists on" (Peskov)
            "russia-denazification-2022-02-25",
            "ukraine-security-guarantees-2022-03-01-ed2",  # "asked", again
            "ukraine-leaders-talks-2022-03-03-ed2",  # "urged", again
            "ukraine-no-fly-zone-2022-03-03-ed2",  # "once again appealed"
            "ukraine-troop-withdrawal-2022-03-03",  # "Leave our land", after round 1's demand
        }),
    ],
)
def test_changes_leave_out_reiterations(client, known_at, total, reiterations):
    body = get(client, "/api/v1/changes?page_size=500", known_at)
    positions = {c["position"] for c in body["items"]}
    assert not positions & reiterations
    assert body["total"] == total - len(reiterations)
    assert all(c["change"] != "reiterated" for c in body["items"])


@BOTH
def test_changes_of_the_usa_have_no_phantom_move_between_same_day_positions(client, known_at):
    # Biden's "now was not the time" and the White House's "not willing to enforce a no-fly
    # zone" are both of 1 March, with no time, in one article: neither follows the other,
    # so each is new, and nothing "hardened" from opposes to rejects
    found, body = changes(client, "party=usa", known_at)
    assert all(change == "new" and before is None for _, before, _, change in found)
    expected = [("no-fly-zone", None, "opposes", "new"), ("no-fly-zone", None, "rejects", "new")]
    if known_at:  # the sanctions of "Western allies", and Biden's remark on neutrality
        expected += [("sanctions-tightening", None, "supports", "new"),
                     ("neutrality", None, "open", "new")]  # fmt: skip
    else:
        expected += [("nato-membership", None, "opposes", "new")]
    assert sorted(found, key=str) == sorted(expected, key=str)
    assert body["total"] == len(expected)


def test_changes_csv(client):
    url = "/api/v1/changes?format=csv&issue=neutrality&party=ukraine"
    header, rows = csv_rows(client.get(f"{url}&{FIRST}"))
    assert header == list(CHANGE_COLUMNS)
    assert [(r["date"], r["from"], r["to"], r["change"]) for r in rows] == [
        ("2022-02-25", "", "open", "new"),
        ("2022-03-01", "open", "opposes", "hardened"),
    ]
    header, rows = csv_rows(client.get(url))
    assert header == list(CHANGE_COLUMNS)
    assert [(r["date"], r["from"], r["to"], r["change"], r["position"]) for r in rows] == [
        ("2022-02-25", "", "open", "new", "ukraine-neutrality-2022-02-25-ed2"),
    ]


def comparison(client, query: str, issue: str, known_at: str = "") -> dict:
    body = get(client, f"/api/v1/compare?parties=ukraine,russia&{query}", known_at)
    assert body["parties"] == ["ukraine", "russia"]
    return next(row for row in body["issues"] if row["issue"] == issue)


@pytest.mark.parametrize(
    ("as_of", "issue", "first", "second"),
    [
        # Ukraine: "drop its demand that Crimea be returned" read as a Ukrainian refusal in
        # the first edition, retracted since; Putin: "recognize Crimea ... as part of Russia"
        ("2022-03-02", "crimea", ("rejects", "demands", 4, "opposed"),
         (None, "demands", None, "unknown")),
        # "not afraid to talk about neutral status" vs Putin's NATO demand (then on neutrality)
        ("2022-02-26", "neutrality", ("open", "demands", 2, "negotiable"),
         ("open", None, None, "unknown")),
        ("2022-03-02", "neutrality", ("opposes", "demands", 3, "opposed"),
         ("open", None, None, "unknown")),
        # "repeated his request for Ukraine to be accepted into NATO" vs "abandon any
        # aspirations of joining NATO"
        ("2022-03-02", "nato-membership", (None, None, None, "unknown"),
         ("supports", "rejects", 3, "opposed")),
        # "The two sides said they agreed on the need for humanitarian corridors"; the first
        # edition gave Ukraine's position Podolyak's "only in those places where the
        # humanitarian corridors themselves will be located" as its conditions
        ("2022-03-03", "humanitarian-corridors", ("supports", "supports", 0, "conditional"),
         ("supports", "supports", 0, "agreed")),
        # Peskov: "ready to send its foreign and defense ministers ... for talks"; Podolyak:
        # the delegations "will meet again next week"
        ("2022-03-03", "delegation-talks", (None, None, None, "unknown"),
         ("supports", "supports", 0, "agreed")),
        ("2022-03-02", "ceasefire", ("demands", None, None, "unknown"),
         ("demands", None, None, "unknown")),
        ("2022-02-20", "crimea", (None, None, None, "unknown"), (None, None, None, "unknown")),
    ],
)
def test_compare(client, as_of, issue, first, second):
    for known_at, (ukraine, russia, gap, status) in ((FIRST, first), ("", second)):
        row = comparison(client, f"as_of={as_of}", issue, known_at)
        stances = row["stances"]
        assert set(stances) == {"ukraine", "russia"}
        assert (stances["ukraine"] or {}).get("stance") == ukraine, known_at
        assert (stances["russia"] or {}).get("stance") == russia, known_at
        assert (row["gap"], row["status"]) == (gap, status), known_at


def test_compare_says_conditional_when_a_side_attaches_conditions(client):
    row = comparison(client, "as_of=2022-03-03", "humanitarian-corridors", FIRST)
    ukraine, russia = row["stances"]["ukraine"], row["stances"]["russia"]
    assert (ukraine["stance"], russia["stance"]) == ("supports", "supports")  # same leaning
    assert ukraine["conditions"] == (
        "Ceasefire only where the corridors run, and only for the evacuation."
    )
    assert russia["conditions"] is None
    assert row["status"] == "conditional"
    assert {key for key in ukraine} == {
        "stance", "score", "since", "position", "conditions", "disputed", "rivals"
    }
    # the second edition files the local halt to fighting as an issue of its own: no
    # condition is left on the corridors, and the two sides agree
    row = comparison(client, "as_of=2022-03-03", "humanitarian-corridors")
    assert row["status"] == "agreed"
    assert row["stances"]["ukraine"]["conditions"] is None


def test_compare_lists_every_issue_in_catalogue_order(client):
    catalogue = yaml.safe_load((BUNDLED / "catalogue.yaml").read_text("utf-8"))
    order = [issue["id"] for issue in catalogue["issues"]]
    assert len(order) == 22
    body = client.get("/api/v1/compare?parties=usa,nato&as_of=2022-03-03").get_json()
    assert [row["issue"] for row in body["issues"]] == order, (
        "issues are not in catalogue order: service/loading/load.py _records builds them "
        "from the cross-check index, whose alias keys (military-aid, sanctions) come first"
    )


def test_compare_csv(client):
    url = "/api/v1/compare?parties=ukraine,russia&as_of=2022-03-02&format=csv"
    header, rows = csv_rows(client.get(f"{url}&{FIRST}"))
    assert header[:9] == ["issue", "status", "gap", "ukraine_stance", "ukraine_score",
                          "ukraine_since", "ukraine_position", "ukraine_conditions",
                          "ukraine_disputed"]  # fmt: skip
    assert header[9:] == ["russia_stance", "russia_score", "russia_since", "russia_position",
                          "russia_conditions", "russia_disputed"]  # fmt: skip
    crimea = next(row for row in rows if row["issue"] == "crimea")
    assert (crimea["status"], crimea["gap"]) == ("opposed", "4")
    assert (crimea["ukraine_stance"], crimea["russia_stance"]) == ("rejects", "demands")
    ceasefire = next(row for row in rows if row["issue"] == "ceasefire")
    assert (ceasefire["gap"], ceasefire["russia_stance"]) == ("", "")
    # as it stands: no Ukrainian position on Crimea's recognition; NATO membership opposed
    _, rows = csv_rows(client.get(url))
    crimea = next(row for row in rows if row["issue"] == "crimea")
    assert (crimea["status"], crimea["gap"], crimea["ukraine_stance"]) == ("unknown", "", "")
    assert crimea["russia_position"] == "russia-crimea-2022-02-23"
    nato = next(row for row in rows if row["issue"] == "nato-membership")
    assert (nato["status"], nato["gap"]) == ("opposed", "3")
    assert (nato["ukraine_disputed"], nato["russia_disputed"]) == ("false", "false")


# -- known_at: Biden's remark, before and after the correction of 2026-12-03 -----------------
#
# "Zelensky also repeated his request for Ukraine to be accepted into NATO, but said that
# President Biden had told him that now was not the time to make that move."
# (bombing-must-stop-2022-03-01). Until 2026-12-02 the record filed it as usa open on
# neutrality (usa-neutrality-2022-03-01-biden); from 2026-12-03, as usa opposes NATO
# membership (usa-nato-membership-2022-03-01-biden).

BEFORE, AFTER = "known_at=2026-12-02", "known_at=2026-12-03"


def test_known_at_on_positions(client):
    url = "/api/v1/positions?party=usa&disputed=true"
    assert [p["id"] for p in get(client, url, BEFORE)["items"]] == [
        "usa-neutrality-2022-03-01-biden", "usa-no-fly-zone-2022-03-01-biden"
    ]
    assert [p["id"] for p in get(client, url, AFTER)["items"]] == [
        "usa-nato-membership-2022-03-01-biden", "usa-no-fly-zone-2022-03-01-biden"
    ]


def test_known_at_on_snapshot(client):
    def usa(known_at):
        cells = get(client, "/api/v1/snapshot?as_of=2022-03-02&party=usa", known_at)["cells"]
        return {c["issue"]: (c["stance"], c["score"]) for c in cells if c["issue"] != "no-fly-zone"}

    # (and the sanctions of "Western allies", retracted on 2026-12-03)
    assert usa(BEFORE) == {"neutrality": ("open", 0), "sanctions-tightening": ("supports", 1)}
    assert usa(AFTER) == {"nato-membership": ("opposes", -1)}
    assert usa("") == usa(AFTER)


def test_known_at_on_timeline(client):
    def usa(issue, known_at):
        body = get(client, f"/api/v1/issues/{issue}/timeline?party=usa", known_at)
        return [(e["position"], e["stance"], e["change"]) for p in body["parties"]
                for e in p["entries"]]  # fmt: skip

    assert usa("neutrality", BEFORE) == [("usa-neutrality-2022-03-01-biden", "open", "new")]
    assert usa("neutrality", AFTER) == []
    assert usa("nato-membership", BEFORE) == []
    assert usa("nato-membership", AFTER) == [
        ("usa-nato-membership-2022-03-01-biden", "opposes", "new")
    ]


def test_known_at_on_changes(client):
    query = "party=usa&issue=neutrality,nato-membership"
    assert changes(client, query, BEFORE)[0] == [("neutrality", None, "open", "new")]
    assert changes(client, query, AFTER)[0] == [("nato-membership", None, "opposes", "new")]


def test_known_at_on_compare(client):
    def rows(known_at):
        url = "/api/v1/compare?parties=ukraine,usa&as_of=2022-03-02"
        url += "&issue=neutrality,nato-membership"
        body = get(client, url, known_at)
        return {
            row["issue"]: (*((row["stances"][p] or {}).get("stance") for p in ("ukraine", "usa")),
                           row["gap"], row["status"])
            for row in body["issues"]
        }  # fmt: skip

    # before: Zelensky's NATO request opposes neutrality (-1), Biden open (0): negotiable
    assert rows(BEFORE) == {
        "neutrality": ("opposes", "open", 1, "negotiable"),
        "nato-membership": (None, None, None, "unknown"),
    }
    # after: Zelensky supports joining NATO (1), Biden opposes it now (-1): opposed
    assert rows(AFTER) == {
        "neutrality": ("open", None, None, "unknown"),
        "nato-membership": ("supports", "opposes", 2, "opposed"),
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Missing data for required field."),
        ("parties=ukraine", "Give exactly two parties."),
        ("parties=ukraine,russia,usa", "Give exactly two parties."),
        ("parties=ukraine,ukraine", "Give two different parties."),
        ("parties=ukraine,rusia", "Unknown party 'rusia'. Did you mean 'russia'?"),
        ("parties=", "Give exactly two parties."),
    ],
)
def test_compare_needs_two_known_parties(client, query, message):
    body = problem(client.get(f"/api/v1/compare?{query}"), 400)
    assert body["errors"] == {"parties": [message]}
