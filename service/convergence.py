"""How far apart two parties are over time: the convergence series, from the dataset; no Flask.

One point for each date on which either party takes a position (on any issue in the filter),
as the two stood that day: the mean absolute gap |a − b| over the issues both hold a position
on, how many such issues there are, and how many issues fall under each compare status.
Positions are read in date order once; each date updates only the issues that moved, with
the gap and ``compare_status`` exactly as ``Dataset.compare`` computes them (the tests check
every point against ``compare`` on its date).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from service.dataset import Dataset
from service.model import STATUSES, Position, compare_status

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
    dataset: Dataset,
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
        (entry.position.date, issue, party, entry.position)
        for issue in catalogue
        for party, entries in dataset.timeline(issue, parties=(first, second))
        for entry in entries
    ]
    moves.sort(key=itemgetter(0))  # stable: a cell's same-day positions keep their order
    order = {issue: n for n, issue in enumerate(dataset.issues)}.__getitem__
    unknown = compare_status(None, None)
    rows = dict.fromkeys(catalogue, (None, unknown))  # issue → (gap, status), as compare has it
    statuses = Counter(dict.fromkeys(STATUSES, 0))
    statuses[unknown] += len(rows)
    gaps = shared = 0
    stance_of: dict[tuple[str, str], Position] = {}
    points = []
    for day, group in groupby(moves, key=itemgetter(0)):
        if until is not None and day > until:
            break
        moved = set()
        for _, issue, party, position in group:
            stance_of[issue, party] = position
            moved.add(issue)
        for issue in moved:  # the issue's row anew, as Dataset.compare makes it
            a, b = stance_of.get((issue, first)), stance_of.get((issue, second))
            gap = abs(a.score - b.score) if a and b else None
            status = compare_status(a and a.stance, b and b.stance)
            old_gap, old_status = rows[issue]
            rows[issue] = gap, status
            statuses[old_status] -= 1
            statuses[status] += 1  # a status compare gains later is counted too
            if old_gap is not None:
                gaps, shared = gaps - old_gap, shared - 1
            if gap is not None:
                gaps, shared = gaps + gap, shared + 1
        if since is None or day >= since:
            mean = round(gaps / shared, MEAN_DIGITS) if shared else None
            points.append(
                ConvergencePoint(day, mean, shared, dict(statuses), tuple(sorted(moved, key=order)))
            )
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
