"""The stance scale and the two derived labels, checked against every pair DESIGN.md defines."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from service.model import SIDES, Evidence, Stance, classify_change, compare_status, side_number

D, S, N, P, R = Stance.DEMANDS, Stance.SUPPORTS, Stance.OPEN, Stance.OPPOSES, Stance.REJECTS

# N is "open" (neutral). Rows: the previous stance; columns: the new one, in ORDER.
CHANGES = {
    D: ["reiterated", "softened", "softened", "reversed", "reversed"],
    S: ["hardened", "reiterated", "softened", "reversed", "reversed"],
    N: ["hardened", "hardened", "reiterated", "hardened", "hardened"],
    P: ["reversed", "reversed", "softened", "reiterated", "hardened"],
    R: ["reversed", "reversed", "softened", "softened", "reiterated"],
}
STATUSES = {
    D: ["agreed", "agreed", "negotiable", "opposed", "opposed"],
    S: ["agreed", "agreed", "negotiable", "opposed", "opposed"],
    N: ["negotiable"] * 5,
    P: ["opposed", "opposed", "negotiable", "agreed", "agreed"],
    R: ["opposed", "opposed", "negotiable", "agreed", "agreed"],
}
ORDER = [D, S, N, P, R]


def test_scores_run_from_demands_to_rejects():
    assert [(s.value, s.score) for s in Stance] == [
        ("demands", 2), ("supports", 1), ("open", 0), ("opposes", -1), ("rejects", -2)
    ]
    assert Stance("opposes") is Stance.parse("opposes") is P


@pytest.mark.parametrize("previous", ORDER)
@pytest.mark.parametrize("current", ORDER)
def test_change_labels(previous, current):
    assert classify_change(previous, current) == CHANGES[previous][ORDER.index(current)]


@pytest.mark.parametrize("current", ORDER)
def test_a_first_position_is_new(current):
    assert classify_change(None, current) == "new"


@pytest.mark.parametrize("a", ORDER)
@pytest.mark.parametrize("b", ORDER)
def test_compare_statuses(a, b):
    assert compare_status(a, b) == STATUSES[a][ORDER.index(b)]
    assert compare_status(a, b) == compare_status(b, a)


@pytest.mark.parametrize("known", [*ORDER, None])
def test_a_missing_side_is_unknown(known):
    assert compare_status(known, None) == compare_status(None, known) == "unknown"


def test_positions_and_evidence_pickle_as_their_constructor_arguments(bundled):
    """Loading helpers send records back pickled (service.reading)."""
    for position in bundled.positions.values():
        again = pickle.loads(pickle.dumps(position, pickle.HIGHEST_PROTOCOL))
        assert again == position and again.stance is position.stance
        assert type(again.evidence) is tuple
        assert all(type(piece) is Evidence for piece in again.evidence)


def test_with_evidence_is_the_position_with_more_evidence(bundled):
    more = (Evidence("a-source", "a quote"),)
    for position in bundled.positions.values():
        assert position.with_evidence(more) == replace(position, evidence=position.evidence + more)


def test_side_numbers_name_each_stance_and_conditional_pair_once():
    numbers = {
        (stance, conditional): side_number(stance, conditional)
        for stance in Stance
        for conditional in (False, True)
    }
    assert sorted(numbers.values()) == list(range(1, len(SIDES)))  # 0 is "no position"
    assert SIDES[0] is None
    for pair, number in numbers.items():
        assert SIDES[number] == pair
