"""Dataset queries on the bundled data, expected values worked out from the articles."""

from __future__ import annotations

from datetime import date

import pytest

from service.model import Stance


def test_snapshot_before_any_talks_holds_only_putins_pre_invasion_demands(bundled):
    cells = bundled.snapshot(date(2022, 2, 24))
    # catalogue order of issues: neutrality, crimea, …, demilitarization, denazification
    assert [(c.issue, c.party, c.stance.value) for c in cells] == [
        ("neutrality", "russia", "demands"),
        ("crimea", "russia", "demands"),
        ("demilitarization", "russia", "demands"),
        ("denazification", "russia", "demands"),  # the 24th: "when the invasion was launched"
    ]


def test_snapshot_after_the_second_round_has_a_cell_per_party_and_issue_spoken_of(bundled):
    cells = bundled.snapshot(date(2022, 3, 3))
    per_party = {}
    for cell in cells:
        per_party[cell.party] = per_party.get(cell.party, 0) + 1
    assert per_party == {"russia": 7, "ukraine": 11, "usa": 3, "eu": 1, "nato": 1}
    assert [c.issue for c in cells][:2] == ["neutrality", "neutrality"]  # catalogue order


def test_snapshot_filters_and_takes_the_latest_position(bundled):
    (cell,) = bundled.snapshot(date(2022, 3, 3), parties=["ukraine"], issues=["leaders-talks"])
    assert cell.id == "ukraine-leaders-talks-2022-03-03"
    (cell,) = bundled.snapshot(date(2022, 3, 2), parties=["ukraine"], issues=["leaders-talks"])
    assert cell.id == "ukraine-leaders-talks-2022-02-25"


def test_timeline_labels_each_move(bundled):
    timeline = dict(bundled.timeline("no-fly-zone"))
    assert list(timeline) == ["ukraine", "usa"]
    assert [(e.position.date.isoformat(), e.position.stance.value, e.change)
            for e in timeline["ukraine"]] == [
        ("2022-03-01", "demands", "new"),
        ("2022-03-03", "demands", "reiterated"),
    ]
    assert [(e.position.actor, e.change) for e in timeline["usa"]] == [
        ("biden", "new"),
        ("white-house", "hardened"),  # "not the time" (opposes) → "not willing" (rejects)
    ]


def test_changes_between_the_rounds_leave_out_reiterations(bundled):
    changes = bundled.changes(since=date(2022, 2, 26), until=date(2022, 3, 3))
    assert len(changes) == 16
    assert all(e.change != "reiterated" for e in changes)
    moved = {(e.position.party, e.position.issue) for e in changes if e.change != "new"}
    assert moved == {
        ("ukraine", "leaders-talks"), ("ukraine", "neutrality"), ("usa", "no-fly-zone")
    }
    dates = [e.position.date for e in changes]
    assert dates == sorted(dates) and dates[0] == date(2022, 2, 28)


@pytest.mark.parametrize(
    ("as_of", "issue", "status", "gap"),
    [
        (date(2022, 3, 3), "crimea", "opposed", 4),
        (date(2022, 3, 3), "neutrality", "opposed", 3),
        (date(2022, 2, 26), "neutrality", "negotiable", 2),
        (date(2022, 3, 3), "humanitarian-corridors", "agreed", 0),
        (date(2022, 3, 2), "humanitarian-corridors", "unknown", None),
        (date(2022, 3, 3), "donbas", "unknown", None),
    ],
)
def test_compare_ukraine_and_russia(bundled, as_of, issue, status, gap):
    (row,) = [r for r in bundled.compare("ukraine", "russia", as_of) if r.issue == issue]
    assert (row.status, row.gap) == (status, gap)


def test_compare_covers_every_issue(bundled):
    rows = bundled.compare("ukraine", "russia", date(2022, 3, 3))
    assert [r.issue for r in rows] == list(bundled.issues)
    assert sum(r.status == "unknown" for r in rows) == 12


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({"actor": "zelensky"}, 12),
        ({"source": "direct-talks-2022-03-03"}, 10),  # seven of its own, three corroborated
        ({"round": "round-1"}, 6),
        ({"parties": ["usa", "eu"], "issues": ["sanctions"]}, 2),
        ({"stances": [Stance.REJECTS]}, 2),
        ({"since": date(2022, 3, 3), "until": date(2022, 3, 3)}, 6),
        ({"disputed": True}, 2),
        ({"parties": ["belarus"]}, 0),
    ],
)
def test_filter_positions(bundled, filters, count):
    found = bundled.filter_positions(**filters)
    assert len(found) == count
    assert found == sorted(found, key=lambda p: (p.date, p.id))


@pytest.mark.parametrize(
    "spelling", ["Zelensky", "Zelenskyy", "zelenskiy", "Volodymyr Zelenskyy", "  ZELENSKIY "]
)
def test_every_spelling_of_zelensky_is_one_actor(bundled, spelling):
    assert bundled.resolve_actor(spelling) == "zelensky"


def test_actor_aliases_resolve_and_an_unknown_name_does_not(bundled):
    assert bundled.resolve_actor("Biden administration") == "white-house"
    assert bundled.resolve_actor("Lavrov") is None


def _brute_force(dataset, parties, issues, actor, source, round_, stances, since, until, disputed):
    return sorted(
        (
            p
            for p in dataset.positions.values()
            if (parties is None or p.party in parties)
            and (issues is None or p.issue in issues)
            and (actor is None or p.actor == actor)
            and (source is None or source in {e.source for e in p.evidence})
            and (round_ is None or p.round == round_)
            and (stances is None or p.stance in stances)
            and (since is None or p.date >= since)
            and (until is None or p.date <= until)
            and (disputed is None or p.disputed == disputed)
        ),
        key=lambda p: (p.date, p.id),
    )


def _maybe(strategy):
    from hypothesis import strategies as st

    return st.none() | strategy


def test_filter_positions_equals_a_brute_force_scan(bundled):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    def ids(mapping):
        return st.sets(st.sampled_from([*mapping, "nobody"]), min_size=1, max_size=3)

    def one(mapping):
        return _maybe(st.sampled_from(list(mapping)))

    days = _maybe(st.dates(min_value=date(2022, 2, 20), max_value=date(2022, 3, 5)))
    filters = st.tuples(
        _maybe(ids(bundled.parties)), _maybe(ids(bundled.issues)),
        one(bundled.actors), one(bundled.sources), one(bundled.rounds),
        _maybe(st.sets(st.sampled_from(list(Stance)))), days, days, _maybe(st.booleans()),
    )

    @settings(max_examples=300, deadline=None)
    @given(filters)
    def check(chosen):
        parties, issues, actor, source, round_, stances, since, until, disputed = chosen
        found = bundled.filter_positions(
            parties=parties, issues=issues, actor=actor, source=source, round=round_,
            stances=stances, since=since, until=until, disputed=disputed,
        )
        assert found == _brute_force(bundled, *chosen)

    check()
