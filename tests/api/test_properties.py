"""Properties: /snapshot equals a brute-force scan of the positions, for any date and filters."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DAYS = st.dates(min_value=date(2022, 2, 20), max_value=date(2022, 3, 8))
# the app and the session's dataset are read-only here, so examples may share them
SHARED = [HealthCheck.function_scoped_fixture]


def subset(choices):
    return st.none() | st.lists(st.sampled_from(list(choices)), min_size=1, unique=True)


def brute_force(dataset, as_of: date, parties, issues) -> list[tuple[str, str, str]]:
    """Every issue × party in catalogue order: its latest position on or before ``as_of``."""
    cells = []
    for issue in dataset.issues:
        for party in dataset.parties:
            if (issues and issue not in issues) or (parties and party not in parties):
                continue
            dated = [
                (p.date, p.id)  # two on one day: the later id, as the dataset orders them
                for p in dataset.positions.values()
                if p.issue == issue and p.party == party and p.date <= as_of
            ]
            if dated:
                cells.append((issue, party, max(dated)[1]))
    return cells


@settings(max_examples=150, deadline=None, suppress_health_check=SHARED)
@given(as_of=DAYS, data=st.data())
def test_snapshot_is_the_latest_position_per_cell(client, bundled, as_of, data):
    parties = data.draw(subset(bundled.parties), label="party")
    issues = data.draw(subset(bundled.issues), label="issue")
    query = {"as_of": as_of.isoformat()}
    if parties:
        query["party"] = ",".join(parties)
    if issues:
        query["issue"] = ",".join(issues)
    body = client.get("/api/v1/snapshot", query_string=query).get_json()
    found = [(c["issue"], c["party"], c["position"]) for c in body["cells"]]
    assert found == brute_force(bundled, as_of, parties, issues)
    for cell in body["cells"]:
        position = bundled.positions[cell["position"]]
        assert (cell["stance"], cell["score"]) == (position.stance.value, position.score)
        assert cell["since"] == position.date.isoformat() <= as_of.isoformat()


@settings(max_examples=50, deadline=None, suppress_health_check=SHARED)
@given(as_of=DAYS)
def test_snapshot_changes_only_on_a_position_date(client, bundled, as_of):
    before = client.get(f"/api/v1/snapshot?as_of={as_of - timedelta(days=1)}").get_json()
    after = client.get(f"/api/v1/snapshot?as_of={as_of}").get_json()
    moved = before["cells"] != after["cells"]
    assert moved == any(p.date == as_of for p in bundled.positions.values())
