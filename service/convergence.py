"""How far apart two parties are over time: the convergence series, from the dataset; no Flask.

One point for each date on which either party takes a position (on any issue in the filter),
as the two stood that day: the mean absolute gap |a − b| over the issues both hold a position
on, how many such issues there are, and how many issues fall under each compare status. Each
date's rows come from ``Dataset.compare``, so statuses and gaps are exactly compare's; after
the first date only the issues that moved that day are compared again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter

from service.dataset import Comparison, Dataset
from service.model import STATUSES

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
    issues = None if issues is None else list(issues)
    moves = dataset.filter_positions(
        parties=(first, second), issues=issues, since=since, until=until
    )
    order = {issue: n for n, issue in enumerate(dataset.issues)}
    rows: dict[str, Comparison] = {}
    points = []
    for day, group in groupby(moves, key=attrgetter("date")):
        # the first date compares every issue; later ones only those that moved
        moved = sorted({position.issue for position in group}, key=order.__getitem__)
        wanted = issues if not rows else moved
        for row in dataset.compare(first, second, day, issues=wanted):
            rows[row.issue] = row
        points.append(_point(day, rows.values(), moved))
    return points


def _point(day: date, rows: Iterable[Comparison], moved: list[str]) -> ConvergencePoint:
    gaps = []
    statuses = Counter()
    for row in rows:
        statuses[row.status] += 1
        if row.gap is not None:
            gaps.append(row.gap)
    mean = round(sum(gaps) / len(gaps), MEAN_DIGITS) if gaps else None
    counts = {status: statuses.get(status, 0) for status in STATUSES}
    counts.update(statuses)  # a status compare gains later is counted, not dropped
    return ConvergencePoint(day, mean, len(gaps), counts, tuple(moved))


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
