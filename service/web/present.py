"""What the Explorer's pages show, built from the dataset's queries; no Flask, no HTML.

Each function takes the dataset and plain arguments and returns small objects the
templates lay out: the matrix, an issue's moves and chart series, a comparison. Records
are handed over as they are, so a field they gain (a position's ``recorded``, a compare
status) reaches the templates without a change here.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from weakref import WeakKeyDictionary

from service.dataset import Dataset
from service.model import Position, TimelineEntry


@dataclass(frozen=True, slots=True)
class StanceStyle:
    """How a stance is shown: colour class, symbol and word, so colour is never alone."""

    name: str
    score: int
    symbol: str
    meaning: str


STANCE_STYLES = {
    "demands": StanceStyle("demands", 2, "▲▲", "insists on it; a condition for agreement"),
    "supports": StanceStyle("supports", 1, "▲", "favours or agrees to it"),
    "open": StanceStyle("open", 0, "◆", "willing to discuss it"),
    "opposes": StanceStyle("opposes", -1, "▼", "against it, without ruling it out"),
    "rejects": StanceStyle("rejects", -2, "▼▼", "refuses it outright"),
}
# compare statuses: a symbol each; a status not listed here (a later one) shows its word alone
STATUS_SYMBOLS = {"agreed": "✓", "conditional": "≈", "negotiable": "◆", "opposed": "✕",
                  "unknown": "?"}  # fmt: skip


# -- per dataset, computed once ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Moves:
    """The distinct dates on which any position was taken, in order."""

    dates: tuple[date, ...]

    def before(self, day: date) -> date | None:
        index = bisect_left(self.dates, day)
        return self.dates[index - 1] if index else None

    def after(self, day: date) -> date | None:
        index = bisect_right(self.dates, day)
        return self.dates[index] if index < len(self.dates) else None


class PerDataset:
    """A value computed once per dataset, forgotten with the dataset (a reload drops it)."""

    def __init__(self, compute):
        self.compute = compute
        self.values: WeakKeyDictionary = WeakKeyDictionary()
        self.lock = threading.Lock()

    def __call__(self, dataset: Dataset):
        with self.lock:
            value = self.values.get(dataset)
        if value is None:
            value = self.compute(dataset)
            with self.lock:
                self.values[dataset] = value
        return value


def _moves(dataset: Dataset) -> Moves:
    return Moves(tuple(sorted({position.date for position in dataset.positions.values()})))


moves = PerDataset(_moves)


# -- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    issue: str
    cells: list[tuple[str, Position | None]]  # (party, its latest position), every party


def matrix(dataset: Dataset, as_of: date, issues: Sequence[str]) -> list[MatrixRow]:
    """The issues × every party as of a date: each cell the party's latest position, or None."""
    found = {(p.issue, p.party): p for p in dataset.snapshot(as_of, issues=issues)}
    parties = list(dataset.parties)
    return [
        MatrixRow(issue, [(party, found.get((issue, party))) for party in parties])
        for issue in issues
    ]


# -- an issue over time -------------------------------------------------------------------------


def issue_moves(dataset: Dataset, issue: str) -> list[TimelineEntry]:
    """Every party's moves on the issue, by date (parties in catalogue order within a date)."""
    entries = [entry for _, timeline in dataset.timeline(issue) for entry in timeline]
    order = {party: n for n, party in enumerate(dataset.parties)}
    entries.sort(key=lambda e: (e.position.date, order[e.position.party]))
    return entries


def issue_chart(dataset: Dataset, issue: str) -> dict:
    """The step chart's data: one series per party, the rounds, and the date domain."""
    first, last = dataset.date_range()
    series = []
    for party, timeline in dataset.timeline(issue):
        points = [
            {
                "date": e.position.date,
                "score": e.position.score,
                "stance": e.position.stance.value,
                "change": e.change,
                "position": e.position.id,
                "disputed": bool(dataset.rivals(e.position.id)),  # an uncertain move
            }
            for e in timeline
        ]
        series.append({"party": party, "name": dataset.parties[party].name, "points": points})
    return {
        "kind": "timeline",
        "domain": [first, last],
        "series": series,
        "rounds": rounds_in(dataset, first, last),
    }


def rounds_in(dataset: Dataset, first: date | None, last: date | None) -> list[dict]:
    """The rounds that started within the dates, for the charts' vertical rules."""
    if first is None or last is None:
        return []
    return [
        {"id": r.id, "number": r.number, "date": r.start, "place": r.place}
        for r in dataset.rounds.values()
        if first <= r.start <= last
    ]


# -- helpers for every page ------------------------------------------------------------------------


def window(items: Sequence, page: int, size: int) -> tuple[Sequence, int]:
    """The items of a page (from 1) and the number of pages (at least 1)."""
    pages = max(1, -(-len(items) // size))
    start = (page - 1) * size
    return items[start : start + size], pages


def actors_of(dataset: Dataset, party: str) -> list:
    return [actor for actor in dataset.actors.values() if actor.party == party]


def rival_readings(dataset: Dataset, position: Position) -> list[Position]:
    """The positions of the position's uncertain move: the other readings of its statement
    (a ``dispute``), and the party's positions of the same day that cannot be ordered."""
    return [dataset.positions[i] for i in dataset.rivals(position.id) if i in dataset.positions]


@dataclass(frozen=True, slots=True)
class Corrects:
    """What a correcting position replaced, and why."""

    position: Position | None  # the earlier position, as it was recorded
    id: str
    reason: str


def corrected(dataset: Dataset, position: Position) -> Corrects | None:
    """The earlier position this one supersedes, if it is a correction."""
    if not position.supersedes:
        return None
    earlier = dataset.position(position.supersedes)
    return Corrects(earlier, position.supersedes, position.reason or "")


def neighbours(dataset: Dataset, position: Position) -> tuple[Position | None, Position | None]:
    """The party's positions on the same issue just before and just after this one."""
    for _, timeline in dataset.timeline(position.issue, parties=[position.party]):
        ids = [entry.position.id for entry in timeline]
        if position.id not in ids:  # not in the record as it stood (corrected since)
            break
        index = ids.index(position.id)
        before = timeline[index - 1].position if index else None
        after = timeline[index + 1].position if index + 1 < len(timeline) else None
        return before, after
    return None, None
