"""How far apart two parties are over time: the convergence series, from the dataset; no Flask.

One point for each date on which either party takes a position (on any issue in the filter),
as the two stood that day: the mean absolute gap |a − b| over the issues both hold a position
on, how many such issues there are, and how many issues fall under each compare status.
Positions are read in date order once; each date updates only the issues that moved, with
the gap and ``compare_status`` exactly as ``Dataset.compare`` computes them, looked up for
each pair of stances (the tests check every point against ``compare`` on its date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from service.dataset import Dataset
from service.model import STATUSES, Stance, compare_status

MEAN_DIGITS = 3  # the mean gap is rounded, so that JSON and CSV say the same short number


@dataclass(frozen=True, slots=True)
class ConvergencePoint:
    """The two parties as they stood on one date."""

    date: date
    mean_gap: float | None  # None when no issue has a position from both
    issues: int  # issues both parties hold a position on
    statuses: dict[str, int]  # issues per compare status, every status present
    moved: tuple[str, ...]  # the issues on which either party took a position that day


def convergence(
    dataset: Dataset,  # as the record stood: ``Dataset.known_at``
    first: str,
    second: str,
    *,
    since: date | None = None,
    until: date | None = None,
    issues: Iterable[str] | None = None,
) -> list[ConvergencePoint]:
    """The series for ``first`` and ``second``, dates in ``[since, until]``, oldest first."""
    catalogue = list(dataset.issues if issues is None else issues)
    # every position of either party, in each cell's timeline order (the order ``latest``
    # reads, so the last one applied on a date is the one ``compare`` would see), by date
    moves = [
        (
            entry.position.date,
            issue,
            party == first,
            (entry.position.stance, bool(entry.position.conditions)),
        )
        for issue in catalogue
        for party, entries in dataset.timeline(issue, parties=(first, second))
        for entry in entries
    ]
    moves.sort(key=itemgetter(0))  # stable: a cell's same-day positions keep their order
    # an issue's gap and status for each pair of sides (a stance, and whether it attaches
    # conditions), exactly as Dataset.compare has them: ``conditional`` when either side of
    # the row has conditions
    sides = (None, *((stance, conditions) for stance in Stance for conditions in (False, True)))
    outcome = {
        (a, b): (
            None if a is None or b is None else abs(a[0].score - b[0].score),
            compare_status(
                a and a[0], b and b[0], any(side is not None and side[1] for side in (a, b))
            ),
        )
        for a in sides
        for b in sides
    }
    order = {issue: n for n, issue in enumerate(dataset.issues)}.__getitem__
    rows = dict.fromkeys(catalogue, outcome[None, None])  # issue → (gap, status)
    statuses = dict.fromkeys(STATUSES, 0)
    statuses[outcome[None, None][1]] += len(rows)
    gaps = shared = 0
    firsts: dict[str, tuple[Stance, bool]] = {}
    seconds: dict[str, tuple[Stance, bool]] = {}
    points = []
    for day, group in groupby(moves, key=itemgetter(0)):
        if until is not None and day > until:
            break
        moved = set()
        for _, issue, is_first, side in group:
            (firsts if is_first else seconds)[issue] = side
            moved.add(issue)
        for issue in moved:
            old_gap, old_status = rows[issue]
            gap, status = rows[issue] = outcome[firsts.get(issue), seconds.get(issue)]
            statuses[old_status] -= 1
            statuses[status] = statuses.get(status, 0) + 1  # a status compare gains is counted
            if old_gap is not None:
                gaps, shared = gaps - old_gap, shared - 1
            if gap is not None:
                gaps, shared = gaps + gap, shared + 1
        if since is None or day >= since:
            mean = round(gaps / shared, MEAN_DIGITS) if shared else None
            moved_issues = tuple(sorted(moved, key=order))
            points.append(ConvergencePoint(day, mean, shared, dict(statuses), moved_issues))
    return points


# -- as a flat table ------------------------------------------------------------------------

CONVERGENCE_COLUMNS = ("date", "mean_gap", "issues", *STATUSES, "moved")


def convergence_row(point: ConvergencePoint) -> dict:
    """One point as a row of CONVERGENCE_COLUMNS; the moved issues joined by "; "."""
    return {
        "date": point.date.isoformat(),
        "mean_gap": point.mean_gap,
        "issues": point.issues,
        **point.statuses,
        "moved": "; ".join(point.moved),
    }
