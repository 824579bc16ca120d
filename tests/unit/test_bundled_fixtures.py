"""The curated fixtures: complete, consistent and true to the four articles they quote."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import BUNDLED, SEEDS
from tests.support import load_dataset

TYPOGRAPHIC = {"“": '"', "”": '"', "‘": "'", "’": "'"}


def normalised(text: str) -> str:
    """Only whitespace and typographic quotes are normalised (written apart from the loader's)."""
    for curly, straight in TYPOGRAPHIC.items():
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def all_evidence(dataset):
    for position in dataset.positions.values():
        for evidence in position.evidence:
            yield position.id, evidence
    for round_ in dataset.rounds.values():
        for outcome in round_.outcomes:
            for evidence in outcome.evidence:
                yield round_.id, evidence


def test_bundled_fixtures_load_with_zero_errors_and_quotes_checked():
    dataset = load_dataset(BUNDLED, seeds=SEEDS)
    assert dataset.counts() == {
        "parties": 6, "actors": 8, "issues": 15, "sources": 4, "rounds": 2, "positions": 32
    }


def test_every_quote_appears_verbatim_in_its_seed_article(bundled):
    articles = {
        source.id: normalised((SEEDS / source.seed).read_text("utf-8"))
        for source in bundled.sources.values()
    }
    checked = 0
    for owner, evidence in all_evidence(bundled):
        assert normalised(evidence.quote) in articles[evidence.source], (owner, evidence.quote)
        checked += 1
    assert checked >= 50  # the loop really ran over the evidence


def test_every_article_is_a_source_and_every_source_is_cited(bundled):
    assert sorted(s.seed for s in bundled.sources.values()) == sorted(
        p.name for p in SEEDS.glob("*.txt")
    )
    cited = {e.source for _, e in all_evidence(bundled)}
    assert cited == set(bundled.sources)


@pytest.mark.parametrize(
    ("seed", "published", "method"),
    [
        ("000_4e9f5e3cc2b14ad2.txt", date(2022, 2, 25), "dateline"),  # "date 2022-02-25", Friday
        ("001_e7a54f8e632b3018.txt", date(2022, 3, 3), "inferred"),  # Thursday, day eight
        ("002_ccee9ae403eb08da.txt", date(2022, 3, 1), "inferred"),  # Tuesday, TV tower strike
        ("003_47e69bc1e89b3f9d.txt", date(2022, 3, 1), "inferred"),  # Tuesday, sixth day
    ],
)
def test_each_article_is_dated_right(bundled, seed, published, method):
    (source,) = [s for s in bundled.sources.values() if s.seed == seed]
    assert (source.published, source.date_basis.method) == (published, method)


def test_only_the_dateline_article_is_dated_explicitly(bundled):
    text = (SEEDS / "000_4e9f5e3cc2b14ad2.txt").read_text("utf-8")
    assert text.split()[:2] == ["date", "2022-02-25"]
    others = ("001_e7a54f8e632b3018.txt", "002_ccee9ae403eb08da.txt", "003_47e69bc1e89b3f9d.txt")
    for seed in others:
        assert not re.search(r"\b2022-\d\d-\d\d\b", (SEEDS / seed).read_text("utf-8"))


def test_both_rounds_in_belarus_with_their_outcomes(bundled):
    first, second = bundled.rounds["round-1"], bundled.rounds["round-2"]
    assert (first.number, first.start, first.host, first.duration) == (
        1, date(2022, 2, 28), "belarus", "five hours"
    )
    assert (second.number, second.start, second.host) == (2, date(2022, 3, 3), "belarus")
    assert [o.status for o in first.outcomes] == ["not_agreed", "agreed"]
    agreed = " ".join(o.summary for o in second.outcomes if o.status == "agreed")
    assert "humanitarian corridors" in agreed and "medicines and food" in agreed
    not_agreed = [o.summary for o in second.outcomes if o.status == "not_agreed"]
    assert not_agreed and "general ceasefire" in not_agreed[0]


def test_round_positions_are_those_reported_at_the_table(bundled):
    by_round = {
        rid: sorted((p.party, p.issue) for p in bundled.filter_positions(round=rid))
        for rid in bundled.rounds
    }
    assert by_round["round-1"] == [
        ("russia", "crimea"), ("russia", "donbas"), ("russia", "eu-membership"),
        ("ukraine", "ceasefire"), ("ukraine", "crimea"), ("ukraine", "troop-withdrawal"),
    ]
    assert by_round["round-2"] == [
        ("russia", "humanitarian-corridors"), ("ukraine", "humanitarian-corridors")
    ]


def test_the_contradiction_is_kept_as_two_disputed_readings(bundled):
    """Who said "now is not the time", about what: NATO membership (002) or a no-fly zone (003)."""
    disputed = bundled.filter_positions(disputed=True)
    assert sorted((p.issue, p.actor, p.evidence[0].source) for p in disputed) == [
        ("neutrality", "biden", "bombing-must-stop-2022-03-01"),
        ("no-fly-zone", "biden", "no-talks-until-bombing-stops-2022-03-01"),
    ]
    assert len({p.dispute for p in disputed}) == 1
    assert all("now was not the time" in p.evidence[0].quote for p in disputed)


def test_one_statement_reported_by_two_articles_is_one_position(bundled):
    halt = bundled.filter_positions(parties=["ukraine"], issues=["halt-bombing"])
    assert len(halt) == 1
    assert {e.source for e in halt[0].evidence} == {
        "bombing-must-stop-2022-03-01", "no-talks-until-bombing-stops-2022-03-01"
    }


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        # "Before the onslaught ... Putin had demanded": the day before the invasion, at latest.
        ("russia-neutrality-2022-02-23", (date(2022, 2, 23), "approximate", "putin")),
        # "Zelensky had said in his earlier comments this week": the article's day, at latest.
        ("ukraine-neutrality-2022-02-25", (date(2022, 2, 25), "approximate", "zelensky")),
        # "During the first round of post-invasion talks": the round's day.
        ("russia-donbas-2022-02-28", (date(2022, 2, 28), "day", "russian-delegation")),
        # Reported on 3 March, but said when the invasion was launched "last week".
        ("russia-denazification-2022-02-24", (date(2022, 2, 24), "approximate", "putin")),
    ],
)
def test_statements_are_dated_when_made_not_when_reported(bundled, position, expected):
    found = bundled.positions[position]
    assert (found.date, found.date_precision, found.actor) == expected


def test_expected_number_of_positions_per_article(bundled):
    first_cited = {}
    for position in bundled.positions.values():
        first_cited.setdefault(position.evidence[0].source, []).append(position.id)
    assert {source: len(ids) for source, ids in first_cited.items()} == {
        "kyiv-2022-02-25": 11,
        "bombing-must-stop-2022-03-01": 11,
        "no-talks-until-bombing-stops-2022-03-01": 3,
        "direct-talks-2022-03-03": 7,
    }


def test_actors_speak_for_the_parties_the_articles_give_them(bundled):
    assert {a.id: a.party for a in bundled.actors.values()} == {
        "zelensky": "ukraine", "podolyak": "ukraine", "ukrainian-delegation": "ukraine",
        "putin": "russia", "peskov": "russia", "russian-delegation": "russia",
        "biden": "usa", "white-house": "usa",
    }
