"""Record time: what the record held on a given day, and every correction made to it.

A position enters the record on the day its file was recorded. A later file may
supersede it (a corrected position replaces it, with a reason) or retract it (with a
reason). Nothing recorded is edited: "as the record stood on day K" is every position
recorded by K, less those superseded or retracted by K — valid time (``as_of``, what
the talks held) and record time (``known_at``, what the record said), as in SQL:2011.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from service.model import Position, Retraction


@dataclass(frozen=True, slots=True)
class Correction:
    """One change to the record, as distinct from a change at the talks."""

    kind: str  # "supersession" or "retraction"
    position: str  # the position corrected
    replaced_by: str | None  # the position that supersedes it; None for a retraction
    reason: str
    recorded: date


class History:
    """Every position ever recorded and every correction, in record time."""

    def __init__(self, positions: Iterable[Position], retractions: Iterable[Retraction]):
        self.positions = {position.id: position for position in positions}
        corrections = [
            Correction("supersession", p.supersedes, p.id, p.reason or "", p.recorded)
            for p in self.positions.values()
            if p.supersedes
        ]
        corrections += [
            Correction("retraction", r.retracts, None, r.reason, r.recorded) for r in retractions
        ]
        corrections.sort(key=lambda c: (c.recorded, c.position))
        self.corrections = tuple(corrections)
        self._ended = {c.position: c for c in corrections}
        recorded = {p.recorded for p in self.positions.values()} | {c.recorded for c in corrections}
        self.dates = sorted(day for day in recorded if day is not None)

    @property
    def latest(self) -> date | None:
        """The last day anything was recorded: the record as it stands."""
        return self.dates[-1] if self.dates else None

    def state(self, known_at: date) -> date | None:
        """The last record day on or before ``known_at`` (None: nothing was recorded yet)."""
        index = bisect_right(self.dates, known_at)
        return self.dates[index - 1] if index else None

    def known(self, position: Position, state: date | None) -> bool:
        """Whether the position was in the record by ``state`` (even if corrected since)."""
        return state is not None and (position.recorded is None or position.recorded <= state)

    def correction(self, position_id: str, state: date | None) -> Correction | None:
        """The correction that took the position out of the record by ``state``, if any."""
        found = self._ended.get(position_id)
        if found is None or state is None or found.recorded > state:
            return None
        return found

    def visible(self, state: date | None) -> list[Position]:
        """The positions of the record as it stood on ``state``: known by then (``known``)
        and not corrected by then (``correction``), tested inline over every position."""
        if state is None:
            return []
        ended = {pid for pid, c in self._ended.items() if c.recorded <= state}
        return [
            p
            for p in self.positions.values()
            if (p.recorded is None or p.recorded <= state) and p.id not in ended
        ]

    def corrections_by(self, state: date | None) -> list[Correction]:
        """Every correction recorded by ``state``, in record order."""
        return [c for c in self.corrections if state is not None and c.recorded <= state]
