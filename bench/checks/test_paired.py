"""The req/s ratio of two targets measured in alternating slices (bench/paired.py)."""

from __future__ import annotations

import pytest

from bench.paired import ratio, round_ratios


def test_steady_rounds_give_the_ratio_of_the_means():
    first, second = [4000.0, 4400.0, 3600.0, 4000.0], [2000.0, 2200.0, 1800.0, 2000.0]
    assert ratio(first, second) == pytest.approx(2.0)
    assert ratio(first, second) == pytest.approx(sum(first) / sum(second))


def test_a_burst_in_one_slice_is_set_aside():
    # one of the first target's slices slowed to a third by other work on the host
    first = [4000.0, 1300.0, 4000.0, 4000.0, 4000.0, 4000.0]
    second = [4000.0] * 6
    assert sum(first) / sum(second) == pytest.approx(0.8875)
    assert ratio(first, second) == pytest.approx(1.0)
    # and a burst on the other side does not flatter the first either
    assert ratio(second, first) == pytest.approx(1.0)


def test_a_target_slower_in_every_round_stays_slower():
    first = [2800.0, 3000.0, 2600.0, 3100.0, 2700.0, 2900.0]
    second = [4000.0, 4100.0, 3900.0, 4200.0, 3800.0, 4000.0]
    assert max(round_ratios(first, second)) < 0.8
    assert ratio(first, second) < 0.8


def test_rounds_are_paired_in_order():
    assert round_ratios([1.0, 4.0], [2.0, 2.0]) == [0.5, 2.0]
    assert ratio([], []) == 0.0
