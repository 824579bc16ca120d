"""Validated fixture entries made into model records, repeated ids and dates shared."""

from __future__ import annotations

from dataclasses import dataclass

from service.model import (
    Actor,
    DateBasis,
    Delegation,
    Evidence,
    Issue,
    Outcome,
    Party,
    Position,
    Round,
    Source,
    Stance,
)

_STANCES = {stance.value: stance for stance in Stance}


@dataclass(frozen=True, slots=True)
class Corroboration:
    """More evidence, declared in one file, for a position declared in another."""

    position: str
    evidence: tuple[Evidence, ...]


class RecordMaker:
    """Turns one file's validated sections into records.

    The compiled fixture checkers already hand over one shared string per id and one
    date object per day, so records of many positions share them.
    """

    def file(self, data: dict) -> dict[str, list]:
        """Every section of a validated file, as lists of records."""
        return {section: [make(self, e) for e in data[section]] for section, make in _MAKERS}

    def entry(self, section: str, data: dict):
        """One validated entry of ``section`` as a record."""
        return dict(_MAKERS)[section](self, data)

    def evidence(self, entries: list[dict]) -> tuple[Evidence, ...]:
        return tuple([Evidence(e["source"], e["quote"]) for e in entries])

    def party(self, data: dict) -> Party:
        return Party(data["id"], data["name"], data["kind"], tuple(data["aliases"]))

    def actor(self, data: dict) -> Actor:
        party = data["party"]
        return Actor(data["id"], data["name"], party, data["role"], tuple(data["aliases"]))

    def issue(self, data: dict) -> Issue:
        return Issue(data["id"], data["name"], data["proposition"])

    def source(self, data: dict) -> Source:
        basis = data["date_basis"]
        return Source(
            id=data["id"],
            outlet=data["outlet"],
            title=data["title"],
            published=data["published"],
            date_basis=DateBasis(basis["method"], basis["reasoning"]),
            url=data["url"],
            seed=data["seed"],
        )

    def round(self, data: dict) -> Round:
        return Round(
            id=data["id"],
            number=data["number"],
            start=data["start"],
            end=data["end"] or data["start"],
            place=data["place"],
            host=data["host"],
            delegations=tuple(
                Delegation(d["party"], tuple(d["members"])) for d in data["delegations"]
            ),
            duration=data["duration"],
            outcomes=tuple(
                Outcome(o["status"], o["summary"], self.evidence(o["evidence"]))
                for o in data["outcomes"]
            ),
            sources=tuple(s for s in data["sources"]),
            notes=data["notes"],
        )

    def position(self, data: dict) -> Position:
        # positional, in Position's field order: the one record made 100,000 times
        return Position(
            data["id"],
            data["party"],
            data["issue"],
            _STANCES[data["stance"]],
            data["date"],
            data["date_precision"],
            data["actor"],
            data["summary"],
            tuple([Evidence(e["source"], e["quote"]) for e in data["evidence"]]),
            data["conditions"],
            data["round"],
            data["dispute"],
        )

    def corroboration(self, data: dict) -> Corroboration:
        return Corroboration(data["position"], self.evidence(data["evidence"]))


_MAKERS = (
    ("parties", RecordMaker.party),
    ("actors", RecordMaker.actor),
    ("issues", RecordMaker.issue),
    ("sources", RecordMaker.source),
    ("rounds", RecordMaker.round),
    ("positions", RecordMaker.position),
    ("corroborations", RecordMaker.corroboration),
)
