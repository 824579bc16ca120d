"""The immutable, indexed dataset and its queries: filter, snapshot, timeline, changes, compare."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from operator import attrgetter, itemgetter
from types import MappingProxyType

from service.model import (
    Actor,
    Issue,
    Party,
    Position,
    RecordSet,
    Round,
    SnapshotCell,
    Source,
    Stance,
    TimelineEntry,
    TimelineRow,
    classify_change,
    compare_status,
)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two parties' stances on one issue, the gap between them and what it means."""

    issue: str
    stances: tuple[Position | None, Position | None]
    gap: int | None
    status: str


# the change label of every pair of successive stances, looked up rather than worked out;
# keyed by the stances' names, whose hashes are cached, where an enum's is Python code
_CHANGE_OF = {(a._value_, b._value_): classify_change(a, b) for a in Stance for b in Stance}


def _normalise_name(text: str) -> str:
    return " ".join(text.casefold().split())


class _Cells:
    """Positions of one party on one issue, in date order, with their change labels.

    Each position also has its snapshot cell and timeline row (service.model), aligned.
    """

    __slots__ = ("positions", "dates", "entries", "cells", "rows")

    def __init__(self, issue: str, party: str, positions: list[Position]):
        self.positions = positions
        self.dates = [position.date for position in positions]
        entries, cells, rows, previous, before = [], [], [], None, None
        # made a hundred thousand times at scale: names bound locally
        entry, cell, row, change_of = TimelineEntry, SnapshotCell, TimelineRow, _CHANGE_OF
        add_entry, add_cell, add_row = entries.append, cells.append, rows.append
        for position in positions:
            stance = position.stance
            name = stance._value_
            if previous is None:
                change = "new"
                add_entry(entry(position, change))
            else:
                change = change_of[before, name]
                add_entry(entry(position, change, previous))
            day, score, pid = position.date, stance.score, position.id
            add_cell(cell(issue, party, pid, score, day, name))
            add_row(row(change, day, pid, score, name))
            previous, before = position, name
        self.entries, self.cells, self.rows = entries, cells, rows

    def as_of(self, day: date) -> Position | None:
        index = bisect_right(self.dates, day)
        return self.positions[index - 1] if index else None


class Dataset:
    """Everything loaded from one set of fixtures; never changes once built."""

    def __init__(
        self,
        *,
        parties: Sequence[Party],
        actors: Sequence[Actor],
        issues: Sequence[Issue],
        sources: Sequence[Source],
        rounds: Sequence[Round],
        positions: Sequence[Position],
        version: str,
        files: Sequence[str] = (),
        loaded_at: datetime | None = None,
    ):
        self.version = version
        self.files = tuple(files)
        self.loaded_at = loaded_at
        self.parties = _by_id(parties)
        self.actors = _by_id(actors)
        self.issues = _by_id(issues)
        self.sources = _by_id(sources)
        self.rounds = _by_id(sorted(rounds, key=lambda r: (r.start, r.number or 0, r.id)))
        ordered = sorted(positions, key=attrgetter("date", "id"))
        self.positions = _by_id(ordered)
        self._ordered = tuple(ordered)
        self._dates = [p.date for p in ordered]
        self._party_order = {pid: n for n, pid in enumerate(self.parties)}
        self._issue_order = {iid: n for n, iid in enumerate(self.issues)}

        # One pass files each row (its index in date order) under its cell, actor, round
        # and sources; the party and issue indexes are then merges of their cells' rows.
        cell_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_actor, by_round, by_source = defaultdict(list), defaultdict(list), defaultdict(list)
        for row, position in enumerate(ordered):
            cell_rows[position.issue, position.party].append(row)
            if position.actor:
                by_actor[position.actor].append(row)
            if position.round:
                by_round[position.round].append(row)
            evidence = position.evidence
            if len(evidence) == 1:
                by_source[evidence[0].source].append(row)
            else:
                for source in dict.fromkeys(piece.source for piece in evidence):
                    by_source[source].append(row)
        self._cell_rows = dict(cell_rows)
        by_party, by_issue = defaultdict(list), defaultdict(list)
        for (issue, party), rows in cell_rows.items():
            by_party[party].append(rows)
            by_issue[issue].append(rows)
        self._index = {
            "party": _merged(by_party),
            "issue": _merged(by_issue),
            "actor": dict(by_actor),
            "round": dict(by_round),
            "source": dict(by_source),
        }
        row_of = ordered.__getitem__
        self._cells = {
            key: _Cells(*key, list(map(row_of, rows))) for key, rows in cell_rows.items()
        }
        self._issue_cells: dict[str, list[tuple[str, _Cells]]] = defaultdict(list)
        for issue, party in sorted(cell_rows, key=self._cell_order):
            self._issue_cells[issue].append((party, self._cells[(issue, party)]))
        # changes in (date, id) order: each cell's entries by row, merged
        changed = [
            (row, entry)
            for key, rows in cell_rows.items()
            for row, entry in zip(rows, self._cells[key].entries, strict=True)
            if entry.change != "reiterated"
        ]
        changed.sort(key=itemgetter(0))
        self._changes = [entry for _, entry in changed]
        self._change_dates = [e.position.date for e in self._changes]
        self._aliases = {}
        for actor in self.actors.values():
            for name in (actor.id, actor.name, *actor.aliases):
                self._aliases.setdefault(_normalise_name(name), actor.id)

    @classmethod
    def from_records(cls, records: RecordSet, loaded_at: datetime | None = None) -> Dataset:
        """The dataset of a loaded record set."""
        return cls(
            parties=records.parties,
            actors=records.actors,
            issues=records.issues,
            sources=records.sources,
            rounds=records.rounds,
            positions=records.positions,
            version=records.version,
            files=records.files,
            loaded_at=loaded_at,
        )

    # -- lookups ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many of each kind of record the dataset holds."""
        return {
            "parties": len(self.parties),
            "actors": len(self.actors),
            "issues": len(self.issues),
            "sources": len(self.sources),
            "rounds": len(self.rounds),
            "positions": len(self.positions),
        }

    def resolve_actor(self, name: str) -> str | None:
        """The id of the actor known by ``name`` (id, name or alias, any case)."""
        return self._aliases.get(_normalise_name(name))

    def _cell_order(self, key: tuple[str, str]) -> tuple[int, int]:
        issue, party = key
        return self._issue_order.get(issue, 0), self._party_order.get(party, 0)

    # -- queries ---------------------------------------------------------------------

    def filter_positions(
        self,
        *,
        parties: Iterable[str] | None = None,
        issues: Iterable[str] | None = None,
        actor: str | None = None,
        source: str | None = None,
        round: str | None = None,
        stances: Iterable[Stance] | None = None,
        since: date | None = None,
        until: date | None = None,
        disputed: bool | None = None,
    ) -> list[Position]:
        """Positions matching every given filter, sorted by date then id."""
        parties = None if parties is None else set(parties)
        issues = None if issues is None else set(issues)
        lo = 0 if since is None else bisect_left(self._dates, since)
        hi = len(self._ordered) if until is None else bisect_right(self._dates, until)
        # Start from the smallest index that applies, then test the other filters on each
        # position: a party × issue query reads one or a few cells, not whole indexes.
        pools: list[list[Sequence[int]]] = [[range(lo, hi)]]
        if parties is not None and issues is not None:
            pools.append([self._cell_rows.get((i, p), ()) for i in issues for p in parties])
        for key, values in (
            ("party", parties),
            ("issue", issues),
            ("actor", None if actor is None else [actor]),
            ("round", None if round is None else [round]),
            ("source", None if source is None else [source]),
        ):
            if values is not None:
                pools.append([self._index[key].get(value, ()) for value in values])
        pool = min(pools, key=lambda lists: sum(map(len, lists)))
        rows = pool[0] if len(pool) == 1 else sorted(set().union(*pool))
        tests = []
        if parties is not None:
            tests.append(lambda p: p.party in parties)
        if issues is not None:
            tests.append(lambda p: p.issue in issues)
        if actor is not None:
            tests.append(lambda p: p.actor == actor)
        if round is not None:
            tests.append(lambda p: p.round == round)
        if source is not None:
            tests.append(lambda p: any(e.source == source for e in p.evidence))
        if stances is not None:
            wanted = set(stances)
            tests.append(lambda p: p.stance in wanted)
        if disputed is not None:
            tests.append(lambda p: p.disputed == disputed)
        ordered = self._ordered
        if pool is pools[0]:  # only dates, or nothing narrower: one slice of the date order
            selected = ordered[lo:hi]
        else:
            selected = [ordered[i] for i in rows if lo <= i < hi]
        if not tests:
            return list(selected)
        return [p for p in selected if all(test(p) for test in tests)]

    def snapshot(
        self,
        as_of: date,
        *,
        parties: Iterable[str] | None = None,
        issues: Iterable[str] | None = None,
    ) -> list[Position]:
        """For every issue × party, the latest position dated on or before ``as_of``.

        One position per cell that has one, in catalogue order of issues, then parties.
        """
        return self._latest(as_of, parties, issues, attrgetter("positions"))

    def snapshot_cells(
        self,
        as_of: date,
        *,
        parties: Iterable[str] | None = None,
        issues: Iterable[str] | None = None,
    ) -> list[SnapshotCell]:
        """``snapshot``, each position as its ready-made ``SnapshotCell``."""
        return self._latest(as_of, parties, issues, attrgetter("cells"))

    def _latest(self, as_of, parties, issues, column: Callable[[_Cells], list]) -> list:
        """Per cell, the item of ``column`` at the cell's latest position as of the date."""
        wanted = None if parties is None else set(parties)
        found = []
        for issue in self.issues if issues is None else self._in_order(issues, self.issues):
            for party, cells in self._issue_cells.get(issue, ()):
                if wanted is None or party in wanted:
                    index = bisect_right(cells.dates, as_of)
                    if index:
                        found.append(column(cells)[index - 1])
        return found

    def timeline(
        self, issue: str, *, parties: Iterable[str] | None = None
    ) -> list[tuple[str, list[TimelineEntry]]]:
        """Per party, the issue's positions in date order, each labelled as a change."""
        return [(party, cells.entries) for party, cells in self._timeline(issue, parties)]

    def timeline_rows(
        self, issue: str, *, parties: Iterable[str] | None = None
    ) -> list[tuple[str, list[TimelineRow]]]:
        """``timeline``, each entry as its ready-made ``TimelineRow``."""
        return [(party, cells.rows) for party, cells in self._timeline(issue, parties)]

    def _timeline(self, issue, parties) -> list[tuple[str, _Cells]]:
        wanted = None if parties is None else set(parties)
        cells = self._issue_cells.get(issue, ())
        return [(party, c) for party, c in cells if wanted is None or party in wanted]

    def changes(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        parties: Iterable[str] | None = None,
        issues: Iterable[str] | None = None,
    ) -> list[TimelineEntry]:
        """Timeline entries dated in ``[since, until]`` that are not reiterations."""
        lo = 0 if since is None else bisect_left(self._change_dates, since)
        hi = len(self._changes) if until is None else bisect_right(self._change_dates, until)
        wanted_parties = None if parties is None else set(parties)
        wanted_issues = None if issues is None else set(issues)
        return [
            entry
            for entry in self._changes[lo:hi]
            if (wanted_parties is None or entry.position.party in wanted_parties)
            and (wanted_issues is None or entry.position.issue in wanted_issues)
        ]

    def compare(
        self, first: str, second: str, as_of: date, *, issues: Iterable[str] | None = None
    ) -> list[Comparison]:
        """Per issue, both parties' stances as of a date, the gap and the status."""
        rows = []
        for issue in self.issues if issues is None else self._in_order(issues, self.issues):
            a, b = (self.latest(issue, party, as_of) for party in (first, second))
            gap = abs(a.score - b.score) if a and b else None
            status = compare_status(a and a.stance, b and b.stance)
            rows.append(Comparison(issue, (a, b), gap, status))
        return rows

    def latest(self, issue: str, party: str, as_of: date) -> Position | None:
        """The party's latest position on the issue dated on or before ``as_of``."""
        cells = self._cells.get((issue, party))
        return cells.as_of(as_of) if cells else None

    @staticmethod
    def _in_order(wanted: Iterable[str], catalogue: MappingProxyType) -> list[str]:
        chosen = set(wanted)
        return [key for key in catalogue if key in chosen]

    def date_range(self) -> tuple[date | None, date | None]:
        """The first and last position dates."""
        if not self._ordered:
            return None, None
        return self._ordered[0].date, self._ordered[-1].date


def _merged(runs: dict[str, list[list[int]]]) -> dict[str, list[int]]:
    """Each key's sorted runs of rows as one sorted list (timsort merges runs in C)."""
    return {key: sorted(chain.from_iterable(lists)) for key, lists in runs.items()}


def _by_id(items: Iterable) -> MappingProxyType:
    return MappingProxyType({item.id: item for item in items})
