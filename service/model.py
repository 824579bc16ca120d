"""Parley's domain model: plain dataclasses and the stance scale; no Flask.

Records are never changed once loaded: the dataset and the loader's per-file cache
share them. Most are frozen; positions, their evidence and timeline entries are made
a hundred thousand times at scale, and a frozen dataclass's ``__init__`` (one
``object.__setattr__`` per field) takes about four times as long as a plain one, so
those three are plain slotted classes that nothing writes to after construction.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date


class Stance(enum.Enum):
    """A party's stance toward an issue's proposition, on a five-level ordinal scale."""

    DEMANDS = ("demands", 2)
    SUPPORTS = ("supports", 1)
    OPEN = ("open", 0)
    OPPOSES = ("opposes", -1)
    REJECTS = ("rejects", -2)

    score: int

    def __new__(cls, value: str, score: int):
        member = object.__new__(cls)
        member._value_ = value
        member.score = score
        return member

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(stance.value for stance in cls)

    @classmethod
    def parse(cls, name: str) -> Stance:
        """The stance called ``name`` (a plain dict lookup, for loading many positions)."""
        return cls._value2member_map_[name]

# each collection of records, and what one of its records is called
RECORD_KINDS = {
    "parties": "party",
    "actors": "actor",
    "issues": "issue",
    "sources": "source",
    "rounds": "round",
    "positions": "position",
}
PARTY_KINDS = ("state", "alliance", "union")
DATE_PRECISIONS = ("day", "month", "approximate")
DATE_METHODS = ("dateline", "inferred")
OUTCOME_STATUSES = ("agreed", "not_agreed")
CHANGES = ("new", "reiterated", "hardened", "softened", "reversed")
STATUSES = ("agreed", "conditional", "negotiable", "opposed", "unknown")
# what each compare status means: the README and the OpenAPI description show this table
STATUS_TABLE = """| status | when |
|---|---|
| `agreed` | both lean the same way (same sign, neither `open`) and neither attaches conditions |
| `conditional` | both lean the same way, but at least one side attaches conditions to its stance |
| `negotiable` | at least one side is `open` |
| `opposed` | one supports or demands what the other opposes or rejects |
| `unknown` | a side has no position on the issue yet |

Conditions are text, not issues: whether the other side accepts a condition (say, Russia's
stance on the security guarantees Ukraine's neutrality depends on) is not read into the
status, so `conditional` never claims that a condition is met or refused. Both sides'
conditions are in each row."""


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    party: str
    role: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    name: str
    proposition: str
    aliases: tuple[str, ...] = ()  # earlier ids: a renamed or split issue keeps them


@dataclass(frozen=True, slots=True)
class DateBasis:
    method: str  # one of DATE_METHODS
    reasoning: str


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    outlet: str | None
    title: str | None
    published: date
    date_basis: DateBasis
    url: str | None = None
    archive: str | None = None  # the archived text, relative to the fixture directory
    sha256: str | None = None
    archived: bool = True  # False: no text is kept, and ``reason`` says why
    reason: str | None = None


@dataclass(slots=True)
class Evidence:
    source: str
    quote: str
    verified: bool = False  # found in the source's archived text when it was loaded


@dataclass(frozen=True, slots=True)
class Delegation:
    party: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # one of OUTCOME_STATUSES
    summary: str
    evidence: tuple[Evidence, ...] = ()
    according_to: str | None = None  # an actor: the outcome is that side's account


@dataclass(frozen=True, slots=True)
class Round:
    id: str
    number: int | None  # only where the sources number the round
    start: date
    end: date
    place: str
    host: str | None
    delegations: tuple[Delegation, ...]
    duration: str | None
    outcomes: tuple[Outcome, ...]
    sources: tuple[str, ...]
    notes: str | None = None


@dataclass(slots=True)
class Position:
    id: str
    party: str
    issue: str
    stance: Stance
    date: date
    date_precision: str
    actor: str | None
    summary: str
    evidence: tuple[Evidence, ...]
    conditions: str | None = None
    round: str | None = None
    dispute: str | None = None
    time: str | None = None  # HH:MM, to order one party's positions of one day
    recorded: date | None = None  # the day the file that holds it was recorded
    supersedes: str | None = None  # the earlier position this one corrects
    reason: str | None = None  # why it supersedes that one

    def with_evidence(self, more: tuple[Evidence, ...]) -> Position:
        """This position with more evidence (a corroboration's), as a new record."""
        return dataclasses.replace(self, evidence=self.evidence + more)

    @property
    def score(self) -> int:
        return self.stance.score

    @property
    def disputed(self) -> bool:
        """One of rival readings of one statement (see also Dataset.rivals)."""
        return self.dispute is not None


def _classify(before: int, after: int) -> str:
    if before == after:
        return "reiterated"
    if before * after < 0:
        return "reversed"
    return "hardened" if abs(after) > abs(before) else "softened"


_CHANGES = {(a.score, b.score): _classify(a.score, b.score) for a in Stance for b in Stance}


def classify_change(previous: Stance | None, current: Stance) -> str:
    """Label a stance against the same party's previous one on the same issue."""
    return "new" if previous is None else _CHANGES[previous.score, current.score]


def compare_status(a: Stance | None, b: Stance | None, conditional: bool = False) -> str:
    """How far two parties are apart on one issue, from their two stances.

    ``conditional``: a side attaches conditions to its stance. Leaning the same way then
    is not agreement but ``conditional``: whether the conditions are met is not known
    here (they are text, not issues), so the answer never claims more than the record.
    """
    if a is None or b is None:
        return "unknown"
    if a.score == 0 or b.score == 0:
        return "negotiable"
    if (a.score > 0) != (b.score > 0):
        return "opposed"
    return "conditional" if conditional else "agreed"


# A party's side of an issue as one small number, for the loops that compare many: 0 when
# it holds no position, else its stance and whether it attaches conditions. SIDES[n] is
# the (stance, conditional) pair of number n (None for 0).
SIDES = (None, *((stance, conditional) for stance in Stance for conditional in (False, True)))
_SIDE_OF_SCORE = {stance.score: 1 + 2 * n for n, stance in enumerate(Stance)}


def side_number(stance: Stance, conditional: bool) -> int:
    """The number of a side in SIDES."""
    return _SIDE_OF_SCORE[stance.score] + bool(conditional)


@dataclass(slots=True)
class TimelineEntry:
    position: Position
    change: str
    previous: Position | None = None


@dataclass(slots=True)
class Retraction:
    """A position withdrawn from the record, from the day the retraction was recorded."""

    retracts: str
    reason: str
    recorded: date | None = None


@dataclass(frozen=True, slots=True)
class Corroboration:
    """More evidence, declared in one file, for a position declared in another."""

    position: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class RecordSet:
    """Every record of one fixture directory, checked: what loading hands to a Dataset."""

    parties: tuple[Party, ...]
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    sources: tuple[Source, ...]
    rounds: tuple[Round, ...]
    positions: tuple[Position, ...]
    version: str
    files: tuple[str, ...] = ()
    retractions: tuple[Retraction, ...] = ()


# -- rows as the API writes them ---------------------------------------------------------
#
# A snapshot or a timeline of a large dataset is thousands of small objects, and building
# a dict for each on every request is most of its cost. These rows are made once per
# position when a dataset is built, with exactly the fields of their JSON object, in its
# (sorted) key order; orjson writes such dataclasses without any Python code per row.
# They keep ``__dict__`` (no slots): orjson writes those several times faster. The
# response schemas name them as their ``native`` type (schemas/dumping.py), and the tests
# check that the rows give the same bytes as the schemas' dump of the positions.


@dataclass
class SnapshotCell:
    """One issue × party cell of a snapshot: CellSchema's output for the position."""

    disputed: bool
    issue: str
    party: str
    position: str
    rivals: tuple[str, ...]  # written as a JSON array, like a list
    score: int
    since: date
    stance: str


@dataclass
class TimelineRow:
    """One entry of an issue's timeline: TimelineEntrySchema's output for the entry."""

    change: str
    date: date
    position: str
    score: int
    stance: str
