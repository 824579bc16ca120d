"""Checks across all fixture files: references, duplicates, dates, actors, disputes, quotes."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from pathlib import Path

from service.model import RECORD_KINDS, Evidence

KINDS = RECORD_KINDS

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


@dataclass(slots=True)
class Item:
    """A record and where it was declared: its file and its field path there."""

    file: str
    path: tuple
    record: object


def suggest(value: str, choices) -> str:
    """A "did you mean" hint for a misspelt id, or nothing."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def normalise_text(text: str) -> str:
    """Whitespace collapsed and typographic quotes made straight, for verbatim checks."""
    return " ".join(text.translate(_QUOTES).split())


Report = Callable[[str, tuple, str], None]

_RECORD_ID, _DISPUTE = attrgetter("record.id"), attrgetter("record.dispute")
_PARTY, _ISSUE = attrgetter("party"), attrgetter("issue")
_ACTOR_PARTY, _ROUND_DATE = attrgetter("actor", "party"), attrgetter("round", "date")


class CrossChecker:
    """Runs every check across files, reporting each problem as (file, path, message)."""

    def __init__(
        self,
        items: dict[str, list[Item]],
        declared: dict[str, set[str]],
        report: Report,
        where: Callable[[Item], str],
        seeds: Path | None = None,
    ):
        self.items, self.declared, self.report, self.where = items, declared, report, where
        self.seeds = seeds
        self.index: dict[str, dict[str, Item]] = {}
        self._seed_texts: dict[str, str | None] = {}

    def run(self) -> dict[str, dict[str, Item]]:
        """Check everything; return the items by kind and id (first declaration wins)."""
        for section, kind in KINDS.items():
            self.index[kind] = self.unique(self.items[section], kind)
        self.unique_round_numbers()
        for item in self.items["actors"]:
            self.ref(item, ("party",), "party", item.record.party)
        for item in self.items["sources"]:
            self.check_seed(item)
        for item in self.items["rounds"]:
            self.check_round(item)
        positions = self.items["positions"]
        if not self.positions_are_sound([item.record for item in positions]):
            for item in positions:
                self.check_position(item)
        for item in self.items["corroborations"]:
            target = self.ref(item, ("position",), "position", item.record.position)
            date = target.record.date if target else None
            self.check_evidence(item, ("evidence",), item.record.evidence, date)
        self.check_disputes()
        return self.index

    def unique(self, items: list[Item], kind: str) -> dict[str, Item]:
        seen = dict(zip(map(_RECORD_ID, items), items, strict=True))
        if len(seen) == len(items):  # no id twice: the common case, in one pass in C
            return seen
        seen = {}
        for item in items:
            first = seen.setdefault(item.record.id, item)
            if first is not item:
                self.report(
                    item.file,
                    (*item.path, "id"),
                    f"duplicate {kind} id '{item.record.id}' (first declared at "
                    f"{self.where(first)})",
                )
        return seen

    def unique_round_numbers(self) -> None:
        numbers: dict[int, Item] = {}
        for item in self.items["rounds"]:
            first = numbers.setdefault(item.record.number, item)
            if first is not item:
                self.report(
                    item.file,
                    (*item.path, "number"),
                    f"duplicate round number {item.record.number} (also round "
                    f"'{first.record.id}' at {self.where(first)})",
                )

    def ref(self, item: Item, path: tuple, kind: str, value: str | None) -> Item | None:
        """The item that ``value``, found at ``path`` in ``item``, names; or a problem."""
        if value is None:
            return None
        target = self.index[kind].get(value)
        if target is None and value not in self.declared[kind]:
            known = self.index[kind].keys() | self.declared[kind]
            self.report(
                item.file, (*item.path, *path), f"unknown {kind} '{value}'{suggest(value, known)}"
            )
        return target

    def check_round(self, item: Item) -> None:
        round_ = item.record
        if round_.end < round_.start:
            self.report(
                item.file,
                (*item.path, "end"),
                f"ends {round_.end}, before it starts {round_.start}",
            )
        self.ref(item, ("host",), "party", round_.host)
        for index, delegation in enumerate(round_.delegations):
            self.ref(item, ("delegations", index, "party"), "party", delegation.party)
        for index, source in enumerate(round_.sources):
            self.ref(item, ("sources", index), "source", source)
        for index, outcome in enumerate(round_.outcomes):
            path = ("outcomes", index, "evidence")
            for number, source in enumerate(self.check_evidence(item, path, outcome.evidence)):
                if source and source.record.published < round_.start:
                    self.report(
                        item.file,
                        (*item.path, *path, number, "source"),
                        f"source '{source.record.id}' was published "
                        f"{source.record.published}, before the round began ({round_.start})",
                    )

    def positions_are_sound(self, positions: list) -> bool:
        """Whether ``check_position`` would find nothing in any of ``positions``; only if
        not does each position go through the checks that say what is wrong.

        The common case, tested in bulk: each distinct party, issue, (actor, party),
        (round, date) and (source, date) once, rather than each position in turn.
        """
        if self.seeds is not None:
            return False  # quotes are checked against the seeds on the full path only
        index = self.index
        parties, issues = map(_PARTY, positions), map(_ISSUE, positions)
        if not set(parties).issubset(index["party"]) or not set(issues).issubset(index["issue"]):
            return False
        actors, rounds, sources = index["actor"], index["round"], index["source"]
        for actor, party in set(map(_ACTOR_PARTY, positions)):
            if actor is not None and (actor not in actors or actors[actor].record.party != party):
                return False
        for round_id, day in set(map(_ROUND_DATE, positions)):
            if round_id is not None:
                round_ = rounds.get(round_id)
                if round_ is None or not round_.record.start <= day <= round_.record.end:
                    return False
        latest: dict[str, date] = {}  # per source, the latest position that cites it
        for source, day in {(e.source, p.date) for p in positions for e in p.evidence}:
            if day > latest.get(source, day.min):
                latest[source] = day
        return all(
            source in sources and day <= sources[source].record.published
            for source, day in latest.items()
        )

    def check_position(self, item: Item) -> None:
        position = item.record
        party = self.ref(item, ("party",), "party", position.party)
        self.ref(item, ("issue",), "issue", position.issue)
        actor = self.ref(item, ("actor",), "actor", position.actor)
        if actor and party and actor.record.party != position.party:
            self.report(
                item.file,
                (*item.path, "actor"),
                f"actor '{position.actor}' speaks for {actor.record.party}, not {position.party}",
            )
        round_ = self.ref(item, ("round",), "round", position.round)
        if round_ and not round_.record.start <= position.date <= round_.record.end:
            start, end = round_.record.start, round_.record.end
            span = str(start) if start == end else f"{start} to {end}"
            self.report(
                item.file,
                (*item.path, "date"),
                f"{position.date} is outside round '{position.round}' ({span})",
            )
        self.check_evidence(item, ("evidence",), position.evidence, position.date)

    def check_evidence(
        self, item: Item, path: tuple, evidence: tuple[Evidence, ...], dated=None
    ) -> list[Item | None]:
        """Check each piece's source and quote; ``dated`` is the position's date, if any."""
        sources = []
        for index, piece in enumerate(evidence):
            source = self.ref(item, (*path, index, "source"), "source", piece.source)
            sources.append(source)
            if source is None:
                continue
            published = source.record.published
            if dated is not None and dated > published:
                # on a position the date is what is wrong; on a corroboration, the source
                where = ("date",) if item.path[0] == "positions" else (*path, index, "source")
                self.report(
                    item.file,
                    (*item.path, *where),
                    f"position dated {dated} is reported by source '{piece.source}', "
                    f"published earlier ({published})",
                )
            self.check_quote(item, (*path, index, "quote"), piece.quote, source)
        return sources

    def check_disputes(self) -> None:
        positions = self.items["positions"]
        readings = Counter(filter(None, map(_DISPUTE, positions)))
        if all(count > 1 for count in readings.values()):
            return
        for item in positions:
            dispute = item.record.dispute
            if dispute and readings[dispute] < 2:
                self.report(
                    item.file,
                    (*item.path, "dispute"),
                    f"dispute '{dispute}' has only this reading; a dispute needs at least two "
                    "positions that contradict each other",
                )

    def check_seed(self, item: Item) -> None:
        seed = item.record.seed
        if self.seeds is not None and seed is not None and not (self.seeds / seed).is_file():
            self.report(item.file, (*item.path, "seed"), f"no seed file '{seed}' in {self.seeds}")

    def check_quote(self, item: Item, path: tuple, quote: str, source: Item) -> None:
        seed = source.record.seed
        if self.seeds is None or seed is None:
            return
        if seed not in self._seed_texts:
            file = self.seeds / seed
            text = normalise_text(file.read_text("utf-8")) if file.is_file() else None
            self._seed_texts[seed] = text
        text = self._seed_texts[seed]
        if text is not None and normalise_text(quote) not in text:
            self.report(
                item.file,
                (*item.path, *path),
                f"quote does not appear verbatim in seed '{seed}' of source '{source.record.id}'",
            )
