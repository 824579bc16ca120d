"""Validated fixture entries made into model records.

Each fixture schema names the function here (or the record class itself) that makes its
loaded fields into a record (``StrictSchema.record``): marshmallow calls it after loading,
and the compiled checkers (schemas.compiled) call it with the same fields, by position.
Parameter names are the schema's field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.model import (
    Actor,
    Delegation,
    Evidence,
    Outcome,
    Party,
    Position,
    Round,
    Stance,
)

_STANCES = {stance.value: stance for stance in Stance}


@dataclass(frozen=True, slots=True)
class Corroboration:
    """More evidence, declared in one file, for a position declared in another."""

    position: str
    evidence: tuple[Evidence, ...]


def party(id: str, name: str, kind: str, aliases: list[str]) -> Party:
    return Party(id, name, kind, tuple(aliases))


def actor(id: str, name: str, party: str, role: str, aliases: list[str]) -> Actor:
    return Actor(id, name, party, role, tuple(aliases))


def delegation(party: str, members: list[str]) -> Delegation:
    return Delegation(party, tuple(members))


def outcome(status: str, summary: str, evidence: list[Evidence]) -> Outcome:
    return Outcome(status, summary, tuple(evidence))


def round_(
    id: str,
    number: int,
    start: date,
    end: date | None,
    place: str,
    host: str | None,
    delegations: list[Delegation],
    duration: str | None,
    outcomes: list[Outcome],
    sources: list[str],
    notes: str | None,
) -> Round:
    return Round(
        id, number, start, end or start, place, host, tuple(delegations), duration,
        tuple(outcomes), tuple(sources), notes,
    )  # fmt: skip


def position(
    id: str,
    party: str,
    issue: str,
    stance: str,
    date: date,
    date_precision: str,
    actor: str | None,
    summary: str,
    conditions: str | None,
    round: str | None,
    dispute: str | None,
    evidence: list[Evidence],
) -> Position:
    # positional, in Position's field order: the one record made 100,000 times
    return Position(
        id, party, issue, _STANCES[stance], date, date_precision, actor, summary,
        tuple(evidence), conditions, round, dispute,
    )  # fmt: skip


def corroboration(position: str, evidence: list[Evidence]) -> Corroboration:
    return Corroboration(position, tuple(evidence))
