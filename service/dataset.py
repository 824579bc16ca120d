"""The immutable, indexed dataset and its queries: filter, snapshot, timeline, changes, compare."""

from __future__ import annotations

import threading
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
    side_number,
)
from service.record import History


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two parties' stances on one issue, the gap between them and what it means."""

    issue: str
    stances: tuple[Position | None, Position | None]
    gap: int | None
    status: str
    rivals: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # per side: see _Cells


# the change label of every pair of successive stances, looked up rather than worked out;
# keyed by the stances' names, whose hashes are cached, where an enum's is Python code
_CHANGE_OF = {(a._value_, b._value_): classify_change(a, b) for a in Stance for b in Stance}


VIEWS_KEPT = 2  # datasets of earlier record days kept per process (each up to the whole dataset)
RIVALS_SHOWN = 10  # rival positions named in a cell of an uncertain move
_NEVER = date.max


def _normalise_name(text: str) -> str:
    return " ".join(text.casefold().split())


class _Cells:
    """Positions of one party on one issue, in order, grouped into moves, labelled.

    A move is one position, or several that cannot be told apart in time (same date,
    same time or none, sources published the same day) or that are rival readings of one
    statement (a ``dispute``): an uncertain move. No change is computed between the
    positions of one move; each is labelled against the last certain position before it.
    Each position also has its snapshot cell and timeline row (service.model), aligned.
    """

    __slots__ = ("positions", "dates", "entries", "cells", "rows", "rivals")

    def __init__(
        self, issue: str, party: str, positions: list[Position], moments: list, disputes: dict
    ):
        self.positions = positions
        self.dates = [position.date for position in positions]
        self.rivals: dict[str, tuple[str, ...]] = {}
        moves: list[list[Position]] = []
        for position, moment, before in zip(positions, moments, [None, *moments], strict=False):
            rival = moves and (
                moment == before
                or (position.dispute is not None and position.dispute == moves[-1][-1].dispute)
            )
            if rival:
                moves[-1].append(position)
            else:
                moves.append([position])
        entries, cells, rows, certain = [], [], [], None
        entry, cell, row, change_of = TimelineEntry, SnapshotCell, TimelineRow, _CHANGE_OF
        for move in moves:
            # a move's rivals, at most RIVALS_SHOWN of them: a day with a thousand positions
            # on one cell must not cost a million
            alone = len(move) == 1
            ids = () if alone else tuple(p.id for p in move[: RIVALS_SHOWN + 1])
            for position in move:
                name = position.stance._value_
                if certain is None:
                    change = "new"
                    entries.append(entry(position, change))
                else:
                    change = change_of[certain.stance._value_, name]
                    entries.append(entry(position, change, certain))
                pid = position.id
                # the others of its move, and the rival readings of its dispute (any cell)
                if position.dispute:
                    rival_ids = dict.fromkeys((*ids, *disputes[position.dispute]))
                    rivals = tuple(i for i in rival_ids if i != pid)[:RIVALS_SHOWN]
                elif alone:
                    rivals = ()
                else:
                    rivals = tuple(i for i in ids if i != pid)[:RIVALS_SHOWN]
                if rivals:
                    self.rivals[pid] = rivals
                day, score = position.date, position.stance.score
                cells.append(cell(bool(rivals), issue, party, pid, rivals, score, day, name))
                rows.append(row(change, day, pid, score, name))
            if alone or len({p.stance for p in move}) == 1:
                certain = move[-1]
        self.entries, self.cells, self.rows = entries, cells, rows

    def as_of(self, day: date) -> Position | None:
        index = bisect_right(self.dates, day)
        return self.positions[index - 1] if index else None


class _Views:
    """The datasets of earlier record days a dataset has made (shared with them), oldest
    first, and the lock under which one is made."""

    __slots__ = ("made", "lock")

    def __init__(self):
        self.made: dict[date, Dataset] = {}
        self.lock = threading.Lock()


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
        history: History | None = None,
        state: date | None = None,
        views: _Views | None = None,
    ):
        self.version = version
        self.files = tuple(files)
        self.loaded_at = loaded_at
        self.parties = _by_id(parties)
        self.actors = _by_id(actors)
        self.issues = _by_id(issues)
        self.sources = _by_id(sources)
        self._published = {source.id: source.published for source in sources}
        self.rounds = _by_id(sorted(rounds, key=lambda r: (r.start, r.number or 0, r.id)))
        self.history = history if history is not None else History(positions, ())
        self.state = state if state is not None else self.history.latest
        self._views = _Views() if views is None else views
        moment = self._moment
        # each position's moment, worked out once: the sort and the cells' moves read it
        moments = {p.id: moment(p) for p in positions}
        ordered = sorted(positions, key=lambda p: (*moments[p.id], p.id))
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
        disputes: dict[str, list[str]] = defaultdict(list)
        for position in ordered:
            if position.dispute and len(disputes[position.dispute]) <= RIVALS_SHOWN:
                disputes[position.dispute].append(position.id)
        self._moves: dict[str, tuple[list[date], list[dict[str, int]]]] = {}
        self._cells = {}
        for key, rows in cell_rows.items():
            cell_positions = list(map(row_of, rows))
            cell_moments = [moments[p.id] for p in cell_positions]
            self._cells[key] = _Cells(*key, cell_positions, cell_moments, disputes)
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
        self.issue_aliases = {a: issue.id for issue in self.issues.values() for a in issue.aliases}
        self._aliases = {}
        for actor in self.actors.values():
            for name in (actor.id, actor.name, *actor.aliases):
                self._aliases.setdefault(_normalise_name(name), actor.id)

    @classmethod
    def from_records(cls, records: RecordSet, loaded_at: datetime | None = None) -> Dataset:
        """The dataset of a loaded record set, as the record stands (its latest day)."""
        history = History(records.positions, records.retractions)
        return cls(
            parties=records.parties,
            actors=records.actors,
            issues=records.issues,
            sources=records.sources,
            rounds=records.rounds,
            positions=history.visible(history.latest),
            version=records.version,
            files=records.files,
            loaded_at=loaded_at,
            history=history,
        )

    def _moment(self, position: Position) -> tuple:
        """When a position was taken, as far as the record tells: its date, its time if
        given, then the day its earliest source was published. Never its id."""
        evidence = position.evidence
        if len(evidence) == 1:  # most positions: one quote
            published = self._published.get(evidence[0].source, _NEVER)
        else:
            published = min((self._published.get(e.source, _NEVER) for e in evidence),
                            default=_NEVER)  # fmt: skip
        return position.date, position.time or "", published

    def known_at(self, day: date | None) -> Dataset:
        """The dataset as the record stood on ``day`` (None: as it stands)."""
        if day is None:
            return self
        state = self.history.state(day)
        if state is None:  # before anything was recorded: an empty record, not today's
            state = date.min
        if state == self.state:
            return self
        view = self._views.made.get(state)
        if view is None:
            # one thread makes it while the others asking for it wait: sixteen threads each
            # making the same view at once would hold sixteen of them (at 100,000 positions,
            # 25 MB each), and malloc keeps most of that room once they are dropped
            with self._views.lock:
                view = self._views.made.get(state)
                if view is None:
                    view = self._view(state)
        return view

    def _view(self, state: date) -> Dataset:
        made = self._views.made
        if len(made) >= VIEWS_KEPT:  # the oldest made goes: memory stays bounded
            del made[next(iter(made))]
        made[state] = view = Dataset(
            parties=self.parties.values(),
            actors=self.actors.values(),
            issues=self.issues.values(),
            sources=self.sources.values(),
            rounds=self.rounds.values(),
            positions=self.history.visible(state),
            version=self.version,
            files=self.files,
            loaded_at=self.loaded_at,
            history=self.history,
            state=state,
            views=self._views,
        )
        return view

    def position(self, position_id: str) -> Position | None:
        """Any position in the record as it stood, corrected since or not."""
        found = self.history.positions.get(position_id)
        return found if found is not None and self.history.known(found, self.state) else None

    def correction(self, position_id: str):
        """The correction that took a position out of the record as it stood, if any."""
        return self.history.correction(position_id, self.state)

    def corrections(self) -> list:
        """Every correction made to the record as it stood, in record order."""
        return self.history.corrections_by(self.state)

    def rivals(self, position_id: str) -> tuple[str, ...]:
        """The positions that share an uncertain move with this one (see ``_Cells``)."""
        position = self.positions.get(position_id)
        if position is None:
            return ()
        cells = self._cells.get((position.issue, position.party))
        return cells.rivals.get(position_id, ()) if cells else ()

    def unverified_quotes(self) -> list[tuple[str, str]]:
        """(source, record) of every quote, of a position or a round's outcome, not verified
        against archived text."""
        found = [
            (piece.source, position.id)
            for position in self.history.positions.values()
            for piece in position.evidence
            if not piece.verified
        ]
        return found + [
            (piece.source, round_.id)
            for round_ in self.rounds.values()
            for outcome in round_.outcomes
            for piece in outcome.evidence
            if not piece.verified
        ]

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

    def moves(self, party: str) -> tuple[list[date], list[dict[str, int]]]:
        """The dates on which ``party`` took a position, oldest first, and for each the
        side (model.side_number) it stood on that evening on each issue it spoke to: what
        comparing two parties over time reads. Made on first use, then kept (one per party).
        """
        found = self._moves.get(party)
        if found is None:
            days: dict[date, dict[str, int]] = defaultdict(dict)
            for issue in self.issues:
                cells = self._cells.get((issue, party))
                if cells is not None:
                    # in timeline order: the last of a day's positions is the one that stands
                    for position in cells.positions:
                        side = side_number(position.stance, bool(position.conditions))
                        days[position.date][issue] = side
            ordered = sorted(days)
            found = self._moves[party] = (ordered, [days[day] for day in ordered])
        return found

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
            conditional = any(side is not None and side.conditions for side in (a, b))
            status = compare_status(a and a.stance, b and b.stance, conditional)
            rivals = tuple(self.rivals(side.id) if side else () for side in (a, b))
            rows.append(Comparison(issue, (a, b), gap, status, rivals))
        return rows

    def latest(self, issue: str, party: str, as_of: date) -> Position | None:
        """The party's latest position on the issue dated on or before ``as_of``."""
        cells = self._cells.get((issue, party))
        return cells.as_of(as_of) if cells else None

    @staticmethod
    def _in_order(wanted: Iterable[str], catalogue: MappingProxyType) -> list[str]:
        chosen = set(wanted)
        return [key for key in catalogue if key in chosen]

    @property
    def ordered(self) -> tuple[Position, ...]:
        """The positions in time order: date, time, their sources' publication, then id."""
        return self._ordered

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
