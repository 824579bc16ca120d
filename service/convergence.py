"""How far apart two parties are over time: the convergence series, from the dataset; no Flask.

One point for each date on which either party takes a position (on any issue in the filter),
as the two stood that day: the mean absolute gap |a − b| over the issues both hold a position
on, how many such issues there are, and how many issues fall under each compare status.
Positions are read in date order once; each date updates only the issues that moved, with
the gap and ``compare_status`` exactly as ``Dataset.compare`` computes them, looked up for
each pair of stances (the tests check every point against ``compare`` on its date).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from service.dataset import Dataset
from service.model import SIDES, STATUSES, compare_status

MEAN_DIGITS = 3  # the mean gap is rounded, so that JSON and CSV say the same short number


@dataclass(frozen=True, slots=True)
class ConvergencePoint:
    """The two parties as they stood on one date."""

    date: date
    mean_gap: float | None  # None when no issue has a position from both
    issues: int  # issues both parties hold a position on
    statuses: dict[str, int]  # issues per compare status, every status present
    moved: tuple[str, ...]  # the issues on which either party took a position that day


def _outcome(a, b) -> tuple[int | None, str]:
    """An issue's gap and status for two sides (model.SIDES), exactly as Dataset.compare
    has them: ``conditional`` when either side of the row has conditions."""
    gap = None if a is None or b is None else abs(a[0].score - b[0].score)
    conditional = any(side is not None and side[1] for side in (a, b))
    return gap, compare_status(a and a[0], b and b[0], conditional)


# the outcome of side numbers ``a`` (the first party's) and ``b`` at index ``a * _WIDTH + b``
_WIDTH = len(SIDES)
_OUTCOMES = tuple(_outcome(a, b) for a in SIDES for b in SIDES)


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
    wanted = None if issues is None else set(catalogue)
    # each party's days: the sides it stood on by evening on the issues it spoke to that
    # day (a cell's last position of a day is the one ``compare`` sees), up to ``until``
    days = {}
    for party in (first, second):
        dates, sides = dataset.moves(party)
        if until is not None:
            end = bisect_right(dates, until)
            dates, sides = dates[:end], sides[:end]
        if wanted is not None:
            sides = [{i: s for i, s in day.items() if i in wanted} for day in sides]
        days[party] = dict(zip(dates, sides, strict=True))
    firsts = dict.fromkeys(catalogue, 0)  # issue → the first party's side number (0: none)
    seconds = dict.fromkeys(catalogue, 0)
    outcomes, width, nothing = _OUTCOMES, _WIDTH, {}
    order = {issue: n for n, issue in enumerate(dataset.issues)}.__getitem__
    rows = dict.fromkeys(catalogue, outcomes[0])  # issue → (gap, status)
    statuses = dict.fromkeys(STATUSES, 0)
    statuses[outcomes[0][1]] += len(rows)
    gaps = shared = 0
    points = []
    ours, theirs = days[first], days[second]
    for day in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(day, nothing), theirs.get(day, nothing)
        if not mine and not other:  # positions on none of the issues asked about
            continue
        firsts.update(mine)
        seconds.update(other)
        moved = mine.keys() | other.keys()
        for issue in moved:
            old_gap, old_status = rows[issue]
            gap, status = rows[issue] = outcomes[firsts[issue] * width + seconds[issue]]
            statuses[old_status] -= 1
            statuses[status] += 1
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
