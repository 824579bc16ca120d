"""The curated fixtures: complete, consistent and true to the four articles they quote.

The articles are archived in fixtures/archive/; the record has two editions, the first
(recorded 2026-11-22, ``FIRST``) and the second (2026-12-03), which corrects it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest

from tests.conftest import BUNDLED
from tests.support import load_dataset

ARCHIVE = BUNDLED / "archive"
FIRST = date(2026, 11, 30)  # known_at: the record as it stood before the second edition
TYPOGRAPHIC = {"“": '"', "”": '"', "‘": "'", "’": "'"}


def normalised(text: str) -> str:
    """Only whitespace and typographic quotes are normalised (written apart from the loader's)."""
    for curly, straight in TYPOGRAPHIC.items():
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def all_evidence(dataset):
    """Every piece of evidence ever recorded: positions corrected since included."""
    for position in dataset.history.positions.values():
        for evidence in position.evidence:
            yield position.id, evidence
    for round_ in dataset.rounds.values():
        for outcome in round_.outcomes:
            for evidence in outcome.evidence:
                yield round_.id, evidence


def test_bundled_fixtures_load_with_zero_errors_and_every_quote_verified():
    dataset = load_dataset(BUNDLED, strict=True)  # strict: an unverifiable quote is an error
    assert dataset.counts() == {
        "parties": 6, "actors": 8, "issues": 22, "sources": 4, "rounds": 2, "positions": 33
    }
    assert dataset.known_at(FIRST).counts()["positions"] == 32
    assert dataset.unverified_quotes() == []
    assert all(evidence.verified for _, evidence in all_evidence(dataset))


def test_every_quote_appears_verbatim_in_its_archived_article(bundled):
    articles = {
        source.id: normalised((BUNDLED / source.archive).read_text("utf-8"))
        for source in bundled.sources.values()
    }
    checked = 0
    for owner, evidence in all_evidence(bundled):
        assert normalised(evidence.quote) in articles[evidence.source], (owner, evidence.quote)
        checked += 1
    assert checked >= 90  # the loop really ran over the evidence of both editions


def test_every_article_is_a_source_and_every_source_is_cited(bundled):
    sources = bundled.sources.values()
    assert sorted(s.archive for s in sources) == sorted(
        f"archive/{p.name}" for p in ARCHIVE.glob("*.txt")
    )
    for source in sources:
        assert source.archive == f"archive/{source.id}.txt"  # named by the source's id
        assert source.archived and source.reason is None
        assert hashlib.sha256((BUNDLED / source.archive).read_bytes()).hexdigest() == source.sha256
    for dataset in (bundled, bundled.known_at(FIRST)):
        cited = {e.source for p in dataset.positions.values() for e in p.evidence}
        assert cited == set(bundled.sources)


@pytest.mark.parametrize(
    ("source", "published", "method"),
    [
        ("kyiv-2022-02-25", date(2022, 2, 25), "dateline"),  # "date 2022-02-25", Friday
        ("direct-talks-2022-03-03", date(2022, 3, 3), "inferred"),  # Thursday, day eight
        ("bombing-must-stop-2022-03-01", date(2022, 3, 1), "inferred"),  # Tuesday, TV tower
        ("no-talks-until-bombing-stops-2022-03-01", date(2022, 3, 1), "inferred"),  # sixth day
    ],
)
def test_each_article_is_dated_right(bundled, source, published, method):
    found = bundled.sources[source]
    assert (found.published, found.date_basis.method) == (published, method)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("direct-talks-2022-03-03", ["on Thursday", "The eight-day long conflict"]),
        ("bombing-must-stop-2022-03-01", ["said Tuesday", "struck a TV tower in Kyiv on Tuesday"]),
        ("no-talks-until-bombing-stops-2022-03-01", ["interview Tuesday", "now in its sixth day"]),
    ],
)
def test_an_inferred_date_rests_on_the_articles_words(source, words):
    text = (ARCHIVE / f"{source}.txt").read_text("utf-8")
    for word in words:
        assert word in text, (source, word)


def test_only_the_dateline_article_is_dated_explicitly():
    text = (ARCHIVE / "kyiv-2022-02-25.txt").read_text("utf-8")
    assert text.split()[:2] == ["date", "2022-02-25"]
    others = [p for p in ARCHIVE.glob("*.txt") if p.name != "kyiv-2022-02-25.txt"]
    assert len(others) == 3
    for path in others:
        assert not re.search(r"\b2022-\d\d-\d\d\b", path.read_text("utf-8")), path.name


def test_rounds_with_their_places_and_outcomes(bundled):
    first, second = bundled.rounds["round-1"], bundled.rounds["round-2"]
    # neither article of 1 March names where the first round met (corrected in place)
    assert (first.number, first.start, first.place, first.host, first.duration) == (
        1, date(2022, 2, 28), "not reported", None, "five hours"
    )
    # "Russian and Ukrainian delegations met for negotiations in Belarus" (3 March)
    assert (second.number, second.start, second.place, second.host) == (
        2, date(2022, 3, 3), "Belarus", "belarus"
    )
    assert [o.status for o in first.outcomes] == ["not_agreed", "agreed"]
    agreed = " ".join(o.summary for o in second.outcomes if o.status == "agreed")
    assert "humanitarian corridors" in agreed and "medicines and food" in agreed
    not_agreed = [o.summary for o in second.outcomes if o.status == "not_agreed"]
    assert not_agreed and "general ceasefire" in not_agreed[0]
    # "The two sides said ..." is reported; the rest is what Podolyak "said"
    assert [o.according_to for o in second.outcomes] == [None, *["podolyak"] * 4]


def test_round_positions_are_those_reported_at_the_table(bundled):
    def by_round(dataset):
        return {
            rid: sorted((p.party, p.issue) for p in dataset.filter_positions(round=rid))
            for rid in dataset.rounds
        }

    first = by_round(bundled.known_at(FIRST))
    assert first["round-1"] == [
        ("russia", "crimea"), ("russia", "donbas"), ("russia", "eu-membership"),
        ("ukraine", "ceasefire"), ("ukraine", "crimea"), ("ukraine", "troop-withdrawal"),
    ]
    assert first["round-2"] == [
        ("russia", "humanitarian-corridors"), ("ukraine", "humanitarian-corridors")
    ]
    second = by_round(bundled)
    # "drop its demand that Crimea be returned" is on crimea-return; Ukraine's position on
    # Crimea was inferred from it, not reported (retracted)
    assert second["round-1"] == [
        ("russia", "crimea-return"), ("russia", "donbas"), ("russia", "eu-membership"),
        ("ukraine", "ceasefire"), ("ukraine", "troop-withdrawal"),
    ]
    # Podolyak: a halt to fighting "possible ... only in those places", deliveries "seen
    # eye-to-eye on", and the delegations "will meet again next week"
    assert second["round-2"] == [
        ("russia", "humanitarian-corridors"), ("ukraine", "aid-deliveries"),
        ("ukraine", "delegation-talks"), ("ukraine", "humanitarian-corridors"),
        ("ukraine", "local-ceasefires"),
    ]


@pytest.mark.parametrize(
    ("known_at", "issues"),
    [(FIRST, ["neutrality", "no-fly-zone"]), (None, ["nato-membership", "no-fly-zone"])],
)
def test_the_contradiction_is_kept_as_two_disputed_readings(bundled, known_at, issues):
    """Who said "now is not the time", about what: NATO membership (bombing-must-stop:
    "not the time to make that move", the move being accepted into NATO) or a no-fly zone
    (no-talks-until-bombing-stops: "not the time to introduce such a measure"). The first
    edition filed the NATO reading under neutrality."""
    disputed = bundled.known_at(known_at).filter_positions(disputed=True)
    assert sorted((p.issue, p.actor, p.evidence[0].source) for p in disputed) == [
        (issues[0], "biden", "bombing-must-stop-2022-03-01"),
        (issues[1], "biden", "no-talks-until-bombing-stops-2022-03-01"),
    ]
    assert {p.dispute for p in disputed} == {"biden-not-the-time"}
    assert all("now was not the time" in p.evidence[0].quote for p in disputed)


def test_one_statement_reported_by_two_articles_is_one_position(bundled):
    for dataset in (bundled, bundled.known_at(FIRST)):
        halt = dataset.filter_positions(parties=["ukraine"], issues=["halt-bombing"])
        assert len(halt) == 1
        assert {e.source for e in halt[0].evidence} == {
            "bombing-must-stop-2022-03-01", "no-talks-until-bombing-stops-2022-03-01"
        }


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        # "Before the onslaught ... Putin had demanded": the day before the invasion, at latest.
        ("russia-neutrality-2022-02-23", (date(2022, 2, 23), "approximate", "putin")),
        ("russia-nato-membership-2022-02-23", (date(2022, 2, 23), "approximate", "putin")),
        # "Zelensky had said in his earlier comments this week": the article's day, at latest.
        ("ukraine-neutrality-2022-02-25", (date(2022, 2, 25), "approximate", "zelensky")),
        ("ukraine-neutrality-2022-02-25-ed2", (date(2022, 2, 25), "approximate", "zelensky")),
        # "During the first round of post-invasion talks": the first edition took the round's
        # start as its day; the articles do not give it ("this week"), so approximate since
        ("russia-donbas-2022-02-28", (date(2022, 2, 28), "day", "russian-delegation")),
        ("russia-donbas-2022-02-28-ed2", (date(2022, 2, 28), "approximate", "russian-delegation")),
        # Reported on 3 March, but said when the invasion was launched "last week".
        ("russia-denazification-2022-02-24", (date(2022, 2, 24), "approximate", "putin")),
        # "the White House says": undated, the latest day the article allows
        ("usa-no-fly-zone-2022-03-01-white-house-ed2",
         (date(2022, 3, 1), "approximate", "white-house")),
    ],
)
def test_statements_are_dated_when_made_not_when_reported(bundled, position, expected):
    found = bundled.history.positions[position]  # either edition
    assert (found.date, found.date_precision, found.actor) == expected


@pytest.mark.parametrize(
    ("known_at", "expected"),
    [
        (FIRST, {
            "kyiv-2022-02-25": 11,
            "bombing-must-stop-2022-03-01": 11,
            "no-talks-until-bombing-stops-2022-03-01": 3,
            "direct-talks-2022-03-03": 7,
        }),
        # the second edition: the Kyiv article loses the usa and eu sanctions and gains the
        # Kremlin's offer of talks; the 1 March articles lose Ukraine on Crimea and NATO's
        # weapons; the 3 March article gains planes, local ceasefires, deliveries, meeting again
        (None, {
            "kyiv-2022-02-25": 10,
            "bombing-must-stop-2022-03-01": 10,
            "no-talks-until-bombing-stops-2022-03-01": 2,
            "direct-talks-2022-03-03": 11,
        }),
    ],
)
def test_expected_number_of_positions_per_article(bundled, known_at, expected):
    first_cited = {}
    for position in bundled.known_at(known_at).positions.values():
        first_cited.setdefault(position.evidence[0].source, []).append(position.id)
    assert {source: len(ids) for source, ids in first_cited.items()} == expected


def test_every_correction_is_recorded_after_what_it_corrects_with_a_reason(bundled):
    history = bundled.history
    assert history.dates == [date(2026, 11, 22), date(2026, 12, 3)]
    assert len(history.corrections) == 25
    for correction in history.corrections:
        corrected = history.positions[correction.position]
        assert corrected.recorded < correction.recorded, correction.position
        assert correction.reason.strip()
        if correction.replaced_by:
            replacement = history.positions[correction.replaced_by]
            assert replacement.supersedes == correction.position
            assert replacement.recorded == correction.recorded


def test_actors_speak_for_the_parties_the_articles_give_them(bundled):
    assert {a.id: a.party for a in bundled.actors.values()} == {
        "zelensky": "ukraine", "podolyak": "ukraine", "ukrainian-delegation": "ukraine",
        "putin": "russia", "peskov": "russia", "russian-delegation": "russia",
        "biden": "usa", "white-house": "usa",
    }
